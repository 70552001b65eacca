# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared base for the complaint tests: PropertyCase's estate, unit and owner
plus complaint users (two agents, a manager), a team and complaint factories.
No demo data: everything is built here."""
from unittest import mock

from odoo.addons.property_billing.tests.common import PropertyCase


class ComplaintCase(PropertyCase):
    """``self.agent`` and ``self.agent2`` (customer service), ``self.leader``
    (customer service, leads ``self.team``), ``self.complaint_manager``;
    ``self.team`` has the two agents as members (round-robin)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group_complaint_user = cls.env.ref(
            "property_complaint.group_complaint_user")
        cls.group_complaint_manager = cls.env.ref(
            "property_complaint.group_complaint_manager")
        cls.agent = cls._create_user(
            "agent", [cls.group_complaint_user.id], name="Agent One")
        cls.agent2 = cls._create_user(
            "agent2", [cls.group_complaint_user.id], name="Agent Two")
        cls.leader = cls._create_user(
            "leader", [cls.group_complaint_user.id], name="Team Leader")
        cls.complaint_manager = cls._create_user(
            "cmanager", [cls.group_complaint_manager.id],
            name="Complaint Manager")
        cls.Complaint = cls.env["property.complaint"]
        # Assignment rules of the database (demo data) must not route the
        # test complaints: each test makes the rules it needs.
        cls.env["property.complaint.assignment.rule"].search([]).write(
            {"active": False})
        cls.team = cls._create_team()
        cls.category_repair = cls.env.ref(
            "property_complaint.complaint_category_repair")
        cls.category_elevator = cls.env.ref(
            "property_complaint.complaint_category_repair_elevator")
        cls.category_noise = cls.env.ref(
            "property_complaint.complaint_category_noise_renovation")

    @classmethod
    def _create_team(cls, **overrides):
        vals = {
            "name": "Team %d" % cls._next(),
            "leader_id": cls.leader.id,
            "member_ids": [(6, 0, [cls.agent.id, cls.agent2.id])],
            "assignment_method": "round_robin",
        }
        vals.update(overrides)
        return cls.env["property.complaint.team"].create(vals)

    @classmethod
    def _create_complaint(cls, **overrides):
        vals = {
            "partner_id": cls.owner.id,
            "description": "The elevator is out of order.",
            "channel": "phone",
            "category_id": cls.env.ref(
                "property_complaint.complaint_category_repair_elevator").id,
        }
        vals.update(overrides)
        return cls.env["property.complaint"].create(vals)

    def _stage(self, code):
        return self.env.ref("property_complaint.complaint_stage_%s" % code)

    def _followup_done(self, done=True):
        """Context manager: the follow-up visit counts as ``done`` (closing
        is tested here without the follow-up part of the module)."""
        return mock.patch.object(
            type(self.env["property.complaint"]), "_followup_done",
            new=lambda complaint: done)

    def _close(self, complaint):
        with self._followup_done():
            complaint.write({"stage_id": self._stage("closed").id})
