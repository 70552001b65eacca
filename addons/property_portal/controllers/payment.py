# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Paying from the portal: choose bills (or pay ahead), choose how, pay.

- ``GET /my/pay[?bills=1,2]``: the owner's open bills, the chosen ones ticked
  (default: every bill issued until today, i.e. the overdue and the current
  ones), the amount (the selection's total, which the owner may lower for a
  part payment or raise to keep credit), and the ways to pay offered to this
  browser (Alipay is not offered inside WeChat).
- ``POST /my/pay``: checks everything (errors shown next to the field,
  nothing written); a bank transfer shows the payee and the reference to
  write in the memo; a gateway creates the transaction and starts it.
- ``/my/payments/<id>``: the transaction's state, its QR code while it waits,
  the receipt once the gateway's notify (or the query) settled it.
"""
import logging

import werkzeug.utils
from werkzeug.urls import url_encode

from odoo import _, fields, http
from odoo.exceptions import UserError
from odoo.http import request

from ..rules import gateway
from .portal import PropertyCustomerPortal

_logger = logging.getLogger(__name__)

TRANSFER = "transfer"
# a memo names at most this many bills; beyond, the unit code stands for them
MEMO_BILLS = 3


class PropertyPaymentPortal(PropertyCustomerPortal):
    """The pay page and the payment status page."""

    # -- what the owner may pay ------------------------------------------------

    def _property_open_bills(self):
        """The owner's open bills on their current units, oldest first (as
        sudo, filtered on the owner's commercial partner and units)."""
        partner = self._get_property_partner()
        units = self._get_property_occupancies().mapped("unit_id")
        if not units:
            return request.env["account.invoice"].sudo().browse()
        return request.env["account.invoice"].sudo().search([
            ("commercial_partner_id", "=", partner.id),
            ("type", "=", "out_invoice"), ("state", "=", "open"),
            ("property_unit_id", "in", units.ids),
        ], order="date_due, date_invoice, id")

    def _property_acquirers(self, client):
        """The published gateways this browser may use."""
        acquirers = request.env["payment.acquirer"].sudo().search(
            [("website_published", "=", True)], order="sequence, id")
        return acquirers.filtered(lambda a: a._property_offered(client))

    def _property_client(self):
        return gateway.client_of(request.httprequest.headers.get("User-Agent"))

    @staticmethod
    def _property_ids(text):
        ids = []
        for part in (text or "").replace(" ", "").split(","):
            if part.isdigit():
                ids.append(int(part))
        return ids

    def _property_pay_values(self, chosen_ids=None, amount=None, errors=None,
                             method=None):
        bills = self._property_open_bills()
        if chosen_ids is None:
            today = fields.Date.context_today(request.env.user)
            chosen = bills.filtered(
                lambda bill: (bill.date_invoice or today) <= today)
            # one estate at a time: the oldest bill's
            chosen = chosen.filtered(
                lambda bill: bill.property_estate_id
                == chosen[:1].property_estate_id)
        else:
            chosen = bills.filtered(lambda bill: bill.id in chosen_ids)
        total = sum(chosen.mapped("residual"))
        currency = (bills[:1].currency_id
                    or request.env.user.company_id.currency_id)
        client = self._property_client()
        values = self._prepare_portal_layout_values()
        values.update({
            "bills": bills,
            "chosen": chosen,
            "total": total,
            "amount": amount if amount is not None else
            ("%.2f" % total if total else ""),
            "currency": currency,
            "acquirers": self._property_acquirers(client),
            "method": method,
            "errors": errors or {},
            "page_name": "pay",
        })
        return values

    # -- routes ----------------------------------------------------------------

    @http.route(["/my/pay"], type="http", auth="user", methods=["GET"],
                website=True)
    def portal_my_pay(self, bills=None, **kw):
        chosen_ids = self._property_ids(bills) if bills else None
        return request.render("property_portal.portal_my_pay",
                              self._property_pay_values(chosen_ids))

    @http.route(["/my/pay"], type="http", auth="user", methods=["POST"],
                website=True)
    def portal_my_pay_post(self, **post):
        form = request.httprequest.form
        chosen_ids = [int(value) for value in form.getlist("bill_ids")
                      if value.isdigit()]
        open_bills = self._property_open_bills()
        errors = {}
        if set(chosen_ids) - set(open_bills.ids):
            # a bill that is not (or no longer) this owner's open bill
            errors["bill_ids"] = _("One of the bills chosen is not open any "
                                   "more or is not yours: choose again.")
        elif len(open_bills.filtered(
                lambda bill: bill.id in chosen_ids).mapped(
                    "property_estate_id")) > 1:
            errors["bill_ids"] = _("Pay the bills of one estate at a time: "
                                   "each estate writes its own receipt.")
        amount_text = (post.get("amount") or "").strip().replace(",", "")
        amount = None
        try:
            amount = gateway.to_decimal(amount_text)
            if amount <= 0:
                raise gateway.GatewayRuleError("not_positive")
        except gateway.GatewayRuleError:
            errors["amount"] = _("Enter an amount in yuan above zero, with at "
                                 "most two decimals (for example 128.50).")
        method = post.get("method") or ""
        acquirers = self._property_acquirers(self._property_client())
        acquirer = None
        if method == TRANSFER:
            pass
        elif method.isdigit() and int(method) in acquirers.ids:
            acquirer = acquirers.browse(int(method))
        else:
            errors["method"] = _("Choose how to pay.")
        if errors:
            values = self._property_pay_values(
                [i for i in chosen_ids if i in open_bills.ids], amount_text,
                errors, method)
            return request.render("property_portal.portal_my_pay", values)
        chosen = open_bills.filtered(lambda bill: bill.id in chosen_ids)
        if acquirer is None:
            return request.render("property_portal.portal_my_pay_transfer",
                                  self._property_transfer_values(chosen, amount))
        partner = self._get_property_partner()
        Transaction = request.env["payment.transaction"]
        try:
            # a gateway that refuses the order leaves no transaction behind
            with request.env.cr.savepoint():
                tx = Transaction._property_create(
                    partner, acquirer, amount, chosen,
                    self._property_client()).sudo()
                started = acquirer._property_start(tx, tx.property_client)
        except UserError as error:
            values = self._property_pay_values(chosen_ids, amount_text,
                                               {"method": error.name}, method)
            return request.render("property_portal.portal_my_pay", values)
        if started.get("qr_text"):
            tx._property_started(qr_text=started["qr_text"])
        if started.get("redirect_url"):
            # the gateway's own page (werkzeug: Odoo 11's request.redirect
            # takes no 'local')
            return werkzeug.utils.redirect(started["redirect_url"], 303)
        return request.redirect("/my/payments/%d" % tx.id)

    def _property_transfer_values(self, bills, amount):
        """The payee's account and the memo the statement matching knows:
        the bill numbers, or the estate and unit code for more bills or none
        (``property_payment.rules.statement_matching``)."""
        company = (bills[:1].company_id or request.env.user.company_id)
        channel = request.env["property.payment.channel"].sudo()._get(
            "transfer", company)
        account = channel.journal_id.bank_account_id
        if bills and len(bills) <= MEMO_BILLS:
            memo = " ".join(bills.mapped("number"))
        else:
            unit = (bills[:1].property_unit_id
                    or self._get_property_occupancies()[:1].unit_id)
            memo = " ".join(filter(None, [unit.estate_id.code, unit.code]))
        values = self._prepare_portal_layout_values()
        values.update({
            "bills": bills, "amount": float(amount), "memo": memo,
            "account": account, "company": company,
            "currency": company.currency_id, "page_name": "pay",
        })
        return values

    @http.route(["/my/payments/<int:tx_id>"], type="http", auth="user",
                methods=["GET"], website=True)
    def portal_my_payment(self, tx_id, **kw):
        tx = self._property_own_transaction(tx_id)
        if tx is None:
            return request.not_found()
        if tx.state == "done" and not tx.property_receipt_id:
            # the owner is back from the gateway before the queued
            # settlement ran: settle now, so the receipt is on this page
            self._property_settle_now(tx)
        values = self._prepare_portal_layout_values()
        qr_src = tx.property_qr_text and "/report/barcode/?%s" % url_encode({
            "type": "QR", "value": tx.property_qr_text, "width": 240,
            "height": 240})
        values.update({"tx": tx, "receipt": tx.property_receipt_id,
                       "qr_src": qr_src, "page_name": "pay"})
        return request.render("property_portal.portal_my_payment", values)

    @http.route(["/my/payments/<int:tx_id>/check"], type="http", auth="user",
                methods=["POST"], website=True)
    def portal_my_payment_check(self, tx_id, **kw):
        """The owner says they paid: ask the gateway now."""
        tx = self._property_own_transaction(tx_id)
        if tx is None:
            return request.not_found()
        if tx.state not in ("done", "cancel"):
            try:
                tx.acquirer_id._property_query(tx)
            except UserError as error:
                _logger.info("Query of %s: %s", tx.reference, error.name)
        return request.redirect("/my/payments/%d" % tx.id)

    def _property_settle_now(self, tx):
        """Settle the owner's confirmed payment ``tx``; a failure is left to
        the queued job (and its retries), the page then says it is being
        recorded."""
        try:
            with request.env.cr.savepoint():
                tx._property_settle_confirmed()
        except UserError as error:
            _logger.warning("Settlement of %s: %s", tx.reference, error.name)

    def _property_own_transaction(self, tx_id):
        """The owner's own portal payment ``tx_id`` (as sudo), or None."""
        partner = self._get_property_partner()
        tx = request.env["payment.transaction"].sudo().search([
            ("id", "=", tx_id), ("property_payer_id", "=", partner.id)])
        return tx or None
