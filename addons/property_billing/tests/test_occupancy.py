# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo.exceptions import ValidationError

from .common import PropertyCase


class TestOccupancy(PropertyCase):
    """Occupancy constraints and who pays for a unit on a day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A unit sold on 2026-03-15: Zhang owns it until then, Wang after.
        cls.sold_unit = cls._create_unit(code="5-1-0801")
        cls.old_owner = cls._create_owner(name="Zhang Wei")
        cls.new_owner = cls._create_owner(name="Wang Fang")
        cls.old_occupancy = cls._create_occupancy(
            unit_id=cls.sold_unit.id, partner_id=cls.old_owner.id,
            date_from="2019-07-01", date_to="2026-03-15")
        cls.new_occupancy = cls._create_occupancy(
            unit_id=cls.sold_unit.id, partner_id=cls.new_owner.id,
            date_from="2026-03-16")

    def _refused(self, func, *args, **kwargs):
        with self.assertRaises(ValidationError) as caught, self.cr.savepoint():
            func(*args, **kwargs)
        self.env.cache.invalidate()
        return caught.exception

    def _occupancies(self, unit):
        return self.env["property.occupancy"].search([("unit_id", "=", unit.id)])

    def _payers(self, unit, day):
        return [(partner, share) for partner, share in unit._get_payers(day)]

    # -- constraints ------------------------------------------------------------

    def test_date_to_before_date_from_refused(self):
        unit = self._create_unit()
        error = self._refused(
            self._create_occupancy, unit_id=unit.id,
            date_from="2026-03-16", date_to="2026-03-15")
        self.assertIn("before it starts", error.name)
        self.assertFalse(self._occupancies(unit))
        # a one-day occupancy is fine
        self._create_occupancy(unit_id=unit.id, date_from="2026-03-16",
                               date_to="2026-03-16")

    def test_share_out_of_range_refused(self):
        unit = self._create_unit()
        for share in (0.0, -10.0, 100.01, 150.0):
            error = self._refused(
                self._create_occupancy, unit_id=unit.id, share=share)
            self.assertIn("at most 100 %", error.name)
            self.assertFalse(self._occupancies(unit))
        self._refused(self.owner_occupancy.write, {"share": 0.0})
        self.assertEqual(self.owner_occupancy.share, 100.0)

    def test_two_co_owners_fine_third_refused(self):
        unit = self._create_unit()
        first, second, third = (self._create_owner() for _i in range(3))
        self._create_occupancy(unit_id=unit.id, partner_id=first.id, share=50.0,
                               date_from="2026-01-01")
        self._create_occupancy(unit_id=unit.id, partner_id=second.id, share=50.0,
                               date_from="2026-02-01")
        error = self._refused(
            self._create_occupancy, unit_id=unit.id, partner_id=third.id,
            share=50.0, date_from="2026-05-01", date_to="2026-05-31")
        self.assertIn("2026-05-01", error.name)
        self.assertIn("150", error.name)
        self.assertIn(third.name, error.name)
        self.assertEqual(self._occupancies(unit).mapped("partner_id"),
                         first | second)

    def test_new_owner_day_after_old_one_fine_same_day_refused(self):
        unit = self._create_unit()
        self._create_occupancy(unit_id=unit.id, date_from="2020-01-01",
                               date_to="2026-03-15")
        newcomer = self._create_owner()
        error = self._refused(
            self._create_occupancy, unit_id=unit.id, partner_id=newcomer.id,
            date_from="2026-03-15")
        self.assertIn("2026-03-15", error.name)
        self.assertEqual(len(self._occupancies(unit)), 1)
        self._create_occupancy(unit_id=unit.id, partner_id=newcomer.id,
                               date_from="2026-03-16")
        self.assertEqual(len(self._occupancies(unit)), 2)

    def test_extending_an_old_owner_into_the_new_one_refused(self):
        error = self._refused(self.old_occupancy.write, {"date_to": False})
        self.assertIn("2026-03-16", error.name)
        self.assertEqual(self.old_occupancy.date_to, "2026-03-15")

    def test_roles_do_not_compete(self):
        tenant = self._create_owner(name="Tenant")
        self._create_occupancy(unit_id=self.sold_unit.id, partner_id=tenant.id,
                               role="tenant", date_from="2026-01-01")
        self._create_occupancy(unit_id=self.sold_unit.id, partner_id=tenant.id,
                               role="payer", date_from="2026-06-01")
        self.assertEqual(len(self._occupancies(self.sold_unit)), 4)

    def test_related_fields_and_is_current(self):
        self.assertEqual(self.new_occupancy.estate_id, self.estate)
        self.assertEqual(self.new_occupancy.building_id, self.building)
        self.assertEqual(self.new_occupancy.company_id, self.company)
        Occupancy = self.env["property.occupancy"]
        old_past = Occupancy.search([("unit_id", "=", self.sold_unit.id),
                                     ("is_current", "=", False)])
        current = Occupancy.search([("unit_id", "=", self.sold_unit.id),
                                    ("is_current", "=", True)])
        # the outcome depends on today's date, but the split never does
        self.assertEqual(old_past | current, self.old_occupancy | self.new_occupancy)
        self.assertFalse(old_past & current)
        for occupancy in old_past | current:
            self.assertEqual(occupancy.is_current, occupancy in current)
        self.assertTrue(self.owner_occupancy.is_current)

    def test_unit_deletion_cascades(self):
        unit = self._create_unit()
        occupancy = self._create_occupancy(unit_id=unit.id)
        unit.unlink()
        self.assertFalse(occupancy.exists())

    # -- payers -------------------------------------------------------------------

    def test_get_payers_across_change_of_owner(self):
        self.assertEqual(self._payers(self.sold_unit, "2026-03-15"),
                         [(self.old_owner, 100.0)])
        self.assertEqual(self._payers(self.sold_unit, date(2026, 3, 16)),
                         [(self.new_owner, 100.0)])
        self.assertEqual(self._payers(self.sold_unit, "2019-06-30"), [])

    def test_explicit_payer_overrides_owners(self):
        company = self._create_owner(name="Employer Ltd", is_company=True)
        self._create_occupancy(unit_id=self.sold_unit.id, partner_id=company.id,
                               role="payer", date_from="2026-04-01",
                               date_to="2026-04-30")
        self.assertEqual(self._payers(self.sold_unit, "2026-04-10"),
                         [(company, 100.0)])
        self.assertEqual(self._payers(self.sold_unit, "2026-05-01"),
                         [(self.new_owner, 100.0)])

    def test_tenant_does_not_pay(self):
        tenant = self._create_owner(name="Tenant Liu")
        self._create_occupancy(unit_id=self.sold_unit.id, partner_id=tenant.id,
                               role="tenant", date_from="2026-01-01")
        self.assertEqual(self._payers(self.sold_unit, "2026-02-01"),
                         [(self.old_owner, 100.0)])
        # alone on an unowned unit, a tenant still does not pay
        unit = self._create_unit()
        self._create_occupancy(unit_id=unit.id, partner_id=tenant.id,
                               role="tenant", date_from="2026-01-01")
        self.assertEqual(self._payers(unit, "2026-02-01"), [])

    def test_co_owners_pay_their_shares(self):
        unit = self._create_unit()
        wife, husband = self._create_owner(), self._create_owner()
        self._create_occupancy(unit_id=unit.id, partner_id=husband.id,
                               share=40.0, date_from="2025-01-01")
        self._create_occupancy(unit_id=unit.id, partner_id=wife.id,
                               share=60.0, date_from="2025-01-01")
        self.assertEqual(self._payers(unit, "2026-01-01"),
                         [(wife, 60.0), (husband, 40.0)])

    def test_payers_by_unit_is_batched(self):
        units = self.sold_unit | self.unit
        self.assertEqual(units._payers_by_unit("2026-03-20"), {
            self.sold_unit.id: [(self.new_owner.id, 100.0)],
            self.unit.id: [(self.owner.id, 100.0)],
        })
        # the number of queries does not grow with the number of units
        many = units
        for _i in range(6):
            unit = self._create_unit()
            self._create_occupancy(unit_id=unit.id, partner_id=self._create_owner().id)
            many |= unit

        def count_queries(recordset):
            self.env.cache.invalidate()
            before = self.cr.sql_log_count
            result = recordset._payers_by_unit("2026-03-20")
            self.assertEqual(set(result), set(recordset.ids))
            return self.cr.sql_log_count - before

        self.assertEqual(count_queries(many), count_queries(units))

    def test_payer_segments_over_month_of_sale(self):
        self.assertEqual(self.sold_unit._payer_segments("2026-03-01", "2026-03-31"), [
            (date(2026, 3, 1), date(2026, 3, 15), [(self.old_owner.id, 100.0)]),
            (date(2026, 3, 16), date(2026, 3, 31), [(self.new_owner.id, 100.0)]),
        ])
        self.assertEqual(self.sold_unit._payer_segments("2026-04-01", "2026-04-30"), [
            (date(2026, 4, 1), date(2026, 4, 30), [(self.new_owner.id, 100.0)]),
        ])
        with self.assertRaises(ValidationError):
            self.sold_unit._payer_segments("2026-03-31", "2026-03-01")
