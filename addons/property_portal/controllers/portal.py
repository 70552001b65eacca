# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class PropertyCustomerPortal(CustomerPortal):
    """The owner's pages under /my: their units for now."""

    def _get_property_partner(self):
        return request.env.user.commercial_partner_id

    def _get_property_occupancies(self):
        """The user's current occupancies (owner, tenant or payer), as sudo.

        Read with sudo but filtered strictly on the user's commercial
        partner, so they only ever hold this owner's own occupancies.
        """
        memo = getattr(request, "_property_occupancies", None)
        if memo is not None and memo[0] == request.env.uid:
            return memo[1]
        partner = self._get_property_partner()
        today = fields.Date.context_today(request.env.user)
        occupancies = request.env["property.occupancy"].sudo().search([
            ("partner_id", "child_of", [partner.id]),
            ("date_from", "<=", today),
            "|", ("date_to", "=", False), ("date_to", ">=", today),
        ])
        # one search per request: every part of a page asks for them
        request._property_occupancies = (request.env.uid, occupancies)
        return occupancies

    def _get_property_unit_domain(self, occupancies=None):
        if occupancies is None:
            occupancies = self._get_property_occupancies()
        return [("id", "in", occupancies.mapped("unit_id").ids)]

    @staticmethod
    def _property_pdf_response(report_xmlid, records, filename, inline=False):
        """``records`` printed with the report ``report_xmlid`` (as sudo: the
        caller has checked the owner's access), answered as a PDF file.
        (While Odoo's tests run, reports come as HTML unless the test asks
        for real PDFs: then the HTML is answered as a page.)"""
        report = request.env.ref(report_xmlid).sudo()
        result = report.render_qweb_pdf(records.ids)
        # Odoo 11 answers the bare HTML on a test cursor (HttpCase)
        content, kind = result if isinstance(result, tuple) else (
            result, "html")
        if kind != "pdf":
            return request.make_response(content, headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(content)))])
        if inline:
            disposition = 'inline; filename="%s"' % filename.encode(
                "ascii", "ignore").decode().replace('"', "")
        else:
            disposition = http.content_disposition(filename)
        return request.make_response(content, headers=[
            ("Content-Type", "application/pdf"),
            ("Content-Length", str(len(content))),
            ("Content-Disposition", disposition),
            ("X-Content-Type-Options", "nosniff"),
        ])

    def _property_home_counts(self):
        """The counts the home page lists, ``{name: count}``: for the home
        page only (Odoo 11 computes its own in every page's layout values,
        which would make every page pay for them)."""
        return {"unit_count": request.env["property.unit"].sudo().search_count(
            self._get_property_unit_domain())}

    @http.route(["/my/units", "/my/units/page/<int:page>"],
                type="http", auth="user", website=True)
    def portal_my_units(self, page=1, sortby=None, **kw):
        values = self._prepare_portal_layout_values()
        Unit = request.env["property.unit"].sudo()
        occupancies = self._get_property_occupancies()
        domain = self._get_property_unit_domain(occupancies)
        searchbar_sortings = {
            "code": {"label": _("Unit"), "order": "estate_id, code"},
            "area": {"label": _("Area"), "order": "area desc"},
        }
        if sortby not in searchbar_sortings:
            sortby = "code"
        order = searchbar_sortings[sortby]["order"]
        unit_count = Unit.search_count(domain)
        pager = portal_pager(
            url="/my/units",
            url_args={"sortby": sortby},
            total=unit_count,
            page=page,
            step=self._items_per_page,
        )
        units = Unit.search(domain, order=order, limit=self._items_per_page,
                            offset=pager["offset"])
        values.update({
            "units": units,
            # unit id -> this owner's current occupancies of it (role, share)
            "unit_occupancies": {
                unit.id: occupancies.filtered(lambda o, u=unit: o.unit_id == u)
                for unit in units
            },
            "page_name": "unit",
            "pager": pager,
            "default_url": "/my/units",
            "searchbar_sortings": searchbar_sortings,
            "sortby": sortby,
        })
        return request.render("property_portal.portal_my_units", values)
