# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

from ..rules import meter_readings as rules
from ..rules.fees import format_number
from .property_unit import to_date

# Fields whose change may break the chain of a meter's readings.
# Context key: the chain of the readings being created is already checked.
_CHECKED = "property_meter_reading_checked"
CHAIN_FIELDS = ("meter_id", "date", "value", "reading_type",
                "old_final_value", "initial_value")


class PropertyMeterReading(models.Model):
    """A meter reading (抄表读数). Readings of a meter form a chain in date
    order; each one's consumption is computed by ``rules.meter_readings``
    from the reading before it, and a reading that would make any consumption
    negative is refused before anything is written."""

    _name = "property.meter.reading"
    _description = "Meter Reading"
    _order = "date desc, id desc"
    _rec_name = "date"

    meter_id = fields.Many2one(
        "property.meter", required=True, index=True, ondelete="cascade")
    date = fields.Date(
        required=True, index=True, default=fields.Date.context_today)
    value = fields.Float(
        string="Reading", digits=(16, 3), required=True,
        help="Index shown on the meter's counter.")
    reading_type = fields.Selection(
        rules.READING_TYPES, string="Type", required=True, default=rules.NORMAL,
        help="Normal: the counter went up since the previous reading.\n"
             "Meter replaced: the old meter was removed at its final value and "
             "the new one started from its initial value.\n"
             "Rollover: the counter passed its capacity and restarted at 0.\n"
             "Initial: the first reading of a meter.")
    old_final_value = fields.Float(
        string="Old Meter Final Value", digits=(16, 3),
        help="Replacement only: last index of the removed meter.")
    initial_value = fields.Float(
        string="New Meter Initial Value", digits=(16, 3),
        help="Replacement only: index of the new meter when it was installed.")
    previous_reading_id = fields.Many2one(
        "property.meter.reading", readonly=True,
        ondelete="set null")
    previous_value = fields.Float(
        related="previous_reading_id.value", string="Previous Value",
        readonly=True)
    consumption = fields.Float(
        digits=(16, 3), readonly=True,
        help="Consumed since the previous reading (0 for the first one).")
    note = fields.Char(string="Notes")
    kind = fields.Selection(
        related="meter_id.kind", store=True, readonly=True)
    uom_label = fields.Char(
        related="meter_id.uom_label", readonly=True, string="Unit of Measure")
    unit_id = fields.Many2one(
        "property.unit", related="meter_id.unit_id", store=True,
        readonly=True, index=True)
    building_id = fields.Many2one(
        "property.building", related="meter_id.building_id", store=True,
        readonly=True, index=True)
    estate_id = fields.Many2one(
        "property.estate", related="meter_id.estate_id", store=True,
        readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", related="meter_id.company_id", store=True,
        readonly=True, index=True)

    # -- CRUD ----------------------------------------------------------------------

    @api.model
    def create(self, vals):
        if self.env.context.get(_CHECKED):
            return super().create(vals)
        return self._create_readings([vals])

    @api.model
    def _create_readings(self, vals_list):
        """Create many readings at once: each meter's chain (stored readings
        plus the new ones) is checked first — a ValidationError and nothing
        written when any reading is refused — then every reading is created
        and each meter's chain stored once. Returns the new readings."""
        by_meter = {}
        for index, vals in enumerate(vals_list):
            by_meter.setdefault(vals.get("meter_id"), []).append(
                self._to_rule_reading_from_vals(vals, key=("new", index)))
        meters = self.env["property.meter"].browse(
            [meter_id for meter_id in by_meter if meter_id])
        for meter in meters:
            meter._check_chain(
                self._stored_rule_readings(meter) + by_meter[meter.id])
        Reading = self.with_context(**{_CHECKED: True, "recompute": False})
        readings = self.browse()
        for vals in vals_list:
            readings |= Reading.create(vals)
        self.recompute()
        meters._update_chain()
        return readings

    @api.multi
    def write(self, vals):
        if not any(name in vals for name in CHAIN_FIELDS):
            return super().write(vals)
        meters = self.mapped("meter_id")
        if vals.get("meter_id"):
            meters |= self.env["property.meter"].browse(vals["meter_id"])
        for meter in meters:
            readings = [
                r for r in self._stored_rule_readings(meter)
                if r.key not in self.ids]
            for reading in self:
                if (vals.get("meter_id") or reading.meter_id.id) == meter.id:
                    readings.append(reading._to_rule_reading(vals))
            meter._check_chain(readings)
        result = super().write(vals)
        meters._update_chain()
        return result

    @api.multi
    def unlink(self):
        meters = self.mapped("meter_id")
        for meter in meters:
            meter._check_chain([r for r in self._stored_rule_readings(meter)
                                if r.key not in self.ids])
        result = super().unlink()
        meters.exists()._update_chain()
        return result

    # -- business methods ------------------------------------------------------------

    @api.multi
    def _to_rule_reading(self, vals=None):
        """This reading as a ``rules.Reading`` (with ``vals`` applied)."""
        self.ensure_one()
        merged = {name: self[name] for name in CHAIN_FIELDS[1:]}
        merged.update({k: v for k, v in (vals or {}).items() if k in merged})
        return self._to_rule_reading_from_vals(merged, key=self.id)

    @api.model
    def _to_rule_reading_from_vals(self, vals, key=None):
        kind = vals.get("reading_type") or rules.NORMAL
        replacement = kind == rules.REPLACEMENT
        return rules.Reading(
            date=to_date(vals.get("date") or fields.Date.context_today(self)),
            value=rules.to_decimal(float(vals.get("value") or 0.0)),
            reading_type=kind,
            old_final=(rules.to_decimal(float(vals.get("old_final_value") or 0.0))
                       if replacement else None),
            initial=(rules.to_decimal(float(vals.get("initial_value") or 0.0))
                     if replacement else None),
            key=key,
        )

    @api.model
    def _stored_rule_readings(self, meter):
        """The stored readings of ``meter`` as ``rules.Reading`` (key = id)."""
        readings = self.search([("meter_id", "=", meter.id)], order="date, id")
        return [reading._to_rule_reading() for reading in readings]

    @api.model
    def _reading_error_message(self, meter, reading, error):
        """Translated sentence for a ``rules.ReadingError`` of ``reading``
        (a ``rules.Reading`` or None) on ``meter``."""
        params = {
            "meter": meter.display_name,
            "date": self._format(reading.date) if reading else "",
            "value": self._format(reading.value) if reading else "",
        }
        params.update({key: self._format(value)
                       for key, value in error.params.items()})
        types = dict(self._fields["reading_type"]._description_selection(self.env))
        if "type" in params:
            params["type"] = types.get(error.params["type"], params["type"])
        messages = {
            "missing_value": _("Meter %(meter)s: the reading of %(date)s has "
                               "no value."),
            "negative_value": _("Meter %(meter)s: a reading cannot be negative "
                                "(got %(value)s on %(date)s)."),
            "over_capacity": _(
                "Meter %(meter)s: the reading %(value)s of %(date)s does not fit "
                "the counter, whose capacity is %(capacity)s."),
            "unknown_type": _("Meter %(meter)s: unknown reading type "
                              "'%(value)s'."),
            "needs_previous": _(
                "Meter %(meter)s: the reading of %(date)s is recorded as "
                "'%(type)s' but the meter has no earlier reading."),
            "duplicate_date": _(
                "Meter %(meter)s already has a reading on %(date)s: correct "
                "that reading instead of adding another one."),
            "initial_not_first": _(
                "Meter %(meter)s: only the first reading can be the initial "
                "reading; there is already a reading on %(previous_date)s."),
            "lower_than_previous": _(
                "Meter %(meter)s: the reading %(value)s of %(date)s is lower "
                "than the previous reading %(previous)s of %(previous_date)s. "
                "If the meter was replaced or its counter rolled over, record "
                "the reading as such."),
            "rollover_without_capacity": _(
                "Meter %(meter)s: a rollover needs the meter's digit capacity; "
                "set it on the meter first."),
            "rollover_not_lower": _(
                "Meter %(meter)s: the reading %(value)s of %(date)s is not lower "
                "than the previous reading %(previous)s, so the counter did not "
                "roll over: record it as a normal reading."),
            "replacement_incomplete": _(
                "Meter %(meter)s: a replacement needs the old meter's final "
                "value and the new meter's initial value."),
            "old_final_lower": _(
                "Meter %(meter)s: the old meter's final value %(old_final)s is "
                "lower than its previous reading %(previous)s of "
                "%(previous_date)s."),
            "lower_than_initial": _(
                "Meter %(meter)s: the reading %(value)s of %(date)s is lower "
                "than the new meter's initial value %(initial)s."),
        }
        template = messages.get(error.code)
        if template is None:
            return "%s: %s" % (meter.display_name, error.code)
        return template % params

    @staticmethod
    def _format(value):
        if value is None:
            return ""
        if hasattr(value, "isoformat"):
            return fields.Date.to_string(value)
        if isinstance(value, (int, float)) or hasattr(value, "quantize"):
            return format_number(value, 0)
        return str(value)
