# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Delivery of billing notices: SMS through a local stub gateway (quiet
hours, retries), e-mail, portal, no duplicates, the could-not-reach list."""
import socket

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.property_billing.tests.common_notice import NoticeCase, utc
from odoo.addons.property_billing.tests.sms_stub import SmsStubMixin


def free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class TestNoticeDelivery(SmsStubMixin, NoticeCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls._create_gateway(cls.stub.url)

    def _sms(self, invoice=None):
        return self.Delivery._queue(invoice or self.invoice, ["sms"])

    def _unreachable(self):
        action = self.env.ref(
            "property_billing.property_notice_delivery_action_unreachable")
        return self.Delivery.search(safe_eval(action.domain))

    # -- SMS -------------------------------------------------------------------

    def test_sms_sent_to_stub_gateway(self):
        delivery = self._sms()
        self.assertEqual(delivery.state, "queued")
        # 10:00 in Shanghai
        self.Delivery._cron_send_queued(now=utc("2026-03-10 02:00"))
        self.assertEqual(delivery.state, "sent")
        self.assertEqual(delivery.sent_at, "2026-03-10 02:00:00")
        self.assertEqual(delivery.attempts, 1)
        self.assertEqual(delivery.reference, "stub-1")
        self.assertEqual(len(self.stub.messages), 1)
        message = self.stub.messages[0]
        self.assertEqual(message["to"], self.owner.mobile)
        self.assertEqual(message["sign"], "【绿园物业】")
        self.assertEqual(message["api_key"], "stub-key")
        self.assertIn(self.unit.code, message["text"])
        self.assertIn("262.90", message["text"])
        self.assertIn("2026-03-16", message["text"])
        self.assertIn("/my/invoices/%d?access_token=" % self.invoice.id,
                      message["text"])
        # a second run sends nothing more
        self.Delivery._cron_send_queued(now=utc("2026-03-10 03:00"))
        self.assertEqual(len(self.stub.messages), 1)

    def test_sms_failure_is_retried_then_succeeds(self):
        delivery = self._sms()
        self.stub.fail_next(1)
        self.Delivery._cron_send_queued(now=utc("2026-03-10 02:00"))
        self.assertEqual(delivery.state, "queued")
        self.assertEqual(delivery.attempts, 1)
        self.assertEqual(delivery.reason_code, "send_error")
        self.assertIn("500", delivery.reason)
        self.assertEqual(delivery.next_attempt_at, "2026-03-10 02:05:00")
        self.assertIn("stub failure", self.gateway.last_error)
        self.assertFalse(self.stub.messages)
        # not due yet
        requests = self.stub.requests
        self.Delivery._cron_send_queued(now=utc("2026-03-10 02:04"))
        self.assertEqual(delivery.attempts, 1)
        self.assertEqual(self.stub.requests, requests)
        self.Delivery._cron_send_queued(now=utc("2026-03-10 02:05"))
        self.assertEqual(delivery.state, "sent")
        self.assertEqual(delivery.attempts, 2)
        self.assertFalse(delivery.reason_code)
        self.assertEqual(len(self.stub.messages), 1)

    def test_sms_fails_for_good_after_max_attempts(self):
        delivery = self._sms()
        self.stub.fail_next(10)
        for clock in ("2026-03-10 02:00", "2026-03-10 02:05", "2026-03-10 02:15"):
            self.Delivery._cron_send_queued(now=utc(clock))
        self.assertEqual(delivery.state, "failed")
        self.assertEqual(delivery.attempts, 3)
        self.assertEqual(delivery.reason_code, "max_attempts")
        self.assertFalse(delivery.next_attempt_at)
        self.assertIn(delivery, self._unreachable())
        # staff fix the number and queue it again
        delivery.action_retry()
        self.stub.fail_next(0)
        self.assertEqual((delivery.state, delivery.attempts), ("queued", 0))
        self.Delivery._cron_send_queued(now=utc("2026-03-10 03:00"))
        self.assertEqual(delivery.state, "sent")

    def test_quiet_hours_defer_sms_to_next_morning(self):
        delivery = self._sms()
        # 22:00 in Shanghai
        self.Delivery._cron_send_queued(now=utc("2026-03-10 14:00"))
        self.assertEqual(delivery.state, "queued")
        self.assertEqual(delivery.attempts, 0)
        self.assertEqual(delivery.next_attempt_at, "2026-03-11 00:00:00")  # 08:00
        self.assertFalse(self.stub.messages)
        self.Delivery._cron_send_queued(now=utc("2026-03-10 23:59"))  # 07:59
        self.assertFalse(self.stub.messages)
        self.Delivery._cron_send_queued(now=utc("2026-03-11 00:00"))
        self.assertEqual(delivery.state, "sent")
        self.assertEqual(delivery.sent_at, "2026-03-11 00:00:00")
        self.assertEqual(len(self.stub.messages), 1)

    def test_retry_falling_in_quiet_hours_waits_for_morning(self):
        delivery = self._sms()
        self.stub.fail_next(1)
        self.Delivery._cron_send_queued(now=utc("2026-03-10 12:58"))  # 20:58
        self.assertEqual(delivery.next_attempt_at, "2026-03-11 00:00:00")

    def test_wrong_api_key_is_a_failure(self):
        self.gateway.api_key = "wrong"
        delivery = self._sms()
        self.Delivery._cron_send_queued(now=utc("2026-03-10 02:00"))
        self.assertEqual(delivery.state, "queued")
        self.assertIn("401", delivery.reason)
        self.assertIn("bad api key", delivery.reason)

    def test_unreachable_gateway_is_a_failure(self):
        self.gateway.url = "http://127.0.0.1:%d/sms" % free_port()
        result = self.gateway._send_sms("13800000001", "hello")
        self.assertFalse(result.ok)
        self.assertIn("cannot be reached", result.error)
        self.assertEqual(self.gateway.last_error, result.error)

    def test_gateway_refuses_bad_settings(self):
        with self.assertRaises(ValidationError):
            self._create_gateway("ftp://example.com")
        with self.assertRaises(ValidationError):
            self._create_gateway(self.stub.url, max_attempts=0)
        with self.assertRaises(ValidationError):
            self._create_gateway(self.stub.url, quiet_start=25.0)

    def test_sms_without_consent_is_skipped(self):
        owner = self._create_owner(property_sms_consent=False, email=False)
        unit = self._create_unit()
        self._create_occupancy(unit_id=unit.id, partner_id=owner.id)
        invoice = self._create_bill(unit=unit, partner=owner)
        delivery = self._sms(invoice)
        self.assertEqual((delivery.state, delivery.reason_code),
                         ("skipped", "no_sms_consent"))
        self.Delivery._cron_send_queued(now=utc("2026-03-10 02:00"))
        self.assertFalse(self.stub.messages)
        self.assertIn(delivery, self._unreachable())

    # -- one delivery per bill and channel ---------------------------------------

    def test_no_duplicate_delivery_per_invoice_and_channel(self):
        first = self.Delivery._queue(self.invoice)
        self.assertEqual(sorted(first.mapped("channel")),
                         ["email", "portal", "print", "sms"])
        again = self.Delivery._queue(self.invoice)
        self.assertEqual(first, again)
        self.assertEqual(self.Delivery.search_count(
            [("invoice_id", "=", self.invoice.id)]), 4)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            self.Delivery.create({"invoice_id": self.invoice.id, "channel": "sms"})

    def test_sent_delivery_is_not_sent_again_unless_resend(self):
        delivery = self._sms()
        self.Delivery._cron_send_queued(now=utc("2026-03-10 02:00"))
        self.Delivery._queue(self.invoice, ["sms"])
        self.assertEqual(delivery.state, "sent")
        self.Delivery._queue(self.invoice, ["sms"], resend=True)
        self.assertEqual(delivery.state, "queued")
        self.Delivery._cron_send_queued(now=utc("2026-03-10 02:10"))
        self.assertEqual(len(self.stub.messages), 2)

    def test_draft_bill_is_refused(self):
        draft = self._create_bill(post=False)
        with self.assertRaises(UserError):
            self.Delivery._queue(draft)

    # -- e-mail and portal ------------------------------------------------------

    def test_email_uses_the_billing_notice_template(self):
        delivery = self.Delivery._queue(self.invoice, ["email"])
        self.Delivery._cron_send_queued(now=utc("2026-03-10 02:00"))
        self.assertEqual(delivery.state, "sent")
        self.assertEqual(delivery.destination, self.owner.email)
        mail = delivery.mail_id
        self.assertTrue(mail)
        self.assertEqual(mail.recipient_ids, self.owner)
        self.assertIn(self.invoice.number, mail.subject)
        self.assertIn("89.50 m² × 2.80 元/m²/月 × 1 月", mail.body_html)
        self.assertIn(self.estate.bank_account, mail.body_html)
        self.assertTrue(mail.attachment_ids, "the notice PDF is attached")
        self.assertTrue(self.invoice.sent)

    def test_portal_notice_is_a_message_visible_to_the_owner(self):
        mails_before = self.env["mail.mail"].search_count([])
        delivery = self.Delivery._queue(self.invoice, ["portal"])
        self.Delivery._cron_send_queued(now=utc("2026-03-10 02:00"))
        self.assertEqual(delivery.state, "sent")
        message = delivery.message_id
        self.assertEqual((message.model, message.res_id),
                         ("account.invoice", self.invoice.id))
        self.assertEqual(message.message_type, "comment")
        self.assertFalse(message.subtype_id.internal)
        self.assertIn(message, self.invoice.website_message_ids)
        self.assertIn(self.owner, message.partner_ids)
        self.assertIn(self.owner, self.invoice.message_partner_ids)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before,
                         "the portal channel sends no e-mail")

    # -- could not reach ------------------------------------------------------

    def test_could_not_reach_lists_owner_without_mobile_or_email(self):
        owner = self._create_owner(mobile=False, email=False)
        unit = self._create_unit()
        self._create_occupancy(unit_id=unit.id, partner_id=owner.id)
        invoice = self._create_bill(unit=unit, partner=owner)
        deliveries = self.Delivery._queue(invoice)
        by_channel = {d.channel: d for d in deliveries}
        self.assertEqual(by_channel["email"].reason_code, "no_contact")
        self.assertEqual(by_channel["sms"].reason_code, "no_contact")
        self.assertEqual(by_channel["portal"].state, "queued")
        self.assertEqual(by_channel["print"].state, "queued")
        unreachable = self._unreachable()
        self.assertIn(owner, unreachable.mapped("partner_id"))
        self.assertNotIn(self.owner, self._unreachable().mapped("partner_id"))
        # the Python domain and the menu action agree
        self.assertEqual(
            unreachable, self.Delivery.search(self.Delivery._unreachable_domain()))

    def test_could_not_reach_lists_vacant_units(self):
        unit = self._create_unit(state="vacant")
        owner = self._create_owner()
        self._create_occupancy(unit_id=unit.id, partner_id=owner.id)
        invoice = self._create_bill(unit=unit, partner=owner)
        deliveries = self.Delivery._queue(invoice)
        printed = deliveries.filtered(lambda d: d.channel == "print")
        self.assertEqual(printed.reason_code, "vacant")
        self.assertIn(printed, self._unreachable())

    # -- the wizard -------------------------------------------------------------

    def test_wizard_sends_selected_bills_on_chosen_channels(self):
        wizard = self.env["property.notice.send"].with_context(
            active_model="account.invoice", active_ids=self.invoice.ids).create({
                "channel_email": False, "channel_sms": False,
                "channel_portal": True, "channel_print": False})
        self.assertEqual(wizard.invoice_ids, self.invoice)
        action = wizard.action_send()
        deliveries = self.Delivery.search(action["domain"])
        self.assertEqual(deliveries.mapped("channel"), ["portal"])
        self.assertEqual(deliveries.state, "sent")

    def test_wizard_needs_a_channel(self):
        wizard = self.env["property.notice.send"].create({
            "invoice_ids": [(6, 0, self.invoice.ids)],
            "channel_email": False, "channel_sms": False,
            "channel_portal": False, "channel_print": False})
        with self.assertRaises(UserError):
            wizard.action_send()
