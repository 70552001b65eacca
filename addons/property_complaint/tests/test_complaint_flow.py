# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError

from .common_complaint import ComplaintCase


def _dt(value):
    return fields.Datetime.to_string(value)


class TestComplaintFlow(ComplaintCase):
    """Numbering, where the complaint is, repeats, the stage flow and what the
    owner is told."""

    # -- numbering and location ----------------------------------------------

    def test_number_from_sequence(self):
        first = self._create_complaint()
        second = self._create_complaint()
        self.assertRegex(first.name, r"^TS\d{4}-\d{5}$")
        number = int(re.search(r"(\d+)$", first.name).group(1))
        self.assertEqual(second.name, "%s%05d" % (first.name[:-5], number + 1))
        self.assertEqual(self._create_complaint().stage_id, self._stage("new"))

    def test_unit_derived_from_unique_occupancy(self):
        complaint = self._create_complaint()
        self.assertEqual(complaint.unit_id, self.unit)
        self.assertEqual(complaint.estate_id, self.estate)
        self.assertEqual(complaint.building_id, self.building)

    def test_unit_not_guessed_when_several(self):
        second_unit = self._create_unit()
        self._create_occupancy(unit_id=second_unit.id)
        complaint = self._create_complaint()
        self.assertFalse(complaint.unit_id)
        self.assertFalse(complaint.estate_id)

    def test_past_occupancy_ignored(self):
        former = self._create_owner()
        old_unit = self._create_unit()
        self._create_occupancy(unit_id=old_unit.id, partner_id=former.id,
                               date_from="2015-01-01", date_to="2019-12-31")
        complaint = self._create_complaint(partner_id=former.id)
        self.assertFalse(complaint.unit_id)

    def test_explicit_unit_sets_estate_and_building(self):
        other_building = self._create_building()
        unit = self._create_unit(building_id=other_building.id)
        complaint = self._create_complaint(unit_id=unit.id)
        self.assertEqual(complaint.unit_id, unit)
        self.assertEqual(complaint.building_id, other_building)
        self.assertEqual(complaint.estate_id, self.estate)

    def test_onchange_partner_fills_unit(self):
        complaint = self.Complaint.new({"partner_id": self.owner.id})
        complaint._onchange_partner_id()
        complaint._onchange_unit_id()
        self.assertEqual(complaint.unit_id, self.unit)
        self.assertEqual(complaint.estate_id, self.estate)

    # -- repeats ---------------------------------------------------------------

    def test_repeat_within_30_days(self):
        reported = datetime(2026, 3, 1, 9, 0)
        first = self._create_complaint(date_reported=_dt(reported))
        second = self._create_complaint(
            date_reported=_dt(reported + timedelta(days=29)))
        self.assertTrue(second.is_repeat)
        self.assertEqual(second.repeat_of_id, first)
        self.assertFalse(first.is_repeat)
        self.assertIn(second, first.repeat_ids)

    def test_no_repeat_after_31_days(self):
        reported = datetime(2026, 3, 1, 9, 0)
        self._create_complaint(date_reported=_dt(reported))
        later = self._create_complaint(
            date_reported=_dt(reported + timedelta(days=31)))
        self.assertFalse(later.is_repeat)
        self.assertFalse(later.repeat_of_id)

    def test_no_repeat_other_category_or_unit(self):
        reported = datetime(2026, 3, 1, 9, 0)
        self._create_complaint(date_reported=_dt(reported))
        other_category = self._create_complaint(
            category_id=self.category_noise.id,
            date_reported=_dt(reported + timedelta(days=2)))
        self.assertFalse(other_category.is_repeat)
        other_unit = self._create_complaint(
            unit_id=self._create_unit().id,
            date_reported=_dt(reported + timedelta(days=2)))
        self.assertFalse(other_unit.is_repeat)

    def test_repeat_links_latest_previous(self):
        reported = datetime(2026, 3, 1, 9, 0)
        self._create_complaint(date_reported=_dt(reported))
        middle = self._create_complaint(
            date_reported=_dt(reported + timedelta(days=10)))
        last = self._create_complaint(
            date_reported=_dt(reported + timedelta(days=20)))
        self.assertEqual(last.repeat_of_id, middle)

    def test_repeat_detected_when_category_set_later(self):
        reported = datetime(2026, 3, 1, 9, 0)
        first = self._create_complaint(date_reported=_dt(reported))
        second = self._create_complaint(
            category_id=False, date_reported=_dt(reported + timedelta(days=5)))
        self.assertFalse(second.is_repeat)
        second.category_id = self.category_elevator
        self.assertEqual(second.repeat_of_id, first)

    # -- flow guards -----------------------------------------------------------

    def test_accept_stamps_date(self):
        complaint = self._create_complaint()
        self.assertFalse(complaint.date_accepted)
        complaint.action_accept()
        self.assertEqual(complaint.stage_id, self._stage("accepted"))
        self.assertTrue(complaint.date_accepted)

    def test_resolve_requires_summary(self):
        complaint = self._create_complaint()
        complaint.action_accept()
        with self.assertRaises(UserError):
            complaint.action_resolve()
        self.assertEqual(complaint.stage_id, self._stage("accepted"))
        self.assertFalse(complaint.date_resolved)
        with self.assertRaises(UserError):
            complaint.write({"stage_id": self._stage("resolved").id,
                             "resolution_summary": "   "})
        self.assertEqual(complaint.stage_id, self._stage("accepted"))
        complaint.write({"stage_id": self._stage("resolved").id,
                         "resolution_summary": "Elevator repaired."})
        self.assertEqual(complaint.stage_id, self._stage("resolved"))
        self.assertTrue(complaint.date_resolved)

    def test_close_requires_summary(self):
        complaint = self._create_complaint()
        with self.assertRaises(UserError):
            complaint.action_close()
        self.assertEqual(complaint.stage_id, self._stage("new"))

    def test_close_requires_followup_done(self):
        complaint = self._create_complaint(resolution_summary="Repaired.")
        complaint.action_resolve()
        with self._followup_done(False):
            with self.assertRaises(UserError):
                complaint.action_close()
        self.assertEqual(complaint.stage_id, self._stage("resolved"))
        self.assertFalse(complaint.date_closed)
        with self._followup_done(True):
            complaint.action_close()
        self.assertEqual(complaint.stage_id, self._stage("closed"))
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.date_closed)

    def test_reopen_only_after_resolution(self):
        complaint = self._create_complaint()
        complaint.action_accept()
        with self.assertRaises(UserError):
            complaint.action_reopen()
        self.assertEqual(complaint.stage_id, self._stage("accepted"))

    def test_reopen_from_resolved_followup_closed(self):
        for last in ("resolved", "followup", "closed"):
            complaint = self._create_complaint(resolution_summary="Done.")
            if last == "closed":
                self._close(complaint)
            else:
                complaint.write({"stage_id": self._stage(last).id})
            complaint.action_reopen()
            self.assertEqual(complaint.stage_id, self._stage("reopened"), last)
            self.assertEqual(complaint.reopen_count, 1)
            self.assertFalse(complaint.date_closed)
            self.assertFalse(complaint.date_resolved)
            self.assertFalse(complaint.is_closed)

    def test_reopened_can_be_resolved_again(self):
        complaint = self._create_complaint(resolution_summary="Done.")
        complaint.action_resolve()
        complaint.action_reopen()
        complaint.action_start()
        complaint.action_resolve()
        self.assertEqual(complaint.stage_id, self._stage("resolved"))
        self.assertTrue(complaint.date_resolved)

    # -- owner notifications -------------------------------------------------

    def _owner_messages(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: self.owner in m.partner_ids)

    def test_owner_told_at_acceptance_resolution_closure(self):
        complaint = self._create_complaint(resolution_summary="Cable replaced.")
        self.assertFalse(self._owner_messages(complaint))
        complaint.action_accept()
        complaint.action_start()
        complaint.action_resolve()
        self._close(complaint)
        subjects = self._owner_messages(complaint).mapped("subject")
        number = complaint.name
        self.assertIn("Your complaint %s has been accepted" % number, subjects)
        self.assertIn("Your complaint %s has been resolved" % number, subjects)
        self.assertIn("Your complaint %s is closed" % number, subjects)
        self.assertEqual(len(subjects), 3)
        resolved = self._owner_messages(complaint).filtered(
            lambda m: "resolved" in (m.subject or ""))
        self.assertIn("Cable replaced.", resolved.body)

    def test_owner_told_in_their_language(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.owner.lang = "zh_CN"
        complaint = self._create_complaint()
        template = self.env.ref(
            "property_complaint.mail_template_complaint_accepted")
        lang = template.render_template(
            template.lang, "property.complaint", complaint.ids)[complaint.id]
        self.assertEqual(lang, "zh_CN")

    def test_no_notification_without_complainant(self):
        complaint = self._create_complaint(
            partner_id=False, unit_id=self.unit.id)
        complaint.action_accept()
        self.assertFalse(complaint.message_ids.filtered(
            lambda m: "accepted" in (m.subject or "")))

    # -- quick entry -----------------------------------------------------------

    def _quick_entry(self, context=None, **vals):
        """The wizard as the form fills it: defaults, then the lookup."""
        Wizard = self.env["property.complaint.quick.entry"].with_context(
            **(context or {}))
        values = Wizard.default_get(list(Wizard._fields))
        values.update(vals)
        wizard = Wizard.new(values)
        wizard._onchange_lookup()
        return Wizard.create(wizard._convert_to_write(wizard._cache))

    def test_quick_entry_by_mobile(self):
        wizard = self._quick_entry(lookup=self.owner.mobile,
                                   description="Lift stuck again")
        self.assertEqual(wizard.partner_id, self.owner)
        self.assertEqual(wizard.unit_id, self.unit)
        action = wizard.action_save()
        complaint = self.Complaint.browse(action["res_id"])
        self.assertEqual(complaint.partner_id, self.owner)
        self.assertEqual(complaint.unit_id, self.unit)
        self.assertEqual(complaint.description, "Lift stuck again")
        self.assertEqual(complaint.channel, "phone")

    def test_quick_entry_unit_code_wins_over_a_mobile_with_its_digits(self):
        # 3-2-0007 is all digits: someone's mobile 1320007xxxx contains them.
        digits = self.unit.code.replace("-", "")
        self._create_owner(mobile="1%s0000" % digits)
        wizard = self._quick_entry(lookup=self.unit.code, description="Noise")
        self.assertEqual(wizard.unit_id, self.unit)
        self.assertEqual(wizard.partner_id, self.owner)

    def test_quick_entry_by_unit_code(self):
        wizard = self._quick_entry(context={"default_channel": "counter"},
                                   lookup=self.unit.code, description="Noise")
        self.assertEqual(wizard.unit_id, self.unit)
        self.assertEqual(wizard.partner_id, self.owner)
        self.assertEqual(wizard.channel, "counter")
        complaint = self.Complaint.browse(wizard.action_save()["res_id"])
        self.assertEqual(complaint.channel, "counter")

    def test_quick_entry_by_name(self):
        owner = self._create_owner(name="Quick Entry Wang Xiaoming")
        wizard = self._quick_entry(lookup="wang xiaoming",
                                   description="Garbage")
        self.assertEqual(wizard.partner_id, owner)
        self.assertFalse(wizard.unit_id)

    def test_quick_entry_needs_someone(self):
        wizard = self.env["property.complaint.quick.entry"].create(
            {"description": "Something"})
        with self.assertRaises(UserError):
            wizard.action_save()
