"""What the benchmark scripts share: their common options, opening Odoo on
a database of the suite, and the peak memory they report.

The scripts run as ``.venv/bin/python tests/benchmarks/bench_*.py``, so this
module is imported from their own folder.
"""
import argparse
import os
import resource

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def peak_mb():
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def parser(doc):
    """An argument parser with -d/--database, -c/--config, --units, --seed."""
    result = argparse.ArgumentParser(description=doc.splitlines()[0])
    result.add_argument("-d", "--database", required=True)
    result.add_argument(
        "-c", "--config", default=os.path.join(ROOT, ".local", "odoo.conf"))
    result.add_argument("--units", type=int, default=10000)
    result.add_argument("--seed", type=int, default=4242)
    return result


def open_registry(args):
    """Configure Odoo from ``args.config`` and return the database's registry.
    Call inside ``odoo.api.Environment.manage()``."""
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    odoo.netsvc.init_logger()
    return Registry(args.database)
