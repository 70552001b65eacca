# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The period reconciliation (对账) of a company's payments.

For a period (and optionally one estate) it adds up, per channel, the
non-void receipts, the ``account.payment`` records of those receipts, the
bank statement lines matched to them, the amounts their payments reconciled
with the receipts' bills, and the liquidity journal items of the channel
journals; ``rules.reconciliation`` compares them and lists every difference.
The header says whether the books tie out.

The figures are read with SQL (one query per kind of fact) after the
caller's rights are checked: accountants and billing managers only. Nothing
is written but the wizard's own transient lines.
"""
from collections import namedtuple
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..rules import reconciliation as rules
from ..rules.channels import CHANNEL_CODES

RIGHT_GROUPS = ("account.group_account_user",
                "property_billing.group_billing_manager")
POSTED_PAYMENT = ("posted", "sent", "reconciled")

_Row = namedtuple("_Row", "key name amount state journal")


def _dec(value):
    if value is None:
        return Decimal(0)
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


class PropertyPaymentReconciliation(models.TransientModel):
    _name = "property.payment.reconciliation"
    _description = "Payment Reconciliation"

    date_from = fields.Date(
        string="From", required=True,
        default=lambda self: fields.Date.to_string(
            fields.Date.from_string(fields.Date.context_today(self)).replace(
                day=1)))
    date_to = fields.Date(
        string="To", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True,
        default=lambda self: self.env.user.company_id)
    estate_id = fields.Many2one(
        "property.estate",
        help="Only the receipts of this estate and what belongs to them. "
             "Payments, statement lines and journal items without a receipt "
             "belong to no estate: they are listed only for the whole "
             "company.")
    currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True)
    computed = fields.Boolean(readonly=True)
    tied = fields.Boolean(
        string="Books Tie Out", readonly=True,
        help="Receipts, payments, reconciled amounts and journal items agree "
             "for every channel, and there is no difference to explain.")
    receipt_count = fields.Integer(string="Receipts", readonly=True)
    receipt_amount = fields.Monetary(string="Receipts Total", readonly=True)
    allocated_amount = fields.Monetary(string="Paid on Bills", readonly=True)
    advance_amount = fields.Monetary(string="Advance Credit", readonly=True)
    payment_amount = fields.Monetary(string="Payments Total", readonly=True)
    statement_amount = fields.Monetary(
        string="Statement Lines Total", readonly=True)
    reconciled_amount = fields.Monetary(
        string="Reconciled with Bills", readonly=True)
    journal_amount = fields.Monetary(string="Journal Items Total", readonly=True)
    issue_count = fields.Integer(string="Differences", readonly=True)
    line_ids = fields.One2many(
        "property.payment.reconciliation.line", "reconciliation_id",
        string="Channels", readonly=True)
    issue_ids = fields.One2many(
        "property.payment.reconciliation.issue", "reconciliation_id",
        string="Differences", readonly=True)

    # -- action ------------------------------------------------------------------

    @api.multi
    def action_compute(self):
        """Compute the totals and differences of the period."""
        self.ensure_one()
        self._check_rights()
        if self.date_from > self.date_to:
            raise UserError(_(
                "The period starts after it ends (%(start)s to %(end)s).")
                % {"start": self.date_from, "end": self.date_to})
        if self.estate_id and self.estate_id.company_id != self.company_id:
            raise UserError(_("Estate %s belongs to another company.")
                            % self.estate_id.name)
        report = self._report()
        self._write_report(report)
        return {
            "type": "ir.actions.act_window",
            "name": _("Payment Reconciliation"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.multi
    def _check_rights(self):
        user = self.env.user
        if not any(user.has_group(group) for group in RIGHT_GROUPS):
            raise AccessError(_(
                "Only accountants and billing managers reconcile the "
                "payments."))
        if self.company_id not in user.company_ids:
            raise AccessError(_("You have no access to company %s.")
                              % self.company_id.name)
        for model in ("property.receipt", "account.payment",
                      "account.move.line", "account.bank.statement.line"):
            self.env[model].check_access_rights("read")

    # -- facts -------------------------------------------------------------------

    @api.multi
    def _report(self):
        """Gather the facts of the period with SQL and reconcile them."""
        self.ensure_one()
        cr = self.env.cr
        period = (self.date_from, self.date_to)
        whole_company = not self.estate_id
        journal_channel = self._journal_channels()
        # receipts of the period
        query = """
            SELECT id, name, channel_code, amount, allocated_amount, state,
                   payment_id, statement_line_id, reversal_move_id
              FROM property_receipt
             WHERE company_id = %s AND date BETWEEN %s AND %s"""
        params = [self.company_id.id] + list(period)
        if self.estate_id:
            query += " AND estate_id = %s"
            params.append(self.estate_id.id)
        cr.execute(query + " ORDER BY id", params)
        receipt_rows = cr.fetchall()
        payment_channel = {row[6]: row[2] for row in receipt_rows if row[6]}
        reversal_payment = {row[8]: row[6] for row in receipt_rows
                            if row[8] and row[6]}
        payment_rows = self._payment_rows(list(payment_channel))
        for row in payment_rows:
            journal_channel.setdefault(row.journal, payment_channel[row.key])
        journals = list(journal_channel)
        if whole_company and journals:
            cr.execute("""
                SELECT p.id, p.name, p.amount, p.state, p.journal_id
                  FROM account_payment p
                 WHERE p.journal_id = ANY(%s) AND p.state != 'draft'
                   AND p.payment_date BETWEEN %s AND %s
                   AND NOT EXISTS (SELECT 1 FROM property_receipt r
                                    WHERE r.payment_id = p.id)
                 ORDER BY p.id""", [journals] + list(period))
            others = [_Row(*row) for row in cr.fetchall()]
        else:
            others = []
        payment_ids = [row.key for row in payment_rows + others]
        journal = self._payment_liquidity(payment_ids, reversal_payment, period)
        reconciled = self._reconciled(list(payment_channel))
        payments = [
            rules.Payment(
                row.key,
                payment_channel.get(row.key) or journal_channel.get(row.journal),
                _dec(row.amount),
                row.state in POSTED_PAYMENT, row.state == "cancelled",
                reconciled.get(row.key, Decimal(0)),
                journal.get(row.key, Decimal(0)), row.name or "")
            for row in payment_rows + others]
        receipts = [
            rules.Receipt(row[0], row[2], _dec(row[3]), _dec(row[4]),
                          row[5] == "void", row[6], row[7], row[1] or "")
            for row in receipt_rows]
        statement_channel = {row[7]: row[2] for row in receipt_rows if row[7]}
        statement_lines = self._statement_lines(
            statement_channel, journal_channel, period, whole_company)
        entries = self._other_entries(
            journal_channel, payment_ids, list(reversal_payment), period) \
            if whole_company and journals else []
        precision = _dec(self.company_id.currency_id.rounding)
        return rules.reconcile(receipts, payments, statement_lines, entries,
                               precision=precision)

    @api.multi
    def _journal_channels(self):
        """{journal id: channel code} of the company's channels."""
        channels = self.env["property.payment.channel"].sudo().with_context(
            active_test=False).search([("company_id", "=", self.company_id.id)],
                                      order="sequence, id")
        result = {}
        for channel in channels:
            result.setdefault(channel.journal_id.id, channel.code)
        return result

    @api.model
    def _payment_rows(self, ids):
        if not ids:
            return []
        self.env.cr.execute("""
            SELECT id, name, amount, state, journal_id
              FROM account_payment WHERE id = ANY(%s) ORDER BY id""", [ids])
        return [_Row(*row) for row in self.env.cr.fetchall()]

    @api.model
    def _payment_liquidity(self, payment_ids, reversal_payment, period):
        """{payment id: balance of its liquidity journal items in the
        period}, the reversal entries of void receipts included."""
        result = {}
        if not payment_ids and not reversal_payment:
            return result
        rows = self._liquidity_balances(
            "aml.payment_id, aml.move_id",
            "(aml.payment_id = ANY(%(payments)s) OR aml.move_id = ANY(%(moves)s))",
            period, payments=payment_ids, moves=list(reversal_payment))
        for payment_id, move_id, balance in rows:
            key = reversal_payment.get(move_id) or payment_id
            result[key] = result.get(key, Decimal(0)) + _dec(balance)
        return result

    @api.model
    def _liquidity_balances(self, keys, condition, period, **params):
        """Run the query of the balances (debit - credit) of the liquidity
        journal items (on their journal's default accounts) of posted entries
        dated in ``period``, grouped and ordered by ``keys`` (columns of
        ``aml`` and ``move``), of the items where ``condition``, whose
        ``%(name)s`` placeholders ``params`` fill: one query shape for the
        payments' items and for the items no payment explains. ``keys`` and
        ``condition`` are the callers' own SQL, never a user's value.
        Returns the rows: ``keys``, then the balance."""
        params.update(date_from=period[0], date_to=period[1])
        self.env.cr.execute("""
            SELECT %(keys)s, SUM(aml.debit - aml.credit)
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
              JOIN account_journal journal ON journal.id = aml.journal_id
             WHERE %(condition)s
               AND move.state = 'posted'
               AND aml.date BETWEEN %%(date_from)s AND %%(date_to)s
               AND aml.account_id IN (journal.default_debit_account_id,
                                      journal.default_credit_account_id)
             GROUP BY %(keys)s
             ORDER BY %(keys)s""" % {"keys": keys, "condition": condition},
                            params)
        return self.env.cr.fetchall()

    @api.multi
    def _reconciled(self, payment_ids):
        """{payment id: what its receivable lines were reconciled with the
        bills of its receipt, by the end of the period}."""
        if not payment_ids:
            return {}
        self.env.cr.execute("""
            SELECT pay.payment_id, SUM(part.amount)
              FROM account_partial_reconcile part
              JOIN account_move_line pay ON pay.id = part.credit_move_id
              JOIN account_move_line bill ON bill.id = part.debit_move_id
             WHERE pay.payment_id = ANY(%s)
               AND bill.invoice_id IS NOT NULL
               AND part.max_date <= %s
               AND EXISTS (
                   SELECT 1 FROM property_receipt_line rl
                     JOIN property_receipt r ON r.id = rl.receipt_id
                    WHERE r.payment_id = pay.payment_id
                      AND rl.invoice_id = bill.invoice_id)
             GROUP BY pay.payment_id""", [payment_ids, self.date_to])
        return {key: _dec(amount) for key, amount in self.env.cr.fetchall()}

    @api.model
    def _statement_lines(self, statement_channel, journal_channel, period,
                         whole_company):
        """The statement lines of the receipts, and (whole company) every
        statement line of a channel journal in the period."""
        cr = self.env.cr
        query = """
            SELECT line.id, line.name, line.amount, line.journal_id,
                   EXISTS (SELECT 1 FROM account_move_line aml
                            WHERE aml.statement_line_id = line.id)
              FROM account_bank_statement_line line
             WHERE line.id = ANY(%s)"""
        params = [list(statement_channel)]
        if whole_company and journal_channel:
            query += """ OR (line.journal_id = ANY(%s)
                             AND line.date BETWEEN %s AND %s)"""
            params += [list(journal_channel)] + list(period)
        cr.execute(query + " ORDER BY line.id", params)
        return [
            rules.StatementLine(
                key, statement_channel.get(key) or journal_channel.get(journal),
                _dec(amount), bool(reconciled), name or "")
            for key, name, amount, journal, reconciled in cr.fetchall()]

    @api.model
    def _other_entries(self, journal_channel, payment_ids, reversal_ids,
                       period):
        """The liquidity items of the channel journals in the period that no
        payment of the facts explains, one amount per journal entry."""
        rows = self._liquidity_balances(
            "aml.move_id, move.name, aml.journal_id",
            """aml.journal_id = ANY(%(journals)s)
               AND (aml.payment_id IS NULL OR NOT aml.payment_id = ANY(%(payments)s))
               AND NOT aml.move_id = ANY(%(moves)s)""",
            period, journals=list(journal_channel), payments=payment_ids,
            moves=reversal_ids)
        return [rules.JournalEntry(move, journal_channel[journal], _dec(amount),
                                   name or "")
                for move, name, journal, amount in rows]

    # -- results -----------------------------------------------------------------

    @api.multi
    def _write_report(self, report):
        self.ensure_one()
        totals = report.totals
        lines = [(5, 0, 0)] + [(0, 0, {
            "channel_code": t.channel,
            "receipt_count": t.receipt_count,
            "receipt_amount": float(t.receipt_amount),
            "allocated_amount": float(t.allocated),
            "advance_amount": float(t.advance),
            "payment_amount": float(t.payment_amount),
            "statement_amount": float(t.statement_amount),
            "reconciled_amount": float(t.reconciled_amount),
            "journal_amount": float(t.journal_amount),
        }) for t in totals]
        issues = [(5, 0, 0)] + [(0, 0, self._issue_vals(issue))
                                for issue in report.issues]

        def add(name):
            return float(sum((getattr(t, name) for t in totals), Decimal(0)))

        self.write({
            "computed": True,
            "tied": report.tied,
            "receipt_count": sum(t.receipt_count for t in totals),
            "receipt_amount": add("receipt_amount"),
            "allocated_amount": add("allocated"),
            "advance_amount": add("advance"),
            "payment_amount": add("payment_amount"),
            "statement_amount": add("statement_amount"),
            "reconciled_amount": add("reconciled_amount"),
            "journal_amount": add("journal_amount"),
            "issue_count": len(report.issues),
            "line_ids": lines,
            "issue_ids": issues,
        })

    @api.model
    def _issue_vals(self, issue):
        receipts = issue.receipt if isinstance(issue.receipt, tuple) else (
            (issue.receipt,) if issue.receipt else ())
        return {
            "code": issue.code,
            "channel_code": issue.channel,
            "amount": float(issue.amount or 0),
            "expected": float(issue.expected or 0),
            "receipt_ids": [(6, 0, list(receipts))],
            "payment_id": issue.payment or False,
            "statement_line_id": issue.statement_line or False,
            "move_id": issue.move or False,
        }


