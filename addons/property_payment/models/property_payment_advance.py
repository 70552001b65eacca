# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Advance credit (预存) in the allocation service.

Money paid ahead is the payer's credit, in one of two places:

- on the receivable (the default): the part of a payment the bills did not
  take stays an unreconciled credit on the payer's receivable;
- on the advance-receipts account (预收账款) when the company configures one
  (``res.company.property_advance_account_id``): ``_keep_advance`` moves the
  credit there with a journal entry (debit receivable, reconciled with the
  payment; credit the advance account, with the payer as partner).

``_apply_advance`` spends the credit on the payer's open bills, oldest bill
first and oldest credit first (``rules.advance``): receivable credit by
reconciling it with the bills, advance-account credit with one journal entry
per bill and credit (debit advance account, credit receivable), reconciled on
both sides. Credit taken on an estate's receipt pays that estate's bills
(and bills of no estate) only, as the payment itself would have; credit of
no receipt (an open credit note, a manual entry) pays any bill of the
company. Each step is logged as a ``property.advance.entry`` (kept or
applied) for the accountant: no receipt, the money was receipted when paid.
Voiding a receipt (``_void_advance``) reverses the entries of its credit and
re-opens the bills the credit paid.
A billing run applies the credit to the bills it has just posted
(``property.billing.run._post_chunk``).
"""
import datetime
import logging
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..rules import advance as rules

_logger = logging.getLogger(__name__)


def _decimal(value):
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


class PropertyPaymentService(models.AbstractModel):
    _inherit = "property.payment.service"

    # -- keeping the credit ----------------------------------------------------

    @api.model
    def _keep_advance(self, receipt):
        """Record the advance credit of ``receipt``; with an advance-receipts
        account, move it from the receivable to that account. Returns the
        ``property.advance.entry`` written."""
        super()._keep_advance(receipt)
        company = receipt.company_id
        currency = company.currency_id
        amount = currency.round(receipt.advance_amount)
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
            return self.env["property.advance.entry"]
        payer = receipt.partner_id.commercial_partner_id
        # the payment may have been reconciled in SQL (bulk statement path)
        receipt.payment_id.invalidate_cache(["move_line_ids"])
        self.env["account.move.line"].invalidate_cache(
            ["amount_residual", "reconciled"])
        counterpart = self._counterpart(receipt.payment_id, payer)
        vals = {
            "kind": "kept", "date": receipt.date, "company_id": company.id,
            "partner_id": payer.id, "receipt_id": receipt.id,
            "amount": amount, "credit_line_id": counterpart[:1].id,
            "mode": "receivable",
        }
        account = company.property_advance_account_id
        if account:
            move = self._post_advance_move(
                company, receipt.date,
                _("Advance credit of receipt %s") % receipt.name, [
                    (counterpart.account_id, amount, 0.0),
                    (account, 0.0, amount)], payer)
            debit = move.line_ids.filtered(
                lambda aml: aml.account_id == counterpart.account_id)
            self._reconcile_exactly(counterpart | debit, amount, currency)
            vals.update({
                "mode": "account", "move_id": move.id,
                "credit_line_id": move.line_ids.filtered(
                    lambda aml: aml.account_id == account).id,
            })
        return self.env["property.advance.entry"].sudo()._create_service(vals)

    @api.model
    def _void_advance(self, receipt):
        """Undo the advance credit of ``receipt`` before its payment is
        reversed: bills it paid are open again (the credit was never
        received), the advance-account entries are reversed, and the log
        says so."""
        super()._void_advance(receipt)
        Entry = self.env["property.advance.entry"].sudo()
        kept = Entry.search([("receipt_id", "=", receipt.id),
                             ("kind", "=", "kept"), ("state", "=", "done")])
        if not kept:
            return False
        today = self._local_today(receipt.estate_id)
        applied = Entry.search([
            ("credit_line_id", "in", kept.mapped("credit_line_id").ids),
            ("kind", "=", "applied"), ("state", "=", "done")])
        for entry in applied | kept:
            reversal = entry.move_id.reverse_moves(date=today) \
                if entry.move_id else []
            entry._write_service({
                "state": "reversed",
                "reversal_move_id": reversal[0] if reversal else False})
        return True

    # -- applying the credit -----------------------------------------------------

    @api.model
    def _apply_advance(self, partners):
        """Apply the credit of ``partners`` (receivable credit, then credit on
        the advance-receipts account) to their open bills, oldest first.
        Returns the ``property.advance.entry`` records of the applications.

        Locks the payer's open bills (as ``_pay`` does) and the credit lines
        first: two runs at once apply each credit once, the second one after
        the first, or it fails on the concurrent update and is retried.
        """
        self._check_advance_rights()
        entries = self.env["property.advance.entry"].sudo()
        payers = partners.mapped("commercial_partner_id")
        for partner_id, company_id in self._payers_with_credit(payers):
            partner = self.env["res.partner"].browse(partner_id)
            company = self.env["res.company"].browse(company_id)
            entries |= self._apply_payer_advance(partner, company)
        return entries

    @api.model
    def _check_advance_rights(self):
        """Applying credit reconciles the payer's bills and posts entries:
        the rights of a cashier or an accountant, checked before any SQL."""
        self._check_cashier()
        self.env["account.invoice"].check_access_rights("write")
        self.env["account.move"].check_access_rights("create")

    @api.model
    def _payers_with_credit(self, payers):
        """(partner id, company id) of ``payers`` holding credit: an open
        credit on a receivable or on their company's advance account."""
        if not payers:
            return []
        self.env["account.move.line"].recompute()
        allowed = set(self.env.user.company_ids.ids)
        self.env.cr.execute("""
            SELECT DISTINCT aml.partner_id, aml.company_id
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
              JOIN account_account acc ON acc.id = aml.account_id
              JOIN res_company company ON company.id = aml.company_id
             WHERE aml.partner_id IN %s
               AND move.state = 'posted'
               AND aml.reconciled IS NOT TRUE
               AND aml.amount_residual < 0
               AND (acc.internal_type = 'receivable'
                    OR acc.id = company.property_advance_account_id)
             ORDER BY aml.partner_id, aml.company_id""", (tuple(payers.ids),))
        return [row for row in self.env.cr.fetchall() if row[1] in allowed]

    @api.model
    def _apply_payer_advance(self, partner, company):
        self._lock_bills(partner, company)
        currency = company.currency_id
        precision = _decimal(currency.rounding)
        account = company.property_advance_account_id
        entries = self.env["property.advance.entry"].sudo()
        receivable = self._credit_lines(partner, company, receivable=True)
        on_account = self._credit_lines(partner, company, account=account) \
            if account else self.env["account.move.line"]
        self._lock_lines(receivable | on_account)
        for account_lines in self._by_account(receivable):
            receivable_account = account_lines[:1].account_id
            for estate, lines in self._by_estate(account_lines):
                bills = self._open_bills(partner, company, estate).filtered(
                    lambda inv, acc=receivable_account: inv.account_id == acc)
                for application in self._applications(lines, bills,
                                                      precision):
                    entries |= self._apply_on_receivable(application, currency)
        for estate, lines in self._by_estate(on_account):
            bills = self._open_bills(partner, company, estate)
            for application in self._applications(lines, bills, precision):
                entries |= self._apply_from_account(application, currency)
        return entries

    @api.model
    def _by_estate(self, lines):
        """[(estate or None, lines)]: credit received on an estate's receipt
        pays that estate's bills (and bills of no estate), as the payment
        itself did; credit of no receipt (a credit note, a manual entry)
        pays any bill. Groups in the order of their oldest credit."""
        if not lines:
            return []
        estates = {}
        kept = self.env["property.advance.entry"].sudo().search([
            ("kind", "=", "kept"), ("credit_line_id", "in", lines.ids)])
        for entry in kept:
            estates[entry.credit_line_id.id] = entry.receipt_id.estate_id
        payments = lines.mapped("payment_id")
        if payments:
            receipts = self.env["property.receipt"].sudo().search(
                [("payment_id", "in", payments.ids)])
            by_payment = {r.payment_id.id: r.estate_id for r in receipts}
            for line in lines:
                if line.id not in estates and line.payment_id.id in by_payment:
                    estates[line.id] = by_payment[line.payment_id.id]
        groups = []
        for line in lines:
            estate = estates.get(line.id) or None
            estate = estate.sudo(self.env.uid) if estate else None
            for group in groups:
                if group[0] == estate:
                    group[1] |= line
                    break
            else:
                groups.append([estate, line])
        return [tuple(group) for group in groups]

    @api.model
    def _credit_lines(self, partner, company, receivable=False, account=None):
        domain = [("partner_id", "=", partner.id),
                  ("company_id", "=", company.id),
                  ("reconciled", "=", False), ("amount_residual", "<", 0),
                  ("move_id.state", "=", "posted")]
        if receivable:
            domain.append(("account_id.internal_type", "=", "receivable"))
        else:
            domain.append(("account_id", "=", account.id))
        return self.env["account.move.line"].search(domain, order="date, id")

    @api.model
    def _lock_lines(self, lines):
        if not lines:
            return
        self.env.cr.execute(
            "SELECT id FROM account_move_line WHERE id IN %s "
            "ORDER BY id FOR UPDATE", (tuple(lines.ids),))
        lines.invalidate_cache(["amount_residual", "reconciled"], lines.ids)

    @api.model
    def _by_account(self, lines):
        accounts = lines.mapped("account_id")
        return [lines.filtered(lambda aml, acc=acc: aml.account_id == acc)
                for acc in accounts]

    @api.model
    def _applications(self, credit_lines, bills, precision):
        """[(credit line, invoice, amount)] by ``rules.advance``."""
        bills.invalidate_cache(["residual"], bills.ids)
        held = [rules.Credit(line.id, -_decimal(line.amount_residual))
                for line in credit_lines]
        try:
            result = rules.apply_credit(
                held, [self._bill(invoice) for invoice in bills], precision)
        except rules.AdvanceRuleError as error:
            raise UserError(_(
                "The advance credit of %(payer)s does not cover what was to "
                "be applied (%(missing)s missing).") % {
                "payer": credit_lines[:1].partner_id.display_name,
                "missing": error.params.get("missing")})
        Line = self.env["account.move.line"]
        Invoice = self.env["account.invoice"]
        return [(Line.browse(item.credit), Invoice.browse(item.bill),
                 float(item.amount)) for item in result]

    @api.model
    def _bill_lines(self, invoice):
        self.env["account.move.line"].invalidate_cache(
            ["amount_residual", "reconciled"], invoice.move_id.line_ids.ids)
        return invoice.move_id.line_ids.filtered(
            lambda aml: aml.account_id == invoice.account_id
            and not aml.reconciled and aml.amount_residual > 0).sorted(
            lambda aml: (aml.date_maturity or aml.date, aml.id))

    @api.model
    def _apply_on_receivable(self, application, currency):
        credit, invoice, amount = application
        self._reconcile_exactly(credit | self._bill_lines(invoice), amount,
                                currency, credit)
        return self._log_application(credit, invoice, amount, "receivable")

    @api.model
    def _apply_from_account(self, application, currency):
        credit, invoice, amount = application
        partner = invoice.commercial_partner_id
        date = self._application_date(invoice.company_id, credit.date,
                                      invoice.date_invoice)
        move = self._post_advance_move(
            invoice.company_id, date,
            _("Advance credit applied to %s") % (invoice.number or invoice.id),
            [(credit.account_id, amount, 0.0),
             (invoice.account_id, 0.0, amount)], partner)
        debit = move.line_ids.filtered(
            lambda aml: aml.account_id == credit.account_id)
        to_bill = move.line_ids - debit
        self._reconcile_exactly(credit | debit, amount, currency, credit)
        self._reconcile_exactly(to_bill | self._bill_lines(invoice), amount,
                                currency, to_bill)
        return self._log_application(credit, invoice, amount, "account", move)

    @api.model
    def _reconcile_exactly(self, lines, amount, currency, measured=None):
        """Reconcile ``lines``; ``measured`` (default: the credit line) must
        lose exactly ``amount`` of its residual, or nothing is done."""
        measured = measured or lines.filtered(lambda aml: aml.credit)[:1]
        before = measured.amount_residual
        lines.reconcile()
        measured.invalidate_cache(["amount_residual"], measured.ids)
        taken = abs(before - measured.amount_residual)
        if float_compare(taken, amount,
                         precision_rounding=currency.rounding) != 0:
            raise UserError(_(
                "The advance credit could not be reconciled (%(expected)s "
                "expected, %(taken)s reconciled).") % {
                "expected": amount, "taken": taken})

    @api.model
    def _log_application(self, credit, invoice, amount, mode, move=None):
        receipt = self.env["property.advance.entry"].sudo().search([
            ("kind", "=", "kept"), ("credit_line_id", "=", credit.id)],
            limit=1).receipt_id
        if not receipt and credit.payment_id:
            receipt = self.env["property.receipt"].sudo().search(
                [("payment_id", "=", credit.payment_id.id)], limit=1)
        return self.env["property.advance.entry"].sudo()._create_service({
            "kind": "applied", "mode": mode,
            "date": move.date if move else fields.Date.context_today(self),
            "company_id": invoice.company_id.id,
            "partner_id": invoice.commercial_partner_id.id,
            "invoice_id": invoice.id, "amount": amount,
            "credit_line_id": credit.id, "receipt_id": receipt.id,
            "move_id": move.id if move else False,
        })

    # -- entries -------------------------------------------------------------------

    @api.model
    def _post_advance_move(self, company, date, ref, lines, partner):
        """Post a miscellaneous entry of ``lines`` [(account, debit,
        credit)] for ``partner``."""
        move = self.env["account.move"].create({
            "journal_id": self._advance_journal(company).id,
            "date": date, "ref": ref, "company_id": company.id,
            "line_ids": [(0, 0, {
                "name": ref, "account_id": account.id, "partner_id": partner.id,
                "debit": debit, "credit": credit,
            }) for account, debit, credit in lines],
        })
        move.post()
        return move

    @api.model
    def _advance_journal(self, company):
        journal = company.property_advance_journal_id or \
            self.env["account.journal"].search([
                ("type", "=", "general"), ("company_id", "=", company.id)],
                order="sequence, id", limit=1)
        if not journal:
            raise UserError(_(
                "Company %s has no miscellaneous journal for the advance "
                "credit entries: choose one in its settings.") % company.name)
        return journal

    @api.model
    def _application_date(self, company, *dates):
        """The date of an application entry: when both the credit and the
        bill exist, and not before the company's lock dates."""
        candidates = [day for day in dates if day]
        for lock in (company.period_lock_date, company.fiscalyear_lock_date):
            if lock:
                after = fields.Date.from_string(lock) + datetime.timedelta(1)
                candidates.append(fields.Date.to_string(after))
        return max(candidates) if candidates else fields.Date.context_today(self)

    # -- balances ----------------------------------------------------------------

    @api.model
    def _advance_balances(self, company, date=None, partner_ids=None):
        """{partner id: (receivable credit, advance-account credit)} at
        ``date`` (default: every posted entry) in ``company``, for the
        partners holding credit: the receivable credit is the partner's net
        credit on receivable accounts, the advance-account credit the net
        credit on the company's advance-receipts account. Private: callers
        check who may see it."""
        currency = company.currency_id
        precision = _decimal(currency.rounding)
        where = ["move.state = 'posted'", "aml.company_id = %(company)s",
                 "aml.partner_id IS NOT NULL"]
        params = {"company": company.id,
                  "account": company.property_advance_account_id.id or 0}
        if date:
            where.append("aml.date <= %(date)s")
            params["date"] = date
        if partner_ids is not None:
            if not partner_ids:
                return {}
            where.append("aml.partner_id IN %(partners)s")
            params["partners"] = tuple(partner_ids)
        self.env.cr.execute("""
            SELECT aml.partner_id,
                   SUM(CASE WHEN acc.internal_type = 'receivable'
                            THEN aml.debit - aml.credit ELSE 0 END),
                   SUM(CASE WHEN acc.id = %(account)s
                            THEN aml.debit - aml.credit ELSE 0 END)
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
              JOIN account_account acc ON acc.id = aml.account_id
             WHERE """ + " AND ".join(where) + """
               AND (acc.internal_type = 'receivable' OR acc.id = %(account)s)
             GROUP BY aml.partner_id""", params)
        result = {}
        for partner_id, receivable, on_account in self.env.cr.fetchall():
            balances = (
                float(rules.balance_at([_decimal(receivable or 0)], precision)),
                float(rules.balance_at([_decimal(on_account or 0)], precision)))
            if not all(float_is_zero(value, precision_rounding=currency.rounding)
                       for value in balances):
                result[partner_id] = balances
        return result
