"""Benchmark of the daily dunning run (每日催缴) against OCA account_credit_control's
run on the same overdue bills.

Run with the venv's Python. The benchmark database gets property_dunning and OCA
``account_credit_control`` (pinned in requirements/bench.txt: in the venv and in
that database only, never a module of the suite's databases); it is created when
it does not exist:

    .venv/bin/pip install --no-deps -r requirements/bench.txt
    .venv/bin/python tests/benchmarks/bench_dunning.py -d pdbench [--payers 5000]
        [--bills 2] [--upgrade]

(``--upgrade`` first upgrades property_dunning in an existing database, after the
add-on changed.) In one transaction rolled back at the end (nothing stays):

1. builds a register with the demo generator (one estate), takes ``--payers``
   owners with one unit each, makes them reachable by SMS (consent) and writes
   ``--bills`` posted bills per payer (monthly 物业管理费 from 2026-02, each due at
   the end of its month) through the suite's invoice batch;
2. gives the estate its own dunning policy (the default ladder) and times our
   daily run on 2026-05-06 10:00 local time (``property.dunning.run._run``): one
   step per payer covering all the payer's overdue bills;
3. configures credit control the way its README says (a policy on the bills'
   receivable account with three levels: e-mail 10 days after the due date, e-mail
   7 days after it, letter 15 days after that; the company's default policy) and
   times its run on the same date (``credit.control.run`` created, then
   ``generate_credit_lines``): one line per overdue invoice;
4. prints the seconds, the peak memory of the process during each run (resident
   memory, VmHWM after resetting it; the growth over the memory before the run
   beside it), the ratio and the counts, with the targets beside them: at least
   5 times faster, one step per payer.

Both runs start with an empty cache and the context the scheduler gives
(none): each does what it does in production, mail included (credit control's
lines are mail threads). It prints figures and asserts nothing.
"""

import calendar
import gc
import os
import subprocess
import sys
import time
import uuid
from datetime import datetime

from benchmark_harness import (
    ROOT, ensure_bench_database, open_registry, parser, peak_mb)

MODULES = ["property_dunning", "account_credit_control"]
# 2026-05-06 10:00 in Shanghai, as naive UTC
RUN_AT = datetime(2026, 5, 6, 2, 0)
RUN_DATE = "2026-05-06"
FIRST_PERIOD = (2026, 2)
BATCH = 500
TARGET_RATIO = 5.0


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
    options.add_argument("--payers", type=int, default=5000)
    options.add_argument("--bills", type=int, default=2,
                         help="overdue bills per payer")
    options.add_argument("--upgrade", action="store_true",
                         help="upgrade property_dunning in the database first")
    args = options.parse_args(argv)
    created = ensure_bench_database(args.database, MODULES, args.config)
    if args.upgrade and not created:
        upgrade(args)

    from odoo import api

    with api.Environment.manage():
        registry = open_registry(args)
        with registry.cursor() as cr:
            try:
                run(cr, args)
            finally:
                cr.rollback()


