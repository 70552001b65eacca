# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

from ..rules import delivery as delivery_rules
from ..rules.constants import DEFAULT_TZ

_logger = logging.getLogger(__name__)

NOTICE_STATES = ("open", "paid")


class PropertyNoticeDelivery(models.Model):
    """The delivery log of a billing notice: one record per invoice and
    channel (e-mail, SMS, portal, print), never two (database constraint).

    Channels are chosen by ``rules.delivery.select_channels``; a channel that
    cannot reach the payer is recorded as ``skipped`` with its reason. Queued
    e-mail, SMS and portal deliveries are sent by ``_cron_send_queued`` (SMS
    outside the quiet hours of the estate, retried with back-off); print
    deliveries are marked sent by the "Send Billing Notices" wizard when it
    prints the building batch (never by rendering the report).
    """

    _name = "property.notice.delivery"
    _description = "Billing Notice Delivery"
    _order = "id desc"
    _rec_name = "invoice_id"

    _sql_constraints = [
        ("invoice_channel_uniq", "unique(invoice_id, channel)",
         "A billing notice is delivered once per channel."),
    ]

    invoice_id = fields.Many2one(
        "account.invoice", required=True, index=True,
        ondelete="cascade", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Payer", index=True, readonly=True)
    unit_id = fields.Many2one(
        "property.unit", index=True, readonly=True)
    estate_id = fields.Many2one(
        "property.estate", related="unit_id.estate_id", store=True,
        readonly=True, index=True)
    building_id = fields.Many2one(
        "property.building", related="unit_id.building_id", store=True,
        readonly=True)
    company_id = fields.Many2one(
        "res.company", related="invoice_id.company_id", store=True,
        readonly=True, index=True)
    unit_state = fields.Selection(
        related="unit_id.state", store=True, readonly=True,
        string="Unit State")
    channel = fields.Selection(
        delivery_rules.CHANNELS, required=True, readonly=True, index=True)
    state = fields.Selection(
        delivery_rules.DELIVERY_STATES, required=True, default="queued",
        readonly=True, index=True)
    reason_code = fields.Selection(
        delivery_rules.REASONS, string="Reason", readonly=True, index=True)
    reason = fields.Char(
        string="Details", readonly=True,
        help="Last error returned by the channel, if any.")
    destination = fields.Char(
        readonly=True, help="E-mail address or mobile number used.")
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime(
        string="Next Attempt", readonly=True, index=True)
    sent_at = fields.Datetime(string="Sent On", readonly=True)
    gateway_id = fields.Many2one(
        "property.sms.gateway", string="SMS Gateway", readonly=True,
        ondelete="set null")
    reference = fields.Char(
        readonly=True, help="Message id returned by the SMS provider.")
    mail_id = fields.Many2one(
        "mail.mail", string="E-mail", readonly=True, ondelete="set null")
    message_id = fields.Many2one(
        "mail.message", string="Portal Message", readonly=True,
        ondelete="set null")

    @api.model
    def _unreachable_domain(self):
        """The "could not reach" list: e-mails and SMS that failed or could
        not be sent (no address, no number, no consent), and notices of
        vacant units, for staff to follow up by hand."""
        return ["|",
                "&", ("channel", "in", [delivery_rules.EMAIL, delivery_rules.SMS]),
                ("state", "in", ["failed", "skipped"]),
                "&", ("channel", "=", delivery_rules.PRINT),
                ("reason_code", "=", delivery_rules.VACANT)]

    # -- actions ---------------------------------------------------------------

    @api.multi
    def action_retry(self):
        """Queue failed or skipped deliveries again (after fixing a number)."""
        self._requeue()
        return True

    @api.multi
    def action_send_now(self):
        self._send(fields.Datetime.from_string(fields.Datetime.now()))
        return True

    # -- queueing ----------------------------------------------------------------

    @api.model
    def _contact(self, invoice):
        """``rules.delivery.Contact`` of an invoice's payer and unit."""
        partner = invoice.partner_id
        unit = self._invoice_unit(invoice)
        return delivery_rules.Contact(
            email=partner.email, mobile=partner.mobile,
            sms_consent=partner.property_sms_consent,
            unit_state=unit.state if unit else None,
            has_payer=bool(partner))

    @api.model
    def _invoice_unit(self, invoice):
        return invoice.property_unit_id

    @api.model
    def _decide(self, invoice, channel):
        """Values of a (re)queued delivery: queued, or skipped with a reason."""
        contact = self._contact(invoice)
        decision = delivery_rules.select_channels(contact, [channel])[0]
        vals = {"state": "queued", "reason_code": False, "reason": False,
                "attempts": 0, "next_attempt_at": False, "gateway_id": False,
                "destination": False}
        if decision.reason:
            reason = decision.reason
            if channel in (delivery_rules.EMAIL, delivery_rules.SMS) and \
                    delivery_rules.NO_CONTACT in \
                    delivery_rules.unreachable_reasons(contact):
                reason = delivery_rules.NO_CONTACT
            vals.update(state="skipped", reason_code=reason)
        elif channel == delivery_rules.PRINT and contact.unit_state == \
                delivery_rules.VACANT:
            # posted at the entrance of an empty unit: staff follow up
            vals["reason_code"] = delivery_rules.VACANT
        elif channel == delivery_rules.SMS:
            gateway = self.env["property.sms.gateway"]._get_gateway(
                invoice.company_id)
            if not gateway:
                vals.update(state="skipped", reason_code=delivery_rules.NO_GATEWAY)
            vals["gateway_id"] = gateway.id
            vals["destination"] = delivery_rules.normalize_mobile(contact.mobile)
        elif channel == delivery_rules.EMAIL:
            vals["destination"] = contact.email
        return vals

    @api.model
    def _queue(self, invoices, channels=None, resend=False):
        """Create (or re-queue) the deliveries of ``invoices`` on ``channels``
        (default: all). Deliveries already sent stay as they are unless
        ``resend``; failed and skipped ones are decided again. Returns the
        deliveries concerned."""
        channels = channels or list(delivery_rules.CHANNEL_CODES)
        wrong = invoices.filtered(lambda inv: inv.state not in NOTICE_STATES
                                  or inv.type != "out_invoice")
        if wrong:
            raise UserError(_(
                "Billing notices are sent for validated customer invoices "
                "only: %s") % ", ".join(wrong.mapped(
                    lambda inv: inv.number or inv.display_name)))
        existing = self.search([("invoice_id", "in", invoices.ids),
                                ("channel", "in", channels)])
        by_key = {(d.invoice_id.id, d.channel): d for d in existing}
        result = self.browse()
        to_create = []
        for invoice in invoices:
            for channel in channels:
                delivery = by_key.get((invoice.id, channel))
                if delivery:
                    if resend or delivery.state in ("failed", "skipped"):
                        delivery._requeue()
                    result |= delivery
                    continue
                vals = self._decide(invoice, channel)
                unit = self._invoice_unit(invoice)
                vals.update(invoice_id=invoice.id, channel=channel,
                            partner_id=invoice.partner_id.id,
                            unit_id=unit.id if unit else False)
                to_create.append(vals)
        for vals in to_create:
            result |= self.create(vals)
        return result

    @api.multi
    def _requeue(self):
        for delivery in self:
            vals = self._decide(delivery.invoice_id, delivery.channel)
            vals["partner_id"] = delivery.invoice_id.partner_id.id
            delivery.write(vals)

    # -- sending ---------------------------------------------------------------------

    @api.model
    def _now(self, now=None):
        if now is None:
            return fields.Datetime.from_string(fields.Datetime.now())
        if isinstance(now, str):
            return fields.Datetime.from_string(now)
        return now

    @api.multi
    def _tz(self):
        self.ensure_one()
        name = self.estate_id.tz or self.env.user.tz or DEFAULT_TZ
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.timezone(DEFAULT_TZ)

    @api.model
    def _cron_send_queued(self, now=None, limit=500, auto_commit=False):
        """Send the queued e-mail, SMS and portal deliveries that are due.

        ``now`` (naive UTC datetime or Odoo string) defaults to the clock;
        ``auto_commit`` commits after each delivery so that a message sent
        is never sent again after a later crash (the scheduler passes True).
        """
        now = self._now(now)
        deliveries = self.search([
            ("state", "=", "queued"),
            ("channel", "in", list(delivery_rules.SCHEDULED_CHANNELS)),
            "|", ("next_attempt_at", "=", False),
            ("next_attempt_at", "<=", fields.Datetime.to_string(now)),
        ], order="next_attempt_at, id", limit=limit)
        for delivery in deliveries:
            delivery._send(now)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return deliveries

    @api.multi
    def _send(self, now=None):
        """Try the queued deliveries of ``self`` once, at ``now``."""
        now = self._now(now)
        for delivery in self.filtered(lambda d: d.state == "queued"):
            method = getattr(delivery, "_send_%s" % delivery.channel)
            method(now)

    def _mark_sent(self, now, **vals):
        vals.update(state="sent", sent_at=fields.Datetime.to_string(now),
                    next_attempt_at=False, reason=False,
                    attempts=self.attempts + 1)
        if self.reason_code != delivery_rules.VACANT:
            vals["reason_code"] = False
        self.write(vals)

    def _mark_failure(self, now, error, policy=None, quiet=None):
        """One failed attempt: retry later, or failed for good."""
        attempts = self.attempts + 1
        policy = policy or delivery_rules.DEFAULT_RETRY
        kwargs = {}
        if quiet:
            kwargs = {"start": quiet[0], "end": quiet[1]}
        when = delivery_rules.schedule_retry(
            attempts, now, self._tz(), policy, quiet=bool(quiet), **kwargs)
        vals = {"attempts": attempts, "reason": error}
        if when is None:
            vals.update(state="failed", reason_code=delivery_rules.MAX_ATTEMPTS,
                        next_attempt_at=False)
        else:
            vals.update(reason_code=delivery_rules.SEND_ERROR,
                        next_attempt_at=fields.Datetime.to_string(when))
        self.write(vals)

    def _send_email(self, now):
        template = self.env.ref("property_billing.mail_template_billing_notice")
        invoice = self.invoice_id
        try:
            with self.env.cr.savepoint():
                mail_id = template.send_mail(invoice.id, force_send=False)
        except Exception as error:  # a template or report error: retry later
            _logger.exception("Billing notice e-mail of invoice %s", invoice.id)
            self._mark_failure(now, str(error))
            return
        if not invoice.sent:
            invoice.sent = True
        self._mark_sent(now, mail_id=mail_id,
                        destination=invoice.partner_id.email)

    def _send_sms(self, now):
        gateway = self.gateway_id or self.env["property.sms.gateway"]._get_gateway(
            self.company_id)
        if not gateway:
            self.write({"state": "skipped", "next_attempt_at": False,
                        "reason_code": delivery_rules.NO_GATEWAY})
            return
        quiet = gateway._quiet_hours()
        allowed = delivery_rules.next_allowed_time(now, self._tz(), *quiet)
        if allowed > now:  # quiet hours: wait, this is not an attempt
            self.write({"next_attempt_at": fields.Datetime.to_string(allowed),
                        "gateway_id": gateway.id})
            return
        number = self.partner_id.mobile or self.destination
        result = gateway._send_sms(number, self._sms_text())
        if result.ok:
            self._mark_sent(now, reference=result.reference, gateway_id=gateway.id,
                            destination=delivery_rules.normalize_mobile(number))
        else:
            self.gateway_id = gateway
            self._mark_failure(now, result.error, gateway._retry_policy(), quiet)

    def _send_portal(self, now):
        invoice = self.invoice_id
        partner = invoice.partner_id
        if partner not in invoice.message_partner_ids:
            invoice.message_subscribe(partner_ids=partner.ids)
        body = _(
            "<p>Your billing notice %(number)s for %(period)s is ready: "
            "%(amount)s, due on %(due)s.</p>") % self._notice_values()
        # A comment (shown in the owner's portal chatter) without e-mail:
        # the e-mail channel sends its own message.
        message = self.env["mail.message"].with_context(
            message_create_from_mail_mail=True).create({
                "model": "account.invoice",
                "res_id": invoice.id,
                "body": body,
                "message_type": "comment",
                "subtype_id": self.env.ref("mail.mt_comment").id,
                "author_id": invoice.company_id.partner_id.id,
                "partner_ids": [(4, partner.id)],
                "subject": _("Billing notice %s") % (invoice.number or ""),
            })
        self._mark_sent(now, message_id=message.id)

    def _send_print(self, now):
        """Print deliveries are marked sent by the wizard that prints the
        building batch (``_mark_printed``)."""
        return

    @api.model
    def _mark_printed(self, invoices, now=None):
        """The building batch of ``invoices`` was printed: their print
        deliveries (created when missing) are sent."""
        invoices = invoices.filtered(
            lambda inv: inv.state in NOTICE_STATES and inv.type == "out_invoice")
        if not invoices:
            return self.browse()
        deliveries = self._queue(invoices, [delivery_rules.PRINT])
        now = self._now(now)
        for delivery in deliveries.filtered(lambda d: d.state != "sent"):
            delivery._mark_sent(now)
        return deliveries

    # -- texts -------------------------------------------------------------------------

    @api.model
    def _portal_url(self, invoice):
        """Absolute link to the owner's bill in the portal (with its token,
        so that it opens from an SMS or a QR code without logging in)."""
        if not invoice.access_token:
            invoice.sudo()._generate_access_token()
        base = self.env["ir.config_parameter"].sudo().get_param(
            "web.base.url", "")
        return "%s/my/invoices/%s?access_token=%s" % (
            base.rstrip("/"), invoice.id, invoice.access_token)

    def _notice_values(self):
        invoice = self.invoice_id
        unit = self._invoice_unit(invoice)
        period = invoice.billing_period
        return {
            "number": invoice.number or "",
            "estate": unit.estate_id.name if unit else invoice.company_id.name,
            "unit": unit.code if unit else "",
            "period": period or invoice.date_invoice or "",
            "amount": formatLang(self.env, invoice.amount_total,
                                 currency_obj=invoice.currency_id),
            "due": invoice.date_due or "",
            "url": self._portal_url(invoice),
            "phone": unit.estate_id.service_phone or "" if unit else "",
        }

    def _sms_text(self):
        """The SMS, in the payer's language."""
        partner = self.partner_id or self.invoice_id.partner_id
        return self.with_context(
            lang=partner.lang or self.env.lang)._compose_sms_text()

    def _compose_sms_text(self):
        return _(
            "%(estate)s %(unit)s: your bill for %(period)s is %(amount)s, due "
            "%(due)s. Details: %(url)s") % self._notice_values()
