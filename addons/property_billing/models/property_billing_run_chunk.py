# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PropertyBillingRunChunk(models.Model):
    """One executed chunk (queue_job job) of a billing run and what it did.

    Chunks only ever insert these rows: workers billing one run in parallel
    never update a common row, which under PostgreSQL's repeatable read would
    make all but one of them start their chunk again."""

    _name = "property.billing.run.chunk"
    _description = "Billing Run Chunk"
    _order = "run_id, id"

    run_id = fields.Many2one(
        "property.billing.run", required=True, index=True, ondelete="cascade")
    kind = fields.Selection(
        [("generate", "Generate"), ("post", "Post")], required=True, index=True)
    unit_count = fields.Integer(string="Units")
    error_count = fields.Integer(string="Errors")
    invoice_count = fields.Integer(string="Invoices")
    fallback_reason = fields.Text(
        string="Slow Path Reason", readonly=True,
        help="Why this chunk could not be written in one batch and went "
             "through the ORM, record by record (about 40 times slower).")
