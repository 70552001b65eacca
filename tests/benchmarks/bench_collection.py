"""Benchmark of the collection reports: how long each report and the
dashboard take to answer on a database's history, as the web client asks.

For each report it times the first page of its default pivot (the
action's read_group), its grouping by month, and the list's first 80 rows;
for each estate the dashboard card (every figure and the graph) and the
monthly management report's figures of the last month. Each query runs
``--repeat`` times; the script prints the median and the worst, with the
size of the history (bills, months, receipts). It prints figures and
asserts nothing. Target (issue 12): under 1 second each at 10,000 units and
12 months of history. With ``--history 1,6,12`` it builds that many
months of the demo history in a scratch copy of the database, one after the
other, and times the reports on each: how their cost grows with the history.

    .venv/bin/python tests/benchmarks/bench_collection.py -d property
    .venv/bin/python tests/benchmarks/bench_collection.py -d property_test \
        --history 1,6,12 [--all-buildings]
"""
import statistics
import sys
import time

from benchmark_harness import copy_database, drop_database, open_registry, parser

# (model, groupby of the default pivot, measures, groupby by month)
REPORTS = [
    ("property.collection.fact", ["estate_id", "billing_period"],
     ["billed", "collected", "collection_rate"], ["date:month"]),
    ("property.collection.fact", ["fee_item_id"],
     ["billed", "collected", "collection_rate"], ["billing_period"]),
    ("property.arrears.report", ["building_id", "bucket"],
     ["outstanding"], ["dunning_reason"]),
    ("property.arrears.recovery", ["period", "estate_id"],
     ["arrears", "recovered", "recovery_rate"], ["period"]),
    ("property.collection.curve", ["billing_period"],
     ["billed", "share_0", "share_30", "share_60", "share_90", "share_180"],
     ["estate_id"]),
    ("property.dunning.effect.report", ["level_id"],
     ["total", "recovered_30"], ["date:month"]),
]


def timed(function, repeat):
    times = []
    for _index in range(repeat):
        started = time.time()
        function()
        times.append((time.time() - started) * 1000.0)
    return statistics.median(times), max(times)


def measure(env, repeat):
    """Print the history's size and the time of every report query and of
    each estate's dashboard card and monthly figures."""
    cr = env.cr
    cr.execute("""
        SELECT count(*), count(DISTINCT billing_period)
          FROM account_invoice
         WHERE type = 'out_invoice' AND state IN ('open', 'paid')
           AND property_unit_id IS NOT NULL""")
    bills, months = cr.fetchone()
    cr.execute("SELECT count(*) FROM property_receipt")
    receipts = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM property_unit")
    units = cr.fetchone()[0]
    print("history: %d units, %d bills in %d billing periods, "
          "%d receipts" % (units, bills, months, receipts))
    print("%-44s %10s %10s" % ("query", "median ms", "worst ms"))

    def show(label, function):
        median, worst = timed(function, repeat)
        print("%-44s %10.0f %10.0f" % (label, median, worst))

    for model, groupby, measures, by_month in REPORTS:
        Model = env[model]
        show("%s by %s" % (model, ",".join(groupby)),
             lambda: Model.read_group(
                 [], groupby + measures, groupby[:1], lazy=True))
        show("%s by %s" % (model, by_month[0]),
             lambda: Model.read_group(
                 [], [by_month[0].split(":")[0]] + measures, by_month,
                 lazy=True))
        show("%s list (80 rows)" % model,
             lambda: Model.search_read([], measures, limit=80))
    for card in env["property.collection.dashboard"].search([]):
        def dashboard(card=card):
            card.invalidate_cache()
            return card.dashboard_data, card.graph_data
        show("dashboard card %s" % card.estate_id.code, dashboard)
        show("monthly report figures %s" % card.estate_id.code,
             lambda card=card: card._monthly_figures(
                 card._previous_period()))


