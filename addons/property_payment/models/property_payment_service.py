# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The allocation service: the one way money is taken, on every channel.

``_pay`` takes a payer, an amount, a channel and optionally the bills chosen;
it allocates (oldest bill first, or the chosen bills in order, by
``rules.allocation``), posts one ``account.payment`` on the channel's journal,
reconciles it with the bills' receivable lines, keeps the rest as the payer's
advance credit, writes the receipt and returns it. The counter, bank
statements, auto-debit returns, the portal and advance credit all call it;
nothing else posts a customer payment.

Everything here is private: the callers (wizards, controllers, imports) check
who may take a payment, and ``_pay`` checks it again before writing.
"""
import datetime
import logging
from decimal import Decimal

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero

from odoo.addons.property_billing.rules.constants import TRACKING_OFF
from odoo.addons.property_billing.rules.timezones import to_local

from ..rules import allocation as rules
from ..rules import channels

_logger = logging.getLogger(__name__)

CASHIER_GROUPS = ("property_billing.group_billing_user",
                  "account.group_account_invoice")


def _decimal(value):
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


class PropertyPaymentService(models.AbstractModel):
    _name = "property.payment.service"
    _description = "Payment Allocation Service"

    # -- the service -----------------------------------------------------------

    @api.model
    def _pay(self, payer, amount, channel_code, invoices=None, date=None,
             serial=None, reference=None, estate=None, statement_line=None,
             tendered=None, note=None):
        """Take ``amount`` from ``payer`` on ``channel_code``; see the module
        docstring. Returns the receipt (``property.receipt``).

        :param invoices: the bills the payer chose, in the order to settle
            them; without them, every open bill of the payer in the estate,
            oldest first. The rest of the amount is advance credit.
        :param statement_line: the bank statement line the money arrived on
            (bank transfer): the payment is posted on its journal and the line
            is reconciled with it.
        :param tendered: cash handed over at the counter; the change is
            computed and printed on the receipt.
        """
        self._check_cashier()
        if not payer:
            raise UserError(_("Choose the payer first."))
        # no mail tracking of the payment, moves and receipt: the receipt is
        # the record of what happened (and a cashier needs no e-mail address)
        self = self.with_context(**TRACKING_OFF)  # pylint: disable=self-cls-assignment
        payer = payer.commercial_partner_id
        company = (estate.company_id if estate else
                   (invoices[:1].company_id if invoices else
                    self.env.user.company_id))
        currency = company.currency_id
        amount = currency.round(amount or 0.0)
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
            raise UserError(_(
                "The amount to pay must be more than zero (given: %s).")
                % amount)
        channel = self.env["property.payment.channel"]._get(channel_code, company)
        cashier = self.env.user
        estate = self._payment_estate(payer, company, invoices, estate)
        date = date or self._local_today(estate)
        if channels.is_counter(channel_code):
            self.env["property.cash.closing"]._check_day_open(
                cashier, date, company)
        if statement_line and statement_line.journal_entry_ids:
            raise UserError(_(
                "Bank statement line %s is already reconciled.")
                % statement_line.name)
        self._lock_bills(payer, company)
        open_bills = self._open_bills(payer, company, estate)
        if invoices:
            self._check_chosen(invoices, payer, estate, open_bills)
        change = 0.0
        if tendered is not None and channel.gives_change:
            change = float(self._rule(rules.change_due, _decimal(tendered),
                                      _decimal(amount)))
        allocation = self._rule(
            rules.allocate, _decimal(amount),
            [self._bill(invoice) for invoice in open_bills],
            chosen=invoices.ids if invoices else None,
            precision=_decimal(currency.rounding))
        journal = statement_line.journal_id if statement_line else \
            channel.journal_id
        payment = self._post_payment(payer, amount, journal, date, reference
                                     or serial, company)
        paid = self.env["account.invoice"]
        counterpart = self._counterpart(payment, payer)
        for line in allocation.lines:
            invoice = open_bills.browse(line.key)
            self._reconcile(counterpart, invoice, float(line.amount))
            paid |= invoice
        if paid:
            payment.write({"invoice_ids": [(6, 0, paid.ids)]})
        if statement_line:
            statement_line.process_reconciliation(
                payment_aml_rec=payment.move_line_ids.filtered(
                    lambda aml: aml.account_id.internal_type == "liquidity"))
        receipt = self._write_receipt(
            estate, payer, channel, payment, allocation, date,
            serial=serial, reference=reference, statement_line=statement_line,
            tendered=tendered if channel.gives_change else None, change=change,
            note=note)
        if not float_is_zero(float(allocation.advance),
                             precision_rounding=currency.rounding):
            self._keep_advance(receipt)
        return receipt

    @api.model
    def _keep_advance(self, receipt):
        """Where the advance credit of ``receipt`` is kept. Here: on the
        payer's receivable (the payment's counterpart stays open for its
        remainder); extended for a configured advance-receipts account."""
        return False

    # -- checks ------------------------------------------------------------------

    @api.model
    def _check_cashier(self):
        user = self.env.user
        if not any(user.has_group(group) for group in CASHIER_GROUPS):
            raise AccessError(_(
                "Only cashiers and accountants take payments."))

    @api.model
    def _rule(self, function, *args, **kwargs):
        """Call a payment rule; its refusal becomes a message in the user's
        language."""
        try:
            return function(*args, **kwargs)
        except rules.PaymentRuleError as error:
            raise UserError(self._rule_message(error))

    @api.model
    def _rule_message(self, error):
        params = error.params
        if error.code == rules.NOT_POSITIVE:
            return _("The amount to pay must be more than zero (given: %s).") \
                % params.get("amount")
        if error.code == rules.TENDERED_SHORT:
            return _("The cash handed over (%(tendered)s) is less than the "
                     "amount to pay (%(amount)s).") % params
        if error.code == rules.DUPLICATE_BILL:
            return _("A bill was chosen twice.")
        if error.code == rules.NOT_OPEN:
            invoice = self.env["account.invoice"].browse(params.get("key"))
            return _("Bill %s has nothing left to pay.") % (
                invoice.number or invoice.id)
        return error.code

    @api.model
    def _payment_estate(self, payer, company, invoices, estate):
        if estate:
            return estate
        if invoices and invoices[0].property_estate_id:
            return invoices[0].property_estate_id
        bill = self.env["account.invoice"].search([
            ("commercial_partner_id", "=", payer.id), ("state", "=", "open"),
            ("type", "=", "out_invoice"), ("company_id", "=", company.id),
            ("property_estate_id", "!=", False)],
            order="date_due, date_invoice, id", limit=1)
        if bill:
            return bill.property_estate_id
        occupancy = self.env["property.occupancy"].search([
            ("partner_id", "child_of", payer.id),
            ("unit_id.company_id", "=", company.id)],
            order="date_to desc, date_from desc", limit=1)
        if occupancy:
            return occupancy.unit_id.estate_id
        raise UserError(_(
            "%s has no bill and no unit in this company: the payment cannot "
            "be receipted for an estate.") % payer.display_name)

    @api.model
    def _check_chosen(self, invoices, payer, estate, open_bills):
        for invoice in invoices:
            label = invoice.number or invoice.display_name
            if invoice.commercial_partner_id != payer:
                raise UserError(_("Bill %(bill)s is not a bill of %(payer)s.")
                                % {"bill": label, "payer": payer.display_name})
            if invoice.state == "cancel":
                raise UserError(_(
                    "Bill %s is cancelled: it cannot be paid.") % label)
            if invoice.state == "paid":
                raise UserError(_("Bill %s is already paid.") % label)
            if invoice.state != "open" or invoice.type != "out_invoice":
                raise UserError(_("Bill %s is not a posted bill.") % label)
            if invoice.property_estate_id and invoice.property_estate_id != estate:
                raise UserError(_(
                    "Bill %s belongs to another estate: take its payment "
                    "on its own receipt.") % label)
            if invoice not in open_bills:
                raise UserError(_("Bill %s has nothing left to pay.") % label)

    # -- bills -------------------------------------------------------------------

    @api.model
    def _lock_bills(self, payer, company):
        """Lock the payer's open bills: two payments taken at once for the
        same payer are allocated one after the other, never to the same
        residual."""
        self.env["account.invoice"].check_access_rights("write")
        self.env.cr.execute("""
            SELECT id FROM account_invoice
             WHERE commercial_partner_id = %s AND company_id = %s
               AND state = 'open'
             ORDER BY id FOR UPDATE""", (payer.id, company.id))
        self.env["account.invoice"].invalidate_cache(
            ["residual", "state"], [row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _open_bills(self, payer, company, estate):
        domain = [("commercial_partner_id", "=", payer.id),
                  ("state", "=", "open"), ("type", "=", "out_invoice"),
                  ("company_id", "=", company.id)]
        if estate:
            domain += ["|", ("property_estate_id", "=", estate.id),
                       ("property_estate_id", "=", False)]
        return self.env["account.invoice"].search(
            domain, order="date_due, date_invoice, number, id")

    @api.model
    def _bill(self, invoice):
        return rules.Bill(
            invoice.id, _decimal(invoice.residual),
            fields.Date.from_string(invoice.date_due),
            fields.Date.from_string(invoice.date_invoice), invoice.number or "")

    # -- accounting ---------------------------------------------------------------

    @api.model
    def _post_payment(self, payer, amount, journal, date, communication,
                      company):
        method = journal.inbound_payment_method_ids[:1] or self.env.ref(
            "account.account_payment_method_manual_in")
        payment = self.env["account.payment"].create({
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": payer.id,
            "amount": amount,
            "currency_id": company.currency_id.id,
            "journal_id": journal.id,
            "payment_date": date,
            "payment_method_id": method.id,
            "communication": communication or False,
        })
        payment.post()
        return payment

    @api.model
    def _counterpart(self, payment, payer):
        account = payer.property_account_receivable_id
        return payment.move_line_ids.filtered(
            lambda aml: aml.account_id == account and aml.credit)

    @api.model
    def _reconcile(self, counterpart, invoice, amount):
        """Reconcile ``amount`` of the payment's ``counterpart`` with the
        receivable lines of ``invoice``. Odoo reconciles as much as both
        sides allow: the allocation never gives a bill more than its residual,
        and the bills are taken in the allocation's order, so each partial
        reconcile is exactly the allocated amount."""
        lines = invoice.move_id.line_ids.filtered(
            lambda aml: aml.account_id == invoice.account_id
            and not aml.reconciled)
        before = counterpart.amount_residual
        (counterpart | lines).reconcile()
        taken = before - counterpart.amount_residual
        currency = invoice.currency_id
        if float_compare(-taken, amount,
                         precision_rounding=currency.rounding) != 0:
            raise UserError(_(
                "Bill %(bill)s could not be reconciled with the payment "
                "(%(expected)s expected, %(reconciled)s reconciled).")
                % {"bill": invoice.number, "expected": amount,
                   "reconciled": -taken})

    # -- receipts ------------------------------------------------------------------

    @api.model
    def _write_receipt(self, estate, payer, channel, payment, allocation, date,
                       serial=None, reference=None, statement_line=None,
                       tendered=None, change=0.0, note=None):
        Receipt = self.env["property.receipt"].sudo()
        currency = estate.company_id.currency_id
        receipt = Receipt._create_service({
            "name": self._next_receipt_number(estate, date),
            "company_id": estate.company_id.id,
            "estate_id": estate.id,
            "partner_id": payer.id,
            "date": date,
            "channel_id": channel.id,
            "serial": serial or False,
            "reference": reference or False,
            "cashier_id": self.env.uid,
            "payment_id": payment.id,
            "statement_line_id": statement_line.id if statement_line else False,
            "currency_id": currency.id,
            "amount": payment.amount,
            "allocated_amount": float(allocation.allocated),
            "advance_amount": float(allocation.advance),
            "tendered_amount": float(tendered) if tendered is not None else 0.0,
            "change_amount": change,
            "note": note or False,
        })
        Line = self.env["property.receipt.line"].sudo()
        sequence = 0
        for allocated in allocation.lines:
            invoice = self.env["account.invoice"].browse(allocated.key)
            lines = invoice.invoice_line_ids
            shares = rules.split_over_lines(
                allocated.amount, [_decimal(line.price_total) for line in lines],
                precision=_decimal(currency.rounding))
            for line, share in zip(lines, shares):
                sequence += 1
                Line._create_service({
                    "receipt_id": receipt.id, "sequence": sequence,
                    "kind": "bill", "invoice_id": invoice.id,
                    "invoice_line_id": line.id,
                    "unit_id": invoice.property_unit_id.id,
                    "name": line.name or invoice.number,
                    "period": self._period_label(invoice),
                    "amount": float(share),
                })
        if allocation.advance:
            Line._create_service({
                "receipt_id": receipt.id, "sequence": sequence + 1,
                "kind": "advance", "name": _("Advance payment (credit)"),
                "amount": float(allocation.advance),
            })
        receipt.invalidate_cache()
        return receipt.sudo(self.env.uid)

    @api.model
    def _period_label(self, invoice):
        if invoice.property_period_from and invoice.property_period_to:
            return "%s ~ %s" % (invoice.property_period_from,
                                invoice.property_period_to)
        return invoice.billing_period or ""

    @api.model
    def _next_receipt_number(self, estate, date):
        sequence = estate.sudo()._receipt_sequence()
        return sequence.with_context(ir_sequence_date=date).next_by_id()

    @api.model
    def _local_today(self, estate):
        tz = pytz.timezone(estate.tz or "Asia/Shanghai")
        now = to_local(datetime.datetime.utcnow(), tz)
        return fields.Date.to_string(now.date())

    # -- void ------------------------------------------------------------------------

    @api.model
    def _void_receipt(self, receipt, reason):
        """Reverse the payment of ``receipt`` (its bills open again) and mark
        it void. The receipt, the payment and both entries stay.

        Called by ``property.receipt.action_void`` after its check that the
        user is a billing manager: the unreconciling and the reversal entry
        then run as superuser (Odoo reserves removing reconciliations to its
        accountants), the void is recorded under the manager's name."""
        uid = self.env.uid
        receipt = receipt.sudo()
        payment = receipt.payment_id
        statement_line = receipt.statement_line_id
        if statement_line and statement_line.journal_entry_ids:
            statement_line.button_cancel_reconciliation()
            statement_line._property_unmatch()
        self._void_advance(receipt)
        moves = payment.move_line_ids.mapped("move_id")
        today = self._local_today(receipt.estate_id)
        reversal_ids = moves.reverse_moves(date=today)
        payment.write({"state": "cancelled"})
        receipt._write_service({
            "state": "void", "void_reason": reason, "void_date": today,
            "void_uid": uid,
            "reversal_move_id": reversal_ids[0] if reversal_ids else False,
        })
        receipt.message_post(body=_("Receipt voided: %s") % reason,
                             author_id=self.env.user.partner_id.id)
        return receipt.sudo(uid)

    @api.model
    def _void_advance(self, receipt):
        """Undo what ``_keep_advance`` did for ``receipt`` (nothing here)."""
        return False
