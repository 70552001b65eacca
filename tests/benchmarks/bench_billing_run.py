"""Benchmark of a billing run (property.billing.run) to posted invoices.

Run with the venv's Python against a database where property_billing is installed:

    .venv/bin/python tests/benchmarks/bench_billing_run.py -d DB [--units 10000]
        [--sizes 1000,10000] [--workers 1,2] [--baseline 200] [--contract 200]

For each size N and each number of workers W: builds N units (one estate, owners
and occupancies) with the demo generator and three published fee standards
(management fee per m², elevator fee per m², refuse collection fixed per unit:
three lines per invoice), then runs the billing run's queue_job chunks as W Odoo
workers would, each chunk in its own committed transaction and started again after
a concurrency error, and prints invoices per second, the time to generate and to
post, whether the numbers are gapless, and per worker its busy seconds per
phase, its CPU seconds and its peak memory, beside the machine's CPU seconds
over the run (the rest of which is PostgreSQL's):

- W = 1: one worker generates every chunk, then posts every chunk;
- W >= 2: the run posts when generated (``post_when_generated``): W - 1 workers
  generate chunks while one posts each generated chunk (the post channel runs one
  chunk at a time: the journal's sequence is gapless).

This needs committed data: it happens in a scratch copy of DB (``CREATE DATABASE
... TEMPLATE``), dropped at the end. With ``--baseline N`` it also times Odoo's
stock path on N of the same bills (``account.invoice.create`` then
``action_invoice_open`` in chunks of 50, tracking off); with ``--contract N``, OCA
contract on N units of the same data (tests/benchmarks/contract_baseline.py): that
needs the add-on in the venv (``.venv/bin/pip install --no-deps -r
requirements/bench.txt``) and a database where it is installed; when DB does not
exist, it is created with property_billing and contract (e.g. ``-d property_bench``).
Those two run in DB itself, in a transaction rolled back at the end.
"""

import multiprocessing
import os
import resource
import sys
import time
import uuid

from benchmark_harness import (
    copy_database, drop_database, ensure_bench_database, open_registry, parser,
    peak_mb)


def main(argv):
    options = parser(__doc__)
    options.add_argument(
        "--sizes", default=None,
        help="comma-separated unit counts to run one after the other "
             "(default: 1000 and --units)")
    options.add_argument(
        "--workers", default="1,2",
        help="comma-separated numbers of worker processes (default: 1,2)")
    options.add_argument("--baseline", type=int, default=0,
                         help="also time Odoo's stock path on that many bills")
    options.add_argument("--contract", type=int, default=0,
                         help="also time OCA contract on that many units")
    args = options.parse_args(argv)
    if args.contract:
        ensure_bench_database(args.database, ["property_billing", "contract"],
                              args.config)
    sizes = ([int(s) for s in args.sizes.split(",")] if args.sizes
             else sorted({min(1000, args.units), args.units}))
    workers = [int(w) for w in args.workers.split(",") if w.strip()]

    import odoo
    from odoo import api

    results = []
    with api.Environment.manage():
        registry = open_registry(args)
        if args.baseline:
            results.append(baseline(registry, args.baseline, args))
        if args.contract:
            results.append(contract(registry, args.contract, args))
        odoo.sql_db.close_all()
        for size in sizes:
            for count in workers:
                results.append(parallel(size, count, args))
    print()
    print("%-28s %8s %10s %10s %10s %10s" % (
        "case", "units", "invoices", "seconds", "inv/s", "peak MB"))
    for row in results:
        print("%-28s %8d %10d %10.1f %10.1f %10.0f" % row)


