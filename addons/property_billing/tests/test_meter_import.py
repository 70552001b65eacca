# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Import of meter readings: good and bad files, all or nothing."""
import base64
import io

import xlsxwriter

from odoo.exceptions import UserError

from odoo.addons.property_billing.tests.common_meter import MeterCase

HEADER = "小区编码,表号,抄表日期,读数,类型,旧表止码,新表起码,备注"


class TestMeterReadingImport(MeterCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.water.code = "水-0101"
        cls._read(cls.water, "2026-01-31", 100.0, "initial")
        cls._read(cls.power, "2026-01-31", 900.0, "initial")

    def _import(self, data, filename="readings.csv"):
        wizard = self.env["property.meter.reading.import"].create({
            "data_file": base64.b64encode(data),
            "filename": filename,
        })
        wizard.action_import()
        return wizard

    def _csv(self, *rows, encoding="utf-8"):
        return "\r\n".join((HEADER,) + rows).encode(encoding)

    def _count(self):
        return self.Reading.search_count(
            [("meter_id", "in", (self.water | self.power).ids)])

    def test_good_csv_imported(self):
        code, power = self.estate.code, self.power.code
        wizard = self._import(self._csv(
            "%s,水-0101,2026-02-28,112.5,,,," % code,
            "%s,水-0101,2026-03-31,120,正常,,,月底" % code,
            "%s,%s,2026-02-28,15,换表,950,0,新表" % (code, power),
        ))
        self.assertEqual(wizard.state, "done", wizard.result_html)
        self.assertEqual(wizard.created_count, 3)
        self.assertEqual(self._count(), 5)
        last = self.water.last_reading_id
        self.assertEqual((last.date, last.note), ("2026-03-31", "月底"))
        self.assertAlmostEqual(last.consumption, 7.5)
        replaced = self.power.last_reading_id
        self.assertEqual(replaced.reading_type, "replacement")
        self.assertAlmostEqual(replaced.consumption, 65.0)  # 50 + 15

    def test_gbk_csv_imported(self):
        data = self._csv("%s,水-0101,2026/2/28,110,,,," % self.estate.code,
                         encoding="gbk")
        wizard = self._import(data)
        self.assertEqual(wizard.state, "done", wizard.result_html)
        self.assertAlmostEqual(self.water.last_reading_id.consumption, 10.0)

    def test_xlsx_imported(self):
        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"in_memory": True})
        sheet = book.add_worksheet()
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        for col, title in enumerate(HEADER.split(",")):
            sheet.write(0, col, title)
        import datetime
        sheet.write(1, 0, self.estate.code)
        sheet.write(1, 1, "水-0101")
        sheet.write_datetime(1, 2, datetime.datetime(2026, 2, 28), date_format)
        sheet.write_number(1, 3, 104.25)
        book.close()
        wizard = self._import(out.getvalue(), "抄表.xlsx")
        self.assertEqual(wizard.state, "done", wizard.result_html)
        self.assertEqual(self.water.last_reading_id.date, "2026-02-28")
        self.assertAlmostEqual(self.water.last_reading_id.consumption, 4.25)

    def test_bad_rows_import_nothing_and_list_row_numbers(self):
        code = self.estate.code
        wizard = self._import(self._csv(
            "%s,水-0101,2026-02-28,112.5,,,," % code,      # row 2: good
            "%s,水-0101,2026-03-31,90,,,," % code,         # row 3: lower
            "%s,NOPE,2026-03-31,1,,,," % code,              # row 4: unknown meter
            "XX,水-0101,2026-03-31,1,,,,",                  # row 5: unknown estate
            "%s,%s,2026-13-01,abc,,,," % (code, self.power.code),  # row 6
            "%s,%s,2026-02-28,950,翻表,,," % (code, self.power.code),  # row 7
        ))
        self.assertEqual(wizard.state, "error")
        self.assertEqual(self._count(), 2)
        html = wizard.result_html
        self.assertIn("Nothing was imported", html)
        self.assertIn("<td>4</td>", html)
        self.assertIn("no active meter 'NOPE'", html)
        self.assertIn("<td>5</td>", html)
        self.assertIn("<td>6</td>", html)
        self.assertIn("not a date", html)
        self.assertIn("must be a number", html)
        self.assertNotIn("<td>2</td>", html)
        # known meters are checked against their readings in the same pass
        self.assertIn("<td>3</td>", html)
        self.assertIn("lower than the previous reading 112.5", html)
        self.assertIn("<td>7</td>", html)
        self.assertIn("did not roll over", html)
        self.assertEqual(wizard.error_count, 6)

    def test_rollover_and_chain_against_stored_readings(self):
        code = self.estate.code
        wizard = self._import(self._csv(
            "%s,%s,2026-02-28,950,翻表,,," % (code, self.power.code),
            "%s,%s,2026-03-31,10,翻表,,," % (code, self.power.code),
            "%s,水-0101,2026-01-15,120,,,," % code,  # breaks stored 01-31 (100)
        ))
        self.assertEqual(wizard.state, "error")
        html = wizard.result_html
        self.assertIn("<td>2</td>", html)
        self.assertIn("did not roll over", html)
        self.assertIn("<td>4</td>", html)
        self.assertEqual(self._count(), 2)
        wizard = self._import(self._csv(
            "%s,%s,2026-02-28,999950,,,," % (code, self.power.code),
            "%s,%s,2026-03-31,10,翻表,,," % (code, self.power.code),
        ))
        self.assertEqual(wizard.state, "done", wizard.result_html)
        self.assertAlmostEqual(self.power.last_reading_id.consumption, 60.0)

    def test_file_errors(self):
        with self.assertRaises(UserError):
            self._import(b"\xff\xfe\x00garbage", "readings.pdf")
        with self.assertRaises(UserError):
            self._import(b"", "readings.csv")
        wizard = self._import("小区编码,表号,读数\r\nGG,W,1".encode("utf-8"))
        self.assertEqual(wizard.state, "error")
        self.assertIn("<td>1</td>", wizard.result_html)
        self.assertIn("date", wizard.result_html)

    def test_template_is_importable_format(self):
        wizard = self.env["property.meter.reading.import"].create({})
        text = base64.b64decode(wizard.template_file).decode("utf-8-sig")
        self.assertTrue(text.startswith("estate_code/小区编码,meter_code/表号"))
