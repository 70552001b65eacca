"""Benchmark of the demo register generator (property.demo.generator).

Run with the venv's Python against a database where property_billing is installed:

    .venv/bin/python tests/benchmarks/bench_demo_estate.py -d DB [--units 10000]

Generates the register in a transaction that is rolled back at the end (nothing
stays in the database) and prints units per second, the time per step and the
process's peak memory.
"""

import argparse
import os
import resource
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(
        "-c", "--config", default=os.path.join(ROOT, ".local", "odoo.conf")
    )
    parser.add_argument("--units", type=int, default=10000)
    parser.add_argument("--estates", type=int, default=2)
    parser.add_argument("--seed", type=int, default=4242)
    args = parser.parse_args(argv)

    import odoo
    from odoo import api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    odoo.netsvc.init_logger()
    with api.Environment.manage():
        run(args, Registry(args.database))


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
            result = generator.generate(
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
