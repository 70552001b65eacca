# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Meters and readings: validation, consumption, missing readings."""
from decimal import Decimal

import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from odoo.addons.property_billing.tests.common_meter import MeterCase


class TestMeterReadings(MeterCase):

    def test_first_reading_consumes_nothing(self):
        reading = self._read(self.water, "2026-01-31", 120.0, "initial")
        self.assertEqual(reading.consumption, 0.0)
        self.assertFalse(reading.previous_reading_id)
        self.assertEqual(self.water.last_reading_id, reading)

    def test_normal_reading_consumption(self):
        first = self._read(self.water, "2026-01-31", 120.0, "initial")
        second = self._read(self.water, "2026-02-28", 132.5)
        self.assertEqual(second.previous_reading_id, first)
        self.assertAlmostEqual(second.consumption, 12.5)
        self.assertEqual(self.water.last_reading_id, second)
        self.assertEqual(self.water.last_reading_date, "2026-02-28")

    def test_lower_reading_refused_and_nothing_written(self):
        self._read(self.water, "2026-01-31", 120.0, "initial")
        with self.assertRaises(ValidationError) as caught:
            self._read(self.water, "2026-02-28", 110.0)
        message = caught.exception.name
        self.assertIn("lower than the previous reading 120", message)
        self.assertIn(self.water.code, message)
        self.assertEqual(self.water.reading_count, 1)
        self.assertEqual(
            self.Reading.search_count([("meter_id", "=", self.water.id)]), 1)

    def test_lower_reading_message_translated(self):
        source = (
            "Meter %(meter)s: the reading %(value)s of %(date)s is lower "
            "than the previous reading %(previous)s of %(previous_date)s. "
            "If the meter was replaced or its counter rolled over, record "
            "the reading as such.")
        if not self.env["res.lang"].search([("code", "=", "zh_CN")]):
            self.env["res.lang"].load_lang("zh_CN")
        Translation = self.env["ir.translation"]
        translation = Translation.search([
            ("type", "=", "code"), ("lang", "=", "zh_CN"), ("src", "=", source),
            ("value", "!=", False), ("value", "!=", "")], limit=1)
        if not translation:
            translation = Translation.create({
                "type": "code",
                "name": "addons/property_billing/models/"
                        "property_meter_reading.py",
                "lang": "zh_CN",
                "module": "property_billing",
                "src": source,
                "value": "表计 %(meter)s：%(date)s 的读数 %(value)s 低于上次读数 "
                         "%(previous)s（%(previous_date)s）。",
                "state": "translated",
            })
        expected = translation.value % {
            "meter": self.water.display_name, "date": "2026-02-28",
            "value": "110", "previous": "120", "previous_date": "2026-01-31"}
        self._read(self.water, "2026-01-31", 120.0, "initial")
        with self.assertRaises(ValidationError) as caught:
            self.Reading.with_context(lang="zh_CN").create({
                "meter_id": self.water.id, "date": "2026-02-28",
                "value": 110.0})
        self.assertEqual(caught.exception.name, expected)
        self.assertEqual(self.water.reading_count, 1)

    def test_backdated_reading_that_breaks_next_refused(self):
        self._read(self.water, "2026-01-31", 100.0, "initial")
        self._read(self.water, "2026-03-31", 130.0)
        with self.assertRaises(ValidationError):
            self._read(self.water, "2026-02-28", 140.0)
        middle = self._read(self.water, "2026-02-28", 110.0)
        last = self.water.last_reading_id
        self.assertEqual(last.previous_reading_id, middle)
        self.assertAlmostEqual(last.consumption, 20.0)
        self.assertAlmostEqual(middle.consumption, 10.0)

    def test_same_day_twice_refused(self):
        self._read(self.water, "2026-01-31", 100.0, "initial")
        with self.assertRaises(ValidationError):
            self._read(self.water, "2026-01-31", 101.0)

    def test_initial_only_first(self):
        self._read(self.water, "2026-01-31", 100.0, "initial")
        with self.assertRaises(ValidationError):
            self._read(self.water, "2026-02-28", 101.0, "initial")

    def test_replacement_consumption(self):
        self._read(self.water, "2026-01-31", 950.0, "initial")
        reading = self._read(
            self.water, "2026-02-28", 7.0, "replacement",
            old_final_value=980.0, initial_value=2.0)
        # old meter 950 -> 980, new meter 2 -> 7
        self.assertAlmostEqual(reading.consumption, 35.0)
        after = self._read(self.water, "2026-03-31", 17.0)
        self.assertAlmostEqual(after.consumption, 10.0)

    def test_replacement_with_old_final_below_previous_refused(self):
        self._read(self.water, "2026-01-31", 950.0, "initial")
        with self.assertRaises(ValidationError):
            self._read(self.water, "2026-02-28", 7.0, "replacement",
                       old_final_value=900.0, initial_value=2.0)

    def test_rollover_consumption(self):
        self._read(self.water, "2026-01-31", 99990.0, "initial")
        reading = self._read(self.water, "2026-02-28", 15.0, "rollover")
        self.assertAlmostEqual(reading.consumption, 25.0)

    def test_rollover_needs_capacity_and_lower_value(self):
        meter = self._create_meter(digits=0)
        self._read(meter, "2026-01-31", 99990.0, "initial")
        with self.assertRaises(ValidationError):
            self._read(meter, "2026-02-28", 15.0, "rollover")
        with self.assertRaises(ValidationError):
            self._read(self.power, "2026-02-28", 15.0, "rollover")

    def test_value_over_capacity_refused(self):
        with self.assertRaises(ValidationError):
            self._read(self.water, "2026-01-31", 100000.0, "initial")

    def test_edit_that_breaks_chain_refused(self):
        first = self._read(self.water, "2026-01-31", 100.0, "initial")
        second = self._read(self.water, "2026-02-28", 110.0)
        with self.assertRaises(ValidationError):
            first.write({"value": 120.0})
        first.write({"value": 105.0})
        self.assertAlmostEqual(second.consumption, 5.0)

    def test_unlink_recomputes_chain(self):
        self._read(self.water, "2026-01-31", 100.0, "initial")
        middle = self._read(self.water, "2026-02-28", 110.0)
        last = self._read(self.water, "2026-03-31", 125.0)
        middle.unlink()
        self.assertAlmostEqual(last.consumption, 25.0)

    def test_unlink_that_breaks_chain_refused(self):
        first = self._read(self.water, "2026-01-31", 99990.0, "initial")
        high = self._read(self.water, "2026-02-28", 99995.0)
        rollover = self._read(self.water, "2026-03-31", 5.0, "rollover")
        # without any earlier reading the rollover has nothing to roll from
        with self.assertRaises(ValidationError):
            (first | high).unlink()
        self.assertTrue(high.exists())
        high.unlink()
        self.assertEqual(rollover.previous_reading_id, first)
        self.assertAlmostEqual(rollover.consumption, 15.0)