def _setup(env, units, seed, date_from="2026-01-01"):
    """A register of ``units`` units and three published standards, in force
    from ``date_from``."""
    from dateutil.relativedelta import relativedelta

    from odoo import fields

    tag = uuid.uuid4().hex[:6].upper()
    generated = env["property.demo.generator"]._generate(
        seed=seed, units=units, estates=1, code_prefix="B%s" % tag)
    estate = env["property.estate"].browse(generated["estate_ids"][0])
    company = env.user.company_id
    account = env["account.account"].search([
        ("company_id", "=", company.id),
        ("user_type_id", "=", env.ref("account.data_account_type_revenue").id)],
        order="code", limit=1)
    specs = [("物业管理费", "per_area", 2.80), ("电梯费", "per_area", 0.35),
             ("垃圾清运费", "fixed", 10.0)]
    for name, method, rate in specs:
        product = env["product.product"].create({
            "name": "%s %s" % (name, tag), "type": "service",
            "property_account_income_id": account.id, "taxes_id": [(6, 0, [])]})
        item = env["property.fee.item"].create({
            "name": name, "code": "%s%s" % (name[:1], tag) + method[:2],
            "method": method, "product_id": product.id, "account_id": account.id})
        standard = env["property.fee.standard"].create({
            "name": "%s %s" % (name, tag), "item_id": item.id,
            "estate_id": estate.id, "rate": rate, "cycle": "monthly",
            "timing": "advance", "due_days": 15, "date_from": date_from,
            "notice_days": 30, "vacant_percent": 70.0 if method == "per_area" else 0})
        standard.action_approve()
        # published two months ahead: past the notice period
        standard._publish(fields.Date.from_string(date_from)
                          - relativedelta(months=2))
    return estate


def _new_run(env, units, seed, **values):
    """A register of ``units`` units and a billing run of March 2026 on it."""
    estate = _setup(env, units, seed)
    return env["property.billing.run"].create(dict({
        "estate_id": estate.id, "date_from": "2026-03-01",
        "date_to": "2026-03-31", "invoice_date": "2026-03-01"}, **values))


def baseline(registry, count, args):
    """Odoo's stock path on ``count`` bills of three lines (tracking off)."""
    from odoo import SUPERUSER_ID, api

    from odoo.addons.property_billing.models import property_billing_run as module

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, dict(module.FAST_CONTEXT))
        try:
            run = _new_run(env, count, args.seed)
            units = run._scope_units()
            plan = run._plan(units)
            journal = run.journal_id
            Item = env["property.fee.item"]
            t0 = time.time()
            invoices = env["account.invoice"]
            for (unit_id, partner_id), lines in plan.by_invoice().items():
                invoices |= env["account.invoice"].create({
                    "partner_id": partner_id, "type": "out_invoice",
                    "journal_id": journal.id, "date_invoice": "2026-03-01",
                    "invoice_line_ids": [(0, 0, {
                        "name": Item.browse(line.item).name,
                        "product_id": Item.browse(line.item).product_id.id,
                        "account_id": Item.browse(line.item).account_id.id,
                        "quantity": 1.0, "price_unit": float(line.amount),
                    }) for line in lines]})
            created_s = time.time() - t0
            t0 = time.time()
            for start in range(0, len(invoices), 50):
                invoices[start:start + 50].action_invoice_open()
            post_s = time.time() - t0
            total = created_s + post_s
            print("stock Odoo on %d bills: create %.1f s (%.1f inv/s), open %.1f s "
                  "(%.1f inv/s), end to end %.1f inv/s" % (
                      len(invoices), created_s, len(invoices) / created_s, post_s,
                      len(invoices) / post_s, len(invoices) / total))
            return ("stock create + open", len(units), len(invoices), total,
                    len(invoices) / total, peak_mb())
        finally:
            cr.rollback()


