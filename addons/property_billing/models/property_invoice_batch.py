# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Invoices created and posted in batches, with the records Odoo's own path
writes.

Odoo 11 creates records one at a time: every ``create`` is an INSERT, a
search per dependent computed field and an UPDATE per recomputed value, so a
three-line invoice costs some 200 queries to create and post. This service
keeps Odoo's logic and changes only how the rows are written:

- values come from Odoo: defaults (``_add_missing_default_values``), the
  partner and journal onchanges, tax lines (``get_taxes_values``), journal
  items (``invoice_line_move_line_get``, ``tax_line_move_line_get``,
  ``compute_invoice_totals``, the payment term, ``line_get_convert``,
  ``group_lines``, ``finalize_invoice_move_lines``), constraints;
- the stored computed fields of invoices, lines, entries and items are
  computed here the way Odoo 11's compute methods compute them in the
  configuration this service accepts (the company's currency, nothing
  reconciled yet); any other stored computed field (another add-on's) is
  left to the ORM's own compute methods, in dependency order;
- rows are written per batch by the suite's bulk-write engine
  (``property.bulk.insert``, inherited): one INSERT per table, one UPDATE per
  table and computed field group, the numbers of a batch reserved from the
  journal's sequence in one statement, last.

It is the equivalent of ``create`` and ``action_invoice_open`` with mail
tracking disabled (what a billing run does anyway), for a user who may do
both (checked first). Where a configuration would make Odoo do more than this
service knows (another add-on overriding a method whose effect it reproduces:
OVERRIDES_CHECKED and the compute methods of PRECOMPUTED; foreign currencies,
cash rounding, entry controls on the journal), :class:`BatchUnsupported` is
raised before anything is written and the caller uses the ORM.
``tests/test_billing_equivalence.py`` compares every column of every row both
paths write.
"""
import logging
from collections import OrderedDict, defaultdict

from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..rules.constants import TRACKING_OFF  # the ORM's equivalent: tracking off
from .property_bulk_insert import BatchUnsupported  # noqa: F401 (re-exported)

_logger = logging.getLogger(__name__)

# Add-ons whose overrides of the methods below this service reproduces (the
# ORM's base class reports itself as "odoo.models").
KNOWN_ADDONS = frozenset(
    ["odoo.models", "base", "mail", "account", "property_billing"])
# The methods whose effect this service reproduces instead of calling them
# (the hooks it calls, onchanges and tax and journal-item builders, honour
# any override by themselves).
CRUD = ("create", "_create", "write", "_write")
OVERRIDES_CHECKED = {
    "account.invoice": CRUD + ("action_invoice_open", "action_date_assign",
                               "action_move_create", "compute_taxes",
                               "get_taxes_values", "invoice_validate",
                               "message_subscribe"),
    "account.invoice.line": CRUD,
    "account.invoice.tax": CRUD,
    "account.move": CRUD + ("post", "_post_validate"),
    "account.move.line": CRUD,
    "ir.sequence": ("next_by_id", "_next", "_next_do"),
}
# The stored computed fields this service computes itself (the others are
# left to their compute methods): their compute methods are checked too.
PRECOMPUTED = {
    "account.invoice": (
        "amount_untaxed", "amount_tax", "amount_total", "amount_total_signed",
        "amount_total_company_signed", "amount_untaxed_signed", "residual",
        "residual_signed", "residual_company_signed", "reconciled",
        "payment_move_line_ids", "number", "commercial_partner_id",
        "activity_date_deadline", "property_estate_id", "property_building_id"),
    "account.invoice.line": (
        "price_subtotal", "price_total", "price_subtotal_signed", "company_id",
        "partner_id", "currency_id"),
    "account.move": (
        "company_id", "currency_id", "amount", "partner_id", "matched_percentage"),
    "account.move.line": (
        "balance", "debit_cash_basis", "credit_cash_basis", "balance_cash_basis",
        "company_currency_id", "amount_residual", "amount_residual_currency",
        "reconciled", "tax_base_amount", "ref", "journal_id", "date",
        "company_id", "user_type_id", "statement_id"),
}
# Constraints that hold by construction on what this service writes (no
# foreign currency, no cash rounding: see _check_supported): not run again.
HOLD_BY_CONSTRUCTION = frozenset([
    ("account.invoice", "_check_cash_rounding"),
    ("account.move.line", "_check_currency"),
    ("account.move.line", "_check_currency_amount"),
    ("account.move.line", "_check_currency_and_amount"),
])


class PropertyInvoiceBatch(models.AbstractModel):
    _name = "property.invoice.batch"
    _inherit = "property.bulk.insert"
    _description = "Invoices in batches"

    # -- guard ----------------------------------------------------------------

    @api.model
    def _guarded_methods(self, model):
        """The methods of ``model`` whose effect this service reproduces:
        those of OVERRIDES_CHECKED and the compute methods of its PRECOMPUTED
        fields, as the registry's model defines them now."""
        methods = list(OVERRIDES_CHECKED.get(model, ()))
        fields_ = self.env[model]._fields
        for name in PRECOMPUTED.get(model, ()):
            compute = fields_[name].compute if name in fields_ else None
            if isinstance(compute, str) and compute not in methods:
                methods.append(compute)
        return methods

    @api.model
    def _known_override(self, model, method, addon):
        """Whether this service reproduces what ``addon``'s override of
        ``model.method`` does: those of KNOWN_ADDONS. An add-on that extends
        this service to reproduce another add-on's override declares that
        override here, and only that one."""
        return addon in KNOWN_ADDONS

    @api.model
    def _foreign_overrides(self):
        """``model.method (addon)`` of the overrides this service does not know."""
        return self._overrides_of(
            {model: self._guarded_methods(model)
             for model in set(OVERRIDES_CHECKED) | set(PRECOMPUTED)},
            self._known_override)

    @api.model
    def _hold_by_construction(self):
        return HOLD_BY_CONSTRUCTION

    @api.model
    def _check_supported(self, invoices=None, journal=None):
        overrides = self._foreign_overrides()
        if overrides:
            raise BatchUnsupported("overridden by other add-ons: %s"
                                   % ", ".join(overrides))
        journals = (invoices.mapped("journal_id") if invoices else journal)
        for journal in journals or []:
            if journal.type_control_ids or journal.account_control_ids:
                raise BatchUnsupported("journal %s has entry controls" % journal.code)
        for invoice in invoices or []:
            if invoice.currency_id != invoice.company_id.currency_id:
                raise BatchUnsupported("invoice in a foreign currency")
            if invoice.cash_rounding_id:
                raise BatchUnsupported("cash rounding")

    # -- create ---------------------------------------------------------------

    @api.model
    def _create_invoices(self, vals_list):
        """Draft invoices from ``vals_list`` (what ``account.invoice.create``
        takes, with every partner onchange field filled): the same rows as
        ``create``, tax lines included, if the user may create them."""
        for model in ("account.invoice", "account.invoice.line",
                      "account.invoice.tax"):
            self.env[model].check_access_rights("create")
        if not vals_list:
            return self.env["account.invoice"]
        self = self.with_context(**TRACKING_OFF)
        Invoice = self.env["account.invoice"]
        vals_list = [Invoice._add_missing_default_values(
            self._invoice_onchanges(Invoice, vals)) for vals in vals_list]
        journal = self.env["account.journal"].browse(
            list({vals.get("journal_id") for vals in vals_list}))
        self._check_supported(journal=journal)
        Company = self.env["res.company"]
        if any(vals.get("currency_id") != Company.browse(
                vals.get("company_id")).currency_id.id for vals in vals_list):
            raise BatchUnsupported("invoice in a foreign currency")
        if any(vals.get("cash_rounding_id") for vals in vals_list):
            raise BatchUnsupported("cash rounding")
        with self.env.norecompute():
            created = []
            line_vals = [[command[2] for command in vals.get("invoice_line_ids") or []
                          if command and command[0] == 0] for vals in vals_list]
            vals_list = [dict(vals, invoice_line_ids=[
                command for command in vals.get("invoice_line_ids") or []
                if command and command[0] != 0]) for vals in vals_list]
            invoices = self._create_rows(
                Invoice, vals_list, created,
                computed=[self._draft_invoice_computed(vals) for vals in vals_list])
            lines, computed, taxed = [], [], []
            for invoice, vals, invoice_lines in zip(invoices, vals_list, line_vals):
                for line in invoice_lines:
                    lines.append(dict(line, invoice_id=invoice.id))
                    computed.append(self._invoice_line_computed(vals, line))
                if any(self._command_ids(line.get("invoice_line_tax_ids"))
                       for line in invoice_lines):
                    taxed.append(invoice.id)
            self._create_rows(self.env["account.invoice.line"], lines, created,
                              computed=computed)
            tax_vals = []
            for invoice in invoices.browse(taxed):
                tax_vals.extend(invoice.get_taxes_values().values())
            self._create_rows(self.env["account.invoice.tax"], tax_vals, created)
            self._write_values(invoices, self._invoice_amounts(
                invoices, vals_list, lines, computed, tax_vals))
        self._finish(created)
        return invoices

    @api.model
    def _draft_invoice_computed(self, vals):
        """The stored computed fields of a new draft invoice but its amounts
        (they wait for the tax lines): no journal entry yet, so nothing is
        due (Odoo computes a draft as reconciled), no number, no payment."""
        partner = self.env["res.partner"].browse(vals["partner_id"])
        values = {
            "residual": 0.0, "residual_signed": 0.0, "residual_company_signed": 0.0,
            "reconciled": True, "number": False, "payment_move_line_ids": [],
            "activity_date_deadline": False,
            "commercial_partner_id": partner.commercial_partner_id.id,
        }
        if "property_unit_id" in vals:
            unit = self.env["property.unit"].browse(vals["property_unit_id"])
            values.update(property_estate_id=unit.estate_id.id,
                          property_building_id=unit.building_id.id)
        return values

    @api.model
    def _invoice_amounts(self, invoices, vals_list, lines, line_computed, tax_vals):
        """``account.invoice._compute_amount`` from the lines' and tax lines'
        amounts as the database holds them (the lines' rounded to the
        currency, the tax lines' as given)."""
        untaxed, taxes = defaultdict(float), defaultdict(float)
        currencies = {invoice.id: self.env["res.currency"].browse(vals["currency_id"])
                      for invoice, vals in zip(invoices, vals_list)}
        for line, values in zip(lines, line_computed):
            currency = currencies[line["invoice_id"]]
            untaxed[line["invoice_id"]] += currency.round(values["price_subtotal"])
        for tax in tax_vals:
            currency = currencies[tax["invoice_id"]]
            taxes[tax["invoice_id"]] += currency.round(
                tax["amount"] + (tax.get("amount_rounding") or 0.0))
        result = OrderedDict()
        for invoice, vals in zip(invoices, vals_list):
            sign = -1 if vals["type"] in ("in_refund", "out_refund") else 1
            amount_untaxed = untaxed[invoice.id]
            amount_total = amount_untaxed + taxes[invoice.id]
            result[invoice.id] = {
                "amount_untaxed": amount_untaxed, "amount_tax": taxes[invoice.id],
                "amount_total": amount_total,
                "amount_total_company_signed": amount_total * sign,
                "amount_total_signed": amount_total * sign,
                "amount_untaxed_signed": amount_untaxed * sign,
            }
        return result

    @api.model
    def _invoice_line_computed(self, invoice_vals, vals):
        """``account.invoice.line._compute_price`` and the related fields of
        a new line of an invoice in the company's currency."""
        currency = self.env["res.currency"].browse(invoice_vals["currency_id"])
        discount = vals.get("discount") or 0.0
        price = vals.get("price_unit", 0.0) * (1 - discount / 100.0)
        quantity = vals.get("quantity", 1.0)
        tax_ids = self._command_ids(vals.get("invoice_line_tax_ids"))
        if tax_ids:
            taxes = self.env["account.tax"].browse(tax_ids).compute_all(
                price, currency, quantity,
                product=self.env["product.product"].browse(vals.get("product_id")),
                partner=self.env["res.partner"].browse(invoice_vals["partner_id"]))
            subtotal, total = taxes["total_excluded"], taxes["total_included"]
        else:
            subtotal = total = quantity * price
        sign = -1 if invoice_vals["type"] in ("in_refund", "out_refund") else 1
        return {
            "price_subtotal": subtotal, "price_total": total,
            "price_subtotal_signed": subtotal * sign,
            "company_id": invoice_vals["company_id"],
            "partner_id": invoice_vals["partner_id"],
            "currency_id": invoice_vals["currency_id"],
        }

    @api.model
    def _invoice_onchanges(self, Invoice, vals):
        """The values ``account.invoice.create`` adds through the partner and
        journal onchanges when some are missing."""
        vals = dict(vals)
        onchanges = {
            "_onchange_partner_id": ["account_id", "payment_term_id",
                                     "fiscal_position_id", "partner_bank_id"],
            "_onchange_journal_id": ["currency_id"],
        }
        for method, names in onchanges.items():
            if any(name not in vals for name in names):
                invoice = Invoice.new(vals)
                getattr(invoice, method)()
                for name in names:
                    if name not in vals and invoice[name]:
                        vals[name] = invoice._fields[name].convert_to_write(
                            invoice[name], invoice)
        if not vals.get("account_id"):
            raise UserError(_(
                "Configuration error!\nCould not find any account to create the "
                "invoice, are you sure you have a chart of account installed?"))
        return vals

    # -- post -----------------------------------------------------------------

    @api.model
    def _post_invoices(self, invoices):
        """``action_invoice_open`` on ``invoices`` with their journal entries,
        numbers, followers and residuals written per batch, if the user may
        validate them (write them and create their entries)."""
        invoices.check_access_rights("write")
        invoices.check_access_rule("write")
        for model in ("account.move", "account.move.line"):
            self.env[model].check_access_rights("create")
        self = self.with_context(**TRACKING_OFF)
        invoices = invoices.with_context(**TRACKING_OFF).filtered(
            lambda inv: inv.state != "open")
        if not invoices:
            return self.env["account.move"]
        if invoices.filtered(lambda inv: inv.state != "draft"):
            raise UserError(_(
                "Invoice must be in draft state in order to validate it."))
        if invoices.filtered(lambda inv: float_compare(
                inv.amount_total, 0.0,
                precision_rounding=inv.currency_id.rounding) == -1):
            raise UserError(_(
                "You cannot validate an invoice with a negative total amount. "
                "You should create a credit note instead."))
        self._check_supported(invoices=invoices)
        with self.env.norecompute():
            self._assign_dates(invoices)
            moves, residuals, numbering = self._create_moves(invoices)
            # invoice_validate: the customer follows, the invoice is open
            self._subscribe_customers(invoices)
            invoices._check_duplicate_supplier_reference()
            values = OrderedDict()
            for invoice in invoices:
                values[invoice.id] = dict(residuals[invoice.id], state="open")
            self._write_values(invoices, values)
            # account.invoice._write: open with nothing left to pay is paid
            invoices.filtered("reconciled").action_invoice_paid()
            # the dates written only matter to a currency conversion, and
            # nothing is reconciled yet: the lines' prices and the payments
            # stay what they are
            self._mark_computed(invoices.mapped("invoice_line_ids"),
                                ["price_subtotal"])
            self._mark_computed(invoices, ["payment_move_line_ids"])
            invoices.invalidate_cache(["payment_move_line_ids"])
            self._after_validate(invoices)
            # last, so that the sequence stays locked only until the commit
            self._number(moves, *numbering)
        self._recompute()
        return moves

    @api.model
    def _after_validate(self, invoices):
        """What the suite's own ``invoice_validate`` override adds: the
        billing ledger follows its invoices."""
        self.env["property.billing.line"]._sync_posted(invoices)

    @api.model
    def _residual(self, invoice, lines, computed):
        """``account.invoice._compute_residual`` of a new open invoice (same
        currency as the company, nothing reconciled yet) whose journal items
        are ``lines`` with their ``computed`` fields."""
        currency = invoice.currency_id
        residual = 0.0
        for line, values in zip(lines, computed):
            if line["account_id"] == invoice.account_id.id:
                residual += values["amount_residual"]
        sign = -1 if invoice.type in ("in_refund", "out_refund") else 1
        return {
            "residual": abs(residual),
            "residual_signed": abs(residual) * sign,
            "residual_company_signed": abs(residual) * sign,
            "reconciled": float_is_zero(residual, precision_rounding=currency.rounding),
        }

    @api.model
    def _assign_dates(self, invoices):
        """``action_date_assign`` and the date defaults of
        ``action_move_create``."""
        values = {}
        today = fields.Date.context_today(self)
        for invoice in invoices:
            date_invoice = invoice.date_invoice or today
            date_due = invoice.date_due
            if invoice.payment_term_id:
                terms = invoice.payment_term_id.with_context(
                    currency_id=invoice.company_id.currency_id.id).compute(
                    value=1, date_ref=date_invoice)[0]
                date_due = max(line[0] for line in terms)
            elif date_due and date_invoice > date_due:
                date_due = date_invoice
            values[invoice.id] = {"date_invoice": date_invoice,
                                  "date_due": date_due or date_invoice}
        changed = OrderedDict(
            (inv.id, values[inv.id]) for inv in invoices
            if (inv.date_invoice, inv.date_due) != (
                values[inv.id]["date_invoice"], values[inv.id]["date_due"]))
        self._write_values(invoices.browse(list(changed)), changed)

    @api.model
    def _create_moves(self, invoices):
        """``action_move_create`` and ``account.move.post`` for a batch: the
        entries are written posted, with their stored computed fields."""
        Move = self.env["account.move"].with_context(check_move_validity=False)
        todo, move_vals = [], []
        for invoice in invoices:
            if not invoice.journal_id.sequence_id:
                raise UserError(_(
                    "Please define sequence on the journal related to this invoice."))
            if not invoice.invoice_line_ids:
                raise UserError(_("Please create some invoice lines."))
            if invoice.move_id:
                continue
            todo.append(invoice)
            move_vals.append(self._move_vals(invoice))
        if not todo:
            return Move, {}, (invoices.browse(), [])
        lines_of = [[command[2] for command in vals.pop("line_ids")]
                    for vals in move_vals]
        move_computed, line_computed, lines_computed, residuals = [], [], [], {}
        for invoice, vals, lines in zip(todo, move_vals, lines_of):
            vals.update(name="/", state="posted")
            move_values, line_values = self._move_computed(
                invoice.journal_id, vals, lines)
            move_computed.append(move_values)
            line_computed.extend(line_values)
            lines_computed.append(line_values)
            residuals[invoice.id] = self._residual(invoice, lines, line_values)
        created = []
        moves = self._create_rows(Move, move_vals, created, computed=move_computed)
        line_vals = []
        for move, lines in zip(moves, lines_of):
            line_vals.extend(dict(line, move_id=move.id) for line in lines)
        lines = self._create_rows(self.env["account.move.line"].with_context(
            check_move_validity=False), line_vals, created, computed=line_computed)
        self._finish(created)
        # account.move.post: _post_validate (one company per entry, balanced,
        # after the lock date) and the analytic lines
        for move_values, line_values in zip(move_computed, lines_computed):
            if any(values["company_id"] != move_values["company_id"]
                   for values in line_values):
                raise UserError(_("Cannot create moves for different companies."))
        moves.assert_balanced()
        moves._check_lock_date()
        analytic = lines.browse([
            line.id for line, vals in zip(lines, line_vals)
            if vals.get("analytic_account_id")])
        analytic.create_analytic_lines()
        todo = invoices.browse([invoice.id for invoice in todo])
        self._write_values(todo, OrderedDict(
            (invoice.id, {"move_id": move.id, "date": move.date})
            for invoice, move in zip(todo, moves)))
        return moves, residuals, (todo, move_vals)

    @api.model
    def _number(self, moves, invoices, move_vals):
        """Name the entries as ``account.move.post`` does and give their
        invoices the number (``action_move_create``'s ``move_name``)."""
        if not moves:
            return
        names = self._move_names(invoices, move_vals)
        self._write_values(moves, OrderedDict(
            (move.id, {"name": name}) for move, name in zip(moves, names)))
        self._write_values(invoices, OrderedDict(
            (invoice.id, {"number": name, "move_name": name})
            for invoice, name in zip(invoices, names)))

    @api.model
    def _move_computed(self, journal, move_vals, lines):
        """The stored computed fields of a new posted entry and of its
        lines, as ``account.move`` and ``account.move.line`` compute them for
        an entry of the company's currency that nothing is reconciled with."""
        company = journal.company_id
        currency = company.currency_id
        Account = self.env["account.account"]
        receivable = 0.0
        partners = set()
        for line in lines:
            if Account.browse(line["account_id"]).user_type_id.type in (
                    "receivable", "payable"):
                receivable += abs(line["debit"] - line["credit"])
            if line.get("partner_id"):
                partners.add(line["partner_id"])
        matched = 1.0 if float_is_zero(
            receivable, precision_rounding=currency.rounding) else 0.0
        move_values = {
            "company_id": company.id, "currency_id": currency.id,
            "amount": sum(line["debit"] for line in lines),
            "partner_id": partners.pop() if len(partners) == 1 else False,
            "matched_percentage": matched,
        }
        balances = [line["debit"] - line["credit"] for line in lines]
        line_values = []
        for line, balance in zip(lines, balances):
            account = Account.browse(line["account_id"])
            line_company = account.company_id
            debit, credit = line["debit"], line["credit"]
            if journal.type in ("sale", "purchase"):
                debit_cash, credit_cash = debit * matched, credit * matched
            else:
                debit_cash, credit_cash = debit, credit
            residual, reconciled = 0.0, False
            if account.reconcile or account.internal_type == "liquidity":
                amount = abs(balance)
                sign = 1 if balance > 0 else -1
                reconciled = float_is_zero(
                    amount, precision_rounding=line_company.currency_id.rounding)
                residual = line_company.currency_id.round(amount * sign)
            tax_base = 0.0
            if line.get("tax_line_id"):
                tax_base = abs(sum(
                    other_balance for other, other_balance in zip(lines, balances)
                    if line["tax_line_id"] in self._command_ids(other.get("tax_ids"))))
            line_values.append({
                "balance": balance,
                "debit_cash_basis": debit_cash, "credit_cash_basis": credit_cash,
                "balance_cash_basis": debit_cash - credit_cash,
                "company_currency_id": line_company.currency_id.id,
                "amount_residual": residual, "amount_residual_currency": 0.0,
                "reconciled": reconciled,
                "tax_base_amount": tax_base,
                "ref": move_vals.get("ref") or False,
                "journal_id": journal.id, "date": move_vals["date"],
                "company_id": line_company.id,
                "user_type_id": account.user_type_id.id,
                "statement_id": False,
            })
        return move_values, line_values

    @api.model
    def _move_vals(self, invoice):
        """The journal entry of ``invoice``, built by Odoo's own hooks in the
        order ``action_move_create`` calls them."""
        inv = invoice.with_context(lang=invoice.partner_id.lang)
        company_currency = invoice.company_id.currency_id
        iml = invoice.invoice_line_move_line_get() + invoice.tax_line_move_line_get()
        total, _total_currency, iml = inv.compute_invoice_totals(company_currency, iml)
        name = invoice.name or "/"
        if invoice.payment_term_id:
            terms = inv.payment_term_id.with_context(
                currency_id=company_currency.id).compute(total, invoice.date_invoice)[0]
            for date_maturity, amount in terms:
                iml.append({"type": "dest", "name": name, "price": amount,
                            "account_id": invoice.account_id.id,
                            "date_maturity": date_maturity, "amount_currency": False,
                            "currency_id": False, "invoice_id": invoice.id})
        else:
            iml.append({"type": "dest", "name": name, "price": total,
                        "account_id": invoice.account_id.id,
                        "date_maturity": invoice.date_due, "amount_currency": False,
                        "currency_id": False, "invoice_id": invoice.id})
        partner = self.env["res.partner"]._find_accounting_partner(invoice.partner_id)
        lines = [(0, 0, invoice.line_get_convert(line, partner.id)) for line in iml]
        lines = inv.group_lines(iml, lines)
        lines = inv.finalize_invoice_move_lines(lines)
        date = invoice.date or invoice.date_invoice
        for _zero, _zero2, line in lines:
            self._move_line_defaults(line, date)
        return {"ref": invoice.reference, "line_ids": lines,
                "journal_id": invoice.journal_id.id, "date": date,
                "narration": invoice.comment}

    @api.model
    def _move_line_defaults(self, vals, move_date):
        """What ``account.move.line.create`` adds to the values it is given."""
        account = self.env["account.account"].browse(vals["account_id"])
        if account.deprecated:
            raise BatchUnsupported("deprecated account %s" % account.code)
        currency = account.currency_id
        if currency and currency != account.company_id.currency_id:
            raise BatchUnsupported("account %s in a foreign currency" % account.code)
        vals["date_maturity"] = (vals.get("date_maturity") or vals.get("date")
                                 or move_date)
        vals.pop("analytic_line_ids", None)
        Tax = self.env["account.tax"]
        taxes = Tax.browse(vals["tax_line_id"]) if vals.get("tax_line_id") else Tax
        taxes |= Tax.browse(self._command_ids(vals.get("tax_ids")))
        on_payment = "on_payment" in taxes.mapped("tax_exigibility")
        if on_payment and not vals.get("tax_exigible"):
            vals["tax_exigible"] = False

    @api.model
    def _move_names(self, invoices, move_vals):
        """The names ``account.move.post`` would give, in order: the
        invoice's former number, else the next numbers of the journal's
        sequence (the credit note sequence for credit notes when the journal
        has one), reserved in one statement per sequence and year."""
        names = [invoice.move_name if invoice.move_name and invoice.move_name != "/"
                 else None for invoice in invoices]
        wanted = defaultdict(list)
        for index, (invoice, vals) in enumerate(zip(invoices, move_vals)):
            if names[index]:
                continue
            journal = invoice.journal_id
            sequence = journal.sequence_id
            if invoice.type in ("out_refund", "in_refund") and journal.refund_sequence:
                if not journal.refund_sequence_id:
                    raise UserError(_("Please define a sequence for the credit notes"))
                sequence = journal.refund_sequence_id
            wanted[sequence, vals["date"]].append(index)
        # in one order, so that two batches never wait for each other's lock
        for (sequence, date), indexes in sorted(
                wanted.items(), key=lambda item: (item[0][0].id, item[0][1])):
            sequence.check_access_rights("read")
            reserved = self._reserve(sequence, date, len(indexes))
            for index, name in zip(indexes, reserved):
                names[index] = name
        return names

    @api.model
    def _reserve(self, sequence, date, count):
        """``count`` consecutive names of ``sequence`` for ``date``, as
        ``count`` calls of ``next_by_id`` would draw them."""
        cr = self.env.cr
        counter = sequence
        interpolate = sequence.with_context(ir_sequence_date=date)
        pg_sequence = "ir_sequence_%03d" % sequence.id
        if sequence.use_date_range:
            counter = self.env["ir.sequence.date_range"].search([
                ("sequence_id", "=", sequence.id), ("date_from", "<=", date),
                ("date_to", ">=", date)], limit=1)
            if not counter:
                counter = sequence._create_date_range_seq(date)
            interpolate = interpolate.with_context(
                ir_sequence_date_range=counter.date_from)
            pg_sequence = "ir_sequence_%03d_%03d" % (sequence.id, counter.id)
        step = sequence.number_increment
        if sequence.implementation == "standard":
            cr.execute("SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1",
                       (pg_sequence, count))
            numbers = [number for number, in cr.fetchall()]
        else:
            # the row lock of ir.sequence's _update_nogap, held until the
            # commit; waited for (the batches take it last, for little time)
            cr.execute('SELECT number_next FROM "%s" WHERE id = %%s FOR UPDATE'
                       % counter._table, (counter.id,))
            first = cr.fetchone()[0]
            cr.execute('UPDATE "%s" SET number_next = number_next + %%s WHERE id = %%s'
                       % counter._table, (step * count, counter.id))
            counter.invalidate_cache(["number_next"], counter.ids)
            numbers = [first + step * index for index in range(count)]
        prefix, suffix = interpolate._get_prefix_suffix()
        return [prefix + "%%0%sd" % sequence.padding % number + suffix
                for number in numbers]

    # -- followers ------------------------------------------------------------

    @api.model
    def _subscribe_customers(self, invoices):
        """Make each customer follow its invoice in one statement, with the
        subtypes ``invoice_validate``'s ``message_subscribe`` would give
        (``mail.followers._add_follower_command``: the model's default
        subtypes for employees, its external ones for the others), so that
        validation finds them subscribed and skips its per-invoice call.
        Subscribing others takes the right to write the invoices (as
        ``message_subscribe``)."""
        invoices.check_access_rights("write")
        invoices.check_access_rule("write")
        if not invoices:
            return
        cr = self.env.cr
        cr.execute("""
            SELECT inv.id, inv.partner_id FROM account_invoice inv
            WHERE inv.id IN %s AND inv.partner_id IS NOT NULL
              AND NOT EXISTS (
                SELECT 1 FROM mail_followers f
                WHERE f.res_model = 'account.invoice' AND f.res_id = inv.id
                  AND f.partner_id = inv.partner_id)
        """, (tuple(invoices.ids),))
        rows = cr.fetchall()
        if not rows:
            return
        default, _internal, external = self.env[
            "mail.message.subtype"].default_subtypes("account.invoice")
        partner_ids = list({partner_id for _inv, partner_id in rows})
        employees = set(self.env["res.users"].sudo().search([
            ("partner_id", "in", partner_ids), ("share", "=", False)]).mapped(
            "partner_id").ids)
        followers = execute_values(
            cr, "INSERT INTO mail_followers (res_model, res_id, partner_id) "
                "VALUES %s RETURNING id, partner_id",
            [("account.invoice", inv, partner) for inv, partner in rows],
            page_size=len(rows), fetch=True)
        links = []
        for follower_id, partner_id in followers:
            subtypes = default if partner_id in employees else external
            links.extend((follower_id, subtype) for subtype in subtypes.ids)
        if links:
            execute_values(
                cr, "INSERT INTO mail_followers_mail_message_subtype_rel "
                    "(mail_followers_id, mail_message_subtype_id) VALUES %s",
                links, page_size=len(links))
        invoices.invalidate_cache(["message_follower_ids", "message_partner_ids",
                                   "message_channel_ids"])
