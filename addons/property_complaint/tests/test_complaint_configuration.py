# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests.common import SavepointCase

from odoo.addons.property_billing.tests.common import (
    NO_MAIL_CONTEXT,
    load_suite_language,
)

# The nine areas shipped as data, by XML id suffix.
AREAS = ("sanitation", "security", "repair", "greenery", "parking", "noise",
         "fees", "attitude", "other")


class TestComplaintConfiguration(SavepointCase):
    """Groups, the shipped category tree and stages, and who may change them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **NO_MAIL_CONTEXT))
        cls.group_user = cls.env.ref("property_complaint.group_complaint_user")
        cls.group_manager = cls.env.ref(
            "property_complaint.group_complaint_manager")
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        internal = cls.env.ref("base.group_user")
        cls.agent = Users.create({
            "name": "Test Agent",
            "login": "property_test_agent",
            "email": "test.agent@example.com",
            "groups_id": [(6, 0, [internal.id, cls.group_user.id])],
        })
        cls.complaint_manager = Users.create({
            "name": "Test Complaint Manager",
            "login": "property_test_complaint_manager",
            "email": "test.complaint.manager@example.com",
            "groups_id": [(6, 0, [internal.id, cls.group_manager.id])],
        })
        cls.Category = cls.env["property.complaint.category"]
        cls.Stage = cls.env["property.complaint.stage"]

    def _ref(self, xmlid):
        return self.env.ref("property_complaint.%s" % xmlid)

    # -- groups ------------------------------------------------------------

    def test_manager_implies_user(self):
        self.assertIn(self.group_user, self.group_manager.implied_ids)
        self.assertTrue(
            self.complaint_manager.has_group(
                "property_complaint.group_complaint_user"))
        self.assertFalse(
            self.agent.has_group("property_complaint.group_complaint_manager"))

    def test_groups_in_property_category(self):
        category = self.env.ref("property_billing.module_category_property")
        self.assertEqual(self.group_user.category_id, category)
        self.assertEqual(self.group_manager.category_id, category)

    # -- categories ----------------------------------------------------------

    def test_category_tree_has_two_levels(self):
        areas = self.Category.search([("parent_id", "=", False)])
        for key in AREAS:
            area = self._ref("complaint_category_%s" % key)
            self.assertIn(area, areas)
            self.assertGreaterEqual(len(area.child_ids), 2, area.name)
            self.assertLessEqual(len(area.child_ids), 4, area.name)
            self.assertFalse(area.child_ids.mapped("child_ids"))
        elevators = self._ref("complaint_category_repair_elevator")
        self.assertEqual(elevators.parent_id,
                         self._ref("complaint_category_repair"))
        self.assertEqual(elevators.complete_name, "Repairs / Elevators")
        self.assertEqual(elevators.display_name, "Repairs / Elevators")

    def test_category_list_follows_the_tree(self):
        categories = self.Category.search([])
        repair = self._ref("complaint_category_repair")
        position = list(categories).index(repair)
        following = categories[position + 1:position + 1 + len(repair.child_ids)]
        self.assertEqual(set(following.ids), set(repair.child_ids.ids))

    def test_category_names_in_chinese(self):
        load_suite_language(self.env, "zh_CN")
        elevators = self._ref("complaint_category_repair_elevator").with_context(
            lang="zh_CN")
        self.assertEqual(elevators.name, "电梯")
        self.assertEqual(elevators.complete_name, "维修 / 电梯")

    def test_category_third_level_refused(self):
        elevators = self._ref("complaint_category_repair_elevator")
        with self.assertRaises(ValidationError):
            self.Category.create({"name": "Lift 3", "parent_id": elevators.id})

    def test_category_loop_refused(self):
        repair = self._ref("complaint_category_repair")
        with self.assertRaises(ValidationError):
            repair.parent_id = repair

    def test_agent_reads_but_cannot_change_categories(self):
        repair = self._ref("complaint_category_repair").sudo(self.agent)
        self.assertEqual(repair.name, "Repairs")
        with self.assertRaises(AccessError):
            repair.write({"name": "Fixes"})
        with self.assertRaises(AccessError):
            self.Category.sudo(self.agent).create({"name": "Pets"})

    def test_manager_creates_category(self):
        pets = self.Category.sudo(self.complaint_manager).create({
            "name": "Pets",
            "parent_id": self._ref("complaint_category_other").id,
        })
        self.assertEqual(pets.complete_name, "Other / Pets")

    # -- stages -----------------------------------------------------------------

    def test_stages_shipped_in_order(self):
        xmlids = ["new", "accepted", "in_progress", "waiting_owner",
                  "resolved", "followup", "closed", "reopened"]
        stages = self.Stage.browse(
            [self._ref("complaint_stage_%s" % x).id for x in xmlids])
        self.assertEqual(stages.sorted(), stages)
        self.assertEqual(
            stages.filtered("is_closed"), self._ref("complaint_stage_closed"))

    def test_agent_cannot_create_stage(self):
        with self.assertRaises(AccessError):
            self.Stage.sudo(self.agent).create({"name": "Escalated"})
        with self.assertRaises(AccessError):
            self._ref("complaint_stage_new").sudo(self.agent).write(
                {"fold": True})

    def test_manager_creates_stage(self):
        stage = self.Stage.sudo(self.complaint_manager).create(
            {"name": "Escalated", "sequence": 35})
        self.assertEqual(stage.name, "Escalated")
        self.assertFalse(stage.is_closed)
