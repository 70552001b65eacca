# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResPartner(models.Model):
    """Complaints of an owner, on the owner's (billing) record."""

    _inherit = "res.partner"

    property_complaint_ids = fields.One2many(
        comodel_name="property.complaint", inverse_name="partner_id",
        string="Complaints")
    property_complaint_count = fields.Integer(
        string="Complaints", compute="_compute_property_complaint_count",
        help="Complaints raised by this owner (and their contacts) that you "
             "may see.")
    property_open_complaint_count = fields.Integer(
        string="Open Complaints", compute="_compute_property_complaint_count")

    @api.multi
    def _compute_property_complaint_count(self):
        Complaint = self.env["property.complaint"]
        if not Complaint.check_access_rights("read", raise_exception=False):
            for partner in self:
                partner.property_complaint_count = 0
                partner.property_open_complaint_count = 0
            return
        for partner in self:
            if not partner.id:
                partner.property_complaint_count = 0
                partner.property_open_complaint_count = 0
                continue
            domain = [("partner_id", "child_of", partner.commercial_partner_id.id)]
            partner.property_complaint_count = Complaint.search_count(domain)
            partner.property_open_complaint_count = Complaint.search_count(
                domain + [("is_closed", "=", False)])

    @api.multi
    def action_view_property_complaints(self):
        self.ensure_one()
        action = self.env.ref(
            "property_complaint.property_complaint_action").read()[0]
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
