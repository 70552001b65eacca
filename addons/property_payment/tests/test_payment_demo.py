# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The payments demo builder on an estate of its own: payments on every
counter and bank channel, advance credit, transfers left to match with their
reasons, a closed day with a difference, a voided receipt, an auto-debit with
one failure; a second call adds nothing."""
from odoo.exceptions import AccessError
from odoo.tools import float_compare

from .common import PaymentCase

SIZES = {"counter_yesterday": 4, "counter_today": 4, "statement_bill": 2,
         "statement_unit": 1, "statement_account": 1, "debit": 3}


class TestPaymentDemo(PaymentCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner.name = "演示业主"
        cls._bill(316.08, "2026-11", due="2026-11-16")
        cls.payers = cls.env["res.partner"]
        # the demo owner and 18 payers, one bill each
        for number in range(18):
            unit = cls._create_unit()
            payer = cls._create_owner(name="业主%02d" % number)
            cls._create_occupancy(unit_id=unit.id, partner_id=payer.id)
            cls._bill(100.0 + 7.5 * number, "2026-11", due="2026-11-16",
                      partner=payer, unit=unit)
            cls.payers |= payer
        cls.admin_env = cls.env
        cls.users = {"cashier": cls.cashier.id, "manager": cls.manager.id,
                     "accountant": cls.accountant.id}

    def _build(self):
        return self.env["property.payment.demo"]._demo_payments(
            self.estate.code, 42, users=self.users, owner_id=self.owner.id,
            sizes=SIZES)

    def _counts(self):
        return tuple(self.env[model].search_count([]) for model in (
            "property.receipt", "account.payment", "account.bank.statement",
            "account.bank.statement.line", "property.cash.closing",
            "account.payment.order", "account.banking.mandate",
            "property.debit.failure", "res.partner.bank"))

    def test_demo_payments_on_every_channel(self):
        done = self._build()
        Receipt = self.env["property.receipt"]
        receipts = Receipt.search([("estate_id", "=", self.estate.id)])
        codes = set(receipts.filtered(
            lambda r: r.state == "posted").mapped("channel_code"))
        self.assertEqual(codes, {"cash", "card", "wechat", "alipay",
                                 "transfer", "debit"})
        # cash with change
        cash = receipts.filtered(lambda r: r.channel_code == "cash")
        self.assertTrue(any(r.change_amount > 0 for r in cash))
        # the demo owner: a part of the bill, then the rest and some credit
        mine = receipts.filtered(
            lambda r: r.partner_id == self.owner).sorted("id")
        self.assertEqual(len(mine), 2)
        self.assertEqual(float_compare(mine[0].amount, 100.0, 2), 0)
        self.assertEqual(float_compare(mine[0].advance_amount, 0.0, 2), 0)
        self.assertEqual(float_compare(mine[1].allocated_amount, 216.08, 2),
                         0)
        self.assertEqual(float_compare(mine[1].advance_amount, 100.0, 2), 0)
        self.assertEqual(
            mine.mapped("line_ids.invoice_id").state, "paid")
        # advance credit kept for several payers
        credit = receipts.filtered(lambda r: r.state == "posted"
                                   and r.advance_amount > 0)
        self.assertGreaterEqual(len(credit.mapped("partner_id")), 3)
        self.assertGreater(self.owner.property_advance_balance, 0)
        # one receipt voided with its reason, its bill taken again
        void = receipts.filtered(lambda r: r.state == "void")
        self.assertEqual(len(void), 1)
        self.assertTrue(void.void_reason)
        self.assertEqual(void.line_ids.mapped("invoice_id").state, "paid")
        # transfers: matched and paid, the rest waiting with reasons
        lines = done["statement"]
        states = lines.mapped("property_match_state")
        self.assertEqual(states.count("matched"), 4)
        self.assertEqual(states.count("ignored"), 1)
        waiting = lines.filtered(lambda line: line.property_match_state in (
            "unmatched", "ambiguous"))
        self.assertEqual(len(waiting), 3)
        self.assertIn("ambiguous", waiting.mapped("property_match_state"))
        self.assertTrue(all(waiting.mapped("property_match_reason")))
        # the file was GB18030: a rare character gbk cannot read came through
        self.assertIn("王䶮", waiting.mapped("partner_name"))
        self.assertTrue(all(line.journal_entry_ids for line in lines.filtered(
            lambda line: line.property_match_state == "matched")))
        # yesterday closed with a difference and its reason
        closing = done["closing"]
        self.assertEqual(closing.state, "closed")
        self.assertEqual(float_compare(closing.difference_amount, -10.0, 2),
                         0)
        cash_line = closing.line_ids.filtered(
            lambda line: line.channel_code == "cash")
        self.assertTrue(cash_line.reason)
        self.assertEqual(set(closing.receipt_ids.mapped("date")),
                         {closing.date})
        # today is open: no closing of the cashier for today
        self.assertFalse(self.env["property.cash.closing"].search([
            ("cashier_id", "=", self.cashier.id),
            ("date", ">", closing.date), ("state", "=", "closed")]))
        # auto-debit: successes paid, one failure flagged for dunning
        order = done["debit"]
        self.assertEqual(order.state, "done")
        failures = self.env["property.debit.failure"].search(
            [("order_id", "=", order.id)])
        self.assertEqual(len(failures), 1)
        self.assertEqual(failures.reason, "余额不足")
        self.assertTrue(failures.invoice_id.property_debit_failed)
        self.assertEqual(len(receipts.filtered(
            lambda r: r.channel_code == "debit")), 2)
        # every posted receipt is a posted payment
        self.assertTrue(all(r.payment_id.state in ("posted", "reconciled")
                            for r in receipts if r.state == "posted"))

    def test_second_call_adds_nothing(self):
        self._build()
        before = self._counts()
        done = self._build()
        self.assertEqual(self._counts(), before)
        self.assertFalse(done["counter"])
        self.assertFalse(done["debit"])

    def test_without_bills_or_rights(self):
        estate = self._create_estate()
        self.assertEqual(self.env["property.payment.demo"]._demo_payments(
            estate.code, users=self.users), {})
        with self.assertRaises(AccessError):
            self.env["property.payment.demo"].sudo(
                self.manager)._demo_payments(self.estate.code,
                                             users=self.users)
        # nothing of it over RPC, not even for the demo owner's portal user
        portal = self._create_portal_user(self.owner)
        for user in (portal, self.manager):
            with self.assertRaises(AccessError):
                self._rpc(user, "property.payment.demo", "_demo_payments",
                          self.estate.code)
        self.assertFalse(self.env["property.receipt"].search_count(
            [("estate_id", "=", self.estate.id)]))
