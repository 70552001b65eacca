# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Advance credit (预存): kept on the receivable or on the advance receipts
account (预收账款), applied to later bills oldest first, balances at a date."""
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.property_billing.tests.common_billing import (
    SYNC, BillingFactoryMixin)
from odoo.addons.property_payment.tests.common import PaymentCase


class AdvanceCase(PaymentCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Entry = cls.env["property.advance.entry"]
        cls.receivable = cls.owner.property_account_receivable_id
        cls.payers = cls.owner

    def _balance(self, partner=None, user=None):
        partner = (partner or self.owner).sudo(user or self.accountant)
        # computed on read: a new request reads it afresh
        partner.invalidate_cache(["property_advance_balance"], partner.ids)
        return partner.property_advance_balance

    def _report(self, date, user=None):
        """The balances report at ``date`` as ``user`` (default the
        accountant): {payer: (on receivable, on advance account, balance)}
        for this test's payers, and the report's total less the total of the
        other payers of the database (demo data)."""
        report = self.env["property.advance.report"].sudo(
            user or self.accountant).create({"date": date})
        action = report.action_open()
        lines = self.env["property.advance.report.line"].sudo(
            user or self.accountant).search(action["domain"])
        self.assertAlmostEqual(report.total, sum(lines.mapped("balance")))
        mine = lines.filtered(lambda line: line.partner_id in self.payers)
        return ({line.partner_id: tuple(round(value, 2) for value in (
            line.receivable_credit, line.account_credit, line.balance))
            for line in mine},
            round(report.total - sum((lines - mine).mapped("balance")), 2))

    def _partner_balance(self, account, partner=None, date=None):
        """Debit minus credit of ``partner``'s posted items on ``account``."""
        domain = [("account_id", "=", account.id),
                  ("partner_id", "=", (partner or self.owner).id),
                  ("move_id.state", "=", "posted")]
        if date:
            domain.append(("date", "<=", date))
        lines = self.env["account.move.line"].search(domain)
        return round(sum(lines.mapped("debit")) - sum(lines.mapped("credit")), 2)

    def _overpay(self, amount=500.0, date="2026-03-10"):
        """The owner pays ``amount`` in cash at the counter."""
        return self._pay(amount, "cash", date=date)

    def _next_bills(self):
        """Two later bills, created newest first: May (100.00, due 05-28)
        and April (200.00, due 04-28)."""
        may = self._bill(100.0, period="2026-05")
        april = self._bill(200.0, period="2026-04")
        return april, may


