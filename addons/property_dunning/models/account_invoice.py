# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    property_dunning_step_ids = fields.Many2many(
        "property.dunning.step", "property_dunning_step_invoice_rel",
        "invoice_id", "step_id", string="Dunning Steps", readonly=True,
        copy=False)

    @api.multi
    def _property_collection_paused_ids(self):
        """The ids of the bills of ``self`` whose dunning is paused
        (``_property_collection_pause``, asked once per bill with the
        complaints prefetched)."""
        paused = []
        for invoice in self.sudo().with_prefetch(self._prefetch):
            if invoice._property_collection_pause()[0]:
                paused.append(invoice.id)
        return paused
