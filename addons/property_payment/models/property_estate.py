# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class PropertyEstate(models.Model):
    _inherit = "property.estate"

    receipt_sequence_id = fields.Many2one(
        "ir.sequence", string="Receipt Numbers", readonly=True, copy=False,
        help="The estate's own gapless numbering of receipts (收据编号), "
             "created with its first receipt.")

    @api.multi
    def _receipt_sequence(self):
        """The estate's gapless receipt sequence, created on first use.

        ``no_gap``: the number is taken inside the payment's transaction
        (the sequence row stays locked until it commits), so a payment that
        fails gives its number back and two receipts never share one.
        """
        self.ensure_one()
        if not self.receipt_sequence_id:
            self.env.cr.execute(
                "SELECT id FROM property_estate WHERE id = %s FOR UPDATE",
                (self.id,))
            self.invalidate_cache(["receipt_sequence_id"], self.ids)
        if not self.receipt_sequence_id:
            sequence = self.env["ir.sequence"].sudo().create({
                "name": "Receipts %s" % self.code,
                "code": "property.receipt.%d" % self.id,
                "implementation": "no_gap",
                "prefix": "%s-SJ%%(year)s-" % self.code,
                "padding": 6,
                "company_id": self.company_id.id,
            })
            self.sudo().write({"receipt_sequence_id": sequence.id})
        return self.receipt_sequence_id
