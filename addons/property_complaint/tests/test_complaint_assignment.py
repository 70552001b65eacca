# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError

from .common_complaint import ComplaintCase


class TestComplaintAssignment(ComplaintCase):
    """Assignment rules pick the team (first match by sequence), the team's
    method picks the member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["property.complaint.assignment.rule"]
        cls.repair_team = cls._create_team(name="Repairs")
        cls.estate_team = cls._create_team(name="Estate desk")
        cls.building_team = cls._create_team(name="Building desk")
        cls.other_estate = cls._create_estate()

    def _rule(self, **vals):
        vals.setdefault("name", "Rule")
        return self.Rule.create(vals)

    def test_no_rule_no_team(self):
        complaint = self._create_complaint()
        self.assertFalse(complaint.team_id)
        self.assertFalse(complaint.user_id)

    def test_category_rule_matches_sub_categories(self):
        self._rule(category_id=self.category_repair.id,
                   team_id=self.repair_team.id)
        complaint = self._create_complaint(
            category_id=self.category_elevator.id)
        self.assertEqual(complaint.team_id, self.repair_team)
        noise = self._create_complaint(category_id=self.category_noise.id)
        self.assertFalse(noise.team_id)

    def test_first_match_by_sequence_wins(self):
        self._rule(sequence=20, category_id=self.category_repair.id,
                   team_id=self.repair_team.id)
        self._rule(sequence=10, estate_id=self.estate.id,
                   team_id=self.estate_team.id)
        complaint = self._create_complaint()
        self.assertEqual(complaint.team_id, self.estate_team)

    def test_estate_and_building_criteria(self):
        self._rule(sequence=5, estate_id=self.other_estate.id,
                   team_id=self.estate_team.id)
        self._rule(sequence=10, building_id=self.building.id,
                   estate_id=self.estate.id, team_id=self.building_team.id)
        complaint = self._create_complaint()
        self.assertEqual(complaint.team_id, self.building_team)
        other_building = self._create_building()
        elsewhere = self._create_complaint(
            unit_id=self._create_unit(building_id=other_building.id).id)
        self.assertFalse(elsewhere.team_id)

    def test_given_team_kept(self):
        self._rule(category_id=self.category_repair.id,
                   team_id=self.repair_team.id)
        complaint = self._create_complaint(team_id=self.estate_team.id)
        self.assertEqual(complaint.team_id, self.estate_team)
        self.assertIn(complaint.user_id, self.estate_team.member_ids)

    def test_rule_building_outside_estate_refused(self):
        other_building = self._create_building(estate_id=self.other_estate.id)
        with self.assertRaises(ValidationError):
            self._rule(estate_id=self.estate.id,
                       building_id=other_building.id,
                       team_id=self.repair_team.id)

    def test_round_robin(self):
        self._rule(team_id=self.repair_team.id)
        users = [self._create_complaint().user_id for _i in range(5)]
        self.assertEqual(users, [self.agent, self.agent2, self.agent,
                                 self.agent2, self.agent])
        self.assertEqual(self.repair_team.last_assigned_user_id, self.agent)

    def test_round_robin_skips_archived_member(self):
        self._rule(team_id=self.repair_team.id)
        agent3 = self._create_user(
            "agent3", [self.group_complaint_user.id])
        self.repair_team.member_ids |= agent3
        self.assertEqual(self._create_complaint().user_id, self.agent)
        self.agent2.active = False
        self.assertEqual(self._create_complaint().user_id, agent3)
        self.assertEqual(self._create_complaint().user_id, self.agent)

    def test_least_loaded(self):
        self.repair_team.assignment_method = "least_loaded"
        self._rule(team_id=self.repair_team.id)
        # agent already has two open complaints, agent2 one closed one.
        self._create_complaint(team_id=self.estate_team.id,
                               user_id=self.agent.id)
        self._create_complaint(team_id=self.estate_team.id,
                               user_id=self.agent.id)
        done = self._create_complaint(team_id=self.estate_team.id,
                                      user_id=self.agent2.id,
                                      resolution_summary="Done.")
        self._close(done)
        first = self._create_complaint()
        self.assertEqual(first.user_id, self.agent2)
        second = self._create_complaint()
        self.assertEqual(second.user_id, self.agent2)
        # 2 each now: a tie goes to the first member.
        self.assertEqual(self._create_complaint().user_id, self.agent)

    def test_manual_leaves_assignee_empty(self):
        self.repair_team.assignment_method = "manual"
        self._rule(team_id=self.repair_team.id)
        complaint = self._create_complaint()
        self.assertEqual(complaint.team_id, self.repair_team)
        self.assertFalse(complaint.user_id)

    def test_agent_registering_triggers_assignment(self):
        self._rule(team_id=self.repair_team.id)
        complaint = self.Complaint.sudo(self.agent).create({
            "partner_id": self.owner.id,
            "description": "Phone call: the lift is noisy.",
        })
        self.assertEqual(complaint.team_id, self.repair_team)
        self.assertEqual(complaint.user_id, self.agent)

    def test_action_assign_on_unassigned(self):
        complaint = self._create_complaint()
        self.assertFalse(complaint.team_id)
        self._rule(team_id=self.repair_team.id)
        complaint.action_assign()
        self.assertEqual(complaint.team_id, self.repair_team)
        self.assertEqual(complaint.user_id, self.agent)
