# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Excel export of the complaint review (投诉分析报表), with Chinese headers.

The figures come from ``rules.analysis``; this wizard only selects the
complaints, turns them into ``analysis.Fact`` tuples and lays the figures out
in one sheet per analysis.
"""
import base64
import io
from datetime import datetime, time, timedelta

import pytz
import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.property_billing.rules.constants import DEFAULT_TZ

from ..rules import analysis
from ..rules import sla as sla_rules

UNSET = "（未设置）"
SUMMARY_HEADERS = [
    "投诉数", "响应达标率(%)", "解决达标率(%)",
    "平均响应时长(小时)", "响应时长90分位(小时)",
    "平均解决时长(小时)", "解决时长90分位(小时)",
    "平均满意度", "评价数", "1分", "2分", "3分", "4分", "5分",
    "重复投诉数", "重复投诉率(%)",
]
# (sheet name, group column header, analysis dimension)
BREAKDOWNS = [
    ("按分类", "分类", analysis.BY_CATEGORY),
    ("按小区", "小区", analysis.BY_ESTATE),
    ("按楼栋", "楼栋", analysis.BY_BUILDING),
    ("按班组", "处理班组", analysis.BY_TEAM),
    ("按月份", "月份", analysis.BY_MONTH),
]
SATISFACTION_HEADERS = ["满意度", "评价数", "占比(%)"]
SATISFACTION_LABELS = {1: "1分 非常不满意", 2: "2分 不满意", 3: "3分 一般",
                       4: "4分 满意", 5: "5分 非常满意"}
ROOT_CAUSE_HEADERS = ["排名", "根本原因", "投诉数", "占比(%)", "纠正措施"]


class PropertyComplaintExport(models.TransientModel):
    _name = "property.complaint.export"
    _description = "Complaint Analysis Export"

    date_from = fields.Date(
        string="From", required=True,
        default=lambda self: fields.Date.to_string(
            fields.Date.from_string(fields.Date.context_today(self))
            .replace(day=1)))
    date_to = fields.Date(
        string="To", required=True, default=fields.Date.context_today)
    estate_ids = fields.Many2many(
        "property.estate", string="Estates", help="Empty: every estate.")
    team_ids = fields.Many2many(
        "property.complaint.team", string="Teams", help="Empty: every team.")
    top_causes = fields.Integer(
        string="Root Causes Listed", default=10, required=True)
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(_("The export period ends before it starts."))

    # -- data --------------------------------------------------------------------

    @api.multi
    def _complaints(self):
        """The complaints reported in the period (local dates of the user's
        timezone, else Asia/Shanghai)."""
        self.ensure_one()
        tz = pytz.timezone(self.env.user.tz or DEFAULT_TZ)
        start = datetime.combine(fields.Date.from_string(self.date_from), time())
        end = datetime.combine(fields.Date.from_string(self.date_to),
                               time()) + timedelta(days=1)
        domain = [
            ("date_reported", ">=",
             fields.Datetime.to_string(sla_rules.to_utc(start, tz))),
            ("date_reported", "<",
             fields.Datetime.to_string(sla_rules.to_utc(end, tz))),
        ]
        if self.estate_ids:
            domain.append(("estate_id", "in", self.estate_ids.ids))
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return self.env["property.complaint"].search(
            domain, order="date_reported, id")

    @api.model
    def _fact(self, complaint):
        """A complaint as an ``analysis.Fact``."""
        tz = complaint._sla_tz()
        reported = complaint._sla_local(complaint.date_reported, tz)
        measured = bool(complaint.sla_id)
        return analysis.Fact(
            key=complaint.name,
            category=complaint.category_id.display_name or None,
            estate=complaint.estate_id.name or None,
            building=complaint.building_id.name or None,
            team=complaint.team_id.name or None,
            month=reported.strftime("%Y-%m") if reported else None,
            response_hours=complaint.response_hours
            if measured and complaint.date_accepted else None,
            response_breached=measured and complaint.response_breached,
            resolution_hours=complaint.resolution_hours
            if measured and complaint.date_resolved else None,
            resolution_breached=measured and complaint.resolution_breached,
            satisfaction=int(complaint.satisfaction)
            if complaint.satisfaction else None,
            repeat=complaint.is_repeat,
            root_cause=complaint.root_cause or None,
            corrective_action=complaint.corrective_action or None,
        )

    # -- workbook ----------------------------------------------------------------

    @staticmethod
    def _summary_cells(summary):
        distribution = summary.satisfaction_distribution
        return [
            summary.count, summary.response_compliance,
            summary.resolution_compliance, summary.response_avg,
            summary.response_p90, summary.resolution_avg,
            summary.resolution_p90, summary.satisfaction_avg,
            summary.satisfaction_count,
        ] + [distribution[score] for score in analysis.SCORES] + [
            summary.repeat_count, summary.repeat_rate]

    @staticmethod
    def _write_row(sheet, row, values, number):
        for col, value in enumerate(values):
            if value is None:
                sheet.write_blank(row, col, None)
            elif isinstance(value, float):
                sheet.write_number(row, col, value, number)
            elif isinstance(value, str):
                # Text typed by users (root causes, names) stays text: never
                # a formula, even when it starts with = + - or @.
                sheet.write_string(row, col, value)
            else:
                sheet.write(row, col, value)

    @api.multi
    def _workbook(self, facts):
        """The xlsx file (bytes) of the analyses of ``facts``."""
        self.ensure_one()
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {
            "in_memory": True, "strings_to_formulas": False,
            "strings_to_urls": False})
        bold = book.add_format({"bold": True, "bg_color": "#D9E1F2",
                                "border": 1, "text_wrap": True})
        number = book.add_format({"num_format": "0.00"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})

        sheet = book.add_worksheet("汇总")
        sheet.write_row(0, 0, ["统计期间"] + SUMMARY_HEADERS, bold)
        period = "%s 至 %s" % (self.date_from, self.date_to)
        self._write_row(sheet, 1, [period] + self._summary_cells(
            analysis.summarize(facts)), number)
        sheet.set_column(0, len(SUMMARY_HEADERS), 14)

        for name, label, dimension in BREAKDOWNS:
            sheet = book.add_worksheet(name)
            sheet.write_row(0, 0, [label] + SUMMARY_HEADERS, bold)
            for row, summary in enumerate(
                    analysis.breakdown(facts, dimension), start=1):
                group = summary.group if summary.group is not None else UNSET
                self._write_row(sheet, row, [group] + self._summary_cells(
                    summary), number)
            sheet.set_column(0, 0, 24)
            sheet.set_column(1, len(SUMMARY_HEADERS), 12)

        summary = analysis.summarize(facts)
        sheet = book.add_worksheet("满意度分布")
        sheet.write_row(0, 0, SATISFACTION_HEADERS, bold)
        for row, score in enumerate(analysis.SCORES, start=1):
            count = summary.satisfaction_distribution[score]
            share = (100.0 * count / summary.satisfaction_count
                     if summary.satisfaction_count else None)
            self._write_row(sheet, row, [SATISFACTION_LABELS[score], count,
                                         share], number)
        self._write_row(sheet, len(analysis.SCORES) + 1,
                        ["平均满意度", summary.satisfaction_count,
                         summary.satisfaction_avg], number)
        sheet.set_column(0, 0, 18)

        sheet = book.add_worksheet("主要原因")
        sheet.write_row(0, 0, ROOT_CAUSE_HEADERS, bold)
        causes = analysis.top_root_causes(facts, limit=self.top_causes)
        for row, cause in enumerate(causes, start=1):
            self._write_row(sheet, row, [
                row, cause.root_cause, cause.count, cause.share], number)
            sheet.write_string(
                row, 4, "\n".join(cause.corrective_actions), wrap)
        sheet.set_column(1, 1, 40)
        sheet.set_column(4, 4, 60)
        book.close()
        return output.getvalue()

    @api.multi
    def action_export(self):
        self.ensure_one()
        # A wizard has no access rights of its own: the analysis (root
        # causes included) is for the service team.
        if not self.env.user.has_group(
                "property_complaint.group_complaint_user"):
            raise AccessError(_(
                "Only the customer-service team can export the complaint "
                "analysis."))
        if self.top_causes < 1:
            raise UserError(_("List at least one root cause."))
        facts = [self._fact(complaint) for complaint in self._complaints()]
        data = self._workbook(facts)
        self.write({
            "file_data": base64.b64encode(data),
            "file_name": "投诉分析_%s_%s.xlsx" % (self.date_from, self.date_to),
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
