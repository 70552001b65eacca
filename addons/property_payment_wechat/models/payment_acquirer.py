# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WeChat Pay API v3 (direct merchant) as an acquirer of the owner portal.

The portal starts a payment with ``_property_start`` (Native QR code on a
desktop, H5 in a phone's browser, JSAPI inside WeChat when configured),
WeChat Pay's notify settles it (``_wechatpay_notify``, called by the
controller), and the query cron asks about those whose notify was lost
(``_property_query``). Every answer of WeChat Pay is verified before it is
believed; the protocol itself is in ``rules/wechatpay.py``.
"""
import datetime
import logging
import time

import requests

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.property_portal.rules import gateway

from ..rules import wechatpay

_logger = logging.getLogger(__name__)

NOTIFY_PATH = "/payment/wechatpay/notify"
RETURN_PATH = "/my/payments/%d"
TIMEOUT = 10
# an order left unpaid this long can no longer be paid: well inside the
# two days during which the query cron asks about it
EXPIRE_MINUTES = 24 * 60
# status of the answer to a refused notify, by refusal
NOTIFY_STATUS = {
    "signtest": 401, "no_signature": 401, "stale_timestamp": 401,
    "unknown_serial": 401, "bad_signature": 401, "bad_key": 500,
    "unknown_order": 404,
}


class PaymentAcquirer(models.Model):
    _inherit = "payment.acquirer"

    provider = fields.Selection(selection_add=[(gateway.WECHATPAY,
                                                "WeChat Pay")])
    wechatpay_mchid = fields.Char(
        "Merchant Number (mchid)", help="商户号, as issued by WeChat Pay.")
    wechatpay_appid = fields.Char(
        "AppID", help="The official account's or app's AppID bound to the "
                      "merchant number.")
    wechatpay_serial_no = fields.Char(
        "Merchant Certificate Serial Number",
        help="Serial number of the merchant's API certificate "
             "(apiclient_cert.pem), in hexadecimal.")
    wechatpay_private_key = fields.Text(
        "Merchant API Private Key", groups="base.group_system",
        help="apiclient_key.pem, as PEM text.")
    wechatpay_apiv3_key = fields.Char(
        "APIv3 Key", groups="base.group_system",
        help="The 32-character APIv3 key that encrypts notifications.")
    wechatpay_platform_certificates = fields.Text(
        "Platform Certificates",
        help="WeChat Pay platform certificates as PEM text (one or several). "
             "Merchants registered since WeChat Pay's public keys leave this "
             "empty and fill in the public key.")
    wechatpay_public_key = fields.Text(
        "WeChat Pay Public Key", help="pub_key.pem, as PEM text.")
    wechatpay_public_key_id = fields.Char(
        "WeChat Pay Public Key ID", help="PUB_KEY_ID_...")
    wechatpay_api_url = fields.Char(
        "API Base URL", default=wechatpay.DEFAULT_API_URL,
        help="https://api.mch.weixin.qq.com, or its backup "
             "https://api2.mch.weixin.qq.com.")
    wechatpay_jsapi = fields.Boolean(
        "JSAPI Payments",
        help="Inside WeChat's browser, pay through the official account "
             "(JSAPI) instead of the H5 page. The official account must be "
             "bound to the merchant number and the portal's payment pages "
             "registered as its payment directory.")

    @api.constrains("wechatpay_apiv3_key")
    def _check_wechatpay_apiv3_key(self):
        for acquirer in self.sudo():
            key = acquirer.wechatpay_apiv3_key
            if key:
                try:
                    wechatpay.check_apiv3_key(key)
                except wechatpay.WechatPayError:
                    raise ValidationError(_(
                        "The APIv3 key of WeChat Pay has 32 characters."))

    @api.constrains("wechatpay_private_key", "wechatpay_platform_certificates",
                    "wechatpay_public_key", "wechatpay_public_key_id")
    def _check_wechatpay_keys(self):
        for acquirer in self.sudo():
            try:
                if acquirer.wechatpay_private_key:
                    wechatpay.load_private_key(acquirer.wechatpay_private_key)
                acquirer._wechatpay_platform_keys()
            except wechatpay.WechatPayError as error:
                raise ValidationError(acquirer._wechatpay_key_message(error))

    @api.model
    def _wechatpay_key_message(self, error):
        return {
            "private": _("The merchant API private key is not a readable PEM "
                         "RSA private key."),
            "public": _("The WeChat Pay public key is not a readable PEM RSA "
                        "public key."),
            "public_key_id": _("The WeChat Pay public key ID starts with "
                               "PUB_KEY_ID_."),
            "certificate": _("The platform certificates are not readable PEM "
                             "certificates."),
        }.get(error.params.get("key"), _("A WeChat Pay key cannot be read."))

    # -- configuration ---------------------------------------------------------

    @api.multi
    def _wechatpay_platform_keys(self):
        self.ensure_one()
        acquirer = self.sudo()
        return wechatpay.platform_keys(
            acquirer.wechatpay_platform_certificates,
            acquirer.wechatpay_public_key, acquirer.wechatpay_public_key_id)

    @api.multi
    def _wechatpay_configured(self):
        """Whether every setting a payment needs is filled in."""
        self.ensure_one()
        acquirer = self.sudo()
        return bool(
            acquirer.provider == gateway.WECHATPAY
            and acquirer.wechatpay_mchid and acquirer.wechatpay_appid
            and acquirer.wechatpay_serial_no and acquirer.wechatpay_private_key
            and acquirer.wechatpay_apiv3_key and acquirer.wechatpay_api_url
            and (acquirer.wechatpay_platform_certificates
                 or acquirer.wechatpay_public_key))

    @api.multi
    def _wechatpay_check_configured(self):
        if not self._wechatpay_configured():
            raise UserError(_("WeChat Pay is not configured yet: pay another "
                              "way or ask the management office."))

    # -- requests to WeChat Pay ------------------------------------------------

    @api.multi
    def _wechatpay_request(self, method, path, body=None):
        """``method`` ``path`` (with its query) signed as the merchant; the
        answer's status and JSON (None when empty), its signature verified.
        A failure to reach WeChat Pay or an unverified answer is a
        UserError."""
        self.ensure_one()
        acquirer = self.sudo()
        acquirer._wechatpay_check_configured()
        text = wechatpay.dumps(body) if body is not None else ""
        timestamp = int(time.time())
        headers = {
            "Authorization": wechatpay.authorization(
                acquirer.wechatpay_mchid, acquirer.wechatpay_serial_no,
                acquirer.wechatpay_private_key, method, path, text, timestamp,
                wechatpay.nonce_str()),
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": "property_payment_wechat (Odoo 11)",
        }
        if acquirer.wechatpay_public_key_id and acquirer.wechatpay_public_key:
            # answers signed with the public key rather than a certificate
            headers["Wechatpay-Serial"] = acquirer.wechatpay_public_key_id
        url = acquirer.wechatpay_api_url.rstrip("/") + path
        try:
            response = requests.request(method, url, data=text.encode("utf-8"),
                                        headers=headers, timeout=TIMEOUT)
        except requests.RequestException as error:
            _logger.warning("WeChat Pay %s %s unreachable: %s", method, path,
                            type(error).__name__)
            raise UserError(_("WeChat Pay cannot be reached now. Nothing was "
                              "paid; try again in a few minutes."))
        try:
            wechatpay.verify_headers(acquirer._wechatpay_platform_keys(),
                                     response.headers, response.content,
                                     time.time())
        except wechatpay.WechatPayError as error:
            _logger.warning("WeChat Pay %s %s: answer (HTTP %s) refused: %s",
                            method, path, response.status_code, error.code)
            raise UserError(_("WeChat Pay's answer could not be verified. "
                              "Nothing was paid; try again later."))
        data = None
        if response.content:
            try:
                data = response.json()
            except ValueError:
                data = None
        return response.status_code, data

    @api.multi
    def _wechatpay_gateway_error(self, status, data, path):
        code = (data or {}).get("code") if isinstance(data, dict) else None
        _logger.warning("WeChat Pay %s refused (HTTP %s, %s): %s", path,
                        status, code,
                        (data or {}).get("message") if isinstance(data, dict)
                        else "")
        return UserError(_("WeChat Pay refused the payment (%s). Nothing was "
                           "paid; try again later or pay another way.")
                         % (code or status))

    # -- the owner portal's gateway interface ----------------------------------

    @api.multi
    def _property_start(self, tx, client):
        """Order ``tx`` at WeChat Pay: ``{"qr_text": code_url}`` (Native),
        ``{"redirect_url": h5_url}`` (H5) or ``{"jsapi": params}``."""
        self.ensure_one()
        if self.provider != gateway.WECHATPAY:
            return super()._property_start(tx, client)
        acquirer = self.sudo()
        acquirer._wechatpay_check_configured()
        tx = tx.sudo()
        if tx.acquirer_id != acquirer or tx.state not in ("draft", "pending"):
            raise UserError(_("This payment cannot be started again."))
        openid = self.env.context.get("wechatpay_openid")
        mode = gateway.wechat_mode(
            client, bool(acquirer.wechatpay_jsapi and openid))
        try:
            fen = gateway.to_fen(tx.amount)
            out_trade_no = gateway.out_trade_no(tx.reference)
        except gateway.GatewayRuleError:
            raise UserError(_("The amount %s cannot be paid online.")
                            % tx.amount)
        base_url = self.env["ir.config_parameter"].sudo().get_param(
            "web.base.url", "").rstrip("/")
        lang = tx.partner_id.lang or self.env.lang
        description = acquirer.with_context(lang=lang)._wechatpay_description(
            tx)
        body = wechatpay.order_body(
            mode, acquirer.wechatpay_appid, acquirer.wechatpay_mchid,
            description, out_trade_no, base_url + NOTIFY_PATH, fen,
            expire=wechatpay.time_expire(datetime.datetime.utcnow(),
                                         EXPIRE_MINUTES),
            attach=tx.reference, payer_ip=_client_ip(), openid=openid)
        path = "/v3/pay/transactions/%s" % mode
        status, data = acquirer._wechatpay_request("POST", path, body)
        if status != 200 or not isinstance(data, dict):
            raise acquirer._wechatpay_gateway_error(status, data, path)
        if mode == "native" and data.get("code_url"):
            return {"qr_text": data["code_url"]}
        if mode == "h5" and data.get("h5_url"):
            back = requests.utils.quote(
                base_url + RETURN_PATH % tx.id, safe="")
            url = data["h5_url"]
            return {"redirect_url": "%s%sredirect_url=%s" % (
                url, "&" if "?" in url else "?", back)}
        if mode == "jsapi" and data.get("prepay_id"):
            return {"jsapi": wechatpay.jsapi_params(
                acquirer.wechatpay_appid, data["prepay_id"],
                acquirer.wechatpay_private_key, int(time.time()),
                wechatpay.nonce_str())}
        raise acquirer._wechatpay_gateway_error(status, data, path)

    @api.multi
    def _wechatpay_description(self, tx):
        """What the payer reads in WeChat (at most 127 characters)."""
        company = tx.property_payer_id.company_id or self.company_id
        return _("%(company)s: property fees %(reference)s") % {
            "company": company.name, "reference": tx.reference}

    @api.multi
    def _property_query(self, tx):
        """Ask WeChat Pay about ``tx``; settle it when it was paid the right
        amount. True if found paid."""
        self.ensure_one()
        if self.provider != gateway.WECHATPAY:
            return super()._property_query(tx)
        acquirer = self.sudo()
        tx = tx.sudo()
        if tx.acquirer_id != acquirer:
            return False
        if tx.state == "done":
            return True
        out_trade_no = gateway.out_trade_no(tx.reference)
        path = "/v3/pay/transactions/out-trade-no/%s?mchid=%s" % (
            out_trade_no, requests.utils.quote(acquirer.wechatpay_mchid))
        status, data = acquirer._wechatpay_request("GET", path)
        if status == 404:
            return False
        if status != 200 or not isinstance(data, dict):
            raise acquirer._wechatpay_gateway_error(status, data, path)
        if data.get("trade_state") != wechatpay.SUCCESS:
            return False
        if data.get("out_trade_no") != out_trade_no:
            _logger.warning("WeChat Pay query of %s answered for %s",
                            out_trade_no, data.get("out_trade_no"))
            return False
        try:
            return acquirer._wechatpay_settle(tx, data)
        except wechatpay.WechatPayError:
            return False

    @api.multi
    def _wechatpay_settle(self, tx, data):
        """Confirm ``tx`` from WeChat Pay's verified transaction ``data``
        after the merchant's checks (its settlement is queued); True when it
        is paid (now or before), raises WechatPayError otherwise."""
        self.ensure_one()
        try:
            wechatpay.check_paid(data, self.wechatpay_mchid,
                                 self.wechatpay_appid, gateway.to_fen(tx.amount))
        except wechatpay.WechatPayError as error:
            _logger.warning("WeChat Pay payment %s refused: %s",
                            tx.reference, error.code)
            if error.code == "wrong_amount":
                tx.write({"state_message": _(
                    "WeChat Pay reported %(paid)s paid for %(reference)s, "
                    "which is for %(amount)s: not accepted.") % {
                        "paid": gateway.from_fen(error.params["paid"]),
                        "reference": tx.reference, "amount": tx.amount}})
            raise
        serial = data.get("transaction_id") or ""
        tx._property_confirm(serial, gateway.from_fen(wechatpay.paid_fen(data)))
        return True

    # -- the notify ------------------------------------------------------------

    @api.model
    def _wechatpay_notify(self, headers, body):
        """Handle a notify of WeChat Pay: ``headers`` (case-insensitive) and
        the raw ``body``. Returns ``(status, None)`` when accepted (paid now
        or before) and ``(status, message)`` when refused."""
        try:
            tx = self._wechatpay_notify_transaction(headers, body)
        except wechatpay.WechatPayError as error:
            _logger.warning("WeChat Pay notify refused: %s %s", error.code,
                            _safe_params(error.params))
            return NOTIFY_STATUS.get(error.code, 400), error.code
        _logger.info("WeChat Pay notify accepted for %s", tx.reference)
        return 200, None

    @api.model
    def _wechatpay_notify_transaction(self, headers, body):
        """The transaction a notify paid, settled; WechatPayError if refused.

        The signature is checked with the keys of the WeChat Pay acquirers
        that know ``Wechatpay-Serial``, the resource decrypted with their
        APIv3 key, and the transaction found by its ``out_trade_no`` must
        belong to the acquirer whose keys did both."""
        signature = headers.get("Wechatpay-Signature") or ""
        if signature.startswith(wechatpay.SIGNTEST_PREFIX):
            raise wechatpay.WechatPayError("signtest")
        acquirers = self.sudo().search([("provider", "=", gateway.WECHATPAY)])
        serial = headers.get("Wechatpay-Serial") or ""
        now = time.time()
        error = wechatpay.WechatPayError("unknown_serial", serial=serial)
        data = acquirer = None
        for candidate in acquirers.filtered(
                lambda a: a._wechatpay_configured()):
            try:
                keys = candidate._wechatpay_platform_keys()
                wechatpay.find_key(keys, serial)
                wechatpay.verify_headers(keys, headers, body, now)
                data = wechatpay.notify_resource(candidate.wechatpay_apiv3_key,
                                                 body)
            except wechatpay.WechatPayError as refusal:
                if refusal.code != "unknown_serial" or \
                        error.code == "unknown_serial":
                    error = refusal
                continue
            acquirer = candidate
            break
        if acquirer is None:
            raise error
        # the portal's references are valid order numbers as they are
        out_trade_no = data.get("out_trade_no") or ""
        tx = self.env["payment.transaction"].sudo().search([
            ("reference", "=", out_trade_no),
            ("acquirer_id", "=", acquirer.id),
            ("property_payer_id", "!=", False)], limit=1)
        if not tx:
            raise wechatpay.WechatPayError("unknown_order",
                                           out_trade_no=out_trade_no)
        acquirer._wechatpay_settle(tx, data)
        return tx


def _client_ip():
    """The owner's address when called from a request (H5 needs it)."""
    try:
        from odoo.http import request
        return request.httprequest.remote_addr if request else None
    except RuntimeError:  # no request bound
        return None


def _safe_params(params):
    """A refusal's params fit for the log: no keys, only what identifies."""
    return {key: value for key, value in params.items()
            if key in ("serial", "out_trade_no", "state", "expected", "paid",
                       "currency", "key")}
