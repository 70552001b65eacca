# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Access rules of the complaint models: SLA pauses only from the stage
flow, multi-company rules, public methods that write as the superuser, and
the migration that brings the fixed rules to existing databases."""
from odoo import tools
from odoo.exceptions import AccessError

from odoo.addons.property_billing.tests.common import load_migration

from .common_sla import SlaCase, mon


def _migration(name):
    """The ``migrate`` module of a migration script of 11.0.1.1.0."""
    return load_migration("property_complaint", "11.0.1.1.0", name)


class TestComplaintSecurityRules(SlaCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls.complaint_at(
            cls, reported=mon(9, 0), team_id=cls.team.id,
            user_id=cls.agent.id)
        cls.outsider = cls._create_user(
            "outsider", [cls.group_complaint_user.id], name="Other Agent")
        cls.portal_user = cls._create_portal_user(cls.owner, login="portal")

    # -- SLA pauses -------------------------------------------------------------

    def test_pauses_only_from_the_stage_flow(self):
        self.at(self.complaint.sudo(self.agent), mon(10, 0)).action_wait_owner()
        pause = self.complaint.pause_ids
        self.assertEqual(len(pause), 1)
        Pause = "property.complaint.pause"
        for user in (self.agent, self.complaint_manager):
            with self.assertRaises(AccessError):
                self._rpc(user, Pause, "create", {
                    "complaint_id": self.complaint.id,
                    "date_start": "2026-03-09 01:00:00"})
            with self.assertRaises(AccessError):
                self._rpc(user, Pause, "write", pause.ids,
                          {"date_end": "2026-03-09 01:00:00"})
            with self.assertRaises(AccessError):
                self._rpc(user, Pause, "unlink", pause.ids)
            with self.assertRaises(AccessError):
                self._rpc(user, "property.complaint", "write",
                          self.complaint.ids,
                          {"pause_ids": [(0, 0, {
                              "date_start": "2026-03-09 01:00:00"})]})
        self.assertEqual(self.complaint.pause_ids, pause)
        self.assertFalse(pause.date_end)
        self.at(self.complaint.sudo(self.agent), mon(11, 0)).action_start()
        self.assertTrue(pause.date_end)

    def test_pauses_follow_their_complaint(self):
        self.at(self.complaint, mon(10, 0)).action_wait_owner()
        pause = self.complaint.pause_ids
        self.assertEqual(self._rpc(self.agent, "property.complaint.pause",
                                   "search", [("id", "=", pause.id)]),
                         pause.ids)
        self.assertFalse(self._rpc(self.outsider, "property.complaint.pause",
                                   "search", [("id", "=", pause.id)]))
        with self.assertRaises(AccessError):
            self._rpc(self.outsider, "property.complaint.pause", "read",
                      pause.ids, ["date_start"])

    # -- multi-company ------------------------------------------------------------

    def test_company_rules(self):
        other = self.env["res.company"].create({"name": "Other Estates Co."})
        theirs = {
            "property.complaint.sla": self._create_sla(
                name="Theirs", company_id=other.id),
            "property.complaint.assignment.rule": self.env[
                "property.complaint.assignment.rule"].create({
                    "name": "Theirs", "team_id": self.team.id,
                    "company_id": other.id}),
            "property.complaint.sampling.rule": self.env[
                "property.complaint.sampling.rule"].create({
                    "name": "Theirs", "company_id": other.id}),
        }
        complaint = self.complaint_at(reported=mon(9, 0), company_id=other.id)
        theirs["property.complaint.report"] = self.env[
            "property.complaint.report"].browse(complaint.id)
        for model, record in theirs.items():
            self.assertEqual(record.search([("id", "=", record.id)]), record)
            self.assertFalse(self._rpc(self.complaint_manager, model,
                                       "search", [("id", "=", record.id)]),
                             model)
            with self.assertRaises(AccessError, msg=model):
                self._rpc(self.complaint_manager, model, "read", record.ids,
                          ["company_id"])
        # shared records (no company) and the user's own stay visible
        self.assertIn(self.sla_normal.id, self._rpc(
            self.complaint_manager, "property.complaint.sla", "search", []))
        self.assertTrue(self._rpc(
            self.complaint_manager, "property.complaint.report", "search",
            [("id", "=", self.complaint.id)]))

    # -- public methods writing as the superuser --------------------------------

    def test_owner_cannot_run_staff_buttons(self):
        """Owners read their complaint, so these buttons must check the
        right to change it before they write as the superuser."""
        self.complaint.write({"user_id": False, "team_id": False})
        for method in ("action_assign", "action_escalate",
                       "action_record_followup", "action_confirm_sender",
                       "action_accept"):
            with self.assertRaises(AccessError, msg=method):
                self._rpc(self.portal_user, "property.complaint", method,
                          self.complaint.ids)
        self.complaint.invalidate_cache()
        self.assertFalse(self.complaint.escalated)
        self.assertFalse(self.complaint.user_id)
        self.assertFalse(self.complaint.date_accepted)

    def test_export_is_for_staff(self):
        wizard_id = self._rpc(self.portal_user, "property.complaint.export",
                              "create", {"date_from": "2026-03-01",
                                         "date_to": "2026-03-31"})
        with self.assertRaises(AccessError):
            self._rpc(self.portal_user, "property.complaint.export",
                      "action_export", [wizard_id])

    # -- migration 11.0.1.1.0 ---------------------------------------------------

    def test_migration_reloads_noupdate_rules(self):
        cr = self.env.cr
        rule = self.env.ref("property_complaint.property_complaint_rule_user")
        pause_rule = self.env.ref(
            "property_complaint.property_complaint_pause_rule_user")
        fixed = rule.domain_force
        # a database that still has the old rules
        rule.domain_force = "[(1, '=', 1)]"
        pause_rule.domain_force = "[(1, '=', 1)]"
        security = "security/property_complaint_security.xml"
        tools.convert_file(cr, "property_complaint", security, {}, "update",
                           False, "data")
        rule.invalidate_cache()
        self.assertEqual(rule.domain_force, "[(1, '=', 1)]",
                         "without the migration -u keeps the old rule")
        _migration("post-migration").migrate(cr, "11.0.1.0.0")
        rule.invalidate_cache()
        pause_rule.invalidate_cache()
        self.assertEqual(rule.domain_force, fixed)
        self.assertIn("complaint_id.sensitive", pause_rule.domain_force)
        # still noupdate: a database's own later changes survive upgrades
        cr.execute("""SELECT COUNT(*) FROM ir_model_data
                       WHERE module = 'property_complaint'
                         AND model = 'ir.rule' AND NOT noupdate""")
        self.assertEqual(cr.fetchone()[0], 0)
        # a fresh installation is left alone
        rule.domain_force = "[(1, '=', 1)]"
        _migration("post-migration").migrate(cr, False)
        rule.invalidate_cache()
        self.assertEqual(rule.domain_force, "[(1, '=', 1)]")

    def test_migration_binds_old_photos(self):
        photo = self.env["ir.attachment"].create({
            "name": "old.png", "datas_fname": "old.png", "datas": b"aGVsbG8=",
            "res_model": "property.complaint"})
        self.env.cr.execute("""
            INSERT INTO property_complaint_attachment_rel
                   (complaint_id, attachment_id) VALUES (%s, %s)
        """, (self.complaint.id, photo.id))
        self.env.cr.execute(
            "UPDATE ir_attachment SET res_id = 0 WHERE id = %s", (photo.id,))
        photo.invalidate_cache()
        self.assertFalse(photo.res_id)
        _migration("post-migration").migrate(self.env.cr, "11.0.1.0.0")
        photo.invalidate_cache()
        self.assertEqual((photo.res_model, photo.res_id),
                         ("property.complaint", self.complaint.id))
        with self.assertRaises(AccessError):
            self._rpc(self.outsider, "ir.attachment", "read", photo.ids,
                      ["name"])
