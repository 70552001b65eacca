# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons.base.res.res_partner import _lang_get, _tz_get

from ..rules.constants import DEFAULT_TZ


class PropertyEstate(models.Model):
    """An estate (小区 / 项目) run by the property-service company."""

    _name = "property.estate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Estate"
    _order = "name, id"

    _sql_constraints = [
        ("code_company_uniq", "unique(company_id, code)",
         "The estate code must be unique per company."),
    ]

    name = fields.Char(required=True, index=True, track_visibility="onchange")
    code = fields.Char(
        required=True, index=True, track_visibility="onchange",
        help="Short code printed before unit codes, e.g. GG in 'GG 3-2-1502'.")
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True)
    street = fields.Char()
    street2 = fields.Char()
    city = fields.Char()
    state_id = fields.Many2one(
        "res.country.state", ondelete="restrict", string="Province")
    zip = fields.Char(change_default=True)
    country_id = fields.Many2one(
        "res.country", ondelete="restrict")
    tz = fields.Selection(
        _tz_get, string="Timezone", default=DEFAULT_TZ,
        help="Billing periods, due dates and complaint clocks of this estate "
             "are counted in this timezone.")
    lang = fields.Selection(
        _lang_get, string="Language",
        help="Language of the bills of payers who have none of their own; "
             "empty = the company's language.")
    service_phone = fields.Char(
        help="Printed on billing notices and letters.")
    bank_name = fields.Char(string="Bank")
    bank_account = fields.Char(
        help="Account printed on billing notices.")
    manager_id = fields.Many2one(
        "res.users", string="Estate Manager", track_visibility="onchange")
    building_ids = fields.One2many("property.building", "estate_id")
    unit_ids = fields.One2many("property.unit", "estate_id")
    building_count = fields.Integer(compute="_compute_counts")
    unit_count = fields.Integer(compute="_compute_counts")
    occupied_count = fields.Integer(
        string="Occupied Units", compute="_compute_counts")
    active = fields.Boolean(default=True, track_visibility="onchange")
    note = fields.Text(string="Notes")

    @api.multi
    def _compute_counts(self):
        buildings = self._count_by_estate("property.building", [])
        units = self._count_by_estate("property.unit", [])
        occupied = self._count_by_estate(
            "property.unit", [("state", "=", "occupied")])
        for estate in self:
            estate.building_count = buildings.get(estate.id, 0)
            estate.unit_count = units.get(estate.id, 0)
            estate.occupied_count = occupied.get(estate.id, 0)

    def _count_by_estate(self, model, domain):
        if not self.ids:
            return {}
        groups = self.env[model].read_group(
            [("estate_id", "in", self.ids)] + domain, ["estate_id"], ["estate_id"])
        return {g["estate_id"][0]: g["estate_id_count"] for g in groups}

    @api.multi
    def action_view_buildings(self):
        self.ensure_one()
        action = self.env.ref("property_billing.property_building_action").read()[0]
        action["domain"] = [("estate_id", "=", self.id)]
        action["context"] = {"default_estate_id": self.id}
        return action

    @api.multi
    def action_view_units(self):
        self.ensure_one()
        action = self.env.ref("property_billing.property_unit_action").read()[0]
        action["domain"] = [("estate_id", "=", self.id)]
        action["context"] = {"default_estate_id": self.id,
                             "search_default_group_building": 1}
        return action

    @api.multi
    def action_view_occupied_units(self):
        action = self.action_view_units()
        action["domain"].append(("state", "=", "occupied"))
        return action

    @api.multi
    def name_get(self):
        return [(estate.id, "[%s] %s" % (estate.code, estate.name)
                 if estate.code else estate.name) for estate in self]

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        args = list(args or [])
        if name:
            estates = self.search(
                ["|", ("code", "=ilike", name), ("name", operator, name)] + args,
                limit=limit)
            return estates.name_get()
        return super().name_search(name, args, operator, limit)
