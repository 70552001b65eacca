# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Alipay's asynchronous notify (异步通知, ``notify_url``).

Nobody is logged in: Alipay's signature is the only proof, and every check
is the acquirer model's. Alipay reads the body only: exactly ``success``
when the notify was handled (paid now or before included), anything else
makes it send the notify again (8 times in about 25 hours): ``failure``.
"""
import logging

from psycopg2 import OperationalError

from odoo import http
from odoo.http import Response, request
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

from ..models.payment_acquirer import NOTIFY_PATH
from ..rules import alipay

_logger = logging.getLogger(__name__)

SUCCESS = "success"
FAILURE = "failure"


def _answer(text):
    return Response(text, status=200, content_type="text/plain")


class AlipayController(http.Controller):

    @http.route([NOTIFY_PATH], type="http", auth="none", csrf=False,
                methods=["POST"])
    def alipay_notify(self, **kwargs):
        try:
            params = alipay.notify_params(
                request.httprequest.form.items(multi=True))
        except alipay.AlipayError as error:
            _logger.warning("Alipay notify refused: %s", error.code)
            return _answer(FAILURE)
        Acquirer = request.env["payment.acquirer"].sudo()
        try:
            handled = Acquirer._alipay_notify(params)
        except OperationalError as error:
            if getattr(error, "pgcode", None) in \
                    PG_CONCURRENCY_ERRORS_TO_RETRY:
                # another notify of the same order is being settled: Odoo
                # runs this one again, which finds it paid
                raise
            request.env.cr.rollback()
            _logger.exception("Alipay notify: database error")
            return _answer(FAILURE)
        except Exception:  # pylint: disable=broad-except
            # never an HTML error page: Alipay reads the body and retries
            request.env.cr.rollback()
            _logger.exception("Alipay notify: error")
            return _answer(FAILURE)
        return _answer(SUCCESS if handled else FAILURE)
