# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Public methods of complaints that an owner reaches over RPC on their own
complaint: buttons and wizards of the service team refuse them before doing
anything; followers and the mail gateway follow the rules of any document."""
from odoo.exceptions import AccessError

from .common_complaint import ComplaintCase


class TestComplaintRpcAccess(ComplaintCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls._create_portal_user(cls.owner, login="portal_rpc")
        cls.complaint = cls._create_complaint(
            team_id=cls.team.id, user_id=cls.agent.id)
        cls.complaint.message_subscribe(partner_ids=cls.owner.ids)

    def test_owner_reads_own_complaint(self):
        """What follows is refused for another reason than not seeing it."""
        rows = self._rpc(self.portal_user, "property.complaint", "read",
                         self.complaint.ids, ["description"])
        self.assertEqual(rows[0]["description"], self.complaint.description)

    def test_followup_form_for_those_who_record_it(self):
        with self.assertRaises(AccessError):
            self._rpc(self.portal_user, "property.complaint",
                      "action_open_followup", self.complaint.ids)
        action = self._rpc(self.agent2, "property.complaint",
                           "action_open_followup", self.complaint.ids)
        self.assertEqual((action["res_model"], action["res_id"]),
                         ("property.complaint", self.complaint.id))

    def test_quick_entry_for_the_service_team_only(self):
        before = self.Complaint.search_count([])
        wizard_id = self._rpc(self.portal_user, "property.complaint.quick.entry",
                              "create", {"description": "Noise at night"})
        for method in ("action_save", "action_save_new"):
            with self.assertRaises(AccessError, msg=method):
                self._rpc(self.portal_user, "property.complaint.quick.entry",
                          method, [wizard_id])
        self.assertEqual(self.Complaint.search_count([]), before)

    def test_owner_follows_own_complaint_publicly_only(self):
        note = self.env.ref("mail.mt_note")
        with self.assertRaises(AccessError):
            self._rpc(self.portal_user, "property.complaint",
                      "message_subscribe", self.complaint.ids,
                      partner_ids=self.owner.ids, subtype_ids=note.ids)
        with self.assertRaises(AccessError):
            self._rpc(self.portal_user, "property.complaint",
                      "message_subscribe", self.complaint.ids,
                      partner_ids=self.agent2.partner_id.ids)
        follower = self.env["mail.followers"].search([
            ("res_model", "=", "property.complaint"),
            ("res_id", "=", self.complaint.id),
            ("partner_id", "=", self.owner.id)])
        self.assertNotIn(note, follower.subtype_ids)
        self.assertNotIn(self.agent2.partner_id,
                         self.complaint.message_partner_ids)

    def test_owner_is_not_the_mail_gateway(self):
        messages = len(self.complaint.message_ids)
        with self.assertRaises(AccessError):
            self._rpc(self.portal_user, "property.complaint",
                      "message_update", self.complaint.ids,
                      {"body": "Closed by the owner",
                       "email_from": self.agent.partner_id.email})
        self.complaint.invalidate_cache()
        self.assertEqual(len(self.complaint.message_ids), messages)
