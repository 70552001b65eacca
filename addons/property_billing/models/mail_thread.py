# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What owners (share users: portal, public) may do with any document's
chatter over RPC.

Odoo 11 lets whoever may post on a document pass ``message_post`` any
``author_id``, ``email_from``, ``partner_ids`` (mailed from the company's
server), subtype and attachment. Owners follow their bills, so they may post
on them: they post public comments only, as themselves, to the document's
followers and nobody else, with only the files they have just uploaded.
They follow documents they can read, themselves only, and they are never the
mail gateway (``message_process``, ``message_new``, ``message_update``).

Odoo's portal chatter (``/mail/chatter_post``) posts a comment as the owner
with their own partner as author: that keeps working.
"""
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

# message_post keywords an owner may pass (checked one by one below).
OWNER_POST_KEYWORDS = frozenset(
    ["author_id", "email_from", "partner_ids", "attachment_ids", "subtype_id"])
# Where a file that an owner has just uploaded sits before it is bound to the
# document (besides the document's own model, with no id yet).
OWNER_UPLOAD_MODELS = ("mail.compose.message",)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _is_owner_session(self):
        """Is the current user an owner (a share user), not the superuser?"""
        return self.env.uid != SUPERUSER_ID and self.env.user.share

    # -- posting -----------------------------------------------------------

    @api.multi
    @api.returns("self", lambda value: value.id)
    def message_post(self, body="", subject=None, message_type="notification",
                     subtype=None, parent_id=False, attachments=None,
                     content_subtype="html", **kwargs):
        if self._is_owner_session():
            self._check_owner_post(message_type, subtype, parent_id, kwargs)
            message_type, subtype = self._prepare_owner_post(kwargs)
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
    def _prepare_owner_post(self, kwargs):
        """Set the checked ``kwargs`` of an owner's post to what they may be:
        a public comment of theirs, to the followers only. Returns
        ``(message_type, subtype)``."""
        kwargs.update(author_id=self.env.user.partner_id.id, partner_ids=[],
                      email_from=self._owner_email_from())
        kwargs.pop("subtype_id", None)
        return "comment", "mail.mt_comment"

    @api.multi
    def _check_owner_post(self, message_type, subtype, parent_id, kwargs):
        """Refuse what an owner may not do with ``message_post``: post on no
        document, post as someone else, notify other partners, post internal
        notes, reply to messages of other documents, attach files they did
        not just upload."""
        if not self.ids or self._name == "mail.thread":
            raise AccessError(_(
                "You can only post messages on a document you can see."))
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
        if kwargs.get("author_id") not in (None, partner.id):
            raise AccessError(_("You can only post messages as yourself."))
        email_from = kwargs.get("email_from")
        if email_from and email_from not in (
                partner.email, self._owner_email_from()):
            raise AccessError(_(
                "You can only post messages from your own e-mail address."))
        if [pid for pid in (kwargs.get("partner_ids") or [])
                if pid not in (partner.id, (4, partner.id), [4, partner.id])]:
            raise AccessError(_(
                "You cannot send a message to other people: it goes to the "
                "followers of the document."))
        if parent_id:
            parent = self.env["mail.message"].sudo().browse(parent_id)
            if not parent.exists() or parent.model != self._name or \
                    parent.res_id != self.id:
                raise AccessError(_(
                    "You can only reply to messages of this document."))
        attachment_ids = kwargs.get("attachment_ids") or []
        if not isinstance(attachment_ids, (list, tuple)) or not all(
                isinstance(att_id, int) for att_id in attachment_ids):
            raise AccessError(_("Attach files by their identifiers only."))
        files = self.env["ir.attachment"].sudo().browse(attachment_ids)
        if len(files.exists()) != len(set(attachment_ids)) or any(
                not self._is_owner_upload(att) for att in files):
            raise AccessError(_(
                "You can only attach files that you have just uploaded."))

    @api.model
    def _acting_uid(self):
        """The user on whose behalf the document is written (a model that
        writes as the superuser for a user says so by overriding this)."""
        return self.env.uid

    @api.multi
    def _is_owner_upload(self, attachment):
        """Did the acting user upload ``attachment`` and is it bound to no
        record yet, or to this document already?"""
        if attachment.create_uid.id != self._acting_uid():
            return False
        upload_models = OWNER_UPLOAD_MODELS + (self._name,)
        if attachment.res_model in upload_models and not attachment.res_id:
            return True
        return attachment.res_model == self._name and \
            attachment.res_id in self.ids

    @api.multi
    def _bind_owner_uploads(self, attachment_ids):
        """Files an owner uploaded for this document (checked by
        ``_check_owner_post``) belong to it from now on, so that their access
        follows the document's."""
        self.ensure_one()
        files = self.env["ir.attachment"].sudo().browse(attachment_ids)
        files.filtered(lambda att: not att.res_id).write(
            {"res_model": self._name, "res_id": self.id})

    # -- followers -----------------------------------------------------------

    @api.multi
    def message_subscribe(self, partner_ids=None, channel_ids=None,
                          subtype_ids=None, force=True):
        if self._is_owner_session():
            self._check_owner_subscribe(partner_ids, channel_ids, subtype_ids)
        return super().message_subscribe(
            partner_ids=partner_ids, channel_ids=channel_ids,
            subtype_ids=subtype_ids, force=force)

    @api.multi
    def _check_owner_subscribe(self, partner_ids, channel_ids, subtype_ids):
        """Owners follow documents they can read, themselves only, with the
        public subtypes."""
        if not self.ids or self._name == "mail.thread":
            raise AccessError(_("You can only follow a document you can see."))
        self.check_access_rights("read")
        self.check_access_rule("read")
        if channel_ids or [pid for pid in partner_ids or []
                           if pid != self.env.user.partner_id.id]:
            raise AccessError(_(
                "You can only follow documents yourself, not subscribe "
                "other people or channels."))
        subtypes = self.env["mail.message.subtype"].sudo().browse(
            subtype_ids or [])
        if len(subtypes.exists()) != len(set(subtypes.ids)) or \
                subtypes.filtered("internal"):
            raise AccessError(_(
                "You can only follow the public messages of a document."))

    # -- the mail gateway ------------------------------------------------------

    @api.model
    def _check_gateway_caller(self):
        """Owners are never the mail gateway: they do not hand Odoo raw mails
        to route, open documents from or thread onto documents."""
        if self._is_owner_session():
            raise AccessError(_(
                "Only the mail gateway processes incoming e-mails."))

    @api.model
    def message_process(self, model, message, custom_values=None,
                        save_original=False, strip_attachments=False,
                        thread_id=None):
        self._check_gateway_caller()
        return super().message_process(
            model, message, custom_values=custom_values,
            save_original=save_original, strip_attachments=strip_attachments,
            thread_id=thread_id)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        self._check_gateway_caller()
        return super().message_new(msg_dict, custom_values=custom_values)

    @api.multi
    def message_update(self, msg_dict, update_vals=None):
        self._check_gateway_caller()
        return super().message_update(msg_dict, update_vals=update_vals)
