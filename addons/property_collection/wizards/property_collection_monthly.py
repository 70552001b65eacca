# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

STAFF_GROUPS = ("property_billing.group_billing_user",
                "account.group_account_invoice")
MONTHS = 24


def is_staff(user):
    """Billing staff or an accountant: who reads the collection figures."""
    return any(user.has_group(group) for group in STAFF_GROUPS)


class PropertyCollectionMonthly(models.TransientModel):
    """Print the monthly management report (月度收缴报告) of estates."""

    _name = "property.collection.monthly"
    _description = "Print the Monthly Collection Report"

    @api.model
    def _selection_period(self):
        first = fields.Date.from_string(
            fields.Date.context_today(self)).replace(day=1)
        return [((first - relativedelta(months=n)).strftime("%Y-%m"),
                 (first - relativedelta(months=n)).strftime("%Y-%m"))
                for n in range(MONTHS)]

    @api.model
    def _default_period(self):
        return self._selection_period()[1][0]

    @api.model
    def _default_estates(self):
        return self.env["property.estate"].search([])

    period = fields.Selection(
        "_selection_period", string="Month", required=True,
        default=lambda self: self._default_period())
    estate_ids = fields.Many2many(
        "property.estate", string="Estates", required=True,
        default=lambda self: self._default_estates())

    @api.multi
    def action_print(self):
        self.ensure_one()
        # a wizard has no access rights of its own: the figures are staff's
        if not is_staff(self.env.user):
            raise AccessError(_(
                "Only billing staff and accountants can print the collection "
                "report."))
        if not self.estate_ids:
            raise UserError(_("Choose at least one estate."))
        cards = self.env["property.collection.dashboard"].browse(
            self.estate_ids.ids)
        return self.env.ref(
            "property_collection.action_report_collection_monthly"
        ).report_action(cards, data={"period": self.period})
