# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The follow-up call (回访): planned at resolution for an agent who is not
the assignee, satisfaction recorded, low scores reopen to the team leader,
closure guarded, call-backs sampled deterministically."""
from odoo.exceptions import AccessError, UserError, ValidationError

from ..rules import sampling
from .common_sla import SlaCase, mon


class TestFollowup(SlaCase):

    def setUp(self):
        super().setUp()
        self.complaint = self.complaint_at()
        self.assertEqual(self.complaint.user_id, self.agent)
        self.complaint.write({"resolution_summary": "Elevator repaired."})

    def resolve(self, complaint=None):
        complaint = complaint or self.complaint
        self.at(complaint, mon(10, 0)).action_resolve()
        return complaint

    def call(self, user, reached, satisfaction=False, comment=False):
        complaint = self.complaint.sudo(user)
        complaint.write({"followup_reached": reached,
                         "satisfaction": satisfaction,
                         "satisfaction_comment": comment})
        return complaint.action_record_followup()

    def test_resolution_plans_a_call_back_by_another_agent(self):
        self.resolve()
        agent = self.complaint.followup_user_id
        self.assertTrue(agent)
        self.assertNotEqual(agent, self.complaint.user_id)
        self.assertIn(self.group_complaint_user, agent.groups_id)
        self.assertEqual(self.complaint.followup_state, "pending")
        self.assertEqual(self.complaint.followup_date, "2026-03-10")
        activity = self.activities(self.complaint, agent)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, "2026-03-10")

    def test_the_assignee_cannot_be_the_call_back_agent(self):
        self.resolve()
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.complaint.followup_user_id = self.agent
        self.complaint.invalidate_cache()
        with self.assertRaises(UserError):
            self.call(self.agent, True, "5")

    def test_call_back_agent_outside_the_team_sees_the_complaint(self):
        outsider = self._create_user(
            "desk", [self.group_complaint_user.id], name="Service Desk")
        self.resolve()
        with self.assertRaises(AccessError):
            self.complaint.sudo(outsider).read(["name"])
        self.complaint.followup_user_id = outsider
        self.complaint.sudo(outsider).read(["name"])
        self.call(outsider, True, "4")
        self.assertTrue(self.complaint.is_closed)

    def test_satisfied_owner_closes_the_complaint(self):
        self.resolve()
        agent = self.complaint.followup_user_id
        self.call(agent, True, "5", "Quick and polite.")
        self.assertEqual(self.complaint.followup_state, "done")
        self.assertEqual(self.complaint.followup_attempts, 1)
        self.assertEqual(self.complaint.stage_id, self._stage("closed"))
        self.assertFalse(self.activities(self.complaint, agent))
        self.assertTrue(self.complaint.message_ids.filtered(
            lambda m: "satisfaction 5/5" in (m.body or "")))

    def test_reached_without_score_is_refused(self):
        self.resolve()
        with self.assertRaises(UserError):
            self.call(self.complaint.followup_user_id, True)
        self.assertEqual(self.complaint.followup_attempts, 0)

    def test_low_score_reopens_to_the_team_leader(self):
        self.resolve()
        self.call(self.complaint.followup_user_id, True, "2", "Still noisy.")
        self.assertEqual(self.complaint.stage_id, self._stage("reopened"))
        self.assertEqual(self.complaint.user_id, self.leader)
        self.assertEqual(self.complaint.satisfaction, "2")
        self.assertEqual(self.complaint.followup_state, "none")
        self.assertEqual(len(self.activities(self.complaint, self.leader)), 1)
        # resolved again: a new call-back is planned, not by the leader
        self.resolve()
        self.assertEqual(self.complaint.followup_state, "pending")
        self.assertNotEqual(self.complaint.followup_user_id, self.leader)

    def test_score_three_does_not_reopen(self):
        self.resolve()
        self.call(self.complaint.followup_user_id, True, "3")
        self.assertEqual(self.complaint.stage_id, self._stage("closed"))

    def test_closing_needs_the_call_back(self):
        self.resolve()
        with self.assertRaises(UserError):
            self.complaint.action_close()
        self.assertEqual(self.complaint.stage_id, self._stage("resolved"))

    def test_closing_after_the_configured_failed_attempts(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "property_complaint.followup_max_attempts", "2")
        self.resolve()
        agent = self.complaint.followup_user_id
        self.call(agent, False)
        self.assertEqual(self.complaint.stage_id, self._stage("followup"))
        self.assertEqual(self.complaint.followup_state, "pending")
        with self.assertRaises(UserError):
            self.complaint.action_close()
        self.call(agent, False)
        self.assertEqual(self.complaint.followup_state, "failed")
        self.assertEqual(self.complaint.followup_failed_attempts, 2)
        self.complaint.action_close()
        self.assertTrue(self.complaint.is_closed)

    def test_no_call_back_when_sampled_out(self):
        self.env["property.complaint.sampling.rule"].create({
            "name": "No call-back for normal complaints",
            "severity": "normal", "percent": 0.0})
        self.resolve()
        self.assertFalse(self.complaint.followup_required)
        self.complaint.action_close()
        self.assertTrue(self.complaint.is_closed)

    def test_sampling_is_deterministic(self):
        self.env["property.complaint.sampling.rule"].create({
            "name": "20 % of normal complaints",
            "severity": "normal", "percent": 20.0})
        complaints = [self.complaint] + [self.complaint_at() for _i in range(9)]
        for complaint in complaints:
            complaint.write({"resolution_summary": "Done."})
            self.resolve(complaint)
            self.assertEqual(complaint.followup_required,
                             sampling.sampled(complaint.name, 20.0))
        critical = self.complaint_at(severity="critical",
                                     resolution_summary="Done.")
        self.resolve(critical)
        # no rule for critical complaints: always called back
        self.assertTrue(critical.followup_required)
