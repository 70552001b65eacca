# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models


class PropertyCashClosingReopen(models.TransientModel):
    """Reopen a closed day with a reason (billing managers; checked by
    ``property.cash.closing.action_reopen``)."""

    _name = "property.cash.closing.reopen"
    _description = "Reopen a Closed Day"

    closing_id = fields.Many2one(
        "property.cash.closing", string="Daily Closing", required=True,
        default=lambda self: self.env.context.get("active_id"))
    reason = fields.Text(required=True)

    @api.model
    def create(self, vals):
        # a wizard has no access rights: only managers make one (its
        # Many2one would show a closing's name to anyone)
        self.env["property.cash.closing"]._check_manager(
            _("Only a billing manager can reopen a closed day."))
        return super().create(vals)

    @api.multi
    def action_confirm(self):
        self.env["property.cash.closing"]._check_manager(
            _("Only a billing manager can reopen a closed day."))
        self.ensure_one()
        self.closing_id.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