def upgrade(args):
    python = os.path.join(ROOT, ".venv", "bin", "python")
    env = dict(os.environ)
    scripts = os.path.join(ROOT, "scripts")
    env["PYTHONPATH"] = os.pathsep.join(
        [scripts] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    subprocess.check_call(
        [python if os.path.exists(python) else sys.executable,
         os.path.join(scripts, "odoo_tasks.py"), args.config, "upgrade",
         args.database, "--modules", "property_dunning"], env=env)


def run(cr, args):
    from odoo import SUPERUSER_ID, api

    from odoo.addons.property_billing.models import property_billing_run as module

    env = api.Environment(cr, SUPERUSER_ID, dict(module.FAST_CONTEXT))
    t0 = time.time()
    estate, bill_ids, payer_count = build(env, args)
    print("%d payers with %d posted bills built in %.0f s"
          % (payer_count, len(bill_ids), time.time() - t0))
    sys.stdout.flush()
    policy_id = dunning_policy(env, estate)
    cc_policy_id = credit_control_policy(env, bill_ids)

    # the runs themselves as the scheduler runs them: no special context
    plain = api.Environment(cr, SUPERUSER_ID, {})
    ours = measure(plain, lambda e: e["property.dunning.run"]._run(
        e["property.dunning.policy"].browse(policy_id), now=RUN_AT).id)
    cr.execute("SELECT count(*), count(DISTINCT payer_id) FROM "
               "property_dunning_step WHERE run_id = %s", (ours["result"],))
    steps, stepped_payers = cr.fetchone()
    cr.execute("""SELECT count(*) FROM property_dunning_step_line line
                    JOIN property_dunning_step s ON s.id = line.step_id
                   WHERE s.run_id = %s""", (ours["result"],))
    step_bills = cr.fetchone()[0]
    print("our daily run: %d steps for %d payers, covering %d bills, in %.1f s, "
          "peak %.0f MB (+%.0f MB)" % (steps, stepped_payers, step_bills,
                                       ours["seconds"], ours["peak"],
                                       ours["peak"] - ours["base"]))
    sys.stdout.flush()

    theirs = measure(plain, lambda e: credit_control_run(e, cc_policy_id))
    cr.execute("SELECT count(*), count(DISTINCT partner_id) FROM "
               "credit_control_line WHERE run_id = %s", (theirs["result"],))
    lines, line_partners = cr.fetchone()
    print("credit control's run: %d lines for %d partners in %.1f s, peak %.0f "
          "MB (+%.0f MB)" % (lines, line_partners, theirs["seconds"],
                             theirs["peak"], theirs["peak"] - theirs["base"]))
    ratio = theirs["seconds"] / ours["seconds"] if ours["seconds"] else 0.0
    print()
    print("%-26s %10s %10s %12s %16s" % (
        "run", "seconds", "peak MB", "records", "per payer"))
    print("%-26s %10.1f %10.0f %12d %16.2f" % (
        "property_dunning (steps)", ours["seconds"], ours["peak"], steps,
        steps / payer_count if payer_count else 0.0))
    print("%-26s %10.1f %10.0f %12d %16.2f" % (
        "credit control (lines)", theirs["seconds"], theirs["peak"], lines,
        lines / payer_count if payer_count else 0.0))
    print()
    print("faster than credit control: %.1f x (target: at least %.0f x) -> %s"
          % (ratio, TARGET_RATIO, "met" if ratio >= TARGET_RATIO else "NOT met"))
    print("steps per payer: %.2f (target: 1, credit control: %.2f lines per "
          "payer, one per invoice) -> %s" % (
              steps / payer_count if payer_count else 0.0,
              lines / payer_count if payer_count else 0.0,
              "met" if steps == stepped_payers == payer_count else "NOT met"))


def measure(env, function):
    """``function(env)`` timed, with the peak resident memory during it."""
    env.clear()
    gc.collect()
    base = rss_mb()
    measured = reset_peak()
    t0 = time.time()
    result = function(env)
    env["res.partner"].recompute()
    seconds = time.time() - t0
    peak = rss_mb("VmHWM") if measured else peak_mb()
    env.clear()
    return {"result": result, "seconds": seconds, "peak": peak, "base": base}


# -- the data --------------------------------------------------------------------

def build(env, args):
    """The register, its payers and their posted bills: (estate, bill ids,
    payers)."""
    tag = uuid.uuid4().hex[:6].upper()
    # a margin of units: some owners own more than one
    generated = env["property.demo.generator"]._generate(
        seed=args.seed, units=int(args.payers * 1.3) + 10, estates=1,
        code_prefix="D%s" % tag)
    estate = env["property.estate"].browse(generated["estate_ids"][0])
    env.cr.execute("""
        SELECT DISTINCT ON (occ.partner_id) occ.partner_id, occ.unit_id, u.area
          FROM property_occupancy occ
          JOIN property_unit u ON u.id = occ.unit_id
         WHERE u.estate_id = %s AND occ.role = 'owner'
         ORDER BY occ.partner_id, occ.unit_id""", (estate.id,))
    owners = env.cr.fetchall()[:args.payers]
    if len(owners) < args.payers:
        print("only %d owners in the register" % len(owners))
    # reachable by SMS, as most owners are once they consented
    env.cr.execute("""UPDATE res_partner SET property_sms_consent = TRUE
                       WHERE id = ANY(%s) AND COALESCE(mobile, '') != ''""",
                   ([partner for partner, _unit, _area in owners],))
    env["res.partner"].invalidate_cache()
    account = env["account.account"].search([
        ("company_id", "=", env.user.company_id.id),
        ("user_type_id", "=", env.ref("account.data_account_type_revenue").id)],
        order="code", limit=1)
    vals_list = []
    year, month = FIRST_PERIOD
    for _index in range(args.bills):
        period = "%04d-%02d" % (year, month)
        last = calendar.monthrange(year, month)[1]
        for partner, unit, area in owners:
            vals_list.append({
                "partner_id": partner, "type": "out_invoice",
                "property_unit_id": unit, "billing_period": period,
                "date_invoice": "%s-01" % period,
                "date_due": "%s-%02d" % (period, last),
                "invoice_line_ids": [(0, 0, {
                    "name": "物业管理费 %s" % period, "quantity": 1.0,
                    "price_unit": round((area or 80.0) * 2.80, 2),
                    "account_id": account.id})]})
        month += 1
        if month > 12:
            year, month = year + 1, 1
    batch = env["property.invoice.batch"]
    bill_ids = []
    for start in range(0, len(vals_list), BATCH):
        invoices = batch._create_invoices(vals_list[start:start + BATCH])
        batch._post_invoices(invoices)
        bill_ids.extend(invoices.ids)
        env.clear()
    env.cr.execute("SELECT count(*) FROM account_invoice WHERE id = ANY(%s) "
                   "AND state = 'open'", (bill_ids,))
    opened = env.cr.fetchone()[0]
    if opened != len(bill_ids):
        print("only %d of %d bills open" % (opened, len(bill_ids)))
    return estate, bill_ids, len(owners)


def dunning_policy(env, estate):
    """The estate's own policy: a copy of the default ladder."""
    default = env.ref("property_dunning.policy_default")
    return default.copy({"name": "Bench policy %s" % estate.code,
                         "estate_id": estate.id,
                         "company_id": estate.company_id.id}).id


def credit_control_policy(env, bill_ids):
    """Credit control's policy on the bills' receivable account, the company's
    default, with three levels."""
    env.cr.execute("SELECT DISTINCT account_id FROM account_invoice "
                   "WHERE id = ANY(%s)", (bill_ids,))
    accounts = [row[0] for row in env.cr.fetchall()]
    template = env.ref("account_credit_control.email_template_credit_control_base")
    levels = [
        ("Reminder", 1, "net_days", 10, "email"),
        ("Second reminder", 2, "previous_date", 7, "email"),
        ("Formal notice", 3, "previous_date", 15, "letter"),
    ]
    policy = env["credit.control.policy"].create({
        "name": "Bench credit control", "company_id": env.user.company_id.id,
        "account_ids": [(6, 0, accounts)],
        "level_ids": [(0, 0, {
            "name": name, "level": level, "computation_mode": mode,
            "delay_days": days, "channel": channel,
            "email_template_id": template.id,
            "custom_text": "Please pay the invoices below.",
            "custom_mail_text": "<p>Please pay the invoices below.</p>"})
            for name, level, mode, days, channel in levels]})
    env.user.company_id.credit_policy_id = policy
    return policy.id


def credit_control_run(env, policy_id):
    run = env["credit.control.run"].create({
        "date": RUN_DATE, "policy_ids": [(6, 0, [policy_id])]})
    run.generate_credit_lines()
    return run.id


if __name__ == "__main__":
    main(sys.argv[1:])
