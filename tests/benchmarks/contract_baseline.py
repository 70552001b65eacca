"""OCA ``contract`` (11.0) on the bills of a billing run, for comparison.

The benchmark scripts of this folder import it. It needs a database where the OCA
add-on ``contract`` is installed next to property_billing (see
``benchmark_harness.ensure_bench_database``; the add-on is pinned in
requirements/bench.txt). In contract 11.0 a contract is an
``account.analytic.account`` with ``recurring_invoices`` set and its lines are
``account.analytic.invoice.line`` records.

``time_contract(env, run, plan)`` turns every (unit, partner) bill of ``plan``
into one monthly contract with one line per planned line (the fee item's product,
quantity 1, the planned amount as a fixed price, the run's sale journal), then
times what contract's daily cron does with them (``recurring_create_invoice``,
draft invoices) and Odoo validating those drafts one by one
(``action_invoice_open``). It checks every invoice against the plan and raises
``ContractBaselineError`` on a difference. It writes to the database: run it in a
transaction the caller rolls back.
"""

import time
from decimal import Decimal

NEXT_DATE = "2026-03-01"


class ContractBaselineError(Exception):
    """contract's invoices are not the bills of the plan."""


def _groups(plan):
    """{(unit_id, partner_id): [PlannedLine]} of a billing.Plan or of the
    OrderedDict its ``by_invoice()`` returns."""
    return plan.by_invoice() if hasattr(plan, "by_invoice") else plan


def make_contracts(env, run, plan, next_date=NEXT_DATE):
    """One recurring contract per bill of ``plan``; returns (contracts,
    {contract id: (Decimal total, line count)})."""
    company = run.company_id
    currency = run.currency_id
    pricelist = env["product.pricelist"].search(
        [("currency_id", "=", currency.id),
         ("company_id", "in", [company.id, False])], limit=1)
    Item = env["property.fee.item"]
    Unit = env["property.unit"]
    Contract = env["account.analytic.account"]
    contracts = Contract
    expected = {}
    for (unit_id, partner_id), lines in _groups(plan).items():
        lines_vals = []
        for sequence, line in enumerate(lines, 1):
            item = Item.browse(line.item)
            product = item.product_id
            lines_vals.append((0, 0, {
                "sequence": sequence,
                "product_id": product.id,
                "name": item.name,
                "quantity": 1.0,
                "uom_id": product.uom_id.id,
                "automatic_price": False,
                "specific_price": float(line.amount),
            }))
        contract = Contract.create({
            "name": "contract baseline %s" % Unit.browse(unit_id).code,
            "partner_id": partner_id,
            "company_id": company.id,
            "journal_id": run.journal_id.id,
            "pricelist_id": pricelist.id,
            "recurring_invoices": True,
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "recurring_invoicing_type": "pre-paid",
            "date_start": next_date,
            "recurring_next_date": next_date,
            "recurring_invoice_line_ids": lines_vals,
        })
        contracts |= contract
        expected[contract.id] = (
            sum((line.amount for line in lines), Decimal(0)), len(lines))
    return contracts, expected


def check_invoices(invoices, expected, currency, states):
    """Raise ContractBaselineError unless ``invoices`` are one per contract of
    ``expected`` with its total and line count, in one of ``states``."""
    problems = []
    seen = set()
    for invoice in invoices:
        contract_id = invoice.contract_id.id
        if contract_id not in expected:
            problems.append("%s: no contract of the plan" % invoice.id)
            continue
        if contract_id in seen:
            problems.append("contract %s invoiced twice" % contract_id)
        seen.add(contract_id)
        total, count = expected[contract_id]
        if currency.compare_amounts(invoice.amount_total, float(total)):
            problems.append("invoice %s: total %s, plan %s" % (
                invoice.id, invoice.amount_total, total))
        if len(invoice.invoice_line_ids) != count:
            problems.append("invoice %s: %d lines, plan %d" % (
                invoice.id, len(invoice.invoice_line_ids), count))
        if invoice.currency_id != currency:
            problems.append("invoice %s: currency %s" % (
                invoice.id, invoice.currency_id.name))
        if invoice.state not in states:
            problems.append("invoice %s: state %s" % (invoice.id, invoice.state))
    missing = set(expected) - seen
    if missing:
        problems.append("%d contracts without an invoice" % len(missing))
    if problems:
        raise ContractBaselineError(
            "%d problems: %s" % (len(problems), "; ".join(problems[:10])))


def time_contract(env, run, plan, validate_limit=None, next_date=NEXT_DATE,
                  verbose=True):
    """Time OCA contract invoicing the bills of ``plan`` (a billing.Plan of
    ``run``, a property.billing.run, or its ``by_invoice()``), then Odoo
    validating them one by one (only the first ``validate_limit`` if given).

    Returns a dict: contracts, lines, setup_s (creating the contracts, not
    timed in the rates), invoices, drafts_s, drafts_per_s, validated,
    validate_s, validated_per_s and end_to_end_per_s (one invoice's draft time
    plus its validation time, inverted: invoices / (drafts_s + validate_s) when
    every invoice is validated). Tracking is off (FAST_CONTEXT) as in the
    billing run's own benchmark.
    """
    from odoo.addons.property_billing.models.property_billing_run import (
        FAST_CONTEXT,
    )

    if "account.analytic.invoice.line" not in env.registry:
        raise ContractBaselineError(
            "the OCA add-on contract is not installed in %s" % env.cr.dbname)
    env = env(context=dict(env.context, **FAST_CONTEXT))
    run = run.with_env(env)
    currency = run.currency_id

    t0 = time.time()
    contracts, expected = make_contracts(env, run, plan, next_date)
    setup_s = time.time() - t0

    # What contract's cron (cron_recurring_create_invoice) runs on the contracts
    # it finds due; called on ours only, so other contracts of the database and
    # today's date do not matter.
    t0 = time.time()
    invoices = contracts.with_context(cron=True).recurring_create_invoice()
    drafts_s = time.time() - t0
    check_invoices(invoices, expected, currency, ("draft",))

    to_open = invoices[:validate_limit] if validate_limit else invoices
    t0 = time.time()
    for invoice in to_open:
        invoice.action_invoice_open()
    validate_s = time.time() - t0
    to_open.invalidate_cache()
    check_invoices(to_open, {i.contract_id.id: expected[i.contract_id.id]
                             for i in to_open}, currency, ("open", "paid"))

    count = len(invoices)
    drafts_per_s = count / drafts_s if drafts_s else 0.0
    validated_per_s = len(to_open) / validate_s if validate_s else 0.0
    end_to_end_per_s = (1.0 / (1.0 / drafts_per_s + 1.0 / validated_per_s)
                        if drafts_per_s and validated_per_s else 0.0)
    figures = {
        "contracts": len(contracts),
        "lines": sum(n for _total, n in expected.values()),
        "setup_s": setup_s,
        "invoices": count,
        "drafts_s": drafts_s,
        "drafts_per_s": drafts_per_s,
        "validated": len(to_open),
        "validate_s": validate_s,
        "validated_per_s": validated_per_s,
        "end_to_end_per_s": end_to_end_per_s,
    }
    if verbose:
        print("OCA contract on %(invoices)d bills (%(lines)d lines; contracts "
              "made in %(setup_s).1f s): drafts %(drafts_s).1f s "
              "(%(drafts_per_s).1f inv/s), validated %(validated)d one by one "
              "in %(validate_s).1f s (%(validated_per_s).1f inv/s), end to end "
              "%(end_to_end_per_s).1f inv/s" % figures)
    return figures