class TestAdvanceOnReceivable(AdvanceCase):
    """No advance receipts account: the credit stays on the receivable."""

    def test_overpayment_at_the_counter_is_credit_on_the_receivable(self):
        bill = self._bill(250.60, period="2026-03")
        receipt = self._overpay(500.0)
        self.assertAlmostEqual(receipt.allocated_amount, 250.60)
        self.assertAlmostEqual(receipt.advance_amount, 249.40)
        self.assertEqual(bill.state, "paid")
        counterpart = receipt.payment_id.move_line_ids.filtered(
            lambda aml: aml.account_id == self.receivable)
        self.assertAlmostEqual(counterpart.amount_residual, -249.40)
        self.assertAlmostEqual(self._partner_balance(self.receivable), -249.40)
        self.assertAlmostEqual(self._balance(), 249.40)
        kept = self.Entry.search([("receipt_id", "=", receipt.id)])
        self.assertEqual((kept.kind, kept.mode), ("kept", "receivable"))
        self.assertAlmostEqual(kept.amount, 249.40)
        self.assertEqual(kept.credit_line_id, counterpart)
        self.assertFalse(kept.move_id, "no entry: the credit stays put")

    def test_later_bills_take_the_credit_oldest_first_the_last_in_part(self):
        self._bill(250.60, period="2026-03")
        receipt = self._overpay(500.0)
        april, may = self._next_bills()
        entries = self.service._apply_advance(self.owner)
        self.assertEqual(april.state, "paid")
        self.assertAlmostEqual(april.residual, 0.0)
        self.assertEqual(may.state, "open")
        self.assertAlmostEqual(may.residual, 50.60)
        self.assertEqual([(e.invoice_id, round(e.amount, 2), e.mode)
                          for e in entries.sorted("id")],
                         [(april, 200.0, "receivable"),
                          (may, 49.40, "receivable")])
        self.assertEqual(entries.mapped("receipt_id"), receipt)
        self.assertAlmostEqual(self._balance(), 0.0)
        self.assertAlmostEqual(self._partner_balance(self.receivable), 50.60)

    def test_applying_twice_applies_once(self):
        self._overpay(150.0)  # no bill yet: all of it is credit
        april, may = self._next_bills()
        first = self.service._apply_advance(self.owner)
        second = self.service._apply_advance(self.owner)
        self.assertEqual(len(first), 1)
        self.assertFalse(second)
        self.assertAlmostEqual(april.residual, 50.0)
        self.assertAlmostEqual(may.residual, 100.0)
        self.assertEqual(self.Entry.search_count(
            [("partner_id", "=", self.owner.id), ("kind", "=", "applied")]), 1)

    def test_voiding_the_receipt_reopens_what_its_credit_paid(self):
        receipt = self._overpay(150.0)
        april, may = self._next_bills()
        self.service._apply_advance(self.owner)
        self.assertAlmostEqual(april.residual, 50.0)
        receipt.sudo(self.manager).action_void("cheque bounced")
        self.assertAlmostEqual(april.residual, 200.0)
        self.assertAlmostEqual(may.residual, 100.0)
        entries = self.Entry.search([("partner_id", "=", self.owner.id)])
        self.assertEqual(sorted(entries.mapped("kind")), ["applied", "kept"])
        self.assertEqual(set(entries.mapped("state")), {"reversed"})
        self.assertAlmostEqual(self._balance(), 0.0)
        self.assertFalse(self.service._apply_advance(self.owner))

    def test_oldest_credit_is_used_first(self):
        first = self._overpay(30.0, date="2026-03-10")
        second = self._overpay(40.0, date="2026-03-11")
        april, _may = self._next_bills()
        entries = self.service._apply_advance(self.owner).sorted("id")
        self.assertEqual([(e.receipt_id, round(e.amount, 2), e.invoice_id)
                          for e in entries],
                         [(first, 30.0, april), (second, 40.0, april)])
        self.assertAlmostEqual(april.residual, 130.0)

    def test_credit_of_one_estate_pays_only_that_estates_bills(self):
        estate = self._create_estate()
        unit = self._create_unit(estate_id=estate.id, building_id=False)
        self._create_occupancy(unit_id=unit.id, partner_id=self.owner.id)
        receipt = self._overpay(150.0)  # at self.estate's counter
        elsewhere = self._bill(200.0, period="2026-04", unit=unit)
        here = self._bill(100.0, period="2026-05")
        self.service._apply_advance(self.owner)
        self.assertAlmostEqual(elsewhere.residual, 200.0)
        self.assertEqual(here.state, "paid")
        counterpart = receipt.payment_id.move_line_ids.filtered(
            lambda aml: aml.account_id == self.receivable)
        self.assertAlmostEqual(counterpart.amount_residual, -50.0,
                               msg="kept for the estate's next bill")

    def test_no_credit_no_bill_nothing_happens(self):
        bill = self._bill(100.0, period="2026-04")
        other = self._create_owner()
        self.assertFalse(self.service._apply_advance(self.owner | other))
        self.assertAlmostEqual(bill.residual, 100.0)
        self._overpay(80.0)  # pays part of the bill: no credit
        self.assertFalse(self.service._apply_advance(self.owner))
        self.assertAlmostEqual(bill.residual, 20.0)

    def test_balance_at_a_past_date(self):
        other_unit, other = self._create_unit(), self._create_owner()
        self._create_occupancy(unit_id=other_unit.id, partner_id=other.id)
        self.payers |= other
        self._overpay(500.0, date="2026-02-20")
        self._bill(250.60, period="2026-03")
        self.service._apply_advance(self.owner)
        self._pay(60.0, "cash", payer=other, date="2026-02-25")
        self.assertEqual(self._report("2026-02-19"), ({}, 0.0))
        lines, total = self._report("2026-02-20")
        self.assertEqual(lines, {self.owner: (500.0, 0.0, 500.0)})
        self.assertAlmostEqual(total, 500.0)
        lines, total = self._report("2026-03-01")
        self.assertEqual(
            lines,
            {self.owner: (249.40, 0.0, 249.40), other: (60.0, 0.0, 60.0)})
        self.assertAlmostEqual(total, 309.40)
        self.assertAlmostEqual(self._balance(), 249.40)
        self.assertAlmostEqual(self._balance(other), 60.0)

    def test_billing_manager_sees_the_report_cashier_does_not(self):
        self._overpay(100.0)
        lines, _total = self._report("2026-12-31", user=self.manager)
        self.assertEqual(lines, {self.owner: (100.0, 0.0, 100.0)})
        with self.assertRaises(AccessError):
            self._report("2026-12-31", user=self.cashier)


