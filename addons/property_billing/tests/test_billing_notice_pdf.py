# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The billing notice PDF (缴费通知单), rendered by wkhtmltopdf and read back
with pdftotext: Chinese fields, line bases, arrears, bank account, QR code;
the building batch prints one page per unit, masked, and marks nothing."""
from odoo.exceptions import UserError

from odoo.addons.property_billing.tests.common_notice import BASIS, NoticeCase
from odoo.addons.property_billing.tests.common_pdf import PdfReportMixin, flat_text


class TestBillingNoticePdf(PdfReportMixin, NoticeCase):

    def _pdf(self, xmlid, records, data=None):
        return self._render_pdf(self.env.ref(xmlid), records, data=data)

    def _text(self, pdf):
        return self._pdf_text(pdf)

    @staticmethod
    def _flat(text):
        return flat_text(text)

    def assertInText(self, expected, flat):
        self.assertIn(self._flat(expected), flat)

    def test_notice_pdf_shows_every_field_in_chinese(self):
        pdf = self._pdf("property_billing.report_billing_notice_action", self.invoice)
        text = self._text(pdf)
        flat = self._flat(text)
        for expected in ("缴费通知单", "房号", self.unit.code, self.owner.name,
                         self.estate.name, "2026-03", "物业管理费", "公摊水电费",
                         BASIS, "250.60", "12.30", "262.90", "2026-03-16",
                         "缴费截止日期", self.estate.bank_account,
                         self.estate.bank_name, self.estate.service_phone,
                         self.invoice.number):
            self.assertInText(expected, flat)
        self.assertNotIn(self._flat("往期欠费"), flat)
        # the QR code is an embedded image (a data URI, no server needed)
        self.assertIn(b"/Image", pdf)

    def test_several_bills_print_one_page_each(self):
        second_unit = self._create_unit()
        second = self._create_bill(unit=second_unit)
        text = self._text(self._pdf(
            "property_billing.report_billing_notice_action", self.invoice | second))
        pages = [page for page in text.split("\f") if page.strip()]
        self.assertEqual(len(pages), 2)
        self.assertInText(self.unit.code, self._flat(pages[0]))
        self.assertInText(second_unit.code, self._flat(pages[1]))

    def test_notice_values_link_the_portal_bill_as_qr(self):
        values = self.env["report.property_billing.report_billing_notice"]\
            ._notice_values(self.invoice)
        self.assertTrue(values["qr"].startswith("data:image/png;base64,"))
        self.assertIn("/my/invoices/%d?access_token=%s" % (
            self.invoice.id, self.invoice.access_token), values["portal_url"])
        self.assertEqual(values["lines"][0]["basis"], BASIS)

    def test_previous_arrears_are_listed_and_added(self):
        february = self._create_bill(
            period="2026-02", date_invoice="2026-02-01", date_due="2026-02-16")
        march = self._create_bill(
            period="2026-03", date_invoice="2026-03-01", date_due="2026-03-16")
        # another unit's or a later bill is not an arrear of March
        self._create_bill(period="2026-04", date_invoice="2026-04-01",
                          date_due="2026-04-16")
        other_unit = self._create_unit()
        self._create_bill(unit=other_unit, period="2026-01",
                          date_invoice="2026-01-01", date_due="2026-01-16")
        report = self.env["report.property_billing.report_billing_notice"]
        arrears = report._previous_arrears(march)
        # self.invoice is also March 2026, created before: it counts too
        self.assertEqual(arrears, february | self.invoice)
        values = report._notice_values(march)
        self.assertAlmostEqual(values["arrears_total"], 525.80)
        self.assertAlmostEqual(values["total_due"], 788.70)
        flat = self._flat(self._text(self._pdf(
            "property_billing.report_billing_notice_action", march)))
        self.assertInText("往期欠费", flat)
        self.assertIn("2026-02", flat)
        self.assertIn("525.80", flat)
        self.assertIn("788.70", flat)

    def test_paid_bill_is_no_arrear(self):
        february = self._create_bill(
            period="2026-02", date_invoice="2026-02-01", date_due="2026-02-16")
        journal = self.env["account.journal"].search(
            [("type", "=", "cash"), ("company_id", "=", self.company.id)], limit=1)
        february.pay_and_reconcile(journal, february.residual, "2026-02-10")
        self.assertEqual(february.state, "paid")
        march = self._create_bill(date_invoice="2026-03-02")
        arrears = self.env["report.property_billing.report_billing_notice"]\
            ._previous_arrears(march)
        self.assertNotIn(february, arrears)

    def test_building_batch_one_page_per_unit_and_marks_nothing(self):
        second_unit, second_owner = self._create_unit(), self._create_owner(
            name="李四")
        self._create_occupancy(unit_id=second_unit.id, partner_id=second_owner.id)
        second = self._create_bill(unit=second_unit, partner=second_owner)
        other_period = self._create_bill(period="2026-02",
                                         date_invoice="2026-02-01")
        pdf = self._pdf("property_billing.report_billing_notice_building_action",
                        self.building, data={"billing_period": "2026-03"})
        text = self._text(pdf)
        pages = [page for page in text.split("\f") if page.strip()]
        self.assertEqual(len(pages), 2)
        self.assertInText(self.unit.code, self._flat(pages[0]))
        # a notice-board copy: the payer is masked
        self.assertInText("李*", self._flat(pages[1]))
        self.assertNotIn(self._flat("李四"), self._flat(pages[1]))
        # rendering is side-effect free: the wizard marks the print deliveries
        printed = self.Delivery.search([
            ("channel", "=", "print"),
            ("invoice_id", "in", (self.invoice | second | other_period).ids)])
        self.assertFalse(printed)

    def test_building_batch_defaults_to_latest_period(self):
        self._create_bill(period="2026-02", date_invoice="2026-02-01")
        values = self.env[
            "report.property_billing.report_billing_notice_building"
        ].get_report_values(self.building.ids)
        notices = values["batches"][0]["notices"]
        self.assertEqual([n["invoice"] for n in notices], [self.invoice])

    def test_building_batch_without_bills_is_refused(self):
        building = self._create_building()
        with self.assertRaises(UserError):
            self.env["report.property_billing.report_billing_notice_building"]\
                .get_report_values(building.ids, {"billing_period": "2026-03"})
