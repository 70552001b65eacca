# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an owner does with their complaints on the portal, as services of
the complaint (private: no RPC reaches them; the portal controllers call them
on the owner's own record, read through the record rules).

Owners have no write access to complaints: filing, rating and reopening
write as the superuser here, after the checks, through the complaint
module's own flow (``create`` numbers, matches the SLA and assigns;
``_followup_reopen`` / ``_move_after_followup`` rate; ``_move_to`` reopens).
The owner's own words are posted by the owner (their public comments,
``mail.thread`` checks them as for any document).
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html

from odoo.addons.property_complaint.models.property_complaint_followup import (
    PENDING,
    REOPEN_SCORE,
)

from ..rules import complaints as rules

PORTAL_CHANNEL = "portal"
# pg_advisory_xact_lock namespace: one owner files one complaint at a time
_LOCK_NAMESPACE = 48213


class PropertyComplaint(models.Model):
    _inherit = "property.complaint"  # pylint: disable=R8180

    portal_reopen_until = fields.Datetime(
        string="Reopen Until", compute="_compute_portal_reopen_until",
        help="The last moment the owner may reopen the resolved complaint "
             "from the portal.")

    @api.depends("date_resolved", "date_closed")
    def _compute_portal_reopen_until(self):
        for complaint in self:
            deadline = complaint._portal_reopen_deadline()
            complaint.portal_reopen_until = (
                fields.Datetime.to_string(deadline) if deadline else False)

    # -- reading -----------------------------------------------------------------

    @api.multi
    def _portal_check_owner(self):
        """The current user reads the complaint through the record rules and
        is a portal user (the services below write as the superuser)."""
        self.ensure_one()
        if not self.env.user.share:
            raise AccessError(_("These are the owner's portal actions."))
        self.check_access_rights("read")
        self.check_access_rule("read")

    @api.multi
    def _portal_resolved_at(self):
        """When the complaint was last resolved (naive UTC), None if never."""
        self.ensure_one()
        complaint = self.sudo()
        value = complaint.date_resolved or complaint.date_closed
        return fields.Datetime.from_string(value) if value else None

    @api.multi
    def _portal_can_rate(self):
        self.ensure_one()
        complaint = self.sudo()
        return rules.can_rate(complaint._stage_code(), complaint.followup_state)

    @api.multi
    def _portal_can_reopen(self, now=None):
        self.ensure_one()
        now = now or self._sla_now()
        return rules.can_reopen(self.sudo()._stage_code(),
                                self._portal_resolved_at(), now)

    @api.multi
    def _portal_reopen_deadline(self):
        self.ensure_one()
        return rules.reopen_deadline(self._portal_resolved_at())

    @api.multi
    def _portal_messages(self):
        """The public messages of the complaint, oldest first (sudo): no
        internal note, no tracking, nothing without words or files."""
        self.ensure_one()
        messages = self.env["mail.message"].sudo().search([
            ("model", "=", self._name), ("res_id", "=", self.id),
            ("subtype_id", "!=", False),
            ("subtype_id.internal", "=", False),
            ("message_type", "in", ("comment", "email")),
        ], order="date asc, id asc")
        return messages.filtered(
            lambda message: message.body or message.attachment_ids)

    @api.multi
    def _portal_photos(self):
        """The files the owner may open (sudo): the complaint's own photos
        uploaded by portal users, and the files of its public messages."""
        self.ensure_one()
        own = self.sudo().attachment_ids.filtered(
            lambda attachment: attachment.create_uid.share)
        return own | self._portal_messages().mapped("attachment_ids")

    # -- filing ------------------------------------------------------------------

    @api.model
    def _portal_units(self):
        """The units the current user holds today (sudo)."""
        partner = self.env.user.commercial_partner_id
        occupancies = self.env["property.occupancy"].sudo().search([
            ("partner_id", "child_of", [partner.id]),
            ("is_current", "=", True)])
        return occupancies.mapped("unit_id")

    @api.model
    def _portal_complaints_left(self, now=None):
        """How many complaints the current user may still file today."""
        now = now or self._sla_now()
        partner = self.env.user.commercial_partner_id
        since = now - rules.DAILY_WINDOW
        recent = self.sudo().with_context(active_test=False).search([
            ("partner_id", "child_of", [partner.id]),
            ("channel", "=", PORTAL_CHANNEL),
            ("date_reported", ">", fields.Datetime.to_string(since)),
        ])
        return rules.complaints_left(
            [fields.Datetime.from_string(c.date_reported) for c in recent], now)

    @api.model
    def _prepare_portal_complaint_vals(self, unit, category, description):
        return {
            "partner_id": self.env.user.partner_id.id,
            "unit_id": unit.id,
            "category_id": category.id,
            "description": description.strip(),
            "channel": PORTAL_CHANNEL,
        }

    @api.model
    def _portal_create(self, unit, category, description, attachments):
        """File a complaint of the current user (a portal owner) about
        ``unit`` with the photos ``attachments`` they have just uploaded
        (``ir.attachment`` of this model with no record yet). Refusals are
        UserErrors; the caller rolls back what was done before them."""
        if not self.env.user.share:
            raise AccessError(_("These are the owner's portal actions."))
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", (
            _LOCK_NAMESPACE, self.env.user.commercial_partner_id.id))
        if unit not in self._portal_units():
            raise UserError(_("Choose one of your units."))
        if not category.exists() or not category.active:
            raise UserError(_("Choose what the complaint is about."))
        if rules.check_text(description, min_len=rules.DESCRIPTION_MIN):
            raise UserError(_("Describe the problem."))
        if rules.check_photo_count(len(attachments)):
            raise UserError(_("Add at most %d photos.") % rules.MAX_PHOTOS)
        if any(att.create_uid != self.env.user or att.res_id
               or att.res_model != self._name for att in attachments.sudo()):
            raise UserError(_("Only photos you have just uploaded can be "
                              "added to a complaint."))
        if not self._portal_complaints_left():
            raise UserError(_(
                "You have filed %d complaints in the last 24 hours: please "
                "call the service centre for anything urgent.")
                % rules.DAILY_LIMIT)
        vals = self._prepare_portal_complaint_vals(unit, category, description)
        if attachments:
            vals["attachment_ids"] = [(6, 0, attachments.ids)]
        # the complaint module's own intake: number, location, repeat, SLA,
        # assignment, the owner as follower; the photos bound to it (checked
        # as this user's fresh uploads)
        complaint = self.sudo().with_context(
            mail_create_nosubscribe=True,
            complaint_acting_uid=self.env.uid).create(vals)
        return self.browse(complaint.id)

    # -- after filing ------------------------------------------------------------

    @api.multi
    def _portal_post(self, text, attachments=None):
        """A public comment of the current user, with the photos they have
        just uploaded; posted as them (``mail.thread`` checks it)."""
        self._portal_check_owner()
        attachments = attachments or self.env["ir.attachment"]
        body = plaintext2html(text.strip()) if (text or "").strip() else ""
        return self.with_context(mail_post_autofollow=False).message_post(
            body=body, message_type="comment", subtype="mail.mt_comment",
            attachment_ids=attachments.ids)

    @api.multi
    def _portal_rate(self, score, comment=None):
        """The owner answers the follow-up survey (回访) with ``score`` 1-5:
        recorded as a completed follow-up; the complaint module's rule
        follows: a low score reopens it to the team leader (within the
        reopening days), a satisfied owner closes it."""
        self._portal_check_owner()
        if score not in rules.SCORES:
            raise UserError(_("Choose a rating from 1 to 5."))
        if not self._portal_can_rate():
            raise UserError(_("This complaint cannot be rated now."))
        now = self._sla_now()
        author = self.env.user.partner_id
        text = _("My rating: %d/5.") % score
        if (comment or "").strip():
            text = "%s\n%s" % (text, comment.strip())
        self._portal_post(text)
        complaint = self.sudo()
        complaint.write({"satisfaction": str(score),
                         "satisfaction_comment": (comment or "").strip()
                         or False})
        was_pending = complaint.followup_state == PENDING
        complaint._sla_write({
            "followup_state": rules.FOLLOWUP_DONE,
            "followup_reached": True,
            "followup_done_date": fields.Datetime.to_string(now),
        })
        if was_pending:
            complaint._followup_activities().action_feedback(
                feedback=_("The owner rated the resolution %s/5 on the "
                           "portal.") % score)
        if score <= REOPEN_SCORE:
            if self._portal_can_reopen(now):
                complaint._followup_reopen(score, author.id)
            else:
                complaint.message_post(body=_(
                    "The owner rated the resolution %s/5 on the portal, after "
                    "the days for reopening it.") % score,
                    subtype="mail.mt_note", author_id=author.id)
            return True
        complaint._move_after_followup("closed")
        return True

    @api.multi
    def _portal_reopen(self, reason):
        """The owner reopens the complaint (within the reopening days of
        its resolution) with ``reason``, posted as their comment."""
        self._portal_check_owner()
        if rules.check_text(reason, max_len=rules.COMMENT_MAX):
            raise UserError(_("Tell us what is still wrong."))
        if not self._portal_can_reopen():
            raise UserError(_(
                "This complaint can be reopened within %d days of its "
                "resolution only: please file a new one.") % rules.REOPEN_DAYS)
        self._portal_post(_("Reopened: %s") % reason.strip())
        self.sudo()._move_to("reopened")
        return True
