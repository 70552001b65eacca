# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountInvoiceLine(models.Model):
    """An add-on computing a stored field the batch computes itself."""

    _inherit = "account.invoice.line"

    @api.one
    def _compute_price(self):
        return super(AccountInvoiceLine, self)._compute_price()
