# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountInvoiceLine(models.Model):
    """A fee line of a billing notice, with its calculation basis (计费依据)."""

    _inherit = "account.invoice.line"

    property_fee_item_id = fields.Many2one(
        "property.fee.item", string="Fee Item", index=True, ondelete="restrict")
    property_fee_standard_id = fields.Many2one(
        "property.fee.standard", string="Fee Standard", ondelete="restrict")
    property_basis = fields.Char(
        string="Basis", help="How the amount was calculated, e.g. "
                             "89.50 m² × 2.80 元/m²/月 × 1 月.")
    property_period_from = fields.Date(string="Period From")
    property_period_to = fields.Date(string="Period To")
    property_disputed = fields.Boolean(
        string="Disputed", copy=False,
        help="The owner questioned this line and has not been answered yet.")
    property_billing_line_id = fields.Many2one(
        "property.billing.line", string="Billing Ledger Entry", index=True,
        ondelete="restrict", copy=False, readonly=True)
