"""Benchmark of a counter payment (柜台收款): search, collect, receipt.

Run with the venv's Python against a database where property_payment is installed:

    .venv/bin/python tests/benchmarks/bench_counter.py -d DB [--runs 200]
        [--build 10000] [--html]

For ``--runs`` payers who owe open bills, it drives the counter screen
(``property.counter.payment``) the way the web client does, through Odoo's RPC
dispatch as a cashier, and times the server side of each request (no HTTP, no
browser, no PDF):

- *search*: the onchange of the search box, typed in turn as the unit code with
  its estate code, the payer's mobile and the payer's name (a name several
  payers share lists them: the second onchange picks the payer by number);
- *collect*: the click on Collect: the ``create`` of the screen with what the
  client sends, then ``action_collect`` (the allocation service posts and
  reconciles the payment and writes the receipt record);
- with ``--html``, *receipt html*: the receipt's QWeb HTML (the PDF itself is
  wkhtmltopdf's work and is not timed).

Each request starts with an empty cache, as a request of an Odoo worker does.
It prints p50, p95 and max per step and for search + collect, in milliseconds.
The target of the payments issue is p95 < 300 ms for search + collect on the
10,000-unit database.

The payers come from DB (units whose current payer owes open bills). With
``--build N`` it first builds N units with the demo generator, three published
fee standards and a billing run of March 2026 posted by the batch path (as
``bench_billing_run.py`` does; about 2-3 minutes for 10,000 units on 2 cores).
Everything happens in one transaction rolled back at the end: DB is left as it
was, so the database of ``make run`` or ``make test`` serves as it is.
"""
import random
import sys
import time

from benchmark_harness import open_registry, parser, peak_mb

MODEL = "property.counter.payment"


def main(argv):
    options = parser(__doc__)
    options.add_argument("--runs", type=int, default=200,
                         help="payments to time (default: 200)")
    options.add_argument("--build", type=int, default=0,
                         help="first build and bill that many units")
    options.add_argument("--html", action="store_true",
                         help="also render each receipt's QWeb HTML")
    args = options.parse_args(argv)

    from odoo import api

    with api.Environment.manage():
        run(args, open_registry(args))


def run(args, registry):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            if args.build:
                t0 = time.time()
                _build(env, args.build, args.seed)
                print("built and billed %d units in %.1f s" % (
                    args.build, time.time() - t0))
            cashier = _cashier(env)
            payers = _payers(env, args.runs, args.seed)
            _print_scale(env, len(payers))
            if not payers:
                print("no payer owes an open bill: use --build N")
                return
            timings = {"open": [], "search": [], "collect": [], "total": []}
            if args.html:
                timings["receipt html"] = []
            queries = {step: [] for step in timings}
            report = env.ref("property_payment.action_report_property_receipt",
                             raise_if_not_found=False)
            picks = 0
            for index, (unit, partner) in enumerate(payers):
                figures = _one_payment(env, cashier, unit, partner, index,
                                       report if args.html else None)
                picks += figures.pop("picks")
                for step, (seconds, count) in figures.items():
                    timings[step].append(seconds * 1000.0)
                    queries[step].append(count)
            _print_timings(timings, queries, picks, len(payers))
        finally:
            cr.rollback()
    print("(rolled back: nothing was kept)")


def _build(env, units, seed):
    """``units`` units billed for March 2026 by a posted billing run."""
    from bench_billing_run import _new_run

    from odoo.addons.property_billing.models import property_billing_run as module

    fast = env(context=dict(module.FAST_CONTEXT, property_billing_sync=True))
    billing_run = _new_run(fast, units, seed)
    billing_run.action_generate()
    billing_run.action_post()


def _cashier(env):
    group = env.ref("property_billing.group_billing_user")
    return env["res.users"].with_context(no_reset_password=True).create({
        "name": "Bench Cashier", "login": "bench_counter_cashier",
        "email": "bench.cashier@example.com",
        "lang": "en_US", "company_id": env.user.company_id.id,
        "company_ids": [(6, 0, [env.user.company_id.id])],
        "groups_id": [(6, 0, [env.ref("base.group_user").id, group.id])]})


def _payers(env, count, seed):
    """[(unit, payer)] of ``count`` payers who owe open bills of a unit."""
    env.cr.execute("""
        SELECT DISTINCT ON (inv.commercial_partner_id)
               inv.property_unit_id, inv.commercial_partner_id
          FROM account_invoice inv
         WHERE inv.state = 'open' AND inv.type = 'out_invoice'
           AND inv.property_unit_id IS NOT NULL AND inv.company_id = %s
         ORDER BY inv.commercial_partner_id, inv.date_due
    """, (env.user.company_id.id,))
    rows = env.cr.fetchall()
    random.Random(seed).shuffle(rows)
    return [(env["property.unit"].browse(unit_id),
             env["res.partner"].browse(partner_id))
            for unit_id, partner_id in rows[:count]]


def _print_scale(env, payers):
    env.cr.execute("SELECT count(*) FROM property_unit")
    units = env.cr.fetchone()[0]
    env.cr.execute("SELECT count(*) FROM res_partner")
    partners = env.cr.fetchone()[0]
    env.cr.execute("SELECT count(*) FROM account_invoice "
                   "WHERE state = 'open' AND type = 'out_invoice'")
    bills = env.cr.fetchone()[0]
    print("database: %d units, %d partners, %d open bills; %d payments to time"
          % (units, partners, bills, payers))


