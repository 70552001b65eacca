# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bulk entry of meter readings (抄表录入): one grid line per meter of a
building, with the previous reading shown and the new value to type in.

Every filled line is checked first (``rules.meter_readings``); the readings
are written only when no line has an error — all of them or none.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_escape

from ..rules import meter_readings as rules


class PropertyMeterReadingEntry(models.TransientModel):
    _name = "property.meter.reading.entry"
    _inherit = "property.batch.wizard.mixin"
    _wizard_rights = (("property.meter.reading", "create"),)
    _description = "Meter reading entry"

    estate_id = fields.Many2one("property.estate", required=True)
    building_id = fields.Many2one(
        "property.building", domain="[('estate_id', '=', estate_id)]",
        help="Leave empty for the meters of every building of the estate.")
    kind = fields.Selection(
        rules.METER_KINDS, required=True, default=rules.WATER)
    date = fields.Date(
        string="Reading Date", required=True, default=fields.Date.context_today)
    state = fields.Selection(
        [("draft", "Choose meters"), ("grid", "Enter readings"),
         ("done", "Saved")], default="draft", readonly=True)
    line_ids = fields.One2many(
        "property.meter.reading.entry.line", "wizard_id", string="Meters")
    result_html = fields.Html(string="Result", readonly=True, sanitize=False)
    error_count = fields.Integer(readonly=True)
    created_count = fields.Integer(string="Readings saved", readonly=True)

    def _wizard_title(self):
        return _("Enter meter readings")

    @api.onchange("estate_id")
    def _onchange_estate_id(self):
        if self.building_id.estate_id != self.estate_id:
            self.building_id = False

    # -- actions ---------------------------------------------------------------

    @api.multi
    def action_load(self):
        """One line per active meter of the estate/building and kind."""
        self.ensure_one()
        self._check_wizard_rights()
        domain = [("estate_id", "=", self.estate_id.id), ("kind", "=", self.kind)]
        if self.building_id:
            domain += ["|", ("building_id", "=", self.building_id.id),
                       ("served_unit_ids.building_id", "=", self.building_id.id)]
        meters = self.env["property.meter"].search(domain)
        if not meters:
            raise UserError(_("There is no meter of this kind in the chosen "
                              "estate or building."))
        self.line_ids.unlink()
        self.write({
            "state": "grid",
            "result_html": False,
            "error_count": 0,
            "line_ids": [(0, 0, {"meter_id": meter.id}) for meter in meters],
        })
        return self._reopen()

    @api.multi
    def action_confirm(self):
        """Check every filled line; save all readings, or none and list errors."""
        self.ensure_one()
        self._check_wizard_rights()
        lines = self.line_ids.filtered(lambda line: (line.new_value or "").strip())
        if not lines:
            raise UserError(_("Enter at least one new reading."))
        errors = self._check_lines(lines)
        if not errors:
            try:
                with self.env.cr.savepoint():
                    self.env["property.meter.reading"]._create_readings(
                        [line._prepare_reading_vals() for line in lines])
            except (ValidationError, UserError) as error:
                self.env.invalidate_all()
                errors = [(_("Database"), error.name)]
        if errors:
            self.write({
                "error_count": len(errors),
                "result_html": self._errors_html(errors),
            })
        else:
            self.write({
                "state": "done",
                "error_count": 0,
                "created_count": len(lines),
                "result_html": "<p><strong>%s</strong></p>" % html_escape(
                    _("%(count)s reading(s) saved.") % {"count": len(lines)}),
            })
        return self._reopen()

    def _check_lines(self, lines):
        """[(meter label, message)] of every problem of the filled ``lines``."""
        errors = []
        Reading = self.env["property.meter.reading"]
        lines.write({"error": False})
        for line in lines:
            meter = line.meter_id
            value = rules.parse_number(line.new_value)
            if value is None:
                message = _("'%(value)s' is not a number.") % {
                    "value": line.new_value}
            else:
                new = Reading._to_rule_reading_from_vals(
                    dict(line._prepare_reading_vals(), value=value), key="new")
                found = rules.chain_errors(
                    Reading._stored_rule_readings(meter) + [new],
                    meter._capacity(), keys={"new"})
                message = found and Reading._reading_error_message(
                    meter, new, found[0])
            if message:
                line.error = message
                errors.append((meter.display_name, message))
        return errors

    @api.multi
    def action_back(self):
        self._check_wizard_rights()
        self.write({"state": "draft", "result_html": False, "error_count": 0})
        self.line_ids.unlink()
        return self._reopen()

    def _errors_html(self, errors, heading=None, first_column=None):
        return super()._errors_html(
            errors,
            heading=_("Nothing was saved: %(count)s error(s) found. Correct the "
                      "lines and save again."),
            first_column=_("Meter"))


class PropertyMeterReadingEntryLine(models.TransientModel):
    _name = "property.meter.reading.entry.line"
    _description = "Meter reading entry line"
    _order = "id"

    wizard_id = fields.Many2one(
        "property.meter.reading.entry", required=True, ondelete="cascade")
    meter_id = fields.Many2one("property.meter", required=True, readonly=True)
    unit_id = fields.Many2one(related="meter_id.unit_id", readonly=True)
    is_shared = fields.Boolean(related="meter_id.is_shared", readonly=True)
    previous_reading_id = fields.Many2one(
        "property.meter.reading", compute="_compute_previous")
    previous_date = fields.Date(compute="_compute_previous")
    previous_value = fields.Float(digits=(16, 3), compute="_compute_previous")
    new_value = fields.Char(
        string="New Reading", help="Leave empty for a meter not read.")
    reading_type = fields.Selection(
        rules.READING_TYPES, string="Type", required=True, default=rules.NORMAL)
    old_final_value = fields.Float(
        string="Old Meter Final Value", digits=(16, 3))
    initial_value = fields.Float(
        string="New Meter Initial Value", digits=(16, 3))
    note = fields.Char(string="Notes")
    error = fields.Char(readonly=True)

    @api.depends("meter_id", "wizard_id.date")
    def _compute_previous(self):
        for line in self:
            previous = self.env["property.meter.reading"].search([
                ("meter_id", "=", line.meter_id.id),
                ("date", "<", line.wizard_id.date or fields.Date.today()),
            ], order="date desc, id desc", limit=1)
            line.previous_reading_id = previous
            line.previous_date = previous.date
            line.previous_value = previous.value

    def _prepare_reading_vals(self):
        self.ensure_one()
        vals = {
            "meter_id": self.meter_id.id,
            "date": self.wizard_id.date,
            "value": rules.parse_number(self.new_value),
            "reading_type": self.reading_type,
            "note": self.note or False,
        }
        if self.reading_type == rules.REPLACEMENT:
            vals.update(old_final_value=self.old_final_value,
                        initial_value=self.initial_value)
        return vals
