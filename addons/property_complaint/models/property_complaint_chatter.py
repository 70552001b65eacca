# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What owners may do on a complaint's chatter, and where its files live.

Owners (portal users) post public comments only, as themselves, to nobody
but the complaint's followers, with files they have just uploaded: the rules
for any document, in property_billing's ``mail.thread``. Photos and files of
a complaint are bound to it (``res_model``/``res_id``), so that
``ir.attachment``'s access follows the complaint's (sensitive ones included).
"""
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import UserError


def referenced_ids(commands):
    """The ids an x2many value names: plain ids, ``(4, id)`` and
    ``(6, 0, ids)`` commands (the shapes ``partner_ids`` and
    ``attachment_ids`` arrive in)."""
    ids = []
    for command in commands or []:
        if isinstance(command, int):
            ids.append(command)
        elif isinstance(command, (list, tuple)) and command[0] == 4:
            ids.append(command[1])
        elif isinstance(command, (list, tuple)) and command[0] == 6:
            ids.extend(command[2] or [])
    return ids


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
        ids = set(referenced_ids(commands))
        files = self.env["ir.attachment"].sudo().browse(list(ids)).exists()
        for attachment in files:
            if self._is_owner_upload(attachment):
                continue
            # already one of these complaints' files, whoever uploaded it
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
                    not complaint._is_owner_upload(att) for att in others):
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
        return super()._acting_uid()

    # -- chatter ----------------------------------------------------------------
    # Owners post on complaints as on any document: property_billing's
    # mail.thread (``_check_owner_post``) holds the rules, and binds the
    # files they have just uploaded for the complaint (``res_model`` set,
    # no ``res_id`` yet) to it.
