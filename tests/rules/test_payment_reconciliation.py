"""The period reconciliation (property_payment.rules.reconciliation)."""
import doctest
from decimal import Decimal as D

from property_payment.rules import reconciliation as rec
from property_payment.rules.reconciliation import (
    JournalEntry, Payment, Receipt, StatementLine)


def test_doctests():
    assert doctest.testmod(rec).failed == 0


def _period():
    """Cash paid in full, WeChat in part with advance, a transfer matched to
    its statement line, and a void receipt whose payment was reversed."""
    receipts = [
        Receipt(1, "cash", D("250.60"), D("250.60"), False, 11),
        Receipt(2, "wechat", D("100.00"), D("100.00"), False, 12),
        Receipt(3, "transfer", D("300.00"), D("250.60"), False, 13, 21),
        Receipt(4, "cash", D("50.00"), D("50.00"), True, 14),
    ]
    payments = [
        Payment(11, "cash", D("250.60"), True, False, D("250.60"), D("250.60")),
        Payment(12, "wechat", D("100.00"), True, False, D("100.00"), D("100.00")),
        Payment(13, "transfer", D("300.00"), True, False, D("250.60"),
                D("300.00")),
        Payment(14, "cash", D("50.00"), False, True, D("0"), D("0")),
    ]
    lines = [StatementLine(21, "transfer", D("300.00"), True)]
    return receipts, payments, lines


def test_a_clean_period_ties_out():
    report = rec.reconcile(*_period())
    assert report.issues == []
    assert report.tied
    by_channel = {t.channel: t for t in report.totals}
    assert [t.channel for t in report.totals] == ["cash", "wechat", "transfer"]
    cash = by_channel["cash"]
    assert (cash.receipt_count, cash.receipt_amount, cash.payment_amount,
            cash.journal_amount) == (1, D("250.60"), D("250.60"), D("250.60"))
    transfer = by_channel["transfer"]
    assert transfer.advance == D("49.40")
    assert transfer.statement_amount == D("300.00")
    assert transfer.reconciled_amount == D("250.60")
    assert sum(t.receipt_amount for t in report.totals) == sum(
        t.payment_amount for t in report.totals) == sum(
        t.journal_amount for t in report.totals) == D("650.60")


def _codes(report):
    return [(i.code, i.channel, i.amount, i.expected) for i in report.issues]


def test_payment_without_receipt_is_listed():
    receipts, payments, lines = _period()
    payments.append(Payment(99, "cash", D("5.00"), True, False, D("0"), D("5")))
    report = rec.reconcile(receipts, payments, lines)
    assert not report.tied
    assert _codes(report) == [
        (rec.PAYMENT_WITHOUT_RECEIPT, "cash", D("5.00"), D("0.00"))]
    assert {t.channel: t.journal_amount for t in report.totals}["cash"] == D(
        "255.60")


def test_void_receipt_with_posted_payment():
    receipts, payments, lines = _period()
    payments[3] = Payment(14, "cash", D("50.00"), True, False, D("50"), D("50"))
    report = rec.reconcile(receipts, payments, lines)
    assert _codes(report) == [
        (rec.VOID_NOT_REVERSED, "cash", D("50.00"), D("0.00"))]
    assert report.issues[0].receipt == 4


def test_void_receipt_reversed_in_another_period():
    receipts, payments, lines = _period()
    payments[3] = Payment(14, "cash", D("50.00"), True, True, D("0"), D("50"))
    report = rec.reconcile(receipts, payments, lines)
    assert _codes(report) == [
        (rec.VOID_IN_JOURNAL, "cash", D("50.00"), D("0.00"))]


def test_receipt_without_payment_and_amounts_that_differ():
    receipts, payments, lines = _period()
    receipts[0] = receipts[0]._replace(payment=None)
    payments[1] = payments[1]._replace(amount=D("99.00"), journal=D("99.00"))
    payments[2] = payments[2]._replace(reconciled=D("200.00"))
    payments.pop(0)
    report = rec.reconcile(receipts, payments, lines)
    assert _codes(report) == [
        (rec.RECEIPT_WITHOUT_PAYMENT, "cash", D("0.00"), D("250.60")),
        (rec.PAYMENT_AMOUNT, "wechat", D("99.00"), D("100.00")),
        (rec.RECONCILED_AMOUNT, "transfer", D("200.00"), D("250.60")),
        (rec.JOURNAL_AMOUNT, "wechat", D("99.00"), D("100.00")),
    ]


def test_statement_lines_matched_twice_unmatched_and_differing():
    receipts, payments, lines = _period()
    receipts.append(Receipt(5, "transfer", D("300.00"), D("0"), False, 15, 21))
    payments.append(Payment(15, "transfer", D("300.00"), True, False, D("0"),
                            D("300.00")))
    lines += [StatementLine(22, "transfer", D("42.00"), False),
              StatementLine(23, "transfer", D("7.00"), True)]  # bank fee, booked
    report = rec.reconcile(receipts, payments, lines)
    assert _codes(report) == [
        (rec.STATEMENT_TWICE, "transfer", D("600.00"), D("300.00")),
        (rec.STATEMENT_UNMATCHED, "transfer", D("42.00"), D("0.00")),
    ]
    assert report.issues[0].receipt == (3, 5)


def test_journal_entry_without_receipt():
    receipts, payments, lines = _period()
    report = rec.reconcile(receipts, payments, lines,
                           [JournalEntry(31, "wechat", D("-20.00")),
                            JournalEntry(32, "wechat", D("0"))])
    assert _codes(report) == [
        (rec.JOURNAL_WITHOUT_RECEIPT, "wechat", D("-20.00"), D("0.00"))]
    assert {t.channel: t.journal_amount for t in report.totals}["wechat"] == D(
        "80.00")


def test_an_empty_period_ties_out():
    report = rec.reconcile([])
    assert report == rec.Report([], [], True)
