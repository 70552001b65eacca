# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared base of the WeChat Pay tests: Odoo served on a free port, the
stub WeChat Pay server, a payer with two open bills and a configured
acquirer, all built in the registry's test cursor (see ``PortalHttpCase``)."""
import contextlib
import itertools
import re

import odoo.tests.common
import odoo.tools
from odoo import SUPERUSER_ID, api

from odoo.addons.property_billing.tests.common import (
    NO_MAIL_CONTEXT, PropertyCase)
from odoo.addons.property_payment.tests.common import PaymentCase
from odoo.addons.property_portal.tests.common import (
    PortalHttpCase, run_settlements, warm_precisions)

from .wechat_stub import WechatPayStub, new_rsa_key, private_pem, public_pem

MCHID = "1900009191"
APPID = "wxd678efh567hg6787"
MERCHANT_SERIAL = "3775B6A45ACD588826D15E583A95F5DD2C7E1A61"
APIV3_KEY = "0123456789abcdefghijklmnopqrstuv"
_MERCHANT_KEY = []
_SEQ = itertools.count(1)


def merchant_key():
    """The merchant's API key of the tests (made once: RSA takes a while)."""
    if not _MERCHANT_KEY:
        _MERCHANT_KEY.append(new_rsa_key())
    return _MERCHANT_KEY[0]


class _Factory:
    """``PropertyCase``'s and ``PaymentCase``'s factories on another
    environment (the registry's test cursor) instead of the class's."""

    _create_user = PropertyCase._create_user.__func__
    _create_estate = PropertyCase._create_estate.__func__
    _create_building = PropertyCase._create_building.__func__
    _create_unit = PropertyCase._create_unit.__func__
    _create_owner = PropertyCase._create_owner.__func__
    _create_occupancy = PropertyCase._create_occupancy.__func__
    _create_portal_user = PropertyCase._create_portal_user.__func__
    _bill = PaymentCase._bill.__func__

    def __init__(self, env):
        self.env = env
        self.company = env.user.company_id

    @staticmethod
    def _next():
        return next(_SEQ)


class WechatPayCase(PortalHttpCase):
    """An owner (``self.owner_id``) of one unit with two open bills,
    ``self.march_id`` (250.60) and ``self.april_id`` (180.00), the WeChat
    Pay acquirer ``self.acquirer_id`` configured against ``cls.stub``
    (platform certificate and public key both), ``web.base.url`` on the
    test server. ``self._env()`` opens the registry's test cursor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        key = merchant_key()
        cls.stub = WechatPayStub(MCHID, APPID, MERCHANT_SERIAL,
                                 public_pem(key), APIV3_KEY).start()

    @classmethod
    def tearDownClass(cls):
        cls.stub.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        # the stub's notify carries no session: the database is found as in
        # a deployment, by the filter
        config = odoo.tools.config
        saved = config["dbfilter"]
        config["dbfilter"] = "^%s$" % re.escape(self.cr.dbname)
        self.addCleanup(config.__setitem__, "dbfilter", saved)
        with self._env():
            pass

    def _create_data(self, env):
        factory = _Factory(env)
        factory.estate = factory._create_estate()
        factory.building = factory._create_building()
        factory.unit = factory._create_unit()
        factory.owner = factory._create_owner()
        factory._create_occupancy()
        self.owner_id = factory.owner.id
        self.unit_id = factory.unit.id
        self.march_id = factory._bill(250.60, "2026-03").id
        self.april_id = factory._bill(180.00, "2026-04").id
        self.portal_user_id = factory._create_portal_user(factory.owner).id
        env["ir.config_parameter"].set_param(
            "web.base.url", "http://127.0.0.1:%d" % odoo.tests.common.PORT)
        self.acquirer_id = env["payment.acquirer"].create(
            self._acquirer_vals()).id

    def _acquirer_vals(self, **overrides):
        vals = {
            "name": "WeChat Pay (stub)",
            "provider": "wechatpay",
            "website_published": True,
            "environment": "test",
            "wechatpay_mchid": MCHID,
            "wechatpay_appid": APPID,
            "wechatpay_serial_no": MERCHANT_SERIAL,
            "wechatpay_private_key": private_pem(merchant_key()),
            "wechatpay_apiv3_key": APIV3_KEY,
            "wechatpay_platform_certificates":
                self.stub.platform_certificate_pem,
            "wechatpay_public_key": self.stub.public_key_pem,
            "wechatpay_public_key_id": self.stub.public_key_id,
            "wechatpay_api_url": self.stub.url,
        }
        vals.update(overrides)
        return vals

    @contextlib.contextmanager
    def _env(self):
        """The superuser's environment on the test cursor, fresh cache;
        committed (to the test's savepoint) when the block ends. Release it
        before Odoo serves a request (the stub's notify)."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, dict(NO_MAIL_CONTEXT))
            env.cache.invalidate()
            warm_precisions(env)
            yield env

    def _start(self, amount=None, bill_ids=None, client="desktop",
               **context):
        """A portal payment of the owner started at the stub; ``(tx id,
        out_trade_no, what _property_start returned)``. Default: both
        bills, their total."""
        with self._env() as env:
            bills = env["account.invoice"].browse(
                [self.march_id, self.april_id] if bill_ids is None
                else bill_ids)
            if amount is None:
                amount = "%.2f" % sum(bills.mapped("residual"))
            acquirer = env["payment.acquirer"].browse(
                self.acquirer_id).with_context(**context)
            tx = env["payment.transaction"]._property_create(
                env["res.partner"].browse(self.owner_id), acquirer, amount,
                bills, client)
            started = acquirer._property_start(tx, client)
            # what the portal does next (the payment waits for the owner)
            tx._property_started(qr_text=started.get("qr_text"))
            return tx.id, tx.reference, started

    def _paid(self):
        """What the accountant sees a moment later (the queued settlements
        run): ``(tx states, receipts, residuals of March and April)``,
        receipts as (amount, serial) of the owner."""
        with self._env() as env:
            run_settlements(env)
            txs = env["payment.transaction"].search(
                [("property_payer_id", "=", self.owner_id)])
            receipts = env["property.receipt"].search(
                [("partner_id", "=", self.owner_id)])
            bills = env["account.invoice"].browse(
                [self.march_id, self.april_id])
            return (txs.mapped("state"),
                    [(r.amount, r.serial) for r in receipts],
                    bills.mapped("residual"))
