# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Notice-board copies of billing notices (the building batch): no bearer
token in their QR code, the payer masked unless the company chooses
otherwise, and rendering them records nothing: the wizard's button does."""
from odoo.addons.property_billing.tests.common_notice import NoticeCase

BOARD_REPORT = "property_billing.report_billing_notice_building_action"
BILL_REPORT = "property_billing.report_billing_notice_action"


class TestNoticeBoard(NoticeCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner.write({"name": "张三丰", "mobile": "13800138000"})
        cls.Report = cls.env["report.property_billing.report_billing_notice"]
        cls.base_url = cls.env["ir.config_parameter"].sudo().get_param(
            "web.base.url").rstrip("/")

    def _html(self, xmlid, records, data=None):
        html, kind = self.env.ref(xmlid).render_qweb_html(records.ids, data=data)
        self.assertEqual(kind, "html")
        return html.decode("utf-8")

    def _board_html(self):
        return self._html(BOARD_REPORT, self.building,
                          data={"billing_period": "2026-03"})

    def _token_qr(self):
        """The QR code of the bill's link with its access token."""
        if not self.invoice.access_token:
            self.invoice._generate_access_token()
        return self.Report._qr_data_uri(
            "%s/my/invoices/%d?access_token=%s" % (
                self.base_url, self.invoice.id, self.invoice.access_token))

    def _print_deliveries(self):
        return self.Delivery.search([("invoice_id", "=", self.invoice.id),
                                     ("channel", "=", "print")])

    # -- no bearer token on the board --------------------------------------------

    def test_board_copy_qr_has_no_access_token(self):
        token_qr = self._token_qr()
        html = self._board_html()
        self.assertNotIn(token_qr, html)
        self.assertNotIn("access_token", html)
        # the QR leads to the login page, then to the portal page of the bill
        login_qr = self.Report._qr_data_uri(
            "%s/web/login?redirect=%%2Fmy%%2Finvoices%%2F%d" % (
                self.base_url, self.invoice.id))
        self.assertIn(login_qr, html)
        self.assertIn("扫码登录业主门户查看账单", html)

    def test_notice_to_the_payer_keeps_its_token_link(self):
        html = self._html(BILL_REPORT, self.invoice)
        self.assertIn(self._token_qr(), html)
        self.assertIn("张三丰", html)
        self.assertIn("13800138000", html)

    # -- masked payer ----------------------------------------------------------------

    def test_board_copy_masks_name_and_mobile(self):
        self.assertFalse(self.company.property_notice_board_unmask)
        html = self._board_html()
        self.assertNotIn("张三丰", html)
        self.assertNotIn("13800138000", html)
        self.assertIn("张**", html)
        self.assertIn("138****8000", html)

    def test_company_setting_unmasks_the_board_copy(self):
        self.company.property_notice_board_unmask = True
        html = self._board_html()
        self.assertIn("张三丰", html)
        self.assertIn("13800138000", html)
        self.assertNotIn(self._token_qr(), html)

    # -- rendering has no side effect ----------------------------------------------

    def test_rendering_the_board_batch_marks_nothing(self):
        self._board_html()
        self.assertFalse(self._print_deliveries())
        # the same through the report's values (what GET /report/html calls)
        self.env["report.property_billing.report_billing_notice_building"]\
            .get_report_values(self.building.ids, {"billing_period": "2026-03"})
        self.assertFalse(self._print_deliveries())

    def test_wizard_button_marks_the_batch_printed(self):
        wizard = self.env["property.notice.send"].sudo(self.clerk).create({
            "invoice_ids": [(6, 0, self.invoice.ids)],
            "channel_email": False, "channel_sms": False,
            "channel_portal": False, "channel_print": True,
            "send_now": False})
        action = wizard.action_send()
        self.assertEqual(action["report_name"],
                         "property_billing.report_billing_notice_building")
        self.assertEqual(action["data"], {"invoice_ids": self.invoice.ids})
        delivery = self._print_deliveries()
        self.assertEqual(delivery.state, "sent")
        self.assertTrue(delivery.sent_at)
