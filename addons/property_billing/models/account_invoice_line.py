# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .account_invoice import check_posted_write, check_target_invoice

# What the lines of a validated invoice keep: what their amounts, accounts,
# taxes and partner were made from, and their billing ledger entry.
POSTED_LINE_FIELDS = frozenset([
    "invoice_id", "product_id", "uom_id", "quantity", "price_unit", "discount",
    "account_id", "account_analytic_id", "analytic_tag_ids",
    "invoice_line_tax_ids", "price_subtotal", "price_total",
    "price_subtotal_signed", "partner_id", "currency_id", "company_id",
    "is_rounding_line", "property_billing_line_id", "property_fee_item_id",
    "property_fee_standard_id", "property_period_from", "property_period_to",
])


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

    # -- the lines of a validated invoice keep their amounts --------------------
    # Odoo 11 refuses to delete them but lets ``write`` and ``create`` change
    # them over RPC; see AccountInvoice.write for why no caller is exempt.

    @api.model
    def create(self, vals):
        check_target_invoice(self, vals)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        check_posted_write(self, vals, POSTED_LINE_FIELDS)
        return super().write(vals)

    @api.model
    def _check_draft_invoice(self, invoice):
        if invoice.state != "draft":
            raise UserError(_(
                "Lines can be added only to a draft invoice: %s is validated "
                "or cancelled. Issue a credit note or a new invoice.")
                % invoice.display_name)
