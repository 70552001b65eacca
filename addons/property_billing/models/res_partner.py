# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..rules.constants import CONTACT_CHANNELS


class ResPartner(models.Model):
    _inherit = "res.partner"

    property_contact_channel = fields.Selection(
        CONTACT_CHANNELS, string="Preferred Channel", default="sms",
        help="How billing notices and reminders reach this owner first.")
    property_sms_consent = fields.Boolean(
        string="SMS Consent", help="The owner agreed to receive SMS.")
    property_occupancy_ids = fields.One2many(
        "property.occupancy", "partner_id", string="Occupancies")
    property_unit_count = fields.Integer(
        string="Units", compute="_compute_property_unit_count",
        help="Units this partner owns or pays for today.")

    @api.multi
    def _current_property_units(self):
        """{partner id: property.unit} owned or paid for today."""
        result = {partner.id: self.env["property.unit"] for partner in self}
        if not self.ids:
            return result
        occupancies = self.env["property.occupancy"].search([
            ("partner_id", "in", self.ids),
            ("role", "in", ("owner", "payer")),
            ("is_current", "=", True),
        ])
        for occupancy in occupancies:
            result[occupancy.partner_id.id] |= occupancy.unit_id
        return result

    @api.multi
    def _compute_property_unit_count(self):
        units = self.filtered("id")._current_property_units()
        for partner in self:
            partner.property_unit_count = len(units.get(partner.id, []))

    @api.multi
    def action_view_property_units(self):
        self.ensure_one()
        action = self.env.ref("property_billing.property_unit_action").read()[0]
        units = self._current_property_units()[self.id]
        action["domain"] = [("id", "in", units.ids)]
        action["context"] = {}
        return action
