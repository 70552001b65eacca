# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An owner with open bills paying through Alipay from the portal, against
the local stub gateway (``alipay_stub``), served by ``PortalHttpCase``."""
import odoo.tests.common
from odoo import SUPERUSER_ID, api

from odoo.addons.property_portal.tests.common import (
    PortalHttpCase, run_settlements)

from . import alipay_stub

MERCHANT_KEY = alipay_stub.new_key()
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36"
WECHAT = "Mozilla/5.0 (iPhone) Mobile MicroMessenger/8.0.47"


def create_bill(env, partner, unit, amount, period):
    """A posted bill of ``unit`` (as the payments' tests build them)."""
    account = env["account.account"].search([
        ("company_id", "=", env.user.company_id.id),
        ("user_type_id.type", "=", "other")], limit=1)
    invoice = env["account.invoice"].create({
        "partner_id": partner.id, "type": "out_invoice",
        "property_unit_id": unit.id, "billing_period": period,
        "date_invoice": "%s-01" % period, "date_due": "%s-28" % period,
        "invoice_line_ids": [(0, 0, {
            "name": "物业管理费 %s" % period, "price_unit": amount,
            "quantity": 1.0, "account_id": account.id})]})
    invoice.action_invoice_open()
    return invoice


class AlipayCase(PortalHttpCase):
    """Three open bills (120.50, 80.25, 99.00) of an owner, a published
    Alipay acquirer pointed at the stub, ``web.base.url`` at this server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stub = alipay_stub.AlipayStub(
            alipay_stub.public_pem(MERCHANT_KEY)).start()

    @classmethod
    def tearDownClass(cls):
        cls.stub.stop()
        super().tearDownClass()

    def _create_data(self, env):
        env["ir.config_parameter"].set_param(
            "web.base.url", "http://127.0.0.1:%d" % odoo.tests.common.PORT)
        estate = env["property.estate"].create(
            {"name": "Alipay Garden", "code": "ALPG"})
        unit = env["property.unit"].create(
            {"code": "7-1-0701", "estate_id": estate.id, "area": 95.0})
        owner = env["res.partner"].create({"name": "Payer Sun"})
        env["property.occupancy"].create({
            "unit_id": unit.id, "partner_id": owner.id, "role": "owner",
            "date_from": "2020-01-01"})
        self.bill_ids = [create_bill(env, owner, unit, amount, period).id
                         for amount, period in ((120.5, "2026-01"),
                                                (80.25, "2026-02"),
                                                (99.0, "2026-03"))]
        self.owner_id = owner.id
        self.acquirer_id = env["payment.acquirer"].create({
            "name": "Test Alipay", "provider": "alipay",
            "website_published": True,
            "company_id": env.user.company_id.id,
            "alipay_app_id": alipay_stub.APP_ID,
            "alipay_seller_id": alipay_stub.SELLER_ID,
            "alipay_private_key": alipay_stub.private_pem(MERCHANT_KEY),
            "alipay_public_key": self.stub.public_pem,
            "alipay_gateway_url": self.stub.url,
        }).id
        env["res.users"].with_context(no_reset_password=True).create({
            "login": "property-portal-owner", "password": "property-portal-pwd",
            "partner_id": owner.id, "lang": "en_US",
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})

    def setUp(self):
        super().setUp()
        self.stub.orders.clear()
        del self.stub.requests[:]

    # -- the owner's part ------------------------------------------------------

    def _start(self, amount, bills=None, client="desktop"):
        """The owner pays ``amount`` for ``bills`` (indexes, default all)
        with Alipay from a ``client`` browser, as the portal's pay page does
        (``_property_create`` then ``_property_start``); the owner's browser
        follows the redirect: the response is the stub's cashier page."""
        chosen = [self.bill_ids[i] for i in (bills if bills is not None
                                             else range(len(self.bill_ids)))]
        with self.registry.cursor() as cr:
            env = self._env(cr)
            acquirer = env["payment.acquirer"].browse(self.acquirer_id)
            tx = env["payment.transaction"]._property_create(
                env["res.partner"].browse(self.owner_id), acquirer, amount,
                env["account.invoice"].browse(chosen), client)
            started = acquirer._property_start(tx, client)
        self._login_owner()
        return self.opener.get(started["redirect_url"], timeout=10)

    def _env(self, cr):
        """An environment on the registry's test cursor, its cache cleared:
        the same cursor serves the requests, whose writes this thread's
        cache would hide."""
        env = api.Environment(cr, SUPERUSER_ID, {})
        env.clear()
        return env

    def _tx_values(self):
        """The owner's last Alipay transaction as the accountant sees it a
        moment later (the queued settlements run)."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            run_settlements(env)
            tx = env["payment.transaction"].search(
                [("property_payer_id", "=", self.owner_id)], order="id desc",
                limit=1)
            bills = env["account.invoice"].browse(self.bill_ids)
            receipts = env["property.receipt"].search(
                [("partner_id", "=", self.owner_id)])
            return {
                "reference": tx.reference, "state": tx.state, "id": tx.id,
                "serial": tx.acquirer_reference,
                "message": tx.state_message or "",
                "receipts": len(receipts),
                "receipt_amount": sum(receipts.mapped("amount")),
                "residuals": bills.mapped("residual"),
                "bill_states": bills.mapped("state"),
            }
