# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, models

from odoo.addons.queue_job.job import job

from odoo.addons.property_billing.models.property_billing_run import (
    POST_CHANNEL, _retry_later)

_logger = logging.getLogger(__name__)


class PropertyBillingRun(models.Model):
    _inherit = "property.billing.run"

    @job(default_channel=POST_CHANNEL)
    @api.multi
    def _post_chunk(self, invoice_ids):
        """Post the chunk, then apply the payers' advance credit (预存) to
        the bills just posted, oldest bill first. A failure to apply does not
        undo the posting: the credit stays and the next run (or the cashier)
        applies it; a concurrent update retries the whole job."""
        result = super()._post_chunk(invoice_ids)
        invoices = self.env["account.invoice"].browse(invoice_ids)
        invoices.invalidate_cache(["state", "commercial_partner_id"],
                                  invoices.ids)
        invoices = invoices.filtered(lambda inv: inv.state == "open")
        payers = invoices.mapped("commercial_partner_id")
        if not payers:
            return result
        try:
            with self.env.cr.savepoint():
                self.env["property.payment.service"]._apply_advance(payers)
        except Exception as error:  # pylint: disable=broad-except
            if _retry_later(error):
                raise
            self.env.clear()
            _logger.warning(
                "billing run %s: advance credit not applied to the posted "
                "bills: %s", self.id, error)
            self.env["property.billing.run.issue"].create({
                "run_id": self.id, "kind": "error",
                "message": self._advance_error_text(error)})
        return result

    @api.multi
    def _advance_error_text(self, error):
        return _("Advance credit not applied: %s") % (
            getattr(error, "name", None) or str(error))
