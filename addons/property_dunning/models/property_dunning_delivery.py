# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How a dunning step reaches the payer: one record per step and channel.

SMS, e-mail and portal messages are sent by ``_cron_send`` (SMS outside the
policy's quiet hours, retried with back-off, committed one by one so that a
message sent is never sent again after a crash). A phone call is a task for
a clerk (an activity on the step), done when its outcome is recorded; a
letter is printed and done when its delivery and proof are recorded."""
import logging

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from odoo.addons.property_billing.rules import delivery as delivery_rules
from odoo.addons.property_billing.rules.constants import DEFAULT_TZ

from ..rules import dunning as rules
from .property_dunning_policy import _float_time

_logger = logging.getLogger(__name__)

CHANNELS = [
    (rules.SMS, "SMS"),
    (rules.EMAIL, "E-mail"),
    (rules.PORTAL, "Portal message"),
    (rules.CALL, "Phone call"),
    (rules.LETTER, "Printed letter"),
]
STATES = [
    ("hold", "Waiting for Review"),
    ("queued", "Queued"),
    ("todo", "To Do by Staff"),
    ("sent", "Done"),
    ("failed", "Failed"),
    ("skipped", "Skipped"),
    ("cancel", "Cancelled"),
]
SCHEDULED = (rules.SMS, rules.EMAIL, rules.PORTAL)
BY_STAFF = (rules.CALL, rules.LETTER)
_SERVICE = object()


class PropertyDunningDelivery(models.Model):
    _name = "property.dunning.delivery"
    _description = "Dunning Step Delivery"
    _order = "step_id, id"

    step_id = fields.Many2one(
        "property.dunning.step", required=True, ondelete="cascade",
        index=True, readonly=True)
    partner_id = fields.Many2one(
        related="step_id.partner_id", store=True, readonly=True)
    company_id = fields.Many2one(
        related="step_id.company_id", store=True, readonly=True, index=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    state = fields.Selection(
        STATES, required=True, default="hold", readonly=True, index=True)
    destination = fields.Char(readonly=True)
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime(readonly=True, index=True)
    sent_at = fields.Datetime(string="Done on", readonly=True)
    reason = fields.Char(string="Details", readonly=True)
    reference = fields.Char(
        readonly=True,
        help="Message id of the SMS provider, or the registered-mail number "
             "of a letter.")
    mail_id = fields.Many2one("mail.mail", readonly=True, ondelete="set null")
    message_id = fields.Many2one(
        "mail.message", readonly=True, ondelete="set null")

    _sql_constraints = [
        ("step_channel_uniq", "unique(step_id, channel)",
         "A dunning step goes out once per channel."),
    ]

    @api.model
    def create(self, vals):
        if self.env.context.get("property_dunning_service") is not _SERVICE:
            self.check_access_rights("create")
            raise UserError(_(
                "Dunning deliveries are written by the daily run."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if self.env.context.get("property_dunning_service") is not _SERVICE:
            self.check_access_rights("write")
            raise UserError(_(
                "A dunning delivery changes only when it is sent or "
                "recorded."))
        return super().write(vals)

    @api.multi
    def unlink(self):
        # pylint: disable=method-required-super
        self.check_access_rights("unlink")
        raise UserError(_("A dunning delivery is never deleted."))

    @api.model
    def _service(self):
        return self.sudo().with_context(property_dunning_service=_SERVICE)

    @api.multi
    def _svc(self):
        return self._service().browse(self.ids)

    # -- states -----------------------------------------------------------------

    @api.multi
    def _release(self):
        """The step was reviewed (or is automatic): scheduled channels are
        queued, staff channels become tasks."""
        for delivery in self._svc().filtered(lambda d: d.state == "hold"):
            delivery.write({"state": "todo" if delivery.channel in BY_STAFF
                            else "queued"})
        self._schedule_tasks()

    @api.multi
    def _cancel(self):
        self._svc().filtered(
            lambda d: d.state in ("hold", "queued", "todo")).write(
                {"state": "cancel", "next_attempt_at": False})

    @api.multi
    def _schedule_tasks(self):
        """A phone call gets an activity for the estate's manager (or the
        reviewer) on the step."""
        call_type = self.env.ref("mail.mail_activity_data_call",
                                 raise_if_not_found=False)
        model = self.env["ir.model"]._get("property.dunning.step")
        for delivery in self._svc().filtered(
                lambda d: d.channel == rules.CALL and d.state == "todo"):
            step = delivery.step_id
            user = step.confirmed_by or step.estate_id.manager_id or \
                self.env.user
            self.env["mail.activity"].sudo().create({
                "res_model_id": model.id,
                "res_id": step.id,
                "activity_type_id": call_type.id if call_type else False,
                "summary": _("Call %(payer)s about %(total)s overdue") % {
                    "payer": step.partner_id.name,
                    "total": step._text_values()["total"]},
                "user_id": user.id,
                "date_deadline": fields.Date.context_today(step),
            })

    @api.multi
    def _mark_done(self, reference=None, reason=None):
        now = fields.Datetime.now()
        for delivery in self._svc():
            delivery.write({"state": "sent", "sent_at": now,
                            "attempts": delivery.attempts + 1,
                            "reference": reference or delivery.reference,
                            "reason": reason or False,
                            "next_attempt_at": False})
        steps = self.mapped("step_id")
        steps._update_done()

    # -- sending -----------------------------------------------------------------

    @api.model
    def _now(self, now=None):
        if now is None:
            return fields.Datetime.from_string(fields.Datetime.now())
        if isinstance(now, str):
            return fields.Datetime.from_string(now)
        return now

    @api.model
    def _cron_send(self, now=None, limit=500, auto_commit=False):
        """Send the queued SMS, e-mail and portal deliveries that are due
        (``auto_commit``: one commit per delivery, as the scheduler runs)."""
        now = self._now(now)
        deliveries = self._service().search([
            ("state", "=", "queued"), ("channel", "in", list(SCHEDULED)),
            "|", ("next_attempt_at", "=", False),
            ("next_attempt_at", "<=", fields.Datetime.to_string(now)),
        ], order="next_attempt_at, id", limit=limit)
        for delivery in deliveries:
            delivery._send_one(now)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        deliveries.mapped("step_id")._update_done()
        return deliveries

    @api.multi
    def _send_due(self, now=None):
        """Send the queued deliveries of ``self`` that are due now."""
        now = self._now(now)
        for delivery in self._svc().filtered(
                lambda d: d.state == "queued" and d.channel in SCHEDULED and (
                    not d.next_attempt_at
                    or fields.Datetime.from_string(d.next_attempt_at) <= now)):
            delivery._send_one(now)
        self.mapped("step_id")._update_done()

    @api.multi
    def _send_one(self, now):
        self.ensure_one()
        if self.state != "queued":
            return
        # lock the row: two senders never send the same message
        self.env.cr.execute("""
            SELECT state FROM property_dunning_delivery WHERE id = %s
               FOR UPDATE SKIP LOCKED""", (self.id,))
        row = self.env.cr.fetchone()
        if not row or row[0] != "queued":
            return
        getattr(self, "_send_%s" % self.channel)(now)

    @api.multi
    def _tz(self):
        name = self.step_id.estate_id.tz or DEFAULT_TZ
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.timezone(DEFAULT_TZ)

    @api.multi
    def _quiet(self):
        policy = self.step_id.policy_id
        if not policy:
            return delivery_rules.QUIET_START, delivery_rules.QUIET_END
        return _float_time(policy.quiet_start), _float_time(policy.quiet_end)

    def _sent(self, now, **vals):
        vals.update(state="sent", sent_at=fields.Datetime.to_string(now),
                    next_attempt_at=False, reason=False,
                    attempts=self.attempts + 1)
        self.write(vals)

    def _failure(self, now, error, policy=None):
        attempts = self.attempts + 1
        start, end = self._quiet()
        when = delivery_rules.schedule_retry(
            attempts, now, self._tz(), policy or delivery_rules.DEFAULT_RETRY,
            quiet=self.channel == rules.SMS, start=start, end=end)
        vals = {"attempts": attempts, "reason": error}
        if when is None:
            vals.update(state="failed", next_attempt_at=False)
        else:
            vals["next_attempt_at"] = fields.Datetime.to_string(when)
        self.write(vals)

    def _send_sms(self, now):
        step = self.step_id
        gateway = self.env["property.sms.gateway"].sudo()._get_gateway(
            step.company_id)
        if not gateway:
            self.write({"state": "skipped", "next_attempt_at": False,
                        "reason": _("No SMS gateway is configured.")})
            return
        allowed = delivery_rules.next_allowed_time(now, self._tz(),
                                                   *self._quiet())
        if allowed > now:  # quiet hours: wait, this is no attempt
            self.write({"next_attempt_at": fields.Datetime.to_string(allowed)})
            return
        number = step.partner_id.mobile or self.destination
        result = gateway._send_sms(number, step.sms_text or step.subject or "")
        if result.ok:
            self._sent(now, reference=result.reference,
                       destination=delivery_rules.normalize_mobile(number))
        else:
            self._failure(now, result.error, gateway._retry_policy())

    def _send_email(self, now):
        step = self.step_id
        partner = step.partner_id
        if not partner.email:
            self.write({"state": "skipped", "reason": _("No e-mail address.")})
            return
        try:
            with self.env.cr.savepoint():
                mail = self.env["mail.mail"].sudo().create({
                    "subject": step.subject or step.level_id.name,
                    "body_html": self._html(step.body),
                    "email_to": partner.email,
                    "email_from": (step.company_id.email
                                   or self.env.user.company_id.email or False),
                    "model": step._name,
                    "res_id": step.id,
                    "auto_delete": False,
                })
        except Exception as error:  # pylint: disable=broad-except
            _logger.exception("Dunning e-mail of step %s", step.id)
            self._failure(now, str(error))
            return
        self._sent(now, mail_id=mail.id, destination=partner.email)

    def _send_portal(self, now):
        step = self.step_id
        partner = step.partner_id
        message = self.env["mail.message"].sudo().with_context(
            message_create_from_mail_mail=True).create({
                "model": "res.partner",
                "res_id": partner.id,
                "body": self._html(step.body),
                "message_type": "comment",
                "subtype_id": self.env.ref("mail.mt_comment").id,
                "author_id": step.company_id.partner_id.id,
                "partner_ids": [(4, partner.id)],
                "subject": step.subject or step.level_id.name,
            })
        self._sent(now, message_id=message.id)

    @api.model
    def _html(self, text):
        return plaintext2html(text or "")
