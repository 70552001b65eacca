# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..rules import debit_files as rules

FIELD_HELP = (
    "Field names in the bank's order, separated by commas: batch, date, "
    "count, total, merchant (header and trailer); seq, agreement, account, "
    "holder, amount, reference (request lines), plus result, reason and "
    "serial (return lines). =TEXT writes the constant TEXT (a record type "
    "such as =H or =D) and checks it when reading; - is a column left empty "
    "and ignored.")


class PropertyDebitBankTemplate(models.Model):
    """One bank's layout of its auto-debit request file (送盘) and of the
    return file (回盘) it answers with: read and written by
    ``rules.debit_files``."""

    _name = "property.debit.bank.template"
    _description = "Auto-debit Bank File Template"
    _order = "sequence, name, id"

    name = fields.Char(required=True)
    bank_name = fields.Char(help="The bank whose files this template reads "
                                 "and writes.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the template between "
                            "companies.")
    layout = fields.Selection(
        [(rules.DELIMITED, "Delimited"), (rules.FIXED, "Fixed width")],
        required=True, default=rules.DELIMITED)
    delimiter = fields.Char(default="|", help="Delimited files: the "
                                              "character between fields.")
    trailing_delimiter = fields.Boolean(
        help="Delimited files: every record also ends with the delimiter.")
    encoding = fields.Selection(
        [("gb18030", "GB18030"), ("utf-8", "UTF-8")], required=True,
        default="gb18030",
        help="GB18030 reads and writes every Chinese character, the rare "
             "ones of account holder names (生僻字) included; GBK cannot, "
             "so files are never written in GBK.")
    amount_unit = fields.Selection(
        [(rules.YUAN, "Yuan (1234.50)"), (rules.FEN, "Fen (123450)")],
        required=True, default=rules.YUAN)
    line_ending = fields.Selection(
        [("crlf", "CR LF (Windows)"), ("lf", "LF")], required=True,
        default="crlf")
    merchant_code = fields.Char(
        help="The company's contract number with the bank (商户号), written "
             "where a record names the field merchant.")
    request_header = fields.Char(
        default="=H,batch,date,count,total", help=FIELD_HELP)
    request_detail = fields.Char(
        required=True, default="=D,seq,agreement,account,holder,amount,"
                               "reference", help=FIELD_HELP)
    request_trailer = fields.Char(help=FIELD_HELP)
    return_header = fields.Char(
        default="=H,batch,date,count,total", help=FIELD_HELP)
    return_detail = fields.Char(
        required=True, default="=D,batch,seq,agreement,amount,result,reason,"
                               "serial", help=FIELD_HELP)
    return_trailer = fields.Char(help=FIELD_HELP)
    return_totals = fields.Selection(
        [(rules.TOTALS_ALL, "Every line"),
         (rules.TOTALS_SUCCESS, "Debited lines only")],
        required=True, default=rules.TOTALS_ALL,
        help="Which lines the count and total of the return file's header "
             "add up.")
    field_widths = fields.Char(
        help="Fixed-width files: the width in bytes of each field, such as "
             "batch:16, seq:6, holder:40 (a Chinese character takes two "
             "bytes, a rare one four). - gives the width of ignored "
             "columns.")
    success_codes = fields.Char(
        required=True, default="0000",
        help="The bank's result codes that mean the amount was debited, "
             "separated by commas; any other code is a failure.")
    filename_pattern = fields.Char(
        required=True, default="DK_%(batch)s_%(date)s.txt",
        help="The request file's name; %(batch)s is the debit order's "
             "number, %(date)s the file's date (YYYYMMDD).")

    @api.constrains("layout", "delimiter", "trailing_delimiter", "encoding",
                    "amount_unit", "line_ending", "request_header",
                    "request_detail", "request_trailer", "return_header",
                    "return_detail", "return_trailer", "return_totals",
                    "field_widths", "success_codes")
    def _check_spec(self):
        for template in self:
            try:
                template._spec()
            except UserError as error:
                raise ValidationError(error.name)

    @api.constrains("filename_pattern")
    def _check_filename_pattern(self):
        for template in self:
            try:
                template._filename("B", "20260101")
            except (KeyError, ValueError, TypeError):
                raise ValidationError(_(
                    "The file name %s may use only %%(batch)s and "
                    "%%(date)s.") % template.filename_pattern)

    # -- the layout as the rules take it ---------------------------------------

    @api.multi
    def _spec(self):
        """The ``rules.debit_files.Spec`` of this template; a UserError in
        the user's language when it cannot work."""
        self.ensure_one()
        try:
            return rules.Spec(
                layout=self.layout, delimiter=self.delimiter or "",
                trailing_delimiter=self.trailing_delimiter,
                encoding=self.encoding, amount_unit=self.amount_unit,
                line_ending="\r\n" if self.line_ending == "crlf" else "\n",
                request_header=rules.field_list(self.request_header),
                request_detail=rules.field_list(self.request_detail),
                request_trailer=rules.field_list(self.request_trailer),
                return_header=rules.field_list(self.return_header),
                return_detail=rules.field_list(self.return_detail),
                return_trailer=rules.field_list(self.return_trailer),
                widths=self._widths(),
                success_codes=[code for code in re.split(
                    r"[,\s]+", self.success_codes or "") if code],
                return_totals=self.return_totals)
        except rules.DebitFileError as error:
            raise UserError(self._file_error_message(error))

    @api.multi
    def _widths(self):
        widths = {}
        for item in re.split(r"[,\s]+", self.field_widths or ""):
            if not item:
                continue
            name, sep, width = item.partition(":")
            if not sep or not width.isdigit():
                raise UserError(_(
                    "Field widths are written name:width, such as "
                    "holder:40 (not %s).") % item)
            widths[name] = int(width)
        return widths

    @api.multi
    def _filename(self, batch, date):
        self.ensure_one()
        safe = re.sub(r"[^\w.-]+", "_", batch or "")
        return self.filename_pattern % {"batch": safe, "date": date}

    # -- messages --------------------------------------------------------------

    @api.model
    def _file_error_message(self, error):
        """The user's words for a ``rules.debit_files.DebitFileError``."""
        params = dict(error.params)
        where = params.get("line")
        messages = {
            rules.BAD_SPEC: _(
                "The bank file template cannot work: check %(field)s "
                "(%(reason)s)."),
            rules.EMPTY_BATCH: _("The debit order has no line to debit."),
            rules.BAD_AMOUNT: _(
                "Line %(line)s: %(value)s is not an amount the bank can "
                "debit (more than zero, at most two decimals)."),
            rules.BAD_NUMBER: _(
                "Line %(line)s: %(field)s must be a whole number, not "
                "'%(value)s'."),
            rules.BAD_DATE: _("Line %(line)s: '%(value)s' is not a date."),
            rules.BAD_VALUE: _(
                "Line %(line)s: %(field)s '%(value)s' holds the file's "
                "delimiter or a line break."),
            rules.UNENCODABLE: _(
                "Line %(line)s: %(field)s '%(value)s' cannot be written in "
                "%(encoding)s."),
            rules.TOO_LONG: _(
                "Line %(line)s: %(field)s '%(value)s' is wider than its "
                "%(width)s bytes."),
            rules.DUPLICATE_LINE: _(
                "Line %(line)s answers request line %(key)s a second time."),
            rules.ENCODING: _(
                "The file is not written in %(encoding)s (the bank's "
                "encoding in the template): choose the right template or "
                "ask the bank for the original file."),
            rules.EMPTY_FILE: _("The file has no lines."),
            rules.MALFORMED: _(
                "Line %(line)s does not have the template's layout "
                "(%(expected)s fields or bytes expected, %(found)s found): "
                "choose the right template or check the file."),
            rules.BAD_CONSTANT: _(
                "Line %(line)s: record type '%(found)s' found where the "
                "template expects '%(expected)s'."),
            rules.MISSING_RESULT: _(
                "Line %(line)s has no result code: the bank has not "
                "answered it."),
            rules.BATCH_MISMATCH: _(
                "Line %(line)s belongs to batch %(found)s, the file to "
                "batch %(expected)s."),
            rules.COUNT_MISMATCH: _(
                "The %(record)s counts %(expected)s lines but the file has "
                "%(found)s: the file is incomplete or altered."),
            rules.TOTAL_MISMATCH: _(
                "The %(record)s totals %(expected)s but the lines add up to "
                "%(found)s: the file is incomplete or altered."),
            rules.UNKNOWN_LINE: _(
                "Line %(line)s (sequence %(seq)s, agreement %(agreement)s) "
                "answers no line of the debit order: nothing was imported."),
            rules.AMBIGUOUS_LINE: _(
                "Line %(line)s names agreement %(agreement)s, which two "
                "lines of the debit order share: the bank's file must give "
                "the sequence."),
        }
        if where == "header":
            params["line"] = _("header")
        elif where == "trailer":
            params["line"] = _("trailer")
        if "record" in params:
            params["record"] = (_("header") if params["record"] == "header"
                                else _("trailer"))
        message = messages.get(error.code)
        if not message:
            return error.code
        try:
            return message % params
        except (KeyError, TypeError, ValueError):
            return message
