# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class PropertyCashClosingReopen(models.TransientModel):
    """Reopen a closed day with a reason (billing managers; checked by
    ``property.cash.closing.action_reopen``)."""

    _name = "property.cash.closing.reopen"
    _description = "Reopen a Closed Day"

    closing_id = fields.Many2one(
        "property.cash.closing", string="Daily Closing", required=True,
        default=lambda self: self.env.context.get("active_id"))
    reason = fields.Text(required=True)

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self.closing_id.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
