# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError

from .common import PropertyCase


class TestAccess(PropertyCase):
    """Who may see and change the register."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = cls._create_user("employee", [], name="Plain Employee")
        cls.accountant = cls._create_user(
            "accountant", [cls.env.ref("account.group_account_invoice").id])
        cls.other_company = cls.env["res.company"].create({"name": "Other Property Co"})
        cls.outsider = cls._create_user(
            "outsider", [cls.group_billing_manager.id], company=cls.other_company)

    def _refused(self, func, *args, **kwargs):
        with self.assertRaises(AccessError), self.cr.savepoint():
            func(*args, **kwargs)
        self.env.cache.invalidate()

    def test_clerk_creates_units_but_cannot_delete_or_create_estates(self):
        Unit = self.env["property.unit"].sudo(self.clerk)
        unit = Unit.create({"code": "9-9-0909", "estate_id": self.estate.id,
                            "building_id": self.building.id, "area": 75.0})
        unit.write({"state": "vacant"})
        self.env["property.occupancy"].sudo(self.clerk).create({
            "unit_id": unit.id, "partner_id": self.owner.id,
            "date_from": "2026-01-01"})
        self.assertEqual(unit.sudo().payer_id, self.owner)

        self._refused(self.estate.sudo(self.clerk).unlink)
        self.assertTrue(self.estate.exists())
        self._refused(self.env["property.estate"].sudo(self.clerk).create,
                      {"name": "Rogue", "code": "RG"})
        self.assertFalse(self.env["property.estate"].search([("code", "=", "RG")]))
        self._refused(unit.sudo(self.clerk).unlink)
        self.assertTrue(unit.exists())

    def test_manager_manages_estates(self):
        Estate = self.env["property.estate"].sudo(self.manager)
        estate = Estate.create({"name": "New Estate", "code": "NE"})
        self.assertEqual(estate.company_id, self.company)
        estate.unlink()
        self.assertFalse(estate.exists())
        self.assertTrue(self.group_billing_manager.implied_ids
                        & self.group_billing_user)
        self.assertTrue(self.manager.has_group("property_billing.group_billing_user"))

    def test_other_company_does_not_see_the_register(self):
        for model, record in (("property.estate", self.estate),
                              ("property.building", self.building),
                              ("property.unit", self.unit),
                              ("property.occupancy", self.owner_occupancy)):
            Model = self.env[model].sudo(self.outsider)
            self.assertFalse(Model.search([("id", "=", record.id)]), model)
            with self.assertRaises(AccessError):
                record.sudo(self.outsider).read(["company_id"])
        # ... and the other company's estate is invisible to our clerk
        theirs = self.env["property.estate"].sudo(self.outsider).create(
            {"name": "Their Estate", "code": self.estate.code})
        self.assertEqual(theirs.company_id, self.other_company)
        self.assertFalse(self.env["property.estate"].sudo(self.clerk).search(
            [("id", "=", theirs.id)]))
        self.assertTrue(self.env["property.estate"].sudo(self.clerk).search(
            [("id", "=", self.estate.id)]))

    def test_internal_user_reads_the_register_only(self):
        unit = self.unit.sudo(self.employee)
        self.assertEqual(unit.name, self.unit.name)
        self.assertEqual(unit.area, 89.50)
        self.assertEqual(unit.payer_id, self.owner)
        self.assertEqual(unit.estate_id.name, self.estate.name)
        self.assertEqual(unit.building_id.name, self.building.name)
        self._refused(unit.write, {"area": 1.0})
        self.assertEqual(self.unit.area, 89.50)
        self._refused(self.env["property.unit"].sudo(self.employee).create,
                      {"code": "X", "estate_id": self.estate.id, "area": 10.0})

    def test_accountant_reads_only(self):
        unit = self.unit.sudo(self.accountant)
        self.assertEqual(unit.occupancy_ids.partner_id, self.owner)
        self._refused(self.owner_occupancy.sudo(self.accountant).write,
                      {"share": 50.0})
        self.assertEqual(self.owner_occupancy.share, 100.0)

    def test_menus(self):
        root = self.env.ref("property_billing.menu_property_root")
        clerk_menus = self.env["ir.ui.menu"].sudo(self.clerk).search(
            [("id", "child_of", root.id)])
        self.assertIn(self.env.ref("property_billing.property_unit_menu"), clerk_menus)
        configuration = self.env.ref("property_billing.menu_property_configuration")
        self.assertEqual(configuration.groups_id, self.group_billing_manager)
        self.assertFalse(self.clerk.has_group("property_billing.group_billing_manager"))
        employee_menus = self.env["ir.ui.menu"].sudo(self.employee).search(
            [("id", "=", root.id)])
        self.assertFalse(employee_menus)