class TestMeterSetup(MeterCase):

    def test_private_meter_takes_unit_building(self):
        self.assertEqual(self.water.building_id, self.building)
        self.assertEqual(self.water.estate_id, self.estate)
        self.assertEqual(self.water.uom_label, "m³")

    def test_private_meter_needs_unit(self):
        with self.assertRaises(ValidationError):
            self.Meter.create({"code": "X-1", "kind": "water",
                               "estate_id": self.estate.id})

    def test_shared_meter_serves_units(self):
        other = self._create_unit()
        shared = self._create_meter(
            is_shared=True, building_id=self.building.id,
            served_unit_ids=[(6, 0, [self.unit.id, other.id])])
        self.assertEqual(shared.served_unit_ids, self.unit | other)
        with self.assertRaises(ValidationError):
            shared.write({"unit_id": self.unit.id})

    def test_unit_of_other_estate_refused(self):
        estate = self._create_estate()
        unit = self._create_unit(estate_id=estate.id)
        with self.assertRaises(ValidationError):
            self._create_meter(is_shared=True,
                               served_unit_ids=[(6, 0, [unit.id])])

    @mute_logger("odoo.sql_db")
    def test_code_unique_per_estate(self):
        other_estate = self._create_estate()
        other_unit = self._create_unit(estate_id=other_estate.id)
        self._create_meter(code=self.water.code, unit_id=other_unit.id,
                           estate_id=other_estate.id)
        with self.assertRaises(psycopg2.IntegrityError), self.cr.savepoint():
            self._create_meter(code=self.water.code)


