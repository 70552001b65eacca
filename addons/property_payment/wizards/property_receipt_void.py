# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class PropertyReceiptVoid(models.TransientModel):
    """Void a receipt with a reason (billing managers; checked by
    ``property.receipt.action_void``)."""

    _name = "property.receipt.void"
    _description = "Void a Receipt"

    receipt_id = fields.Many2one(
        "property.receipt", required=True,
        default=lambda self: self.env.context.get("active_id"))
    reason = fields.Text(required=True)

    @api.model
    def create(self, vals):
        # a wizard has no access rights: without this check anyone could make
        # one and read a receipt's number through its Many2one
        if not self.env.user.has_group("property_billing.group_billing_manager"):
            raise AccessError(_("Only a billing manager can void a receipt."))
        return super().create(vals)

    @api.multi
    def action_confirm(self):
        if not self.env.user.has_group("property_billing.group_billing_manager"):
            raise AccessError(_("Only a billing manager can void a receipt."))
        self.ensure_one()
        self.receipt_id.action_void(self.reason)
        return {"type": "ir.actions.act_window_close"}
