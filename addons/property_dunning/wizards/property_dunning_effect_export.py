# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Excel export of the dunning effectiveness (催缴效果分析), with Chinese
headers whatever the user's language.

The rows are the effectiveness report's (``property.dunning.effect.report``:
one per step not cancelled), read with the user's rights; this wizard sums
them per level and lays them out: one sheet per level, one of the reasons
recorded on the calls, one with the period and the definitions.
"""
import io
from collections import OrderedDict, defaultdict

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.property_billing.models.downloads import download_action

USER_GROUP = "property_billing.group_billing_user"
# The sheet is read by the estate's managers in Chinese, whatever language
# the clerk who exports it uses: the headers are fixed, not translated.
LANG = "zh_CN"
LEVEL_HEADERS = [
    "催缴方案", "催缴等级", "触达户数", "7日内缴清", "7日缴清率(%)",
    "30日内缴清", "30日缴清率(%)", "催缴金额", "7日内回款金额",
    "回款金额", "回款率(%)",
]
REASON_HEADERS = ["催缴方案", "催缴等级", "未缴原因", "记录次数"]
TOTAL = "合计"
ALL_ESTATES = "全部小区"
NOTES = [
    ("触达户数", "该等级发出的催缴记录数（每户每轮一条），不含已取消的记录"),
    ("7日内缴清 / 30日内缴清",
     "催缴后 7 / 30 日内（含当日）缴清该次催缴全部欠款的户数"),
    ("回款金额",
     "催缴后 30 日内（含当日）收到并核销到所催账单的款项，"
     "每张账单不超过催缴时的欠款；红字发票和核销坏账不计入"),
    ("回款率(%)", "回款金额 ÷ 催缴金额"),
]
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


class PropertyDunningEffectExport(models.TransientModel):
    _name = "property.dunning.effect.export"
    _description = "Dunning Effectiveness Export"

    date_from = fields.Date(
        string="From", required=True,
        default=lambda self: fields.Date.to_string(
            fields.Date.from_string(fields.Date.context_today(self))
            .replace(month=1, day=1)))
    date_to = fields.Date(
        string="To", required=True, default=fields.Date.context_today)
    estate_id = fields.Many2one(
        "property.estate", help="Empty: every estate.")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_(
                    "The export period ends before it starts."))

    # -- data --------------------------------------------------------------------

    @api.multi
    def _rows(self):
        """The report's rows of the steps taken in the period (the user's
        rights and company rules apply)."""
        self.ensure_one()
        domain = [("date", ">=", self.date_from), ("date", "<=", self.date_to)]
        if self.estate_id:
            domain.append(("estate_id", "=", self.estate_id.id))
        return self.env["property.dunning.effect.report"].search(
            domain, order="policy_id, level_sequence, level_id, id")

    @staticmethod
    def _rate(part, whole):
        return round(100.0 * part / whole, 1) if whole else None

    @api.model
    def _figures(self, rows):
        """[(level, {figures})] in the order of the policies' ladders, and
        {level: {reason: count}}."""
        levels = OrderedDict()
        reasons = defaultdict(lambda: defaultdict(int))
        for row in rows:
            figures = levels.setdefault(row.level_id, defaultdict(float))
            figures["payers"] += row.payer_count
            figures["paid_7"] += row.paid_7
            figures["paid_30"] += row.paid_30
            figures["total"] += row.total
            figures["recovered_7"] += row.recovered_7
            figures["recovered_30"] += row.recovered_30
            if row.reason:
                reasons[row.level_id][row.reason] += 1
        return list(levels.items()), reasons

    @api.model
    def _level_cells(self, label_policy, label_level, figures, currency):
        return [
            label_policy, label_level, int(figures["payers"]),
            int(figures["paid_7"]),
            self._rate(figures["paid_7"], figures["payers"]),
            int(figures["paid_30"]),
            self._rate(figures["paid_30"], figures["payers"]),
            currency.round(figures["total"]),
            currency.round(figures["recovered_7"]),
            currency.round(figures["recovered_30"]),
            self._rate(figures["recovered_30"], figures["total"]),
        ]

    # -- workbook ----------------------------------------------------------------

    @staticmethod
    def _write_row(sheet, row, values, header=False):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=value)
            if isinstance(value, str):
                # names typed by users stay text: never a formula
                cell.data_type = "s"
            if header:
                cell.font = HEADER_FONT
                cell.fill = HEADER_FILL
                cell.alignment = Alignment(wrap_text=True)
            elif isinstance(value, float):
                cell.number_format = "0.00"

    @api.multi
    def _workbook(self, rows):
        """The xlsx file (bytes) of the report's ``rows``."""
        self.ensure_one()
        env = self.with_context(lang=LANG).env
        currency = self.env.user.company_id.currency_id
        levels, reasons = self._figures(rows)
        book = Workbook()
        sheet = book.active
        sheet.title = "按催缴等级"
        self._write_row(sheet, 1, LEVEL_HEADERS, header=True)
        totals = defaultdict(float)
        row_index = 1
        for level, figures in levels:
            level = level.with_env(env)
            row_index += 1
            self._write_row(sheet, row_index, self._level_cells(
                level.policy_id.name, level.name, figures, currency))
            for key, value in figures.items():
                totals[key] += value
        self._write_row(sheet, row_index + 1, self._level_cells(
            TOTAL, None, totals, currency))
        sheet.column_dimensions["A"].width = 20
        sheet.column_dimensions["B"].width = 20

        sheet = book.create_sheet("未缴原因")
        self._write_row(sheet, 1, REASON_HEADERS, header=True)
        labels = dict(env["property.dunning.effect.report"]._fields[
            "reason"]._description_selection(env))
        row_index = 1
        for level, _figures in levels:
            level = level.with_env(env)
            counts = reasons.get(level, {})
            for reason in sorted(counts, key=lambda r: (-counts[r], r)):
                row_index += 1
                self._write_row(sheet, row_index, [
                    level.policy_id.name, level.name,
                    labels.get(reason, reason), counts[reason]])
        sheet.column_dimensions["A"].width = 20
        sheet.column_dimensions["B"].width = 20
        sheet.column_dimensions["C"].width = 20

        sheet = book.create_sheet("说明")
        estate = self.estate_id.with_env(env).name or ALL_ESTATES
        self._write_row(sheet, 1, ["统计期间", "%s 至 %s" % (
            self.date_from, self.date_to)])
        self._write_row(sheet, 2, ["小区", estate])
        for index, (term, note) in enumerate(NOTES, start=3):
            self._write_row(sheet, index, [term, note])
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 80
        output = io.BytesIO()
        book.save(output)
        return output.getvalue()

    # -- action ------------------------------------------------------------------

    @api.multi
    def action_export(self):
        """The workbook as an attachment of the wizard, downloaded."""
        self.ensure_one()
        # A wizard has no access rights of its own: the figures are the
        # billing team's.
        if not self.env.user.has_group(USER_GROUP):
            raise AccessError(_(
                "Only billing staff can export the dunning effectiveness."))
        data = self._workbook(self._rows())
        name = "催缴效果_%s_%s.xlsx" % (self.date_from, self.date_to)
        return download_action(self, name, data)
