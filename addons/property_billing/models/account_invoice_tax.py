# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError

from .account_invoice import check_posted_write, check_target_invoice

POSTED_TAX_FIELDS = frozenset([
    "invoice_id", "tax_id", "account_id", "account_analytic_id", "amount",
    "amount_rounding", "amount_total", "manual", "base", "company_id",
    "currency_id",
])


class AccountInvoiceTax(models.Model):
    """The tax lines of a validated invoice keep their amounts and accounts,
    over RPC too (``compute_taxes`` is public and would recompute them with
    today's taxes); see AccountInvoice.write."""

    _inherit = "account.invoice.tax"

    @api.model
    def create(self, vals):
        check_target_invoice(self, vals)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        check_posted_write(self, vals, POSTED_TAX_FIELDS)
        return super().write(vals)

    @api.multi
    def unlink(self):
        for tax in self:
            if tax.invoice_id:
                tax._check_draft_invoice(tax.invoice_id)
        return super().unlink()

    @api.model
    def _check_draft_invoice(self, invoice):
        if invoice.state != "draft":
            raise UserError(_(
                "The taxes of %s cannot change: it is validated or cancelled. "
                "Issue a credit note or a new invoice.") % invoice.display_name)
