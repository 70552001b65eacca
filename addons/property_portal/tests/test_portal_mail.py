# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Owners (portal users) do not send e-mail of their own from the company's
server, nor read the outgoing mail of others: Odoo 11 gives the portal group
read, create and write on ``mail.mail`` (access_mail_mail_portal) with no
record rule. Their own flows still work: a comment posted on their bill
notifies its followers, the notification mail being made by Odoo as the
superuser."""
from odoo.exceptions import AccessError

from odoo.addons.property_billing.tests.common import PropertyCase


class TestPortalMail(PropertyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls._create_portal_user(cls.owner)
        cls.victim = cls._create_owner(email="victim@example.com")
        cls.invoice = cls._create_posted_bill(cls.owner, cls.unit)
        cls.manager.notification_type = "email"
        cls.invoice.message_subscribe(
            partner_ids=(cls.owner | cls.manager.partner_id).ids)
        # a notice to another owner waiting in the queue, with its bill's link
        cls.queued = cls.env["mail.mail"].create({
            "subject": "Billing notice", "email_to": "victim@example.com",
            "body_html": "<p>/my/invoices/1?access_token=secret</p>"})

    def _rpc(self, model, method, *args, **kwargs):
        """``PropertyCase._rpc`` as the owner."""
        return super()._rpc(self.portal_user, model, method, *args, **kwargs)

    def _mails_to_victim(self):
        return self.env["mail.mail"].search([
            ("email_to", "=", "victim@example.com"),
            ("id", "!=", self.queued.id)])

    def test_owner_cannot_create_or_send_mail_over_rpc(self):
        with self.assertRaises(AccessError):
            self._rpc("mail.mail", "create", {
                "subject": "Your account is suspended",
                "email_to": "victim@example.com",
                "body_html": "<p>Pay to 6222 0000 0000 0000</p>"})
        with self.assertRaises(AccessError):
            self._rpc("mail.mail", "send", self.queued.ids)
        self.assertFalse(self._mails_to_victim())
        self.assertEqual(self.queued.state, "outgoing")

    def test_owner_cannot_read_or_redirect_queued_mail(self):
        with self.assertRaises(AccessError):
            self._rpc("mail.mail", "search_read",
                      [("id", "=", self.queued.id)], ["body_html"])
        with self.assertRaises(AccessError):
            self._rpc("mail.mail", "read", self.queued.ids, ["body_html"])
        with self.assertRaises(AccessError):
            self._rpc("mail.mail", "write", self.queued.ids,
                      {"email_to": "owner@example.com"})
        self.assertEqual(self.queued.email_to, "victim@example.com")

    def test_owner_cannot_mass_mail_through_the_composer(self):
        composer_vals = {
            "composition_mode": "mass_mail", "model": "account.invoice",
            "res_id": self.invoice.id, "subject": "Urgent",
            "body": "<p>Pay to 6222 0000 0000 0000</p>",
            "partner_ids": [(6, 0, self.victim.ids)]}
        with self.assertRaises(AccessError):
            composer = self._rpc("mail.compose.message", "create", composer_vals)
            self._rpc("mail.compose.message", "send_mail", [composer])
        self.assertFalse(self._mails_to_victim())

    def test_owner_comments_on_own_bill_and_followers_are_notified(self):
        # as the portal chatter posts it (portal.controllers.mail)
        message_id = self._rpc(
            "account.invoice", "message_post", self.invoice.ids,
            body="Why is March higher?", message_type="comment",
            subtype="mail.mt_comment")
        message = self.env["mail.message"].browse(message_id)
        self.assertEqual(message.author_id, self.owner)
        self.assertEqual(message.model, "account.invoice")
        self.assertEqual(message.res_id, self.invoice.id)
        # the notification mail was made and sent (in test mode Odoo sends it
        # at once and deletes it, as it does after the commit otherwise)
        notifications = self.env["mail.notification"].search([
            ("mail_message_id", "=", message_id), ("is_email", "=", True)])
        self.assertEqual(notifications.mapped("res_partner_id"),
                         self.manager.partner_id)
        self.assertEqual(notifications.mapped("email_status"), ["sent"])
