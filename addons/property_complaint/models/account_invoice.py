# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models


class AccountInvoice(models.Model):
    """Bills linked to complaints: an open complaint about a bill pauses its
    dunning (``_property_collection_pause``, the extension point of
    property_billing that dunning calls)."""

    _inherit = "account.invoice"

    complaint_ids = fields.Many2many(
        comodel_name="property.complaint",
        relation="property_complaint_invoice_rel",
        column1="invoice_id", column2="complaint_id",
        string="Complaints", copy=False,
        help="Complaints about this bill; while one is open the bill counts "
             "as disputed for dunning.")
    complaint_count = fields.Integer(
        string="Complaints", compute="_compute_complaint_count")
    complaint_open_count = fields.Integer(
        string="Open Complaints", compute="_compute_complaint_count")

    @api.multi
    def _compute_complaint_count(self):
        for invoice in self:
            complaints = invoice.sudo().complaint_ids
            invoice.complaint_count = len(complaints)
            invoice.complaint_open_count = len(
                complaints.filtered(lambda c: not c.is_closed))

    @api.multi
    def _property_collection_pause(self):
        """(paused, reason): paused while a linked complaint is open."""
        self.ensure_one()
        complaints = self.sudo().complaint_ids.filtered(
            lambda complaint: not complaint.is_closed)
        if complaints:
            return True, _(
                "Disputed: complaint %s about this bill is still open.") % (
                    ", ".join(complaints.sorted("id").mapped("name")))
        return super()._property_collection_pause()

    @api.multi
    def action_view_complaints(self):
        self.ensure_one()
        action = self.env.ref(
            "property_complaint.property_complaint_action").read()[0]
        action["domain"] = [("related_invoice_ids", "in", self.ids)]
        action["context"] = {
            "default_related_invoice_ids": [(6, 0, self.ids)],
            "default_partner_id": self.partner_id.id,
        }
        return action
