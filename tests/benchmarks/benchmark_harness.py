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


def ensure_bench_database(name, modules, config=None):
    """Create the benchmark database ``name`` with ``modules`` installed (no demo
    data, the suite's Chinese company) unless it exists; return True if created.

    It runs ``scripts/odoo_tasks.py CONFIG create-db NAME --modules a,b`` in a
    child process, as scripts/suite.sh does. An existing database is kept as it
    is, but it must already have every module of ``modules`` installed.
    """
    import subprocess
    import sys

    import odoo

    config = config or os.path.join(ROOT, ".local", "odoo.conf")
    modules = list(modules)
    odoo.tools.config.parse_config(["-c", config, "--log-level=warn"])
    if odoo.service.db.exp_db_exist(name):
        with odoo.sql_db.db_connect(name).cursor() as cr:
            cr.execute("SELECT name FROM ir_module_module "
                       "WHERE state = 'installed' AND name IN %s", (tuple(modules),))
            missing = set(modules) - {row[0] for row in cr.fetchall()}
        odoo.sql_db.close_db(name)
        if missing:
            raise RuntimeError(
                "database %r exists without %s installed: drop it to recreate it"
                % (name, ", ".join(sorted(missing))))
        return False
    python = os.path.join(ROOT, ".venv", "bin", "python")
    if not os.path.exists(python):
        python = sys.executable
    env = dict(os.environ)
    scripts = os.path.join(ROOT, "scripts")
    env["PYTHONPATH"] = os.pathsep.join(
        [scripts] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["PATH"] = os.pathsep.join([os.path.dirname(python), env.get("PATH", "")])
    subprocess.check_call(
        [python, os.path.join(scripts, "odoo_tasks.py"), config, "create-db", name,
         "--modules", ",".join(modules)], env=env)
    return True


def _admin_cursor():
    import odoo
    connection = odoo.sql_db.db_connect("postgres")
    cr = connection.cursor()
    cr.autocommit(True)
    return cr


def copy_database(source, target):
    """A fresh copy ``target`` of the database ``source`` (its template)."""
    import odoo
    odoo.sql_db.close_db(source)  # a template must have no session
    cr = _admin_cursor()
    try:
        cr.execute('DROP DATABASE IF EXISTS "%s"' % target)
        cr.execute('CREATE DATABASE "%s" TEMPLATE "%s"' % (target, source))
    finally:
        cr.close()


def drop_database(name):
    """Drop the database ``name`` if it exists."""
    import odoo
    odoo.sql_db.close_db(name)
    cr = _admin_cursor()
    try:
        cr.execute('DROP DATABASE IF EXISTS "%s"' % name)
    finally:
        cr.close()
