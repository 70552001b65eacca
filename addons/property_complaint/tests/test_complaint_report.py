# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaint analysis: the pivot report's measures and the xlsx export read
back with xlrd (Chinese headers, right figures)."""
import base64
import io
import zipfile
from datetime import datetime

import openpyxl
import xlrd

from odoo.exceptions import AccessError

from .common_sla import SlaCase, mon, tue


class TestComplaintReport(SlaCase):
    """Three complaints of ``self.estate`` in March 2026 (office hours,
    normal policy 4 h / 8 h):

    - C1 elevator: accepted after 2 h, resolved after 7 h (both on time),
      satisfaction 5, root cause "Worn door sensor";
    - C2 noise: accepted after 5 h (late), resolved after 9 h (late),
      satisfaction 2, root cause "Worn door sensor";
    - C3 elevator again (a repeat of C1), still open, 1 h spent.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.c1 = cls._reported(datetime(2026, 3, 6, 17, 0), {
            "date_accepted": mon(9, 30), "date_resolved": mon(16, 0),
        }, satisfaction="5", root_cause="Worn door sensor",
            corrective_action="Replace sensors quarterly")
        cls.c2 = cls._reported(mon(8, 30), {
            "date_accepted": mon(15, 0), "date_resolved": tue(9, 30),
        }, category_id=cls.category_noise.id, satisfaction="2",
            root_cause="Worn door sensor", corrective_action="Inspect sensors")
        cls.c3 = cls._reported(tue(9, 0), {})
        for complaint in (cls.c1, cls.c2, cls.c3):
            complaint._sla_refresh(cls.utc(tue(10, 0)))

    @classmethod
    def _reported(cls, local, dates, **vals):
        complaint = cls.env["property.complaint"].with_context(
            sla_now=cls.utc(local)).create(dict({
                "partner_id": cls.owner.id,
                "description": "Complaint",
                "category_id": cls.category_elevator.id,
                "date_reported": cls.utc_str(local),
                "team_id": cls.team.id,
            }, **vals))
        complaint.write({name: cls.utc_str(value)
                         for name, value in dates.items()})
        return complaint

    def test_complaint_figures(self):
        self.assertAlmostEqual(self.c1.response_hours, 2.0)
        self.assertAlmostEqual(self.c1.resolution_hours, 7.0)
        self.assertFalse(self.c1.response_breached or self.c1.resolution_breached)
        self.assertAlmostEqual(self.c2.response_hours, 5.0)
        self.assertAlmostEqual(self.c2.resolution_hours, 9.0)
        self.assertTrue(self.c2.response_breached and self.c2.resolution_breached)
        self.assertTrue(self.c3.is_repeat)

    def test_pivot_measures(self):
        rows = self.env["property.complaint.report"].read_group(
            [("estate_id", "=", self.estate.id)],
            ["estate_id", "nbr", "response_compliance", "resolution_compliance",
             "response_hours", "resolution_hours", "satisfaction_score",
             "repeat_rate"],
            ["estate_id"])
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row["nbr"], 3)
        self.assertAlmostEqual(row["response_compliance"], 50.0)
        self.assertAlmostEqual(row["resolution_compliance"], 50.0)
        self.assertAlmostEqual(row["response_hours"], 3.5)
        self.assertAlmostEqual(row["resolution_hours"], 8.0)
        self.assertAlmostEqual(row["satisfaction_score"], 3.5)
        self.assertAlmostEqual(row["repeat_rate"], 100.0 / 3, places=2)
        by_category = self.env["property.complaint.report"].read_group(
            [("estate_id", "=", self.estate.id)], ["category_id", "nbr"],
            ["category_id"])
        counts = {row["category_id"][0]: row["nbr"] for row in by_category}
        self.assertEqual(counts, {self.category_elevator.id: 2,
                                  self.category_noise.id: 1})

    def test_analysis_is_for_managers(self):
        Report = self.env["property.complaint.report"]
        with self.assertRaises(AccessError):
            Report.sudo(self.agent).search([])
        self.assertEqual(
            Report.sudo(self.complaint_manager).search_count(
                [("estate_id", "=", self.estate.id)]), 3)

    def _export(self):
        wizard = self.env["property.complaint.export"].create({
            "date_from": "2026-03-01", "date_to": "2026-03-31",
            "estate_ids": [(6, 0, self.estate.ids)],
        })
        wizard.action_export()
        self.assertTrue(wizard.file_name.endswith(".xlsx"))
        return xlrd.open_workbook(
            file_contents=base64.b64decode(wizard.file_data))

    def test_export_summary_sheet(self):
        book = self._export()
        self.assertEqual(book.sheet_names(), [
            "汇总", "按分类", "按小区", "按楼栋", "按班组", "按月份",
            "满意度分布", "主要原因"])
        sheet = book.sheet_by_name("汇总")
        headers = sheet.row_values(0)
        self.assertEqual(headers[:4], ["统计期间", "投诉数", "响应达标率(%)",
                                       "解决达标率(%)"])
        values = dict(zip(headers, sheet.row_values(1)))
        self.assertEqual(values["投诉数"], 3)
        self.assertAlmostEqual(values["响应达标率(%)"], 50.0)
        self.assertAlmostEqual(values["解决达标率(%)"], 50.0)
        self.assertAlmostEqual(values["平均响应时长(小时)"], 3.5)
        self.assertAlmostEqual(values["响应时长90分位(小时)"], 4.7)
        self.assertAlmostEqual(values["平均解决时长(小时)"], 8.0)
        self.assertAlmostEqual(values["解决时长90分位(小时)"], 8.8)
        self.assertAlmostEqual(values["平均满意度"], 3.5)
        self.assertEqual(values["2分"], 1)
        self.assertEqual(values["5分"], 1)
        self.assertEqual(values["3分"], 0)
        self.assertEqual(values["重复投诉数"], 1)
        self.assertAlmostEqual(values["重复投诉率(%)"], 100.0 / 3)

    def test_export_breakdowns(self):
        book = self._export()
        sheet = book.sheet_by_name("按分类")
        self.assertEqual(sheet.row_values(0)[:2], ["分类", "投诉数"])
        rows = [sheet.row_values(r) for r in range(1, sheet.nrows)]
        self.assertEqual([(row[0], row[1]) for row in rows], [
            (self.category_elevator.display_name, 2),
            (self.category_noise.display_name, 1)])
        elevator = dict(zip(sheet.row_values(0), rows[0]))
        self.assertAlmostEqual(elevator["响应达标率(%)"], 100.0)
        self.assertAlmostEqual(elevator["重复投诉率(%)"], 50.0)
        month = book.sheet_by_name("按月份")
        self.assertEqual(month.row_values(0)[0], "月份")
        self.assertEqual(month.row_values(1)[:2], ["2026-03", 3])
        team = book.sheet_by_name("按班组")
        self.assertEqual(team.row_values(1)[:2], [self.team.name, 3])

    def test_export_satisfaction_and_root_causes(self):
        book = self._export()
        sheet = book.sheet_by_name("满意度分布")
        self.assertEqual(sheet.row_values(0), ["满意度", "评价数", "占比(%)"])
        self.assertEqual(sheet.row_values(2)[:2], ["2分 不满意", 1])
        self.assertAlmostEqual(sheet.row_values(2)[2], 50.0)
        self.assertEqual(sheet.row_values(3)[1], 0)
        causes = book.sheet_by_name("主要原因")
        self.assertEqual(causes.row_values(0),
                         ["排名", "根本原因", "投诉数", "占比(%)", "纠正措施"])
        self.assertEqual(causes.nrows, 2)
        rank, cause, count, share, actions = causes.row_values(1)
        self.assertEqual((rank, cause, count), (1, "Worn door sensor", 2))
        self.assertAlmostEqual(share, 200.0 / 3)
        self.assertEqual(sorted(actions.split("\n")),
                         ["Inspect sensors", "Replace sensors quarterly"])

    def test_export_writes_text_not_formulas(self):
        """Text typed by users (root causes, corrective actions, names) is
        written as text: a leading = + - @ never makes a live formula."""
        payloads = ['=HYPERLINK("http://evil.example.com","x")',
                    "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)"]
        self.c1.write({"root_cause": payloads[0],
                       "corrective_action": payloads[2]})
        self.c2.write({"root_cause": payloads[1],
                       "corrective_action": payloads[3]})
        self.team.name = "=1+1"
        wizard = self.env["property.complaint.export"].create({
            "date_from": "2026-03-01", "date_to": "2026-03-31",
            "estate_ids": [(6, 0, self.estate.ids)],
        })
        wizard.action_export()
        data = base64.b64decode(wizard.file_data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [name for name in archive.namelist()
                      if name.startswith("xl/worksheets/sheet")]
            self.assertEqual(len(sheets), 8)
            for name in sheets:
                self.assertNotIn(b"<f>", archive.read(name), name)
        book = openpyxl.load_workbook(io.BytesIO(data))
        causes = book["主要原因"]
        texts = {causes.cell(row=row, column=2).value
                 for row in range(2, causes.max_row + 1)}
        self.assertEqual(texts, {payloads[0], payloads[1]})
        actions = {causes.cell(row=row, column=5).value
                   for row in range(2, causes.max_row + 1)}
        self.assertEqual(actions, {payloads[2], payloads[3]})
        self.assertEqual(book["按班组"].cell(row=2, column=1).value, "=1+1")
        self.assertEqual(book["按班组"].cell(row=2, column=1).data_type, "s")
