# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Import of meter readings from a CSV or Excel file (one row per reading).

Same contract as the register import: the file is read by the same helpers
(UTF-8/GBK CSV, XLSX/XLS), every row is checked (``rules.meter_readings``,
then estate and meter codes and every meter's chain of readings against the
database) and only a file without a single error is imported, in one
savepoint. Errors are listed with the spreadsheet's row numbers.
"""
import base64
import csv
import io

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_escape

from ..rules import meter_readings as rules


class PropertyMeterReadingImport(models.TransientModel):
    _name = "property.meter.reading.import"
    _inherit = "property.batch.wizard.mixin"
    _wizard_rights = (("property.meter.reading", "create"),)
    _description = "Import meter readings"

    data_file = fields.Binary(string="File", help="CSV (UTF-8 or GBK), XLSX or XLS.")
    filename = fields.Char()
    state = fields.Selection(
        [("draft", "Choose a file"), ("error", "Errors found"),
         ("done", "Imported")], default="draft", readonly=True)
    result_html = fields.Html(string="Result", readonly=True, sanitize=False)
    error_count = fields.Integer(readonly=True)
    created_count = fields.Integer(string="Readings imported", readonly=True)
    template_file = fields.Binary(
        string="Template", compute="_compute_template_file")
    template_filename = fields.Char(compute="_compute_template_file")

    def _wizard_title(self):
        return _("Import meter readings")

    @api.multi
    def _compute_template_file(self):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(rules.TEMPLATE_HEADER)
        writer.writerow(["GG", "W-3-2-1502", "2026-03-31", "123.5", "正常", "", "",
                         ""])
        writer.writerow(["GG", "E-3-2-1502", "2026-03-31", "8.0", "换表", "4521",
                         "0", "新表 2026-03-20"])
        data = base64.b64encode(out.getvalue().encode("utf-8-sig"))
        for wizard in self:
            wizard.template_file = data
            wizard.template_filename = "meter_readings_template.csv"

    # -- actions ---------------------------------------------------------------

    @api.multi
    def action_import(self):
        """Check every row; import all of them, or none and list the errors."""
        self.ensure_one()
        # a wizard has no access rights of its own: check what the import
        # writes before the file is even read
        self._check_wizard_rights()
        if not self.data_file:
            raise UserError(_("Choose a CSV or Excel file to import."))
        try:
            table = rules.read_table(
                base64.b64decode(self.data_file), self.filename or "")
        except rules.ImportFileError as error:
            raise UserError(self._file_error_message(error.code, error.params))
        result = rules.parse_reading_table(table)
        errors = [(row, self._row_error_message(code, params))
                  for row, code, params in result.errors]
        meters = self._find_meters(result.rows, errors)
        # chains are checked even when other rows are wrong: all errors at once
        errors += self._check_chains(
            [row for row in result.rows
             if (row.estate_code, row.meter_code) in meters], meters)
        if not errors:
            try:
                with self.env.cr.savepoint():
                    count = self._import_rows(result.rows, meters)
            except _RowError as failure:
                self.env.invalidate_all()
                errors = [(failure.row, failure.message)]
        if errors:
            errors.sort(key=lambda e: e[0])
            self.write({
                "state": "error",
                "error_count": len(errors),
                "result_html": self._errors_html(errors),
            })
        else:
            self.write({
                "state": "done",
                "error_count": 0,
                "created_count": count,
                "result_html": "<p><strong>%s</strong></p>" % html_escape(
                    _("Import finished: %(count)s reading(s) imported.")
                    % {"count": count}),
            })
        return self._reopen()

    @api.multi
    def action_retry(self):
        self._check_wizard_rights()
        self.write({"state": "draft", "result_html": False, "error_count": 0,
                    "data_file": False, "filename": False})
        return self._reopen()

    # -- checks against the database ----------------------------------------------

    def _find_meters(self, rows, errors):
        """{(estate code, meter code): property.meter}; unknown codes -> errors."""
        estates = self.env["property.estate"].search([
            ("code", "in", list({row.estate_code for row in rows})),
            ("company_id", "=", self.env.user.company_id.id),
        ])
        by_code = {estate.code: estate for estate in estates}
        found = self.env["property.meter"].search([
            ("estate_id", "in", estates.ids),
            ("code", "in", list({row.meter_code for row in rows})),
        ])
        meters = {(m.estate_id.code, m.code): m for m in found}
        for row in rows:
            if row.estate_code not in by_code:
                errors.append((row.row, self._row_error_message(
                    "unknown_estate", {"code": row.estate_code})))
            elif (row.estate_code, row.meter_code) not in meters:
                errors.append((row.row, self._row_error_message(
                    "unknown_meter", {"code": row.meter_code,
                                      "estate": row.estate_code})))
        return meters

    def _check_chains(self, rows, meters):
        """Each meter's stored readings plus the file's: every refused row."""
        Reading = self.env["property.meter.reading"]
        by_meter = {}
        for row in rows:
            by_meter.setdefault(meters[(row.estate_code, row.meter_code)],
                                []).append(row)
        errors = []
        for meter, meter_rows in by_meter.items():
            new = [row.reading for row in meter_rows]
            keys = {row.row for row in meter_rows}
            for error in rules.chain_errors(
                    Reading._stored_rule_readings(meter) + new,
                    meter._capacity(), keys=keys):
                reading = next(r for r in new if r.key == error.key)
                errors.append((error.key, Reading._reading_error_message(
                    meter, reading, error)))
        return errors

    # -- import ----------------------------------------------------------------------

    def _import_rows(self, rows, meters):
        """All rows at once (already checked); a refusal here is unexpected."""
        try:
            self.env["property.meter.reading"]._create_readings(
                [self._prepare_reading_vals(row, meters) for row in rows])
        except (ValidationError, UserError) as error:
            raise _RowError("—", error.name)
        return len(rows)

    @staticmethod
    def _prepare_reading_vals(row, meters):
        reading = row.reading
        vals = {
            "meter_id": meters[(row.estate_code, row.meter_code)].id,
            "date": fields.Date.to_string(reading.date),
            "value": float(reading.value),
            "reading_type": reading.reading_type,
            "note": row.note or False,
        }
        if reading.reading_type == rules.REPLACEMENT:
            vals.update(old_final_value=float(reading.old_final),
                        initial_value=float(reading.initial))
        return vals

    # -- messages ----------------------------------------------------------------------

    def _file_error_message(self, code, params):
        """Messages of a file that cannot be read: the register import's."""
        return self.env["property.register.import"]._error_message(code, params)

    def _row_error_message(self, code, params):
        messages = {
            "empty_file": _("The file is empty."),
            "missing_column": _(
                "Required column '%(column)s' is missing from the header."),
            "duplicate_column": _("Column '%(column)s' appears twice in the header."),
            "empty_estate_code": _("The estate code is empty."),
            "empty_meter_code": _("The meter code is empty."),
            "bad_date": _(
                "'%(value)s' in column '%(column)s' is not a date (use "
                "YYYY-MM-DD)."),
            "bad_value": _(
                "The reading must be a number of at least 0 (got '%(value)s')."),
            "unknown_type": _(
                "Unknown reading type '%(value)s' (use 正常, 初始, 换表, 翻表 or "
                "normal, initial, replacement, rollover)."),
            "replacement_incomplete": _(
                "A replacement needs the old meter's final value and the new "
                "meter's initial value."),
            "duplicate_row": _(
                "The same meter and date already appear in row %(first_row)s."),
            "unknown_estate": _(
                "There is no estate with code '%(code)s' in your company."),
            "unknown_meter": _(
                "There is no active meter '%(code)s' in estate %(estate)s."),
        }
        return self._format_message(messages.get(code), params) or code


class _RowError(Exception):
    def __init__(self, row, message):
        super().__init__(message)
        self.row = row
        self.message = message
