# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The allocation service for many payments at once (a bank statement).

``property.payment.service._pay`` takes one payment through the ORM: some
100 ms each. ``_pay_many(requests)`` takes what ``_pay`` takes for each of
``requests`` and writes, for all of them at once, the rows ``_pay`` writes
one by one:

- validations and errors: the service's own checks, in ``_pay``'s order (a
  request they refuse gets its error, the others go on), then one lock on the
  payers' open bills; the allocation by ``rules.allocation``, request after
  request on the residuals the earlier requests left;
- ``account.payment`` rows, posted (``reconciled`` when a statement line took
  them, as ``process_reconciliation`` marks them), named from the payment
  sequence; their entries and journal items built by ``account.payment``'s
  own hooks (``_get_shared_move_line_vals``, ``_get_counterpart_move_line_vals``,
  ``_get_liquidity_move_line_vals``), named from the journal's sequence, with
  the stored computed fields of a new posted entry (``property.invoice.batch``);
- ``account.partial.reconcile`` between each counterpart and its bills'
  receivable lines, pair by pair as ``auto_reconcile_lines`` takes them
  (oldest maturity first), and ``account.full.reconcile`` for each set of
  items that balances (``_compute_partial_lines``), numbered from its
  sequence; the items' residuals, the entries' matched percentage and the
  bills' residuals and payments by Odoo's compute methods, then
  ``action_invoice_paid`` on the bills nothing is left of;
- the statement lines linked (``statement_line_id`` on the liquidity items);
- receipts and their lines, numbered from each estate's gapless sequence,
  reserved in one statement per estate; the advance credit kept by the
  service's ``_keep_advance``.

