# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError

MONTHLY_REPORT = "property_collection.report_collection_monthly"
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ReportCollectionMonthly(models.AbstractModel):
    """Values of the monthly management report (月度收缴报告): one page per
    estate (``property.collection.dashboard`` cards) for the billing period
    ``data['period']`` ('YYYY-MM', default the month before the estate's
    today). The figures are the card's ``_monthly_figures``; the reader must
    be allowed to read the estates' collection figures (checked first: the
    figures are read with SQL)."""

    _name = "report.%s" % MONTHLY_REPORT
    _description = "Monthly Collection Report"

    @api.model
    def get_report_values(self, docids, data=None):
        cards = self.env["property.collection.dashboard"].browse(docids)
        cards.check_access_rights("read")
        cards.check_access_rule("read")
        for model in ("property.collection.fact", "property.arrears.report",
                      "property.dunning.effect.report"):
            self.env[model].check_access_rights("read")
        period = (data or {}).get("period")
        if period and not PERIOD.match(period):
            raise UserError(_(
                "The month of the report must read like 2026-03, not %s.")
                % period)
        pages = {}
        for card in cards:
            pages[card.id] = card._monthly_figures(
                period or card._previous_period())
        return {
            "doc_ids": cards.ids,
            "doc_model": cards._name,
            "docs": cards,
            "pages": pages,
            "printed": fields.Datetime.context_timestamp(
                self, fields.Datetime.from_string(fields.Datetime.now())),
            "money": lambda value: "{:,.2f}".format(value or 0.0),
            "percent": lambda value: (
                "–" if value is None or value is False
                else "%.1f %%" % value),
        }
