# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Late fees (违约金) as a figure: what the bills accrued, read from the
database and computed by ``rules.late_fee``.

- ``property.late.fee.service`` builds each bill's ``FeeBill`` in a few
  queries: its amount, due date, the dated reductions of what is due (the
  partial reconciliations of its receivable item: payments, credit notes,
  advance credit applied), its disputes (bill questions from the day asked to
  the day answered or closed, linked complaints from the day reported to the
  day closed) and its instalment plans in good standing; then accrues them
  under the policy of the bill's estate, as of the estate's local day.
- The bill shows its accrued fee (``property_late_fee_accrued``), the payer's
  status the accrued, levied, waived and open fee (``rules.late_fee.balance``).
- The daily run takes the step lines' fees from the service, for all the
  chased bills at once (``_bill_fees``).
- A bill question keeps the day it was closed (``dunning_closed_date``), so
  that a question closed without an answer ends its dispute.

Every method here is private: the figures are read through the computed
fields of records the user can already read."""
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

import pytz

from odoo import api, fields, models

from odoo.addons.property_billing.rules.constants import DEFAULT_TZ
from odoo.addons.property_billing.rules.timezones import to_local

from ..rules import late_fee as fee_rules
from ..rules.common import CENT, RuleError

# the bills whose late fee accrues: posted customer bills of an estate that
# are not themselves a levied late fee
FEE_BILL_STATES = ("open", "paid")


class _RunFees(dict):
    """The run's fees per bill, passed to ``_bill_fee`` in the context: a
    type no RPC call can send, so that no caller supplies fees of its own."""


def _tz(name):
    try:
        return pytz.timezone(name or DEFAULT_TZ)
    except pytz.UnknownTimeZoneError:
        return pytz.timezone(DEFAULT_TZ)


def _local_date(moment, tz):
    """The local day of a naive UTC datetime (string or datetime)."""
    if not moment:
        return None
    if isinstance(moment, str):
        moment = fields.Datetime.from_string(moment)
    return to_local(moment, tz).date()


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, datetime):
        return value.date()
    return fields.Date.from_string(value)


class PropertyLateFeeService(models.AbstractModel):
    _name = "property.late.fee.service"
    _description = "Late Fee Accrual Service"

    # -- reading the bills --------------------------------------------------

    @api.model
    def _bill_rows(self, invoice_ids):
        """{invoice id: row} of the bills of ``invoice_ids`` whose late fee
        accrues (posted customer bills of an estate, not late fees)."""
        if not invoice_ids:
            return {}
        self.env.cr.execute("""
            SELECT inv.id, inv.number, inv.partner_id, inv.amount_total,
                   inv.date_due, inv.property_estate_id AS estate_id,
                   inv.property_unit_id AS unit_id, est.tz,
                   cur.rounding
              FROM account_invoice inv
              JOIN property_estate est ON est.id = inv.property_estate_id
              JOIN res_currency cur ON cur.id = inv.currency_id
             WHERE inv.id = ANY(%s) AND inv.type = 'out_invoice'
               AND inv.state IN %s AND inv.property_late_fee_id IS NULL""",
                            (list(invoice_ids), FEE_BILL_STATES))
        return {row["id"]: row for row in self.env.cr.dictfetchall()}

    @api.model
    def _bill_payments(self, invoice_ids):
        """{invoice id: [Payment]}: what lowered each bill's receivable, on
        the later date of the two reconciled items."""
        result = defaultdict(list)
        if not invoice_ids:
            return result
        self.env.cr.execute("""
            SELECT inv.id, apr.amount, apr.max_date
              FROM account_partial_reconcile apr
              JOIN account_move_line aml ON aml.id = apr.debit_move_id
              JOIN account_account acc ON acc.id = aml.account_id
              JOIN account_invoice inv ON inv.id = aml.invoice_id
                                      AND inv.move_id = aml.move_id
             WHERE inv.id = ANY(%s) AND acc.internal_type = 'receivable'
             ORDER BY apr.max_date, apr.id""", (list(invoice_ids),))
        for invoice_id, amount, day in self.env.cr.fetchall():
            result[invoice_id].append(fee_rules.Payment(
                _as_date(day), Decimal(repr(amount or 0.0))))
        return result

    @api.model
    def _bill_disputes(self, rows):
        """{invoice id: [Period]}: bill questions (asked → answered or
        closed) and linked complaints (reported → closed), in local days; an
        open one has no end."""
        result = defaultdict(list)
        if not rows:
            return result
        ids = list(rows)
        tzs = {invoice_id: _tz(row["tz"]) for invoice_id, row in rows.items()}
        self.env.cr.execute("""
            SELECT invoice_id, date, state, answer_date, dunning_closed_date,
                   write_date
              FROM property_bill_question
             WHERE invoice_id = ANY(%s)""", (ids,))
        for invoice_id, asked, state, answered, closed, written in \
                self.env.cr.fetchall():
            end = None
            if state != "open":
                end = answered or closed or written
            self._add_dispute(result[invoice_id], asked, end, tzs[invoice_id])
        self.env.cr.execute("""
            SELECT rel.invoice_id, c.date_reported, c.is_closed, c.date_closed,
                   c.write_date
              FROM property_complaint_invoice_rel rel
              JOIN property_complaint c ON c.id = rel.complaint_id
             WHERE rel.invoice_id = ANY(%s)""", (ids,))
        for invoice_id, reported, is_closed, closed, written in \
                self.env.cr.fetchall():
            end = (closed or written) if is_closed else None
            self._add_dispute(result[invoice_id], reported, end,
                              tzs[invoice_id])
        return result

    @api.model
    def _add_dispute(self, periods, start, end, tz):
        start = _local_date(start, tz)
        if start is None:
            return
        end = _local_date(end, tz)
        if end is not None and end < start:
            end = start
        periods.append(fee_rules.Period(start, end))

    @api.model
    def _bill_plans(self, invoice_ids):
        """{invoice id: [Period]} of the instalment plans in good standing,
        when the plans are installed."""
        if not invoice_ids or "property.instalment.plan" not in self.env:
            return {}
        plans = self.env["property.instalment.plan"].sudo()._plan_periods(
            list(invoice_ids)) or {}
        return {invoice_id: [fee_rules.Period(_as_date(start), _as_date(end))
                             for start, end in periods]
                for invoice_id, periods in plans.items()}

    @api.model
    def _fee_bills(self, invoice_ids):
        """(rows, {invoice id: FeeBill}) of the bills of ``invoice_ids``
        whose late fee accrues."""
        rows = self._bill_rows(invoice_ids)
        payments = self._bill_payments(rows)
        disputes = self._bill_disputes(rows)
        plans = self._bill_plans(rows)
        bills = {}
        for invoice_id, row in rows.items():
            bills[invoice_id] = fee_rules.FeeBill(
                invoice_id, Decimal(repr(row["amount_total"] or 0.0)),
                _as_date(row["date_due"]),
                payments=tuple(payments.get(invoice_id, ())),
                disputes=tuple(disputes.get(invoice_id, ())),
                plans=tuple(plans.get(invoice_id, ())))
        return rows, bills

    # -- accruing -------------------------------------------------------------

    @api.model
    def _local_today(self, tz_name, now=None):
        return to_local(now or datetime.utcnow(), _tz(tz_name)).date()

    @api.model
    def _rules(self, estate_ids, policy=None):
        """{estate id: LateFeeRule or None}: the rule of each estate's policy
        (``policy`` for all of them when given)."""
        result = {}
        Policy = self.env["property.dunning.policy"].sudo()
        for estate in self.env["property.estate"].sudo().browse(
                list(estate_ids)):
            chosen = policy or Policy._policy_for(estate)
            try:
                result[estate.id] = chosen._late_fee_rule() if chosen else None
            except RuleError:
                result[estate.id] = None
        return result

    @api.model
    def _accruals(self, invoice_ids, today=None, policy=None):
        """{invoice id: (row, Accrual)} of the bills of ``invoice_ids`` whose
        late fee accrues, as of ``today`` (a date; default each estate's
        local day) under ``policy`` (default each estate's)."""
        rows, bills = self._fee_bills(invoice_ids)
        rules_ = self._rules({row["estate_id"] for row in rows.values()},
                             policy)
        result = {}
        for invoice_id, bill in bills.items():
            row = rows[invoice_id]
            rule = rules_.get(row["estate_id"])
            precision = Decimal(repr(row["rounding"] or 0.01)) or CENT
            zero = fee_rules.Accrual(invoice_id, Decimal(0).quantize(precision),
                                     0, [], False)
            if rule is None or not rule.daily_rate:
                result[invoice_id] = (row, zero)
                continue
            as_of = today or self._local_today(row["tz"])
            try:
                accrual = fee_rules.accrue(rule, bill, as_of, precision)
            except RuleError:
                accrual = zero
            result[invoice_id] = (row, accrual)
        return result

    @api.model
    def _payer_bill_ids(self, pairs):
        """{(partner id, estate id): [invoice ids]} of the bills whose late
        fee accrues, oldest due first."""
        result = defaultdict(list)
        if not pairs:
            return result
        partners = list({p for p, e in pairs})
        estates = list({e for p, e in pairs})
        self.env.cr.execute("""
            SELECT id, partner_id, property_estate_id FROM account_invoice
             WHERE partner_id = ANY(%s) AND property_estate_id = ANY(%s)
               AND type = 'out_invoice' AND state IN %s
               AND property_late_fee_id IS NULL
             ORDER BY date_due, id""", (partners, estates, FEE_BILL_STATES))
        for invoice_id, partner, estate in self.env.cr.fetchall():
            if (partner, estate) in pairs:
                result[(partner, estate)].append(invoice_id)
        return result

    @api.model
    def _acted_amounts(self, invoice_ids, states=("done",), exclude_ids=()):
        """{invoice id: {kind: amount}} levied and waived on each bill by the
        late fee records in ``states`` (other than ``exclude_ids``)."""
        result = defaultdict(lambda: defaultdict(Decimal))
        if not invoice_ids:
            return result
        self.env.cr.execute("""
            SELECT line.invoice_id, fee.kind, SUM(line.amount)
              FROM property_late_fee_line line
              JOIN property_late_fee fee ON fee.id = line.fee_id
             WHERE line.invoice_id = ANY(%s) AND fee.state IN %s
               AND fee.id != ALL(%s)
             GROUP BY line.invoice_id, fee.kind""",
                            (list(invoice_ids), tuple(states),
                             list(exclude_ids) or [0]))
        for invoice_id, kind, amount in self.env.cr.fetchall():
            result[invoice_id][kind] = Decimal(repr(amount or 0.0))
        return result


# the late fee's own fields on the bill, kept with the late fee service
# rather than in account_invoice.py (the run's file)
class AccountInvoice(models.Model):
    _inherit = "account.invoice"  # pylint: disable=R8180

    property_late_fee_id = fields.Many2one(
        "property.late.fee", string="Levied Late Fee", readonly=True,
        copy=False, index=True, ondelete="restrict",
        help="The late fee (违约金) this invoice bills. Its own late fee "
             "never accrues.")
    property_late_fee_accrued = fields.Monetary(
        string="Late Fee Accrued", compute="_compute_property_late_fee_accrued",
        help="The late fee (违约金) this bill has accrued so far under the "
             "estate's dunning policy: a figure, billed only once levied.")

    @api.multi
    def _compute_property_late_fee_accrued(self):
        ids = [invoice.id for invoice in self if isinstance(invoice.id, int)]
        accruals = self.env["property.late.fee.service"]._accruals(ids)
        for invoice in self:
            found = accruals.get(invoice.id)
            invoice.property_late_fee_accrued = float(found[1].fee) \
                if found else 0.0


class PropertyBillQuestion(models.Model):
    _inherit = "property.bill.question"

    dunning_closed_date = fields.Datetime(
        string="Closed On", readonly=True, copy=False,
        help="When the question was closed: the end of the bill's dispute "
             "for its late fee, when it was closed without an answer.")

    @api.multi
    def write(self, vals):
        if vals.get("state") == "closed" and "dunning_closed_date" not in vals:
            vals = dict(vals, dunning_closed_date=fields.Datetime.now())
        elif vals.get("state") == "open":
            vals = dict(vals, dunning_closed_date=False)
        return super().write(vals)


class PropertyDunningPayer(models.Model):
    _inherit = "property.dunning.payer"

    late_fee_accrued = fields.Monetary(
        compute="_compute_late_fee",
        help="What the payer's bills in the estate accrued as late fee "
             "(违约金) so far.")
    late_fee_levied = fields.Monetary(
        compute="_compute_late_fee")
    late_fee_waived = fields.Monetary(
        compute="_compute_late_fee")
    late_fee_open = fields.Monetary(
        compute="_compute_late_fee",
        help="Accrued, less what was levied and waived: what a new levy or "
             "waiver may act on.")
    late_fee_ids = fields.One2many(
        "property.late.fee", "payer_id", readonly=True)

    @api.multi
    def _compute_late_fee(self):
        service = self.env["property.late.fee.service"]
        payers = [payer for payer in self if isinstance(payer.id, int)]
        pairs = {(payer.partner_id.id, payer.estate_id.id) for payer in payers}
        bill_ids = service._payer_bill_ids(pairs)
        all_ids = [i for ids in bill_ids.values() for i in ids]
        accruals = service._accruals(all_ids)
        acted = service._acted_amounts(all_ids)
        for payer in self:
            ids = bill_ids.get((payer.partner_id.id, payer.estate_id.id), [])
            accrued = sum((accruals[i][1].fee for i in ids if i in accruals),
                          Decimal(0))
            levied = sum((acted[i][fee_rules.LEVY] for i in ids if i in acted),
                         Decimal(0))
            waived = sum((acted[i][fee_rules.WAIVE] for i in ids
                          if i in acted), Decimal(0))
            precision = Decimal(repr(payer.currency_id.rounding or 0.01))
            balance = fee_rules.balance(accrued, levied, waived, precision)
            payer.late_fee_accrued = float(balance.accrued)
            payer.late_fee_levied = float(balance.levied)
            payer.late_fee_waived = float(balance.waived)
            payer.late_fee_open = float(balance.open)


class PropertyDunningRun(models.Model):
    _inherit = "property.dunning.run"

    @api.model
    def _bill_fees(self, policy, bills, today):
        """{invoice id: late fee (float)} accrued by ``today`` on ``bills``
        (the run's bill rows) under ``policy``, read by the late fee service
        in a few queries for all of them."""
        accruals = self.env["property.late.fee.service"]._accruals(
            [bill["id"] for bill in bills], today=today, policy=policy)
        return {bill["id"]: float(accruals[bill["id"]][1].fee)
                if bill["id"] in accruals else 0.0 for bill in bills}

    @api.model
    def _write_steps(self, run, policy, steps, *args, **kwargs):
        """The steps with the late fees of all their bills read at once (on
        the run's day) for ``_bill_fee``."""
        bills = [bill for _payer, _step, payer_bills in steps
                 for bill in payer_bills]
        today = fields.Date.from_string(run.date)
        fees = self._bill_fees(policy, bills, today) if bills else {}
        return super(PropertyDunningRun, self.with_context(
            property_late_fees=_RunFees(fees)))._write_steps(
                run, policy, steps, *args, **kwargs)

    @api.model
    def _bill_fee(self, rule, bill, today):
        fees = self.env.context.get("property_late_fees")
        if isinstance(fees, _RunFees) and bill["id"] in fees:
            return fees[bill["id"]]
        return super()._bill_fee(rule, bill, today)
