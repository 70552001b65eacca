# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's own invoice pages lead to the suite's bill pages.

Billing notices, their QR codes, SMS and reminders hand out Odoo's links
(``/my/invoices/<id>?access_token=...``, ``/my/invoices``): the billing and
dunning add-ons work without this portal. Here a bill the owner may see
opens as the suite's bill page, and the list as the suite's list; anything
else is left to Odoo, which checks it as before (so a redirect tells nobody
more than Odoo's page would)."""
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.account.controllers.portal import PortalAccount


class PropertyInvoiceLinks(PortalAccount):

    @http.route()
    def portal_my_invoice_detail(self, invoice_id, access_token=None, **kw):
        try:
            bill = self._property_bill_check_access(invoice_id, access_token)
        except (AccessError, MissingError):
            bill = None
        if bill and bill.property_unit_id:
            url = "/my/bills/%d" % bill.id
            if access_token:
                url += "?" + url_encode({"access_token": access_token})
            return request.redirect(url)
        return super().portal_my_invoice_detail(
            invoice_id, access_token=access_token, **kw)

    @http.route()
    def portal_my_invoices(self, page=1, date_begin=None, date_end=None,
                           sortby=None, **kw):
        if request.env["account.invoice"].search_count(
                self._property_bill_domain()):
            return request.redirect("/my/bills")
        return super().portal_my_invoices(
            page=page, date_begin=date_begin, date_end=date_end,
            sortby=sortby, **kw)
