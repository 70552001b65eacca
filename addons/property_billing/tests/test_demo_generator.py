# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo register generator (property.demo.generator)."""
from odoo import fields

from odoo.addons.property_billing.rules import demo_estate

from .common import PropertyCase

UNITS = 150


class TestDemoGenerator(PropertyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generator = cls.env["property.demo.generator"]
        cls.result = cls.generator._generate(
            seed=7, units=UNITS, estates=2, code_prefix="TA"
        )
        cls.estates = cls.env["property.estate"].browse(cls.result["estate_ids"])
        cls.units = cls.env["property.unit"].search(
            [("estate_id", "in", cls.estates.ids)]
        )

    def _register(self, units):
        """Comparable content of a generated register, without record ids."""
        return sorted(
            (
                u.estate_id.name,
                u.building_id.name or "",
                u.code,
                u.floor,
                u.unit_type,
                round(u.area, 2),
                u.state,
                u.delivery_date or "",
                tuple(
                    sorted(
                        (
                            o.role,
                            o.partner_id.name,
                            o.partner_id.mobile,
                            o.date_from,
                            o.date_to or "",
                        )
                        for o in u.occupancy_ids
                    )
                ),
            )
            for u in units
        )

    def test_creates_the_requested_number_of_units_in_two_estates(self):
        self.assertEqual(len(self.estates), 2)
        self.assertEqual(self.estates.mapped("code"), ["TACHHY", "TAJXHT"])
        self.assertEqual(
            sorted(self.estates.mapped("name")), sorted(["翠湖花园", "锦绣华庭"])
        )
        self.assertEqual(len(self.units), UNITS)
        self.assertEqual(sorted(self.units.ids), sorted(self.result["unit_ids"]))
        self.assertTrue(self.estates.mapped("building_ids"))

    def test_each_unit_and_occupancy_is_the_one_the_rules_planned(self):
        """Every row the bulk engine wrote carries its own planned values
        (estate, building, code, type, area, state) and the stored fields it
        computes (name, company) as the ORM computes them."""
        data = demo_estate.generate(
            seed=7, units=UNITS, estates=2, code_prefix="TA",
            today=fields.Date.from_string(
                fields.Date.context_today(self.generator)))
        estate_codes = [e["code"] for e in data["estates"]]
        buildings = [b["code"] for b in data["buildings"]]
        planned = sorted(
            (estate_codes[u["estate"]],
             buildings[u["building"]] if u["building"] is not None else "",
             u["code"], u["floor"], u["unit_type"], round(u["area"], 2),
             u["state"], "%s %s" % (estate_codes[u["estate"]], u["code"]))
            for u in data["units"])
        written = sorted(
            (u.estate_id.code, u.building_id.code or "", u.code, u.floor,
             u.unit_type, round(u.area, 2), u.state, u.name)
            for u in self.units)
        self.assertEqual(written, planned)
        self.assertEqual(set(self.units.mapped("company_id")), {self.company})
        occupancies = self.units.mapped("occupancy_ids")
        self.assertEqual(len(occupancies), len(data["occupancies"]))
        for occupancy in occupancies:
            self.assertEqual(occupancy.estate_id, occupancy.unit_id.estate_id)
            self.assertEqual(occupancy.company_id, self.company)
        owners = self.env["res.partner"].browse(self.result["partner_ids"])
        self.assertEqual(sorted(owners.mapped("display_name")),
                         sorted(p["name"] for p in data["partners"]))
        self.assertEqual(owners.mapped("commercial_partner_id"), owners)

    def test_same_seed_gives_the_same_register_and_another_seed_does_not(self):
        same = self.generator._generate(
            seed=7, units=UNITS, estates=2, code_prefix="TB")
        other = self.generator._generate(
            seed=8, units=UNITS, estates=2, code_prefix="TC"
        )
        Unit = self.env["property.unit"]
        same_units = Unit.browse(same["unit_ids"])
        self.assertEqual(self._register(same_units), self._register(self.units))
        self.assertNotEqual(
            self._register(Unit.browse(other["unit_ids"])), self._register(self.units)
        )

    def test_every_delivered_unit_has_a_payer_today_and_undelivered_ones_none(self):
        today = fields.Date.context_today(self.generator)
        payers = self.units._payers_by_unit(today)
        for unit in self.units:
            if unit.state == "undelivered":
                self.assertEqual(payers[unit.id], [], unit.name)
            else:
                self.assertTrue(payers[unit.id], unit.name)
                self.assertTrue(unit.payer_id, unit.name)

    def test_mix_of_states_types_owner_changes_and_tenants(self):
        self.assertEqual(
            set(self.units.mapped("state")),
            {"occupied", "vacant", "decorating", "undelivered"},
        )
        self.assertEqual(
            set(self.units.mapped("unit_type")),
            {"residential", "commercial", "parking", "storage"},
        )
        occupancies = self.units.mapped("occupancy_ids")
        self.assertIn("tenant", occupancies.mapped("role"))
        self.assertTrue(occupancies.filtered(lambda o: o.role == "owner" and o.date_to))
        owners = self.env["res.partner"].browse(self.result["partner_ids"])
        self.assertTrue(all(p.property_contact_channel for p in owners))
        self.assertEqual(set(owners.mapped("property_sms_consent")), {True, False})

    def test_a_second_call_with_the_same_codes_creates_nothing(self):
        again = self.generator._generate(
            seed=7, units=UNITS, estates=2, code_prefix="TA"
        )
        self.assertEqual(again["unit_ids"], [])
        self.assertEqual(
            self.env["property.unit"].search_count(
                [("estate_id", "in", self.estates.ids)]
            ),
            UNITS,
        )

    def test_demo_owner_xml_id_points_to_an_owner_of_two_units_one_occupied(self):
        result = self.generator._generate(
            seed=9, units=80, estates=1, code_prefix="TD", demo_xmlid=True
        )
        partner = self.env.ref("property_billing.demo_owner_partner")
        self.assertEqual(partner.id, result["demo_owner_id"])
        units = self.env["property.unit"].search([("owner_ids", "in", partner.ids)])
        self.assertGreaterEqual(len(units), 2)
        self.assertIn("occupied", units.mapped("state"))
