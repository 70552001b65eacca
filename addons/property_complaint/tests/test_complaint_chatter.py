# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an owner can do on a complaint's chatter over RPC, which messages and
fields they can read, and where the photos of a complaint live."""
import base64

from odoo.exceptions import AccessError, UserError

from .common_complaint import ComplaintCase

PHOTO = base64.b64encode(b"\x89PNG\r\n\x1a\n photo")


class TestComplaintChatter(ComplaintCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls._create_portal_user(cls.owner, login="portal")
        cls.other_owner = cls._create_owner()
        cls.complaint = cls._create_complaint(
            team_id=cls.team.id, user_id=cls.agent.id,
            root_cause="Cable worn", corrective_action="Check monthly")
        cls.note_subtype = cls.env.ref("mail.mt_note")
        cls.comment_subtype = cls.env.ref("mail.mt_comment")

    def _post(self, **kwargs):
        return self._rpc(self.portal_user, "property.complaint",
                         "message_post", [self.complaint.id],
                         body="The lift still stops between floors.",
                         **kwargs)

    def _upload(self, user, **vals):
        values = {"name": "photo.png", "datas_fname": "photo.png",
                  "datas": PHOTO, "res_model": "mail.compose.message",
                  "res_id": 0}
        values.update(vals)
        att_id = self._rpc(user, "ir.attachment", "create", values)
        return self.env["ir.attachment"].browse(att_id)

    # -- owners post as themselves ------------------------------------------------

    def test_owner_posts_public_comment_as_themselves(self):
        photo = self._upload(self.portal_user)
        message_id = self._post(attachment_ids=[photo.id])
        message = self.env["mail.message"].browse(message_id)
        self.assertEqual(message.author_id, self.owner)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subtype_id, self.comment_subtype)
        self.assertIn(self.owner.email, message.email_from)
        self.assertFalse(message.partner_ids)
        self.assertEqual(message.attachment_ids, photo)
        self.assertEqual((photo.res_model, photo.res_id),
                         ("property.complaint", self.complaint.id))

    def _assert_refused(self, **kwargs):
        before = len(self.complaint.message_ids)
        with self.assertRaises(AccessError):
            self._post(**kwargs)
        self.complaint.invalidate_cache()
        self.assertEqual(len(self.complaint.message_ids), before)

    def test_owner_cannot_post_as_someone_else(self):
        self._assert_refused(author_id=self.agent.partner_id.id)
        self._assert_refused(author_id=self.other_owner.id)
        self._assert_refused(email_from="Manager <manager@example.com>")

    def test_owner_cannot_notify_other_partners(self):
        self._assert_refused(partner_ids=[self.other_owner.id])
        self._assert_refused(partner_ids=[(4, self.agent.partner_id.id)])
        self.assertNotIn(self.other_owner, self.complaint.message_partner_ids)

    def test_owner_cannot_post_internal_notes(self):
        self._assert_refused(subtype="mail.mt_note")
        self._assert_refused(subtype_id=self.note_subtype.id)
        self._assert_refused(message_type="email")
        self._assert_refused(needaction_partner_ids=[(4, self.agent.partner_id.id)])

    def test_owner_attaches_only_their_fresh_uploads(self):
        # uploaded by someone else
        staff_file = self._upload(self.agent)
        self._assert_refused(attachment_ids=[staff_file.id])
        # the owner's own file, already bound to another record
        bound = self._upload(self.portal_user)
        bound.sudo().write({"res_model": "res.partner",
                            "res_id": self.other_owner.id})
        self._assert_refused(attachment_ids=[bound.id])
        self.assertEqual(bound.res_model, "res.partner")
        self._assert_refused(attachment_ids=[999999999])

    def test_owner_cannot_reply_to_other_records(self):
        other = self._create_complaint(partner_id=self.other_owner.id)
        parent = other.message_post(body="Other", subtype="mail.mt_comment")
        self._assert_refused(parent_id=parent.id)

    # -- owners read public messages and fields only -----------------------------------

    def test_owner_cannot_read_internal_notes(self):
        note = self.complaint.message_post(
            body="Owner is difficult; handle with care.",
            subtype="mail.mt_note")
        comment = self.complaint.message_post(
            body="We are on it.", subtype="mail.mt_comment",
            message_type="comment")
        with self.assertRaises(AccessError):
            self._rpc(self.portal_user, "mail.message", "read", [note.id],
                      ["body"])
        rows = self._rpc(self.portal_user, "mail.message", "read",
                         [comment.id], ["body"])
        self.assertIn("We are on it.", rows[0]["body"])
        # the agent reads both
        self.assertEqual(len(self._rpc(self.agent, "mail.message", "read",
                                       [note.id, comment.id], ["body"])), 2)

    def test_owner_cannot_read_staff_fields(self):
        for field in ("root_cause", "corrective_action", "user_id",
                      "sensitive", "followup_user_id", "escalation_user_id",
                      "sender_partner_id"):
            with self.assertRaises(AccessError, msg=field):
                self._rpc(self.portal_user, "property.complaint", "read",
                          [self.complaint.id], [field])
        rows = self._rpc(self.portal_user, "property.complaint", "read",
                         [self.complaint.id], ["description", "stage_id"])
        self.assertEqual(rows[0]["description"], self.complaint.description)
        rows = self._rpc(self.portal_user, "property.complaint", "read",
                         [self.complaint.id])
        self.assertNotIn("root_cause", rows[0])
        rows = self._rpc(self.agent, "property.complaint", "read",
                         [self.complaint.id], ["root_cause", "user_id"])
        self.assertEqual(rows[0]["root_cause"], "Cable worn")

    # -- photos bound to their complaint ------------------------------------------

    def test_photos_bound_to_their_complaint(self):
        photo = self._upload(self.agent, res_model="property.complaint")
        complaint_id = self._rpc(self.agent, "property.complaint", "create", {
            "partner_id": self.owner.id, "description": "Leak in the hall",
            "team_id": self.team.id, "attachment_ids": [(6, 0, photo.ids)]})
        self.assertEqual((photo.res_model, photo.res_id),
                         ("property.complaint", complaint_id))
        # an agent of another team cannot read it any more
        outsider = self._create_user(
            "outsider", [self.group_complaint_user.id], name="Other Agent")
        self._create_team(member_ids=[(6, 0, outsider.ids)],
                          leader_id=outsider.id)
        self.assertTrue(self._rpc(self.agent, "ir.attachment", "read",
                                  photo.ids, ["name"]))
        with self.assertRaises(AccessError):
            self._rpc(outsider, "ir.attachment", "read", photo.ids, ["name"])

    def test_sensitive_complaint_photos_for_managers_only(self):
        photo = self._upload(self.agent, res_model="property.complaint")
        self._rpc(self.agent, "property.complaint", "create", {
            "partner_id": self.owner.id, "description": "The guard was rude",
            "sensitive": True, "attachment_ids": [(6, 0, photo.ids)]})
        self.assertEqual(photo.res_model, "property.complaint")
        for user in (self.agent, self.agent2, self.leader):
            with self.assertRaises(AccessError):
                self._rpc(user, "ir.attachment", "read", photo.ids, ["name"])
        self.assertTrue(self._rpc(self.complaint_manager, "ir.attachment",
                                  "read", photo.ids, ["name"]))

    def test_files_of_others_cannot_be_linked(self):
        theirs = self._upload(self.agent2, res_model="property.complaint")
        with self.assertRaises(UserError):
            self._rpc(self.agent, "property.complaint", "write",
                      [self.complaint.id],
                      {"attachment_ids": [(4, theirs.id)]})
        self.assertFalse(theirs.res_id)
        self.complaint.invalidate_cache()
        self.assertNotIn(theirs, self.complaint.attachment_ids)
