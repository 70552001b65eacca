# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.1.0: the portal record rules follow the occupancies in force today.

The rules are ``noupdate`` records, which ``-u`` leaves as they are in Odoo
11 (the ``noupdate`` attribute of the XML block decides, whatever the flag in
``ir.model.data``): reload their file as an installation does, so that the
domains of an existing database become the shipped ones.
"""
import logging

from odoo.tools import convert_file

_logger = logging.getLogger(__name__)

MODULE = "property_portal"
RULE_FILES = ("security/property_portal_security.xml",)


def reload_rules(cr, module=MODULE, files=RULE_FILES):
    """Rewrite the records of ``files`` (record rules) from the module's
    XML, ``noupdate`` ones included."""
    for path in files:
        convert_file(cr, module, path, {}, mode="init", noupdate=True,
                     kind="data")
        _logger.info("%s: record rules reloaded from %s", module, path)


def migrate(cr, version):
    if not version:
        return
    reload_rules(cr)
