# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WeChat Pay's payment notification (支付成功回调, API v3).

Nobody is logged in: the signature over the raw body is the only proof, so
the route reads the body untouched and leaves every check to the acquirer
model. WeChat Pay reads the HTTP status only: 200 (no body) accepts, 4XX /
5XX with ``{"code": "FAIL", "message": ...}`` refuses and makes it retry.
"""
import json
import logging

from psycopg2.extensions import TransactionRollbackError

from odoo import http
from odoo.http import Response, request

from ..models.payment_acquirer import NOTIFY_PATH

_logger = logging.getLogger(__name__)
_get_request = http.Root.get_request


def _get_request_raw_json(self, httprequest):
    """Odoo 11 makes every ``application/json`` request a JSON-RPC call,
    which WeChat Pay's notify is not: it is served as a plain HTTP request
    (the body read raw), the other paths as before."""
    if httprequest.path == NOTIFY_PATH:
        return http.HttpRequest(httprequest)
    return _get_request(self, httprequest)


http.Root.get_request = _get_request_raw_json


def _answer(status, message=None):
    if message is None:
        return Response(status=status)
    body = json.dumps({"code": "FAIL", "message": message})
    return Response(body, status=status, content_type="application/json")


class WechatPayController(http.Controller):

    @http.route([NOTIFY_PATH], type="http", auth="none", csrf=False,
                methods=["POST"])
    def wechatpay_notify(self, **kwargs):
        body = request.httprequest.get_data()
        headers = request.httprequest.headers
        Acquirer = request.env["payment.acquirer"].sudo()
        try:
            status, message = Acquirer._wechatpay_notify(headers, body)
        except TransactionRollbackError:
            # another notify of the same order, or a payment into the same
            # journal, held the row: Odoo runs the request again (a few
            # times, after a random pause), and the retry finds the order
            # paid or settles it
            raise
        except Exception:  # pylint: disable=broad-except
            # never an HTML error page: WeChat Pay reads a FAIL and retries
            request.env.cr.rollback()
            _logger.exception("WeChat Pay notify: error")
            return _answer(500, "error")
        return _answer(status, message)
