# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The receipt (收款收据) as printed: HTML of the QWeb report for receipts
taken through the allocation service, and the PDF rendered by wkhtmltopdf
and read back with pdftotext: number, payer, unit, fee lines with periods,
advance credit, total in figures and capitals, channel and serial, cashier,
seal box, the 作废 VOID stamp, the 补打 reprint mark; and who may print."""
from odoo.exceptions import AccessError

from odoo.addons.property_billing.tests.common_pdf import (
    PdfReportMixin, flat_text as _flat)

from .common import PaymentCase

REPORT = "property_payment.action_report_property_receipt"


class TestReceiptReport(PdfReportMixin, PaymentCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bill = cls._bill(
            period="2026-02", due="2026-02-28",
            lines=[("物业管理费", 150.0), ("公摊水电费", 50.0)])
        cls.receipt = cls.env["property.payment.service"].sudo(
            cls.cashier)._pay(cls.owner, 300, "cash", estate=cls.estate,
                              date="2026-03-05", serial="SN-20260305-0001",
                              tendered=500)

    def _html(self, receipts, user=None):
        report = self.env.ref(REPORT).sudo(user or self.cashier)
        html, kind = report.render_qweb_html(receipts.ids)
        self.assertEqual(kind, "html")
        if isinstance(html, bytes):
            html = html.decode("utf-8")
        return _flat(html)

    def _pdf(self, receipts, user=None):
        return self._render_pdf(
            self.env.ref(REPORT).sudo(user or self.cashier), receipts)

    def _void(self, receipt, reason):
        """Void through the service (as ``action_void`` does; the void
        itself is tested with the service)."""
        self.env["property.payment.service"]._void_receipt(receipt, reason)
        receipt.invalidate_cache()

    # -- content ------------------------------------------------------------------

    def test_receipt_taken_as_expected(self):
        """The receipt the tests print: 200 on the bill, 100 advance."""
        self.assertEqual(self.receipt.state, "posted")
        self.assertAlmostEqual(self.receipt.amount, 300.0)
        self.assertAlmostEqual(self.receipt.allocated_amount, 200.0)
        self.assertAlmostEqual(self.receipt.advance_amount, 100.0)
        self.assertEqual(self.receipt.amount_words, "人民币叁佰元整")

    def test_html_shows_every_field(self):
        html = self._html(self.receipt)
        for expected in (
                "收款收据", self.receipt.name, "2026-03-05",
                self.company.name, self.estate.name,
                self.owner.name, self.unit.code, self.building.name, "89.50",
                "物业管理费", "公摊水电费", "2026-02",
                "¥150.00", "¥50.00", "预存款", "¥100.00",
                "¥300.00", "人民币叁佰元整",
                "现金", "SN-20260305-0001", "¥500.00", "¥200.00",
                "收款人", self.cashier.name, "财务专用章"):
            self.assertIn(expected, html)
        self.assertNotIn("作废", html)
        self.assertNotIn("补打", html)

    def test_capitals_follow_the_amount(self):
        self._bill(period="2026-03", due="2026-03-31", amount=1001.05)
        receipt = self._pay(1001.05, channel="card", date="2026-03-06",
                            serial="POS-778899")
        self.assertEqual(receipt.amount_words, "人民币壹仟零壹元零伍分")
        html = self._html(receipt)
        self.assertIn("人民币壹仟零壹元零伍分", html)
        self.assertIn("¥1,001.05", html)
        self.assertIn("银行卡", html)
        self.assertIn("POS-778899", html)
        # all of it on the bill: no advance credit row
        self.assertNotIn("预存款", html)

    def test_advance_only_receipt_lists_the_payers_unit(self):
        """Paid ahead with no bill open: the unit still shows."""
        # self.bill was settled by the class receipt: this is all advance
        receipt = self._pay(80, date="2026-03-05")
        self.assertFalse(receipt.unit_ids)
        html = self._html(receipt)
        self.assertIn(self.unit.code, html)
        self.assertIn("¥80.00", html)
        self.assertIn("人民币捌拾元整", html)

    def test_two_units_get_a_unit_column(self):
        garage = self._create_unit(code="P-0%d" % self._next(), area=12.5,
                                   inner_area=12.0)
        self._create_occupancy(unit_id=garage.id)
        self._bill(period="2026-03", due="2026-03-31", unit=garage,
                   amount=60.0, name="停车费")
        self._bill(period="2026-03", due="2026-03-31", amount=120.0)
        receipt = self._pay(180, channel="wechat", date="2026-03-07",
                            serial="WX4200001234")
        self.assertEqual(len(receipt.unit_ids), 2)
        html = self._html(receipt)
        for expected in (self.unit.code, garage.code, "12.50", "停车费",
                         "¥60.00", "¥120.00", "人民币壹佰捌拾元整", "微信支付",
                         "WX4200001234"):
            self.assertIn(expected, html)
        # the unit of each line: a column of its own
        self.assertEqual(html.count(garage.code), 2)
        self.assertEqual(
            self._html(self.receipt).count(self.unit.code), 1)

    def test_void_receipt_carries_stamp_and_reason(self):
        self._void(self.receipt, "Wrong unit keyed in")
        self.assertEqual(self.receipt.state, "void")
        html = self._html(self.receipt)
        self.assertIn("作废", html)
        self.assertIn("VOID", html)
        self.assertIn("Wrong unit keyed in", html)
        # a void receipt still shows what it was
        self.assertIn(self.receipt.name, html)
        self.assertIn("人民币叁佰元整", html)

    def test_chinese_payer_gets_chinese_labels(self):
        self._load_lang("zh_CN")
        self.owner.lang = "zh_CN"
        html = self._html(self.receipt)
        self.assertIn("收款收据", html)
        self.assertIn("交款人", html)
        self.assertNotIn("Amount in words", html)
        self.assertNotIn("Finance seal", html)

    # -- PDF ------------------------------------------------------------------

    def test_pdf_renders_in_chinese(self):
        text = _flat(self._pdf_text(self._pdf(self.receipt)))
        for expected in ("收款收据", self.receipt.name, self.owner.name,
                         self.unit.code, "物业管理费", "¥300.00",
                         "人民币叁佰元整", "财务专用章"):
            self.assertIn(_flat(expected), text)
        self.assertNotIn(_flat("补打"), text)

    def test_second_pdf_is_marked_reprint(self):
        self.assertEqual(self.receipt.print_count, 0)
        # the preview counts nothing
        self._html(self.receipt)
        self.assertEqual(self.receipt.print_count, 0)
        self._pdf(self.receipt)
        self.assertEqual(self.receipt.print_count, 1)
        text = _flat(self._pdf_text(self._pdf(self.receipt)))
        self.assertIn(_flat("补打"), text)
        self.assertEqual(self.receipt.print_count, 2)

    def test_void_pdf_carries_stamp(self):
        self._void(self.receipt, "Duplicate payment")
        text = _flat(self._pdf_text(self._pdf(self.receipt)))
        self.assertIn(_flat("作废"), text)
        self.assertIn("Duplicate payment", text)

    def test_two_receipts_print_one_page_each(self):
        self._bill(period="2026-03", due="2026-03-31", amount=88.0)
        second = self._pay(88, date="2026-03-06")
        text = self._pdf_text(self._pdf(self.receipt | second))
        pages = [page for page in text.split("\f") if page.strip()]
        self.assertEqual(len(pages), 2)
        self.assertIn(self.receipt.name, pages[0])
        self.assertIn(second.name, pages[1])

    # -- who may print -----------------------------------------------------------

    def test_portal_owner_cannot_render_over_rpc(self):
        portal = self._create_portal_user(self.owner)
        with self.assertRaises(AccessError):
            self._rpc(portal, "report.property_payment.report_receipt",
                      "get_report_values", [self.receipt.id])
        report = self.env.ref(REPORT)
        with self.assertRaises(AccessError):
            self._rpc(portal, "ir.actions.report", "render_qweb_pdf",
                      [report.id], [self.receipt.id])
        self.receipt.invalidate_cache()
        self.assertEqual(self.receipt.print_count, 0)

    def test_other_company_cannot_print(self):
        other = self.env["res.company"].create({"name": "Other Property Co"})
        outsider = self._create_user(
            "outsider", [self.group_billing_user.id], company=other)
        with self.assertRaises(AccessError):
            self._html(self.receipt, user=outsider)
