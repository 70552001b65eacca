# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError

from odoo.addons.property_billing.tests.common import PropertyCase


class TestPortalAccess(PropertyCase):
    """Record rules: a portal owner reads their own units only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls._create_portal_user(cls.owner)
        cls.other_owner = cls._create_owner()
        cls.other_unit = cls._create_unit()
        cls.other_occupancy = cls._create_occupancy(
            unit_id=cls.other_unit.id, partner_id=cls.other_owner.id)

    def test_portal_user_reads_own_unit(self):
        unit = self.unit.sudo(self.portal_user)
        self.assertEqual(unit.read(["code"])[0]["code"], self.unit.code)
        self.assertEqual(unit.estate_id.sudo(self.portal_user).name,
                         self.estate.name)

    def test_portal_user_cannot_read_other_unit(self):
        with self.assertRaises(AccessError):
            self.other_unit.sudo(self.portal_user).read(["code"])
        with self.assertRaises(AccessError):
            self.other_occupancy.sudo(self.portal_user).read(["partner_id"])

    def test_portal_user_searches_own_units_only(self):
        units = self.env["property.unit"].sudo(self.portal_user).search([])
        self.assertEqual(units, self.unit)

    def test_portal_user_cannot_write_own_unit(self):
        with self.assertRaises(AccessError):
            self.unit.sudo(self.portal_user).write({"area": 1.0})