class TestAdvanceAccount(AdvanceCase):
    """With an advance receipts account (预收账款) configured."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.advance_account = cls.env["account.account"].create({
            "code": "2203%d" % cls._next(), "name": "预收账款",
            "user_type_id": cls.env.ref(
                "account.data_account_type_current_liabilities").id,
            "reconcile": True, "company_id": cls.company.id})
        cls.company.property_advance_account_id = cls.advance_account

    def test_overpayment_moves_to_the_advance_account(self):
        bill = self._bill(250.60, period="2026-03")
        receipt = self._overpay(500.0)
        self.assertEqual(bill.state, "paid")
        kept = self.Entry.search([("receipt_id", "=", receipt.id)])
        self.assertEqual((kept.kind, kept.mode), ("kept", "account"))
        move = kept.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.date, "2026-03-10")
        self.assertEqual(move.journal_id.type, "general")
        self.assertEqual(
            {(line.account_id, line.partner_id, line.debit, line.credit)
             for line in move.line_ids},
            {(self.receivable, self.owner, 249.40, 0.0),
             (self.advance_account, self.owner, 0.0, 249.40)})
        counterpart = receipt.payment_id.move_line_ids.filtered(
            lambda aml: aml.account_id == self.receivable)
        self.assertTrue(counterpart.reconciled)
        self.assertAlmostEqual(self._partner_balance(self.receivable), 0.0)
        self.assertAlmostEqual(
            self._partner_balance(self.advance_account), -249.40)
        self.assertAlmostEqual(self._balance(), 249.40)
        self.assertEqual(kept.credit_line_id.account_id, self.advance_account)

    def test_later_bills_take_the_credit_from_the_advance_account(self):
        self._bill(250.60, period="2026-03")
        self._overpay(500.0)
        april, may = self._next_bills()
        entries = self.service._apply_advance(self.owner).sorted("id")
        self.assertEqual(april.state, "paid")
        self.assertAlmostEqual(may.residual, 50.60)
        self.assertEqual([(e.invoice_id, round(e.amount, 2), e.mode)
                          for e in entries],
                         [(april, 200.0, "account"), (may, 49.40, "account")])
        first = entries[0].move_id
        self.assertEqual(first.date, "2026-04-01", "when the bill came")
        self.assertEqual(
            {(line.account_id, line.debit, line.credit)
             for line in first.line_ids},
            {(self.advance_account, 200.0, 0.0),
             (self.receivable, 0.0, 200.0)})
        self.assertTrue(all(line.reconciled for line in first.line_ids))
        self.assertEqual(entries[1].move_id.date, "2026-05-01")
        self.assertAlmostEqual(self._partner_balance(self.advance_account), 0.0)
        self.assertAlmostEqual(self._partner_balance(self.receivable), 50.60)
        self.assertAlmostEqual(self._balance(), 0.0)
        # a second application finds nothing left
        self.assertFalse(self.service._apply_advance(self.owner))
        self.assertAlmostEqual(may.residual, 50.60)
        # the balance at past dates follows the entries
        self.assertEqual(self._report("2026-03-10")[0],
                         {self.owner: (0.0, 249.40, 249.40)})
        lines, total = self._report("2026-04-15")
        self.assertEqual(lines, {self.owner: (0.0, 49.40, 49.40)})
        self.assertAlmostEqual(total, 49.40)
        self.assertEqual(self._report("2026-05-01"), ({}, 0.0))

    def test_advance_account_must_be_reconcilable_said_in_chinese(self):
        self._load_lang("zh_CN")
        plain = self.env["account.account"].create({
            "code": "2204%d" % self._next(), "name": "其他应付款",
            "user_type_id": self.env.ref(
                "account.data_account_type_current_liabilities").id,
            "reconcile": False, "company_id": self.company.id})
        with self.assertRaisesRegex(ValidationError, "必须允许核销"):
            self._rpc(self.env.user, "res.company", "write", [self.company.id],
                      {"property_advance_account_id": plain.id},
                      context={"lang": "zh_CN"})
        self.assertEqual(self.company.property_advance_account_id,
                         self.advance_account)

    def test_receivable_credit_from_before_is_applied_too(self):
        self.company.property_advance_account_id = False
        self._overpay(120.0)  # kept on the receivable
        self.company.property_advance_account_id = self.advance_account
        self._overpay(30.0, date="2026-03-11")  # kept on the advance account
        april, _may = self._next_bills()
        entries = self.service._apply_advance(self.owner).sorted("id")
        self.assertEqual([(e.mode, round(e.amount, 2)) for e in entries],
                         [("receivable", 120.0), ("account", 30.0)])
        self.assertAlmostEqual(april.residual, 50.0)

    def test_voiding_the_receipt_reopens_what_its_credit_paid(self):
        self._bill(250.60, period="2026-03")
        receipt = self._overpay(500.0)
        april, may = self._next_bills()
        self.service._apply_advance(self.owner)
        receipt.sudo(self.manager).action_void("counterfeit notes")
        self.assertEqual(receipt.state, "void")
        self.assertEqual((april.state, may.state), ("open", "open"))
        self.assertAlmostEqual(april.residual, 200.0)
        self.assertAlmostEqual(may.residual, 100.0)
        entries = self.Entry.search([("partner_id", "=", self.owner.id)])
        self.assertEqual(set(entries.mapped("state")), {"reversed"})
        self.assertTrue(all(entries.mapped("reversal_move_id")))
        self.assertAlmostEqual(self._partner_balance(self.advance_account), 0.0)
        self.assertAlmostEqual(self._balance(), 0.0)


class TestAdvanceBillingRun(BillingFactoryMixin, AdvanceCase):
    """A billing run applies the credit to the bills it posts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.property_notice_days = 30
        cls.fee_item = cls._create_fee_item(name="物业管理费")
        cls.standard = cls._publish_standard(cls._create_standard(
            cls.fee_item, vacant_percent=70.0))

    def _run(self):
        run = self._create_run(as_user=self.clerk)
        run.with_context(**SYNC).action_generate()
        run.with_context(**SYNC).action_post()
        return run

    def test_posted_bills_take_the_credit(self):
        self._overpay(300.0, date="2026-02-20")
        self.assertAlmostEqual(self._balance(), 300.0)
        run = self._run()
        bill = run.invoice_ids
        self.assertEqual(run.state, "posted")
        self.assertAlmostEqual(bill.amount_total, 250.60)
        self.assertEqual(bill.state, "paid")
        entry = self.Entry.search([("invoice_id", "=", bill.id)])
        self.assertAlmostEqual(entry.amount, 250.60)
        self.assertAlmostEqual(self._balance(), 49.40)

    def test_credit_short_of_the_bill_pays_it_in_part(self):
        self.advance_account = self.env["account.account"].create({
            "code": "2203%d" % self._next(), "name": "预收账款",
            "user_type_id": self.env.ref(
                "account.data_account_type_current_liabilities").id,
            "reconcile": True, "company_id": self.company.id})
        self.company.property_advance_account_id = self.advance_account
        self._overpay(100.0, date="2026-02-20")
        run = self._run()
        bill = run.invoice_ids
        self.assertEqual(bill.state, "open")
        self.assertAlmostEqual(bill.residual, 150.60)
        self.assertAlmostEqual(self._partner_balance(self.advance_account), 0.0)
        self.assertAlmostEqual(self._balance(), 0.0)


