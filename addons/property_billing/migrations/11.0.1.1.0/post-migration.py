# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.1.0: multi-company rules on the billing ledger, meter readings,
owner consultations, fee-standard tiers and the chunks and issues of billing
runs.

The record rules are ``noupdate`` records, which ``-u`` leaves as they are:
reload their file as an installation does (see ``migration_tools``).
"""
from odoo.addons.property_billing.migration_tools import reload_rules

MODULE = "property_billing"
RULE_FILES = ("security/property_billing_security.xml",)


def migrate(cr, version):
    if not version:
        return
    reload_rules(cr, MODULE, RULE_FILES)
