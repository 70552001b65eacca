# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Alipay's open platform (RSA2) as an acquirer of the owner portal.

The portal starts a payment with ``_property_start``: a signed redirect to
``alipay.trade.wap.pay`` in a phone's browser or ``alipay.trade.page.pay``
on a desktop (never inside WeChat, which blocks Alipay). Alipay's notify
settles it (``_alipay_notify``, called by the controller), and the query
cron asks ``alipay.trade.query`` about those whose notify was lost
(``_property_query``). Nothing Alipay says is believed before its signature,
our app and merchant and the order's exact amount are checked; the protocol
itself is in ``rules/alipay.py``.
"""
import datetime
import logging

import requests

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.property_portal.rules import gateway

from ..rules import alipay

_logger = logging.getLogger(__name__)

NOTIFY_PATH = "/payment/alipay/notify"
RETURN_PATH = "/my/payments/%d"
TIMEOUT = 10
# an order left unpaid this long can no longer be paid: well inside the two
# days during which the query cron asks about it
TIMEOUT_EXPRESS = "1d"


class PaymentAcquirer(models.Model):
    _inherit = "payment.acquirer"

    provider = fields.Selection(selection_add=[(gateway.ALIPAY, "Alipay")])
    alipay_app_id = fields.Char(
        "Alipay App ID", help="The APPID of the application created on "
                              "Alipay's open platform (开放平台).")
    alipay_seller_id = fields.Char(
        "Alipay Merchant PID", help="The merchant's partner ID (2088...), "
                                    "which Alipay sends as seller_id.")
    alipay_private_key = fields.Text(
        "Application Private Key", groups="base.group_system",
        help="The application's RSA2 private key (应用私钥), as PEM text or "
             "as the one line of Base64 Alipay's key tool writes.")
    alipay_public_key = fields.Text(
        "Alipay's Public Key",
        help="Alipay's public key (支付宝公钥) shown on the open platform once "
             "the application's public key is uploaded; not the "
             "application's own public key.")
    alipay_gateway_url = fields.Char(
        "Alipay Gateway", default=alipay.DEFAULT_GATEWAY_URL,
        help="https://openapi.alipay.com/gateway.do, or Alipay's sandbox "
             "gateway while testing.")

    @api.constrains("alipay_private_key", "alipay_public_key")
    def _check_alipay_keys(self):
        for acquirer in self.sudo():
            try:
                if acquirer.alipay_private_key:
                    alipay.load_private_key(acquirer.alipay_private_key)
            except alipay.AlipayError:
                raise ValidationError(_(
                    "The application private key of Alipay is not a readable "
                    "RSA private key."))
            try:
                if acquirer.alipay_public_key:
                    alipay.load_public_key(acquirer.alipay_public_key)
            except alipay.AlipayError:
                raise ValidationError(_(
                    "The Alipay public key is not a readable RSA public key."))

    # -- configuration ---------------------------------------------------------

    @api.multi
    def _alipay_configured(self):
        """Whether every setting a payment needs is filled in."""
        self.ensure_one()
        acquirer = self.sudo()
        return bool(
            acquirer.provider == gateway.ALIPAY
            and acquirer.alipay_app_id and acquirer.alipay_seller_id
            and acquirer.alipay_private_key and acquirer.alipay_public_key
            and acquirer.alipay_gateway_url)

    @api.multi
    def _alipay_check_configured(self):
        if not self._alipay_configured():
            raise UserError(_("Alipay is not configured yet: pay another way "
                              "or ask the management office."))

    @api.multi
    def _alipay_signed(self, method, biz, notify_url=None, return_url=None):
        """The signed parameters of a request to Alipay."""
        self.ensure_one()
        acquirer = self.sudo()
        params = alipay.request_params(
            acquirer.alipay_app_id, method, biz, datetime.datetime.utcnow(),
            notify_url=notify_url, return_url=return_url)
        return alipay.sign_params(params, acquirer.alipay_private_key)

    @api.model
    def _alipay_base_url(self):
        return self.env["ir.config_parameter"].sudo().get_param(
            "web.base.url", "").rstrip("/")

    # -- the owner portal's gateway interface ----------------------------------

    @api.multi
    def _property_start(self, tx, client):
        """The signed redirect of ``tx`` to Alipay's cashier:
        ``{"redirect_url": ...}``."""
        self.ensure_one()
        if self.provider != gateway.ALIPAY:
            return super()._property_start(tx, client)
        acquirer = self.sudo()
        acquirer._alipay_check_configured()
        tx = tx.sudo()
        if tx.acquirer_id != acquirer or tx.state not in ("draft", "pending"):
            raise UserError(_("This payment cannot be started again."))
        try:
            method = gateway.alipay_method(client)
        except gateway.GatewayRuleError:
            raise UserError(_("Alipay cannot be opened inside WeChat: open "
                              "this page in your phone's browser, or pay "
                              "with WeChat Pay."))
        try:
            out_trade_no = gateway.out_trade_no(tx.reference)
            total_amount = gateway.to_yuan_text(tx.amount)
        except gateway.GatewayRuleError:
            raise UserError(_("The amount %s cannot be paid online.")
                            % tx.amount)
        base_url = self._alipay_base_url()
        return_url = base_url + RETURN_PATH % tx.id
        lang = tx.partner_id.lang or self.env.lang
        title = acquirer.with_context(lang=lang)._alipay_subject(tx)
        biz = alipay.pay_biz(method, out_trade_no, total_amount, title,
                             quit_url=return_url,
                             timeout_express=TIMEOUT_EXPRESS)
        params = acquirer._alipay_signed(
            method, biz, notify_url=base_url + NOTIFY_PATH,
            return_url=return_url)
        tx._property_started()
        return {"redirect_url": alipay.redirect_url(
            acquirer.alipay_gateway_url, params)}

    @api.multi
    def _alipay_subject(self, tx):
        """What the payer reads in Alipay's cashier."""
        company = tx.property_payer_id.company_id or self.company_id
        return _("%(company)s: property fees %(reference)s") % {
            "company": company.name, "reference": tx.reference}

    @api.multi
    def _property_query(self, tx):
        """Ask Alipay (``alipay.trade.query``) about ``tx``; settle it when
        it was paid the right amount, cancel it when Alipay closed it
        unpaid. True if found paid."""
        self.ensure_one()
        if self.provider != gateway.ALIPAY:
            return super()._property_query(tx)
        acquirer = self.sudo()
        tx = tx.sudo()
        if tx.acquirer_id != acquirer:
            return False
        if tx.state == "done":
            return True
        acquirer._alipay_check_configured()
        out_trade_no = gateway.out_trade_no(tx.reference)
        data = acquirer._alipay_call(alipay.QUERY,
                                     {"out_trade_no": out_trade_no})
        if data.get("code") != alipay.SUCCESS_CODE:
            if data.get("sub_code") != alipay.NOT_EXIST:
                _logger.warning("Alipay query of %s refused: %s %s",
                                out_trade_no, data.get("code"),
                                data.get("sub_code"))
            return False
        if data.get("out_trade_no") != out_trade_no:
            _logger.warning("Alipay query of %s answered for %s",
                            out_trade_no, data.get("out_trade_no"))
            return False
        try:
            return acquirer._alipay_settle(tx, data, app_id=None)
        except alipay.AlipayError:
            return False

    @api.multi
    def _alipay_call(self, method, biz):
        """A server call to Alipay: POST of the signed params; the answer's
        verified content. Not reachable or not verified is a UserError."""
        self.ensure_one()
        acquirer = self.sudo()
        params = acquirer._alipay_signed(method, biz)
        try:
            response = requests.post(
                acquirer.alipay_gateway_url, data=params, timeout=TIMEOUT,
                headers={"Accept": "application/json",
                         "User-Agent": "property_payment_alipay (Odoo 11)"})
        except requests.RequestException as error:
            _logger.warning("Alipay %s unreachable: %s", method,
                            type(error).__name__)
            raise UserError(_("Alipay cannot be reached now. Nothing was "
                              "paid; try again in a few minutes."))
        # the answer's charset is the request's: utf-8
        text = response.content.decode("utf-8", errors="replace")
        try:
            return alipay.read_response(text, method,
                                        acquirer.alipay_public_key)
        except alipay.AlipayError as error:
            _logger.warning("Alipay %s: answer (HTTP %s) refused: %s",
                            method, response.status_code, error.code)
            raise UserError(_("Alipay's answer could not be verified. "
                              "Nothing was paid; try again later."))

    @api.multi
    def _alipay_settle(self, tx, data, app_id):
        """Act on Alipay's verified trade ``data`` for ``tx`` after the
        merchant's checks (``app_id``: the one to check, None for a query
        answer). True when ``tx`` is paid (now or before); AlipayError if
        refused."""
        self.ensure_one()
        acquirer = self.sudo()
        try:
            paid = alipay.check_trade(data, app_id, acquirer.alipay_seller_id,
                                      gateway.to_decimal(tx.amount))
        except alipay.AlipayError as error:
            _logger.warning("Alipay trade %s refused: %s %s", tx.reference,
                            error.code, _safe_params(error.params))
            if error.code == "wrong_amount":
                tx.write({"state_message": _(
                    "Alipay reported %(paid)s paid for %(reference)s, which "
                    "is for %(amount)s: not accepted.") % {
                        "paid": error.params["paid"],
                        "reference": tx.reference, "amount": tx.amount}})
            raise
        status = data.get("trade_status")
        if status in alipay.PAID:
            if tx._property_confirm(data.get("trade_no") or "", paid):
                _logger.info("Alipay payment %s confirmed (%s)", tx.reference,
                             status)
            return True
        if status == alipay.TRADE_CLOSED and tx.state in ("draft", "pending"):
            tx._property_cancel()
        return tx.state == "done"

    # -- the notify ------------------------------------------------------------

    @api.model
    def _alipay_notify(self, params):
        """Handle Alipay's notify (its form ``params``): True when handled
        (paid now or before, waiting, closed), False when refused."""
        try:
            tx = self._alipay_notify_transaction(params)
        except alipay.AlipayError as error:
            _logger.warning("Alipay notify refused: %s %s", error.code,
                            _safe_params(error.params))
            return False
        _logger.info("Alipay notify %s handled for %s",
                     params.get("trade_status"), tx.reference)
        return True

    @api.model
    def _alipay_notify_transaction(self, params):
        """The transaction a notify is about, acted on; AlipayError if
        refused. The signature is checked with the public key of the Alipay
        acquirer whose app the notify names, and the transaction must be
        that acquirer's."""
        app_id = params.get("app_id") or ""
        acquirers = self.sudo().search([
            ("provider", "=", gateway.ALIPAY),
            ("alipay_app_id", "=", app_id)]).filtered(
                lambda a: a._alipay_configured())
        if not acquirers:
            # verified with every Alipay key first: a forged app_id is
            # told apart from a wrong one in the log only
            for candidate in self.sudo().search(
                    [("provider", "=", gateway.ALIPAY)]).filtered(
                        lambda a: a._alipay_configured()):
                try:
                    alipay.verify_params(params, candidate.alipay_public_key)
                except alipay.AlipayError:
                    continue
                raise alipay.AlipayError("wrong_app_id", app_id=app_id)
            raise alipay.AlipayError("bad_signature", app_id=app_id)
        error = alipay.AlipayError("bad_signature", app_id=app_id)
        acquirer = None
        for candidate in acquirers:
            try:
                alipay.verify_params(params, candidate.alipay_public_key)
            except alipay.AlipayError as refusal:
                error = refusal
                continue
            acquirer = candidate
            break
        if acquirer is None:
            raise error
        out_trade_no = params.get("out_trade_no") or ""
        # the portal's references are valid order numbers as they are
        tx = self.env["payment.transaction"].sudo().search([
            ("reference", "=", out_trade_no),
            ("acquirer_id", "=", acquirer.id),
            ("property_payer_id", "!=", False)], limit=1)
        if not tx:
            raise alipay.AlipayError("unknown_order", out_trade_no=out_trade_no)
        acquirer._alipay_settle(tx, params, app_id=acquirer.alipay_app_id)
        return tx


def _safe_params(params):
    """A refusal's params fit for the log: no keys, only what identifies."""
    return {key: value for key, value in params.items()
            if key in ("app_id", "seller_id", "out_trade_no", "status",
                       "expected", "paid", "sign_type", "key", "charset")}
