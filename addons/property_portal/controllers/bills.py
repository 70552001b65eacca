# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The owner's pages: home summary, bills, receipts and contact profile.

Access: the owner sees the bills addressed to their commercial partner for
the units they occupy today, read as the owner (Odoo's portal rule on
invoices) and filtered on partner and units; receipts, which portal users
cannot read, are read with sudo filtered strictly on the same partner and
units. Anything else (another owner's id, an id that does not exist, a
former owner) answers 404. A bill also opens with its access token (the
links of the SMS and the QR code), for a payer still occupying the unit.
"""
import re

from odoo import _, fields, http
from odoo.exceptions import AccessError, ValidationError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.property_billing.rules import delivery as delivery_rules
from odoo.addons.property_billing.rules.constants import CONTACT_CHANNELS

from .portal import PropertyCustomerPortal

BILL_STATES = ("open", "paid")
YEAR_RE = re.compile(r"^\d{4}$")
NOTICE_REPORT = "property_billing.report_billing_notice_action"
RECEIPT_REPORT = "property_payment.action_report_property_receipt"
ACTIVE_PLAN_STATES = ("draft", "active", "broken")
PROFILE_FIELDS = ("mobile", "email", "property_contact_channel",
                  "property_sms_consent")


class PropertyOwnerPages(PropertyCustomerPortal):

    # -- access ----------------------------------------------------------------

    def _property_current_units(self):
        return self._get_property_occupancies().mapped("unit_id")

    def _property_bill_domain(self, units=None):
        """The owner's own bills of their current units (posted ones)."""
        if units is None:
            units = self._property_current_units()
        return [
            ("type", "=", "out_invoice"),
            ("state", "in", BILL_STATES),
            ("commercial_partner_id", "=", self._get_property_partner().id),
            ("property_unit_id", "in", units.ids),
        ]

    def _property_bill_check_access(self, invoice_id, access_token=None):
        """The bill ``invoice_id`` as sudo, if the user may see it: read as
        the user through the record rules and the owner's domain, or with
        its access token for a payer who still occupies the unit. Raises
        AccessError otherwise (whatever the reason, the same error)."""
        Invoice = request.env["account.invoice"]
        user = request.env.user
        if not user._is_public():
            found = Invoice.search(
                self._property_bill_domain() + [("id", "=", invoice_id)])
            if found:
                return found.sudo()
        if access_token:
            invoice = Invoice.sudo().browse(invoice_id).exists()
            if invoice and invoice.access_token and consteq(
                    invoice.access_token, access_token) and \
                    invoice.type == "out_invoice" and \
                    invoice.state in BILL_STATES and \
                    self._property_payer_occupies(invoice):
                return invoice
        raise AccessError(_("This bill is not available."))

    @staticmethod
    def _property_payer_occupies(invoice):
        """Whether the bill's payer occupies the bill's unit today."""
        today = fields.Date.context_today(invoice)
        return bool(invoice.property_unit_id) and bool(
            request.env["property.occupancy"].sudo().search_count([
                ("unit_id", "=", invoice.property_unit_id.id),
                ("partner_id", "child_of",
                 [invoice.commercial_partner_id.id]),
                ("date_from", "<=", today),
                "|", ("date_to", "=", False), ("date_to", ">=", today),
            ]))

    def _property_receipt_domain(self, units=None):
        """The owner's receipts: for the units they occupy today, or (an
        advance payment, no unit) in an estate where they occupy one."""
        if units is None:
            units = self._property_current_units()
        return [
            ("partner_id", "child_of", [self._get_property_partner().id]),
            "|", ("unit_ids", "in", units.ids),
            "&", ("unit_ids", "=", False),
            ("estate_id", "in", units.mapped("estate_id").ids),
        ]

    def _property_receipt_check_access(self, receipt_id):
        """The receipt ``receipt_id`` as sudo (portal users have no rights on
        receipts): searched with sudo within the owner's domain only."""
        if request.env.user._is_public():
            raise AccessError(_("This receipt is not available."))
        receipt = request.env["property.receipt"].sudo().search(
            self._property_receipt_domain() + [("id", "=", receipt_id)])
        if not receipt:
            raise AccessError(_("This receipt is not available."))
        return receipt

    # -- layout and home ------------------------------------------------------

    def _property_home_counts(self):
        values = super()._property_home_counts()
        if request.env.user._is_public():
            return values
        units = self._property_current_units()
        values["bill_count"] = request.env["account.invoice"].search_count(
            self._property_bill_domain(units))
        values["receipt_count"] = request.env["property.receipt"].sudo(
        ).search_count(self._property_receipt_domain(units))
        return values

    def _property_home_units(self):
        """One summary per current unit: balance due, next due date, overdue,
        instalment plan."""
        Invoice = request.env["account.invoice"]
        partner = self._get_property_partner()
        units = self._property_current_units().sorted(
            lambda u: (u.estate_id.name or "", u.code or ""))
        today = fields.Date.context_today(request.env.user)
        open_bills = Invoice.search(
            self._property_bill_domain(units) + [("state", "=", "open")],
            order="date_due, id")
        plans = request.env["property.instalment.plan"].sudo().search([
            ("partner_id", "=", partner.id),
            ("estate_id", "in", units.mapped("estate_id").ids),
            ("state", "in", ACTIVE_PLAN_STATES),
        ])
        summaries = []
        for unit in units:
            bills = open_bills.filtered(
                lambda b, u=unit: b.property_unit_id == u)
            overdue = bills.filtered(
                lambda b: b.date_due and b.date_due < today)
            plan = plans.filtered(lambda p, u=unit: p.estate_id == u.estate_id)
            next_line = plan[:1].line_ids.filtered(
                lambda line: line.state in ("open", "grace")).sorted(
                "date_due")[:1]
            summaries.append({
                "unit": unit,
                "currency": (bills[:1].currency_id
                             or unit.estate_id.company_id.currency_id
                             or request.env.user.company_id.currency_id),
                "balance": sum(bills.mapped("residual")),
                "bill_count": len(bills),
                "overdue": sum(overdue.mapped("residual")),
                "next_due": bills[:1].date_due,
                "plan": plan[:1],
                "plan_next": next_line,
            })
        return summaries

    def _property_home_values(self):
        partner = self._get_property_partner()
        user = request.env.user
        Complaint = request.env["property.complaint"]
        open_complaints = 0
        if Complaint.check_access_rights("read", raise_exception=False):
            open_complaints = Complaint.search_count([
                ("partner_id", "child_of", [partner.id]),
                ("is_closed", "=", False)])
        return {
            "property_units": self._property_home_units(),
            "property_advance": partner.property_advance_balance,
            "property_currency": user.company_id.currency_id,
            "property_open_complaints": open_complaints,
        }

    @http.route()
    def home(self, **kw):
        response = super().home(**kw)
        if not request.env.user._is_public() and \
                getattr(response, "qcontext", None) is not None:
            response.qcontext.update(self._property_home_counts())
            response.qcontext.update(self._property_home_values())
        return response

    # -- bills -----------------------------------------------------------------

    def _property_bill_filters(self):
        return {
            "all": {"label": _("All"), "domain": []},
            "unpaid": {"label": _("Unpaid"), "domain": [("state", "=", "open")]},
            "paid": {"label": _("Paid"), "domain": [("state", "=", "paid")]},
        }

    @http.route(["/my/bills", "/my/bills/page/<int:page>"],
                type="http", auth="user", website=True)
    def portal_my_bills(self, page=1, filterby=None, year=None, unit=None,
                        **kw):
        values = self._prepare_portal_layout_values()
        Invoice = request.env["account.invoice"]
        units = self._property_current_units()
        domain = self._property_bill_domain(units)
        filters = self._property_bill_filters()
        if filterby not in filters:
            filterby = "all"
        domain += filters[filterby]["domain"]
        unit_id = int(unit) if unit and str(unit).isdigit() else None
        selected_unit = units.filtered(lambda u: u.id == unit_id)
        if selected_unit:
            domain += [("property_unit_id", "=", selected_unit.id)]
        years = sorted({(period or "")[:4] for period in Invoice.search(
            self._property_bill_domain(units)).mapped("billing_period")
            if YEAR_RE.match((period or "")[:4])}, reverse=True)
        if year and YEAR_RE.match(year) and year in years:
            domain += [("billing_period", "=like", "%s%%" % year)]
        else:
            year = None
        url_args = {"filterby": filterby}
        if year:
            url_args["year"] = year
        if selected_unit:
            url_args["unit"] = selected_unit.id
        pager = portal_pager(
            url="/my/bills", url_args=url_args,
            total=Invoice.search_count(domain), page=page,
            step=self._items_per_page)
        bills = Invoice.search(
            domain, order="date_invoice desc, id desc",
            limit=self._items_per_page, offset=pager["offset"])
        today = fields.Date.context_today(request.env.user)
        overdue_count = Invoice.search_count(
            self._property_bill_domain(units) + [
                ("state", "=", "open"), ("date_due", "<", today)])
        values.update({
            "bills": bills.sudo(),
            "today": today,
            "overdue_count": overdue_count,
            "page_name": "bill",
            "pager": pager,
            "default_url": "/my/bills",
            "bill_filters": filters,
            "filterby": filterby,
            "years": years,
            "year": year,
            "units": units,
            "selected_unit": selected_unit,
        })
        return request.render("property_portal.portal_my_bills", values)

    def _property_bill_page_values(self, invoice, access_token=None,
                                   **kwargs):
        partner = invoice.commercial_partner_id
        arrears = request.env[
            "report.property_billing.report_billing_notice"].sudo(
        )._previous_arrears(invoice)
        questions = request.env["property.bill.question"].sudo().search([
            ("invoice_id", "=", invoice.id),
            ("partner_id", "child_of", [partner.id]),
        ], order="date desc, id desc")
        values = self._prepare_portal_layout_values() if \
            not request.env.user._is_public() else {}
        values.update({
            "page_name": "bill",
            "bill": invoice,
            "bill_lines": invoice.invoice_line_ids,
            "arrears": arrears,
            "arrears_total": sum(arrears.mapped("residual")),
            "questions": questions,
            "access_token": access_token,
            "today": fields.Date.context_today(request.env.user),
            "can_act": not request.env.user._is_public(),
            "question_error": kwargs.get("question_error") or {},
            "question_values": kwargs.get("question_values") or {},
            "question_sent": kwargs.get("question_sent"),
        })
        if access_token and request.env.user._is_public():
            values["no_breadcrumbs"] = True
        return values

    @http.route(["/my/bills/<int:invoice_id>"], type="http", auth="public",
                website=True)
    def portal_my_bill(self, invoice_id, access_token=None, sent=None, **kw):
        try:
            invoice = self._property_bill_check_access(invoice_id, access_token)
        except AccessError:
            return request.not_found()
        values = self._property_bill_page_values(
            invoice, access_token, question_sent=bool(sent))
        return request.render("property_portal.portal_my_bill", values)

    @http.route(["/my/bills/<int:invoice_id>/pdf"], type="http", auth="public",
                website=True)
    def portal_my_bill_pdf(self, invoice_id, access_token=None, **kw):
        try:
            invoice = self._property_bill_check_access(invoice_id, access_token)
        except AccessError:
            return request.not_found()
        # as sudo: the notice reads taxes, the estate's bank and the ledger
        return self._property_pdf_response(
            NOTICE_REPORT, invoice, "%s.pdf" % (invoice.number or invoice.id))

    @http.route(["/my/bills/<int:invoice_id>/question"], type="http",
                auth="user", website=True, methods=["POST"])
    def portal_my_bill_question(self, invoice_id, line_id=None, question=None,
                                **kw):
        try:
            invoice = self._property_bill_check_access(invoice_id)
        except AccessError:
            return request.not_found()
        errors = {}
        line = invoice.invoice_line_ids.filtered(
            lambda bill_line: str(bill_line.id) == str(line_id or ""))
        if not line:
            errors["line_id"] = _("Please choose the line you ask about.")
        text = (question or "").strip()
        if not text:
            errors["question"] = _("Please write your question.")
        if not errors:
            try:
                request.env["property.bill.question"]._property_portal_ask(
                    self._get_property_partner(), line, text)
            except ValidationError as error:
                # nothing of the refused question stays (the request wrote
                # nothing before it)
                request.env.cr.rollback()
                errors["question"] = error.name
            except AccessError:
                return request.not_found()
        if errors:
            values = self._property_bill_page_values(
                invoice, question_error=errors,
                question_values={"line_id": line.id, "question": question})
            return request.render("property_portal.portal_my_bill", values)
        return request.redirect("/my/bills/%d?sent=1#questions" % invoice.id)

    # -- receipts --------------------------------------------------------------

    @http.route(["/my/receipts", "/my/receipts/page/<int:page>"],
                type="http", auth="user", website=True)
    def portal_my_receipts(self, page=1, **kw):
        values = self._prepare_portal_layout_values()
        Receipt = request.env["property.receipt"].sudo()
        domain = self._property_receipt_domain()
        pager = portal_pager(
            url="/my/receipts", total=Receipt.search_count(domain), page=page,
            step=self._items_per_page)
        receipts = Receipt.search(domain, limit=self._items_per_page,
                                  offset=pager["offset"])
        values.update({
            "receipts": receipts,
            "page_name": "receipt",
            "pager": pager,
            "default_url": "/my/receipts",
        })
        return request.render("property_portal.portal_my_receipts", values)

    @http.route(["/my/receipts/<int:receipt_id>"], type="http", auth="user",
                website=True)
    def portal_my_receipt(self, receipt_id, **kw):
        try:
            receipt = self._property_receipt_check_access(receipt_id)
        except AccessError:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "receipt",
            "receipt": receipt,
            "receipt_lines": receipt.line_ids,
        })
        return request.render("property_portal.portal_my_receipt", values)

    @http.route(["/my/receipts/<int:receipt_id>/pdf"], type="http",
                auth="user", website=True)
    def portal_my_receipt_pdf(self, receipt_id, **kw):
        try:
            receipt = self._property_receipt_check_access(receipt_id)
        except AccessError:
            return request.not_found()
        return self._property_pdf_response(
            RECEIPT_REPORT, receipt, "%s.pdf" % (receipt.name or receipt.id))

    # -- profile ---------------------------------------------------------------

    def _property_profile_validate(self, post):
        """(values to write, {field: message}) from the profile form."""
        errors = {}
        mobile = (post.get("mobile") or "").strip()
        email = (post.get("email") or "").strip()
        channel = post.get("property_contact_channel") or ""
        consent = bool(post.get("property_sms_consent"))
        if mobile and not delivery_rules.is_valid_mobile(mobile):
            errors["mobile"] = _(
                "Please enter a valid mobile number (digits only, "
                "for example 13800000001).")
        if email and not delivery_rules.is_valid_email(email):
            errors["email"] = _(
                "Please enter a valid e-mail address, for example "
                "name@example.com.")
        if channel not in dict(CONTACT_CHANNELS):
            errors["property_contact_channel"] = _(
                "Please choose how we should contact you.")
        elif channel == "sms":
            if not mobile and "mobile" not in errors:
                errors["mobile"] = _("SMS needs your mobile number.")
            if not consent:
                errors["property_sms_consent"] = _(
                    "To receive SMS, please tick your consent.")
        elif channel == "email" and not email and "email" not in errors:
            errors["email"] = _("E-mail needs your e-mail address.")
        elif channel in ("phone", "wechat") and not mobile and \
                "mobile" not in errors:
            errors["mobile"] = _("Please give the number we should call.")
        values = {
            "mobile": mobile or False,
            "email": email or False,
            "property_contact_channel": channel,
            "property_sms_consent": consent,
        }
        return values, errors

    @http.route(["/my/profile"], type="http", auth="user", website=True,
                methods=["GET", "POST"])
    def portal_my_profile(self, **post):
        values = self._prepare_portal_layout_values()
        partner = request.env.user.partner_id
        errors = {}
        form = {name: partner.sudo()[name] for name in PROFILE_FIELDS}
        if request.httprequest.method == "POST":
            form, errors = self._property_profile_validate(post)
            if not errors:
                # the user's own partner, the four fields of the form only
                partner.sudo().write(form)
                return request.redirect("/my/profile?saved=1")
        values.update({
            "page_name": "profile",
            "partner": partner,
            "form": form,
            "errors": errors,
            "saved": bool(post.get("saved")) and not errors,
            # the labels in the owner's language
            "channels": partner._fields[
                "property_contact_channel"]._description_selection(request.env),
        })
        return request.render("property_portal.portal_my_profile", values)
