"""Regenerate each add-on's .pot and zh_CN.po from the code and an upgraded database.

    i18n_sync.py ODOO_CONF DB MODULE[,MODULE...] [--check]

For every module, Odoo's own term extractor (``trans_generate``: fields, views,
data, reports, ``_()`` in Python and QWeb) lists the terms; the .pot is written
from them and zh_CN.po is written with the translations it already holds, matched
by source text; ``oca-checks-po --fix`` then gives both OCA's layout (sorted,
wrapped at 78 columns, a translation equal to its source left empty). Terms
no longer in the code drop out; new terms get an empty msgstr and are listed.
With ``--check`` nothing is written and the command fails when a term of the
code has no zh_CN translation, so CI keeps every add-on's translation complete
(references and line numbers may lag behind the code; the next sync rewrites
them). ``--diff`` prints what a sync would change.
"""
import argparse
import difflib
import io
import os
import re
import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.module import get_module_path
from odoo.tools.translate import PoFile, trans_generate


# OCA's po-pretty-format stores a translation equal to its source as an empty
# msgstr, so an empty msgstr is a gap only where the source has words to
# translate: not placeholders, URLs, units or acronyms (ID, URL, m²).
_NOT_WORDS = re.compile(r"%\(\w+\)\w|\$\{[^}]*\}|%\w|\w+://\S+|<[^>]*>")
_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]{2,}")


def needs_translation(src):
    return bool(_WORD.search(_NOT_WORDS.sub(" ", src)))


def read_po(path):
    """Map source text -> translation of an existing PO file."""
    known = {}
    if not os.path.exists(path):
        return known
    with open(path, "rb") as handle:
        for _type, _name, _res_id, src, trad, _comments in PoFile(handle):
            if trad and src not in known:
                known[src] = trad
    return known


def render(module, rows, translations):
    """PO text for ROWS; translations None renders the template (.pot)."""
    grouped = {}
    for _module, type_, name, res_id, src, _trad, comments in rows:
        row = grouped.setdefault(src, {"tnrs": [], "comments": set()})
        row["tnrs"].append((type_, name, res_id))
        row["comments"].update(comments)
    buffer = io.BytesIO()
    writer = PoFile(buffer)
    writer.write_infos([module])
    missing = []
    for src, row in sorted(grouped.items()):
        trad = ""
        if translations is not None:
            trad = translations.get(src, "")
            if not trad and needs_translation(src):
                missing.append(src)
        writer.write([module], row["tnrs"], src, trad, row["comments"])
    return buffer.getvalue().decode("utf-8"), missing


def strip_dates(text):
    """The header's dates change on every export: compare without them."""
    return "\n".join(line for line in text.splitlines()
                     if "-Date:" not in line)


def sync(cr, module, check, show_diff=False):
    i18n = os.path.join(get_module_path(module), "i18n")
    pot_path = os.path.join(i18n, module + ".pot")
    po_path = os.path.join(i18n, "zh_CN.po")
    rows = [row for row in trans_generate(None, [module], cr) if row[0] == module]
    pot, _missing = render(module, rows, None)
    po, missing = render(module, rows, read_po(po_path))
    problems = []
    for path, text in ((pot_path, pot), (po_path, po)):
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if strip_dates(current) == strip_dates(text):
            continue
        if show_diff:
            sys.stdout.writelines(difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), path, path))
        if not check:
            os.makedirs(i18n, exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
    for src in missing:
        problems.append("%s: no zh_CN translation for %r" % (module, src))
    return problems


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("database")
    parser.add_argument("modules")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--diff", action="store_true",
                        help="print what the sync changes (with --check: would change)")
    args = parser.parse_args(argv)
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    odoo.netsvc.init_logger()
    problems = []
    with api.Environment.manage():
        registry = odoo.registry(args.database)
        with registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})
            for module in args.modules.split(","):
                problems += sync(cr, module, args.check, args.diff)
    for problem in problems:
        print(problem)
    if args.check and problems:
        print("Run: .venv/bin/python scripts/i18n_sync.py .local/odoo.conf DB MODULES"
              " on an upgraded database, then translate the empty msgstr.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
