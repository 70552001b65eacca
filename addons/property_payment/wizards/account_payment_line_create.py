# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountPaymentLineCreate(models.TransientModel):
    """OCA's "Create Payment Lines from Journal Items": for an auto-debit
    order it proposes the open bills of payers with a valid mandate that no
    other order debits already."""

    _inherit = "account.payment.line.create"

    @api.multi
    def _prepare_move_line_domain(self):
        domain = super()._prepare_move_line_domain()
        if self.order_id.property_is_debit:
            domain += self.env["account.move.line"]._property_debit_domain(
                self.order_id.company_id)
        return domain
