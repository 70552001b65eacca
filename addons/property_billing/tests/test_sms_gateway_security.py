# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SMS gateway reaches only what it should (https, or hosts a system
administrator allowed), follows no redirect, waits a bounded time, and never
writes its API key or a full mobile number into an error, a log or a
delivery."""
import logging

from odoo.exceptions import AccessError, ValidationError

from odoo.addons.property_billing.tests.common_notice import NoticeCase, utc
from odoo.addons.property_billing.tests.sms_stub import SmsStub, SmsStubMixin

GATEWAY_LOGGER = "odoo.addons.property_billing.models.property_sms_gateway"
PARAM = "property_billing.sms_gateway_insecure_hosts"


class TestSmsGatewaySecurity(SmsStubMixin, NoticeCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.elsewhere = SmsStub(api_key=None).start()
        cls.gateway = cls._create_gateway(cls.stub.url, api_key="stub-key")
        cls.owner.write({"mobile": "13800138001"})

    @classmethod
    def tearDownClass(cls):
        cls.elsewhere.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.elsewhere.reset()

    # -- redirects -------------------------------------------------------------------

    def test_redirect_is_not_followed(self):
        # 307 keeps the method and the body: followed, it would POST the
        # message and the API key header to the other server
        self.stub.redirect_next(self.elsewhere.url, status=307)
        result = self.gateway._send_sms("13800138001", "hello")
        self.assertFalse(result.ok)
        self.assertIn("redirect", result.error)
        self.assertIn("307", result.error)
        self.assertEqual(self.elsewhere.requests, 0)
        self.assertEqual(self.elsewhere.messages, [])

    # -- redaction -------------------------------------------------------------------

    def test_key_and_mobile_are_not_in_stored_errors_nor_logs(self):
        # a provider echoing the request in its error text
        self.stub.error_text = "rejected key stub-key for 13800138001"
        self.stub.fail_next(1)
        delivery = self.Delivery._queue(self.invoice, ["sms"])
        # a number, not "INFO": Odoo names its level 25 INFO
        with self.assertLogs(GATEWAY_LOGGER, level=logging.INFO) as logs:
            self.Delivery._cron_send_queued(now=utc("2026-03-10 02:00"))
        self.assertEqual(self.stub.requests, 1)
        self.assertEqual(delivery.reason_code, "send_error")
        texts = [delivery.reason, self.gateway.last_error] + logs.output
        for text in texts:
            self.assertNotIn("stub-key", text)
            self.assertNotIn("13800138001", text)
        self.assertIn("138****8001", delivery.reason)
        self.assertIn("***", self.gateway.last_error)
        self.assertTrue(any("138****8001" in line for line in logs.output))

    def test_unreachable_error_keeps_no_key(self):
        self.gateway.write({"url": "http://127.0.0.1:9/sms?key=stub-key"})
        result = self.gateway._send_sms("13800138001", "hello")
        self.assertFalse(result.ok)
        self.assertNotIn("stub-key", result.error)
        self.assertNotIn("stub-key", self.gateway.last_error)

    # -- hosts -----------------------------------------------------------------------

    def _refused(self, url):
        with self.assertRaises(ValidationError) as caught:
            self._create_gateway(url)
        return caught.exception.name

    def test_bad_urls_are_refused_with_a_clear_message(self):
        self.assertIn("https://", self._refused("http://sms.example.com/send"))
        self.assertIn("https://", self._refused("ftp://sms.example.com/"))
        self.assertIn("https://", self._refused("https:///no-host"))
        for internal in ("https://127.0.0.2/sms", "https://localhost/sms",
                         "https://10.1.2.3/sms", "https://169.254.169.254/",
                         "https://[::1]:8069/"):
            self.assertIn("local or private", self._refused(internal), internal)
        self.assertIn("password", self._refused("https://u:p@sms.example.com/"))
        self.assertIn(PARAM, self._refused("http://192.168.1.20/sms"))
        # a public https provider is fine (nothing is called when saving)
        self.assertTrue(self._create_gateway("https://sms.example.com/send"))

    def test_allow_list_is_checked_again_when_sending(self):
        self.env["ir.config_parameter"].sudo().set_param(PARAM, "")
        result = self.gateway._send_sms("13800138001", "hello")
        self.assertFalse(result.ok)
        self.assertIn("not called", result.error)
        self.assertEqual(self.stub.requests, 0)

    def test_allow_list_is_for_system_administrators_only(self):
        # billing managers configure gateways, not the system parameters
        Param = self.env["ir.config_parameter"].sudo(self.manager)
        with self.assertRaises(AccessError):
            Param.set_param(PARAM, "10.0.0.1")

    # -- timeout ---------------------------------------------------------------------

    def test_timeout_is_bounded(self):
        for value in (0.0, 0.5, 31.0, 3600.0):
            with self.assertRaises(ValidationError) as caught:
                self._create_gateway(self.stub.url, timeout=value)
            self.assertIn("between 1 and 30 seconds", caught.exception.name)
        self.assertEqual(
            self._create_gateway(self.stub.url, timeout=30.0)._timeout(), 30.0)
