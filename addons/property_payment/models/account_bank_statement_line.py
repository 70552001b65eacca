# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bank transfers (转账) on imported statement lines: which payer and bills
each incoming line pays (``rules.statement_matching``), paid through the
allocation service, and why the others wait for a person."""
import datetime
import json
import logging
from collections import OrderedDict
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..rules import channels
from ..rules import statement_matching as matching

_logger = logging.getLogger(__name__)

MATCH_STATES = [
    ("unmatched", "To Match"),
    ("ambiguous", "Ambiguous"),
    ("matched", "Matched"),
    ("ignored", "Not a Payment"),
]
MATCH_FIELDS = ("property_match_state", "property_match_code",
                "property_match_data", "property_receipt_id")
MATCHER_GROUPS = ("property_billing.group_billing_user",
                  "account.group_account_user")
# settled bills the memo of a transfer may still name (paid twice)
SETTLED_BILL_DAYS = 400


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    property_serial = fields.Char(
        string="Bank Serial Number", readonly=True, copy=False, index=True,
        help="The bank's own serial number of the transaction (流水号).")
    property_counterparty_account = fields.Char(
        string="Counterparty Account", readonly=True, copy=False,
        help="The payer's bank account as the bank printed it.")
    property_match_state = fields.Selection(
        MATCH_STATES, string="Transfer Matching", readonly=True, copy=False,
        index=True,
        help="Matched: paid to the payer's bills with a receipt. To match / "
             "ambiguous: waits in Transfers to Match. Not a payment: money "
             "out of the account.")
    property_match_code = fields.Char(readonly=True, copy=False)
    property_match_data = fields.Text(readonly=True, copy=False)
    property_match_reason = fields.Text(
        string="Matching Reason", compute="_compute_property_match_reason",
        help="How the line was matched, or why it was not.")
    property_receipt_id = fields.Many2one(
        "property.receipt", string="Receipt", readonly=True, copy=False,
        index=True, ondelete="restrict")
    property_receipt_state = fields.Selection(
        related="property_receipt_id.state", string="Receipt Status",
        readonly=True)

    @api.depends("property_match_code", "property_match_data")
    def _compute_property_match_reason(self):
        for line in self:
            line.property_match_reason = line._property_reason_text()

    @api.multi
    def write(self, vals):
        if set(vals) & set(MATCH_FIELDS):
            raise UserError(_(
                "The matching of a bank transfer changes only through "
                "matching it (Transfers to Match)."))
        return super().write(vals)

    # -- reasons ---------------------------------------------------------------

    def _property_reason_text(self):
        code = self.property_match_code
        if not code:
            return False
        try:
            data = json.loads(self.property_match_data or "{}")
        except ValueError:
            data = {}
        if code == "error":
            return data.get("message") or ""
        texts = {
            matching.BILL_REFERENCE: _(
                "Matched by the bill number in the memo."),
            matching.BILL_REFERENCE_SETTLED: _(
                "The memo names bills already paid (%(numbers)s): paid to the "
                "payer's other open bills, oldest first, or kept as advance "
                "credit."),
            matching.UNIT_CODE: _("Matched by the unit code %(codes)s in the "
                                  "memo."),
            matching.BANK_ACCOUNT: _(
                "Matched by the payer's registered bank account "
                "%(account)s."),
            matching.NAME_AMOUNT: _(
                "Matched by the payer's name %(name)s and the amount "
                "%(amount)s."),
            "manual": _("Matched by hand by %(user)s."),
            "receipt_voided": _(
                "Its receipt was voided: match the transfer again."),
            matching.NOT_INCOMING: _(
                "Money out of the account: not a payment."),
            matching.BILLS_OF_SEVERAL_PAYERS: _(
                "The memo names bills of several payers (%(numbers)s): "
                "choose the payer by hand."),
            matching.UNIT_IN_SEVERAL_ESTATES: _(
                "Unit code %(codes)s exists in several estates and the memo "
                "names no estate: choose the payer by hand."),
            matching.UNITS_OF_SEVERAL_PAYERS: _(
                "The units in the memo (%(codes)s) have open bills of "
                "several payers: choose the payer by hand."),
            matching.UNIT_WITHOUT_PAYER: _(
                "Unit %(codes)s has no open bill and no payer."),
            matching.UNIT_SEVERAL_PAYERS: _(
                "Unit %(codes)s has several payers and no open bill: choose "
                "the payer by hand."),
            matching.ACCOUNT_OF_SEVERAL_PAYERS: _(
                "Bank account %(account)s is registered for several payers: "
                "choose the payer by hand."),
            matching.NAME_AMOUNT_SEVERAL_PAYERS: _(
                "Several payers named %(name)s have open bills of "
                "%(amount)s: choose the payer by hand."),
            matching.NAME_AMOUNT_MISMATCH: _(
                "%(name)s has no open bill and no open total of %(amount)s, "
                "and the memo names no bill or unit."),
            matching.NO_CLUE: _(
                "Neither the memo (bill number, unit code), the counterparty "
                "account nor the name and amount identify a payer."),
        }
        text = texts.get(code, code)
        try:
            return text % data
        except (KeyError, TypeError, ValueError):
            return text

    # -- matching ----------------------------------------------------------------

    @api.model
    def _property_waiting_domain(self):
        """Lines that wait for a person: not matched, ambiguous, or matched
        by a receipt that was voided since (its money is unpaid again)."""
        return ["&", ("journal_entry_ids", "=", False), "|",
                ("property_match_state", "in", ("unmatched", "ambiguous")),
                "&", ("property_match_state", "=", "matched"),
                ("property_receipt_id.state", "=", "void")]

    @api.model
    def _property_check_matcher(self):
        """Cashiers (billing users) and accountants match transfers."""
        user = self.env.user
        if not any(user.has_group(group) for group in MATCHER_GROUPS):
            raise AccessError(_(
                "Only cashiers and accountants match bank transfers."))

    @api.model
    def _property_match_index(self, company, since=None):
        """The matching index of ``company``: its open bills (and bills
        settled since ``since`` minus a margin, which a memo may name
        again), units with their payers and estates, registered bank
        accounts and the payers' names. Built once per import; the caller
        checked the user's rights (everything is read as the user)."""
        Invoice = self.env["account.invoice"]
        domain = [("type", "=", "out_invoice"),
                  ("company_id", "=", company.id)]
        since = fields.Date.from_string(since) if since else \
            datetime.date.today()
        settled_from = fields.Date.to_string(
            since - datetime.timedelta(days=SETTLED_BILL_DAYS))
        rows = _rows(Invoice, domain + [
            "|", ("state", "=", "open"), "&", ("state", "=", "paid"),
            ("date_invoice", ">=", settled_from)],
            ["number", "commercial_partner_id", "property_unit_id",
             "residual", "date_due", "date_invoice", "state"])
        bills = [matching.OpenBill(
            row["id"], row["number"] or "", row["commercial_partner_id"],
            row["property_unit_id"] or None,
            _decimal(row["residual"] if row["state"] == "open" else 0.0),
            fields.Date.from_string(row["date_due"]),
            fields.Date.from_string(row["date_invoice"]))
            for row in rows if row["commercial_partner_id"]]
        Unit = self.env["property.unit"]
        units = Unit.search([("company_id", "=", company.id)])
        payers = units._payers_by_unit(fields.Date.to_string(since)) \
            if units else {}
        partner_ids = {partner for found in payers.values()
                       for partner, _share in found}
        Partner = self.env["res.partner"].with_context(active_test=False)
        commercial = {row["id"]: row["commercial_partner_id"] for row in _rows(
            Partner, [("id", "in", list(partner_ids))], ["commercial_partner_id"])}
        estates = {row["id"]: row["code"] for row in
                   self.env["property.estate"].search_read(
                       [("company_id", "=", company.id)], ["code"])}
        unit_refs = []
        for row in units.read(["code", "estate_id"], load="_classic_write"):
            found = payers.get(row["id"], ())
            unit_refs.append(matching.UnitRef(
                row["id"], row["code"], estates.get(row["estate_id"], ""),
                tuple(matching.unique(commercial.get(partner, partner)
                                      for partner, _share in found))))
        bank_rows = _rows(self.env["res.partner.bank"], [
            ("partner_id", "!=", False), "|", ("company_id", "=", False),
            ("company_id", "=", company.id)], ["acc_number", "partner_id"])
        bank_partners = {row["partner_id"] for row in bank_rows}
        commercial.update({
            row["id"]: row["commercial_partner_id"] for row in _rows(
                Partner, [("id", "in", list(bank_partners - set(commercial)))],
                ["commercial_partner_id"])})
        accounts = [(row["acc_number"],
                     commercial.get(row["partner_id"], row["partner_id"]))
                    for row in bank_rows]
        payer_ids = {bill.payer for bill in bills if bill.residual > 0}
        names = [(row["id"], row["name"]) for row in _rows(
            Partner, [("id", "in", list(payer_ids))], ["name"])]
        return matching.MatchIndex(bills, unit_refs, accounts, names)

    def _property_rule_line(self):
        self.ensure_one()
        return matching.Line(
            _decimal(self.amount), self.name or "", self.partner_name or "",
            self.property_counterparty_account or "")

    @api.multi
    def _property_auto_match(self):
        """Match the incoming lines of ``self`` and pay each one through the
        allocation service, each in a savepoint: a line that cannot be paid
        stays to match, with the service's message as its reason.

        Returns ``{state: count}``."""
        self._property_check_matcher()
        counts = {}
        lines = self.filtered(lambda line: not line.journal_entry_ids and (
            not line.property_receipt_id
            or line.property_receipt_id.state == "void"))
        for company in lines.mapped("company_id"):
            company_lines = lines.filtered(
                lambda line: line.company_id == company)
            index = self._property_match_index(
                company, since=min(company_lines.mapped("date")))
            # one by one, the matched lines paid in batches (_pay_many)
            ordered = company_lines.sorted(
                lambda line: (line.date, line.sequence, line.id))
            for state, count in ordered._property_match_batch(index).items():
                counts[state] = counts.get(state, 0) + count
        return counts

    def _property_match_one(self, index):
        """Match and pay one line against ``index``; returns its state."""
        self.ensure_one()
        found = matching.match(index, self._property_rule_line())
        if found.kind == matching.IGNORED:
            self._property_write_match("ignored", found.reason, found.params)
            return "ignored"
        if found.kind == matching.AMBIGUOUS:
            params = dict(found.params)
            params.pop("candidates", None)
            self._property_write_match("ambiguous", found.reason, params)
            return "ambiguous"
        if found.kind == matching.NONE:
            self._property_write_match("unmatched", found.reason,
                                       found.params)
            return "unmatched"
        payer = self.env["res.partner"].browse(found.payer)
        invoices = self.env["account.invoice"].browse(list(found.bills))
        params = dict(found.params)
        if "amount" in params:
            params["amount"] = str(params["amount"])
        try:
            with self.env.cr.savepoint():
                receipt = self._property_pay(payer, invoices)
        except (UserError, ValidationError) as error:
            # the savepoint is rolled back: forget what the cache holds
            self.env.clear()
            _logger.info("Statement line %s not paid: %s", self.id,
                         error.name)
            self._property_write_match("unmatched", "error",
                                       {"message": error.name})
            return "unmatched"
        self._property_write_match("matched", found.reason, params,
                                   receipt=receipt, partner=payer)
        for line in receipt.line_ids.filtered("invoice_id"):
            index.settle(line.invoice_id.id, _decimal(line.amount))
        return "matched"

    def _property_pay(self, payer, invoices=None):
        """Pay this line's amount from ``payer`` (to ``invoices`` in that
        order, else oldest first) through the allocation service."""
        self.ensure_one()
        service = self.env["property.payment.service"]
        return service._pay(
            payer, self.amount, channels.TRANSFER,
            invoices=invoices or None, date=self.date,
            serial=self.property_serial or self.ref or None,
            reference=self.ref or None, statement_line=self)

    def _property_write_match(self, state, code, params, receipt=None,
                              partner=None):
        # the guarded write() is skipped on purpose: this is its way in (a
        # context flag would be forgeable over RPC)
        # pylint: disable=super-method-mismatch
        return super(AccountBankStatementLine, self).write(
            self._property_match_vals(state, code, params, receipt, partner))

    def _property_match_vals(self, state, code, params, receipt=None,
                             partner=None):
        vals = {
            "property_match_state": state,
            "property_match_code": code,
            "property_match_data": json.dumps(params or {}, default=str,
                                              ensure_ascii=False),
        }
        if receipt is not None:
            vals["property_receipt_id"] = receipt.id
        if partner is not None and not self.partner_id:
            vals["partner_id"] = partner.id
        return vals

    @api.model
    def _property_write_matches(self, matches):
        """``_property_write_match`` of many lines ({line: (state, code,
        params, receipt, partner)}): one UPDATE per set of fields written
        (``property.bulk.insert``; the guarded ``write`` is skipped as in
        ``_property_write_match``)."""
        groups = OrderedDict()
        # the one field the values read, for all the lines at once
        self.browse([line.id for line in matches]).read(
            ["partner_id"], load="_classic_write")
        for line, args in matches.items():
            vals = line._property_match_vals(*args)
            groups.setdefault(tuple(sorted(vals)), OrderedDict())[line.id] = vals
        bulk = self.env["property.bulk.insert"]
        for values in groups.values():
            bulk._write_values(self.browse(list(values)), values)

    def _property_unmatch(self):
        """The line's receipt was voided: the transfer waits to be matched
        again."""
        self._property_write_match("unmatched", "receipt_voided", {},
                                   receipt=self.env["property.receipt"])


def _rows(model, domain, names):
    """``search_read`` without the display names of many2one fields (their
    ids only): the index needs no names of linked records."""
    return model.search(domain).read(names, load="_classic_write")


def _decimal(value):
    return Decimal(repr(value)) if isinstance(value, float) else \
        Decimal(value or 0)
