# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.1.0: multi-company rules on the billing ledger, meter readings,
owner consultations, fee-standard tiers and the chunks and issues of billing
runs.

The record rules are ``noupdate`` records: ``-u`` creates the new ones but
leaves the existing ones as they are (in Odoo 11 the ``noupdate`` attribute of
the XML block decides, whatever the flag in ``ir.model.data``). Reload the
file as an installation does, so that every rule of an existing database has
the shipped domain.
"""
import logging

from odoo.tools import convert_file

_logger = logging.getLogger(__name__)

MODULE = "property_billing"
RULE_FILES = ("security/property_billing_security.xml",)


def reload_rules(cr, module=MODULE, files=RULE_FILES):
    """Rewrite the records of ``files`` (groups and record rules) from the
    module's XML, ``noupdate`` ones included."""
    for path in files:
        convert_file(cr, module, path, {}, mode="init", noupdate=True,
                     kind="data")
        _logger.info("%s: record rules reloaded from %s", module, path)


def migrate(cr, version):
    if not version:
        return
    reload_rules(cr)
