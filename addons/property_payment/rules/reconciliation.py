"""The period reconciliation (对账): receipts against payments, bank statement
lines, the amounts reconciled with bills and the journal items of the channel
journals, channel by channel, with every difference listed.

The caller gathers plain facts (``Receipt``, ``Payment``, ``StatementLine``,
``JournalEntry``: keys, channel codes and Decimals) for one company and
period; ``reconcile`` adds them up and lists the differences. The books tie
out when there is no difference: then, for every channel, the receipts equal
their payments and the journal items, and the amounts allocated on the
receipts equal the amounts reconciled against bills.

>>> receipts = [Receipt(1, "cash", D("100"), D("100"), False, 10),
...             Receipt(2, "wechat", D("80"), D("50"), False, 11)]
>>> payments = [Payment(10, "cash", D("100"), True, False, D("100"), D("100")),
...             Payment(11, "wechat", D("80"), True, False, D("50"), D("80"))]
>>> report = reconcile(receipts, payments)
>>> report.tied, [(t.channel, str(t.receipt_amount), str(t.advance))
...               for t in report.totals]
(True, [('cash', '100.00', '0.00'), ('wechat', '80.00', '30.00')])
>>> forged = Payment(12, "cash", D("5"), True, False, D("0"), D("5"))
>>> report = reconcile(receipts, payments + [forged])
>>> report.tied, [(i.code, i.payment, str(i.amount)) for i in report.issues]
(False, [('payment_without_receipt', 12, '5.00')])
"""
from collections import OrderedDict, namedtuple
from decimal import Decimal

from .allocation import money
from .channels import CHANNELS

D = Decimal
ZERO = Decimal("0.00")

# -- facts ----------------------------------------------------------------------
# A receipt of the period: ``payment`` and ``statement_line`` are keys or None.
Receipt = namedtuple(
    "Receipt", "key channel amount allocated voided payment statement_line name")
Receipt.__new__.__defaults__ = (None, None, "")

# A payment: a receipt's, or any customer payment on a channel journal in the
# period. ``posted``: its entry is posted; ``reversed``: it was cancelled or
# its entry reversed; ``reconciled``: what its receivable lines were
# reconciled with bills; ``journal``: the balance of its liquidity lines in
# the period (debit - credit).
Payment = namedtuple(
    "Payment", "key channel amount posted reversed reconciled journal name")
Payment.__new__.__defaults__ = ("",)

# A bank statement line of a channel journal in the period; ``reconciled``:
# it has journal entries (reconciled with a payment or a counterpart).
StatementLine = namedtuple("StatementLine", "key channel amount reconciled name")
StatementLine.__new__.__defaults__ = ("",)

# The liquidity lines of one journal entry of a channel journal in the period
# that no payment explains (a manual entry, a transfer), as one amount.
JournalEntry = namedtuple("JournalEntry", "key channel amount name")
JournalEntry.__new__.__defaults__ = ("",)

# -- results ----------------------------------------------------------------------
Totals = namedtuple(
    "Totals", "channel receipt_count receipt_amount allocated advance "
              "payment_amount statement_amount reconciled_amount journal_amount")

Issue = namedtuple(
    "Issue", "code channel amount expected receipt payment statement_line move")
Issue.__new__.__defaults__ = (None, None, None, None, None)

Report = namedtuple("Report", "totals issues tied")

# -- issue codes, in the order they are listed ------------------------------------
RECEIPT_WITHOUT_PAYMENT = "receipt_without_payment"
PAYMENT_AMOUNT = "payment_amount"
RECONCILED_AMOUNT = "reconciled_amount"
JOURNAL_AMOUNT = "journal_amount"
STATEMENT_AMOUNT = "statement_amount"
STATEMENT_TWICE = "statement_twice"
VOID_NOT_REVERSED = "void_not_reversed"
VOID_IN_JOURNAL = "void_in_journal"
PAYMENT_WITHOUT_RECEIPT = "payment_without_receipt"
STATEMENT_UNMATCHED = "statement_unmatched"
JOURNAL_WITHOUT_RECEIPT = "journal_without_receipt"
ISSUE_CODES = [
    RECEIPT_WITHOUT_PAYMENT, PAYMENT_AMOUNT, RECONCILED_AMOUNT, JOURNAL_AMOUNT,
    STATEMENT_AMOUNT, STATEMENT_TWICE, VOID_NOT_REVERSED, VOID_IN_JOURNAL,
    PAYMENT_WITHOUT_RECEIPT, STATEMENT_UNMATCHED, JOURNAL_WITHOUT_RECEIPT,
]

CHANNEL_ORDER = [code for code, _name, _kind, _t, _j in CHANNELS]


def _order(code):
    return CHANNEL_ORDER.index(code) if code in CHANNEL_ORDER else len(CHANNEL_ORDER)


