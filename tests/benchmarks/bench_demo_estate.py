"""Benchmark of the demo register generator (property.demo.generator).

Run with the venv's Python against a database where property_billing is installed:

    .venv/bin/python tests/benchmarks/bench_demo_estate.py -d DB [--units 10000]

Generates the register in a transaction that is rolled back at the end (nothing
stays in the database) and prints units per second, the time per step and the
process's peak memory.
"""

import sys
import time

from benchmark_harness import open_registry, parser, peak_mb


def main(argv):
    options = parser(__doc__)
    options.add_argument("--estates", type=int, default=2)
    args = options.parse_args(argv)

    from odoo import api

    with api.Environment.manage():
        run(args, open_registry(args))


def run(args, registry):
    from odoo import SUPERUSER_ID, api

    from odoo.addons.property_billing.rules import demo_estate

    memory_before = peak_mb()
    started = time.time()
    demo_estate.generate(seed=args.seed, units=args.units, estates=args.estates)
    pure = time.time() - started

    steps = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        generator = env["property.demo.generator"]
        cls = type(generator)
        originals = {}
        for name in (
            "_create_estates",
            "_create_buildings",
            "_create_units",
            "_create_partners",
            "_create_occupancies",
        ):
            originals[name] = getattr(cls, name)

            def timed(self, *a, _name=name, **kw):
                t0 = time.time()
                try:
                    return originals[_name](self, *a, **kw)
                finally:
                    steps[_name] = time.time() - t0

            setattr(cls, name, timed)
        try:
            started = time.time()
            result = generator._generate(
                seed=args.seed,
                units=args.units,
                estates=args.estates,
                code_prefix="BENCH",
            )
            elapsed = time.time() - started
        finally:
            for name, method in originals.items():
                setattr(cls, name, method)
            cr.rollback()

    units = len(result["unit_ids"])
    print(
        "units: %d  partners: %d  occupancies: %d"
        % (units, len(result["partner_ids"]), len(result["occupancy_ids"]))
    )
    print("pure data generation: %.2f s" % pure)
    for name, seconds in steps.items():
        print("  %-22s %7.2f s" % (name, seconds))
    print(
        "total in the database: %.1f s  ->  %.0f units/s" % (elapsed, units / elapsed)
    )
    print(
        "peak memory: %.0f MB (%.0f MB before generating)" % (peak_mb(), memory_before)
    )
    print("(rolled back: nothing was kept)")


if __name__ == "__main__":
    main(sys.argv[1:])
