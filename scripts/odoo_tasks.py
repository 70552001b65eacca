"""Database chores for scripts/suite.sh, run with the venv's Python.

    odoo_tasks.py ODOO_CONF create-db NAME [--demo] --modules a,b,c
    odoo_tasks.py ODOO_CONF create-db NAME [--demo] --english [--chart l10n_x]
                  [--one-by-one] --modules a,b,c
    odoo_tasks.py ODOO_CONF upgrade NAME --modules a,b,c

Creates NAME as a Chinese company (country CN, currency CNY, zh_CN loaded so
the Chinese chart of accounts installs with ``account``), then installs the
suite's modules; with ``--demo``, Odoo's demo data and the suite's demo estate.

With ``--english`` NAME is made the way OCA CI and most existing companies
have it: English only, Odoo's own company (no country, USD); with ``--chart``
that chart of accounts (e.g. ``l10n_generic_coa``) is installed first, on its
own, then the suite's modules as a second step (one at a time with
``--one-by-one``, so that each installs from its own dependencies).
"""
import argparse
import logging
import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

_logger = logging.getLogger("odoo_tasks")


def create_db(name, demo, modules):
    odoo.service.db._create_empty_database(name)
    odoo.tools.config["without_demo"] = "" if demo else "all"
    # zh_CN first: the default language of new contacts (owners); en_US stays active.
    odoo.tools.config["load_language"] = "zh_CN,en_US"
    # Installs base (and zh_CN) in the new database.
    Registry.new(name, demo, None, update_module=True)
    with Registry(name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        china = env.ref("base.cn")
        env.ref("base.main_company").write({
            "country_id": china.id,
            "currency_id": env.ref("base.CNY").id,
        })
        env.ref("base.CNY").active = True
        env["res.lang"].load_lang("zh_CN")
        env.ref("base.user_root").lang = "en_US"
        _mark_for_install(env, modules, extra=["l10n_cn_small_business"])
    # Load the marked modules in a fresh registry, as -i would.
    Registry.new(name, demo, None, update_module=True)
    with Registry(name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        mods = env["ir.module.module"].search([("state", "=", "installed")])
        mods._update_translations("zh_CN")
        company = env.ref("base.main_company")
        _logger.info("company %s: currency %s, chart %s", company.name,
                     company.currency_id.name, company.chart_template_id.name)
        _check_installed(env, modules)


def _mark_for_install(env, modules, extra=()):
    """Mark MODULES and EXTRA for installation; stop if one of MODULES is not
    in the addons path."""
    to_install = env["ir.module.module"].search(
        [("name", "in", list(modules) + list(extra))])
    missing = set(modules) - set(to_install.mapped("name"))
    if missing:
        raise SystemExit(
            "modules not found in addons_path: %s" % ", ".join(sorted(missing)))
    to_install.button_install()


def _check_installed(env, modules):
    """Stop if one of MODULES is not installed in ENV's database."""
    not_installed = env["ir.module.module"].search(
        [("name", "in", modules), ("state", "!=", "installed")])
    if not_installed:
        raise SystemExit(
            "%s: not installed: %s"
            % (env.cr.dbname, ", ".join(not_installed.mapped("name"))))


def _install(name, demo, modules):
    """Install MODULES (and their dependencies) in NAME, as -i would."""
    with Registry(name).cursor() as cr:
        _mark_for_install(api.Environment(cr, SUPERUSER_ID, {}), modules)
    Registry.new(name, demo, None, update_module=True)
    with Registry(name).cursor() as cr:
        _check_installed(api.Environment(cr, SUPERUSER_ID, {}), modules)


def create_db_english(name, demo, modules, chart=None, one_by_one=False):
    """NAME with English only and Odoo's own company, then CHART, then MODULES."""
    odoo.service.db._create_empty_database(name)
    odoo.tools.config["without_demo"] = "" if demo else "all"
    odoo.tools.config["load_language"] = None
    # Installs base (English only) in the new database.
    Registry.new(name, demo, None, update_module=True)
    if chart:
        _install(name, demo, [chart])
    for group in ([[m] for m in modules] if one_by_one else [modules]):
        _install(name, demo, group)
    with Registry(name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        langs = env["res.lang"].search([]).mapped("code")
        if langs != ["en_US"]:
            raise SystemExit("%s: expected English only, found %s" % (name, langs))
        company = env.ref("base.main_company")
        _logger.info("company %s: currency %s, chart %s, languages %s",
                     company.name, company.currency_id.name,
                     company.chart_template_id.name, ", ".join(langs))


def upgrade_db(name, modules):
    """Upgrade MODULES like -u would, but also install dependencies they gained
    and those of MODULES not installed yet."""
    with Registry.new(name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.module.module"].update_list()
        found = env["ir.module.module"].search([("name", "in", modules)])
        found.filtered(lambda m: m.state == "installed").button_upgrade()
        # a module new to the suite since the database was made: install it
        found.filtered(lambda m: m.state == "uninstalled").button_install()
    Registry.new(name, update_module=True)


def demo_history(name):
    """A year of collection history on the demo estates (idempotent: a
    second call finds it built): property.collection.demo."""
    with Registry.new(name).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if "property.collection.demo" not in env:
            return
        summary = env["property.collection.demo"]._demo_history()
        if summary:
            print("demo history: %(bills)d bills, %(payments)d payments, "
                  "%(dunning_runs)d dunning runs in %(seconds).0f s" % summary)


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    sub = parser.add_subparsers(dest="command")
    create = sub.add_parser("create-db")
    create.add_argument("name")
    create.add_argument("--demo", action="store_true")
    create.add_argument("--modules", default="")
    create.add_argument("--english", action="store_true",
                        help="English only, Odoo's own company (no zh_CN, no CN)")
    create.add_argument("--chart", default="",
                        help="with --english: chart of accounts to install first")
    create.add_argument("--one-by-one", action="store_true",
                        help="with --english: install the modules one at a time")
    upgrade = sub.add_parser("upgrade")
    upgrade.add_argument("name")
    upgrade.add_argument("--modules", default="")
    history = sub.add_parser("demo-history")
    history.add_argument("name")
    args = parser.parse_args(argv)
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    odoo.netsvc.init_logger()
    if args.command == "create-db":
        modules = [m for m in args.modules.split(",") if m]
        if (args.chart or args.one_by_one) and not args.english:
            parser.error("--chart and --one-by-one need --english")
        with api.Environment.manage():
            if args.english:
                create_db_english(args.name, args.demo, modules,
                                  chart=args.chart or None,
                                  one_by_one=args.one_by_one)
            else:
                create_db(args.name, args.demo, modules)
    elif args.command == "upgrade":
        with api.Environment.manage():
            upgrade_db(args.name, [m for m in args.modules.split(",") if m])
    elif args.command == "demo-history":
        with api.Environment.manage():
            demo_history(args.name)
    else:
        parser.error("unknown command")


if __name__ == "__main__":
    main(sys.argv[1:])