def parallel(units, workers, args):
    """The run on ``units`` units executed by ``workers`` processes (see the
    module's docstring), in a scratch copy of the database."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    from odoo.addons.property_billing.models import property_billing_run as module

    scratch = "%s_scratch" % args.database
    copy_database(args.database, scratch)
    try:
        registry = Registry(scratch)
        odoo.sql_db.close_all()

        def build():
            with api.Environment.manage(), registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, dict(module.FAST_CONTEXT))
                run = _new_run(env, units, args.seed,
                               post_when_generated=workers > 1)
                unit_ids = run._scope_units().ids
                run.write({"state": "generating", "unit_count": len(unit_ids)})
                return run.id, unit_ids

        # every process forks from this one, which holds the registry only
        t0 = time.time()
        (run_id, unit_ids), _build_mb = _in_child(build)
        setup_s = time.time() - t0
        chunks = [unit_ids[start:start + module.CHUNK_SIZE]
                  for start in range(0, len(unit_ids), module.CHUNK_SIZE)]
        t0 = time.time()
        machine = _machine_cpu()
        if workers > 1:
            generate_s, stats = _pipeline(scratch, run_id, chunks, workers)
        else:
            (generate_s, stats), _mb = _in_child(
                lambda: _one_worker(scratch, run_id, chunks))
            stats = [stats]
        total = time.time() - t0
        machine = _machine_cpu() - machine
        workers_mb = max(stat["peak_mb"] for stat in stats)
        with registry.cursor() as cr:
            cr.execute("""
                SELECT count(*), count(*) FILTER (WHERE state = 'open'),
                       count(DISTINCT number),
                       max(substring(number from '[0-9]+$')::int)
                       - min(substring(number from '[0-9]+$')::int) + 1
                FROM account_invoice WHERE property_billing_run_id = %s
            """, (run_id,))
            invoices, opened, numbers, span = cr.fetchone()
            cr.execute("SELECT count(*) FROM account_invoice_line line "
                       "JOIN account_invoice inv ON inv.id = line.invoice_id "
                       "WHERE inv.property_billing_run_id = %s", (run_id,))
            lines = cr.fetchone()[0]
            cr.execute("SELECT state FROM property_billing_run WHERE id = %s",
                       (run_id,))
            state = cr.fetchone()[0]
        odoo.sql_db.close_all()
        print("%d units (register built in %.1f s), %d worker(s): %d invoices, "
              "%d lines, %d posted, %d numbers without gap: %s, run %s" % (
                  len(unit_ids), setup_s, workers, invoices, lines, opened, numbers,
                  span == numbers == invoices, state))
        print("  all generated after %.1f s (%.1f inv/s), all posted after %.1f s = "
              "%.1f inv/s end to end, peak %.0f MB per worker" % (
                  generate_s, invoices / generate_s, total, invoices / total,
                  workers_mb))
        for index, stat in enumerate(stats, 1):
            print("  worker %d (%s): busy %.1f s (%s), CPU %.1f s, peak %.0f MB" % (
                index, stat["role"], sum(stat["busy"].values()),
                ", ".join("%s %.1f s" % item for item in sorted(stat["busy"].items())),
                stat["cpu_s"], stat["peak_mb"]))
        workers_cpu = sum(stat["cpu_s"] for stat in stats)
        print("  CPU over the run: workers %.1f s, machine %.1f s of %.1f s on %d "
              "cores (%.0f %% busy; PostgreSQL and the rest %.1f s)" % (
                  workers_cpu, machine, total * os.cpu_count(), os.cpu_count(),
                  100.0 * machine / (total * os.cpu_count()),
                  machine - workers_cpu))
        sys.stdout.flush()
        return ("billing run, %d worker(s)" % workers, len(unit_ids), invoices,
                total, invoices / total, workers_mb)
    finally:
        odoo.sql_db.close_all()
        drop_database(scratch)


def _machine_cpu():
    """CPU seconds the whole machine has spent busy (every process,
    PostgreSQL's included), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / float(os.sysconf("SC_CLK_TCK"))


def _cpu_s():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _stats(role, busy, cpu_start):
    """What a worker reports: its role, busy seconds per phase, CPU seconds
    and peak memory."""
    return {"role": role, "busy": busy, "cpu_s": _cpu_s() - cpu_start,
            "peak_mb": peak_mb()}


def _timed(busy, phase, function, *args):
    start = time.time()
    try:
        return function(*args)
    finally:
        busy[phase] = busy.get(phase, 0.0) + time.time() - start


def _one_worker(database, run_id, chunks):
    """Every generate chunk, then every post chunk, in this process; returns
    the seconds until everything was generated and the worker's stats."""
    from odoo.addons.property_billing.models import property_billing_run as module

    cpu_start, busy = _cpu_s(), {}
    start = time.time()
    for chunk in chunks:
        _timed(busy, "generate", _as_job, database, run_id,
               lambda run, ids: run._generate_chunk(ids), chunk)
    generated = time.time() - start
    invoice_ids = _as_job(database, run_id, lambda run, _none: run.invoice_ids.ids,
                          None)
    for begin in range(0, len(invoice_ids), module.POST_CHUNK_SIZE):
        _timed(busy, "post", _as_job, database, run_id,
               lambda run, ids: run._post_chunk(ids),
               invoice_ids[begin:begin + module.POST_CHUNK_SIZE])
    return generated, _stats("generate, then post", busy, cpu_start)


def _pipeline(database, run_id, chunks, workers):
    """Generate ``chunks`` in ``workers - 1`` processes and post in one;
    returns the seconds until everything was generated and each worker's
    stats (``_stats``)."""
    context = multiprocessing.get_context("fork")
    todo, to_post = context.Queue(), context.Queue()
    generated, memory = context.Queue(), context.Queue()
    generators = workers - 1
    for chunk in chunks:
        todo.put(chunk)
    for _i in range(generators):
        todo.put(None)
    start = time.time()
    processes = [context.Process(target=_generate_worker,
                                 args=(database, run_id, todo, to_post, generated,
                                       memory))
                 for _i in range(generators)]
    processes.append(context.Process(
        target=_post_worker, args=(database, run_id, to_post, generators,
                                   memory)))
    for process in processes:
        process.start()
    done = [generated.get() for _i in range(generators)]
    stats = sorted((memory.get() for _i in range(workers)),
                   key=lambda stat: stat["role"])
    for process in processes:
        process.join()
        if process.exitcode:
            raise RuntimeError("a worker failed (exit code %s)" % process.exitcode)
    return max(done) - start, stats


def _generate_worker(database, run_id, todo, to_post, generated, memory):
    def generate(run, chunk):
        # the chunk queues its posting; nobody runs this scratch database's
        # queue: the poster process posts the same invoices
        run._generate_chunk(chunk)
        units = run.env["property.unit"].browse(chunk)
        return run._chunk_invoices(units).ids

    cpu_start, busy = _cpu_s(), {}
    while True:
        chunk = todo.get()
        if chunk is None:
            generated.put(time.time())
            to_post.put(None)
            memory.put(_stats("generate", busy, cpu_start))
            return
        to_post.put(_timed(busy, "generate", _as_job, database, run_id,
                           generate, chunk))


def _post_worker(database, run_id, to_post, generators, memory):
    cpu_start, busy = _cpu_s(), {}
    _post_chunks(database, run_id, to_post, generators, busy)
    memory.put(_stats("post", busy, cpu_start))


def _post_chunks(database, run_id, to_post, generators, busy):
    while generators:
        invoice_ids = to_post.get()
        if invoice_ids is None:
            generators -= 1
        elif invoice_ids:
            _timed(busy, "post", _as_job, database, run_id,
                   lambda run, ids: run._post_chunk(ids), invoice_ids)


def _as_job(database, run_id, function, argument):
    """``function(run, argument)`` in a transaction of its own, committed; a
    concurrency error (lock, serialization) rolls it back and runs it again,
    as queue_job's runner postpones and retries such a job."""
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    from odoo.addons.property_billing.models.property_billing_run import (
        _retry_later)

    # a fresh set of environments (cache, todo) per job, as a request or a
    # job of an Odoo worker has: manage() nested in another one reuses it
    api.Environment.reset()
    with api.Environment.manage():
        registry = Registry(database)
        for attempt in range(20):
            try:
                with registry.cursor() as cr:  # commits when no error
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    return function(env["property.billing.run"].browse(run_id),
                                    argument)
            except Exception as error:  # pylint: disable=broad-except
                if not _retry_later(error):
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise RuntimeError("a chunk kept meeting concurrent ones")


def _in_child(function):
    """``function()`` in a forked process: (its result, its peak memory in
    MB). Fresh processes measure their own memory, not this one's."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()

    def target():
        results.put((function(), peak_mb()))

    process = context.Process(target=target)
    process.start()
    result = results.get()
    process.join()
    if process.exitcode:
        raise RuntimeError("a process failed (exit code %s)" % process.exitcode)
    return result


def contract(registry, count, args):
    """OCA contract on the bills of ``count`` units: its cron's invoicing,
    then Odoo validating the drafts one by one (tracking off)."""
    from odoo import SUPERUSER_ID, api

    from contract_baseline import time_contract
    from odoo.addons.property_billing.models import property_billing_run as module

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, dict(module.FAST_CONTEXT))
        try:
            run = _new_run(env, count, args.seed)
            plan = run._plan(run._scope_units())
            figures = time_contract(env, run, plan)
            return ("OCA contract + open", count, figures["invoices"],
                    figures["drafts_s"] + figures["validate_s"],
                    figures["end_to_end_per_s"], peak_mb())
        finally:
            cr.rollback()


if __name__ == "__main__":
    main(sys.argv[1:])
