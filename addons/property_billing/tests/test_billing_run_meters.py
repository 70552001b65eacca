# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Billing runs over meters: metered fees from the readings of the period
(with yearly tiers), missing readings, and shared meters apportioned."""
from odoo.addons.property_billing.tests.common_billing import BillingCase


class TestBillingRunMeters(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.water_item = cls._create_fee_item(name="水费", method="metered",
                                              meter_kind="water", uom_label="m³")
        cls.water_standard = cls._publish_standard(cls._create_standard(
            cls.water_item, rate=0.0, tier_ids=[
                (0, 0, {"upto": 180.0, "price": 3.45}),
                (0, 0, {"upto": 260.0, "price": 4.83}),
                (0, 0, {"upto": 0.0, "price": 7.72})]))
        cls.shared_item = cls._create_fee_item(name="公摊水电费", method="apportioned",
                                               apportion_basis="area")
        cls.shared_standard = cls._publish_standard(cls._create_standard(
            cls.shared_item, rate=0.50))
        cls.unit2, cls.owner2 = cls._create_owned_unit(area=120.0, inner_area=100.0)
        cls.meter = cls._meter(unit_id=cls.unit.id)
        cls.meter2 = cls._meter(unit_id=cls.unit2.id)
        cls.shared = cls._meter(is_shared=True, served_unit_ids=[
            (6, 0, (cls.unit | cls.unit2).ids)], item_id=cls.shared_item.id)
        cls._read(cls.meter, "2026-01-31", 100.0, "initial")
        cls._read(cls.meter, "2026-02-28", 268.0)        # 168 m³ this year
        cls._read(cls.meter, "2026-03-31", 288.0)        # 20 m³ in March
        cls._read(cls.meter2, "2026-02-28", 50.0, "initial")  # none in March
        cls._read(cls.shared, "2026-02-28", 1000.0, "initial")
        cls._read(cls.shared, "2026-03-31", 1200.0)      # 200 × 0.50 = 100.00

    @classmethod
    def _meter(cls, **overrides):
        vals = {"code": "W-%04d" % cls._next(), "kind": "water",
                "estate_id": cls.estate.id, "digits": 5}
        vals.update(overrides)
        return cls.env["property.meter"].create(vals)

    @classmethod
    def _read(cls, meter, date, value, reading_type="normal"):
        return cls.env["property.meter.reading"].create({
            "meter_id": meter.id, "date": date, "value": value,
            "reading_type": reading_type})

    def _line(self, unit, item):
        return self._invoices(unit).mapped("invoice_line_ids").filtered(
            lambda line: line.property_fee_item_id == item)

    def test_metered_tiers_missing_reading_and_apportioned(self):
        run = self._create_run()
        run.action_preview()
        missing = run.issue_ids.filtered(lambda i: i.kind == "missing_reading")
        self.assertIn(self.unit2, missing.mapped("unit_id"))
        self._generate(run)
        water = self._line(self.unit, self.water_item)
        # 168 m³ billed before this year: 12 m³ in tier 1, 8 m³ in tier 2
        self.assertAlmostEqual(water.price_subtotal, 80.04)
        self.assertIn("12 m³ × 3.45", water.property_basis)
        self.assertIn("8 m³ × 4.83", water.property_basis)
        self.assertFalse(self._line(self.unit2, self.water_item),
                         "no reading in March: not billed")
        shared = self._line(self.unit, self.shared_item) | self._line(
            self.unit2, self.shared_item)
        self.assertAlmostEqual(sum(shared.mapped("price_subtotal")), 100.00)
        self.assertAlmostEqual(self._line(self.unit, self.shared_item).price_subtotal,
                               42.72)  # 100 × 89.50 / 209.50
        self.assertEqual(self._line(self.unit2, self.shared_item).property_basis,
                         "100.00 yuan × 120.00 m² ÷ 209.50 m²")
