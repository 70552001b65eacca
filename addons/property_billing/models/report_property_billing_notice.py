# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io

from werkzeug.urls import url_encode

from odoo import api, models

from ..rules import privacy

try:
    import qrcode
except ImportError:  # pragma: no cover - qrcode is one of Odoo's requirements
    qrcode = None

NOTICE_STATES = ("open", "paid")


def report_values(records, key, values_of):
    """The values of a QWeb report of one page per record of ``records``:
    Odoo's ``doc_ids``, ``doc_model`` and ``docs``, and under ``key`` each
    record's page values, ``values_of(record)``, by record id. (The billing
    notice and the payments' receipt.)"""
    return {
        "doc_ids": records.ids,
        "doc_model": records._name,
        "docs": records,
        key: {record.id: values_of(record) for record in records},
    }


class ReportPropertyBillingNotice(models.AbstractModel):
    """Values of the billing notice PDF (缴费通知单), one page per invoice.

    Each page holds the estate, the unit (房号), the payer, the period, every
    line with its basis, the previous arrears of the same unit and payer, the
    total, the due date, how to pay (bank account of the estate), a QR code
    to the owner's bill in the portal and the service phone.

    This notice goes to its payer: its QR code carries the bill's access
    token. Notice-board copies (``board=True``, the building batch) carry
    none and mask the payer's name and mobile.
    """

    _name = "report.property_billing.report_billing_notice"
    _description = "Billing Notice Report"

    @api.model
    def get_report_values(self, docids, data=None):
        return report_values(self.env["account.invoice"].browse(docids),
                             "notices", self._notice_values)

    # -- values of one notice ------------------------------------------------------

    @api.model
    def _previous_arrears(self, invoice):
        """Open (unpaid) posted bills of the same unit and payer issued before
        ``invoice``: ``account.invoice`` recordset, oldest first."""
        if not invoice.property_unit_id or not invoice.partner_id:
            return self.env["account.invoice"]
        domain = [
            ("type", "=", "out_invoice"),
            ("state", "=", "open"),
            ("id", "!=", invoice.id),
            ("property_unit_id", "=", invoice.property_unit_id.id),
            ("commercial_partner_id", "=", invoice.commercial_partner_id.id),
            ("company_id", "=", invoice.company_id.id),
        ]
        if invoice.date_invoice:
            domain += ["|", ("date_invoice", "<", invoice.date_invoice),
                       "&", ("date_invoice", "=", invoice.date_invoice),
                       ("id", "<", invoice.id)]
        else:
            domain += [("id", "<", invoice.id)]
        return self.env["account.invoice"].search(
            domain, order="date_invoice, id")

    @api.model
    def _qr_data_uri(self, value, box_size=4):
        """A PNG QR code as a data URI (wkhtmltopdf needs no server for it)."""
        if not qrcode or not value:
            return False
        code = qrcode.QRCode(border=1, box_size=box_size)
        code.add_data(value)
        code.make(fit=True)
        image = code.make_image()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return "data:image/png;base64,%s" % base64.b64encode(
            buffer.getvalue()).decode("ascii")

    @api.model
    def _board_url(self, invoice):
        """The owner's bill in the portal behind the login page, without a
        token: whoever scans a posted notice logs in first (a logged-in owner
        goes straight on) and sees the bill only if it is theirs."""
        base = self.env["ir.config_parameter"].sudo().get_param(
            "web.base.url", "")
        return "%s/web/login?%s" % (base.rstrip("/"), url_encode(
            {"redirect": "/my/invoices/%s" % invoice.id}))

    @api.model
    def _payer_values(self, invoice, board=False):
        """Name and mobile of the payer as printed: masked on notice-board
        copies unless the company chose otherwise."""
        partner = invoice.partner_id
        name, mobile = partner.name or "", partner.mobile or ""
        if board and not invoice.company_id.property_notice_board_unmask:
            name, mobile = privacy.mask_name(name), privacy.mask_mobile(mobile)
        return {"partner_name": name, "partner_mobile": mobile}

    @api.model
    def _notice_values(self, invoice, board=False):
        unit = invoice.property_unit_id
        estate = unit.estate_id or invoice.property_estate_id
        arrears = self._previous_arrears(invoice)
        arrears_total = sum(arrears.mapped("residual"))
        if board:
            portal_url = self._board_url(invoice)
        else:
            portal_url = self.env["property.notice.delivery"]._portal_url(invoice)
        lines = [{
            "name": line.name,
            "basis": line.property_basis or "",
            "period_from": line.property_period_from,
            "period_to": line.property_period_to,
            "amount": line.price_total,
            "disputed": line.property_disputed,
        } for line in invoice.invoice_line_ids]
        values = self._payer_values(invoice, board=board)
        values.update({
            "board": board,
            "invoice": invoice,
            "estate": estate,
            "unit": unit,
            "building": unit.building_id,
            "partner": invoice.partner_id,
            "period": invoice.billing_period or "",
            "period_from": invoice.property_period_from,
            "period_to": invoice.property_period_to,
            "lines": lines,
            "arrears": arrears,
            "arrears_total": arrears_total,
            "total": invoice.amount_total,
            "residual": invoice.residual if invoice.state != "draft"
            else invoice.amount_total,
            "total_due": (invoice.residual if invoice.state != "draft"
                          else invoice.amount_total) + arrears_total,
            "date_due": invoice.date_due,
            "currency": invoice.currency_id,
            "bank_name": estate.bank_name or "",
            "bank_account": estate.bank_account or "",
            "service_phone": estate.service_phone or "",
            "portal_url": portal_url,
            "qr": self._qr_data_uri(portal_url),
        })
        return values
