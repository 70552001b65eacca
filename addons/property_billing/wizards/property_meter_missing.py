# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Missing readings (未抄表): the meters of an estate or some buildings that
have no reading in a period, to be read before a billing run."""
from odoo import api, fields, models

from ..rules import meter_readings as rules


class PropertyMeterMissing(models.TransientModel):
    _name = "property.meter.missing"
    _description = "Missing meter readings"

    estate_id = fields.Many2one("property.estate", required=True)
    building_ids = fields.Many2many(
        "property.building", string="Buildings",
        domain="[('estate_id', '=', estate_id)]",
        help="Leave empty for the whole estate.")
    kind = fields.Selection(
        rules.METER_KINDS, help="Leave empty for every kind of meter.")
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)

    @api.multi
    def action_show(self):
        self.ensure_one()
        self.env["property.meter"].check_access_rights("read")
        action = self.env["property.meter"]._action_missing_readings(
            self.estate_id, self.date_from, self.date_to,
            buildings=self.building_ids or None)
        if self.kind:
            action["domain"].append(("kind", "=", self.kind))
        return action
