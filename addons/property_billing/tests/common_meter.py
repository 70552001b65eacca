# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Factories for the meter tests: meters and readings on top of PropertyCase."""
from odoo.addons.property_billing.tests.common import PropertyCase


class MeterCase(PropertyCase):
    """PropertyCase plus ``self.water`` (5 digits) and ``self.power`` meters of
    ``self.unit``, without readings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Meter = cls.env["property.meter"]
        cls.Reading = cls.env["property.meter.reading"]
        cls.water = cls._create_meter(kind="water")
        cls.power = cls._create_meter(kind="electricity", digits=6)

    @classmethod
    def _create_meter(cls, **overrides):
        n = cls._next()
        vals = {
            "code": "M-%04d" % n,
            "kind": "water",
            "unit_id": cls.unit.id,
            "estate_id": cls.estate.id,
            "digits": 5,
        }
        if overrides.get("is_shared"):
            vals.pop("unit_id")
        vals.update(overrides)
        return cls.env["property.meter"].create(vals)

    @classmethod
    def _read(cls, meter, date, value, reading_type="normal", **overrides):
        vals = {
            "meter_id": meter.id,
            "date": date,
            "value": value,
            "reading_type": reading_type,
        }
        vals.update(overrides)
        return cls.env["property.meter.reading"].create(vals)