def _one_payment(env, cashier, unit, partner, index, report):
    """The requests of one payment: {step: (seconds, SQL queries),
    'picks': n}."""
    figures = {"picks": 0}
    clock = _Clock(env.cr)
    mobile = partner.mobile or partner.phone
    texts = ["%s %s" % (unit.estate_id.code, unit.code), mobile, partner.name]
    text = texts[index % len(texts)] or texts[0]

    clock.start()
    values = _call(env, cashier, "default_get", _field_names(env))
    values.update(_empty_values(env, values))
    figures["open"] = clock.stop()

    clock.start()
    values = _onchange(env, cashier, values, "query", query=text)
    if values.get("payer_id") != partner.id:
        number = _candidate_number(values, partner)
        if number is None:  # not among the first nine: search the unit
            values = _onchange(env, cashier, values, "query", query=texts[0])
        else:
            figures["picks"] = 1
            values = _onchange(env, cashier, values, "query", query=str(number))
    figures["search"] = clock.stop()
    if values.get("payer_id") != partner.id:
        raise RuntimeError("the counter did not find %s by %r" % (
            partner.display_name, text))

    values["tendered"] = _round_up(values.get("amount") or 0.0)
    clock.start()
    wizard_id = _call(env, cashier, "create", _stored(env, values))
    _call(env, cashier, "action_collect", [wizard_id])
    figures["collect"] = clock.stop()
    figures["total"] = tuple(
        a + b for a, b in zip(figures["search"], figures["collect"]))

    if report is not None:
        env.cache.invalidate()
        receipt = env[MODEL].browse(wizard_id).last_receipt_id
        clock.start()
        report.sudo(cashier).render_qweb_html(receipt.ids)
        figures["receipt html"] = clock.stop()
    return figures


class _Clock(object):
    """Seconds and SQL queries of one step."""

    def __init__(self, cr):
        self.cr = cr
        self.started = self.queries = 0

    def start(self):
        self.queries = self.cr.sql_log_count
        self.started = time.perf_counter()

    def stop(self):
        return (time.perf_counter() - self.started,
                self.cr.sql_log_count - self.queries)


def _call(env, user, method, *args):
    """``method`` of the counter screen as ``user`` through the RPC dispatch,
    with an empty cache, as one request."""
    from odoo.models import check_method_name
    from odoo.service.model import execute_cr

    check_method_name(method)
    env.cache.invalidate()
    return execute_cr(env.cr, user.id, MODEL, method, *args)


def _field_names(env):
    return [name for name in env[MODEL]._fields
            if name != "id" and not name.startswith(("create_", "write_", "__"))]


def _empty_values(env, values):
    """What the client holds for the fields without a default."""
    empty = {"one2many": [], "many2many": [], "float": 0.0, "monetary": 0.0,
             "integer": 0}
    fields = env[MODEL]._fields
    return {name: empty.get(fields[name].type, False)
            for name in env[MODEL]._onchange_spec()
            if "." not in name and name not in values}


def _onchange(env, user, values, field, **changes):
    values = dict(values, **changes)
    result = _call(env, user, "onchange", [], values, field,
                   env[MODEL]._onchange_spec())
    for name, value in result.get("value", {}).items():
        values[name] = _plain(value)
    return values


def _plain(value):
    """An onchange value as the client sends it back: many2one pairs become
    ids."""
    if isinstance(value, (tuple, list)) and len(value) == 2 \
            and isinstance(value[0], int) and isinstance(value[1], str):
        return value[0]
    if isinstance(value, list):
        return [tuple(command[:2]) + ({
            name: _plain(item) for name, item in command[2].items()},)
            if len(command) > 2 and isinstance(command[2], dict)
            else tuple(command) for command in value]
    return value


def _stored(env, values):
    """What the client's save sends: the stored fields, lines included."""
    fields = env[MODEL]._fields
    result = {}
    for name, value in values.items():
        field = fields.get(name)
        if not field or not field.store or field.compute or name == "id" \
                or name.startswith(("create_", "write_")):
            continue
        if field.type == "one2many":
            line_fields = env[field.comodel_name]._fields
            value = [(c[0], c[1], {
                key: item for key, item in c[2].items()
                if line_fields[key].store and not line_fields[key].compute})
                if c[0] in (0, 1) else c for c in value or []]
        result[name] = value
    return result


def _candidate_number(values, partner):
    for command in values.get("candidate_ids") or []:
        if command[0] == 0 and command[2].get("partner_id") == partner.id:
            return command[2]["sequence"]
    return None


def _round_up(amount):
    """The banknotes an owner hands over: the amount up to the next 100."""
    return float((int(amount) // 100 + 1) * 100)


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _print_timings(timings, queries, picks, payments):
    print("%d payments (%d picked from a list of namesakes), peak %.0f MB"
          % (payments, picks, peak_mb()))
    print("%-14s %9s %9s %9s %12s" % ("server ms", "p50", "p95", "max",
                                      "queries p50"))
    for step, values in timings.items():
        if values:
            print("%-14s %9.1f %9.1f %9.1f %12d" % (
                step, _percentile(values, 0.5), _percentile(values, 0.95),
                max(values), _percentile(queries[step], 0.5)))
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
