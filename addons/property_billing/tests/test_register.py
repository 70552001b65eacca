# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import PropertyCase


class TestRegister(PropertyCase):
    """Estates, buildings and units: constraints, names, navigation."""

    def _refused(self, exception, func, *args, **kwargs):
        """Run ``func`` in a savepoint, assert it raises ``exception`` and
        return the exception (the savepoint undoes any partial write)."""
        with self.assertRaises(exception) as caught, self.cr.savepoint():
            func(*args, **kwargs)
        self.env.cache.invalidate()
        return caught.exception

    def _units_with_code(self, code):
        return self.env["property.unit"].search([("code", "=", code)])

    # -- units ----------------------------------------------------------------

    def test_unit_name_combines_estate_and_unit_code(self):
        unit = self._create_unit(code="3-2-1502")
        self.assertEqual(unit.name, "%s 3-2-1502" % self.estate.code)
        self.estate.code = "GGX"
        self.assertEqual(unit.name, "GGX 3-2-1502")
        self.assertEqual(unit.company_id, self.company)

    def test_unit_area_must_be_positive(self):
        for area in (0.0, -12.5):
            error = self._refused(
                ValidationError, self._create_unit, code="Z-%s" % area,
                area=area, inner_area=0.0)
            self.assertIn("must be greater than 0", error.name)
            self.assertFalse(self._units_with_code("Z-%s" % area))

    def test_unit_area_write_refused_keeps_old_value(self):
        error = self._refused(ValidationError, self.unit.write, {"area": 0.0})
        self.assertIn(self.unit.code, error.name)
        self.assertEqual(self.unit.area, 89.50)

    def test_unit_inner_area_bounds(self):
        error = self._refused(
            ValidationError, self._create_unit, code="Z-1", area=80.0,
            inner_area=80.01)
        self.assertIn("cannot exceed its building area", error.name)
        self.assertFalse(self._units_with_code("Z-1"))
        error = self._refused(
            ValidationError, self._create_unit, code="Z-2", inner_area=-1.0)
        self.assertIn("inner area", error.name)
        self.assertFalse(self._units_with_code("Z-2"))
        # shrinking the building area below the inner area is refused too
        self._refused(ValidationError, self.unit.write, {"area": 70.0})
        self.assertEqual(self.unit.area, 89.50)
        # equal areas and no inner area at all are fine
        self.assertEqual(self._create_unit(code="Z-3", area=60.0,
                                           inner_area=60.0).inner_area, 60.0)
        self.assertFalse(self._create_unit(code="Z-4", inner_area=0.0).inner_area)

    @mute_logger("odoo.sql_db")
    def test_unit_code_unique_per_estate(self):
        error = self._refused(IntegrityError, self._create_unit, code=self.unit.code)
        self.assertIn("property_unit_code_estate_uniq", str(error))
        self.assertEqual(len(self._units_with_code(self.unit.code)), 1)
        # the same code in another estate is another unit
        other = self._create_estate()
        twin = self._create_unit(code=self.unit.code, estate_id=other.id)
        self.assertEqual(len(self._units_with_code(self.unit.code)), 2)
        self.assertFalse(twin.building_id)

    def test_unit_code_unique_message_is_translatable(self):
        constraints = dict(
            (name, message) for name, _definition, message
            in self.env["property.unit"]._sql_constraints)
        self.assertIn("unique in its estate", constraints["code_estate_uniq"])

    def test_unit_building_must_belong_to_estate(self):
        other = self._create_estate()
        foreign_building = self._create_building(estate_id=other.id)
        error = self._refused(
            ValidationError, self._create_unit, code="Z-5",
            building_id=foreign_building.id)
        self.assertIn(foreign_building.name, error.name)
        self.assertFalse(self._units_with_code("Z-5"))
        self._refused(ValidationError, self.unit.write,
                      {"building_id": foreign_building.id})
        self.assertEqual(self.unit.building_id, self.building)

    def test_unit_onchange_building_sets_estate(self):
        other = self._create_estate()
        foreign_building = self._create_building(estate_id=other.id)
        unit = self.env["property.unit"].new({
            "code": "N-1", "estate_id": self.estate.id, "area": 50.0,
            "building_id": foreign_building.id})
        unit._onchange_building_id()
        self.assertEqual(unit.estate_id, other)
        unit.estate_id = self.estate
        unit._onchange_estate_id()
        self.assertFalse(unit.building_id)

    def test_building_cannot_leave_its_units_behind(self):
        other = self._create_estate()
        self._refused(ValidationError, self.building.write,
                      {"estate_id": other.id})
        self.assertEqual(self.building.estate_id, self.estate)

    @mute_logger("odoo.sql_db")
    def test_estate_code_unique_per_company(self):
        error = self._refused(IntegrityError, self._create_estate,
                              code=self.estate.code)
        self.assertIn("property_estate_code_company_uniq", str(error))
        self.assertEqual(self.env["property.estate"].search_count(
            [("code", "=", self.estate.code)]), 1)

    def test_estate_defaults(self):
        self.assertEqual(self.estate.tz, "Asia/Shanghai")
        self.assertEqual(self.estate.company_id, self.company)
        self.assertEqual(self.estate.currency_id, self.company.currency_id)
        found = self.env["property.estate"].name_search(self.estate.code)
        self.assertEqual([r[0] for r in found], [self.estate.id])
        self.assertEqual(found[0][1], "[%s] %s" % (self.estate.code, self.estate.name))

    # -- navigation (smart buttons) ----------------------------------------------

    def test_estate_counts_and_buttons(self):
        second = self._create_building()
        vacant = self._create_unit(building_id=second.id, state="vacant")
        self._create_unit(estate_id=self._create_estate().id)  # elsewhere
        self.estate.invalidate_cache()
        self.assertEqual(self.estate.building_count, 2)
        self.assertEqual(self.estate.unit_count, 2)
        self.assertEqual(self.estate.occupied_count, 1)

        Unit = self.env["property.unit"]
        action = self.estate.action_view_units()
        self.assertEqual(action["res_model"], "property.unit")
        self.assertEqual(Unit.search(action["domain"]), self.unit | vacant)
        self.assertEqual(action["context"]["default_estate_id"], self.estate.id)
        action = self.estate.action_view_occupied_units()
        self.assertEqual(Unit.search(action["domain"]), self.unit)
        action = self.estate.action_view_buildings()
        self.assertEqual(self.env["property.building"].search(action["domain"]),
                         self.building | second)
        action = second.action_view_units()
        self.assertEqual(Unit.search(action["domain"]), vacant)
        self.assertEqual(second.unit_count, 1)

    def test_unit_occupancy_history_button(self):
        self.owner_occupancy.date_to = "2024-12-31"
        successor = self._create_occupancy(
            partner_id=self._create_owner().id, date_from="2025-01-01")
        action = self.unit.action_view_occupancies()
        self.assertEqual(action["res_model"], "property.occupancy")
        self.assertEqual(self.env["property.occupancy"].search(action["domain"]),
                         self.owner_occupancy | successor)
        self.assertEqual(self.unit.occupancy_count, 2)

    def test_partner_units_button(self):
        second = self._create_unit()
        self._create_occupancy(unit_id=second.id, role="payer")
        # a tenancy does not count as a unit of the partner
        self._create_occupancy(unit_id=self._create_unit().id, role="tenant")
        self.assertEqual(self.owner.property_unit_count, 2)
        action = self.owner.action_view_property_units()
        self.assertEqual(self.env["property.unit"].search(action["domain"]),
                         self.unit | second)
        stranger = self._create_owner()
        self.assertEqual(stranger.property_unit_count, 0)

    def test_owner_action_lists_partners_with_occupancies(self):
        action = self.env.ref("property_billing.res_partner_property_owner_action")
        partners = self.env["res.partner"].search(safe_eval(action.domain))
        self.assertIn(self.owner, partners)
        self.assertNotIn(self._create_owner(), partners)

    def test_unit_current_owner_and_payer(self):
        self.assertEqual(self.unit.owner_ids, self.owner)
        self.assertEqual(self.unit.payer_id, self.owner)
        found = self.env["property.unit"].search(
            [("owner_ids", "ilike", self.owner.name)])
        self.assertEqual(found, self.unit)
        # an owner who left is no longer a current owner
        self.owner_occupancy.date_to = "2021-12-31"
        self.unit.invalidate_cache()
        self.assertFalse(self.unit.owner_ids)
        self.assertFalse(self.unit.payer_id)
        self.assertFalse(self.env["property.unit"].search(
            [("owner_ids", "ilike", self.owner.name)]))

    def test_views_load(self):
        """Every view of the register renders for a billing clerk."""
        for model in ("property.estate", "property.building", "property.unit",
                      "property.occupancy"):
            Model = self.env[model].sudo(self.clerk)
            for view_type in ("form", "tree", "search"):
                arch = Model.fields_view_get(view_type=view_type)["arch"]
                self.assertTrue(arch)
        for model, view_type in (("property.estate", "kanban"),
                                 ("property.unit", "kanban"),
                                 ("property.unit", "pivot"),
                                 ("property.occupancy", "pivot")):
            view = self.env.ref("property_billing.%s_view_%s" % (
                model.replace(".", "_"), view_type))
            arch = self.env[model].sudo(self.clerk).fields_view_get(
                view_id=view.id, view_type=view_type)["arch"]
            self.assertIn(view_type, arch)
        arch = self.env["res.partner"].sudo(self.clerk).fields_view_get(
            view_type="form")["arch"]
        self.assertIn("property_occupancy_ids", arch)
        self.assertIn("property_unit_count", arch)
