"""Benchmark of payments: a bank statement imported and auto-matched, Odoo's
stock path on a sample, and counter payments.

Run with the venv's Python against a database where property_payment is installed:

    .venv/bin/python tests/benchmarks/bench_payments.py -d DB [--units 10000]
        [--sample 200] [--counter 200]

In one transaction rolled back at the end (nothing stays in the database):

1. builds ``--units`` units (one estate, the demo generator), three published fee
   standards and their billing run of March 2026 posted (as bench_billing_run.py),
   so that every occupied unit has one open bill;
2. writes a bank CSV with one credit per bill (the bill's residual, the bill number
   in the memo, a serial number each) but for the samples of steps 3 to 5, imports
   it through Odoo's statement import with the suite's mapping
   (``account.bank.statement.import``), which auto-matches the lines and pays the
   matched ones through the allocation service's batch path
   (``property.payment.service._pay_many``), and prints lines per second, the
   seconds and the peak memory (RSS) of this process during the import;
3. on ``--sample`` other bills, Odoo's stock path per bill: a statement line, a
   registered payment (``account.payment`` with ``invoice_ids``, ``post``, which
   reconciles the bill) and the statement line's ``process_reconciliation`` with
   the payment's liquidity item; prints the time per line and the ratio to the
   import's time per line (import, matching and payment against payment and
   reconciliation only);
4. on ``--sample`` other bills, the allocation service one line at a time
   (``_pay`` with the statement line, what the import did before the batch path);
5. ``--counter`` counter payments: a unit searched by its code, its payer's open
   bills, ``_pay_one`` in cash with the receipt (the service's batch path, as
   the counter screen collects); prints p50 and p95 in ms.

It prints figures and asserts nothing.
"""

import base64
import gc
import os
import statistics
import sys
import time

from benchmark_harness import open_registry, parser, peak_mb

PAY_DATE = "2026-03-20"


