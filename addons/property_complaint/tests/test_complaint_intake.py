# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError

from .common_complaint import ComplaintCase

NEW_MAIL = """Return-Path: <{sender}>
From: Zhang San <{sender}>
To: complaints@{domain}
Subject: {subject}
Message-ID: <{msgid}@mail.example.com>
Date: Mon, 2 Mar 2026 09:00:00 +0800
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
{extra}
{body}
"""

REPLY_MAIL = """From: Zhang San <{sender}>
To: complaints@{domain}
Subject: Re: {subject}
Message-ID: <{msgid}@mail.example.com>
In-Reply-To: {parent}
References: {parent}
Date: Mon, 2 Mar 2026 10:00:00 +0800
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
{extra}
{body}
"""


class TestComplaintIntake(ComplaintCase):
    """E-mail intake through Odoo's mail gateway (raw RFC 822 messages)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.domain = "estate-test.example.com"
        cls.env["ir.config_parameter"].set_param(
            "mail.catchall.domain", cls.domain)
        cls.alias = cls.env.ref("property_complaint.mail_alias_complaints")
        cls.MailThread = cls.env["mail.thread"]

    def _process(self, template=NEW_MAIL, sender=None, subject="Lift broken",
                 msgid="m1", body="The lift in building 3 is broken.",
                 extra="", **kwargs):
        message = template.format(
            sender=sender or self.owner.email, domain=self.domain,
            subject=subject, msgid=msgid, body=body, extra=extra, **kwargs)
        return self.MailThread.message_process(False, message.encode("utf-8"))

    def _complaints(self, subject="Lift broken"):
        return self.Complaint.search([("subject", "=", subject)])

    def test_alias_shipped(self):
        self.assertEqual(self.alias.alias_name, "complaints")
        self.assertEqual(self.alias.alias_model_id.model, "property.complaint")

    def test_new_mail_opens_complaint(self):
        self._process()
        complaint = self._complaints()
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.channel, "email")
        # The From: header proves nothing: the owner found from it is only
        # suggested, until the service team confirms the sender.
        self.assertFalse(complaint.partner_id)
        self.assertTrue(complaint.sender_to_confirm)
        self.assertEqual(complaint.sender_partner_id, self.owner)
        self.assertNotIn(self.owner, complaint.message_partner_ids)
        self.assertIn("building 3 is broken", complaint.description)
        self.assertEqual(complaint.stage_id, self._stage("new"))
        self.assertTrue(complaint.name.startswith("TS"))
        self.assertTrue(complaint.message_ids.filtered(
            lambda m: "building 3 is broken" in (m.body or "")))
        complaint.sudo(self.agent).action_confirm_sender()
        self.assertEqual(complaint.partner_id, self.owner)
        self.assertFalse(complaint.sender_to_confirm)
        self.assertEqual(complaint.unit_id, self.unit)
        self.assertIn(self.owner, complaint.message_partner_ids)

    def test_unknown_sender_still_registered(self):
        self._process(sender="stranger@elsewhere.example.com",
                      subject="Who owns this")
        complaint = self._complaints("Who owns this")
        self.assertEqual(len(complaint), 1)
        self.assertFalse(complaint.partner_id)
        self.assertEqual(complaint.email_from,
                         "Zhang San <stranger@elsewhere.example.com>")

    def test_reply_threads_onto_complaint(self):
        self._process()
        complaint = self._complaints()
        first = complaint.message_ids.filtered(
            lambda m: "building 3 is broken" in (m.body or ""))
        self._process(template=REPLY_MAIL, msgid="m2",
                      parent=first.message_id,
                      body="It is still broken this evening.")
        self.assertEqual(len(self._complaints()), 1)
        self.assertEqual(
            len(self.Complaint.search([("subject", "ilike", "Lift broken")])),
            1)
        self.assertTrue(complaint.message_ids.filtered(
            lambda m: "still broken this evening" in (m.body or "")))

    def test_auto_reply_ignored(self):
        for header, msgid in (("Auto-Submitted: auto-replied", "a1"),
                              ("X-Autoreply: yes", "a2"),
                              ("Precedence: bulk", "a3"),
                              ("Precedence: auto_reply", "a4")):
            self._process(subject="Out of office", msgid=msgid, extra=header)
            self.assertFalse(self._complaints("Out of office"), header)

    def test_auto_reply_not_posted_on_complaint(self):
        self._process()
        complaint = self._complaints()
        count = len(complaint.message_ids)
        first = complaint.message_ids.filtered(
            lambda m: "building 3 is broken" in (m.body or ""))
        self._process(template=REPLY_MAIL, msgid="m3",
                      parent=first.message_id, body="I am on holiday.",
                      extra="Auto-Submitted: auto-replied")
        self.assertEqual(len(complaint.message_ids), count)

    def test_auto_submitted_no_is_a_person(self):
        self._process(extra="Auto-Submitted: no")
        self.assertEqual(len(self._complaints()), 1)

    def test_bounce_ignored(self):
        self._process(sender="MAILER-DAEMON@mail.example.com",
                      subject="Undelivered Mail Returned to Sender")
        self.assertFalse(self._complaints("Undelivered Mail Returned to Sender"))

    def test_same_message_twice_opens_one_complaint(self):
        self._process()
        self._process()
        self.assertEqual(len(self._complaints()), 1)

    def test_mail_from_own_alias_ignored(self):
        self._process(sender="complaints@%s" % self.domain,
                      subject="Loop")
        self.assertFalse(self._complaints("Loop"))

    # -- the From: header proves nothing ---------------------------------------

    def _sms_jobs(self, complaint):
        return self.env["queue.job"].search([
            ("model_name", "=", "property.complaint"),
            ("method_name", "=", "_job_send_owner_sms")]).filtered(
                lambda job: complaint.id in job.record_ids)

    def test_spoofed_sender_owner_told_nothing(self):
        """Anyone can write the owner's address in From: the owner gets no
        mail and no SMS about it until the service team confirms them."""
        self._process(subject="Spoofed")
        complaint = self._complaints("Spoofed")
        self.assertFalse(complaint.partner_id)
        complaint.sudo(self.agent).action_accept()
        self.assertEqual(complaint.stage_id, self._stage("accepted"))
        self.assertFalse(complaint.message_ids.filtered(
            lambda m: self.owner in m.partner_ids))
        self.assertFalse(complaint.message_ids.filtered(
            lambda m: m.author_id == self.owner))
        self.assertNotIn(self.owner, complaint.message_partner_ids)
        self.assertFalse(self._sms_jobs(complaint))
        # Once confirmed, the owner is told from then on.
        complaint.sudo(self.agent).action_confirm_sender()
        complaint.sudo(self.agent).write(
            {"resolution_summary": "Lift repaired."})
        complaint.sudo(self.agent).action_resolve()
        self.assertTrue(complaint.message_ids.filtered(
            lambda m: self.owner in m.partner_ids))
        self.assertTrue(self._sms_jobs(complaint))

    def test_wildcards_in_sender_match_nobody(self):
        for n, sender in enumerate(("%@example.com", "owner_@example.com",
                                    "%%%@%%%")):
            subject = "Wildcard %d" % n
            self._process(sender=sender, subject=subject, msgid="w%d" % n)
            complaint = self._complaints(subject)
            self.assertEqual(len(complaint), 1, sender)
            self.assertFalse(complaint.partner_id, sender)
            self.assertFalse(complaint.sender_partner_id, sender)

    def test_sender_address_matched_exactly(self):
        self._process(sender=self.owner.email.upper(), subject="Upper")
        self.assertEqual(self._complaints("Upper").sender_partner_id,
                         self.owner)
        self._process(sender="x" + self.owner.email, subject="Longer",
                      msgid="m9")
        self.assertFalse(self._complaints("Longer").sender_partner_id)

    def test_ambiguous_sender_suggests_nobody(self):
        self._create_owner(email=self.owner.email)
        self._process(subject="Twice")
        complaint = self._complaints("Twice")
        self.assertFalse(complaint.partner_id)
        self.assertFalse(complaint.sender_partner_id)
        self.assertTrue(complaint.sender_to_confirm)
        with self.assertRaises(UserError):
            complaint.sudo(self.agent).action_confirm_sender()
        complaint.partner_id = self.owner
        complaint.sudo(self.agent).action_confirm_sender()
        self.assertFalse(complaint.sender_to_confirm)
        self.assertIn(self.owner, complaint.message_partner_ids)

    def test_reply_subscribes_nobody(self):
        """A reply whose From: names another owner neither posts as that
        owner nor makes them a follower."""
        other = self._create_owner()
        self._process()
        complaint = self._complaints()
        first = complaint.message_ids.filtered(
            lambda m: "building 3 is broken" in (m.body or ""))
        self._process(template=REPLY_MAIL, msgid="m2", sender=other.email,
                      parent=first.message_id, body="I am someone else.")
        reply = complaint.message_ids.filtered(
            lambda m: "someone else" in (m.body or ""))
        self.assertEqual(len(reply), 1)
        self.assertFalse(reply.author_id)
        self.assertNotIn(other, complaint.message_partner_ids)

    def test_owner_cannot_confirm_sender(self):
        self._process(subject="Self confirm")
        complaint = self._complaints("Self confirm")
        complaint.partner_id = self.owner
        portal = self._create_portal_user(self.owner, login="portal")
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.complaint", "action_confirm_sender",
                      [complaint.id])
        self.assertTrue(complaint.sender_to_confirm)
