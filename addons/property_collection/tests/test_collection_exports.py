# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The monthly management report (a PDF through wkhtmltopdf, read back) and
the Excel exports (read back with openpyxl): Chinese headers, texts kept as
text, totals that are the reports' own."""
import base64
import io

from openpyxl import load_workbook

from odoo.exceptions import AccessError, ValidationError

from odoo.addons.property_billing.tests.common_pdf import (
    PdfReportMixin, flat_text)
from odoo.addons.property_payment.tests.common import PaymentCase


class TestCollectionExports(PdfReportMixin, PaymentCase):
    """March: the owner's bill of 200 (management 150, refuse 50) paid 150
    in cash on Mar 20; a second unit (code 0101, a leading zero) billed 100
    and paid 100 by WeChat Pay on Mar 25. February: the owner's bill of 80
    unpaid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.february = cls._bill(80.0, period="2026-02")
        cls.march = cls._bill(period="2026-03", lines=[
            ("物业管理费 2026-03", 150.0), ("垃圾处理费 2026-03", 50.0)])
        cls.service._pay(cls.owner, 150.0, "cash", invoices=cls.march,
                         date="2026-03-20", estate=cls.estate)
        cls.neighbour = cls._create_owner(name="=HYPERLINK(\"x\")")
        cls.unit_0101 = cls._create_unit(code="0101")
        cls._create_occupancy(unit_id=cls.unit_0101.id,
                              partner_id=cls.neighbour.id)
        cls.neighbour_march = cls._bill(100.0, period="2026-03",
                                        partner=cls.neighbour,
                                        unit=cls.unit_0101)
        cls.service._pay(cls.neighbour, 100.0, "wechat",
                         invoices=cls.neighbour_march, date="2026-03-25",
                         estate=cls.estate)
        cls.card = cls.env["property.collection.dashboard"].search(
            [("estate_id", "=", cls.estate.id)])

    # -- the monthly report ----------------------------------------------------

    def test_the_monthly_figures(self):
        # cold caches: the labels' translations are read in between
        self.env.registry.clear_caches()
        figures = self.card._monthly_figures("2026-03")
        self.assertEqual(figures["current"], (300.0, 250.0, 83.33))
        # February as of its last day: 80 billed, nothing collected
        self.assertEqual(figures["last_month"], (80.0, 0.0, 0.0))
        self.assertEqual(figures["last_year"], (0.0, 0.0, None))
        # March began with February's 80 overdue, none of it recovered
        self.assertEqual(figures["recovery"], (80.0, 0.0, 0.0))
        # at the end of March: February's 80 (31 days past its 28th) and
        # the 50 left on the owner's March bill (3 days past)
        ageing = {bucket["code"]: bucket["amount"]
                  for bucket in figures["ageing"]}
        self.assertEqual(ageing["0-30"], 50.0)
        self.assertEqual(ageing["31-90"], 80.0)
        self.assertEqual(figures["overdue"], 130.0)
        self.assertEqual([(row["receipts"], row["amount"])
                          for row in figures["channels"]],
                         [(1, 150.0), (1, 100.0)])
        building = [row for row in figures["buildings"]
                    if row["id"] == self.building.id]
        self.assertEqual((building[0]["billed"], building[0]["collected"],
                          building[0]["overdue"]), (300.0, 250.0, 130.0))

    def test_the_pdf_prints_the_month(self):
        report = self.env.ref(
            "property_collection.action_report_collection_monthly")
        text = flat_text(self._pdf_text(self._render_pdf(
            report, self.card, data={"period": "2026-03"})))
        self.assertIn(self.estate.name, text)
        self.assertIn("2026-03", text)
        for figure in ("300.00", "250.00", "83.3 %", "130.00", "80.00"):
            self.assertIn(figure, text)

    def test_the_form_prints_for_staff_only(self):
        wizard = self.env["property.collection.monthly"].sudo(
            self.cashier).create({"period": "2026-03",
                                  "estate_ids": [(6, 0, self.estate.ids)]})
        action = wizard.action_print()
        self.assertEqual(action["report_name"],
                         "property_collection.report_collection_monthly")
        self.assertEqual(action["data"], {"period": "2026-03"})
        portal = self._portal_user()
        wizard = self.env["property.collection.monthly"].sudo(portal).create(
            {"period": "2026-03", "estate_ids": [(6, 0, self.estate.ids)]})
        with self.assertRaises(AccessError):
            wizard.action_print()
        with self.assertRaises(AccessError):
            self.env["report.property_collection.report_collection_monthly"]\
                .sudo(portal).get_report_values(self.card.ids,
                                                {"period": "2026-03"})

    # -- the exports -----------------------------------------------------------

    def _portal_user(self):
        return self._create_user(
            "portal-owner", [], groups_id=[(6, 0, [
                self.env.ref("base.group_portal").id])])

    def _export(self, user=None, **vals):
        vals.setdefault("estate_id", self.estate.id)
        wizard = self.env["property.collection.export"].sudo(
            user or self.cashier).create(vals)
        action = wizard.action_export()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0]))
        book = load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        return book.active

    def test_collection_rate_export(self):
        sheet = self._export(report="collection", group_by="building_id",
                             date_from="2026-02-01", date_to="2026-03-31")
        rows = list(sheet.values)
        self.assertEqual(rows[0], ("账期", "楼栋", "应收金额", "实收金额",
                                   "其他核销", "未收金额", "收缴率(%)"))
        self.assertEqual(rows[1][:6], ("2026-02", self.building.display_name, 80.0,
                                       0.0, 0.0, 80.0))
        self.assertEqual(rows[2][:6], ("2026-03", self.building.display_name, 300.0,
                                       250.0, 0.0, 50.0))
        self.assertAlmostEqual(rows[2][6], 83.33, places=2)
        self.assertEqual(rows[3][:6], ("合计", None, 380.0, 250.0, 0.0,
                                       130.0))

    def test_arrears_export_keeps_texts_as_text(self):
        self.neighbour_bill = self._bill(60.0, period="2026-04",
                                         partner=self.neighbour,
                                         unit=self.unit_0101)
        sheet = self._export(report="arrears")
        rows = list(sheet.values)
        self.assertEqual(rows[0][:6], ("账单号", "账期", "小区", "楼栋", "房号",
                                       "业主"))
        by_bill = {row[0]: row for row in rows[1:-1]}
        row = by_bill[self.neighbour_bill.number]
        unit_name = self.unit_0101.display_name
        self.assertEqual(row[4], unit_name)
        self.assertEqual(row[5], '=HYPERLINK("x")')
        cell = sheet.cell(row=rows.index(row) + 1, column=6)
        self.assertEqual(cell.data_type, "s")
        self.assertEqual(row[15], 60.0)
        self.assertIn(row[13], ("是", "否"))
        self.assertEqual(rows[-1][0], "合计")
        self.assertEqual(rows[-1][15], sum(r[15] for r in rows[1:-1]))

    def test_takings_export_by_day_and_channel(self):
        sheet = self._export(report="takings", date_from="2026-03-01",
                             date_to="2026-03-31")
        rows = list(sheet.values)
        self.assertEqual(rows[0], ("日期", "收款渠道", "实收金额"))
        days = [(row[0], row[2]) for row in rows[1:-1]]
        self.assertEqual(days, [("2026-03-20", 150.0), ("2026-03-25", 100.0)])
        self.assertTrue(all(isinstance(row[1], str) for row in rows[1:-1]))

    def test_curve_and_recovery_exports(self):
        sheet = self._export(report="curve", date_from="2026-02-01",
                             date_to="2026-03-31")
        rows = list(sheet.values)
        self.assertEqual(rows[0][:3], ("账期", "应收金额", "0天回款率(%)"))
        self.assertEqual([row[:2] for row in rows[1:3]],
                         [("2026-02", 80.0), ("2026-03", 300.0)])
        # March: 250 of 300 within 30 days of the 1st
        self.assertAlmostEqual(rows[2][3], 83.33, places=2)
        sheet = self._export(report="recovery", group_by="estate_id",
                             date_from="2026-03-01", date_to="2026-03-31")
        rows = list(sheet.values)
        self.assertEqual(rows[1][:4], ("2026-03", self.estate.display_name, 80.0, 0.0))

    def test_bad_exports_are_refused(self):
        Export = self.env["property.collection.export"].sudo(self.cashier)
        with self.assertRaises(ValidationError):
            Export.create({"report": "collection", "date_from": "2026-03-31",
                           "date_to": "2026-03-01"})
        with self.assertRaises(ValidationError):
            Export.create({"report": "recovery", "group_by": "fee_item_id"})
        with self.assertRaises(AccessError):
            self._export(user=self._portal_user(), report="collection")
