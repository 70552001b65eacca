# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Owners (portal users) on the chatter of their own bills, over Odoo's RPC
dispatch: they follow their bills, so they may post on them, but only public
comments, as themselves, to the bill's followers, with files they have just
uploaded; they follow bills themselves only, and they are not the mail
gateway."""
import base64

from odoo.exceptions import AccessError

from .common import PropertyCase, load_suite_language

FILE = base64.b64encode(b"%PDF-1.4 receipt")


class TestOwnerChatter(PropertyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls._create_portal_user(
            cls.owner, login="chatter_owner")
        cls.victim = cls._create_owner(email="victim@example.com")
        cls.invoice = cls._create_posted_bill(cls.owner, cls.unit)
        cls.manager.notification_type = "email"
        cls.invoice.message_subscribe(
            partner_ids=(cls.owner | cls.manager.partner_id).ids)

    def _rpc(self, model, method, *args, **kwargs):
        """``PropertyCase._rpc`` as the owner."""
        return super()._rpc(self.portal_user, model, method, *args, **kwargs)

    def _post(self, **kwargs):
        return self._rpc("account.invoice", "message_post", self.invoice.ids,
                         body="Why is March higher?", **kwargs)

    def _upload(self, user):
        att_id = PropertyCase._rpc(self, user, "ir.attachment", "create", {
            "name": "receipt.pdf", "datas_fname": "receipt.pdf",
            "datas": FILE, "res_model": "mail.compose.message", "res_id": 0})
        return self.env["ir.attachment"].browse(att_id)

    def _counts(self):
        messages = self.env["mail.message"].search_count([])
        mails = self.env["mail.mail"].search_count([])
        notified = self.env["mail.notification"].search_count([
            ("res_partner_id", "=", self.victim.id)])
        return messages, mails, notified

    def _assert_refused(self, **kwargs):
        before = self._counts()
        with self.assertRaises(AccessError):
            self._post(**kwargs)
        self.assertEqual(self._counts(), before)
        self.assertNotIn(self.victim, self.invoice.message_partner_ids)

    # -- message_post -----------------------------------------------------------

    def test_owner_comment_on_own_bill_notifies_followers(self):
        # the call of Odoo's portal chatter (portal.controllers.mail)
        message_id = self._post(message_type="comment", subtype="mt_comment",
                                author_id=self.owner.id,
                                context={"mail_create_nosubscribe": True})
        message = self.env["mail.message"].browse(message_id)
        self.assertEqual(message.author_id, self.owner)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(self.owner.email, message.email_from)
        self.assertFalse(message.partner_ids)
        notified = self.env["mail.notification"].search([
            ("mail_message_id", "=", message_id)])
        self.assertEqual(notified.mapped("res_partner_id"),
                         self.manager.partner_id)
        self.assertEqual(notified.mapped("email_status"), ["sent"])

    def test_owner_attaches_fresh_upload_bound_to_the_bill(self):
        receipt = self._upload(self.portal_user)
        message_id = self._post(attachment_ids=receipt.ids)
        message = self.env["mail.message"].browse(message_id)
        self.assertEqual(message.attachment_ids, receipt)
        self.assertEqual((receipt.res_model, receipt.res_id),
                         ("account.invoice", self.invoice.id))

    def test_owner_cannot_mail_other_partners(self):
        self._assert_refused(partner_ids=[self.victim.id])
        self._assert_refused(partner_ids=[(4, self.victim.id)])
        self._assert_refused(partner_ids=[(6, 0, self.victim.ids)])
        self._assert_refused(needaction_partner_ids=[(4, self.victim.id)])
        self._assert_refused(channel_ids=[(4, 1)])

    def test_owner_cannot_post_as_someone_else(self):
        self._assert_refused(author_id=self.manager.partner_id.id)
        self._assert_refused(author_id=self.victim.id)
        self._assert_refused(email_from="Billing <billing@example.com>")

    def test_refusal_in_owner_language(self):
        load_suite_language(self.env)
        self.portal_user.lang = "zh_CN"
        with self.assertRaises(AccessError) as refused:
            # as the web client and XML-RPC clients send it
            self._post(partner_ids=[self.victim.id],
                       context={"lang": "zh_CN"})
        self.assertIn("您不能向其他人发送消息", str(refused.exception))

    def test_owner_cannot_post_internal_notes(self):
        self._assert_refused(subtype="mail.mt_note")
        self._assert_refused(subtype_id=self.env.ref("mail.mt_note").id)
        self._assert_refused(message_type="email")

    def test_owner_attaches_only_own_fresh_uploads(self):
        staff_file = self._upload(self.manager)
        self._assert_refused(attachment_ids=staff_file.ids)
        self.assertEqual(staff_file.res_id, 0)
        bound = self._upload(self.portal_user)
        bound.sudo().write({"res_model": "res.partner",
                            "res_id": self.victim.id})
        self._assert_refused(attachment_ids=bound.ids)
        self.assertEqual((bound.res_model, bound.res_id),
                         ("res.partner", self.victim.id))
        self._assert_refused(attachment_ids=[999999999])

    def test_owner_cannot_post_without_a_document(self):
        before = self._counts()
        with self.assertRaises(AccessError):
            self._rpc("mail.thread", "message_post", [], body="Hello",
                      partner_ids=[self.victim.id])
        # res.users posts a private message through mail.thread
        with self.assertRaises(AccessError):
            self._rpc("res.users", "message_post", self.manager.ids,
                      body="Hello")
        self.assertEqual(self._counts(), before)

    # -- followers and the gateway ----------------------------------------------

    def test_owner_follows_readable_documents_themselves_only(self):
        with self.assertRaises(AccessError):
            self._rpc("account.invoice", "message_subscribe",
                      self.invoice.ids, partner_ids=self.victim.ids)
        with self.assertRaises(AccessError):
            self._rpc("account.invoice", "message_subscribe",
                      self.invoice.ids, partner_ids=self.owner.ids,
                      subtype_ids=self.env.ref("mail.mt_note").ids)
        other = self.invoice.copy({"partner_id": self.victim.id})
        with self.assertRaises(AccessError):
            self._rpc("account.invoice", "message_subscribe", other.ids,
                      partner_ids=self.owner.ids)
        self.assertNotIn(self.victim, self.invoice.message_partner_ids)
        self.assertNotIn(self.owner, other.message_partner_ids)
        # their own bill, themselves: allowed
        self.assertTrue(self._rpc("account.invoice", "message_subscribe",
                                  self.invoice.ids,
                                  partner_ids=self.owner.ids))
        self.assertIn(self.owner, self.invoice.message_partner_ids)

    def test_owner_is_not_the_mail_gateway(self):
        before = self._counts()
        with self.assertRaises(AccessError):
            self._rpc("account.invoice", "message_update", self.invoice.ids,
                      {"body": "x"})
        raw = "\r\n".join([
            "From: %s <%s>" % (self.victim.name, self.victim.email),
            "To: billing@example.com", "Subject: Paid",
            "Message-Id: <owner-chatter-gateway@example.com>",
            "Content-Type: text/plain; charset=utf-8", "", "Paid.", ""])
        with self.assertRaises(AccessError):
            self._rpc("mail.thread", "message_process", "account.invoice",
                      raw, thread_id=self.invoice.id)
        self.assertEqual(self._counts(), before)
