# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An owner pays a second bill with Alipay from a phone, in a real browser:
headless Chromium at 360×740 (``property_portal.tests.browser``) opens the
bill, pays it at the stub's wap.pay cashier, comes back to the paid payment
and downloads the receipt. Screenshots go to test-artifacts/alipay-pay/."""
from odoo import SUPERUSER_ID, api

from odoo.addons.property_billing.tests.common_pdf import (
    flat_text, pdf_file_text)
from odoo.addons.property_portal.tests.browser import (
    pay_online, print_real_pdfs)

from .common import AlipayCase

LOGIN, PASSWORD = "property-portal-owner", "property-portal-pwd"


class TestAlipayInTheBrowser(AlipayCase):

    def _create_data(self, env):
        result = super()._create_data(env)
        # the screenshots in Chinese where the database has it
        user = env["res.users"].search([("login", "=", LOGIN)])
        user.tz = "Asia/Shanghai"
        if env["res.lang"].search([("code", "=", "zh_CN")]):
            user.lang = "zh_CN"
            env["res.partner"].browse(self.owner_id).lang = "zh_CN"
        self.numbers = env["account.invoice"].browse(
            self.bill_ids).mapped("number")
        return result

    def setUp(self):
        super().setUp()
        print_real_pdfs(self)

    def test_owner_pays_the_second_bill_on_the_phone(self):
        february = self.bill_ids[1]
        bill, pay, cashier, paid, receipt = pay_online(
            self, LOGIN, PASSWORD, february, self.acquirer_id, "alipay-pay")
        self.assertIn(self.numbers[1], bill["text"])
        self.assertIn("80.25", pay["text"].replace(",", ""))
        # Alipay's phone cashier (wap.pay), for exactly the bill's amount
        self.assertTrue(cashier["url"].startswith(self.stub.url),
                        cashier["url"])
        self.assertIn("¥80.25", cashier["text"])
        order = list(self.stub.orders.values())[0]
        self.assertEqual(order["method"], "alipay.trade.wap.pay")
        # back on the portal: paid, with its receipt
        self.assertIn("/my/payments/", paid["url"])
        self.assertEqual([answer for _no, answer in self.stub.notified],
                         ["success"])
        done = self._tx_values()
        self.assertEqual(done["state"], "done")
        self.assertEqual((done["receipts"], done["receipt_amount"]),
                         (1, 80.25))
        self.assertEqual(done["residuals"], [120.5, 0.0, 99.0])
        with self.registry.cursor() as cr:
            receipt_name = api.Environment(cr, SUPERUSER_ID, {})[
                "property.receipt"].search(
                    [("partner_id", "=", self.owner_id)]).name
        self.assertIn(receipt_name, paid["text"])
        self.assertEqual(receipt["head"][:4], "%PDF")
        text = flat_text(pdf_file_text(receipt["path"]))
        self.assertIn(receipt_name, text)
        self.assertIn("80.25", text)
