# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Online payments of the owner portal on Odoo's payment framework.

Odoo 11's portal pays one invoice for its full amount. An owner pays a
choice of bills, or part of it, or ahead (预存): a transaction here carries
the payer and the bills chosen, and is settled by the payments module's
allocation service (``property.payment.service``), which posts the payment,
reconciles the bills and writes the receipt.

The gateway add-ons (WeChat Pay, Alipay) implement, on ``payment.acquirer``:

* ``_property_start(tx, client)``: ask the gateway for the payment and
  return ``{"redirect_url": ...}`` or ``{"qr_text": ...}``;
* ``_property_query(tx)``: ask the gateway whether ``tx`` was paid (the cron
  for lost notifies), calling ``tx._property_confirm`` if it was;

and call ``tx._property_confirm(serial, amount)`` from their verified
notify. That method confirms once: under a row lock, a repeated or
concurrent notify of a confirmed transaction changes nothing.

Confirming is quick, so that the gateway has its answer at once; the
settlement (payment entry, reconciliation, receipt) follows in a queue_job of
the ``root.property_portal.settle`` channel, one at a time (they would only
contend for the gapless entry and receipt sequences) and ``SETTLE_AFTER``
seconds later, or at once when the owner opens the payment's page.
"""
import datetime
import logging

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.queue_job.job import job

from odoo.addons.property_payment.rules import channels

from ..rules import gateway

_logger = logging.getLogger(__name__)

# written only by this module's services: the context holds this object,
# which no RPC call can send
_SERVICE = object()
SERVICE_KEY = "property_portal_payment_service"
PROTECTED_FIELDS = frozenset([
    "property_payer_id", "property_invoice_ids", "property_receipt_id",
    "property_client", "property_advance", "state", "amount", "currency_id",
    "acquirer_id", "acquirer_reference", "reference", "partner_id",
    "date_validate", "property_qr_text"])
PROVIDER_CHANNEL = {
    gateway.WECHATPAY: channels.ONLINE_WECHAT,
    gateway.ALIPAY: channels.ONLINE_ALIPAY,
}
# a transaction left unpaid this long is asked about by the query cron
QUERY_AFTER = datetime.timedelta(minutes=5)
QUERY_FOR = datetime.timedelta(days=2)
# settlements run one at a time: give this channel a capacity of 1 in the
# server's [queue_job] channels
SETTLE_CHANNEL = "root.property_portal.settle"
# how long after the notify the queued settlement starts: the owner's page
# (which refreshes itself while it waits) settles at once, the job catches
# the payments of owners who did not come back, after a burst of notifies
# has had its answers
SETTLE_AFTER = 10  # seconds


def _service(records):
    return records.with_context(**{SERVICE_KEY: _SERVICE})


class PaymentAcquirer(models.Model):
    _inherit = "payment.acquirer"

    @api.multi
    def _property_channel_code(self):
        """The suite's payment channel (and so journal and receipt label) of
        this acquirer's payments."""
        self.ensure_one()
        return PROVIDER_CHANNEL.get(self.provider)

    @api.multi
    def _property_offered(self, client):
        """Whether the portal offers this acquirer to ``client``."""
        self.ensure_one()
        return (self.provider in PROVIDER_CHANNEL
                and gateway.offered(self.provider, client))

    @api.multi
    def _property_start(self, tx, client):
        """Start ``tx`` at the gateway; see the module docstring."""
        raise UserError(_("%s cannot take payments from the owner portal.")
                        % self.name)

    @api.multi
    def _property_query(self, tx):
        """Ask the gateway about ``tx``; True if it was found paid."""
        return False


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    property_payer_id = fields.Many2one(
        "res.partner", string="Payer", readonly=True, index=True,
        help="The owner (commercial partner) who pays through the portal.")
    property_invoice_ids = fields.Many2many(
        "account.invoice", "property_payment_transaction_invoice_rel",
        "transaction_id", "invoice_id", string="Bills Chosen", readonly=True)
    property_advance = fields.Boolean(
        "Advance Payment", readonly=True,
        help="Paid ahead (预存), with no bill chosen: kept as credit.")
    property_receipt_id = fields.Many2one(
        "property.receipt", string="Receipt", readonly=True)
    property_client = fields.Selection(
        [(gateway.DESKTOP, "Desktop browser"), (gateway.MOBILE, "Phone browser"),
         (gateway.WECHAT, "WeChat")], string="Paid From", readonly=True)
    property_qr_text = fields.Char(
        "QR Code Text", readonly=True, copy=False,
        help="What the owner scans to pay (WeChat Pay Native), while the "
             "transaction waits.")

    @api.model
    def create(self, vals):
        if (vals.get("property_payer_id")
                and self.env.context.get(SERVICE_KEY) is not _SERVICE):
            raise AccessError(_("Owner payments are started from the owner "
                                "portal only."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if (self.env.context.get(SERVICE_KEY) is not _SERVICE
                and PROTECTED_FIELDS.intersection(vals)
                and any(tx.property_payer_id for tx in self.sudo())):
            self.check_access_rights("write")
            raise AccessError(_(
                "An owner's online payment changes only through its gateway's "
                "verified notification."))
        return super().write(vals)

    # -- services (private) --------------------------------------------------

    @api.model
    def _property_create(self, payer, acquirer, amount, invoices, client):
        """A transaction of ``payer`` (commercial partner) for ``amount`` on
        ``acquirer``, for ``invoices`` (none: an advance payment). The
        caller checked that the bills are the payer's own."""
        currency = payer.company_id.currency_id or \
            self.env.user.company_id.currency_id
        try:
            amount = gateway.to_decimal(amount)
        except gateway.GatewayRuleError:
            raise UserError(_("The amount %s is not a valid amount.") % amount)
        if amount <= 0:
            raise UserError(_("The amount to pay must be more than zero."))
        if not acquirer._property_offered(client):
            raise UserError(_("%s is not available here.") % acquirer.name)
        reference = self.env["ir.sequence"].sudo().next_by_code(
            "property.portal.payment") or ""
        gateway.out_trade_no(reference)  # the sequence makes a valid one
        tx = _service(self.sudo()).create({
            "acquirer_id": acquirer.id,
            "type": "form",
            "amount": float(amount),
            "currency_id": currency.id,
            "partner_id": payer.id,
            "partner_country_id": payer.country_id.id,
            "reference": reference,
            "property_payer_id": payer.id,
            "property_invoice_ids": [(6, 0, invoices.ids)],
            "property_advance": not invoices,
            "property_client": client,
        })
        # without the service's context: what the caller does next is
        # checked again
        return self.browse(tx.id)

    @api.multi
    def _property_started(self, qr_text=None):
        """The gateway took the order: it waits for the owner (with the QR
        code to show, for a Native order)."""
        values = {"property_qr_text": qr_text or False}
        if self.state == "draft":
            values["state"] = "pending"
        _service(self.sudo()).write(values)

    @api.multi
    def _property_confirm(self, serial, amount):
        """The gateway says ``self`` was paid ``amount`` (Decimal yuan) under
        its serial number ``serial``. Confirms once: returns True when this
        call confirmed it, False when it was confirmed already. A wrong
        amount is refused (ValidationError) and recorded on the transaction.
        The settlement is queued (see the module docstring)."""
        self.ensure_one()
        # a replay of a confirmed payment needs no lock ('done' is final):
        # it must not wait for, or collide with, the settlement
        self.env.cr.execute(
            "SELECT state FROM payment_transaction WHERE id = %s", [self.id])
        if self.env.cr.fetchone()[0] == "done":
            return False
        state = self._property_lock()
        tx = _service(self.sudo())
        if state == "done" or tx.property_receipt_id:
            return False
        if not gateway.same_amount(tx.amount, amount):
            message = _("The gateway reported %(paid)s paid for %(reference)s, "
                        "which is for %(amount)s.") % {
                "paid": amount, "reference": tx.reference, "amount": tx.amount}
            tx.write({"state_message": message})
            raise ValidationError(message)
        tx.write({
            "state": "done",
            "acquirer_reference": serial,
            "date_validate": fields.Datetime.now(),
            "property_qr_text": False,
            "state_message": False,
        })
        # the job's own chatter (a "created" message to the queue managers)
        # would cost the notify more than everything else it does
        tx.with_context(mail_create_nolog=True, mail_create_nosubscribe=True,
                        tracking_disable=True).with_delay(
            channel=SETTLE_CHANNEL, eta=SETTLE_AFTER,
            description=_("Settle the online payment %s") % tx.reference,
        )._property_settle_job()
        return True

    @job(default_channel=SETTLE_CHANNEL)
    @api.multi
    def _property_settle_job(self):
        """The queued settlement of a confirmed payment (see
        ``_property_settle_confirmed``)."""
        return self._property_settle_confirmed()

    @api.multi
    def _property_settle_confirmed(self):
        """Settle ``self`` if the gateway confirmed it and it has no receipt
        yet: True if settled now. Under the row lock, so that the queued job
        and the owner's page settle it once between them."""
        self.ensure_one()
        state = self._property_lock()
        tx = _service(self.sudo())
        if state != "done" or tx.property_receipt_id:
            return False
        receipt = tx._property_settle(tx.acquirer_reference)
        tx.write({"property_receipt_id": receipt.id})
        return True

    @api.multi
    def _property_lock(self):
        """Lock the transaction's row until the end of the database
        transaction (so that a payment and a cancel, or two notifies, take
        their turns) and return its state as committed."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT state FROM payment_transaction WHERE id = %s FOR UPDATE",
            [self.id])
        state = self.env.cr.fetchone()[0]
        self.invalidate_cache()
        return state

    @api.multi
    def _property_cancel(self):
        """The gateway closed the order unpaid (it expired): cancel ``self``
        unless it was paid meanwhile. True if cancelled now."""
        self.ensure_one()
        state = self._property_lock()
        tx = _service(self.sudo())
        if state not in ("draft", "pending") or tx.property_receipt_id:
            return False
        tx.write({"state": "cancel", "property_qr_text": False})
        return True

    @api.multi
    def _property_settle(self, serial):
        """The payment through the allocation service: on the chosen bills
        that are still open (one paid meanwhile, at the counter say, leaves
        its share as advance credit), or oldest first. Money that arrived is
        never refused here."""
        self.ensure_one()
        acquirer = self.acquirer_id
        code = acquirer._property_channel_code()
        if not code:
            raise UserError(_("%s is not an owner-portal gateway.")
                            % acquirer.name)
        open_bills = self.property_invoice_ids.filtered(
            lambda bill: bill.state == "open").sorted(
                lambda bill: (bill.date_due or "", bill.date_invoice or "",
                              bill.id))
        # one receipt per estate: the first bill's estate takes the payment
        # (the pay page offers one estate at a time), the rest is credit
        open_bills = open_bills.filtered(
            lambda bill: bill.property_estate_id
            == open_bills[:1].property_estate_id)
        service = self.env["property.payment.service"].sudo(SUPERUSER_ID)
        return service._pay_one(
            self.property_payer_id, float(self.amount), code,
            invoices=open_bills or None, serial=serial,
            reference=self.reference)

    @api.model
    def _property_cron_query(self):
        """Ask the gateways about owner payments whose notify has not come
        (a lost notify must not leave an owner's money unreceipted)."""
        now = datetime.datetime.utcnow()
        pending = self.sudo().search([
            ("property_payer_id", "!=", False),
            ("state", "in", ("draft", "pending")),
            ("create_date", "<=", fields.Datetime.to_string(now - QUERY_AFTER)),
            ("create_date", ">=", fields.Datetime.to_string(now - QUERY_FOR)),
        ], order="id", limit=500)
        for tx in pending:
            try:
                with self.env.cr.savepoint():
                    tx.acquirer_id._property_query(tx)
            except Exception:  # pylint: disable=broad-except
                # one gateway's failure must not stop the others
                _logger.exception("Query of payment %s failed", tx.reference)
        return True
