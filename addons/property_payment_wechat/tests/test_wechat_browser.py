# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An owner pays a bill with WeChat Pay from a phone, in a real browser:
headless Chromium at 360×740 (``property_portal.tests.browser``) opens the
bill, pays it at the stub's H5 cashier, comes back to the paid payment and
downloads the receipt. Screenshots go to test-artifacts/wechat-pay/."""
from odoo.addons.property_billing.tests.common_pdf import (
    flat_text, pdf_file_text)
from odoo.addons.property_portal.tests.browser import (
    pay_online, print_real_pdfs)

from .common import WechatPayCase

PASSWORD = "wechat-browser-pwd"


class TestWechatPayInTheBrowser(WechatPayCase):

    def _create_data(self, env):
        result = super()._create_data(env)
        # the screenshots in Chinese where the database has it
        lang = "zh_CN" if env["res.lang"].search(
            [("code", "=", "zh_CN")]) else "en_US"
        user = env["res.users"].browse(self.portal_user_id)
        user.write({"password": PASSWORD, "lang": lang, "tz": "Asia/Shanghai"})
        user.partner_id.lang = lang
        self.login = user.login
        self.march_number = env["account.invoice"].browse(
            self.march_id).number
        return result

    def setUp(self):
        super().setUp()
        print_real_pdfs(self)

    def test_owner_pays_a_bill_on_the_phone_and_downloads_the_receipt(self):
        bill, pay, cashier, paid, receipt = pay_online(
            self, self.login, PASSWORD, self.march_id, self.acquirer_id, "wechat-pay")
        self.assertIn(self.march_number, bill["text"])
        self.assertIn("250.60", pay["text"].replace(",", ""))
        # WeChat's own page asks for exactly the bill's amount
        self.assertTrue(cashier["url"].startswith(self.stub.url), cashier["url"])
        self.assertIn("¥250.60", cashier["text"])
        # back on the portal: paid, with the receipt at once
        self.assertIn("/my/payments/", paid["url"])
        states, receipts, residuals = self._paid()
        self.assertEqual(states, ["done"])
        self.assertEqual(len(receipts), 1)
        self.assertEqual(receipts[0][0], 250.60)
        self.assertEqual(residuals, [0.0, 180.0])
        with self._env() as env:
            receipt_name = env["property.receipt"].search(
                [("partner_id", "=", self.owner_id)]).name
        self.assertIn(receipt_name, paid["text"])
        # WeChat Pay heard the acknowledgement it expects (no retry)
        self.assertEqual([status for _no, status in self.stub.notified],
                         [200])
        self.assertEqual(receipt["head"][:4], "%PDF")
        text = flat_text(pdf_file_text(receipt["path"]))
        self.assertIn(receipt_name, text)
        self.assertIn("250.60", text)