def main():
    args = parser(__doc__)
    args.add_argument("--repeat", type=int, default=5)
    args.add_argument(
        "--history", default=None,
        help="comma-separated months of demo history (e.g. 1,6,12): build "
             "the largest of them (property.collection.demo) in a scratch "
             "copy of the database, which must have the demo data and no "
             "history yet, month after month, and time the reports when "
             "each of the others is built")
    args.add_argument(
        "--all-buildings", action="store_true",
        help="with --history: the history on every building of the demo "
             "estates, not the two of the demo's scope")
    args.add_argument(
        "--register", type=int, default=0,
        help="with --history: the history on a generated register of that "
             "many units (one estate, three published fee standards, as "
             "bench_billing_run.py builds it) instead of the demo estates")
    args.add_argument(
        "--keep", default=None,
        help="with --history: keep the scratch database under this name "
             "(time the reports on it again later without --history)")
    args.add_argument(
        "--resume", type=int, default=0,
        help="with --history, --keep DB and --estate: go on with the "
             "history of DB (the --keep of an interrupted run, upgraded) "
             "after that many months")
    args.add_argument(
        "--estate", default=None,
        help="with --resume: the code of the generated estate")
    args = args.parse_args()
    import odoo
    from odoo.modules.registry import Registry

    with odoo.api.Environment.manage():
        registry = open_registry(args)
        if not args.history:
            with registry.cursor() as cr:
                measure(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}),
                        args.repeat)
                cr.rollback()
            return
        odoo.sql_db.close_all()
        scratch = args.keep or "%s_history" % args.database
        points = sorted({int(m) for m in args.history.split(",") if m.strip()})
        if args.resume:
            with Registry(scratch).cursor() as cr:
                build(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), args,
                      points)
            return
        copy_database(args.database, scratch)
        try:
            with Registry(scratch).cursor() as cr:
                build(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), args,
                      points)
        finally:
            odoo.sql_db.close_all()
            if not args.keep:
                drop_database(scratch)


def build(env, args, points):
    """Build ``max(points)`` months of history, committing each month, and
    time the reports when ``points`` months are built."""
    cr = env.cr
    Demo = env["property.collection.demo"]
    scope = withholding = None
    if args.resume:
        estate = env["property.estate"].search([("code", "=", args.estate)])
        scope = tuple((estate.code, index)
                      for index in range(len(estate.building_ids)))
        withholding = (estate.code, 1)
        print("resuming after %d months on %d units" % (
            args.resume, len(estate.unit_ids)))
        measure(env, args.repeat)
    elif args.register:
        from bench_billing_run import _setup

        # the generated estate only, billed from the first month on
        estate = _setup(env, args.register, args.seed,
                        date_from="2025-01-01")
        env["ir.config_parameter"].set_param(
            "property_collection.demo_history", "")
        scope = tuple((estate.code, index)
                      for index in range(len(estate.building_ids)))
        withholding = (estate.code, 1)
        cr.commit()
        print("register of %d units generated" % len(estate.unit_ids))
    elif args.all_buildings:
        scope = tuple((estate.code, index)
                      for estate in env["property.estate"].search([])
                      for index in range(len(estate.building_ids)))
    started = time.time()

    def on_month(count, summary):
        cr.commit()
        env.clear()
        print("%d month(s) built in %.0f s: %d bills, %d payments "
              "(billing %.0f s, payments %.0f s, dunning %.0f s)" % (
                  count, time.time() - started, summary["bills"],
                  summary["payments"], summary["billing_seconds"],
                  summary["payment_seconds"], summary["dunning_seconds"]))
        sys.stdout.flush()
        if count in points:
            measure(env, args.repeat)
            sys.stdout.flush()

    extra = {}
    if scope:
        extra["scope"] = scope
    if withholding:
        extra["withholding"] = withholding
    summary = Demo._demo_history(months=max(points) - 1, on_month=on_month,
                                 resume=args.resume, **extra)
    if not summary:
        raise SystemExit("%s has a history already, or no demo estates"
                         % args.database)
    cr.commit()


if __name__ == "__main__":
    main()
