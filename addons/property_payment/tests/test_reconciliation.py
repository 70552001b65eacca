# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The period reconciliation (对账): receipts = payments = journal items, the
amounts allocated = the amounts reconciled with bills, and every difference
listed. The figures of this test are compared with the same report taken
before them, so that other payments of the database (demo data) do not
count."""
from odoo.exceptions import AccessError, UserError

from odoo.addons.property_payment.tests.common import PaymentCase

MODEL = "property.payment.reconciliation"


class TestReconciliation(PaymentCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls._create_portal_user(cls.owner)
        cls.day = cls.env["property.payment.service"]._local_today(cls.estate)
        cls.january = cls._bill(250.60, period="2026-01")
        cls.february = cls._bill(300.00, period="2026-02")
        cls.march = cls._bill(120.00, period="2026-03")

    def _report(self, user=None):
        wizard = self.env[MODEL].sudo(user or self.accountant).create({
            "date_from": self.day, "date_to": self.day})
        wizard.action_compute()
        return wizard

    @staticmethod
    def _figures(report):
        totals = {line.channel_code: tuple(round(value, 2) for value in (
            line.receipt_count, line.receipt_amount, line.payment_amount,
            line.statement_amount, line.reconciled_amount, line.journal_amount,
            line.advance_amount)) for line in report.line_ids}
        issues = {(issue.code, issue.channel_code, round(issue.amount, 2),
                   issue.payment_id.id, tuple(issue.receipt_ids.ids),
                   issue.statement_line_id.id, issue.move_id.id)
                  for issue in report.issue_ids}
        return totals, issues

    def _delta(self, before, after):
        """What ``after`` adds to ``before``: totals per channel, new issues."""
        (totals0, issues0), (totals1, issues1) = before, after
        zero = (0,) * 7
        delta = {}
        for channel in set(totals0) | set(totals1):
            values = tuple(round(b - a, 2) for a, b in zip(
                totals0.get(channel, zero), totals1.get(channel, zero)))
            if any(values):
                delta[channel] = values
        return delta, issues1 - issues0

    def _statement_line(self, amount, name="转账 3-2 物业费"):
        journal = self.env["property.payment.channel"]._get(
            "transfer", self.company).journal_id
        statement = self.env["account.bank.statement"].create({
            "journal_id": journal.id, "date": self.day, "name": "ST-%s" % name,
            "line_ids": [(0, 0, {"name": name, "amount": amount,
                                 "date": self.day, "partner_id": self.owner.id})],
        })
        return statement.line_ids

    def _period(self):
        """Cash in full, WeChat in part, a bank transfer matched to its
        statement line, Alipay with an overpayment, and cash voided."""
        cash = self._pay(250.60, "cash")
        wechat = self._pay(100.0, "wechat")
        line = self._statement_line(200.0)
        transfer = self._pay(200.0, "transfer", user=self.accountant,
                             statement_line=line, serial="B-0001")
        alipay = self._pay(150.0, "alipay", serial="A-0001")
        voided = self._pay(50.0, "cash")
        voided.sudo(self.manager).action_void("paid by mistake")
        return cash, wechat, transfer, alipay, voided

    def test_receipts_payments_and_reconciled_amounts_tie_out(self):
        before = self._report()
        cash, wechat, transfer, alipay, voided = self._period()
        self.assertEqual((self.january.state, self.february.state,
                          self.march.state), ("paid", "paid", "paid"))
        self.assertAlmostEqual(alipay.advance_amount, 30.0)
        report = self._report()
        delta, new_issues = self._delta(self._figures(before),
                                        self._figures(report))
        # (count, receipts, payments, statement lines, reconciled, journal,
        # advance)
        self.assertEqual(delta, {
            "cash": (1, 250.60, 250.60, 0.0, 250.60, 250.60, 0.0),
            "wechat": (1, 100.0, 100.0, 0.0, 100.0, 100.0, 0.0),
            "transfer": (1, 200.0, 200.0, 200.0, 200.0, 200.0, 0.0),
            "alipay": (1, 150.0, 150.0, 0.0, 120.0, 150.0, 30.0),
        })
        self.assertEqual(new_issues, set())
        self.assertAlmostEqual(report.receipt_amount - before.receipt_amount,
                               700.60)
        self.assertAlmostEqual(report.receipt_amount, report.payment_amount)
        self.assertAlmostEqual(report.payment_amount, report.journal_amount)
        self.assertAlmostEqual(
            report.allocated_amount - before.allocated_amount, 670.60)
        self.assertAlmostEqual(report.reconciled_amount,
                               report.allocated_amount)
        self.assertEqual(report.tied, before.tied)
        if before.issue_count == 0:
            self.assertTrue(report.tied)

    def test_a_payment_without_receipt_is_listed(self):
        self._period()
        before = self._report()
        journal = self.env["property.payment.channel"]._get(
            "cash", self.company).journal_id
        forged = self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": self.owner.id, "amount": 42.0,
            "journal_id": journal.id, "payment_date": self.day,
            "payment_method_id": self.env.ref(
                "account.account_payment_method_manual_in").id,
        })
        forged.post()
        unmatched = self._statement_line(88.0, name="unknown payer")
        report = self._report()
        delta, new_issues = self._delta(self._figures(before),
                                        self._figures(report))
        self.assertEqual(new_issues, {
            ("payment_without_receipt", "cash", 42.0, forged.id, (), False,
             False),
            ("statement_unmatched", "transfer", 88.0, False, (), unmatched.id,
             False),
        })
        self.assertEqual(delta, {"cash": (0, 0, 0, 0, 0, 42.0, 0)})
        self.assertFalse(report.tied)
        self.assertNotAlmostEqual(report.receipt_amount, report.journal_amount)

    def test_a_void_receipt_whose_payment_stands_is_listed(self):
        receipt = self._pay(50.0, "cash")
        before = self._report()
        # voided on paper only: the payment and its entry stand
        receipt.sudo()._write_service({"state": "void",
                                       "void_reason": "forged"})
        report = self._report()
        _delta, new_issues = self._delta(self._figures(before),
                                         self._figures(report))
        self.assertEqual(new_issues, {
            ("void_not_reversed", "cash", 50.0, receipt.payment_id.id,
             (receipt.id,), False, False)})
        self.assertFalse(report.tied)

    def test_estate_filter_counts_that_estates_receipts_only(self):
        other_estate = self._create_estate()
        before = self._figures(self._report())
        self._pay(250.60, "cash")
        self._pay(33.0, "cash", estate=other_estate)   # all advance credit
        whole, _issues = self._delta(before, self._figures(self._report()))
        self.assertEqual(whole["cash"][:2], (2, 283.60))
        wizard = self.env[MODEL].sudo(self.accountant).create({
            "date_from": self.day, "date_to": self.day,
            "estate_id": other_estate.id})
        wizard.action_compute()
        totals, issues = self._figures(wizard)
        self.assertEqual(totals, {"cash": (1, 33.0, 33.0, 0, 0, 33.0, 33.0)})
        self.assertEqual(issues, set())
        self.assertTrue(wizard.tied)

    def test_only_accountants_and_billing_managers_reconcile(self):
        self._period()
        self.assertTrue(self._report(self.manager).line_ids)
        for user in (self.cashier, self.portal):
            wizard_id = self._rpc(user, MODEL, "create", {
                "date_from": self.day, "date_to": self.day})
            with self.assertRaises(AccessError):
                self._rpc(user, MODEL, "action_compute", [wizard_id])
            with self.assertRaises(AccessError):
                self._rpc(user, MODEL, "_report", [wizard_id])
        wizard_id = self._rpc(self.accountant, MODEL, "create", {
            "date_from": self.day, "date_to": self.day})
        self._rpc(self.accountant, MODEL, "action_compute", [wizard_id])
        lines = self._rpc(self.accountant, MODEL, "read", [wizard_id],
                          ["line_ids"])[0]["line_ids"]
        self.assertTrue(lines)

    def test_a_period_that_ends_before_it_starts_is_refused(self):
        wizard = self.env[MODEL].sudo(self.accountant).create({
            "date_from": "2026-03-31", "date_to": "2026-03-01"})
        with self.assertRaisesRegex(UserError, "starts after it ends"):
            wizard.action_compute()
        self.assertFalse(wizard.computed)