Rows are written by the bulk-write engine (``property.bulk.insert``), one
statement per table. Like the invoice batch, it is the ORM's equivalent with
mail tracking off (``TRACKING_OFF``: no chatter message, no follower): both
paths of ``_pay_many`` run with it. Where Odoo would do more than this
service knows (another add-on overriding a method whose effect it reproduces,
foreign currencies, cash-basis taxes, journals with entry controls, a
statement line numbered before), :class:`BatchUnsupported` sends every
request through ``_pay``, each in a savepoint; so does any error while the
rows are written (the batch's savepoint is rolled back first).
``tests/test_payment_batch.py`` compares the rows of both paths.
"""
import logging
from collections import OrderedDict, defaultdict, namedtuple
from decimal import Decimal

import psycopg2
from psycopg2.extras import execute_values

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

from odoo.addons.property_billing.models.property_bulk_insert import (
    BatchUnsupported)
from odoo.addons.property_billing.models.property_invoice_batch import (
    HOLD_BY_CONSTRUCTION as INVOICE_BATCH_HOLDS)
from odoo.addons.property_billing.rules.constants import TRACKING_OFF

from ..rules import allocation as rules
from ..rules import channels
from .property_invoice_batch import ITEM_MANDATE_CHECK

_logger = logging.getLogger(__name__)

# What a request may hold: the arguments of ``_pay``.
REQUEST_KEYS = ("payer", "amount", "channel_code", "invoices", "date", "serial",
                "reference", "estate", "statement_line", "tendered", "note")
# Add-ons whose overrides of the methods below this service reproduces or
# knows to be harmless (the ORM's base class reports itself as "odoo.models").
KNOWN_ADDONS = frozenset([
    "odoo.models", "base", "mail", "account", "property_billing",
    "property_payment"])
# Overrides of other add-ons that change nothing on this service's path.
KNOWN_OVERRIDES = frozenset([
    # payment: pays by the payment's token, which the service never sets
    ("account.payment", "create", "payment"),
    # account_check_printing (with l10n_generic_coa): numbers outbound check
    # payments; the service posts inbound payments with the journal's inbound
    # methods, never the (outbound) check method
    ("account.payment", "create", "account_check_printing"),
])
CRUD = ("create", "_create", "write", "_write")
OVERRIDES_CHECKED = {
    "account.payment": CRUD + ("post", "_create_payment_entry"),
    "account.move": CRUD + ("post", "_post_validate", "assert_balanced",
                            "_compute_matched_percentage"),
    "account.move.line": CRUD + ("reconcile", "auto_reconcile_lines",
                                 "_get_pair_to_reconcile",
                                 "_payment_invoice_match", "_amount_residual",
                                 "_compute_cash_basis"),
    "account.partial.reconcile": CRUD + ("_compute_partial_lines",
                                         "create_tax_cash_basis_entry"),
    "account.full.reconcile": CRUD,
    # no bill is created here: their updates only
    "account.invoice": ("write", "_write", "register_payment",
                        "action_invoice_paid", "_compute_residual",
                        "_compute_payments"),
    "account.bank.statement.line": ("process_reconciliation",),
    "ir.sequence": ("next_by_id", "next_by_code", "_next", "_next_do"),
    "property.receipt": ("_create_service",),
    "property.receipt.line": ("_create_service",),
}
# The service's own steps this batch reproduces: an override of any of them
# (wherever it comes from) must run, through ``_pay``.
SERVICE_STEPS = ("_pay", "_post_payment", "_counterpart", "_reconcile",
                 "_write_receipt", "_next_receipt_number", "_lock_bills",
                 "_open_bills", "_period_label")
SERVICE_MODULES = frozenset([
    "odoo.addons.property_payment.models.property_payment_service",
    "odoo.addons.property_payment.models.property_payment_batch"])
PAYMENT_SEQUENCE = "account.payment.customer.invoice"
RECONCILE_SEQUENCE = "account.reconcile"

# A journal item as the reconciliation reads it (``_items``), and the open
# receivable items of a bill (``_bill_items``).
Item = namedtuple("Item", "id account_id residual date date_maturity "
                          "company_id reconciled currency_id tax_exigible "
                          "move_id")
BillItems = namedtuple("BillItems", "number account_id currency_id lines "
                                    "cash_basis")
# One request, validated and allocated.
Plan = namedtuple("Plan", "index payer amount channel estate date journal "
                          "allocation change tendered serial reference note "
                          "statement_line company")


def _decimal(value):
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


class PropertyPaymentBatch(models.AbstractModel):
    _name = "property.payment.batch"
    _inherit = "property.bulk.insert"
    _description = "Payments in batches"

    # -- entry point ----------------------------------------------------------

    @api.model
    def _pay_many(self, requests):
        """``_pay`` for each of ``requests`` (dicts of ``_pay``'s arguments:
        payer, amount, channel_code, invoices, date, serial, reference,
        estate, statement_line, tendered, note), in that order. Returns one
        item per request: its receipt, or the ``UserError`` /
        ``ValidationError`` / ``AccessError`` that refused it (nothing was
        written for it)."""
        service = self.env["property.payment.service"].with_context(
            **TRACKING_OFF)
        service._check_cashier()
        requests = [self._request(request) for request in requests]
        if not requests:
            return []
        # (prefetch_fields=False: a field read for the whole batch, not
        # every field of the rows it touches)
        self = self.with_context(property_payment_channels={},
                                 prefetch_fields=False, **TRACKING_OFF)
        try:
            self._check_supported(requests)
            with self.env.cr.savepoint():
                return self._pay_batch(requests)
        except BatchUnsupported as reason:
            _logger.info("Payments through the ORM (%d): %s", len(requests),
                         reason)
        except psycopg2.OperationalError:
            raise  # a concurrent update: the caller's transaction retries
        except Exception:  # pylint: disable=broad-except
            _logger.warning("The payment batch failed: the %d payments go "
                            "through the ORM one by one", len(requests),
                            exc_info=True)
        self.env.clear()
        return self._pay_each(service, requests)

    @api.model
    def _request(self, request):
        unknown = set(request) - set(REQUEST_KEYS)
        if unknown:
            raise UserError(_("Unknown payment arguments: %s")
                            % ", ".join(sorted(unknown)))
        return dict(request)

    @api.model
    def _pay_each(self, service, requests):
        """The ORM path: ``_pay`` per request, each in a savepoint."""
        results = []
        for request in requests:
            try:
                with self.env.cr.savepoint():
                    results.append(service._pay(**request))
            except (UserError, ValidationError, AccessError) as error:
                self.env.clear()
                results.append(error)
        return results

    # -- guard ----------------------------------------------------------------

    @api.model
    def _known_override(self, model, method, addon):
        """Whether this service reproduces (or may ignore) ``addon``'s
        override of ``model.method``."""
        return addon in KNOWN_ADDONS or (model, method, addon) in KNOWN_OVERRIDES

    @api.model
    def _foreign_overrides(self):
        """``model.method (addon)`` of the overrides this service does not
        know: on the account models it reproduces, and any override of the
        allocation service's steps but its own definitions."""
        found = self._overrides_of(OVERRIDES_CHECKED, self._known_override)
        service = type(self.env["property.payment.service"])
        for method in SERVICE_STEPS:
            for cls in service.__mro__:
                if method in vars(cls) and cls.__module__ not in SERVICE_MODULES:
                    found.append("property.payment.service.%s (%s)"
                                 % (method, cls.__module__))
        return found

    @api.model
    def _item_mandate_check_skipped(self):
        """Whether account_banking_mandate's check of the new journal items
        (which reads back every item) is made in one query instead, as the
        invoice batch does."""
        return self.env["property.invoice.batch"]._item_mandate_check_is_oca()

    @api.model
    def _hold_by_construction(self):
        # the journal items' currency checks: the batch takes the company's
        # currency only (_check_supported, _check_journal, _create_partials),
        # and checks the items' accounts in one query (_check_item_currencies)
        skip = super()._hold_by_construction() | frozenset(
            check for check in INVOICE_BATCH_HOLDS
            if check[0] == "account.move.line")
        if self._item_mandate_check_skipped():
            skip = skip | {ITEM_MANDATE_CHECK}
        return skip

    @api.model
    def _check_item_currencies(self, moves):
        """``account.move.line._check_currency`` on the items of ``moves``,
        in one query: an account that forces a secondary currency takes
        items in that currency only (the batch writes none)."""
        self.env.cr.execute("""
            SELECT line.id FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN res_company company ON company.id = line.company_id
             WHERE line.move_id IN %s AND account.currency_id IS NOT NULL
               AND account.currency_id != company.currency_id
               AND (line.currency_id IS NULL
                    OR line.currency_id != account.currency_id)
             LIMIT 1""", (tuple(moves.ids),))
        if self.env.cr.fetchone():
            raise ValidationError(_(
                "The selected account of your Journal Entry forces to provide "
                "a secondary currency. You should remove the secondary "
                "currency on the account."))

    @api.model
    def _check_supported(self, requests):
        overrides = self._foreign_overrides()
        if overrides:
            raise BatchUnsupported("overridden by other add-ons: %s"
                                   % ", ".join(overrides))
        for request in requests:
            line = request.get("statement_line")
            if line and (line.currency_id or line.journal_id.currency_id
                         and line.journal_id.currency_id
                         != line.company_id.currency_id):
                raise BatchUnsupported("statement line in a foreign currency")
            if line and line.move_name:
                raise BatchUnsupported("statement line %s was numbered before"
                                       % line.id)

    @api.model
    def _check_journal(self, journal, company):
        if journal.type_control_ids or journal.account_control_ids:
            raise BatchUnsupported("journal %s has entry controls" % journal.code)
        if journal.currency_id and journal.currency_id != company.currency_id:
            raise BatchUnsupported("journal %s in a foreign currency"
                                   % journal.code)

    # -- plan: validate and allocate ----------------------------------------

    @api.model
    def _pay_batch(self, requests):
        service = self.env["property.payment.service"]
        results = [None] * len(requests)
        checked = []
        # the requests' records read in this environment (the fields read,
        # not whole rows), with the prefetching they came with
        requests = [{key: value.with_env(self.env)
                     if isinstance(value, models.BaseModel) else value
                     for key, value in request.items()} for request in requests]
        for index, request in enumerate(requests):
            try:
                checked.append((index, self._check_request(service, request)))
            except (UserError, ValidationError, AccessError) as error:
                results[index] = error
        if checked:
            self._lock_payers([item["payer"] for _index, item in checked],
                              [item["company"] for _index, item in checked])
            bills = self._open_bills_of(checked)
            residuals = {invoice.id: _decimal(invoice.residual)
                         for found in bills.values() for invoice in found}
            plans = []
            for index, item in checked:
                try:
                    plans.append(self._allocate(service, index, item, bills,
                                                residuals))
                except (UserError, ValidationError) as error:
                    results[index] = error
            for plan, receipt in zip(plans, self._write_plans(service, plans)):
                results[plan.index] = receipt
        return results

    @api.model
    def _check_request(self, service, request):
        """``_pay``'s checks before its lock, in its order."""
        payer = request.get("payer")
        invoices = request.get("invoices") or None
        estate = request.get("estate")
        statement_line = request.get("statement_line")
        if not payer:
            raise UserError(_("Choose the payer first."))
        payer = payer.commercial_partner_id
        company = (estate.company_id if estate else
                   (invoices.mapped("company_id")[:1] if invoices else
                    self.env.user.company_id))
        currency = company.currency_id
        amount = currency.round(request.get("amount") or 0.0)
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0:
            raise UserError(_(
                "The amount to pay must be more than zero (given: %s).")
                % amount)
        code = request.get("channel_code")
        channel = self._channel(code, company)
        estate = service._payment_estate(payer, company, invoices, estate)
        date = request.get("date") or service._local_today(estate)
        if channels.is_counter(code):
            self.env["property.cash.closing"]._check_day_open(
                self.env.user, date, company)
        if statement_line and statement_line.journal_entry_ids:
            raise UserError(_(
                "Bank statement line %s is already reconciled.")
                % statement_line.name)
        journal = statement_line.journal_id if statement_line else \
            channel.journal_id
        self._check_journal(journal, company)
        return dict(request, payer=payer, company=company, amount=amount,
                    channel=channel, estate=estate, date=date, invoices=invoices,
                    journal=journal)

    @api.model
    def _channel(self, code, company):
        """``property.payment.channel._get``, once per channel and company
        in a batch."""
        cache = self.env.context.get("property_payment_channels")
        if cache is None:
            return self.env["property.payment.channel"]._get(code, company)
        if (code, company.id) not in cache:
            cache[code, company.id] = self.env["property.payment.channel"]._get(
                code, company)
        return cache[code, company.id]

    @api.model
    def _lock_payers(self, payers, companies):
        """``_lock_bills`` for all payers at once: their open bills, locked
        in the order of their ids."""
        self.env["account.invoice"].check_access_rights("write")
        self.env.cr.execute("""
            SELECT id FROM account_invoice
             WHERE commercial_partner_id IN %s AND company_id IN %s
               AND state = 'open'
             ORDER BY id FOR UPDATE""", (
            tuple({payer.id for payer in payers}),
            tuple({company.id for company in companies})))
        self.env["account.invoice"].invalidate_cache(
            ["residual", "state"], [row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _open_bills_of(self, checked):
        """{(payer id, company id): open bills, in ``_open_bills``' order}."""
        payers = {item["payer"].id for _index, item in checked}
        companies = {item["company"].id for _index, item in checked}
        Invoice = self.env["account.invoice"]
        found = Invoice.search([
            ("commercial_partner_id", "in", list(payers)),
            ("state", "=", "open"), ("type", "=", "out_invoice"),
            ("company_id", "in", list(companies))],
            order="date_due, date_invoice, number, id")
        ids = defaultdict(list)
        # two columns of the bills, not their whole rows one by one
        for row in found.read(["commercial_partner_id", "company_id"],
                              load="_classic_write"):
            ids[row["commercial_partner_id"], row["company_id"]].append(
                row["id"])
        # each payer's bills read with all the others (one query per field)
        result = defaultdict(lambda: Invoice)
        result.update((key, Invoice.browse(key_ids, prefetch=found._prefetch))
                      for key, key_ids in ids.items())
        return result

    @api.model
    def _allocate(self, service, index, item, bills, residuals):
        """Allocate one request on what the earlier ones left."""
        payer, company, estate = item["payer"], item["company"], item["estate"]
        currency = company.currency_id
        open_bills = bills[payer.id, company.id].filtered(
            lambda inv: (not inv.property_estate_id
                         or inv.property_estate_id == estate)
            and residuals[inv.id] > 0)
        invoices = item["invoices"]
        if invoices:
            service._check_chosen(invoices, payer, estate, open_bills)
        channel = item["channel"]
        tendered = item.get("tendered")
        change = 0.0
        if tendered is not None and channel.gives_change:
            change = float(service._rule(rules.change_due, _decimal(tendered),
                                         _decimal(item["amount"])))
        allocation = service._rule(
            rules.allocate, _decimal(item["amount"]),
            [service._bill(invoice)._replace(residual=residuals[invoice.id])
             for invoice in open_bills],
            chosen=invoices.ids if invoices else None,
            precision=_decimal(currency.rounding))
        for line in allocation.lines:
            residuals[line.key] -= line.amount
        statement_line = item.get("statement_line")
        return Plan(
            index, payer, item["amount"], channel, estate, item["date"],
            item["journal"], allocation, change,
            tendered if channel.gives_change else None, item.get("serial"),
            item.get("reference"), item.get("note"), statement_line or None,
            company)

    # -- write ------------------------------------------------------------------

    @api.model
    def _write_plans(self, service, plans):
        if not plans:
            return []
        if len({plan.statement_line.id for plan in plans
                if plan.statement_line}) != len(
                    [plan for plan in plans if plan.statement_line]):
            raise BatchUnsupported("a statement line paid twice")
        # the fields computed once, at the end (or when read)
        self = self._deferred().with_context(
            property_payment_invoices=self._invoices_of(plans))
        payments, links = self._create_payments(plans)
        counterparts, liquidities = self._create_entries(plans, payments)
        partials = self._create_partials(plans, counterparts)
        self._link_invoices(payments, links)
        self._full_reconcile(partials)
        self._link_statement_lines(plans, liquidities)
        invoices = self.env["account.invoice"].browse(list(
            self.env.context["property_payment_invoices"]))
        if self._settle_residuals(partials, invoices):
            self._settle_matched_percentages()
        else:
            # the bills' residuals are computed as the superuser (whose
            # cache is apart): their items read together first
            invoices.sudo().mapped("move_id.line_ids").mapped("account_id")
            self._recompute()
            self._mark_paid(invoices)
        receipts = self._create_receipts(service, plans, payments)
        self._recompute()
        self.env.cache.invalidate()
        for plan, receipt in zip(plans, receipts):
            if not float_is_zero(float(plan.allocation.advance),
                                 precision_rounding=plan.company.currency_id.rounding):
                service._keep_advance(receipt.sudo(self.env.uid))
        return [receipt.sudo(self.env.uid) for receipt in receipts]

    @api.model
    def _invoices_of(self, plans):
        """{id: bill} of the bills ``plans`` pay, in the order of the plans,
        read together."""
        ids = list(OrderedDict.fromkeys(
            line.key for plan in plans for line in plan.allocation.lines))
        prefetch = defaultdict(set)
        return OrderedDict(
            (invoice_id, self.env["account.invoice"].browse(
                invoice_id, prefetch=prefetch)) for invoice_id in ids)

    @api.model
    def _invoice(self, invoice_id):
        """The bill ``invoice_id`` of the batch (``_invoices_of``)."""
        return self.env.context["property_payment_invoices"][invoice_id] \
            .with_env(self.env)

    @api.model
    def _create_payments(self, plans):
        """The posted payments (``_post_payment`` + ``post``): named from the
        payment sequence, in the order of ``plans``."""
        Payment = self.env["account.payment"]
        Payment.check_access_rights("create")
        Payment.check_access_rights("write")
        names = self._names_by_code(
            PAYMENT_SEQUENCE, [plan.date for plan in plans])
        if not all(names):
            raise UserError(_("You have to define a sequence for %s in your "
                              "company.") % PAYMENT_SEQUENCE)
        vals_list, links = [], []
        for payment_index, (plan, name) in enumerate(zip(plans, names)):
            journal = plan.journal
            method = journal.inbound_payment_method_ids[:1] or self.env.ref(
                "account.account_payment_method_manual_in")
            paid = list(OrderedDict.fromkeys(
                line.key for line in plan.allocation.lines))
            vals_list.append({
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": plan.payer.id,
                "amount": plan.amount,
                "currency_id": plan.company.currency_id.id,
                "journal_id": journal.id,
                "payment_date": plan.date,
                "payment_method_id": method.id,
                "communication": plan.reference or plan.serial or False,
                "name": name,
                "state": "reconciled" if plan.statement_line else "posted",
            })
            links.extend((payment_index, invoice_id) for invoice_id in paid)
        created = []
        payments = self._create_rows(
            Payment, vals_list, created, shared_defaults=True,
            computed=[{"company_id": plan.journal.company_id.id}
                      for plan in plans])
        self._finish(created)
        return payments, [(payments[index].id, invoice_id)
                          for index, invoice_id in links]

    @api.model
    def _link_invoices(self, payments, links):
        """The payments' bills (``invoice_ids``: ``_payment_invoice_match``
        and ``_pay`` name them once the entry is posted)."""
        if not links:
            return
        field = payments._fields["invoice_ids"]
        execute_values(
            self.env.cr, 'INSERT INTO "%s" ("%s", "%s") VALUES %%s '
            'ON CONFLICT DO NOTHING' % (field.relation, field.column1,
                                        field.column2), links)
        payments.invalidate_cache(["invoice_ids"])
        self.env["account.invoice"].invalidate_cache(["payment_ids"])
        payments.modified(["invoice_ids"])

    @api.model
    def _create_entries(self, plans, payments):
        """``_create_payment_entry`` of each payment (without its invoices:
        ``_pay`` posts the payment before it names them), posted and named
        from the journal's sequence. Returns the counterpart and the
        liquidity items, in the order of ``plans``."""
        Move = self.env["account.move"].with_context(check_move_validity=False)
        Line = self.env["account.move.line"].with_context(
            check_move_validity=False)
        for model in (Move, Line):
            model.check_access_rights("create")
        invoice_batch = self.env["property.invoice.batch"]
        names = self._journal_names(plans)
        move_vals, move_computed, lines_of, line_computed = [], [], [], []
        no_invoice = self.env["account.invoice"]
        for plan, payment, name in zip(plans, payments, names):
            company = plan.company
            amount = -payment.amount  # inbound
            debit, credit, amount_currency, currency_id = Line.with_context(
                date=payment.payment_date).compute_amount_fields(
                amount, payment.currency_id, company.currency_id, False)
            counterpart = payment._get_shared_move_line_vals(
                debit, credit, amount_currency, False, False)
            counterpart.update(payment._get_counterpart_move_line_vals(no_invoice))
            counterpart.update({"currency_id": currency_id})
            liquidity = payment._get_shared_move_line_vals(
                credit, debit, 0, False, False)
            liquidity.update(payment._get_liquidity_move_line_vals(-amount))
            vals = {"name": name, "date": payment.payment_date,
                    "ref": payment.communication or "",
                    "company_id": payment.company_id.id,
                    "journal_id": plan.journal.id, "state": "posted"}
            lines = [counterpart, liquidity]
            for line in lines:
                line.pop("move_id", None)
                # related to the entry's (given there): precomputed
                if line.pop("journal_id", plan.journal.id) != plan.journal.id:
                    raise BatchUnsupported("items on another journal")
                invoice_batch._move_line_defaults(line, vals["date"])
            move_values, line_values = invoice_batch._move_computed(
                plan.journal, vals, lines)
            for values in line_values:
                values["ref"] = vals["ref"]  # related: '' stays ''
            move_vals.append(vals)
            move_computed.append(move_values)
            lines_of.append(lines)
            line_computed.extend(line_values)
        created = []
        moves = self._create_rows(Move, move_vals, created, computed=move_computed,
                                  shared_defaults=True)
        line_vals = []
        for move, lines in zip(moves, lines_of):
            line_vals.extend(dict(line, move_id=move.id) for line in lines)
        lines = self._create_rows(Line, line_vals, created, computed=line_computed,
                                  shared_defaults=True)
        self._finish(created)
        if self._item_mandate_check_skipped():
            invoice_batch._check_item_mandates(moves)
        self._check_item_currencies(moves)
        moves.assert_balanced()
        moves._check_lock_date()
        self._write_values(payments, OrderedDict(
            (payment.id, {"move_name": move.name})
            for payment, move in zip(payments, moves)))
        return lines[0::2], lines[1::2]

    @api.model
    def _create_partials(self, plans, counterparts):
        """The partial reconciles ``(counterpart | bill lines).reconcile()``
        writes for each allocation line, in order: ``auto_reconcile_lines``
        pairs the oldest debit and the oldest credit (maturity, then the
        order of the recordset) until one side is settled."""
        Partial = self.env["account.partial.reconcile"]
        Partial.check_access_rights("create")
        bills = self._bill_items(list(self.env.context["property_payment_invoices"]))
        paying = self._items(counterparts.ids)
        residual = {}
        vals_list = []
        for plan, counterpart in zip(plans, counterparts):
            currency = plan.company.currency_id
            counterpart = paying[counterpart.id]
            residual[counterpart.id] = counterpart.residual
            for allocated in plan.allocation.lines:
                bill = bills[allocated.key]
                if bill.currency_id != currency.id:
                    raise BatchUnsupported("bill in a foreign currency")
                if bill.cash_basis:
                    raise BatchUnsupported("cash-basis taxes")
                if counterpart.account_id != bill.account_id:
                    raise BatchUnsupported("payment and bill on two accounts")
                for line in bill.lines:
                    residual.setdefault(line.id, line.residual)
                before = residual[counterpart.id]
                vals_list.extend(self._pairs([counterpart] + bill.lines,
                                             residual, currency))
                taken = before - residual[counterpart.id]
                if float_compare(-taken, float(allocated.amount),
                                 precision_rounding=currency.rounding) != 0:
                    # _pay refuses it in its words (_reconcile)
                    raise BatchUnsupported("bill %s reconciles %s, not %s" % (
                        bill.number, -taken, float(allocated.amount)))
        items = dict(paying)
        for bill in bills.values():
            items.update((line.id, line) for line in bill.lines)
        computed = []
        for vals in vals_list:
            debit = items[vals["debit_move_id"]]
            credit = items[vals["credit_move_id"]]
            computed.append({"company_id": debit.company_id,
                             "max_date": max(debit.date, credit.date)})
        created = []
        partials = self._create_rows(Partial, vals_list, created,
                                     shared_defaults=True, computed=computed)
        self._finish(created)
        return partials

    @api.model
    def _items(self, line_ids, where="line.id IN %s", order="line.id"):
        """{id: Item} of journal items, read in one query (the columns
        ``_create_partials`` reads of each)."""
        if not line_ids:
            return OrderedDict()
        self.env["account.move.line"].check_access_rights("read")
        self.env.cr.execute("""
            SELECT line.id, line.account_id, line.amount_residual, line.date,
                   line.date_maturity, line.company_id, line.reconciled,
                   line.currency_id, line.tax_exigible, line.move_id
              FROM account_move_line line
             WHERE %s ORDER BY %s""" % (where, order), (tuple(line_ids),))
        return OrderedDict((row[0], Item(*row)) for row in self.env.cr.fetchall())

    @api.model
    def _bill_items(self, invoice_ids):
        """{bill id: BillItems}: the open receivable items of the bills, in
        the order of ``move_id.line_ids`` (``date desc, id desc``), as their
        entries held them before the batch; whether any item of the entry
        waits for cash-basis taxes."""
        if not invoice_ids:
            return {}
        self.env["account.invoice"].check_access_rights("read")
        self.env.cr.execute("""
            SELECT id, move_id, account_id, currency_id, number
              FROM account_invoice WHERE id IN %s""", (tuple(invoice_ids),))
        invoices = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        by_move = defaultdict(list)
        for item in self._items(
                [move_id for move_id, *_rest in invoices.values() if move_id],
                where="line.move_id IN %s",
                order="line.move_id, line.date DESC, line.id DESC").values():
            by_move[item.move_id].append(item)
        result = {}
        for invoice_id, (move_id, account_id, currency_id, number) in \
                invoices.items():
            items = by_move.get(move_id, [])
            lines = [item for item in items if item.account_id == account_id
                     and not item.reconciled]
            if any(item.currency_id for item in lines):
                raise BatchUnsupported("bill items in a foreign currency")
            result[invoice_id] = BillItems(
                number, account_id, currency_id, lines,
                any(not item.tax_exigible for item in items))
        return result

    @staticmethod
    def _pairs(lines, residual, currency):
        """``auto_reconcile_lines`` on ``lines`` (``Item``s, in the order of
        the recordset) whose residuals are ``residual`` (updated): the
        partial reconciles' values."""
        todo = list(lines)
        result = []
        while todo:
            debit = credit = None
            for aml in sorted(todo, key=lambda a: a.date_maturity or a.date):
                if debit and credit:
                    break
                sign = float_compare(residual[aml.id], 0,
                                     precision_rounding=currency.rounding)
                if sign == 1 and not debit:
                    debit = aml
                elif sign == -1 and not credit:
                    credit = aml
            if not debit or not credit:
                break
            amount = min(residual[debit.id], -residual[credit.id])
            if amount == residual[debit.id]:
                todo.remove(debit)
            if amount == -residual[credit.id]:
                todo.remove(credit)
            result.append({"debit_move_id": debit.id, "credit_move_id": credit.id,
                           "amount": amount, "amount_currency": 0,
                           "currency_id": False})
            residual[debit.id] = currency.round(residual[debit.id] - amount)
            residual[credit.id] = currency.round(residual[credit.id] + amount)
        return result

    @api.model
    def _full_reconcile(self, partials):
        """``_compute_partial_lines`` after each new partial reconcile: the
        items it links (with the partial reconciles they had before), when
        their debits and credits balance, are fully reconciled, numbered in
        the order of the partial reconcile that completed them."""
        if not partials:
            return
        cr = self.env.cr
        graph = defaultdict(set)   # item id -> partial ids
        ends = {}                  # partial id -> (debit id, credit id)
        full_of = {}
        frontier = set(partials.mapped("debit_move_id").ids) | set(
            partials.mapped("credit_move_id").ids)
        seen_lines = set()
        while frontier:
            seen_lines |= frontier
            cr.execute("""
                SELECT id, debit_move_id, credit_move_id, full_reconcile_id
                  FROM account_partial_reconcile
                 WHERE debit_move_id IN %s OR credit_move_id IN %s""",
                       (tuple(frontier), tuple(frontier)))
            found = set()
            for partial_id, debit_id, credit_id, full_id in cr.fetchall():
                ends[partial_id] = (debit_id, credit_id)
                full_of[partial_id] = full_id
                graph[debit_id].add(partial_id)
                graph[credit_id].add(partial_id)
                found |= {debit_id, credit_id}
            frontier = found - seen_lines
        cr.execute("SELECT id, debit, credit, company_id FROM account_move_line "
                   "WHERE id IN %s", (tuple(seen_lines),))
        amounts = {row[0]: row[1:] for row in cr.fetchall()}
        components, done = [], set()
        position = {partial.id: index for index, partial in enumerate(partials)}
        for partial in partials:
            if partial.id in done:
                continue
            lines, links, todo = set(), set(), [partial.id]
            while todo:
                current = todo.pop()
                if current in links:
                    continue
                links.add(current)
                for aml in ends[current]:
                    if aml not in lines:
                        lines.add(aml)
                        todo.extend(graph[aml] - links)
            done |= links
            if any(full_of.get(link) for link in links):
                continue
            company = self.env["res.company"].browse(amounts[min(lines)][2])
            debit = sum(amounts[aml][0] for aml in lines)
            credit = sum(amounts[aml][1] for aml in lines)
            if float_compare(debit, credit, precision_rounding=company.currency_id.
                             rounding) == 0:
                last = max(position[link] for link in links if link in position)
                components.append((last, sorted(links), sorted(lines)))
        if not components:
            return
        components.sort()
        Full = self.env["account.full.reconcile"]
        Full.check_access_rights("create")
        names = self._names_by_code(RECONCILE_SEQUENCE,
                                    [False] * len(components))
        created = []
        fulls = self._create_rows(Full, [
            {"name": name, "exchange_move_id": False} for name in names],
            created)
        self._finish(created)
        Partial = self.env["account.partial.reconcile"]
        Line = self.env["account.move.line"]
        partial_values, line_values = OrderedDict(), OrderedDict()
        for full, (_last, links, lines) in zip(fulls, components):
            for link in links:
                partial_values[link] = {"full_reconcile_id": full.id}
            for aml in lines:
                line_values[aml] = {"full_reconcile_id": full.id}
        self._write_values(Partial.browse(list(partial_values)), partial_values)
        self._write_values(Line.browse(list(line_values)), line_values)

    @api.model
    def _link_statement_lines(self, plans, liquidities):
        """``process_reconciliation(payment_aml_rec=...)``: the liquidity
        item belongs to the statement line (the payment is ``reconciled``:
        written so when it was created)."""
        values = OrderedDict(
            (liquidity.id, {"statement_line_id": plan.statement_line.id,
                            "statement_id": plan.statement_line.statement_id.id})
            for plan, liquidity in zip(plans, liquidities) if plan.statement_line)
        if values:
            lines = self.env["account.move.line"].browse(list(values))
            self._write_values(lines, values)

    @api.model
    def _settle_residuals(self, partials, invoices):
        """What Odoo computes after the partial reconciles, computed here
        from the rows, in two statements: the reconciled items' residuals
        (``account.move.line._amount_residual``, company currency: the
        batch takes no other), then the bills' (``_compute_residual``),
        written with the paid state of the bills nothing is left of (see
        ``_mark_paid``). False when a compute method computes more fields
        than these (another add-on's): the ORM computes them instead."""
        Line = self.env["account.move.line"]
        Invoice = self.env["account.invoice"]
        line_group = {field.name for field in self._stored_group(
            Line, "amount_residual")}
        bill_group = {field.name for field in self._stored_group(
            Invoice, "residual")}
        if line_group != {"amount_residual", "amount_residual_currency",
                          "reconciled"} or bill_group != {
                              "residual", "residual_signed",
                              "residual_company_signed", "reconciled"}:
            return False
        if not partials or not invoices:
            return not partials and not invoices
        cr = self.env.cr
        cr.execute("""
            SELECT line.id, line.debit - line.credit
                   - COALESCE((SELECT sum(p.amount)
                                 FROM account_partial_reconcile p
                                WHERE p.debit_move_id = line.id), 0)
                   + COALESCE((SELECT sum(p.amount)
                                 FROM account_partial_reconcile p
                                WHERE p.credit_move_id = line.id), 0),
                   account.reconcile OR account.internal_type = 'liquidity',
                   line.currency_id IS NOT NULL OR line.debit = line.credit,
                   line.company_id
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
             WHERE line.id IN (SELECT debit_move_id FROM account_partial_reconcile
                                WHERE id IN %(partials)s
                               UNION
                               SELECT credit_move_id FROM account_partial_reconcile
                                WHERE id IN %(partials)s)
             ORDER BY line.id""", {"partials": tuple(partials.ids)})
        Company = self.env["res.company"]
        values = OrderedDict()
        for line_id, residual, reconcilable, special, company_id in cr.fetchall():
            if not reconcilable or special:
                raise BatchUnsupported("item %s: no residual of its own" % line_id)
            currency = Company.browse(company_id).currency_id
            residual = currency.round(residual)
            values[line_id] = {
                "amount_residual": residual, "amount_residual_currency": 0.0,
                "reconciled": currency.is_zero(residual)}
        self._write_values(Line.browse(list(values)), values)
        cr.execute("""
            SELECT invoice.id, invoice.type, invoice.state, invoice.company_id,
                   COALESCE(sum(line.amount_residual), 0)
              FROM account_invoice invoice
              LEFT JOIN account_move_line line
                ON line.move_id = invoice.move_id
               AND line.account_id = invoice.account_id
             WHERE invoice.id IN %s
             GROUP BY invoice.id ORDER BY invoice.id""", (tuple(invoices.ids),))
        paid, open_ = OrderedDict(), OrderedDict()
        for invoice_id, kind, state, company_id, total in cr.fetchall():
            currency = Company.browse(company_id).currency_id
            sign = -1 if kind in ("in_refund", "out_refund") else 1
            residual = currency.round(abs(total))
            reconciled = currency.is_zero(residual)
            vals = {"residual": residual, "residual_signed": residual * sign,
                    "residual_company_signed": residual * sign,
                    "reconciled": reconciled}
            if reconciled and state == "open":
                paid[invoice_id] = dict(vals, state="paid")
            else:
                open_[invoice_id] = vals
        for group in (paid, open_):
            self._write_values(Invoice.browse(list(group)), group)
        self._link_payment_items(partials, invoices)
        return True

    @api.model
    def _settle_matched_percentages(self):
        """What Odoo computes next, from the rows: the matched percentage of
        the entries whose items were reconciled
        (``account.move._compute_matched_percentage``), then the cash-basis
        amounts of their items (``account.move.line._compute_cash_basis``),
        each read in a query or two and written in one UPDATE. The floats
        are summed and rounded in the order and with the currencies Odoo
        uses, so they come out the same. Left to the ORM when another field
        is computed with them."""
        Move = self.env["account.move"]
        Line = self.env["account.move.line"]
        if [f.name for f in self._stored_group(Move, "matched_percentage")] != [
                "matched_percentage"] or {
                    f.name for f in self._stored_group(
                        Line, "debit_cash_basis")} != {
                            "debit_cash_basis", "credit_cash_basis",
                            "balance_cash_basis"}:
            return
        moves = self.env.field_todo(Move._fields["matched_percentage"])
        if not moves:
            return
        cr = self.env.cr
        Currency = self.env["res.currency"]
        # the items in the order of move.line_ids (simple lookups by index:
        # the plans do not hang on the statistics of tables just written)
        cr.execute("""
            SELECT line.move_id, line.id, line.debit, line.credit,
                   kind.type IN ('receivable', 'payable'),
                   COALESCE(move.currency_id, company.currency_id)
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN res_company company ON company.id = move.company_id
              JOIN account_account account ON account.id = line.account_id
              JOIN account_account_type kind ON kind.id = account.user_type_id
             WHERE line.move_id IN %s
             ORDER BY line.move_id, line.date DESC, line.id DESC""",
                   (tuple(moves.ids),))
        items = cr.fetchall()
        counted = [row[1] for row in items if row[4]]
        # of each counted item, its partial reconciles as matched_debit_ids
        # then matched_credit_ids, each in the order of their ids
        matched = defaultdict(list)
        if counted:
            cr.execute("""
                SELECT id, credit_move_id, debit_move_id, amount
                  FROM account_partial_reconcile
                 WHERE credit_move_id IN %(lines)s OR debit_move_id IN %(lines)s
                 ORDER BY id""", {"lines": tuple(counted)})
            partials = cr.fetchall()
            for _id, credit_id, _debit_id, amount in partials:
                matched[credit_id].append(amount)
            for _id, _credit_id, debit_id, amount in partials:
                matched[debit_id].append(amount)
        totals = OrderedDict()
        for move_id, line_id, debit, credit, counts, currency_id in items:
            total = totals.setdefault(move_id, [0.0, 0.0, currency_id])
            if counts:
                total[0] += abs(debit - credit)
                for amount in matched[line_id]:
                    total[1] += amount
        values = OrderedDict()
        for move_id, (amount, reconciled, currency_id) in totals.items():
            rounding = Currency.browse(currency_id).rounding
            values[move_id] = {"matched_percentage": 1.0 if float_is_zero(
                amount, precision_rounding=rounding) else reconciled / amount}
        self._write_values(Move.browse(list(values)), values)
        lines = self.env.field_todo(Line._fields["debit_cash_basis"])
        if not lines:
            return
        cr.execute("""
            SELECT line.id, line.debit, line.credit, journal.type,
                   move.matched_percentage, line.company_currency_id
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              LEFT JOIN account_journal journal ON journal.id = line.journal_id
             WHERE line.id IN %s ORDER BY line.id""", (tuple(lines.ids),))
        values = OrderedDict()
        for line_id, debit, credit, journal_type, matched, currency_id in \
                cr.fetchall():
            round_ = Currency.browse(currency_id).round if currency_id else float
            if journal_type in ("sale", "purchase"):
                debit, credit = round_(debit * matched), round_(credit * matched)
            else:
                debit, credit = round_(debit), round_(credit)
            values[line_id] = {"debit_cash_basis": debit,
                               "credit_cash_basis": credit,
                               "balance_cash_basis": round_(debit - credit)}
        self._write_values(Line.browse(list(values)), values)

    @api.model
    def _link_payment_items(self, partials, invoices):
        """``account.invoice._compute_payments`` of the bills: the items
        the new partial reconciles match with a bill's receivable items are
        among its payment items (the others stay), unless another field is
        computed with them."""
        field = invoices._fields["payment_move_line_ids"]
        if [f.name for f in self._stored_group(invoices, field.name)] != [
                field.name]:
            return
        self.env.cr.execute("""
            INSERT INTO "%(relation)s" ("%(invoice)s", "%(line)s")
            SELECT DISTINCT invoice.id, CASE WHEN p.debit_move_id = item.id
                                        THEN p.credit_move_id
                                        ELSE p.debit_move_id END
              FROM account_partial_reconcile p
              JOIN account_move_line item
                ON item.id IN (p.debit_move_id, p.credit_move_id)
              JOIN account_invoice invoice
                ON invoice.move_id = item.move_id
               AND invoice.account_id = item.account_id
             WHERE p.id IN %%(partials)s AND invoice.id IN %%(invoices)s
            ON CONFLICT DO NOTHING""" % {
            "relation": field.relation, "invoice": field.column1,
            "line": field.column2},
            {"partials": tuple(partials.ids), "invoices": tuple(invoices.ids)})
        self._mark_computed(invoices, [field.name])
        invoices.invalidate_cache([field.name])
        invoices.modified([field.name])

    @api.model
    def _mark_paid(self, invoices):
        """``account.invoice._write``: an open bill nothing is left of is
        paid (``action_invoice_paid``). Its residual, computed now, is
        written with the state, which it depends on: it is not computed
        again."""
        invoices.invalidate_cache(["state"])
        paid = invoices.filtered(lambda inv: inv.reconciled and inv.state == "open")
        if not paid:
            return
        group = [field.name for field in self._stored_group(paid, "residual")]
        self._write_values(paid, OrderedDict(
            (invoice.id, dict({name: invoice[name] for name in group},
                              state="paid")) for invoice in paid))

    # -- receipts ------------------------------------------------------------------

    @api.model
    def _create_receipts(self, service, plans, payments):
        """``_write_receipt`` for every plan: the receipts and their lines,
        numbered per estate in the order of ``plans``."""
        sequences = {}
        for plan in plans:
            if plan.estate.id not in sequences:
                sequences[plan.estate.id] = plan.estate.sudo()._receipt_sequence()
        names = self._names_in_order(
            [sequences[plan.estate.id] for plan in plans],
            [plan.date for plan in plans])
        vals_list, units = [], []
        for plan, payment, name in zip(plans, payments, names):
            vals = self._receipt_vals(service, plan, payment, name)
            units.append(vals.pop("unit_ids"))
            vals_list.append(vals)
        batch = self.sudo()
        created = []
        Receipt = batch.env["property.receipt"]
        receipts = batch._create_rows(
            Receipt, vals_list, created, shared_defaults=True,
            computed=[{"channel_code": plan.channel.code} for plan in plans])
        # the units of the receipts' lines (computed, a many2many: written
        # here, the engine writes columns)
        field = Receipt._fields["unit_ids"]
        links = [(receipt.id, unit_id) for receipt, unit_ids in zip(receipts, units)
                 for unit_id in unit_ids]
        if links:
            execute_values(self.env.cr, 'INSERT INTO "%s" ("%s", "%s") VALUES %%s'
                           % (field.relation, field.column1, field.column2), links)
        batch._finish(created)
        return receipts

    @api.model
    def _receipt_vals(self, service, plan, payment, name):
        currency = plan.company.currency_id
        lines = []
        units = []
        for allocated in plan.allocation.lines:
            invoice = self._invoice(allocated.key)
            invoice_lines = invoice.invoice_line_ids
            shares = rules.split_over_lines(
                allocated.amount,
                [_decimal(line.price_total) for line in invoice_lines],
                precision=_decimal(currency.rounding))
            for line, share in zip(invoice_lines, shares):
                lines.append({
                    "sequence": len(lines) + 1, "kind": "bill",
                    "invoice_id": invoice.id, "invoice_line_id": line.id,
                    "unit_id": invoice.property_unit_id.id,
                    "name": line.name or invoice.number,
                    "period": service._period_label(invoice),
                    "amount": float(share),
                })
                if invoice.property_unit_id:
                    units.append(invoice.property_unit_id.id)
        if plan.allocation.advance:
            lines.append({
                "sequence": len(lines) + 1, "kind": "advance",
                "name": _("Advance payment (credit)"),
                "amount": float(plan.allocation.advance),
            })
        tendered = plan.tendered
        return {
            "name": name,
            "company_id": plan.company.id,
            "estate_id": plan.estate.id,
            "partner_id": plan.payer.id,
            "date": plan.date,
            "channel_id": plan.channel.id,
            "serial": plan.serial or False,
            "reference": plan.reference or False,
            "cashier_id": self.env.uid,
            "payment_id": payment.id,
            "statement_line_id": plan.statement_line.id
            if plan.statement_line else False,
            "currency_id": currency.id,
            "amount": payment.amount,
            "allocated_amount": float(plan.allocation.allocated),
            "advance_amount": float(plan.allocation.advance),
            "tendered_amount": float(tendered) if tendered is not None else 0.0,
            "change_amount": plan.change,
            "note": plan.note or False,
            "line_ids": [(0, 0, line) for line in lines],
            "unit_ids": list(OrderedDict.fromkeys(units)),
        }

    # -- numbers ---------------------------------------------------------------------

    @api.model
    def _names_by_code(self, code, dates):
        """The names ``next_by_code(code)`` would draw for each of ``dates``
        (False: today), in order; None where the company has no sequence."""
        Sequence = self.env["ir.sequence"]
        Sequence.check_access_rights("read")
        company = self._context.get("force_company") or \
            self.env.user.company_id.id
        sequence = Sequence.sudo().search([
            ("code", "=", code), ("company_id", "in", [company, False])],
            order="company_id", limit=1)
        if not sequence:
            return [None] * len(dates)
        return self._reserve_dated(sequence, dates)

    @api.model
    def _journal_names(self, plans):
        """The entries' names (the journal's sequence), in order."""
        for plan in plans:
            sequence = plan.journal.sequence_id
            if not sequence or not sequence.active:
                raise BatchUnsupported("journal %s without an active sequence"
                                       % plan.journal.code)
        return self._names_in_order(
            [plan.journal.sequence_id for plan in plans],
            [plan.date for plan in plans])

    @api.model
    def _names_in_order(self, sequences, dates):
        """The names ``next_by_id`` would draw from ``sequences[i]`` for
        ``dates[i]``, one after the other; the sequences are taken in the
        order of their ids (two batches never wait for each other's lock)."""
        names = [None] * len(sequences)
        by_sequence = defaultdict(list)
        for index, sequence in enumerate(sequences):
            by_sequence[sequence.id].append(index)
        Sequence = self.env["ir.sequence"]
        for sequence_id in sorted(by_sequence):
            indexes = by_sequence[sequence_id]
            for index, name in zip(indexes, self._reserve_dated(
                    Sequence.browse(sequence_id), [dates[i] for i in indexes])):
                names[index] = name
        return names

    @api.model
    def _reserve_dated(self, sequence, dates):
        """``next_by_id`` of ``sequence`` for each of ``dates`` (False:
        today), in order: each run of one date reserved at once."""
        invoice_batch = self.env["property.invoice.batch"].sudo()
        today = fields.Date.context_today(self)
        dates = [date or today for date in dates]
        names, start = [], 0
        while start < len(dates):
            end = start
            while end < len(dates) and dates[end] == dates[start]:
                end += 1
            names.extend(invoice_batch._reserve(sequence.sudo(), dates[start],
                                                end - start))
            start = end
        return names


class PropertyPaymentService(models.AbstractModel):
    # the batch entry point of the service lives with the batch it drives
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "property.payment.service"

    @api.model
    def _pay_many(self, requests):
        """``_pay`` for each of ``requests`` in one batch (a bank statement's
        matched lines): see ``property.payment.batch``. Returns one item per
        request: its receipt or the error that refused it."""
        return self.env["property.payment.batch"]._pay_many(requests)

    @api.model
    def _pay_one(self, payer, amount, channel_code, **kwargs):
        """``_pay`` through the batch path: the same receipt and rows,
        written in bulk (a counter payment with its receipt in a few
        statements); the error that refuses it is raised, nothing written."""
        result = self._pay_many([dict(kwargs, payer=payer, amount=amount,
                                      channel_code=channel_code)])[0]
        if isinstance(result, Exception):
            raise result
        return result
