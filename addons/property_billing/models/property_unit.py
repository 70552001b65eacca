# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import occupancy as occupancy_rules
from ..rules.constants import UNIT_STATES, UNIT_TYPES


def to_date(value):
    """Odoo date string (or date/datetime) -> ``datetime.date``; falsy -> None."""
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return fields.Date.from_string(value)


class PropertyUnit(models.Model):
    """A unit (房屋, code like ``3-2-1502``): the thing that is billed."""

    _name = "property.unit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Unit"
    _order = "estate_id, building_id, code, id"

    _sql_constraints = [
        ("code_estate_uniq", "unique(estate_id, code)",
         "A unit code must be unique in its estate."),
    ]

    code = fields.Char(
        required=True, index=True, track_visibility="onchange",
        help="Unit number as printed on notices, e.g. 3-2-1502 "
             "(building-entrance-room).")
    name = fields.Char(
        compute="_compute_name", store=True, index=True,
        help="Estate code and unit code, e.g. 'GG 3-2-1502'.")
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True,
        ondelete="restrict", track_visibility="onchange")
    building_id = fields.Many2one(
        "property.building", index=True, ondelete="restrict",
        domain="[('estate_id', '=', estate_id)]", track_visibility="onchange")
    floor = fields.Integer()
    unit_type = fields.Selection(
        UNIT_TYPES, required=True, default="residential",
        index=True, track_visibility="onchange")
    area = fields.Float(
        string="Building Area (m²)", digits=(12, 2), required=True,
        track_visibility="onchange",
        help="Building area (建筑面积) in m²: the basis of area-based fees.")
    inner_area = fields.Float(
        string="Inner Area (m²)", digits=(12, 2),
        help="Usable inner area (套内面积) in m²; at most the building area.")
    state = fields.Selection(
        UNIT_STATES, required=True, default="undelivered", index=True,
        track_visibility="onchange")
    delivery_date = fields.Date(
        track_visibility="onchange", help="Day the unit was handed over (交房).")
    company_id = fields.Many2one(
        "res.company", related="estate_id.company_id", store=True,
        readonly=True, index=True)
    occupancy_ids = fields.One2many("property.occupancy", "unit_id")
    occupancy_count = fields.Integer(compute="_compute_occupancy_count")
    owner_ids = fields.Many2many(
        "res.partner", string="Current Owners", compute="_compute_current",
        search="_search_owner_ids",
        help="Owners in force today.")
    payer_id = fields.Many2one(
        "res.partner", string="Current Payer", compute="_compute_current",
        help="Main payer today: an explicit payer, else the owner with the "
             "largest share.")
    active = fields.Boolean(default=True, track_visibility="onchange")
    note = fields.Text(string="Notes")

    # -- computes ------------------------------------------------------------

    @api.depends("code", "estate_id.code")
    def _compute_name(self):
        for unit in self:
            unit.name = " ".join(p for p in (unit.estate_id.code, unit.code) if p)

    @api.multi
    def _compute_occupancy_count(self):
        counts = {}
        if self.ids:
            groups = self.env["property.occupancy"].read_group(
                [("unit_id", "in", self.ids)], ["unit_id"], ["unit_id"])
            counts = {g["unit_id"][0]: g["unit_id_count"] for g in groups}
        for unit in self:
            unit.occupancy_count = counts.get(unit.id, 0)

    @api.depends("occupancy_ids.partner_id", "occupancy_ids.role",
                 "occupancy_ids.share", "occupancy_ids.date_from",
                 "occupancy_ids.date_to")
    def _compute_current(self):
        today = to_date(fields.Date.context_today(self))
        units = self.filtered("id")
        by_unit = units._occupancies_by_unit(today, today)
        for unit in self:
            occupancies = by_unit.get(unit.id, [])
            owners = occupancy_rules.owners_on(occupancies, today)
            payers = occupancy_rules.payers_on(occupancies, today)
            unit.owner_ids = [(6, 0, [partner for partner, _share in owners])]
            unit.payer_id = payers[0][0] if payers else False

    def _search_owner_ids(self, operator, value):
        today = fields.Date.context_today(self)
        occupancies = self.env["property.occupancy"].search([
            ("role", "=", "owner"),
            ("date_from", "<=", today),
            "|", ("date_to", "=", False), ("date_to", ">=", today),
            ("partner_id", operator, value),
        ])
        return [("id", "in", occupancies.mapped("unit_id").ids)]

    # -- constraints and onchanges ---------------------------------------------

    @api.constrains("area")
    def _check_area(self):
        for unit in self:
            if unit.area <= 0:
                raise ValidationError(_(
                    "The building area of unit %(unit)s must be greater than "
                    "0 m² (got %(area)s).") % {"unit": unit.code, "area": unit.area})

    @api.constrains("area", "inner_area")
    def _check_inner_area(self):
        for unit in self:
            if not unit.inner_area:
                continue
            if unit.inner_area < 0:
                raise ValidationError(_(
                    "The inner area of unit %(unit)s must be greater than 0 m² "
                    "(got %(area)s).") % {"unit": unit.code,
                                          "area": unit.inner_area})
            if unit.inner_area > unit.area:
                raise ValidationError(_(
                    "The inner area of unit %(unit)s (%(inner)s m²) cannot "
                    "exceed its building area (%(area)s m²).") % {
                        "unit": unit.code, "inner": unit.inner_area,
                        "area": unit.area})

    @api.constrains("building_id", "estate_id")
    def _check_building_estate(self):
        for unit in self:
            if unit.building_id and unit.building_id.estate_id != unit.estate_id:
                raise ValidationError(_(
                    "Unit %(unit)s belongs to estate %(estate)s but building "
                    "%(building)s belongs to estate %(other)s.") % {
                        "unit": unit.code, "estate": unit.estate_id.name,
                        "building": unit.building_id.name,
                        "other": unit.building_id.estate_id.name})

    @api.onchange("building_id")
    def _onchange_building_id(self):
        if self.building_id:
            self.estate_id = self.building_id.estate_id

    @api.onchange("estate_id")
    def _onchange_estate_id(self):
        if self.building_id and self.building_id.estate_id != self.estate_id:
            self.building_id = False

    # -- actions ---------------------------------------------------------------

    @api.multi
    def action_view_occupancies(self):
        self.ensure_one()
        action = self.env.ref(
            "property_billing.property_occupancy_action").read()[0]
        action["domain"] = [("unit_id", "=", self.id)]
        action["context"] = {"default_unit_id": self.id,
                             "search_default_group_role": 1}
        return action

    # -- business methods ---------------------------------------------------------

    @api.multi
    def _occupancies_by_unit(self, date_from, date_to):
        """One search: {unit id: [rules.occupancy.Occupancy]} of the
        occupancies of ``self`` in force at some day of [date_from, date_to]."""
        result = {unit_id: [] for unit_id in self.ids}
        if not self.ids:
            return result
        records = self.env["property.occupancy"].search([
            ("unit_id", "in", self.ids),
            ("date_from", "<=", fields.Date.to_string(date_to)),
            "|", ("date_to", "=", False),
            ("date_to", ">=", fields.Date.to_string(date_from)),
        ])
        for record in records:
            result[record.unit_id.id].append(record._to_rule_occupancy())
        return result

    @api.multi
    def _payers_by_unit(self, date):
        """{unit id: [(partner id, share percent)]} of who pays on ``date``
        (an Odoo date string or a ``date``), for the whole recordset at once."""
        day = to_date(date)
        by_unit = self._occupancies_by_unit(day, day)
        return {unit_id: occupancy_rules.payers_on(occupancies, day)
                for unit_id, occupancies in by_unit.items()}

    @api.multi
    def _get_payers(self, date):
        """Who pays for this unit on ``date``: [(res.partner, share percent)].

        Explicit payers win over owners; tenants never pay unless they are
        also payers. The first entry is the main payer. Shares are as recorded
        (co-owners 50/50 -> two entries of 50.0).
        """
        self.ensure_one()
        payers = self._payers_by_unit(date)[self.id]
        partners = self.env["res.partner"].browse([p for p, _s in payers])
        return [(partner, share) for partner, (_p, share) in zip(partners, payers)]

    @api.multi
    def _payer_segments_by_unit(self, date_from, date_to):
        """{unit id: [(start, end, [(partner id, share)])]} cutting
        [date_from, date_to] wherever the payers of a unit change. Days are
        returned as ``datetime.date`` (both ends included)."""
        start, end = to_date(date_from), to_date(date_to)
        if end < start:
            raise ValidationError(_(
                "The end of the period (%(end)s) is before its start "
                "(%(start)s).") % {"end": end, "start": start})
        by_unit = self._occupancies_by_unit(start, end)
        return {
            unit_id: [tuple(segment) for segment in
                      occupancy_rules.payer_segments(occupancies, start, end)]
            for unit_id, occupancies in by_unit.items()}

    @api.multi
    def _payer_segments(self, date_from, date_to):
        """[(start, end, [(partner id, share)])] over [date_from, date_to] for
        one unit: a month with a change of owner gives two segments."""
        self.ensure_one()
        return self._payer_segments_by_unit(date_from, date_to)[self.id]
