# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WeChat Pay end to end against the stub: orders, notifies, the query."""
import base64
import datetime
import json
import re
import threading
import time

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from odoo import fields
from odoo.exceptions import AccessError, UserError
import odoo.tests.common

from odoo.addons.property_billing.tests.common import load_suite_language

from .common import APPID, MCHID, WechatPayCase, merchant_key

BOTH = 430.60  # March 250.60 + April 180.00
NOTIFY_URL = "http://127.0.0.1:%d/payment/wechatpay/notify"


class TestWechatPayStart(WechatPayCase):
    """Starting a payment: the order the stub receives, what the owner gets."""

    def test_native_on_desktop_gives_qr_code(self):
        tx_id, out_trade_no, started = self._start()
        self.assertTrue(started["qr_text"].startswith("weixin://wxpay/"))
        order = self.stub.orders[out_trade_no]["order"]
        last = self.stub.requests[-1]
        self.assertIsNone(last["refusal"], "the stub verified our signature")
        self.assertEqual(last["target"], "/v3/pay/transactions/native")
        self.assertEqual(order["amount"], {"total": 43060, "currency": "CNY"})
        self.assertEqual((order["mchid"], order["appid"]), (MCHID, APPID))
        self.assertEqual(order["notify_url"],
                         NOTIFY_URL % odoo.tests.common.PORT)
        self.assertIn(out_trade_no, order["description"])
        self.assertTrue(order["time_expire"].endswith("+08:00"))
        self.assertEqual(self._paid(), (["pending"], [], [250.6, 180.0]))

    def test_h5_on_phone_redirects_to_wechat(self):
        tx_id, out_trade_no, started = self._start(client="mobile")
        url = started["redirect_url"]
        self.assertTrue(url.startswith(
            self.stub.url + "/cgi-bin/mmpayweb-bin/checkmweb?prepay_id="))
        # WeChat sends the owner back to the payment's page
        self.assertIn("redirect_url=http%3A%2F%2F127.0.0.1", url)
        self.assertIn("%2Fmy%2Fpayments%2F" + str(tx_id), url)
        order = self.stub.orders[out_trade_no]
        self.assertEqual(order["mode"], "h5")
        self.assertEqual(order["order"]["scene_info"]["h5_info"],
                         {"type": "Wap"})
        self.assertTrue(order["order"]["scene_info"]["payer_client_ip"])

    def test_inside_wechat_without_jsapi_uses_h5(self):
        _tx, out_trade_no, started = self._start(client="wechat")
        self.assertIn("redirect_url", started)
        self.assertEqual(self.stub.orders[out_trade_no]["mode"], "h5")

    def test_jsapi_inside_wechat_signed_for_the_bridge(self):
        with self._env() as env:
            env["payment.acquirer"].browse(self.acquirer_id).write(
                {"wechatpay_jsapi": True})
        _tx, out_trade_no, started = self._start(
            client="wechat", wechatpay_openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
        params = started["jsapi"]
        prepay_id = self.stub.orders[out_trade_no]["prepay_id"]
        self.assertEqual(params["package"], "prepay_id=" + prepay_id)
        self.assertEqual((params["appId"], params["signType"]), (APPID, "RSA"))
        message = "%s\n%s\n%s\n%s\n" % (APPID, params["timeStamp"],
                                        params["nonceStr"], params["package"])
        merchant_key().public_key().verify(
            base64.b64decode(params["paySign"]), message.encode(),
            padding.PKCS1v15(), hashes.SHA256())

    def test_gateway_error_in_the_owner_language_nothing_paid(self):
        with self._env() as env:
            load_suite_language(env, "zh_CN")
        self.stub.fail_next = (500, "SYSTEM_ERROR")
        with self.assertRaisesRegex(UserError, "微信支付拒绝了本次支付（SYSTEM_ERROR）"):
            self._start(lang="zh_CN")
        self.assertEqual(self._paid(), ([], [], [250.6, 180.0]))

    def test_wrong_merchant_serial_refused_by_wechat(self):
        with self._env() as env:
            env["payment.acquirer"].browse(self.acquirer_id).write(
                {"wechatpay_serial_no": "0123456789ABCDEF"})
        with self.assertRaisesRegex(UserError, "SIGN_ERROR"):
            self._start()
        self.assertEqual(self.stub.requests[-1]["refusal"], "serial_no")

    def test_forged_answer_not_believed(self):
        self.stub.forge_answers = True
        try:
            with self.assertRaisesRegex(UserError, "could not be verified"):
                self._start()
        finally:
            self.stub.forge_answers = False
        self.assertEqual(self._paid(), ([], [], [250.6, 180.0]))

    def test_unreachable_gateway(self):
        with self._env() as env:
            env["payment.acquirer"].browse(self.acquirer_id).write(
                {"wechatpay_api_url": "http://127.0.0.1:9"})
        with self.assertRaisesRegex(UserError, "cannot be reached"):
            self._start()

    def test_not_configured_acquirer_refuses(self):
        with self._env() as env:
            env["payment.acquirer"].browse(self.acquirer_id).write(
                {"wechatpay_private_key": False})
        with self.assertRaisesRegex(UserError, "not configured"):
            self._start()

    def test_owner_cannot_read_the_merchant_secrets(self):
        with self._env() as env:
            owner = env["res.users"].browse(self.portal_user_id)
            acquirer = env["payment.acquirer"].browse(
                self.acquirer_id).sudo(owner)
            with self.assertRaises(AccessError):
                acquirer.read(["wechatpay_private_key"])
            with self.assertRaises(AccessError):
                acquirer.read(["wechatpay_apiv3_key"])


class TestWechatPayNotify(WechatPayCase):
    """WeChat Pay's notification settles the payment once, verified."""

    def _assert_refused(self, answer, status):
        self.assertEqual(answer[0], status)
        self.assertEqual(json.loads(answer[1].decode())["code"], "FAIL")
        self.assertEqual(self._paid(), (["pending"], [], [250.6, 180.0]))

    def test_notify_pays_two_bills_one_receipt(self):
        tx_id, out_trade_no, _started = self._start()
        status, body = self.stub.notify(out_trade_no)
        self.assertEqual((status, body), (200, b""))
        serial = self.stub.orders[out_trade_no]["transaction_id"]
        self.assertEqual(self._paid(), (["done"], [(BOTH, serial)], [0, 0]))
        with self._env() as env:
            tx = env["payment.transaction"].browse(tx_id)
            self.assertEqual(tx.acquirer_reference, serial)
            self.assertEqual(tx.property_receipt_id.channel_code,
                             "online_wechat")
            bills = env["account.invoice"].browse(
                [self.march_id, self.april_id])
            self.assertEqual(bills.mapped("state"), ["paid", "paid"])

    def test_notify_signed_with_public_key(self):
        _tx, out_trade_no, _s = self._start(bill_ids=[self.march_id])
        status, _body = self.stub.notify(out_trade_no, key="public")
        self.assertEqual(status, 200)
        serial = self.stub.orders[out_trade_no]["transaction_id"]
        self.assertEqual(self._paid(), (["done"], [(250.6, serial)],
                                        [0, 180.0]))

    def test_replayed_notify_answers_success_pays_once(self):
        _tx, out_trade_no, _s = self._start()
        request = self.stub.notify_request(out_trade_no)
        self.assertEqual(self.stub.send(*request)[0], 200)
        # the very same message again, and a fresh retry of it
        self.assertEqual(self.stub.send(*request)[0], 200)
        self.assertEqual(self.stub.notify(out_trade_no)[0], 200)
        states, receipts, residuals = self._paid()
        self.assertEqual((states, len(receipts), residuals),
                         (["done"], 1, [0, 0]))

    def test_concurrent_notifies_pay_once(self):
        _tx, out_trade_no, _s = self._start()
        requests = [self.stub.notify_request(out_trade_no) for _i in range(2)]
        answers = []
        barrier = threading.Barrier(2)

        def post(request):
            barrier.wait()
            answers.append(self.stub.send(*request)[0])
        threads = [threading.Thread(target=post, args=(request,))
                   for request in requests]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        # a notify that met the other's lock is run again by Odoo, and finds
        # the order paid: both are acknowledged
        self.assertEqual(answers, [200, 200])
        states, receipts, residuals = self._paid()
        self.assertEqual((states, len(receipts), residuals),
                         (["done"], 1, [0, 0]))

    def test_forged_signature_refused(self):
        _tx, out_trade_no, _s = self._start()
        self._assert_refused(self.stub.notify(out_trade_no, forge=True), 401)

    def test_signtest_probe_refused(self):
        _tx, out_trade_no, _s = self._start()
        self._assert_refused(self.stub.notify(
            out_trade_no, signature_prefix="WECHATPAY/SIGNTEST/"), 401)

    def test_expired_timestamp_refused(self):
        _tx, out_trade_no, _s = self._start()
        self._assert_refused(self.stub.notify(
            out_trade_no, timestamp=int(time.time()) - 600), 401)

    def test_unknown_serial_refused(self):
        _tx, out_trade_no, _s = self._start()
        url, headers, body = self.stub.notify_request(out_trade_no)
        headers["Wechatpay-Serial"] = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
        self._assert_refused(self.stub.send(url, headers, body), 401)

    def test_wrong_amount_refused_and_noted(self):
        tx_id, out_trade_no, _s = self._start()
        self._assert_refused(self.stub.notify(out_trade_no, total=1), 400)
        with self._env() as env:
            message = env["payment.transaction"].browse(tx_id).state_message
        self.assertIn("0.01", message)
        self.assertIn("430.6", message)

    def test_wrong_mchid_refused(self):
        _tx, out_trade_no, _s = self._start()
        self._assert_refused(self.stub.notify(out_trade_no,
                                              mchid="1900000000"), 400)

    def test_wrong_appid_refused(self):
        _tx, out_trade_no, _s = self._start()
        self._assert_refused(self.stub.notify(out_trade_no,
                                              appid="wx0000000000000000"), 400)

    def test_other_apiv3_key_refused(self):
        _tx, out_trade_no, _s = self._start()
        self._assert_refused(self.stub.notify(
            out_trade_no, apiv3_key=b"X" * 32), 400)

    def test_unknown_order_refused(self):
        _tx, out_trade_no, _s = self._start()
        self._assert_refused(self.stub.notify(
            out_trade_no, out_trade_no="PP20260101999999"), 404)


class TestWechatPayQuery(WechatPayCase):
    """The query: the cron settles what a lost notify left unpaid."""

    def _age(self, tx_id, minutes=10):
        with self._env() as env:
            env.cr.execute(
                "UPDATE payment_transaction SET create_date = %s WHERE id = %s",
                [fields.Datetime.to_string(datetime.datetime.utcnow()
                                           - datetime.timedelta(minutes=minutes)),
                 tx_id])

    def test_cron_settles_a_lost_notify(self):
        tx_id, out_trade_no, _s = self._start()
        serial = self.stub.pay(out_trade_no)  # paid; the notify never came
        self._age(tx_id)
        with self._env() as env:
            env["payment.transaction"]._property_cron_query()
        self.assertEqual(self._paid(), (["done"], [(BOTH, serial)], [0, 0]))
        # the late notify changes nothing more
        self.assertEqual(self.stub.notify(out_trade_no)[0], 200)
        self.assertEqual(self._paid(), (["done"], [(BOTH, serial)], [0, 0]))
        self.assertEqual(self.stub.requests[-1]["target"],
                         "/v3/pay/transactions/out-trade-no/%s?mchid=%s"
                         % (out_trade_no, MCHID))

    def test_query_of_an_unpaid_order(self):
        tx_id, _no, _s = self._start()
        with self._env() as env:
            tx = env["payment.transaction"].browse(tx_id)
            self.assertFalse(tx.acquirer_id._property_query(tx))
        self.assertEqual(self._paid(), (["pending"], [], [250.6, 180.0]))

    def test_partial_payment_of_a_bill(self):
        tx_id, out_trade_no, _s = self._start(amount="100.00",
                                              bill_ids=[self.march_id])
        self.assertEqual(self.stub.orders[out_trade_no]["order"]["amount"],
                         {"total": 10000, "currency": "CNY"})
        serial = self.stub.pay(out_trade_no)
        with self._env() as env:
            tx = env["payment.transaction"].browse(tx_id)
            self.assertTrue(tx.acquirer_id._property_query(tx))
        self.assertEqual(self._paid(), (["done"], [(100.0, serial)],
                                        [150.6, 180.0]))
        with self._env() as env:
            march = env["account.invoice"].browse(self.march_id)
            self.assertEqual(march.state, "open")


class TestWechatPayPortal(WechatPayCase):
    """The owner's way through the portal: pay page, QR code, receipt."""

    def test_owner_pays_two_bills_from_the_portal(self):
        with self._env() as env:
            user = env["res.users"].browse(self.portal_user_id)
            user.write({"password": "owner-pwd"})
            login = user.login
        self.authenticate(login, "owner-pwd")
        base = "http://127.0.0.1:%d" % odoo.tests.common.PORT
        page = self.url_open("/my/pay")
        self.assertIn("WeChat Pay (stub)", page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"',
                          page.text).group(1)
        response = self.opener.post(base + "/my/pay", data={
            "csrf_token": token, "amount": "430.60",
            "bill_ids": [self.march_id, self.april_id],
            "method": str(self.acquirer_id)}, allow_redirects=False,
            timeout=30)
        self.assertIn(response.status_code, (302, 303), response.text[:500])
        location = response.headers["Location"]
        self.assertRegex(location, r"/my/payments/\d+$")
        with self._env() as env:
            tx = env["payment.transaction"].browse(
                int(location.rsplit("/", 1)[1]))
            self.assertEqual(tx.state, "pending")
            self.assertTrue(tx.property_qr_text.startswith("weixin://"))
            out_trade_no = tx.reference
        self.assertEqual(self.stub.notify(out_trade_no)[0], 200)
        status_page = self.url_open(location)
        with self._env() as env:
            receipt = env["payment.transaction"].browse(
                int(location.rsplit("/", 1)[1])).property_receipt_id
            self.assertEqual(receipt.amount, BOTH)
            self.assertIn(receipt.name, status_page.text)
        self.assertEqual(self._paid()[2], [0, 0])
