# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from .report_property_receipt import RECEIPT_REPORT


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        """Receipts count their PDF prints: the next one is marked 补打
        (reprint). The HTML preview counts nothing."""
        result = super().render_qweb_pdf(res_ids=res_ids, data=data)
        if res_ids and len(self) == 1 and self.report_name == RECEIPT_REPORT:
            self.env["report.%s" % RECEIPT_REPORT]._count_print(res_ids)
        return result
