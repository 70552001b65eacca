# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What owners may do on a complaint's chatter, and where its files live.

Owners (portal users) post public comments only, as themselves, to nobody
but the complaint's followers, with files they have just uploaded. Photos and
files of a complaint are bound to it (``res_model``/``res_id``), so that
``ir.attachment``'s access follows the complaint's (sensitive ones included).
"""
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError, UserError

# message_post keywords an owner may pass (checked one by one below).
OWNER_POST_KEYWORDS = frozenset(
    ["author_id", "email_from", "partner_ids", "attachment_ids", "subtype_id"])
# Where a file an owner (or an agent) has just uploaded sits before it is
# bound to its complaint.
UPLOAD_MODELS = ("mail.compose.message", "property.complaint")


class PropertyComplaint(models.Model):
    _inherit = "property.complaint"  # pylint: disable=R8180

    # -- CRUD: bind the photos ------------------------------------------------

    @api.model
    def create(self, vals):
        if vals.get("attachment_ids"):
            self._check_attachment_commands(vals["attachment_ids"])
        complaint = super().create(vals)
        if vals.get("attachment_ids"):
            complaint._bind_attachments()
        return complaint

    @api.multi
    def write(self, vals):
        if vals.get("attachment_ids"):
            self._check_attachment_commands(vals["attachment_ids"])
        result = super().write(vals)
        if vals.get("attachment_ids"):
            self._bind_attachments()
        return result

    @api.multi
    def _check_attachment_commands(self, commands):
        """Refuse, before anything is written, to link files other than the
        user's fresh uploads or the complaints' own files."""
        if self._acting_uid() == SUPERUSER_ID:
            return
        ids = set()
        for command in commands or []:
            if isinstance(command, int):
                ids.add(command)
            elif isinstance(command, (list, tuple)) and command[0] == 4:
                ids.add(command[1])
            elif isinstance(command, (list, tuple)) and command[0] == 6:
                ids.update(command[2] or [])
        files = self.env["ir.attachment"].sudo().browse(list(ids)).exists()
        for attachment in files:
            if self._is_fresh_upload(attachment):
                continue
            if attachment.res_model == self._name and \
                    attachment.res_id in self.ids:
                continue
            raise UserError(_(
                "Only files you have just uploaded can be added to a "
                "complaint (%s).") % attachment.name)

    @api.multi
    def _bind_attachments(self):
        """Bind the complaint's files to it. A file not bound yet may only be
        linked by the user who uploaded it; a file of another record may not
        be linked at all."""
        Attachment = self.env["ir.attachment"].sudo()
        for complaint in self:
            files = Attachment.browse(
                complaint.sudo().attachment_ids.ids)
            own = files.filtered(
                lambda att: att.res_model == complaint._name
                and att.res_id == complaint.id)
            others = files - own
            if not others:
                continue
            if self._acting_uid() != SUPERUSER_ID and any(
                    not self._is_fresh_upload(att) for att in others):
                raise UserError(_(
                    "Only files you have just uploaded can be added to "
                    "complaint %s.") % complaint.name)
            others.write({"res_model": complaint._name,
                          "res_id": complaint.id})

    @api.model
    def _acting_uid(self):
        """The user on whose behalf the complaint is written (a sensitive
        complaint registered by an agent is created as the superuser)."""
        if self.env.uid == SUPERUSER_ID:
            return self.env.context.get("complaint_acting_uid") or SUPERUSER_ID
        return self.env.uid

    @api.model
    def _is_fresh_upload(self, attachment, complaint=None):
        """Was ``attachment`` just uploaded by the current user and not yet
        bound to a record (other than ``complaint``)?"""
        if attachment.create_uid.id != self._acting_uid():
            return False
        if attachment.res_model in UPLOAD_MODELS and not attachment.res_id:
            return True
        return bool(complaint) and attachment.res_model == complaint._name \
            and attachment.res_id == complaint.id

    # -- chatter ----------------------------------------------------------------

    @api.model
    def _is_owner_session(self):
        """Is the current user an owner on the portal (no employee)?"""
        return self.env.uid != SUPERUSER_ID and \
            not self.env.user.has_group("base.group_user")

    @api.multi
    @api.returns("self", lambda value: value.id)
    def message_post(self, body="", subject=None, message_type="notification",
                     subtype=None, parent_id=False, attachments=None,
                     content_subtype="html", **kwargs):
        if self.ids and self._is_owner_session():
            self._check_owner_post(message_type, subtype, parent_id, kwargs)
            user_partner = self.env.user.partner_id
            kwargs.update(author_id=user_partner.id, partner_ids=[],
                          email_from=self._owner_email_from())
            kwargs.pop("subtype_id", None)
            message_type, subtype = "comment", "mail.mt_comment"
            self._bind_owner_uploads(kwargs.get("attachment_ids") or [])
        return super().message_post(
            body=body, subject=subject, message_type=message_type,
            subtype=subtype, parent_id=parent_id, attachments=attachments,
            content_subtype=content_subtype, **kwargs)

    @api.model
    def _owner_email_from(self):
        partner = self.env.user.partner_id
        if partner.email:
            return "%s <%s>" % (partner.name or "", partner.email)
        return False

    @api.multi
    def _check_owner_post(self, message_type, subtype, parent_id, kwargs):
        """Refuse what an owner may not do with ``message_post``: post as
        someone else, notify other partners, post internal notes, attach
        files they did not just upload."""
        self.ensure_one()
        partner = self.env.user.partner_id
        refused = sorted(set(kwargs) - OWNER_POST_KEYWORDS)
        if refused:
            raise AccessError(_(
                "You cannot set %s on a message.") % ", ".join(refused))
        if message_type not in ("comment", "notification"):
            raise AccessError(_("You can only post comments."))
        comment = self.env.ref("mail.mt_comment")
        if subtype not in (None, False, "mt_comment", "mail.mt_comment") or \
                kwargs.get("subtype_id") not in (None, False, comment.id):
            raise AccessError(_(
                "You can only post public comments, not internal notes."))
        author = kwargs.get("author_id")
        if author not in (None, partner.id):
            raise AccessError(_("You can only post messages as yourself."))
        email_from = kwargs.get("email_from")
        if email_from and email_from not in (
                partner.email, self._owner_email_from()):
            raise AccessError(_(
                "You can only post messages from your own e-mail address."))
        if [pid for pid in (kwargs.get("partner_ids") or [])
                if pid not in (partner.id, (4, partner.id))]:
            raise AccessError(_(
                "You cannot send a message to other people: it goes to the "
                "service team of the complaint."))
        if parent_id:
            parent = self.env["mail.message"].sudo().browse(parent_id)
            if not parent.exists() or parent.model != self._name or \
                    parent.res_id != self.id:
                raise AccessError(_(
                    "You can only reply to messages of this complaint."))
        attachment_ids = kwargs.get("attachment_ids") or []
        if not isinstance(attachment_ids, (list, tuple)) or not all(
                isinstance(att_id, int) for att_id in attachment_ids):
            raise AccessError(_("Attach files by their identifiers only."))
        attachments = self.env["ir.attachment"].sudo().browse(
            attachment_ids)
        if len(attachments.exists()) != len(set(attachment_ids)) or any(
                not self._is_fresh_upload(att, self) for att in attachments):
            raise AccessError(_(
                "You can only attach files that you have just uploaded."))

    @api.multi
    def _bind_owner_uploads(self, attachment_ids):
        """Files an owner uploaded for this complaint (checked by
        ``_check_owner_post``) belong to it from now on."""
        self.ensure_one()
        files = self.env["ir.attachment"].sudo().browse(attachment_ids)
        files.filtered(lambda att: not att.res_id).write(
            {"res_model": self._name, "res_id": self.id})
