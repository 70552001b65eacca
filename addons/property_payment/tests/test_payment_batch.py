# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The batch path of the allocation service (``_pay_many``) writes the rows
``_pay`` writes request by request: two payers with the same bills pay the
same amounts on the same channels, one through ``_pay``, one through
``_pay_many``, and every column of every row both paths write is compared,
but for identities, timestamps and the numbers drawn from sequences (which
are compared for their order and their gaps)."""
import re
from unittest import mock

from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.property_billing.rules.constants import TRACKING_OFF
from odoo.addons.property_billing.tests.test_billing_equivalence import (
    ALWAYS_DIFFERENT)
from odoo.addons.property_payment.models.property_payment_batch import (
    BatchUnsupported, PropertyPaymentBatch)

from .common import PaymentCase

PAY_DATE = "2026-03-10"
# columns of a payer's own records, compared through the tokens of the twins
TOKEN_MODELS = ("res.partner", "property.unit", "account.invoice",
                "account.invoice.line", "account.move", "account.move.line",
                "account.payment", "account.bank.statement.line",
                "account.bank.statement", "property.receipt",
                "property.receipt.line", "account.full.reconcile",
                "account.partial.reconcile")


class PaymentBatchCase(PaymentCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.batch = cls.env["property.payment.batch"].sudo(cls.cashier)
        cls.twin = cls._create_owner(name="Twin Owner")
        cls.twin_unit = cls._create_unit()
        cls._create_occupancy(unit_id=cls.twin_unit.id, partner_id=cls.twin.id)
        cls.transfer = cls.env["property.payment.channel"]._get(
            "transfer", cls.company)

    @classmethod
    def _bills_of(cls, partner, unit):
        """The same four bills for each twin: one of two fee lines."""
        return [
            cls._bill(100.0, "2026-01", partner=partner, unit=unit),
            cls._bill(partner=partner, unit=unit, period="2026-02",
                      lines=[("物业管理费", 80.0), ("电梯费", 40.0)]),
            cls._bill(250.6, "2026-03", partner=partner, unit=unit),
            cls._bill(60.0, "2026-04", partner=partner, unit=unit),
        ]

    def _statement_lines(self, amounts, partner):
        statement = self.env["account.bank.statement"].create({
            "journal_id": self.transfer.journal_id.id, "date": PAY_DATE,
            "name": "ST %d" % self._next(),
            "line_ids": [(0, 0, {"name": "转账 %d" % index, "amount": amount,
                                 "date": PAY_DATE, "partner_id": partner.id,
                                 "ref": "SN%d" % self._next()})
                         for index, amount in enumerate(amounts)]})
        return statement.line_ids.sorted("id")

    def _no_fallback(self):
        patcher = mock.patch.object(
            PropertyPaymentBatch, "_pay_each",
            side_effect=AssertionError("the batch fell back to the ORM"))
        patcher.start()
        self.addCleanup(patcher.stop)

    def _orm(self, requests):
        service = self.env["property.payment.service"].sudo(
            self.cashier).with_context(**TRACKING_OFF)
        return [service._pay(**request) for request in requests]


class TestPaymentBatchEquivalence(PaymentBatchCase):

    maxDiff = None

    def _requests(self, payer, bills, statement_lines):
        """Every kind of payment, one after the other for the same payer."""
        base = {"payer": payer, "date": PAY_DATE, "estate": self.estate}
        return [
            # the oldest bill exactly
            dict(base, amount=100.0, channel_code="cash", tendered=100.0),
            # part of the next one, from the bank statement
            dict(base, amount=50.0, channel_code="transfer",
                 statement_line=statement_lines[0], serial="SN-A",
                 reference="物业费"),
            # the rest of it and part of the next: two bills, oldest first
            dict(base, amount=300.0, channel_code="card", serial="POS-1"),
            # the chosen bill (the newest), partly
            dict(base, amount=30.0, channel_code="transfer",
                 statement_line=statement_lines[1], invoices=bills[3]),
            # more than everything still due: advance credit, and change
            dict(base, amount=100.0, channel_code="cash", tendered=200.0,
                 note="预存"),
        ]

    def _pay_twins(self):
        self._no_fallback()
        mine = self._bills_of(self.owner, self.unit)
        theirs = self._bills_of(self.twin, self.twin_unit)
        orm_lines = self._statement_lines([50.0, 30.0], self.owner)
        batch_lines = self._statement_lines([50.0, 30.0], self.twin)
        orm = self._orm(self._requests(self.owner, mine, orm_lines))
        batch = self.batch._pay_many(
            self._requests(self.twin, theirs, batch_lines))
        self.env.cache.invalidate()
        return (orm, mine, orm_lines), (batch, theirs, batch_lines)

    # -- snapshot of what a payer's payments wrote ------------------------------

    def _records(self, side):
        receipts, bills, statement_lines = side
        Receipt = self.env["property.receipt"]
        receipts = Receipt.browse([receipt.id for receipt in receipts])
        payments = receipts.mapped("payment_id")
        moves = payments.mapped("move_line_ids.move_id").sorted("id")
        invoices = self.env["account.invoice"].browse([bill.id for bill in bills])
        lines = (moves | invoices.mapped("move_id")).mapped("line_ids")
        partials = self.env["account.partial.reconcile"].search([
            "|", ("debit_move_id", "in", lines.ids),
            ("credit_move_id", "in", lines.ids)])
        return {
            "receipts": receipts, "payments": payments, "moves": moves,
            "invoices": invoices, "lines": lines, "partials": partials,
            "fulls": lines.mapped("full_reconcile_id"),
            "statement_lines": statement_lines,
            "advance": self.env["property.advance.entry"].search(
                [("receipt_id", "in", receipts.ids)]),
        }

    def _tokens(self, records):
        """{(model, id): token} and {generated name: token} of one payer's
        records, by their position."""
        tokens = {("res.partner", records["receipts"][:1].partner_id.id): "payer",
                  ("property.unit", records["invoices"][:1].property_unit_id.id):
                  "unit"}
        names = {}
        for index, invoice in enumerate(records["invoices"]):
            tokens["account.invoice", invoice.id] = "bill%d" % index
            tokens["account.move", invoice.move_id.id] = "billmove%d" % index
            names[invoice.number] = "<bill%d>" % index
            for position, line in enumerate(invoice.invoice_line_ids):
                tokens["account.invoice.line", line.id] = "bill%d-%d" % (
                    index, position)
            for position, line in enumerate(invoice.move_id.line_ids.sorted("id")):
                tokens["account.move.line", line.id] = "bill%d-aml%d" % (
                    index, position)
        for index, receipt in enumerate(records["receipts"]):
            tokens["property.receipt", receipt.id] = "receipt%d" % index
            names[receipt.name] = "<receipt%d>" % index
            for position, line in enumerate(receipt.line_ids):
                tokens["property.receipt.line", line.id] = "receipt%d-%d" % (
                    index, position)
            payment = receipt.payment_id
            tokens["account.payment", payment.id] = "payment%d" % index
            names[payment.name] = "<payment%d>" % index
            move = payment.move_line_ids[:1].move_id
            tokens["account.move", move.id] = "paymove%d" % index
            names[move.name] = "<paymove%d>" % index
            for line in payment.move_line_ids:
                kind = "liquidity" if line.account_id.internal_type == \
                    "liquidity" else "counterpart"
                tokens["account.move.line", line.id] = "payment%d-%s" % (
                    index, kind)
        for index, line in enumerate(records["statement_lines"]):
            tokens["account.bank.statement.line", line.id] = "st%d" % index
            tokens["account.bank.statement", line.statement_id.id] = "statement"
            names[line.statement_id.name] = "<statement>"
            names[line.ref] = "<st%d-ref>" % index
        for index, full in enumerate(records["fulls"].sorted(
                lambda full: min(tokens["account.move.line", aml.id]
                                 for aml in full.reconciled_line_ids))):
            tokens["account.full.reconcile", full.id] = "full%d" % index
            names[full.name] = "<full%d>" % index
        for index, partial in enumerate(records["partials"]):
            tokens["account.partial.reconcile", partial.id] = "partial"
        return tokens, names

    def _snapshot(self, records):
        tokens, names = self._tokens(records)
        pattern = re.compile("|".join(
            re.escape(name) for name in sorted(names, key=len, reverse=True)
            if name))
        tables = [
            ("account.payment", records["payments"]),
            ("account.move", records["moves"] | records["invoices"].mapped(
                "move_id")),
            ("account.move.line", records["lines"]),
            ("account.partial.reconcile", records["partials"]),
            ("account.full.reconcile", records["fulls"]),
            ("account.invoice", records["invoices"]),
            ("account.invoice.line", records["invoices"].mapped(
                "invoice_line_ids")),
            ("account.bank.statement.line", records["statement_lines"]),
            ("property.receipt", records["receipts"]),
            ("property.receipt.line", records["receipts"].mapped("line_ids")),
            ("property.advance.entry", records["advance"]),
        ]
        snapshot = {}
        for model, found in tables:
            fields_ = self.env[model]._fields
            self.env.cr.execute('SELECT * FROM "%s" WHERE id IN %%s'
                                % self.env[model]._table,
                                (tuple(found.ids) or (0,),))
            columns = [column.name for column in self.env.cr.description]
            rows = []
            for row in self.env.cr.fetchall():
                values = {}
                for column, value in zip(columns, row):
                    if column in ALWAYS_DIFFERENT:
                        continue
                    field = fields_.get(column)
                    if field is not None and field.type == "many2one" and \
                            field.comodel_name in TOKEN_MODELS and value:
                        value = tokens.get((field.comodel_name, value),
                                           "other %s" % field.comodel_name)
                    elif isinstance(value, str):
                        value = pattern.sub(lambda m: names[m.group(0)], value)
                    values[column] = value
                rows.append(values)
            rows.sort(key=lambda values: repr(sorted(values.items())))
            snapshot[model] = rows
            self.assertTrue(rows or model in ("account.full.reconcile",
                                              "property.advance.entry"), model)
        snapshot["payment links"] = sorted(
            (tokens["account.payment", payment.id],
             sorted(tokens["account.invoice", inv.id]
                    for inv in payment.invoice_ids))
            for payment in records["payments"])
        records["invoices"].invalidate_cache(["payment_move_line_ids"])
        snapshot["bill payment items"] = sorted(
            (tokens["account.invoice", invoice.id],
             sorted(tokens.get(("account.move.line", line.id), "other")
                    for line in invoice.payment_move_line_ids))
            for invoice in records["invoices"])
        snapshot["receipt units"] = [
            [tokens["property.unit", unit.id] for unit in receipt.unit_ids]
            for receipt in records["receipts"]]
        return snapshot

    # -- tests ----------------------------------------------------------------------

    def test_batch_writes_the_rows_pay_writes(self):
        orm, batch = self._pay_twins()
        mine, theirs = self._snapshot(self._records(orm)), \
            self._snapshot(self._records(batch))
        self.assertEqual(sorted(mine), sorted(theirs))
        for table in mine:
            self.assertEqual(len(mine[table]), len(theirs[table]), table)
            for my_row, their_row in zip(mine[table], theirs[table]):
                self.assertEqual(my_row, their_row, table)

    def test_what_the_payer_sees(self):
        _orm, (receipts, bills, lines) = self._pay_twins()
        self.assertEqual([receipt.amount for receipt in receipts],
                         [100.0, 50.0, 300.0, 30.0, 100.0])
        # oldest first; the chosen bill; the rest is advance credit
        self.assertEqual([bill.state for bill in bills],
                         ["paid", "paid", "paid", "paid"])
        self.assertEqual([bill.residual for bill in bills], [0.0] * 4)
        self.assertEqual(receipts[2].line_ids.mapped("invoice_id"),
                         bills[1] | bills[2])
        self.assertEqual(receipts[3].line_ids.mapped("invoice_id"), bills[3])
        # 580.00 paid for 530.60 of bills
        self.assertAlmostEqual(receipts[4].advance_amount, 49.4)
        self.assertAlmostEqual(receipts[4].change_amount, 100.0)
        self.assertEqual(receipts[4].amount_words, "人民币壹佰元整")
        self.assertEqual(
            self.env["property.advance.entry"].search(
                [("receipt_id", "=", receipts[4].id)]).amount, 49.4)
        # the statement lines are reconciled with their payments
        for line, receipt in zip(lines, (receipts[1], receipts[3])):
            self.assertEqual(line.journal_entry_ids.payment_id,
                             receipt.payment_id)
            self.assertEqual(receipt.payment_id.state, "reconciled")
            self.assertEqual(receipt.statement_line_id, line)
        self.assertEqual(receipts[0].payment_id.state, "posted")
        self.assertEqual(receipts[0].payment_id.invoice_ids, bills[0])
        self.assertTrue(bills[0].move_id.line_ids.filtered(
            lambda aml: aml.account_id == bills[0].account_id).full_reconcile_id)

    def test_receipt_numbers_follow_the_requests_without_gaps(self):
        self._no_fallback()
        bills = self._bills_of(self.twin, self.twin_unit)
        before = self._pay(1.0, channel="cash", payer=self.owner,
                           date=PAY_DATE)
        receipts = self.batch._pay_many([
            {"payer": self.twin, "amount": bill.residual,
             "channel_code": "card", "date": PAY_DATE, "estate": self.estate}
            for bill in bills])
        after = self._pay(1.0, channel="cash", payer=self.owner, date=PAY_DATE)
        numbers = [int(re.search(r"(\d+)$", receipt.name).group(1))
                   for receipt in [before] + receipts + [after]]
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 6)))
        self.assertEqual([receipt.line_ids.mapped("invoice_id")
                          for receipt in receipts], bills)
        payments = [receipt.payment_id for receipt in receipts]
        self.assertEqual(len({payment.name for payment in payments}), 4)
        self.assertEqual(sorted(payment.name for payment in payments),
                         [payment.name for payment in payments])


class TestStatementBatch(PaymentBatchCase):
    """The auto-matching of imported transfers pays through ``_pay_many``
    and matches each line on what the lines before it paid."""

    def test_lines_are_matched_on_what_the_earlier_lines_paid(self):
        self._no_fallback()
        theirs = self._bills_of(self.twin, self.twin_unit)
        mine = self._bills_of(self.owner, self.unit)
        statement = self.env["account.bank.statement"].create({
            "journal_id": self.transfer.journal_id.id, "date": PAY_DATE,
            "name": "ST %d" % self._next(),
            "line_ids": [(0, 0, {"name": memo, "amount": amount,
                                 "date": PAY_DATE, "sequence": index,
                                 "ref": "SNB%d" % self._next()})
                         for index, (memo, amount) in enumerate([
                             ("物业费 %s" % theirs[0].number, 100.0),
                             # names the bill the line before paid
                             ("物业费 %s" % theirs[0].number, 120.0),
                             ("物业费 %s" % mine[2].number, 250.6)])]})
        lines = statement.line_ids.sorted("sequence")
        # accountants match transfers (cashiers cannot write statements)
        counts = lines.sudo(self.accountant)._property_auto_match()
        self.assertEqual(counts, {"matched": 3})
        self.assertEqual(lines.mapped("property_match_state"), ["matched"] * 3)
        receipts = lines.mapped("property_receipt_id")
        self.assertEqual(receipts[0].line_ids.mapped("invoice_id"), theirs[0])
        # paid once: the second line went to the next open bill
        self.assertEqual(receipts[1].line_ids.mapped("invoice_id"), theirs[1])
        self.assertEqual(receipts[2].line_ids.mapped("invoice_id"), mine[2])
        self.assertEqual([bill.state for bill in theirs[:2] + mine[2:3]],
                         ["paid"] * 3)
        for line in lines:
            self.assertEqual(line.journal_entry_ids.payment_id,
                             line.property_receipt_id.payment_id)


class TestPaymentBatchRefusals(PaymentBatchCase):

    def test_refused_requests_get_their_error_and_the_others_are_paid(self):
        self._no_fallback()
        bills = self._bills_of(self.twin, self.twin_unit)
        cancelled = self._bill(70.0, "2026-05", partner=self.twin,
                               unit=self.twin_unit)
        cancelled.journal_id.update_posted = True
        cancelled.action_invoice_cancel()
        base = {"payer": self.twin, "channel_code": "card", "date": PAY_DATE,
                "estate": self.estate}
        results = self.batch._pay_many([
            dict(base, amount=0.0),
            dict(base, amount=100.0),
            dict(base, amount=70.0, invoices=cancelled),
            dict(base, amount=-5.0),
        ])
        self.assertIsInstance(results[0], UserError)
        self.assertIn("more than zero", results[0].name)
        self.assertIsInstance(results[2], UserError)
        self.assertIn("cancelled", results[2].name)
        self.assertIsInstance(results[3], UserError)
        self.assertEqual(results[1].line_ids.mapped("invoice_id"), bills[0])
        self.assertEqual(bills[0].state, "paid")
        self.assertEqual(self.env["property.receipt"].search_count(
            [("partner_id", "=", self.twin.id)]), 1)
        self.assertEqual(cancelled.state, "cancel")

    def test_reconciled_statement_line_is_refused(self):
        self._no_fallback()
        self._bills_of(self.twin, self.twin_unit)
        line = self._statement_lines([50.0], self.twin)
        request = {"payer": self.twin, "amount": 50.0, "date": PAY_DATE,
                   "channel_code": "transfer", "statement_line": line,
                   "estate": self.estate}
        first, = self.batch._pay_many([request])
        second, = self.batch._pay_many([request])
        self.assertEqual(first.statement_line_id, line)
        self.assertIsInstance(second, UserError)
        self.assertIn("already reconciled", second.name)
        self.assertEqual(len(line.journal_entry_ids), 1)

    def test_closed_cashier_day_refuses_counter_payments(self):
        self._no_fallback()
        self._bills_of(self.twin, self.twin_unit)
        with mock.patch.object(
                type(self.env["property.cash.closing"]), "_check_day_open",
                side_effect=UserError("day closed")):
            result, = self.batch._pay_many([{
                "payer": self.twin, "amount": 10.0, "channel_code": "cash",
                "date": PAY_DATE, "estate": self.estate}])
        self.assertIsInstance(result, UserError)
        self.assertFalse(self.env["property.receipt"].search(
            [("partner_id", "=", self.twin.id)]))

    def test_portal_owner_cannot_call_it_over_rpc(self):
        portal = self._create_portal_user(self.twin)
        for model in ("property.payment.batch", "property.payment.service"):
            with self.assertRaises(AccessError):
                self._rpc(portal, model, "_pay_many", [])

    def test_only_cashiers_take_payments(self):
        bills = self._bills_of(self.twin, self.twin_unit)
        portal = self._create_portal_user(self.twin)
        with self.assertRaises(AccessError):
            self.env["property.payment.batch"].sudo(portal)._pay_many([{
                "payer": self.twin, "amount": 10.0, "channel_code": "card",
                "date": PAY_DATE, "estate": self.estate}])
        self.assertEqual(bills[0].residual, 100.0)


class TestPaymentBatchFallback(PaymentBatchCase):
    """Where the batch cannot reproduce ``_pay``, every request goes through
    ``_pay``, each in a savepoint."""

    def _spy(self):
        return mock.patch.object(PropertyPaymentBatch, "_pay_each", autospec=True,
                                 side_effect=PropertyPaymentBatch._pay_each)

    def test_account_forcing_a_currency_refuses_the_payment(self):
        """An account that forces a secondary currency takes no item of the
        batch: the batch rolls back and ``_pay`` refuses the payment with
        Odoo's own check, nothing paid."""
        bills = self._bills_of(self.twin, self.twin_unit)
        channel = self.env["property.payment.channel"]._get("card", self.company)
        account = channel.journal_id.default_debit_account_id
        other = self.env["res.currency"].with_context(active_test=False).search(
            [("id", "!=", self.company.currency_id.id)], limit=1)
        other.active = True
        account.currency_id = other
        with self._spy() as through_pay:
            results = self.batch._pay_many([
                {"payer": self.twin, "amount": 100.0, "channel_code": "card",
                 "date": PAY_DATE, "estate": self.estate}])
        self.assertTrue(through_pay.called)
        self.assertIsInstance(results[0], ValidationError)
        self.assertEqual(bills[0].residual, 100.0)
        self.assertFalse(self.env["property.receipt"].search(
            [("partner_id", "=", self.twin.id)]))

    def test_journal_with_entry_controls_goes_through_pay(self):
        bills = self._bills_of(self.twin, self.twin_unit)
        channel = self.env["property.payment.channel"]._get("card", self.company)
        channel.journal_id.account_control_ids = [(6, 0, self.env[
            "account.account"].search([("company_id", "=", self.company.id)]).ids)]
        with self._spy() as through_pay:
            results = self.batch._pay_many([
                {"payer": self.twin, "amount": 100.0, "channel_code": "card",
                 "date": PAY_DATE, "estate": self.estate},
                {"payer": self.twin, "amount": 0.0, "channel_code": "card",
                 "date": PAY_DATE, "estate": self.estate}])
        self.assertTrue(through_pay.called)
        self.assertEqual(results[0].line_ids.mapped("invoice_id"), bills[0])
        self.assertEqual(bills[0].state, "paid")
        self.assertIsInstance(results[1], UserError)

    def test_foreign_override_is_detected(self):
        batch = self.env["property.payment.batch"]
        self.assertEqual(batch._foreign_overrides(), [])
        with mock.patch(
                "odoo.addons.property_billing.models.property_bulk_insert."
                "addon_of", side_effect=lambda cls: "some_addon"
                if cls.__name__ == "account_payment" else "account"):
            self.assertIn("account.payment.post (some_addon)",
                          batch._foreign_overrides())
            with self.assertRaises(BatchUnsupported):
                batch._check_supported([])

    def test_error_while_writing_rolls_back_and_goes_through_pay(self):
        """A payer whose receivable is not the bills' account: the batch
        finds out after it wrote the payments, rolls them back, and ``_pay``
        refuses that request alone."""
        bills = self._bills_of(self.twin, self.twin_unit)
        other = self.owner
        self._bills_of(other, self.unit)
        receivable = self.env["account.account"].create({
            "name": "Other receivable %d" % self._next(),
            "code": "1122%d" % self._next(), "reconcile": True,
            "user_type_id": self.env.ref("account.data_account_type_receivable").id,
            "company_id": self.company.id})
        payments_before = self.env["account.payment"].search_count([])
        other.property_account_receivable_id = receivable
        with self._spy() as through_pay:
            results = self.batch._pay_many([
                {"payer": self.twin, "amount": 100.0, "channel_code": "card",
                 "date": PAY_DATE, "estate": self.estate},
                {"payer": other, "amount": 100.0, "channel_code": "card",
                 "date": PAY_DATE, "estate": self.estate}])
        self.assertTrue(through_pay.called)
        self.assertEqual(results[0].line_ids.mapped("invoice_id"), bills[0])
        self.assertIsInstance(results[1], UserError)
        self.assertEqual(self.env["account.payment"].search_count([]),
                         payments_before + 1)