class TestConsumptionContract(MeterCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._read(cls.water, "2025-12-31", 100.0, "initial")
        cls._read(cls.water, "2026-01-31", 110.0)
        cls._read(cls.water, "2026-02-28", 125.5)
        cls._read(cls.water, "2026-03-31", 3.0, "replacement",
                  old_final_value=130.0, initial_value=0.0)
        cls._read(cls.power, "2026-02-15", 500.0, "initial")
        cls._read(cls.power, "2026-03-31", 620.0)

    def test_consumption_between(self):
        meters = self.water | self.power
        result = meters._consumption_between("2026-01-31", "2026-03-31")
        total, readings = result[self.water.id]
        self.assertIsInstance(total, Decimal)
        self.assertEqual(total, Decimal("23"))  # 15.5 + (130 - 125.5) + 3
        self.assertEqual(readings.mapped("date"),
                         ["2026-01-31", "2026-02-28", "2026-03-31"])
        # no reading on or before 01-31: from the first (initial) reading
        total, readings = result[self.power.id]
        self.assertEqual(total, Decimal("120"))
        self.assertEqual(readings[0].date, "2026-02-15")

    def test_consecutive_periods_add_up(self):
        water = self.water
        jan = water._consumption_between("2025-12-31", "2026-01-31")[water.id][0]
        feb = water._consumption_between("2026-01-31", "2026-02-28")[water.id][0]
        mar = water._consumption_between("2026-02-28", "2026-03-31")[water.id][0]
        total = water._consumption_between(
            "2025-12-31", "2026-03-31")[water.id][0]
        self.assertEqual((jan, feb, mar), (Decimal("10"), Decimal("15.5"),
                                           Decimal("7.5")))
        self.assertEqual(jan + feb + mar, total)

    def test_no_reading_in_span(self):
        result = self.power._consumption_between("2025-01-01", "2025-12-31")
        total, readings = result[self.power.id]
        self.assertEqual(total, Decimal(0))
        self.assertFalse(readings)

    def test_consumption_in_year_before(self):
        result = (self.water | self.power)._consumption_in_year_before(
            "2026-02-28")
        self.assertEqual(result[self.water.id], Decimal("25.5"))
        self.assertEqual(result[self.power.id], Decimal("0"))
        result = self.water._consumption_in_year_before("2026-01-01")
        self.assertEqual(result[self.water.id], Decimal("0"))

    def test_missing_readings(self):
        other_building = self._create_building()
        unit = self._create_unit(building_id=other_building.id)
        gas = self._create_meter(kind="gas", unit_id=unit.id)
        shared = self._create_meter(
            is_shared=True, kind="electricity",
            served_unit_ids=[(6, 0, [unit.id])])
        missing = self.Meter._missing_readings(
            self.estate, "2026-03-01", "2026-03-31")
        self.assertEqual(missing, gas | shared)
        missing = self.Meter._missing_readings(
            self.estate, "2026-01-01", "2026-01-31")
        self.assertEqual(missing, self.power | gas | shared)
        missing = self.Meter._missing_readings(
            self.estate, "2026-01-01", "2026-01-31", buildings=self.building)
        self.assertEqual(missing, self.power)
        # archived meters are not expected to be read
        gas.active = False
        missing = self.Meter._missing_readings(
            self.estate, "2026-03-01", "2026-03-31",
            buildings=other_building)
        self.assertEqual(missing, shared)


class TestReadingEntry(MeterCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit2 = cls._create_unit()
        cls.water2 = cls._create_meter(unit_id=cls.unit2.id)
        cls.other_building = cls._create_building()
        cls.far_unit = cls._create_unit(building_id=cls.other_building.id)
        cls.far_water = cls._create_meter(unit_id=cls.far_unit.id)
        cls._read(cls.water, "2026-01-31", 100.0, "initial")
        cls._read(cls.water2, "2026-01-31", 500.0, "initial")

    def _wizard(self, **overrides):
        vals = {"estate_id": self.estate.id, "building_id": self.building.id,
                "kind": "water", "date": "2026-02-28"}
        vals.update(overrides)
        wizard = self.env["property.meter.reading.entry"].create(vals)
        wizard.action_load()
        return wizard

    def _line(self, wizard, meter):
        return wizard.line_ids.filtered(lambda line: line.meter_id == meter)

    def test_grid_lists_meters_of_building_with_previous_reading(self):
        wizard = self._wizard()
        self.assertEqual(wizard.state, "grid")
        self.assertEqual(wizard.line_ids.mapped("meter_id"),
                         self.water | self.water2)
        line = self._line(wizard, self.water)
        self.assertEqual(line.previous_date, "2026-01-31")
        self.assertEqual(line.previous_value, 100.0)
        self.assertNotIn(self.power, wizard.line_ids.mapped("meter_id"))

    def test_all_lines_saved(self):
        wizard = self._wizard()
        self._line(wizard, self.water).new_value = "112.5"
        self._line(wizard, self.water2).new_value = "510"
        wizard.action_confirm()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.created_count, 2)
        self.assertAlmostEqual(self.water.last_reading_id.consumption, 12.5)
        self.assertEqual(self.water2.last_reading_id.value, 510.0)

    def test_one_bad_line_saves_nothing(self):
        wizard = self._wizard()
        self._line(wizard, self.water).new_value = "112.5"
        self._line(wizard, self.water2).new_value = "490"
        wizard.action_confirm()
        self.assertEqual(wizard.state, "grid")
        self.assertEqual(wizard.error_count, 1)
        self.assertIn("lower than the previous reading 500",
                      self._line(wizard, self.water2).error)
        self.assertFalse(self._line(wizard, self.water).error)
        self.assertIn(self.water2.code, wizard.result_html)
        self.assertIn("Nothing was saved", wizard.result_html)
        self.assertEqual(self.water.reading_count, 1)
        self.assertEqual(self.water2.reading_count, 1)
        # corrected as a replacement, everything is saved
        line = self._line(wizard, self.water2)
        line.write({"reading_type": "replacement", "old_final_value": 503.0,
                    "initial_value": 480.0})
        wizard.action_confirm()
        self.assertEqual(wizard.state, "done")
        self.assertAlmostEqual(self.water2.last_reading_id.consumption, 13.0)
        self.assertEqual(self.water.reading_count, 2)

    def test_not_a_number_and_empty_lines(self):
        wizard = self._wizard(building_id=False)
        self.assertIn(self.far_water, wizard.line_ids.mapped("meter_id"))
        self._line(wizard, self.water).new_value = "12x"
        wizard.action_confirm()
        self.assertEqual(wizard.error_count, 1)
        self.assertIn("'12x' is not a number", wizard.result_html)
        self._line(wizard, self.water).new_value = ""
        with self.assertRaises(UserError):
            wizard.action_confirm()
        # the far meter has no reading yet: its first reading is its start
        self._line(wizard, self.far_water).new_value = "7"
        wizard.action_confirm()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(self.far_water.last_reading_id.consumption, 0.0)


class TestDemoMeters(MeterCase):

    def test_demo_meters_of_first_building(self):
        estate = self._create_estate(code="DEMO%d" % self._next())
        first = self._create_building(estate_id=estate.id, sequence=1)
        later = self._create_building(estate_id=estate.id, sequence=2)
        units = self._create_unit(estate_id=estate.id, building_id=first.id)
        units |= self._create_unit(estate_id=estate.id, building_id=first.id)
        self._create_unit(estate_id=estate.id, building_id=later.id)
        self.env["property.demo.generator"]._demo_create_meters([estate.code])
        meters = self.Meter.search([("estate_id", "=", estate.id)])
        self.assertEqual(len(meters), 5)  # 2 units x 2 kinds + 1 shared
        shared = meters.filtered("is_shared")
        self.assertEqual(shared.served_unit_ids, units)
        self.assertEqual(len(meters.mapped("reading_ids")), 15)
        self.assertTrue(all(r.consumption >= 0 for r in meters.mapped("reading_ids")))
        last = meters[0].last_reading_id
        self.assertFalse(self.Meter._missing_readings(
            estate, last.date[:8] + "01", last.date))
        self.env["property.demo.generator"]._demo_create_meters([estate.code])
        self.assertEqual(self.Meter.search_count([("estate_id", "=", estate.id)]), 5)


class TestMeterCapacity(MeterCase):

    def test_capacity_cannot_shrink_below_a_recorded_rollover(self):
        self._read(self.water, "2026-01-31", 99990.0, "initial")
        self._read(self.water, "2026-02-28", 15.0, "rollover")
        with self.assertRaises(ValidationError):
            self.water.digits = 0
        with self.assertRaises(ValidationError):
            self.water.digits = 4  # 99990 does not fit 4 digits
        self.assertAlmostEqual(self.water.last_reading_id.consumption, 25.0)
        self.water.digits = 6  # corrected: the counter wraps at 999999
        self.assertAlmostEqual(self.water.last_reading_id.consumption, 900025.0)


class TestMissingReadingsAction(MeterCase):

    def test_wizard_opens_list_of_missing_meters(self):
        self._read(self.water, "2026-03-31", 10.0, "initial")
        wizard = self.env["property.meter.missing"].create({
            "estate_id": self.estate.id,
            "date_from": "2026-03-01", "date_to": "2026-03-31"})
        action = wizard.action_show()
        self.assertEqual(action["res_model"], "property.meter")
        self.assertEqual(self.Meter.search(action["domain"]), self.power)
        wizard.kind = "water"
        self.assertFalse(self.Meter.search(wizard.action_show()["domain"]))

    def test_clerk_enters_readings(self):
        wizard = self.env["property.meter.reading.entry"].sudo(self.clerk).create({
            "estate_id": self.estate.id, "kind": "electricity",
            "date": "2026-03-31"})
        wizard.action_load()
        wizard.line_ids.write({"new_value": "42"})
        wizard.action_confirm()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(self.power.last_reading_id.value, 42.0)
        self.assertEqual(self.power.last_reading_id.create_uid, self.clerk)
