# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What dunning reads of auto-debit (account.invoice of account, extended
for auto-debit; the file name says which part it holds).

Nothing here is stored on the invoice and no method of the invoice's
create, write or posting is overridden: the billing runs' batch writes
invoices as they are (see property_billing's ``property.invoice.batch``)."""
from odoo import api, fields, models

from .property_debit_failure import OPEN


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    property_debit_failure_ids = fields.One2many(
        "property.debit.failure", "invoice_id", string="Auto-debit Failures",
        readonly=True)
    property_debit_failed = fields.Boolean(
        string="Auto-debit Failed", compute="_compute_property_debit_failed",
        search="_search_property_debit_failed",
        help="The bank did not debit this open bill (see the reason): "
             "dunning takes it up.")
    property_debit_failure_reason = fields.Char(
        string="Auto-debit Failure Reason",
        compute="_compute_property_debit_failed")

    @api.depends("state", "property_debit_failure_ids.state")
    def _compute_property_debit_failed(self):
        for invoice in self:
            failures = invoice.property_debit_failure_ids.filtered(
                lambda failure: failure.state == OPEN)
            last = failures[:1]
            invoice.property_debit_failed = bool(
                last) and invoice.state == "open"
            invoice.property_debit_failure_reason = " ".join(
                part for part in (last.code, last.reason) if part) or False

    @api.model
    def _search_property_debit_failed(self, operator, value):
        failed = operator in ("=", "!=") and (
            bool(value) == (operator == "="))
        self.env["property.debit.failure"].check_access_rights("read")
        self.env.cr.execute(
            "SELECT DISTINCT invoice_id FROM property_debit_failure "
            "WHERE state = %s", (OPEN,))
        ids = [row[0] for row in self.env.cr.fetchall()]
        if failed:
            return ["&", ("id", "in", ids), ("state", "=", "open")]
        return ["|", ("id", "not in", ids), ("state", "!=", "open")]