def rss_mb(field="VmRSS"):
    """This process's resident memory now (VmRSS) or its peak (VmHWM), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    return peak_mb()


def reset_peak():
    """Start measuring the peak resident memory again from now (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def main(argv):
    options = parser(__doc__)
    options.add_argument("--sample", type=int, default=200,
                         help="bills paid through Odoo's stock path, and as many "
                              "through _pay one by one")
    options.add_argument("--counter", type=int, default=200,
                         help="counter payments timed")
    args = options.parse_args(argv)

    from odoo import api

    with api.Environment.manage():
        registry = open_registry(args)
        with registry.cursor() as cr:
            try:
                run(cr, args)
            finally:
                cr.rollback()


def run(cr, args):
    from odoo import SUPERUSER_ID, api

    from odoo.addons.property_billing.models import property_billing_run as module

    env = api.Environment(cr, SUPERUSER_ID, dict(module.FAST_CONTEXT))
    t0 = time.time()
    bills = build(env, args)
    build_s = time.time() - t0
    print("register of %d units and %d open bills built and billed in %.0f s"
          % (args.units, len(bills), build_s))
    sys.stdout.flush()
    sample = args.sample
    stock_bills = bills[:sample]
    orm_bills = bills[sample:2 * sample]
    counter_bills = bills[2 * sample:2 * sample + args.counter]
    statement_bills = bills[2 * sample + args.counter:]
    cashier = bench_user(env)

    lines, import_s, peak, base, matched = import_statement(
        env, cashier, statement_bills)
    per_line_ms = 1000.0 * import_s / lines
    print("statement import + auto-match + payment (batch path): %d lines, %d "
          "matched and paid, %.1f s, %.0f lines/s, %.2f ms per line" % (
              lines, matched, import_s, lines / import_s, per_line_ms))
    print("  peak memory of the process during the import: %.0f MB (RSS %.0f MB "
          "before it)" % (peak, base))
    sys.stdout.flush()
    stock = stock_path(env, cashier, stock_bills)
    print("Odoo's stock path (payment with invoice_ids, post, statement line "
          "process_reconciliation), %d bills: %.1f ms per line; ratio %.1f x" % (
              len(stock_bills), stock, stock / per_line_ms))
    sys.stdout.flush()
    orm = orm_path(env, cashier, orm_bills)
    print("allocation service one line at a time (_pay with statement_line), %d "
          "bills: %.1f ms per line; ratio %.1f x" % (
              len(orm_bills), orm, orm / per_line_ms))
    sys.stdout.flush()
    counter = counter_payments(env, cashier, counter_bills)
    print("counter payment (unit searched by code, its bills, _pay_one in "
          "cash), %d payments: p50 %.0f ms, p95 %.0f ms, max %.0f ms"
          % counter)


def build(env, args):
    """The register, the fee standards and the posted billing run; returns the
    open bills, oldest first."""
    from bench_billing_run import _new_run

    from odoo.addons.property_billing.models import property_billing_run as module

    run = _new_run(env, args.units, args.seed)
    unit_ids = run._scope_units().ids
    run.write({"state": "generating", "unit_count": len(unit_ids)})
    for start in range(0, len(unit_ids), module.CHUNK_SIZE):
        run._generate_chunk(unit_ids[start:start + module.CHUNK_SIZE])
        env.clear()
    invoice_ids = run.invoice_ids.ids
    for start in range(0, len(invoice_ids), module.POST_CHUNK_SIZE):
        run._post_chunk(invoice_ids[start:start + module.POST_CHUNK_SIZE])
        env.clear()
    return env["account.invoice"].search([
        ("property_billing_run_id", "=", run.id), ("state", "=", "open")],
        order="id")


def bench_user(env):
    """A cashier who is also an accountant (imports statements)."""
    groups = [env.ref("base.group_user").id,
              env.ref("property_billing.group_billing_user").id,
              env.ref("account.group_account_user").id]
    return env["res.users"].with_context(no_reset_password=True).create({
        "name": "Bench Cashier", "login": "bench_cashier_%d" % os.getpid(),
        "lang": "en_US", "company_id": env.user.company_id.id,
        "company_ids": [(6, 0, [env.user.company_id.id])],
        "groups_id": [(6, 0, groups)]})


def statement_csv(bills):
    header = "交易日期,借方发生额,贷方发生额,对方户名,对方账号,摘要,流水号"
    rows = ["账号,1002 0000 9999", "户名,翠湖物业", header]
    for index, bill in enumerate(bills):
        rows.append("%s,,%.2f,%s,,物业费 %s,BENCH%07d" % (
            PAY_DATE.replace("-", ""), bill.residual,
            bill.partner_id.name.replace(",", " "), bill.number, index))
    rows.append("合计,,,,,,")
    return "\r\n".join(rows).encode("gb18030")


def import_statement(env, cashier, bills):
    """The CSV imported and matched through the statement import wizard."""
    company = env.user.company_id
    mapping = env["property.bank.statement.mapping"].create({
        "name": "Bench bank %d" % os.getpid(), "company_id": company.id,
        "skip_header": 2, "skip_footer": 1,
        "date_column": "交易日期", "debit_column": "借方发生额",
        "credit_column": "贷方发生额", "name_column": "对方户名",
        "account_column": "对方账号", "memo_column": "摘要",
        "serial_column": "流水号", "date_formats": "%Y%m%d"})
    data = statement_csv(bills)
    env["property.payment.channel"]._get("transfer", company)
    env.clear()
    gc.collect()
    base = rss_mb()
    measured = reset_peak()
    user_env = env(user=cashier.id)
    wizard = user_env["account.bank.statement.import"].create({
        "data_file": base64.b64encode(data), "filename": "bench.csv",
        "property_mapping_id": mapping.id})
    t0 = time.time()
    wizard.import_file()
    elapsed = time.time() - t0
    peak = rss_mb("VmHWM") if measured else peak_mb()
    env.cr.execute("""
        SELECT count(*), count(*) FILTER (WHERE property_match_state = 'matched')
          FROM account_bank_statement_line WHERE ref LIKE 'BENCH%%'""")
    lines, matched = env.cr.fetchone()
    env.clear()
    return lines, elapsed, peak, base, matched


def _statement(env, bills, name):
    journal = env["property.payment.channel"]._get(
        "transfer", env.user.company_id).journal_id
    statement = env["account.bank.statement"].create({
        "journal_id": journal.id, "date": PAY_DATE, "name": name,
        "line_ids": [(0, 0, {
            "name": "物业费 %s" % bill.number, "amount": bill.residual,
            "date": PAY_DATE, "partner_id": bill.commercial_partner_id.id,
            "ref": "%s%05d" % (name, index)})
            for index, bill in enumerate(bills)]})
    return journal, statement.line_ids.sorted("id")


def stock_path(env, cashier, bills):
    """Odoo's register payment and reconciliation, bill by bill (ms per line)."""
    if not bills:
        return 0.0
    journal, lines = _statement(env, bills, "STOCK")
    user_env = env(user=cashier.id)
    method = journal.inbound_payment_method_ids[:1]
    env.clear()
    t0 = time.time()
    for bill, line in zip(bills, lines):
        payment = user_env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": bill.commercial_partner_id.id, "amount": bill.residual,
            "journal_id": journal.id, "payment_date": PAY_DATE,
            "payment_method_id": method.id, "communication": bill.number,
            "invoice_ids": [(6, 0, [bill.id])]})
        payment.post()
        liquidity = payment.move_line_ids.filtered(
            lambda aml: aml.account_id.internal_type == "liquidity")
        line.sudo(cashier.id).process_reconciliation(payment_aml_rec=liquidity)
    elapsed = time.time() - t0
    paid = sum(1 for bill in env["account.invoice"].browse(
        [bill.id for bill in bills]) if bill.state == "paid")
    print("stock path: %d of %d bills paid" % (paid, len(bills)))
    return 1000.0 * elapsed / len(bills)


