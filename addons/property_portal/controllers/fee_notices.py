# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Published fee standards and their publication notices (公示) on the
portal: those of the estates where the owner holds a unit today.

Owners have no access rights on standards and notices (their internal
fields, consultations and drafts are the staff's): the pages read them as
the superuser, filtered first on the estates of the user's current
occupancies, published notices only (``property.fee.notice._portal_notices``)
and standards in a published or active state only."""
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.http import request

from odoo.addons.property_billing.rules import fee_standards as standard_rules

from .portal import PropertyCustomerPortal


class PropertyFeeNoticePortal(PropertyCustomerPortal):

    def _fee_notice_units(self):
        return self._get_property_occupancies().mapped("unit_id")

    def _fee_notices(self, units=None):
        """The published notices of the user's estates (sudo)."""
        if units is None:
            units = self._fee_notice_units()
        Notice = request.env["property.fee.notice"].sudo()
        if not units:
            return Notice
        today = fields.Date.context_today(request.env.user)
        return Notice._portal_notices(units.mapped("estate_id"), today=today)

    def _fee_standards(self, units=None):
        """The published and active standards that apply to one of the
        user's units (sudo)."""
        if units is None:
            units = self._fee_notice_units()
        Standard = request.env["property.fee.standard"].sudo()
        if not units:
            return Standard
        standards = Standard.search([
            ("estate_id", "in", units.mapped("estate_id").ids),
            ("state", "in", standard_rules.BILLING_STATES),
        ], order="estate_id, item_id, date_from desc")
        return standards.filtered(
            lambda standard: any(standard._applies_to_unit(unit)
                                 for unit in units))

    def _property_home_counts(self):
        values = super()._property_home_counts()
        if request.env.user.has_group("base.group_portal"):
            values["fee_notice_count"] = len(self._fee_notices())
        return values

    @http.route(["/my/fee_notices"], type="http", auth="user", website=True)
    def portal_my_fee_notices(self, **kw):
        values = self._prepare_portal_layout_values()
        units = self._fee_notice_units()
        values.update({
            "page_name": "fee_notice",
            "notices": self._fee_notices(units),
            "standards": self._fee_standards(units),
        })
        return request.render("property_portal.portal_my_fee_notices", values)

    @http.route(["/my/fee_notices/<int:notice_id>"], type="http",
                auth="user", website=True)
    def portal_fee_notice_page(self, notice_id, **kw):
        notice = self._fee_notices().filtered(lambda n: n.id == notice_id)
        if not notice:
            raise NotFound()
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "fee_notice",
            "notice": notice,
            "rows": notice._standard_rows(),
        })
        return request.render("property_portal.portal_fee_notice_page", values)