ISSUE_CODES = [
    (rules.RECEIPT_WITHOUT_PAYMENT, "Receipt without a posted payment"),
    (rules.PAYMENT_AMOUNT, "Payment amount differs from the receipt"),
    (rules.RECONCILED_AMOUNT, "Reconciled amount differs from the bills paid"),
    (rules.JOURNAL_AMOUNT, "Journal items differ from the receipt"),
    (rules.STATEMENT_AMOUNT, "Statement line amount differs from the receipt"),
    (rules.STATEMENT_TWICE, "Statement line matched to several receipts"),
    (rules.VOID_NOT_REVERSED, "Void receipt whose payment was not reversed"),
    (rules.VOID_IN_JOURNAL, "Void receipt still in the period's journal items"),
    (rules.PAYMENT_WITHOUT_RECEIPT, "Payment on a channel journal without "
                                    "receipt"),
    (rules.STATEMENT_UNMATCHED, "Unmatched statement line"),
    (rules.JOURNAL_WITHOUT_RECEIPT, "Journal item without receipt"),
]


class PropertyPaymentReconciliationLine(models.TransientModel):
    _name = "property.payment.reconciliation.line"
    _description = "Payment Reconciliation per Channel"
    _order = "id"

    reconciliation_id = fields.Many2one(
        "property.payment.reconciliation", required=True, ondelete="cascade")
    currency_id = fields.Many2one(
        related="reconciliation_id.currency_id", readonly=True)
    channel_code = fields.Selection(CHANNEL_CODES, string="Channel")
    receipt_count = fields.Integer(string="Receipts")
    receipt_amount = fields.Monetary(string="Receipts Total")
    allocated_amount = fields.Monetary(string="Paid on Bills")
    advance_amount = fields.Monetary(string="Advance Credit")
    payment_amount = fields.Monetary(string="Payments")
    statement_amount = fields.Monetary(string="Statement Lines")
    reconciled_amount = fields.Monetary(string="Reconciled with Bills")
    journal_amount = fields.Monetary(string="Journal Items")


class PropertyPaymentReconciliationIssue(models.TransientModel):
    _name = "property.payment.reconciliation.issue"
    _description = "Payment Reconciliation Difference"
    _order = "id"

    reconciliation_id = fields.Many2one(
        "property.payment.reconciliation", required=True, ondelete="cascade")
    currency_id = fields.Many2one(
        related="reconciliation_id.currency_id", readonly=True)
    code = fields.Selection(ISSUE_CODES, string="Difference", required=True)
    channel_code = fields.Selection(CHANNEL_CODES, string="Channel")
    amount = fields.Monetary(help="The amount found.")
    expected = fields.Monetary(help="The amount the receipts call for.")
    receipt_ids = fields.Many2many("property.receipt", string="Receipts")
    payment_id = fields.Many2one("account.payment")
    statement_line_id = fields.Many2one("account.bank.statement.line")
    move_id = fields.Many2one("account.move", string="Journal Entry")
