# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Excel export of the collection reports, with Chinese headers whatever the
user's language (the sheets go to the estates' managers), written with
xlsxwriter: every text cell is written as text (unit codes such as 1-2-0301
or 0101 stay what they are, and a name starting with = is no formula).

The rows are the reports' own, read through the ORM with the user's rights
and record rules."""
import io

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.property_billing.models.downloads import download_action

from ..rules.collection import CURVE_DAYS
from .property_collection_monthly import is_staff

REPORTS = [
    ("collection", "Collection Rate (当期收缴率)"),
    ("arrears", "Arrears Ageing (欠费账龄明细)"),
    ("recovery", "Arrears Recovery (清欠率)"),
    ("curve", "Collection Curve (回款曲线)"),
    ("takings", "Takings by Channel and Day (收款日报)"),
]
GROUPS = [
    ("estate_id", "Estate"),
    ("building_id", "Building"),
    ("fee_item_id", "Fee Item"),
    ("unit_type", "Unit Type"),
    ("payer_type", "Payer Type"),
]
# the Chinese header of each grouping and of each report's sheet
GROUP_HEADERS = {
    "estate_id": "小区", "building_id": "楼栋", "fee_item_id": "收费项目",
    "unit_type": "房屋类型", "payer_type": "业主类型",
}
SHEETS = {
    "collection": "当期收缴率", "arrears": "欠费账龄明细",
    "recovery": "清欠率", "curve": "回款曲线", "takings": "收款日报",
}
# report: (header, field or None, kind) per column
COLUMNS = {
    "collection": [("账期", "billing_period", "text"),
                   ("应收金额", "billed", "money"),
                   ("实收金额", "collected", "money"),
                   ("其他核销", "other_settled", "money"),
                   ("未收金额", "outstanding", "money"),
                   ("收缴率(%)", "collection_rate", "rate")],
    "recovery": [("月份", "period", "text"),
                 ("月初欠费", "arrears", "money"),
                 ("本月清欠", "recovered", "money"),
                 ("清欠率(%)", "recovery_rate", "rate")],
    "curve": [("账期", "billing_period", "text"),
              ("应收金额", "billed", "money")] + [
        ("%d天回款率(%%)" % n, "share_%d" % n, "rate") for n in CURVE_DAYS],
    "arrears": [("账单号", "invoice_id", "text"),
                ("账期", "billing_period", "text"),
                ("小区", "estate_id", "text"),
                ("楼栋", "building_id", "text"),
                ("房号", "unit_id", "text"),
                ("业主", "partner_id", "text"),
                ("业主类型", "payer_type", "text"),
                ("到期日", "date_due", "text"),
                ("逾期天数", "days_overdue", "int"),
                ("账龄", "bucket", "text"),
                ("催缴等级", "dunning_level_id", "text"),
                ("未缴原因", "dunning_reason", "text"),
                ("诉讼时效", "limitation_state", "text"),
                ("有未结投诉", "open_complaint", "bool"),
                ("应收金额", "billed", "money"),
                ("欠费金额", "outstanding", "money")],
    "takings": [("日期", "date", "text"),
                ("收款渠道", "channel_code", "text"),
                ("实收金额", "collected", "money")],
}
MODELS = {
    "collection": "property.collection.fact",
    "recovery": "property.arrears.recovery",
    "curve": "property.collection.curve",
    "arrears": "property.arrears.report",
    "takings": "property.collection.fact",
}
LANG = "zh_CN"
YES, NO = "是", "否"
TOTAL = "合计"


class PropertyCollectionExport(models.TransientModel):
    _name = "property.collection.export"
    _description = "Export a Collection Report"

    @api.model
    def _default_from(self):
        today = fields.Date.from_string(fields.Date.context_today(self))
        return fields.Date.to_string(
            today.replace(day=1) - relativedelta(months=11))

    report = fields.Selection(REPORTS, required=True, default="collection")
    estate_id = fields.Many2one("property.estate",
                                help="Empty: every estate.")
    group_by = fields.Selection(
        GROUPS, string="Rows by", default="estate_id",
        help="The second column of the collection rate and the recovery.")
    date_from = fields.Date(string="From", required=True,
                            default=lambda self: self._default_from())
    date_to = fields.Date(string="To", required=True,
                          default=fields.Date.context_today)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_(
                    "The export period ends before it starts."))

    @api.constrains("report", "group_by")
    def _check_group_by(self):
        for wizard in self:
            if wizard.report == "recovery" and \
                    wizard.group_by == "fee_item_id":
                raise ValidationError(_(
                    "The arrears recovery is counted per bill: it has no "
                    "rows by fee item. Choose another grouping."))
            if wizard.report in ("collection", "recovery") and \
                    not wizard.group_by:
                raise ValidationError(_(
                    "Choose how the rows of the report are grouped."))

    # -- rows --------------------------------------------------------------------

    @api.multi
    def _domain(self):
        """The report's rows of the period: bills of its billing periods,
        months of the recovery, days of the takings."""
        self.ensure_one()
        first = self.date_from[:7]
        last = self.date_to[:7]
        domain = {
            "collection": [("billing_period", ">=", first),
                           ("billing_period", "<=", last),
                           ("date", "<=", self.date_to)],
            "curve": [("billing_period", ">=", first),
                      ("billing_period", "<=", last)],
            "recovery": [("period", ">=", first), ("period", "<=", last)],
            "arrears": [("bucket", "!=", "not_due")],
            "takings": [("kind", "=", "collected"),
                        ("channel_code", "!=", "advance"),
                        ("date", ">=", self.date_from),
                        ("date", "<=", self.date_to)],
        }[self.report]
        if self.estate_id:
            domain = domain + [("estate_id", "=", self.estate_id.id)]
        return domain

    @api.multi
    def _columns(self):
        columns = list(COLUMNS[self.report])
        if self.report in ("collection", "recovery"):
            columns.insert(1, (GROUP_HEADERS[self.group_by], self.group_by,
                               "text"))
        return columns

    @api.multi
    def _rows(self):
        """[[value per column]] of the report, read with the user's rights;
        texts in Chinese (selection labels, names)."""
        self.ensure_one()
        Model = self.env[MODELS[self.report]].with_context(lang=LANG)
        columns = self._columns()
        names = [name for _header, name, _kind in columns]
        if self.report == "arrears":
            records = Model.search(self._domain(),
                                   order="estate_id, building_id, unit_id, "
                                         "date_due, id")
            values = records.read(names)
        else:
            groupby = [columns[0][1]]
            if self.report in ("collection", "recovery"):
                groupby.append(self.group_by)
            if self.report == "takings":
                groupby = ["date:day", "channel_code"]
            values = Model.read_group(self._domain(), names, groupby,
                                      orderby=", ".join(
                                          spec.split(":")[0]
                                          for spec in groupby),
                                      lazy=False)
            if self.report == "takings":
                for group in values:
                    # the day itself, not its label ("02 Dec 2026")
                    group["date"] = next(
                        term[2] for term in group["__domain"]
                        if isinstance(term, (list, tuple))
                        and term[0] == "date" and term[1] == ">=")
        labels = {name: dict(Model._fields[name]._description_selection(
            Model.env)) for name in names
            if Model._fields[name].type == "selection"}
        if "channel_code" in names:
            labels["channel_code"] = dict(
                self.env["property.receipt"].with_context(lang=LANG)._fields[
                    "channel_code"]._description_selection(Model.env))
        numbers = {}
        if "invoice_id" in names:
            # a bill by its number (its display name adds the reference)
            numbers = {invoice["id"]: invoice["number"] for invoice in
                       self.env["account.invoice"].browse(
                           [record["invoice_id"][0] for record in values
                            if record.get("invoice_id")]).read(["number"])}
        rows = []
        for record in values:
            row = []
            for _header, name, _kind in columns:
                value = record.get(name)
                if name == "invoice_id" and value:
                    value = numbers.get(value[0]) or value[1]
                elif isinstance(value, (tuple, list)):
                    value = value[1]
                elif name in labels:
                    value = labels[name].get(value, value)
                row.append(value)
            rows.append(row)
        return rows

    # -- workbook ------------------------------------------------------------------

    @api.multi
    def _workbook(self):
        """The xlsx file (bytes) of the report."""
        self.ensure_one()
        columns = self._columns()
        rows = self._rows()
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True,
                                            "strings_to_numbers": False,
                                            "strings_to_formulas": False,
                                            "strings_to_urls": False})
        header = book.add_format({"bold": True, "bg_color": "#D9E1F2",
                                  "border": 1, "text_wrap": True})
        money = book.add_format({"num_format": "#,##0.00"})
        rate = book.add_format({"num_format": "0.00"})
        bold_money = book.add_format({"num_format": "#,##0.00",
                                      "bold": True})
        sheet = book.add_worksheet(SHEETS[self.report])
        for col, (title, _name, kind) in enumerate(columns):
            sheet.write_string(0, col, title, header)
            sheet.set_column(col, col, 14 if kind != "text" else 18)
        totals = [0.0] * len(columns)
        for index, row in enumerate(rows, start=1):
            for col, ((_title, _name, kind), value) in enumerate(
                    zip(columns, row)):
                if kind == "money":
                    sheet.write_number(index, col, value or 0.0, money)
                    totals[col] += value or 0.0
                elif kind == "rate":
                    if value is False or value is None:
                        sheet.write_blank(index, col, None)
                    else:
                        sheet.write_number(index, col, round(value, 2), rate)
                elif kind == "int":
                    sheet.write_number(index, col, value or 0)
                elif kind == "bool":
                    sheet.write_string(index, col, YES if value else NO)
                elif value is False or value is None:
                    sheet.write_blank(index, col, None)
                else:
                    sheet.write_string(index, col, str(value))
        last = len(rows) + 1
        sheet.write_string(last, 0, TOTAL, header)
        for col, (_title, _name, kind) in enumerate(columns):
            if kind == "money":
                sheet.write_number(last, col, round(totals[col], 2),
                                   bold_money)
        sheet.freeze_panes(1, 0)
        book.close()
        return output.getvalue()

    @api.multi
    def action_export(self):
        """The workbook as an attachment of the wizard, downloaded."""
        self.ensure_one()
        # a wizard has no access rights of its own: the figures are staff's
        if not is_staff(self.env.user):
            raise AccessError(_(
                "Only billing staff and accountants can export the collection "
                "reports."))
        data = self._workbook()
        if not data:
            raise UserError(_("The export could not be written."))
        name = "%s_%s_%s.xlsx" % (SHEETS[self.report], self.date_from,
                                  self.date_to)
        return download_action(self, name, data)
