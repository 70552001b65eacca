# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class PropertyUnit(models.Model):
    """Complaints about a unit, on the unit's record."""

    _inherit = "property.unit"

    complaint_ids = fields.One2many(
        comodel_name="property.complaint", inverse_name="unit_id",
        string="Complaints")
    complaint_count = fields.Integer(
        string="Complaints", compute="_compute_complaint_count")

    @api.multi
    def _compute_complaint_count(self):
        Complaint = self.env["property.complaint"]
        if not Complaint.check_access_rights("read", raise_exception=False) \
                or not self.ids:
            for unit in self:
                unit.complaint_count = 0
            return
        data = Complaint.read_group(
            [("unit_id", "in", self.ids)], ["unit_id"], ["unit_id"])
        counts = {row["unit_id"][0]: row["unit_id_count"] for row in data}
        for unit in self:
            unit.complaint_count = counts.get(unit.id, 0)

    @api.multi
    def action_view_complaints(self):
        self.ensure_one()
        action = self.env.ref(
            "property_complaint.property_complaint_action").read()[0]
        action["domain"] = [("unit_id", "=", self.id)]
        action["context"] = {"default_unit_id": self.id}
        return action
