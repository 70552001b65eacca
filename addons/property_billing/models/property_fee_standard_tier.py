# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..rules import fee_standards as rules


class PropertyFeeStandardTier(models.Model):
    """A yearly price tier (阶梯价) of a metered fee standard: consumption of
    the year up to ``upto`` (included) at ``price``; ``upto`` 0 = no limit."""

    _name = "property.fee.standard.tier"
    _description = "Fee Standard Price Tier"
    _order = "standard_id, sequence, upto, id"

    standard_id = fields.Many2one(
        "property.fee.standard", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    upto = fields.Float(
        string="Up To (per year)", digits=(12, 2),
        help="Yearly consumption up to which this price applies (included); "
             "0 = no upper limit (the last tier).")
    price = fields.Float(digits=(12, 4), required=True)
    currency_id = fields.Many2one(
        "res.currency", related="standard_id.currency_id", readonly=True)

    @api.constrains("upto", "price")
    def _check_values(self):
        for tier in self:
            if tier.upto < 0 or tier.price < 0:
                raise ValidationError(_(
                    "Tier limits and prices cannot be negative."))

    def _check_standard_draft(self, standards):
        if any(s.state != rules.DRAFT for s in standards):
            raise UserError(_(
                "The tiers of a fee standard that is no longer a draft cannot "
                "change. Create a new version instead."))

    @api.model
    def create(self, vals):
        tier = super().create(vals)
        self._check_standard_draft(tier.standard_id)
        return tier

    @api.multi
    def write(self, vals):
        self._check_standard_draft(self.mapped("standard_id"))
        result = super().write(vals)
        self._check_standard_draft(self.mapped("standard_id"))
        return result

    @api.multi
    def unlink(self):
        self._check_standard_draft(self.mapped("standard_id"))
        return super().unlink()
