# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules.fee_standards import DEFAULT_NOTICE_DAYS


class ResCompany(models.Model):
    _inherit = "res.company"

    property_notice_days = fields.Integer(
        string="Fee Notice Period (days)", default=DEFAULT_NOTICE_DAYS,
        help="Days a fee standard must be published (公示) before the first "
             "day it may bill.")
    property_notice_board_unmask = fields.Boolean(
        string="Full Payer Details on Notice Boards",
        help="Print the payer's full name and mobile on the billing notices "
             "posted on the notice board. By default they are masked "
             "(张*, 138****8000): anyone passing can read a posted notice.")

    @api.constrains("property_notice_days")
    def _check_property_notice_days(self):
        for company in self:
            if company.property_notice_days < 0:
                raise ValidationError(_(
                    "The fee notice period cannot be negative."))