def orm_path(env, cashier, bills):
    """The allocation service one statement line at a time (ms per line)."""
    if not bills:
        return 0.0
    _journal, lines = _statement(env, bills, "ORM")
    service = env(user=cashier.id)["property.payment.service"]
    env.clear()
    t0 = time.time()
    for bill, line in zip(bills, lines):
        service._pay(bill.commercial_partner_id, line.amount, "transfer",
                     invoices=bill, date=PAY_DATE, serial=line.ref,
                     statement_line=line)
    elapsed = time.time() - t0
    return 1000.0 * elapsed / len(bills)


def counter_payments(env, cashier, bills):
    """Search by unit code, then pay its payer's bills in cash: (p50, p95, max)
    in ms."""
    if not bills:
        return 0, 0.0, 0.0, 0.0
    codes = [(bill.property_unit_id.code, bill.property_estate_id.id)
             for bill in bills]
    user_env = env(user=cashier.id)
    Unit = user_env["property.unit"]
    Invoice = user_env["account.invoice"]
    service = user_env["property.payment.service"]
    env.clear()
    times, numbers = [], []
    for code, estate_id in codes:
        t0 = time.perf_counter()
        unit = Unit.search([("code", "=", code), ("estate_id", "=", estate_id)],
                           limit=1)
        open_bills = Invoice.search([
            ("property_unit_id", "=", unit.id), ("state", "=", "open"),
            ("type", "=", "out_invoice")], order="date_due, id")
        payer = open_bills[:1].commercial_partner_id
        # a unit's bills of its payer (units of two buildings share codes)
        open_bills = open_bills.filtered(
            lambda bill, payer=payer: bill.commercial_partner_id == payer)
        if not open_bills:
            continue
        total = sum(open_bills.mapped("residual"))
        receipt = service._pay_one(payer, total, "cash", invoices=open_bills,
                                   date=PAY_DATE, estate=unit.estate_id,
                                   tendered=total)
        numbers.append(receipt.name)  # the receipt as printed: its number
        times.append(1000.0 * (time.perf_counter() - t0))
        user_env.clear()
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    return len(times), statistics.median(times), p95, times[-1]


if __name__ == "__main__":
    main(sys.argv[1:])
