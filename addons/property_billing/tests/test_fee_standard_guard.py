# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""公示 (publication) is evidence: a published standard changes only through a
new version, and its approval and publication only through the actions."""
from odoo.exceptions import AccessError, UserError

from odoo.addons.property_billing.tests.common_fee import FeeCase

EVIDENCE = ["state", "notice_days", "publication_date", "billable_from",
            "approved_uid", "approved_date", "date_from", "date_to", "rate",
            "legal_basis", "version", "previous_standard_id"]


class TestPublishedStandardGuard(FeeCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.standard = cls._create_standard(legal_basis="业主大会决议 2025-3")
        cls.standard.sudo(cls.manager).action_approve()
        cls.standard.sudo(cls.manager)._publish("2025-11-01")

    def _evidence(self):
        self.standard.invalidate_cache()
        return self.standard.read(EVIDENCE)[0]

    def test_published_standard_bills_after_the_notice_period(self):
        self.assertEqual(self.standard.state, "published")
        self.assertEqual(self.standard.billable_from, "2025-12-01")
        self.assertEqual(self.standard.approved_uid, self.manager)

    def test_clerk_cannot_shorten_the_notice_period(self):
        before = self._evidence()
        with self.assertRaises(UserError):
            self.standard.sudo(self.clerk).write({"notice_days": 0})
        self.assertEqual(self._evidence(), before)
        self.assertEqual(self.standard.billable_from, "2025-12-01")

    def test_nobody_backdates_publication_or_forges_approval(self):
        before = self._evidence()
        forgeries = [
            {"publication_date": "2025-10-01"},
            {"billable_from": "2025-10-01"},
            {"approved_uid": self.clerk.id},
            {"approved_date": "2025-10-01 08:00:00"},
            {"state": "active"},
            {"version": 7},
            {"previous_standard_id": False},
        ]
        for user in (self.clerk, self.manager):
            for vals in forgeries:
                with self.assertRaises(AccessError, msg="%s %s" % (
                        user.login, vals)):
                    self.standard.sudo(user).write(vals)
        self.assertEqual(self._evidence(), before)

    def test_manager_cannot_change_what_was_published(self):
        before = self._evidence()
        for vals in ({"notice_days": 0}, {"date_to": "2026-01-31"},
                     {"date_from": "2025-06-01"}, {"rate": 1.0},
                     {"legal_basis": "—"}):
            with self.assertRaises(UserError, msg=str(vals)):
                self.standard.sudo(self.manager).write(vals)
        self.assertEqual(self._evidence(), before)

    def test_title_notes_and_sample_stay_editable(self):
        self.standard.sudo(self.clerk).write({
            "name": "物业管理费（住宅）", "note": "见公示栏照片",
            "preview_area": 120.0, "preview_months": 3})
        self.assertEqual(self.standard.name, "物业管理费（住宅）")
        self.assertEqual(self.standard.preview_amount, 1008.0)  # 120 × 2.80 × 3

    def test_drafts_cannot_carry_forged_approval(self):
        draft = self._create_standard(self._create_fee_item())
        for vals in ({"approved_uid": self.manager.id},
                     {"publication_date": "2025-01-01"}):
            with self.assertRaises(AccessError):
                draft.sudo(self.clerk).write(vals)
            with self.assertRaises(AccessError):
                self.Standard.sudo(self.clerk).create(dict(
                    vals, name="x", item_id=draft.item_id.id,
                    estate_id=self.estate.id, date_from="2026-01-01"))
        self.assertFalse(draft.approved_uid)
        self.assertFalse(draft.publication_date)
        # a draft's notice period is still the clerk's to set
        draft.sudo(self.clerk).write({"notice_days": 45})
        self.assertEqual(draft.notice_days, 45)

    def test_publication_notice_keeps_what_and_when(self):
        notice = self.standard.notice_id
        other = self._publish_standard(self._create_standard(
            self._create_fee_item()), publication_date="2025-11-02")
        for vals in ({"publication_date": "2025-09-01"},
                     {"standard_ids": [(4, other.id)]},
                     {"date_start": "2025-09-01"}):
            with self.assertRaises(UserError, msg=str(vals)):
                notice.sudo(self.manager).write(vals)
        notice.invalidate_cache()
        self.assertEqual(notice.publication_date, "2025-11-01")
        self.assertEqual(notice.standard_ids, self.standard)
        self.assertEqual(notice.date_start, "2026-01-01")
        # its text and portal flag stay the manager's to complete
        notice.sudo(self.manager).write({"body": "<p>请业主周知</p>",
                                         "is_published": False})
        self.assertFalse(notice.is_published)
        self.assertIn("请业主周知", notice.body)

    def test_new_version_is_the_way_to_change(self):
        action = self.standard.sudo(self.clerk).action_new_version()
        new = self.Standard.browse(action["res_id"])
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.previous_standard_id, self.standard)
        self.assertEqual(new.version, 2)
        new.sudo(self.clerk).write({"rate": 3.10, "date_from": "2026-07-01"})
        self.env["property.fee.consultation"].create({
            "standard_id": new.id, "date": "2026-05-20",
            "participants": "业主代表", "outcome": "agreed"})
        new.sudo(self.manager).action_approve()
        new.sudo(self.manager)._publish("2026-05-25")
        self.assertEqual(new.state, "published")
        self.assertEqual(new.approved_uid, self.manager)
        self.assertEqual(new.billable_from, "2026-06-24")
        # the previous version ends the day before, through the workflow
        self.assertEqual(self.standard.date_to, "2026-06-30")
        self.standard.sudo(self.manager)._close("2026-08-01")
        self.assertEqual(self.standard.state, "closed")
        self.assertEqual(self.standard.date_to, "2026-06-30")
