# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Portal record rules follow the occupancy dates: an owner reads the units,
buildings and estates they hold today; a former owner keeps their own
occupancy history and their own bills, not the unit."""
import datetime

from odoo import fields
from odoo.exceptions import AccessError

from odoo.addons.property_billing.tests.common import PropertyCase, load_migration

OLD_UNIT_DOMAIN = ("[('occupancy_ids.partner_id', 'child_of', "
                   "[user.commercial_partner_id.id])]")


class TestPortalFormerOwner(PropertyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # days around today, far enough from it for any time zone
        today = fields.Date.from_string(fields.Date.today())
        cls.sold_on = fields.Date.to_string(today - datetime.timedelta(days=10))
        cls.bought_on = fields.Date.to_string(today - datetime.timedelta(days=9))
        cls.starts_on = fields.Date.to_string(today + datetime.timedelta(days=10))
        # the former owner sold everything he had in another estate
        cls.old_estate = cls._create_estate()
        cls.old_building = cls._create_building(estate_id=cls.old_estate.id)
        cls.sold_unit = cls._create_unit(estate_id=cls.old_estate.id,
                                         building_id=cls.old_building.id)
        cls.seller = cls._create_owner()
        cls.sold = cls._create_occupancy(
            unit_id=cls.sold_unit.id, partner_id=cls.seller.id,
            date_from="2015-01-01", date_to=cls.sold_on)
        cls.buyer = cls._create_owner()
        cls._create_occupancy(unit_id=cls.sold_unit.id, partner_id=cls.buyer.id,
                              date_from=cls.bought_on)
        cls.seller_user = cls._create_portal_user(cls.seller, login="former_owner")
        cls.buyer_user = cls._create_portal_user(cls.buyer, login="new_owner")
        cls.owner_user = cls._create_portal_user(cls.owner, login="current_owner")
        # an owner whose purchase starts in ten days
        cls.future_unit = cls._create_unit()
        cls.future_owner = cls._create_owner()
        cls._create_occupancy(unit_id=cls.future_unit.id,
                              partner_id=cls.future_owner.id,
                              date_from=cls.starts_on)
        cls.future_user = cls._create_portal_user(
            cls.future_owner, login="future_owner")

    def _readable(self, user, records):
        return records.sudo(user).search([("id", "in", records.ids)])

    def test_former_owner_no_longer_reads_unit_building_estate(self):
        for records in (self.sold_unit, self.old_building, self.old_estate):
            self.assertFalse(self._readable(self.seller_user, records),
                             records._name)
            with self.assertRaises(AccessError, msg=records._name):
                records.sudo(self.seller_user).read(["name"])

    def test_former_owner_keeps_own_occupancy_history(self):
        self.assertEqual(self._readable(self.seller_user, self.sold), self.sold)
        self.assertEqual(self.sold.sudo(self.seller_user).date_to, self.sold_on)

    def test_current_owners_read_their_unit_building_estate(self):
        for user, unit in ((self.buyer_user, self.sold_unit),
                           (self.owner_user, self.unit)):
            self.assertEqual(self._readable(user, unit), unit)
            self.assertEqual(self._readable(user, unit.building_id),
                             unit.building_id)
            self.assertEqual(self._readable(user, unit.estate_id),
                             unit.estate_id)
            self.assertEqual(
                self.env["property.unit"].sudo(user).search([]), unit)

    def test_future_owner_does_not_read_the_unit_yet(self):
        self.assertFalse(self._readable(self.future_user, self.future_unit))
        self.assertFalse(self.env["property.unit"].sudo(self.future_user)
                         .search([]))

    def test_former_owner_keeps_own_bills(self):
        invoice = self.env["account.invoice"].create({
            "partner_id": self.seller.id, "type": "out_invoice",
            "property_unit_id": self.sold_unit.id, "billing_period": "2019-12",
        })
        invoice.message_subscribe(partner_ids=self.seller.ids)
        mine = self.env["account.invoice"].sudo(self.seller_user).search(
            [("id", "=", invoice.id)])
        self.assertEqual(mine, invoice)
        self.assertEqual(mine.partner_id, self.seller)

    def test_migration_rewrites_reverted_portal_rules(self):
        rule = self.env.ref("property_portal.property_unit_rule_portal")
        rule.write({"domain_force": OLD_UNIT_DOMAIN})
        self.assertTrue(self._readable(self.seller_user, self.sold_unit))
        migration = load_migration("property_portal", "11.0.1.1.0")
        migration.migrate(self.env.cr, "11.0.1.0.0")
        rule.invalidate_cache()
        self.assertIn("current_partner_id", rule.domain_force)
        self.assertFalse(self._readable(self.seller_user, self.sold_unit))
        self.assertEqual(self._readable(self.buyer_user, self.sold_unit),
                         self.sold_unit)
