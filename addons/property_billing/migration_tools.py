# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the suite's migration scripts share (``migrations/<version>/*.py``
of the three add-ons import it as
``odoo.addons.property_billing.migration_tools``; it lies outside
``migrations/``, so that Odoo does not take it for a script)."""
import logging

from odoo.tools import convert_file

_logger = logging.getLogger(__name__)


def reload_rules(cr, module, files):
    """Rewrite the records of ``files`` (groups and record rules) from the
    XML of ``module``, ``noupdate`` ones included, as an installation does.

    The record rules are ``noupdate`` records: ``-u`` creates the new ones but
    leaves the existing ones as they are (in Odoo 11 the ``noupdate``
    attribute of the XML block decides, whatever the flag in
    ``ir.model.data``). Reloading the file gives every rule of an existing
    database the shipped domain."""
    for path in files:
        convert_file(cr, module, path, {}, mode="init", noupdate=True,
                     kind="data")
        _logger.info("%s: record rules reloaded from %s", module, path)
