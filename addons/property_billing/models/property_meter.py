# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import meter_readings as rules
from .property_unit import to_date


class PropertyMeter(models.Model):
    """A meter (表计): a unit's own water/electricity/gas meter, or a shared
    meter (公共表) serving several units whose consumption is apportioned."""

    _name = "property.meter"
    _inherit = ["mail.thread"]
    _description = "Meter"
    _order = "estate_id, building_id, code, id"

    _sql_constraints = [
        ("code_estate_uniq", "unique(estate_id, code)",
         "A meter code must be unique in its estate."),
    ]

    code = fields.Char(
        required=True, index=True, track_visibility="onchange",
        help="Meter number as written on the reading sheet, unique per estate.")
    kind = fields.Selection(
        rules.METER_KINDS, required=True, default=rules.WATER, index=True,
        track_visibility="onchange")
    is_shared = fields.Boolean(
        string="Shared Meter", index=True, track_visibility="onchange",
        help="A common meter (公共表) serving several units: its consumption is "
             "apportioned over the served units.")
    unit_id = fields.Many2one(
        "property.unit", index=True, ondelete="restrict",
        domain="[('estate_id', '=', estate_id)]", track_visibility="onchange",
        help="The unit this private meter measures.")
    served_unit_ids = fields.Many2many(
        "property.unit", "property_meter_served_unit_rel", "meter_id", "unit_id",
        string="Served Units", domain="[('estate_id', '=', estate_id)]",
        help="Units sharing the consumption of this shared meter.")
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True, ondelete="restrict",
        track_visibility="onchange")
    building_id = fields.Many2one(
        "property.building", index=True, ondelete="restrict",
        domain="[('estate_id', '=', estate_id)]",
        help="Building of the meter; a private meter takes its unit's building.")
    company_id = fields.Many2one(
        "res.company", related="estate_id.company_id", store=True,
        readonly=True, index=True)
    item_id = fields.Many2one(
        "property.fee.item", string="Fee Item", ondelete="restrict",
        help="The fee item billed on this meter's consumption.")
    digits = fields.Integer(
        string="Digit Capacity", default=5,
        help="Number of integer digits of the counter: a 5-digit meter rolls "
             "over from 99999 to 0. 0 means unknown (no rollover accepted).")
    serial_number = fields.Char(
        track_visibility="onchange",
        help="Manufacturer's number of the device currently installed.")
    location = fields.Char(help="Where to find it, e.g. 'stairwell, floor 3'.")
    reading_ids = fields.One2many(
        "property.meter.reading", "meter_id", string="Readings")
    reading_count = fields.Integer(compute="_compute_reading_count")
    last_reading_id = fields.Many2one(
        "property.meter.reading", compute="_compute_last_reading", store=True)
    last_reading_date = fields.Date(
        related="last_reading_id.date", string="Last Reading Date",
        readonly=True, store=True)
    last_reading_value = fields.Float(
        related="last_reading_id.value", string="Last Value", readonly=True)
    uom_label = fields.Char(
        string="Unit of Measure", compute="_compute_uom_label")
    active = fields.Boolean(default=True, track_visibility="onchange")
    note = fields.Text(string="Notes")

    # -- computes --------------------------------------------------------------

    @api.depends("reading_ids.date", "reading_ids.value")
    def _compute_last_reading(self):
        for meter in self:
            readings = meter.reading_ids.sorted(lambda r: (r.date, r.id))
            meter.last_reading_id = readings[-1:].id if readings else False

    @api.depends("reading_ids")
    def _compute_reading_count(self):
        counts = {}
        if self.ids:
            groups = self.env["property.meter.reading"].read_group(
                [("meter_id", "in", self.ids)], ["meter_id"], ["meter_id"])
            counts = {g["meter_id"][0]: g["meter_id_count"] for g in groups}
        for meter in self:
            meter.reading_count = counts.get(meter.id, 0)

    @api.depends("kind")
    def _compute_uom_label(self):
        for meter in self:
            meter.uom_label = rules.KIND_UOM.get(meter.kind, "")

    # -- constraints and onchanges -------------------------------------------------

    @api.constrains("is_shared", "unit_id", "served_unit_ids")
    def _check_unit(self):
        for meter in self:
            if meter.is_shared and meter.unit_id:
                raise ValidationError(_(
                    "Shared meter %(meter)s serves several units: leave its unit "
                    "empty and list the served units instead.") % {
                        "meter": meter.code})
            if not meter.is_shared and not meter.unit_id:
                raise ValidationError(_(
                    "Meter %(meter)s is not shared: choose the unit it "
                    "measures.") % {"meter": meter.code})

    @api.constrains("estate_id", "unit_id", "served_unit_ids", "building_id")
    def _check_estate(self):
        for meter in self:
            units = meter.unit_id | meter.served_unit_ids
            others = units.filtered(lambda u: u.estate_id != meter.estate_id)
            if others:
                raise ValidationError(_(
                    "Meter %(meter)s belongs to estate %(estate)s but unit "
                    "%(unit)s does not.") % {
                        "meter": meter.code, "estate": meter.estate_id.name,
                        "unit": others[0].name})
            if meter.building_id and meter.building_id.estate_id != meter.estate_id:
                raise ValidationError(_(
                    "Meter %(meter)s belongs to estate %(estate)s but building "
                    "%(building)s does not.") % {
                        "meter": meter.code, "estate": meter.estate_id.name,
                        "building": meter.building_id.name})

    @api.constrains("digits")
    def _check_digits(self):
        for meter in self:
            if meter.digits < 0 or meter.digits > 12:
                raise ValidationError(_(
                    "The digit capacity of meter %(meter)s must be between 0 "
                    "and 12.") % {"meter": meter.code})

    @api.onchange("unit_id")
    def _onchange_unit_id(self):
        if self.unit_id:
            self.estate_id = self.unit_id.estate_id
            self.building_id = self.unit_id.building_id

    @api.onchange("is_shared")
    def _onchange_is_shared(self):
        if self.is_shared:
            self.unit_id = False

    # -- CRUD -----------------------------------------------------------------------

    @api.model
    def create(self, vals):
        return super().create(self._prepare_location_vals(vals))

    @api.multi
    def write(self, vals):
        result = super().write(self._prepare_location_vals(vals))
        if "digits" in vals:
            # a rollover's consumption depends on the capacity (and a smaller
            # capacity may contradict a recorded rollover): re-check and store
            self._update_chain()
        return result

    def _prepare_location_vals(self, vals):
        """A private meter lies in its unit's estate and building."""
        if vals.get("unit_id"):
            unit = self.env["property.unit"].browse(vals["unit_id"])
            vals = dict(vals, building_id=unit.building_id.id)
            vals.setdefault("estate_id", unit.estate_id.id)
        return vals

    @api.multi
    def name_get(self):
        result = []
        for meter in self:
            where = meter.unit_id.code or (
                meter.is_shared and _("shared") or "")
            result.append((meter.id, "%s (%s)" % (meter.code, where)
                           if where else meter.code))
        return result

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        args = list(args or [])
        if name:
            meters = self.search(
                ["|", ("code", operator, name), ("unit_id.code", operator, name)]
                + args, limit=limit)
            return meters.name_get()
        return super().name_search(name, args, operator, limit)

    # -- actions ---------------------------------------------------------------

    @api.multi
    def action_view_readings(self):
        self.ensure_one()
        action = self.env.ref(
            "property_billing.property_meter_reading_action").read()[0]
        action["domain"] = [("meter_id", "=", self.id)]
        action["context"] = {"default_meter_id": self.id}
        return action

    @api.model
    def _action_missing_readings(self, estate, date_from, date_to, buildings=None):
        """Window action listing ``_missing_readings``: usable from a billing
        run (``return env['property.meter']._action_missing_readings(...)``)."""
        meters = self._missing_readings(estate, date_from, date_to, buildings)
        action = self.env.ref("property_billing.property_meter_action").read()[0]
        action.update({
            "name": _("Missing readings %(from)s – %(to)s") % {
                "from": date_from, "to": date_to},
            "domain": [("id", "in", meters.ids)],
            "context": {"default_estate_id": estate.id,
                        "search_default_group_building": 1},
        })
        return action

    # -- business methods ----------------------------------------------------------

    @api.multi
    def _capacity(self):
        self.ensure_one()
        return rules.capacity_of(self.digits)

    @api.multi
    def _check_chain(self, readings):
        """[rules.Link] of ``readings`` (rules.Reading) for this meter, or a
        translated ValidationError naming the first refused reading."""
        self.ensure_one()
        try:
            return rules.check_chain(readings, self._capacity())
        except rules.ReadingError as error:
            reading = next((r for r in readings if r.key == error.key), None)
            raise ValidationError(self.env["property.meter.reading"]
                                  ._reading_error_message(self, reading, error))

    @api.multi
    def _reading_links(self):
        """{meter id: [rules.Link]} of the stored readings, in date order
        (``Link.reading.key`` is the reading id)."""
        result = {meter.id: [] for meter in self}
        if not self.ids:
            return result
        readings = self.env["property.meter.reading"].search(
            [("meter_id", "in", self.ids)], order="date, id")
        by_meter = {}
        for reading in readings:
            by_meter.setdefault(reading.meter_id.id, []).append(reading)
        for meter in self:
            result[meter.id] = meter._check_chain(
                [reading._to_rule_reading()
                 for reading in by_meter.get(meter.id, [])])
        return result

    @api.multi
    def _consumption_between(self, date_from, date_to):
        """{meter id: (Decimal consumption, property.meter.reading recordset)}.

        Consumption from the last reading on or before ``date_from`` (or the
        meter's first reading when none is that old) to the last reading on or
        before ``date_to``: the readings dated in (date_from, date_to]. The
        recordset holds the start reading then every counted reading, in date
        order (empty when no reading falls in the span), so that
        ``readings[0]`` is the previous and ``readings[-1]`` the current
        reading of a billing notice. Consecutive periods share their boundary
        day: between(a, b) + between(b, c) == between(a, c).
        Dates are Odoo date strings or ``datetime.date``.
        """
        start, end = to_date(date_from), to_date(date_to)
        Reading = self.env["property.meter.reading"]
        result = {}
        for meter_id, links in self._reading_links().items():
            total, used = rules.consumption_between(links, start, end)
            result[meter_id] = (
                total, Reading.browse([link.reading.key for link in used]))
        return result

    @api.multi
    def _consumption_in_year_before(self, date):
        """{meter id: Decimal}: consumption of the calendar year of ``date``
        up to the boundary ``date`` (readings dated 1 January .. ``date``) —
        what yearly tiers have already counted before a period billed with
        ``_consumption_between(date, ...)``."""
        day = to_date(date)
        return {
            meter_id: rules.consumption_in_year_before(links, day)
            for meter_id, links in self._reading_links().items()
        }

    @api.model
    def _missing_readings_domain(self, estate, buildings=None):
        domain = [("estate_id", "=", estate.id)]
        if buildings:
            domain += ["|", "|", ("building_id", "in", buildings.ids),
                       ("unit_id.building_id", "in", buildings.ids),
                       ("served_unit_ids.building_id", "in", buildings.ids)]
        return domain

    @api.model
    def _missing_readings(self, estate, date_from, date_to, buildings=None):
        """Active meters of ``estate`` (optionally of ``buildings``: their own
        building, their unit's, or one of their served units') that have no
        reading dated in [date_from, date_to]: to be read before billing."""
        meters = self.search(self._missing_readings_domain(estate, buildings))
        if not meters:
            return meters
        start, end = to_date(date_from), to_date(date_to)
        dates = {meter.id: [] for meter in meters}
        readings = self.env["property.meter.reading"].search([
            ("meter_id", "in", meters.ids),
            ("date", ">=", fields.Date.to_string(start)),
            ("date", "<=", fields.Date.to_string(end)),
        ])
        for reading in readings:
            dates[reading.meter_id.id].append(to_date(reading.date))
        return self.browse(rules.missing_meters(dates, start, end)).sorted(
            lambda m: (m.building_id.name or "", m.code))

    @api.multi
    def _update_chain(self):
        """Store each reading's previous reading and consumption, as computed
        by the rule over the whole chain (raises when the chain is invalid)."""
        Reading = self.env["property.meter.reading"]
        for links in self._reading_links().values():
            for link in links:
                reading = Reading.browse(link.reading.key)
                previous = link.previous.key if link.previous else False
                consumption = float(link.consumption)
                if (reading.previous_reading_id.id != previous
                        or abs(reading.consumption - consumption) > 0.0005):
                    reading.write({"previous_reading_id": previous,
                                   "consumption": consumption})
