# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The allocation service: what every channel relies on."""
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from odoo.addons.property_billing.tests.common import load_suite_language

from .common import PaymentCase


class TestPaymentService(PaymentCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.march = cls._bill(100.0, "2026-03", due="2026-03-31", lines=[
            ("物业管理费", 80.0), ("公摊水电费", 20.0)])
        cls.january = cls._bill(60.0, "2026-01", due="2026-01-31")
        cls.february = cls._bill(40.5, "2026-02", due="2026-02-28")

    def _counts(self):
        return (self.env["property.receipt"].search_count([]),
                self.env["account.payment"].search_count([]),
                self.env["account.partial.reconcile"].search_count([]))

    def assertMoney(self, first, second):
        self.assertEqual(float_compare(first, second, precision_digits=2), 0,
                         "%s != %s" % (first, second))

    # -- allocation ----------------------------------------------------------------

    def test_oldest_bill_first_and_last_one_in_part(self):
        receipt = self._pay(150.0)
        self.assertEqual(self.january.state, "paid")
        self.assertEqual(self.february.state, "paid")
        self.assertEqual(self.march.state, "open")
        self.assertMoney(self.march.residual, 50.5)
        self.assertMoney(receipt.allocated_amount, 150.0)
        self.assertMoney(receipt.advance_amount, 0.0)
        # the receipt lists each fee item with its period and its share
        by_bill = {}
        for line in receipt.line_ids:
            by_bill.setdefault(line.invoice_id, []).append(line)
        self.assertEqual(set(by_bill), {self.january, self.february, self.march})
        march = by_bill[self.march]
        self.assertEqual([line.name for line in march], ["物业管理费", "公摊水电费"])
        self.assertMoney(sum(line.amount for line in march), 49.5)
        self.assertEqual(march[0].period, "2026-03")
        self.assertMoney(sum(receipt.line_ids.mapped("amount")), 150.0)
        self.assertEqual(receipt.unit_ids, self.unit)
        self.assertEqual(receipt.amount_words, "人民币壹佰伍拾元整")

    def test_payment_is_posted_and_reconciled_on_the_receivable(self):
        receipt = self._pay(100.5)
        payment = receipt.payment_id
        self.assertEqual(payment.state, "posted")
        self.assertEqual(payment.journal_id, receipt.channel_id.journal_id)
        self.assertEqual(payment.journal_id.type, "cash")
        self.assertEqual(payment.invoice_ids, self.january | self.february)
        counterpart = payment.move_line_ids.filtered(
            lambda aml: aml.account_id == self.owner.property_account_receivable_id)
        self.assertTrue(counterpart.reconciled)
        # what the receipts say = what the payments say = what was reconciled
        reconciled = sum(self.env["account.partial.reconcile"].search([
            ("credit_move_id", "=", counterpart.id)]).mapped("amount"))
        self.assertMoney(receipt.amount, payment.amount)
        self.assertMoney(reconciled, receipt.allocated_amount)

    def test_chosen_bills_only_in_the_order_given(self):
        receipt = self._pay(140.5, invoices=self.march | self.february)
        self.assertEqual(self.march.state, "paid")
        self.assertEqual(self.february.state, "paid")
        self.assertEqual(self.january.state, "open", "not chosen, not paid")
        self.assertMoney(receipt.advance_amount, 0.0)

    def test_overpayment_becomes_advance_credit(self):
        receipt = self._pay(250.0)
        self.assertEqual({self.january.state, self.february.state,
                          self.march.state}, {"paid"})
        self.assertMoney(receipt.advance_amount, 49.5)
        advance = receipt.line_ids.filtered(lambda line: line.kind == "advance")
        self.assertMoney(advance.amount, 49.5)
        # kept as the owner's credit on the receivable, not lost
        counterpart = receipt.payment_id.move_line_ids.filtered(
            lambda aml: aml.account_id == self.owner.property_account_receivable_id)
        self.assertMoney(counterpart.amount_residual, -49.5)

    def test_cash_change(self):
        receipt = self._pay(60.0, tendered=100.0, invoices=self.january)
        self.assertMoney(receipt.tendered_amount, 100.0)
        self.assertMoney(receipt.change_amount, 40.0)

    def test_each_counter_channel_has_its_journal(self):
        journals = set()
        for code in ("cash", "card", "wechat", "alipay"):
            receipt = self._pay(1.0, channel=code)
            self.assertEqual(receipt.channel_code, code)
            journals.add(receipt.payment_id.journal_id)
        self.assertEqual(len(journals), 4)

    # -- bad input -----------------------------------------------------------------

    def test_zero_and_negative_amounts_are_refused_and_change_nothing(self):
        before = self._counts()
        for amount in (0.0, -10.0, 0.004):
            with self.assertRaisesRegex(UserError, "more than zero"):
                self._pay(amount)
        self.assertEqual(self._counts(), before)

    def test_cancelled_paid_and_foreign_bills_are_refused(self):
        other = self._create_owner()
        foreign = self._bill(10.0, "2026-03", partner=other)
        cancelled = self._bill(10.0, "2026-04")
        cancelled.journal_id.update_posted = True
        cancelled.action_invoice_cancel()
        self._pay(60.0, invoices=self.january)
        before = self._counts()
        with self.assertRaisesRegex(UserError, "cancelled"):
            self._pay(10.0, invoices=cancelled)
        with self.assertRaisesRegex(UserError, "already paid"):
            self._pay(10.0, invoices=self.january)
        with self.assertRaisesRegex(UserError, "is not a bill of"):
            self._pay(10.0, invoices=foreign)
        with self.assertRaisesRegex(UserError, "less than"):
            self._pay(60.0, invoices=self.february, tendered=50.0)
        self.assertEqual(self._counts(), before)
        self.assertEqual(self.february.state, "open")

    # -- receipts --------------------------------------------------------------------

    def test_receipt_numbers_are_gapless_per_estate(self):
        first = self._pay(10.0)
        with self.assertRaises(UserError):
            with self.env.cr.savepoint():
                self._pay(10.0, invoices=self.january, tendered=1.0)
        second = self._pay(10.0)
        other_estate = self._create_estate()
        unit = self._create_unit(estate_id=other_estate.id)
        self._create_occupancy(unit_id=unit.id)
        bill = self._bill(10.0, "2026-03", unit=unit)
        third = self._pay(10.0, invoices=bill, estate=other_estate)
        prefix, number = first.name.rsplit("-", 1)
        self.assertEqual(second.name, "%s-%06d" % (prefix, int(number) + 1))
        self.assertTrue(third.name.startswith(other_estate.code))
        self.assertTrue(third.name.endswith("000001"))

    def test_receipts_are_never_edited_deleted_or_made_by_hand(self):
        receipt = self._pay(10.0)
        # a manager has no right to change receipts at all; the superuser,
        # who has every right, is refused by the receipt itself
        as_manager = receipt.sudo(self.manager)
        with self.assertRaisesRegex(UserError, "never edited"):
            as_manager.write({"amount": 1.0})
        with self.assertRaises(AccessError):
            as_manager.line_ids[:1].write({"amount": 1.0})
        with self.assertRaises(AccessError):
            as_manager.unlink()
        as_root = receipt.sudo()
        with self.assertRaisesRegex(UserError, "never edited"):
            as_root.write({"amount": 1.0})
        with self.assertRaisesRegex(UserError, "never edited"):
            as_root.line_ids[:1].write({"amount": 1.0})
        with self.assertRaisesRegex(UserError, "never deleted"):
            as_root.unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            as_root.line_ids.unlink()
        for user in (self.manager, self.env.user):
            with self.assertRaises(AccessError):
                self.env["property.receipt"].sudo(user).create({
                    "partner_id": self.owner.id, "estate_id": self.estate.id})
        self.assertMoney(receipt.amount, 10.0)

    def test_void_reverses_the_payment_and_keeps_both(self):
        receipt = self._pay(100.5)
        with self.assertRaises(AccessError):
            receipt.sudo(self.cashier).action_void("typo")
        with self.assertRaisesRegex(UserError, "reason"):
            receipt.sudo(self.manager).action_void("  ")
        receipt.sudo(self.manager).action_void("Wrong payer")
        self.assertEqual(receipt.state, "void")
        self.assertEqual(receipt.void_reason, "Wrong payer")
        self.assertEqual(receipt.void_uid, self.manager)
        self.assertEqual(self.january.state, "open")
        self.assertEqual(self.february.state, "open")
        self.assertEqual(receipt.payment_id.state, "cancelled")
        self.assertEqual(receipt.reversal_move_id.state, "posted")
        # the payment entry and its reversal both stay in the books
        liquidity = (receipt.payment_id.move_line_ids
                     | receipt.reversal_move_id.line_ids).filtered(
            lambda aml: aml.account_id.internal_type == "liquidity")
        self.assertEqual(len(liquidity), 2)
        self.assertMoney(sum(liquidity.mapped("balance")), 0.0)
        with self.assertRaisesRegex(UserError, "already void"):
            receipt.sudo(self.manager).action_void("again")
        self.assertEqual(self.env["property.receipt"].search_count(
            [("id", "=", receipt.id)]), 1)

    # -- bank statements ---------------------------------------------------------------

    def test_statement_line_is_reconciled_with_the_payment(self):
        journal = self.env["property.payment.channel"]._get(
            "transfer", self.company).journal_id
        statement = self.env["account.bank.statement"].create({
            "journal_id": journal.id, "name": "BANK-1",
            "line_ids": [(0, 0, {"name": "物业费 3-2", "amount": 60.0,
                                 "date": "2026-04-02"})]})
        line = statement.line_ids
        receipt = self._pay(60.0, channel="transfer", statement_line=line,
                            serial="SN0001", date="2026-04-02")
        self.assertEqual(receipt.statement_line_id, line)
        self.assertEqual(receipt.serial, "SN0001")
        self.assertEqual(self.january.state, "paid")
        self.assertTrue(line.journal_entry_ids)
        self.assertEqual(receipt.payment_id.journal_id, journal)
        with self.assertRaisesRegex(UserError, "already reconciled"):
            self._pay(60.0, channel="transfer", statement_line=line)

    # -- who may call what --------------------------------------------------------

    def test_only_cashiers_and_accountants_take_payments(self):
        outsider = self._create_user("outsider", [])
        with self.assertRaises(AccessError):
            self._pay(10.0, user=outsider)
        receipt = self._pay(10.0, user=self.accountant)
        self.assertEqual(receipt.cashier_id, self.accountant)

    def test_portal_owner_over_rpc(self):
        receipt = self._pay(10.0)
        portal = self._create_portal_user(self.owner)
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.payment.service", "_pay",
                      self.owner.id, 10.0, "cash")
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.receipt", "read", [receipt.id], ["name"])
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.receipt", "action_void", [receipt.id],
                      "forged")
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.receipt", "create",
                      {"partner_id": self.owner.id})
        self.assertEqual(receipt.state, "posted")

    def test_channel_made_on_first_use_is_named_in_each_language(self):
        load_suite_language(self.env)
        Channel = self.env["property.payment.channel"]
        Channel.with_context(active_test=False).search([
            ("code", "=", "online_alipay"),
            ("company_id", "=", self.company.id)]).unlink()
        channel = Channel.sudo(self.cashier)._get("online_alipay", self.company)
        self.assertEqual(channel.with_context(lang="en_US").name,
                         "Alipay online")
        self.assertEqual(channel.with_context(lang="zh_CN").name, "线上支付宝")
        self.assertEqual(channel.journal_id.type, "bank")
