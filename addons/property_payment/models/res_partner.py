# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    property_advance_balance = fields.Monetary(
        string="Advance Credit", compute="_compute_property_advance_balance",
        currency_field="currency_id",
        help="Money paid ahead (预存) and not yet used by a bill, in your "
             "company: credit on the receivable and on the advance receipts "
             "account. It pays the next bills, oldest first.")

    @api.multi
    def _compute_property_advance_balance(self):
        """Read with SQL, so only for those who may see the books: internal
        users with accounting rights, and a portal owner for his own
        partner (the record rules let him read no other)."""
        user = self.env.user
        own = user.commercial_partner_id
        trusted = user.has_group("account.group_account_invoice")
        partners = self.filtered(lambda p: p.id and (
            trusted or p.commercial_partner_id == own))
        balances = self.env["property.payment.service"]._advance_balances(
            user.company_id,
            partner_ids=partners.mapped("commercial_partner_id").ids)
        for partner in self:
            if partner not in partners:
                partner.property_advance_balance = 0.0
                continue
            receivable, on_account = balances.get(
                partner.commercial_partner_id.id, (0.0, 0.0))
            partner.property_advance_balance = receivable + on_account
