# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The suite's one bulk-write engine (property.bulk.insert), used by the demo
generator and the invoice batch: the rows ``create`` would write, the
constraints ``create`` checks, the caller's rights first."""
from odoo.exceptions import AccessError, ValidationError

from .common import PropertyCase

SAME_AS_CREATE_BUT = {"id", "code", "name", "create_date", "write_date",
                      "message_last_post"}


class TestBulkInsert(PropertyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engine = cls.env["property.bulk.insert"]
        cls.Unit = cls.env["property.unit"]
        cls.employee = cls._create_user("employee", [])

    def _vals(self, code, **overrides):
        vals = {"estate_id": self.estate.id, "building_id": self.building.id,
                "code": code, "floor": 3, "unit_type": "residential",
                "area": 88.0, "state": "vacant"}
        vals.update(overrides)
        return vals

    def _row(self, unit):
        self.env.cr.execute("SELECT * FROM property_unit WHERE id = %s", (unit.id,))
        names = [column.name for column in self.env.cr.description]
        return dict(zip(names, self.env.cr.fetchone()))

    def test_rows_are_those_create_writes(self):
        by_orm = self.Unit.create(self._vals("ORM-1"))
        bulk = self.engine._create_records(
            self.Unit, [self._vals("BULK-1"), self._vals("BULK-2", floor=4)])
        self.assertEqual(bulk.mapped("name"), [
            "%s BULK-1" % self.estate.code, "%s BULK-2" % self.estate.code])
        self.assertEqual(bulk.mapped("floor"), [3, 4])
        expected = {name: value for name, value in self._row(by_orm).items()
                    if name not in SAME_AS_CREATE_BUT}
        row = self._row(bulk[0])
        self.assertEqual(
            {name: row[name] for name in expected}, expected)

    def test_known_computed_values_may_come_with_the_new_id(self):
        seen = []

        def computed(new_id, vals):
            seen.append(new_id)
            return {"name": "U%d" % new_id, "company_id": self.company.id}

        units = self.engine._create_records(
            self.Unit, [self._vals("ID-1"), self._vals("ID-2")], computed=computed)
        self.assertEqual(seen, units.ids)
        self.assertEqual(units.mapped("name"), ["U%d" % i for i in units.ids])

    def test_constraints_are_checked_and_nothing_is_kept(self):
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                self.engine._create_records(
                    self.Unit, [self._vals("OK-1"), self._vals("BAD-1", area=0.0)])
        self.assertFalse(self.Unit.search([("code", "in", ["OK-1", "BAD-1"])]))

    def test_rights_are_checked_before_anything_is_written(self):
        Unit = self.Unit.sudo(self.employee)
        with self.assertRaises(AccessError):
            self.engine.sudo(self.employee)._create_records(
                Unit, [self._vals("NO-1")])
        with self.assertRaises(AccessError):
            self.engine.sudo(self.employee)._write_values(
                self.unit.sudo(self.employee), {self.unit.id: {"floor": 99}})
        self.assertFalse(self.Unit.search([("code", "=", "NO-1")]))
        self.assertEqual(self.unit.floor, 15)
