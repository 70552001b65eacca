# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Paying from the portal: the pay page and its refusals, bank-transfer
instructions, and the online transaction settled once by the allocation
service (whatever gateway confirms it)."""
from decimal import Decimal
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from odoo.addons.property_billing.tests.common import NO_MAIL_CONTEXT
from odoo.addons.property_payment.rules import channels
from odoo.addons.property_payment.tests.common import PaymentCase

from ..models import payment_transaction
from .common import PortalHttpCase, run_settlements


def _bill(env, partner, unit, amount, period):
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


def _gateway(env):
    """A published acquirer standing for a gateway (Odoo's 'transfer'
    provider, mapped to the online WeChat channel): the base's part of an
    online payment, without a gateway's protocol."""
    return env["payment.acquirer"].create({
        "name": "Test Gateway", "provider": "transfer",
        "website_published": True, "company_id": env.user.company_id.id})


GATEWAY_CHANNEL = dict(payment_transaction.PROVIDER_CHANNEL,
                       transfer=channels.ONLINE_WECHAT)


class TestPayPage(PortalHttpCase):
    """/my/pay as an owner: their bills, the amount, the ways to pay."""

    def _create_data(self, env):
        estate = env["property.estate"].create(
            {"name": "Pay Garden", "code": "PAYG"})
        Unit = env["property.unit"]
        unit = Unit.create({"code": "5-1-0501", "estate_id": estate.id,
                            "area": 90.0})
        other_unit = Unit.create({"code": "5-1-0502", "estate_id": estate.id,
                                  "area": 90.0})
        Partner = env["res.partner"]
        owner = Partner.create({"name": "Payer Zhao"})
        neighbour = Partner.create({"name": "Neighbour Qian"})
        Occupancy = env["property.occupancy"]
        Occupancy.create({"unit_id": unit.id, "partner_id": owner.id,
                          "role": "owner", "date_from": "2020-01-01"})
        Occupancy.create({"unit_id": other_unit.id, "partner_id": neighbour.id,
                          "role": "owner", "date_from": "2020-01-01"})
        self.bills = [_bill(env, owner, unit, 120.5, "2026-01"),
                      _bill(env, owner, unit, 80.25, "2026-02")]
        self.bill_ids = [bill.id for bill in self.bills]
        self.bill_numbers = [bill.number for bill in self.bills]
        self.neighbour_bill_id = _bill(env, neighbour, other_unit, 99.0,
                                       "2026-01").id
        # the owner's shop in another estate, billed later
        mall = env["property.estate"].create({"name": "Pay Mall",
                                              "code": "PAYM"})
        shop = Unit.create({"code": "S-01", "estate_id": mall.id, "area": 40.0})
        Occupancy.create({"unit_id": shop.id, "partner_id": owner.id,
                          "role": "owner", "date_from": "2020-01-01"})
        self.shop_bill_id = _bill(env, owner, shop, 300.0, "2026-03").id
        self.owner_id = owner.id
        self.gateway_id = _gateway(env).id
        env["res.users"].with_context(no_reset_password=True).create({
            "login": "property-portal-owner", "password": "property-portal-pwd",
            "partner_id": owner.id, "lang": "en_US",
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})

    def setUp(self):
        patcher = patch.dict(payment_transaction.PROVIDER_CHANNEL,
                             GATEWAY_CHANNEL)
        patcher.start()
        self.addCleanup(patcher.stop)
        super().setUp()

    def _post(self, **data):
        self._login_owner()
        page = self.url_open("/my/pay").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        data["csrf_token"] = token
        return self.url_open("/my/pay", data=data)

    def _transactions(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM payment_transaction "
                       "WHERE property_payer_id = %s", [self.owner_id])
            return cr.fetchone()[0]

    def test_page_lists_the_owners_bills_ticked_with_their_total(self):
        self._login_owner()
        page = self.url_open("/my/pay").text
        for number in self.bill_numbers:
            self.assertIn(number, page)
        self.assertIn('value="200.75"', page, "the amount is the bills' total")
        self.assertEqual(page.count('checked="checked"'), 2)
        self.assertIn("Test Gateway", page)
        self.assertIn("Bank transfer", page)

    def test_bills_of_two_estates_are_paid_one_estate_at_a_time(self):
        response = self._post(
            bill_ids=[str(self.bill_ids[0]), str(self.shop_bill_id)],
            amount="420.50", method=str(self.gateway_id))
        self.assertIn("Pay the bills of one estate at a time", response.text)
        self.assertEqual(self._transactions(), 0)

    def test_page_with_one_bill_chosen(self):
        self._login_owner()
        page = self.url_open("/my/pay?bills=%d" % self.bill_ids[1]).text
        self.assertIn('value="80.25"', page)
        self.assertEqual(page.count('checked="checked"'), 1)

    def test_a_neighbours_bill_is_neither_listed_nor_payable(self):
        self._login_owner()
        page = self.url_open("/my/pay?bills=%d" % self.neighbour_bill_id).text
        self.assertNotIn("Neighbour", page)
        response = self._post(bill_ids=str(self.neighbour_bill_id),
                              amount="99.00", method=str(self.gateway_id))
        self.assertIn("is not open any more or is not yours", response.text)
        self.assertEqual(self._transactions(), 0)

    def test_a_bad_amount_is_explained_next_to_the_field(self):
        for amount in ("abc", "0", "-5", "12.345", ""):
            response = self._post(bill_ids=str(self.bill_ids[0]), amount=amount,
                                  method=str(self.gateway_id))
            self.assertIn("Enter an amount in yuan above zero", response.text,
                          amount)
        self.assertEqual(self._transactions(), 0)

    def test_no_way_to_pay_chosen(self):
        response = self._post(bill_ids=str(self.bill_ids[0]), amount="10")
        self.assertIn("Choose how to pay.", response.text)
        self.assertEqual(self._transactions(), 0)

    def test_post_without_csrf_token_is_refused(self):
        self._login_owner()
        response = self.url_open("/my/pay", data={
            "bill_ids": str(self.bill_ids[0]), "amount": "10",
            "method": "transfer"})
        self.assertEqual(response.status_code, 400)

    def test_bank_transfer_gives_the_reference_the_matching_knows(self):
        response = self._post(bill_ids=str(self.bill_ids[0]), amount="120.50",
                              method="transfer")
        self.assertEqual(response.status_code, 200, response.text[-3000:])
        memo = response.text.split("o_property_transfer_memo")[1][:200]
        self.assertIn(self.bill_numbers[0], memo)
        self.assertIn("120.50", response.text)
        self.assertEqual(self._transactions(), 0)

    def test_a_gateway_that_cannot_start_leaves_no_transaction(self):
        # the base acquirer has no protocol: its refusal is shown
        response = self._post(bill_ids=str(self.bill_ids[0]), amount="10.00",
                              method=str(self.gateway_id))
        self.assertIn("cannot take payments from the owner portal",
                      response.text)
        self.assertEqual(self._transactions(), 0)

    def test_payment_page_of_another_payer_is_not_found(self):
        with self.registry.cursor() as cr:
            from odoo import SUPERUSER_ID, api
            env = api.Environment(cr, SUPERUSER_ID, {})
            neighbour = env["account.invoice"].browse(
                self.neighbour_bill_id).partner_id
            tx = env["payment.transaction"].with_context(**{
                payment_transaction.SERVICE_KEY: payment_transaction._SERVICE
            }).create({
                "acquirer_id": self.gateway_id, "amount": 99.0,
                "currency_id": env.user.company_id.currency_id.id,
                "partner_id": neighbour.id, "reference": "PPTEST000001",
                "property_payer_id": neighbour.id})
            tx_id = tx.id
        self._login_owner()
        self.assertEqual(self.url_open("/my/payments/%d" % tx_id).status_code,
                         404)
        self.assertEqual(self.url_open("/my/payments/999999").status_code, 404)

    def _confirmed(self):
        """The owner's payment of their January bill, confirmed by the
        gateway (its settlement queued): its id."""
        with self.registry.cursor() as cr:
            from odoo import SUPERUSER_ID, api
            env = api.Environment(cr, SUPERUSER_ID, {})
            tx = env["payment.transaction"]._property_create(
                env["res.partner"].browse(self.owner_id),
                env["payment.acquirer"].browse(self.gateway_id), "120.50",
                env["account.invoice"].browse(self.bill_ids[0]), "mobile")
            tx._property_confirm("4200000100", Decimal("120.50"))
            return tx.id

    def _settled(self, tx_id):
        with self.registry.cursor() as cr:
            cr.execute("SELECT t.property_receipt_id, i.state "
                       "FROM payment_transaction t, account_invoice i "
                       "WHERE t.id = %s AND i.id = %s",
                       [tx_id, self.bill_ids[0]])
            return cr.fetchone()

    def test_the_owner_back_from_the_gateway_sees_the_receipt_at_once(self):
        tx_id = self._confirmed()
        self.assertEqual(self._settled(tx_id), (None, "open"))
        self._login_owner()
        page = self.url_open("/my/payments/%d" % tx_id)
        self.assertEqual(page.status_code, 200)
        receipt_id, state = self._settled(tx_id)
        self.assertTrue(receipt_id)
        self.assertEqual(state, "paid")
        self.assertIn("o_property_payment_done", page.text)
        self.assertIn("/my/receipts/%d/pdf" % receipt_id, page.text)
        self.assertNotIn('http-equiv="refresh"', page.text)

    def test_a_settlement_that_cannot_run_yet_says_it_is_being_recorded(self):
        tx_id = self._confirmed()
        self._login_owner()
        # the gateway's channel is not set up: the settlement is refused
        with patch.dict(payment_transaction.PROVIDER_CHANNEL, {"transfer": None}), \
                mute_logger("odoo.addons.property_portal.controllers.payment"):
            page = self.url_open("/my/payments/%d" % tx_id)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_property_payment_recording", page.text)
        self.assertIn('http-equiv="refresh"', page.text)
        self.assertEqual(self._settled(tx_id), (None, "open"))
        # the queued job settles it once the channel is there
        with self.registry.cursor() as cr:
            from odoo import SUPERUSER_ID, api
            self.assertEqual(run_settlements(
                api.Environment(cr, SUPERUSER_ID, dict(NO_MAIL_CONTEXT))), 1)
        self.assertEqual(self._settled(tx_id)[1], "paid")