class _Books(object):
    """The running totals and issues of one reconciliation."""

    def __init__(self, payments, statement_lines, precision):
        self.precision = precision
        self.payments = {p.key: p for p in payments}
        self.statement_lines = {s.key: s for s in statement_lines}
        self.issues = []
        self.sums = {}
        self.receipt_payments = set()
        self.statement_receipts = OrderedDict()

    def m(self, value):
        return money(value or 0, self.precision)

    def issue(self, code, channel, amount, expected, **refs):
        self.issues.append(Issue(code, channel, self.m(amount), expected, **refs))

    def total(self, channel):
        if channel not in self.sums:
            self.sums[channel] = dict(
                receipt_count=0, receipt_amount=ZERO, allocated=ZERO,
                payment_amount=ZERO, statement_amount=ZERO,
                reconciled_amount=ZERO, journal_amount=ZERO)
        return self.sums[channel]

    def void_receipt(self, receipt, payment):
        if payment is None:
            return
        if payment.posted and not payment.reversed:
            self.issue(VOID_NOT_REVERSED, receipt.channel, payment.amount, ZERO,
                       receipt=receipt.key, payment=payment.key)
        elif self.m(payment.journal) != 0:
            self.issue(VOID_IN_JOURNAL, receipt.channel, payment.journal, ZERO,
                       receipt=receipt.key, payment=payment.key)

    def statement(self, receipt, row, amount):
        self.statement_receipts.setdefault(receipt.statement_line, []).append(
            receipt)
        line = self.statement_lines.get(receipt.statement_line)
        if line is None:
            return
        row["statement_amount"] += self.m(line.amount)
        if self.m(line.amount) != amount:
            self.issue(STATEMENT_AMOUNT, receipt.channel, line.amount, amount,
                       receipt=receipt.key, statement_line=line.key)

    def receipt(self, receipt):
        m = self.m
        if receipt.payment is not None:
            self.receipt_payments.add(receipt.payment)
        payment = self.payments.get(receipt.payment)
        if receipt.voided:
            self.void_receipt(receipt, payment)
            return
        amount = m(receipt.amount)
        row = self.total(receipt.channel)
        row["receipt_count"] += 1
        row["receipt_amount"] += amount
        row["allocated"] += m(receipt.allocated)
        if receipt.statement_line is not None:
            self.statement(receipt, row, amount)
        if payment is None or not payment.posted or payment.reversed:
            self.issue(RECEIPT_WITHOUT_PAYMENT, receipt.channel, ZERO, amount,
                       receipt=receipt.key,
                       payment=payment.key if payment is not None else None)
            return
        row["payment_amount"] += m(payment.amount)
        row["reconciled_amount"] += m(payment.reconciled)
        refs = dict(receipt=receipt.key, payment=payment.key)
        if m(payment.amount) != amount:
            self.issue(PAYMENT_AMOUNT, receipt.channel, payment.amount, amount,
                       **refs)
        if m(payment.reconciled) != m(receipt.allocated):
            self.issue(RECONCILED_AMOUNT, receipt.channel, payment.reconciled,
                       m(receipt.allocated), **refs)
        if m(payment.journal) != amount:
            self.issue(JOURNAL_AMOUNT, receipt.channel, payment.journal, amount,
                       **refs)

    def statements_twice(self):
        for key, matched in self.statement_receipts.items():
            if len(matched) > 1:
                line = self.statement_lines.get(key)
                self.issue(
                    STATEMENT_TWICE, matched[0].channel,
                    sum((self.m(r.amount) for r in matched), ZERO),
                    self.m(line.amount) if line is not None else None,
                    receipt=tuple(r.key for r in matched), statement_line=key)

    def payment(self, payment):
        self.total(payment.channel)["journal_amount"] += self.m(payment.journal)
        if payment.key in self.receipt_payments:
            return
        if payment.posted and not payment.reversed:
            self.issue(PAYMENT_WITHOUT_RECEIPT, payment.channel, payment.amount,
                       ZERO, payment=payment.key)
        elif self.m(payment.journal) != 0:
            self.issue(JOURNAL_WITHOUT_RECEIPT, payment.channel, payment.journal,
                       ZERO, payment=payment.key)

    def unmatched(self, line):
        if line.key not in self.statement_receipts and not line.reconciled:
            self.issue(STATEMENT_UNMATCHED, line.channel, line.amount, ZERO,
                       statement_line=line.key)

    def entry(self, entry):
        self.total(entry.channel)["journal_amount"] += self.m(entry.amount)
        if self.m(entry.amount) != 0:
            self.issue(JOURNAL_WITHOUT_RECEIPT, entry.channel, entry.amount,
                       ZERO, move=entry.key)

    def report(self):
        totals = [
            Totals(channel, row["receipt_count"], row["receipt_amount"],
                   row["allocated"], row["receipt_amount"] - row["allocated"],
                   row["payment_amount"], row["statement_amount"],
                   row["reconciled_amount"], row["journal_amount"])
            for channel, row in sorted(self.sums.items(),
                                       key=lambda kv: _order(kv[0]))]
        issues = sorted(self.issues, key=lambda i: (ISSUE_CODES.index(i.code),
                                                    _order(i.channel)))
        tied = not issues and all(
            t.receipt_amount == t.payment_amount == t.journal_amount
            and t.allocated == t.reconciled_amount for t in totals)
        return Report(totals, issues, tied)


def reconcile(receipts, payments=(), statement_lines=(), journal_entries=(),
              precision="0.01"):
    """Totals per channel and the differences of one period.

    - every non-void receipt needs a posted, unreversed payment of the same
      amount, whose liquidity lines in the period equal it and whose
      receivable was reconciled with bills for the amount the receipt
      allocated (the rest is the payer's advance credit);
    - a receipt's statement line carries the receipt's amount, and serves
      one receipt only;
    - a void receipt's payment is reversed, and leaves nothing in the
      period's journal items;
    - a posted payment on a channel journal has a receipt; a statement line
      has a receipt or was reconciled otherwise; a journal entry on a channel
      journal is a receipt's payment.

    Totals count non-void receipts and what belongs to them; the journal
    total is every liquidity line of the channel's journals in the period.

    >>> r = reconcile([Receipt(1, "cash", D("10"), D("10"), False, None)])
    >>> [(i.code, str(i.expected)) for i in r.issues]
    [('receipt_without_payment', '10.00')]
    """
    books = _Books(payments, statement_lines, precision)
    for receipt in receipts:
        books.receipt(receipt)
    books.statements_twice()
    for payment in payments:
        books.payment(payment)
    for line in statement_lines:
        books.unmatched(line)
    for entry in journal_entries:
        books.entry(entry)
    return books.report()
