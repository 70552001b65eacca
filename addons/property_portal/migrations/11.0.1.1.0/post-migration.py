# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.1.0: the portal record rules follow the occupancies in force today.

The rules are ``noupdate`` records, which ``-u`` leaves as they are: reload
their file as an installation does (see ``property_billing.migration_tools``),
so that the domains of an existing database become the shipped ones.
"""
from odoo.addons.property_billing.migration_tools import reload_rules

MODULE = "property_portal"
RULE_FILES = ("security/property_portal_security.xml",)


def migrate(cr, version):
    if not version:
        return
    reload_rules(cr, MODULE, RULE_FILES)
