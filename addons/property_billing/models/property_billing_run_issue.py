# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..rules.billing import PROBLEM_CODES

ISSUE_KINDS = PROBLEM_CODES + [
    ("error", "Error"),
    ("skipped", "Skipped"),
]


class PropertyBillingRunIssue(models.Model):
    """A problem met by a billing run: found at preview (no payer, missing
    reading, standard not billable yet) or while billing one unit (its error
    did not stop the other units)."""

    _name = "property.billing.run.issue"
    _description = "Billing Run Problem"
    _order = "run_id, kind, unit_id, id"
    _rec_name = "message"

    run_id = fields.Many2one(
        "property.billing.run", required=True, index=True, ondelete="cascade")
    kind = fields.Selection(ISSUE_KINDS, required=True, index=True)
    unit_id = fields.Many2one("property.unit", index=True, ondelete="cascade")
    building_id = fields.Many2one(
        "property.building", related="unit_id.building_id", store=True,
        readonly=True)
    item_id = fields.Many2one("property.fee.item", string="Fee Item",
                              ondelete="cascade")
    standard_id = fields.Many2one("property.fee.standard", ondelete="cascade")
    message = fields.Text(required=True)