class TestAdvanceAccess(AdvanceCase):
    """Owners (portal) neither apply credit nor see anybody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls._create_portal_user(cls.owner)
        cls.neighbour = cls._create_owner()

    def test_portal_owner_cannot_apply_credit(self):
        self._overpay(150.0)
        april, _may = self._next_bills()
        with self.assertRaises(AccessError):
            self.env["property.payment.service"].sudo(
                self.portal)._apply_advance(self.owner)
        with self.assertRaises(AccessError):
            self._rpc(self.portal, "property.payment.service",
                      "_apply_advance", [self.owner.id])
        self.assertAlmostEqual(april.residual, 200.0)

    def test_portal_owner_reads_only_his_own_balance(self):
        self._overpay(150.0)
        self._pay(40.0, "cash", payer=self.neighbour)
        own = self._rpc(self.portal, "res.partner", "read", [self.owner.id],
                        ["property_advance_balance"])
        self.assertAlmostEqual(own[0]["property_advance_balance"], 150.0)
        with self.assertRaises(AccessError):
            self._rpc(self.portal, "res.partner", "read", [self.neighbour.id],
                      ["property_advance_balance"])
        self.assertAlmostEqual(self._balance(self.neighbour), 40.0)

    def test_portal_owner_cannot_open_the_report_or_the_log(self):
        self._overpay(150.0)
        with self.assertRaises(AccessError):
            self._rpc(self.portal, "property.advance.report", "create",
                      {"date": "2026-12-31"})
        with self.assertRaises(AccessError):
            self._rpc(self.portal, "property.advance.report.line", "create",
                      {"partner_id": self.neighbour.id})
        with self.assertRaises(AccessError):
            self._rpc(self.portal, "property.advance.entry", "search_read",
                      [], ["amount"])
        with self.assertRaises(AccessError):
            self._rpc(self.portal, "property.advance.entry", "create",
                      {"kind": "kept"})

    def test_internal_user_without_accounting_sees_no_balance(self):
        self._overpay(150.0)
        agent = self._create_user("agent", [])
        self.assertAlmostEqual(self._balance(user=agent), 0.0)
        self.assertAlmostEqual(self._balance(user=self.cashier), 150.0)