class TestOnlineTransaction(PaymentCase):
    """The transaction a gateway confirms: paid once, exactly, on the bills
    chosen that are still open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.march = cls._bill(120.0, "2026-03")
        cls.april = cls._bill(80.0, "2026-04")
        cls.acquirer = _gateway(cls.env)
        cls.portal_user = cls._create_user(
            "portal-payer", [cls.env.ref("base.group_portal").id],
            name="Portal Payer")
        cls.portal_user.partner_id = cls.owner
        patcher = patch.dict(payment_transaction.PROVIDER_CHANNEL,
                             GATEWAY_CHANNEL)
        patcher.start()
        cls._patcher = patcher

    @classmethod
    def tearDownClass(cls):
        cls._patcher.stop()
        super().tearDownClass()

    def _tx(self, amount, bills):
        return self.env["payment.transaction"]._property_create(
            self.owner.commercial_partner_id, self.acquirer, amount, bills,
            "mobile")

    def _confirm(self, tx, serial, amount):
        """The gateway's notify, then the queued settlement."""
        confirmed = tx._property_confirm(serial, amount)
        run_settlements(self.env)
        return confirmed

    def test_confirmed_once_one_receipt_bills_paid(self):
        tx = self._tx("200.00", self.march | self.april)
        self.assertTrue(tx._property_confirm("4200000001", Decimal("200.00")))
        # the gateway has its answer; the settlement waits in the queue
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.acquirer_reference, "4200000001")
        self.assertFalse(tx.property_receipt_id)
        self.assertEqual((self.march | self.april).mapped("state"),
                         ["open", "open"])
        self.assertEqual(run_settlements(self.env), 1)
        receipt = tx.property_receipt_id
        self.assertTrue(receipt)
        self.assertEqual(receipt.amount, 200.0)
        self.assertEqual(receipt.serial, "4200000001")
        self.assertEqual((self.march | self.april).mapped("state"),
                         ["paid", "paid"])
        # a replayed notify: nothing more, nothing queued
        self.assertFalse(tx._property_confirm("4200000001", Decimal("200.00")))
        self.assertEqual(run_settlements(self.env), 0)
        self.assertEqual(self.env["property.receipt"].search_count(
            [("partner_id", "=", self.owner.commercial_partner_id.id)]), 1)

    def test_the_page_and_the_queued_job_settle_once_between_them(self):
        tx = self._tx("120.00", self.march)
        tx._property_confirm("4200000005", Decimal("120.00"))
        # the owner's page came first
        self.assertTrue(tx._property_settle_confirmed())
        receipt = tx.property_receipt_id
        # then the job: nothing more
        self.assertEqual(run_settlements(self.env), 1)
        self.assertEqual(tx.property_receipt_id, receipt)
        self.assertEqual(self.env["property.receipt"].search_count(
            [("partner_id", "=", self.owner.commercial_partner_id.id)]), 1)
        self.assertEqual(self.march.state, "paid")

    def test_an_unconfirmed_payment_is_not_settled(self):
        tx = self._tx("120.00", self.march)
        self.assertFalse(tx._property_settle_confirmed())
        self.assertFalse(tx.property_receipt_id)
        self.assertEqual(self.march.state, "open")

    def test_part_payment_settles_the_oldest_first(self):
        tx = self._tx("150.00", self.march | self.april)
        self._confirm(tx, "4200000002", Decimal("150.00"))
        self.assertEqual(self.march.state, "paid")
        self.assertAlmostEqual(self.april.residual, 50.0)

    def test_wrong_amount_is_refused_and_recorded(self):
        tx = self._tx("120.00", self.march)
        with self.assertRaises(ValidationError), mute_logger("odoo.sql_db"):
            tx._property_confirm("4200000003", Decimal("1.20"))
        self.assertEqual(run_settlements(self.env), 0)
        self.assertEqual(self.march.state, "open")
        self.assertFalse(tx.property_receipt_id)
        self.assertNotEqual(tx.state, "done")

    def test_a_bill_paid_meanwhile_leaves_credit_not_lost_money(self):
        tx = self._tx("120.00", self.march)
        self._pay(120.0, invoices=self.march)  # at the counter, meanwhile
        self._confirm(tx, "4200000004", Decimal("120.00"))
        receipt = tx.property_receipt_id
        self.assertEqual(receipt.amount, 120.0)
        # it went to the next open bill, April (80), and 40 is credit
        self.assertEqual(self.april.state, "paid")

    def test_owner_cannot_create_or_change_a_portal_payment_by_rpc(self):
        Transaction = self.env["payment.transaction"].sudo(self.portal_user)
        with self.assertRaises(AccessError):
            Transaction.create({
                "acquirer_id": self.acquirer.id, "amount": 1.0,
                "currency_id": self.company.currency_id.id,
                "partner_id": self.owner.id, "reference": "PPFORGED01",
                "property_payer_id": self.owner.id})
        tx = self._tx("120.00", self.march)
        with self.assertRaises(AccessError):
            tx.sudo(self.portal_user).write({"state": "done"})

    def test_staff_cannot_mark_a_portal_payment_paid_by_hand(self):
        tx = self._tx("120.00", self.march)
        with self.assertRaises(AccessError):
            tx.sudo(self.cashier).write({"state": "done",
                                         "acquirer_reference": "X"})
        self.assertEqual(tx.state, "draft")

    def test_amount_must_be_exact_and_positive(self):
        from odoo.exceptions import UserError
        for amount in ("0", "-1", "1.001", "abc"):
            with self.assertRaises(UserError):
                self._tx(amount, self.march)
