# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The escalation ladder with a fixed clock: assignee warned, team leader
activity at breach, manager past the second threshold; never repeated."""
from datetime import datetime

from odoo.exceptions import UserError

from .common_sla import FRI_17, SlaCase, mon, tue


class TestEscalation(SlaCase):
    """Reported Friday 17:00, response 4 h / resolution 8 h in office hours:
    response warning Monday 10:30, breach after 11:30, escalation after 15:00;
    resolution warning Monday 15:00, breach after 17:00, escalation after
    Tuesday 11:30."""

    def setUp(self):
        super().setUp()
        self.complaint = self.complaint_at(FRI_17)

    def escalate(self, local):
        return self.complaint._sla_escalate(self.utc(local))

    def steps(self, taken):
        return [(step.clock, step.step) for _id, step in taken]

    def notes(self, text):
        return self.complaint.message_ids.filtered(
            lambda message: text in (message.body or ""))

    def test_nothing_before_the_warning_share(self):
        self.assertEqual(self.escalate(mon(10, 0)), [])
        self.assertFalse(self.activities(self.complaint))
        self.assertEqual(self.complaint.sla_status, "ok")

    def test_warning_warns_the_assignee_once(self):
        taken = self.escalate(mon(10, 30))
        self.assertEqual(self.steps(taken), [("response", "warn_assignee")])
        activity = self.activities(self.complaint, self.agent)
        self.assertEqual(len(activity), 1)
        self.assertIn("Time limit approaching", activity.summary)
        self.assertEqual(len(self.notes("SLA warning")), 1)
        self.assertEqual(self.complaint.response_status, "warning")
        # the cron runs again: nothing new
        self.assertEqual(self.escalate(mon(11, 0)), [])
        self.assertEqual(len(self.activities(self.complaint)), 1)
        self.assertEqual(len(self.notes("SLA warning")), 1)

    def test_breach_gives_the_team_leader_an_activity(self):
        self.escalate(mon(10, 30))
        taken = self.escalate(mon(11, 31))
        self.assertEqual(self.steps(taken), [("response", "leader_activity")])
        activity = self.activities(self.complaint, self.leader)
        self.assertEqual(len(activity), 1)
        self.assertIn("breached", activity.summary)
        self.assertEqual(len(self.notes("SLA breached")), 1)
        self.assertFalse(self.complaint.escalated)
        self.assertEqual(self.escalate(mon(12, 0)), [])

    def test_second_threshold_escalates_to_the_manager(self):
        self.escalate(mon(10, 30))
        self.escalate(mon(11, 31))
        taken = self.escalate(mon(15, 1))
        # the response clock escalates; the resolution clock reaches its
        # warning at 15:00 too
        self.assertEqual(self.steps(taken), [
            ("response", "escalate_manager"), ("resolution", "warn_assignee")])
        self.assertTrue(self.complaint.escalated)
        self.assertEqual(self.complaint.escalation_user_id, self.complaint_manager)
        self.assertEqual(self.complaint.sla_status, "escalated")
        self.assertEqual(
            len(self.activities(self.complaint, self.complaint_manager)), 1)
        self.assertEqual(len(self.notes("Escalated to")), 1)
        # the manager may reassign
        self.complaint.sudo(self.complaint_manager).write(
            {"user_id": self.agent2.id})
        self.assertEqual(self.complaint.user_id, self.agent2)
        self.assertEqual(self.escalate(mon(15, 30)), [])

    def test_cron_down_gets_every_step_in_order(self):
        taken = self.complaint._cron_escalate(self.utc(tue(12, 0)))
        mine = [(step.clock, step.step) for cid, step in taken
                if cid == self.complaint.id]
        self.assertEqual(mine, [
            ("response", "warn_assignee"),
            ("response", "leader_activity"),
            ("response", "escalate_manager"),
            ("resolution", "warn_assignee"),
            ("resolution", "leader_activity"),
            ("resolution", "escalate_manager"),
        ])
        self.assertEqual(len(self.notes("Escalated to")), 2)
        again = self.complaint._cron_escalate(self.utc(tue(12, 0)))
        self.assertFalse([1 for cid, _step in again
                          if cid == self.complaint.id])

    def test_accepted_complaint_does_not_escalate_its_response(self):
        self.complaint.write({"date_accepted": self.utc_str(mon(9, 0))})
        taken = self.escalate(mon(15, 1))
        self.assertEqual(self.steps(taken), [("resolution", "warn_assignee")])

    def test_paused_complaint_does_not_escalate(self):
        self.at(self.complaint, mon(9, 0)).action_wait_owner()
        self.assertEqual(self.escalate(tue(17, 0)), [])

    def test_closed_complaint_is_not_measured_by_the_cron(self):
        self.complaint.write({"resolution_summary": "Fixed."})
        self.complaint.action_resolve()
        self.complaint.write({"followup_required": False})
        self.complaint.action_close()
        taken = self.complaint._cron_escalate(self.utc(tue(12, 0)))
        self.assertFalse([1 for cid, _step in taken
                          if cid == self.complaint.id])

    def test_manual_escalation_skips_the_lower_rungs(self):
        self.at(self.complaint, mon(9, 0)).action_escalate()
        self.assertTrue(self.complaint.escalated)
        taken = self.escalate(mon(11, 31))
        self.assertEqual(self.steps(taken), [])
        self.complaint.write({"resolution_summary": "Fixed."})
        self.complaint.action_resolve()
        self.complaint.write({"followup_required": False})
        self.complaint.action_close()
        with self.assertRaises(UserError):
            self.complaint.action_escalate()

    def test_reopen_restarts_the_resolution_ladder(self):
        self.escalate(tue(12, 0))
        self.complaint.write({"resolution_summary": "Fixed."})
        self.at(self.complaint, tue(12, 0)).action_resolve()
        self.at(self.complaint, tue(13, 30)).action_reopen()
        done = self.complaint._escalation_steps_done()
        self.assertNotIn(("resolution", "warn_assignee"), done)
        self.assertIn(("response", "escalate_manager"), done)
        # 6 h of the restarted 8 h clock: Tuesday 13:30 + 4.5 h + 1.5 h
        taken = self.escalate(datetime(2026, 3, 11, 10, 0))
        self.assertEqual(self.steps(taken), [("resolution", "warn_assignee")])
