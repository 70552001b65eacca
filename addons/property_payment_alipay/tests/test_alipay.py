# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Alipay from the owner portal end to end, against the local stub: the
signed redirect, the notify that pays once, the refusals that pay nothing,
and the query that settles a payment whose notify was lost."""
import datetime
import json
import threading
from urllib.parse import parse_qsl, urlsplit

from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .alipay_stub import new_key
from .common import DESKTOP, WECHAT, AlipayCase

QUIET = ("odoo.addons.property_payment_alipay.models.payment_acquirer",
         "odoo.addons.property_payment_alipay.controllers.main")


class TestAlipayStart(AlipayCase):

    def _order(self, response):
        params = dict(parse_qsl(urlsplit(response.url).query))
        return params, json.loads(params["biz_content"])

    def test_desktop_pays_on_the_page_cashier(self):
        response = self._start("299.75", client="desktop")
        self.assertIn("支付宝收银台", response.text, "the stub accepted the sign")
        params, biz = self._order(response)
        self.assertEqual(params["method"], "alipay.trade.page.pay")
        self.assertEqual(biz["product_code"], "FAST_INSTANT_TRADE_PAY")
        self.assertEqual(biz["total_amount"], "299.75")
        tx = self._tx_values()
        self.assertEqual(biz["out_trade_no"], tx["reference"])
        self.assertEqual(tx["state"], "pending")
        self.assertTrue(params["notify_url"].endswith("/payment/alipay/notify"))
        self.assertTrue(params["return_url"].endswith(
            "/my/payments/%d" % tx["id"]))
        self.assertRegex(params["timestamp"],
                         r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        self.assertEqual(self.stub.requests, [("alipay.trade.page.pay", True)])

    def test_phone_pays_on_the_wap_cashier(self):
        response = self._start("120.50", bills=[0], client="mobile")
        self.assertIn("支付宝收银台", response.text)
        params, biz = self._order(response)
        self.assertEqual(params["method"], "alipay.trade.wap.pay")
        self.assertEqual(biz["product_code"], "QUICK_WAP_WAY")
        self.assertEqual(biz["total_amount"], "120.50")
        self.assertNotIn("/", biz["subject"])

    def test_a_tampered_redirect_is_refused_by_alipay(self):
        response = self._start("10.00", bills=[0])
        tampered = response.url.replace("total_amount%22%3A%2210.00",
                                        "total_amount%22%3A%220.01")
        self.assertNotEqual(tampered, response.url)
        self.assertIn("invalid-signature", self.opener.get(tampered).text)

    def test_not_offered_inside_wechat(self):
        self._login_owner()
        self.opener.headers["User-Agent"] = WECHAT
        page = self.url_open("/my/pay").text
        self.assertNotIn("Test Alipay", page)
        self.opener.headers["User-Agent"] = DESKTOP
        self.assertIn("Test Alipay", self.url_open("/my/pay").text)
        with self.registry.cursor() as cr:
            env = self._env(cr)
            acquirer = env["payment.acquirer"].browse(self.acquirer_id)
            self.assertFalse(acquirer._property_offered("wechat"))
            owner = env["res.partner"].browse(self.owner_id)
            with self.assertRaises(UserError):
                env["payment.transaction"]._property_create(
                    owner, acquirer, "10.00",
                    env["account.invoice"].browse(self.bill_ids[0]), "wechat")


class TestAlipayNotify(AlipayCase):

    def _paid_order(self, amount="299.75", bills=None):
        self._start(amount, bills=bills)
        return self._tx_values()["reference"]

    def test_notify_pays_the_bills_once_with_one_receipt(self):
        reference = self._paid_order()
        self.assertEqual(self.stub.notify(reference), "success")
        tx = self._tx_values()
        self.assertEqual(tx["state"], "done")
        self.assertEqual(tx["serial"], self.stub.orders[reference]["trade_no"])
        self.assertEqual(tx["receipts"], 1)
        self.assertAlmostEqual(tx["receipt_amount"], 299.75)
        self.assertEqual(tx["residuals"], [0.0, 0.0, 0.0])
        self.assertEqual(tx["bill_states"], ["paid", "paid", "paid"])

    def test_replayed_and_late_finished_notifies_pay_nothing_more(self):
        reference = self._paid_order()
        self.assertEqual(self.stub.notify(reference), "success")
        self.assertEqual(self.stub.notify(reference), "success")
        self.assertEqual(self.stub.notify(reference, status="TRADE_FINISHED"),
                         "success")
        tx = self._tx_values()
        self.assertEqual(tx["receipts"], 1)
        self.assertAlmostEqual(tx["receipt_amount"], 299.75)

    def test_two_concurrent_notifies_make_one_receipt(self):
        reference = self._paid_order()
        answers = []
        threads = [threading.Thread(
            target=lambda: answers.append(self.stub.notify(reference)))
            for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(answers, ["success", "success"])
        self.assertEqual(self._tx_values()["receipts"], 1)

    def test_forged_or_foreign_notifies_pay_nothing(self):
        reference = self._paid_order()
        for kind in ("bad_signature", "wrong_amount", "wrong_app_id",
                     "wrong_seller_id"):
            with self.subTest(kind=kind), mute_logger(*QUIET):
                self.assertEqual(self.stub.notify(reference, kind), "failure")
                tx = self._tx_values()
                self.assertEqual(tx["receipts"], 0)
                self.assertEqual(tx["state"], "pending")
                self.assertEqual(tx["bill_states"], ["open"] * 3)
        # the accountant sees why the wrong amount was not taken
        self.assertIn("0.01", self._tx_values()["message"])
        # the genuine notify still pays
        self.assertEqual(self.stub.notify(reference), "success")
        self.assertEqual(self._tx_values()["receipts"], 1)

    def test_unknown_order_is_refused(self):
        reference = self._paid_order()
        params = self.stub.notify_params(reference)
        self.stub.orders["PP20260000999999"] = dict(
            self.stub.orders[reference])
        forged = self.stub.notify_params("PP20260000999999")
        with mute_logger(*QUIET):
            self.assertEqual(self.stub.notify("PP20260000999999",
                                              params=forged), "failure")
        self.assertEqual(self._tx_values()["receipts"], 0)
        self.assertEqual(self.stub.notify(reference, params=params), "success")

    def test_a_garbled_notify_is_refused(self):
        reference = self._paid_order()
        url = self.stub.orders[reference]["notify_url"]
        with mute_logger(*QUIET):
            self.assertEqual(self.opener.post(url, data={"a": "b"}).text,
                             "failure")
            self.assertEqual(self.opener.post(url, data={
                "out_trade_no": reference, "charset": "gbk"}).text, "failure")
        self.assertEqual(self._tx_values()["state"], "pending")

    def test_waiting_is_acknowledged_and_closed_cancels(self):
        reference = self._paid_order()
        self.assertEqual(self.stub.notify(reference, status="WAIT_BUYER_PAY"),
                         "success")
        self.assertEqual(self._tx_values()["state"], "pending")
        self.assertEqual(self.stub.notify(reference, status="TRADE_CLOSED"),
                         "success")
        tx = self._tx_values()
        self.assertEqual(tx["state"], "cancel")
        self.assertEqual(tx["receipts"], 0)

    def test_closed_after_paid_keeps_the_payment(self):
        reference = self._paid_order()
        self.stub.notify(reference)
        self.assertEqual(self.stub.notify(reference, status="TRADE_CLOSED"),
                         "success")
        tx = self._tx_values()
        self.assertEqual(tx["state"], "done")
        self.assertEqual(tx["receipts"], 1)

    def test_two_bills_and_part_of_a_third(self):
        # 120.50 + 80.25 + 50.00 of the 99.00
        reference = self._paid_order("250.75")
        self.assertEqual(self.stub.notify(reference), "success")
        tx = self._tx_values()
        self.assertEqual(tx["bill_states"], ["paid", "paid", "open"])
        self.assertEqual(tx["residuals"][:2], [0.0, 0.0])
        self.assertAlmostEqual(tx["residuals"][2], 49.0)
        self.assertEqual(tx["receipts"], 1)
        self.assertAlmostEqual(tx["receipt_amount"], 250.75)


class TestAlipayQuery(AlipayCase):

    def _age(self, tx_id):
        with self.registry.cursor() as cr:
            cr.execute("UPDATE payment_transaction SET create_date = %s "
                       "WHERE id = %s", [datetime.datetime.utcnow()
                                         - datetime.timedelta(minutes=10),
                                         tx_id])

    def _cron(self):
        with self.registry.cursor() as cr:
            self._env(cr)["payment.transaction"]._property_cron_query()

    def test_cron_settles_a_payment_whose_notify_was_lost(self):
        self._start("299.75")
        tx = self._tx_values()
        self._age(tx["id"])
        self._cron()  # not paid yet: nothing happens
        self.assertEqual(self._tx_values()["state"], "pending")
        self.stub.pay(tx["reference"])
        self._cron()
        tx = self._tx_values()
        self.assertEqual(tx["state"], "done")
        self.assertEqual(tx["receipts"], 1)
        self.assertEqual(tx["residuals"], [0.0, 0.0, 0.0])
        self.assertIn(("alipay.trade.query", True), self.stub.requests)
        # the notify arriving late changes nothing
        self.assertEqual(self.stub.notify(tx["reference"]), "success")
        self.assertEqual(self._tx_values()["receipts"], 1)

    def test_query_of_an_order_alipay_never_saw(self):
        self._start("299.75")
        tx = self._tx_values()
        del self.stub.orders[tx["reference"]]
        with self.registry.cursor() as cr:
            env = self._env(cr)
            record = env["payment.transaction"].browse(tx["id"])
            self.assertFalse(record.acquirer_id._property_query(record))
        self.assertEqual(self._tx_values()["state"], "pending")

    def test_a_forged_query_answer_is_not_believed(self):
        self._start("299.75")
        tx = self._tx_values()
        self.stub.pay(tx["reference"])
        real, self.stub.key = self.stub.key, new_key()
        try:
            with self.registry.cursor() as cr, mute_logger(*QUIET):
                env = self._env(cr)
                record = env["payment.transaction"].browse(tx["id"])
                with self.assertRaises(UserError):
                    record.acquirer_id._property_query(record)
        finally:
            self.stub.key = real
        self.assertEqual(self._tx_values()["receipts"], 0)
