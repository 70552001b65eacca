# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Sensitive complaints (about a staff member): of the staff, only complaint
managers are assignee, call-back agent, follower, mail recipient or activity
owner, from registration on and when the flag is set later."""
from odoo.exceptions import UserError

from .common_sla import SlaCase, mon

MAIL_ON = {"tracking_disable": False, "mail_notrack": False,
           "mail_create_nolog": False}


class TestComplaintSensitive(SlaCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env["property.complaint.assignment.rule"].create({
            "name": "Everything to the team", "team_id": cls.team.id})
        cls.staff = (cls.agent | cls.agent2 | cls.leader).mapped("partner_id")

    def _register(self, user, **vals):
        values = {"partner_id": self.owner.id,
                  "description": "The guard at gate 2 was rude.",
                  "category_id": self.category_elevator.id,
                  "date_reported": self.utc_str(mon(10, 0))}
        values.update(vals)
        complaint = self.env["property.complaint"].sudo(user).with_context(
            sla_now=self.utc(mon(10, 0)), **MAIL_ON).create(values)
        return complaint.sudo()

    def _staff_mails(self, complaint):
        """Messages of the complaint notifying a staff member who is no
        complaint manager."""
        return complaint.message_ids.filtered(
            lambda m: (m.partner_ids | m.needaction_partner_ids) & self.staff)

    def _activity_users(self, complaint):
        return self.env["mail.activity"].search([
            ("res_model", "=", "property.complaint"),
            ("res_id", "=", complaint.id)]).mapped("user_id")

    def test_normal_complaint_goes_to_the_team(self):
        """The baseline the sensitive tests compare with."""
        complaint = self._register(self.agent, sensitive=False)
        self.assertEqual(complaint.team_id, self.team)
        self.assertIn(complaint.user_id, self.agent | self.agent2)
        self.assertIn(complaint.user_id.partner_id,
                      complaint.message_partner_ids)

    def test_agent_registers_sensitive_complaint(self):
        complaint = self._register(self.agent, sensitive=True)
        self.assertTrue(complaint.sensitive)
        self.assertEqual(complaint.create_uid, self.agent)
        self.assertEqual(complaint.user_id, self.complaint_manager)
        self.assertFalse(complaint.message_partner_ids & self.staff)
        self.assertIn(self.owner, complaint.message_partner_ids)
        self.assertFalse(self._staff_mails(complaint))
        self.assertFalse(self.env["property.complaint"].sudo(
            self.agent).search([("id", "=", complaint.id)]))

    def test_manager_registers_sensitive_complaint(self):
        complaint = self._register(self.complaint_manager, sensitive=True)
        self.assertEqual(complaint.user_id, self.complaint_manager)
        self.assertFalse(complaint.message_partner_ids & self.staff)

    def test_team_leader_who_manages_gets_it(self):
        self.leader.groups_id = [(4, self.group_complaint_manager.id)]
        complaint = self._register(self.agent, sensitive=True)
        self.assertEqual(complaint.user_id, self.leader)

    def test_no_agent_can_be_assigned(self):
        with self.assertRaises(UserError):
            self._register(self.complaint_manager, sensitive=True,
                           user_id=self.agent.id)
        complaint = self._register(self.complaint_manager, sensitive=True)
        with self.assertRaises(UserError):
            complaint.sudo(self.complaint_manager).write(
                {"user_id": self.agent2.id})
        self.assertEqual(complaint.user_id, self.complaint_manager)
        with self.assertRaises(UserError):
            self.env["mail.activity"].sudo(self.complaint_manager).create({
                "res_model_id": self.env["ir.model"]._get(
                    "property.complaint").id,
                "res_id": complaint.id, "user_id": self.agent.id,
                "activity_type_id": self.env.ref(
                    "mail.mail_activity_data_todo").id,
                "summary": "Look at it"})

    def test_mentioning_an_agent_notifies_nobody(self):
        complaint = self._register(self.complaint_manager, sensitive=True)
        complaint.sudo(self.complaint_manager).with_context(
            **MAIL_ON).message_post(
                body="Ask Agent One what happened.", message_type="comment",
                subtype="mail.mt_comment",
                partner_ids=[self.agent.partner_id.id])
        self.assertFalse(self._staff_mails(complaint))
        complaint.sudo(self.complaint_manager).message_subscribe(
            partner_ids=self.staff.ids)
        self.assertFalse(complaint.message_partner_ids & self.staff)

    def test_sla_activities_go_to_managers(self):
        complaint = self._register(self.agent, sensitive=True,
                                   team_id=self.team.id)
        complaint._sla_escalate(self.utc(mon(17, 0)))
        complaint._sla_escalate(self.utc(mon(23, 0)))
        users = self._activity_users(complaint)
        self.assertTrue(users)
        self.assertFalse(users & (self.agent | self.agent2 | self.leader))

    def test_followup_by_a_manager(self):
        complaint = self._register(self.agent, sensitive=True)
        complaint.write({"resolution_summary": "Apologised; guard trained."})
        complaint.with_context(sla_now=self.utc(mon(11, 0))).action_resolve()
        self.assertEqual(complaint.followup_state, "pending")
        self.assertTrue(complaint.followup_user_id)
        self.assertTrue(complaint.followup_user_id.has_group(
            "property_complaint.group_complaint_manager"))
        self.assertNotEqual(complaint.followup_user_id, complaint.user_id)
        self.assertFalse(self._activity_users(complaint) & (
            self.agent | self.agent2 | self.leader))

    def test_flagging_later_removes_the_agents(self):
        complaint = self._register(self.agent, sensitive=False)
        agent = complaint.user_id
        complaint.sudo().message_subscribe(partner_ids=self.staff.ids)
        complaint._schedule_sla_activity(
            self.leader, "Look at it", "Note", mon(12, 0).date())
        self.assertTrue(complaint.message_partner_ids & self.staff)
        complaint.sudo(agent).with_context(**MAIL_ON).write(
            {"sensitive": True})
        complaint.invalidate_cache()
        self.assertTrue(complaint.sensitive)
        self.assertEqual(complaint.user_id, self.complaint_manager)
        self.assertFalse(complaint.message_partner_ids & self.staff)
        self.assertIn(self.owner, complaint.message_partner_ids)
        self.assertEqual(self._activity_users(complaint),
                         self.complaint_manager)
