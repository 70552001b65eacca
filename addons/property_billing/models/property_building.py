# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PropertyBuilding(models.Model):
    """A building (楼栋) of an estate."""

    _name = "property.building"
    _description = "Building"
    _order = "estate_id, sequence, name, id"

    _sql_constraints = [
        ("code_estate_uniq", "unique(estate_id, code)",
         "The building code must be unique in an estate."),
    ]

    name = fields.Char(required=True, index=True)
    code = fields.Char(index=True, help="e.g. '3' in unit code '3-2-1502'.")
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True,
        ondelete="restrict")
    company_id = fields.Many2one(
        "res.company", related="estate_id.company_id", store=True,
        readonly=True, index=True)
    sequence = fields.Integer(default=10)
    floor_count = fields.Integer(string="Floors")
    unit_ids = fields.One2many("property.unit", "building_id", string="Units")
    unit_count = fields.Integer(compute="_compute_unit_count")
    active = fields.Boolean(default=True)

    @api.multi
    def _compute_unit_count(self):
        counts = {}
        if self.ids:
            groups = self.env["property.unit"].read_group(
                [("building_id", "in", self.ids)], ["building_id"], ["building_id"])
            counts = {g["building_id"][0]: g["building_id_count"] for g in groups}
        for building in self:
            building.unit_count = counts.get(building.id, 0)

    @api.constrains("estate_id")
    def _check_units_estate(self):
        for building in self:
            strays = building.unit_ids.filtered(
                lambda unit: unit.estate_id != building.estate_id)
            if strays:
                raise ValidationError(_(
                    "Building %(building)s cannot move to estate %(estate)s: "
                    "its units %(units)s belong to another estate.") % {
                        "building": building.name,
                        "estate": building.estate_id.name,
                        "units": ", ".join(strays.mapped("code"))})

    @api.multi
    def name_get(self):
        result = []
        for building in self:
            if self.env.context.get("property_building_short"):
                result.append((building.id, building.name))
            else:
                result.append((building.id, "%s / %s" % (
                    building.estate_id.code or building.estate_id.name,
                    building.name)))
        return result

    @api.multi
    def action_view_units(self):
        self.ensure_one()
        action = self.env.ref("property_billing.property_unit_action").read()[0]
        action["domain"] = [("building_id", "=", self.id)]
        action["context"] = {"default_building_id": self.id,
                             "default_estate_id": self.estate_id.id}
        return action
