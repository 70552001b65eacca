"""Which bills a payment settles (property_payment.rules.allocation) and the
channels (property_payment.rules.channels)."""
import doctest
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from property_payment.rules import allocation, channels
from property_payment.rules.allocation import Bill, PaymentRuleError, allocate

JAN = Bill(1, D("60.00"), date(2026, 1, 31), date(2026, 1, 1), "INV/0001")
FEB = Bill(2, D("40.50"), date(2026, 2, 28), date(2026, 2, 1), "INV/0002")
MAR = Bill(3, D("100.00"), date(2026, 3, 31), date(2026, 3, 1), "INV/0003")


def test_doctests():
    assert doctest.testmod(allocation).failed == 0
    assert doctest.testmod(channels).failed == 0


def _lines(result):
    return [(line.key, str(line.amount), line.settles) for line in result.lines]


@pytest.mark.parametrize("amount, chosen, lines, advance", [
    # oldest first, whatever order the bills come in; the last one in part
    ("150", None, [(1, "60.00", True), (2, "40.50", True),
                   (3, "49.50", False)], "0.00"),
    ("60", None, [(1, "60.00", True)], "0.00"),
    ("0.01", None, [(1, "0.01", False)], "0.00"),
    # everything paid: the rest is advance credit, never refused
    ("250", None, [(1, "60.00", True), (2, "40.50", True),
                   (3, "100.00", True)], "49.50"),
    # the chosen bills only, in the order chosen; the rest is advance credit
    ("140.50", [3, 2], [(3, "100.00", True), (2, "40.50", True)], "0.00"),
    ("150", [3], [(3, "100.00", True)], "50.00"),
    ("50", [3, 1], [(3, "50.00", False)], "0.00"),
    # rounded half up to the cent first
    ("60.005", None, [(1, "60.00", True), (2, "0.01", False)], "0.00"),
])
def test_allocation_table(amount, chosen, lines, advance):
    result = allocate(D(amount), [MAR, JAN, FEB], chosen=chosen)
    assert _lines(result) == lines
    assert result.advance == D(advance)
    assert result.allocated + result.advance == allocation.money(amount)


def test_due_date_orders_before_bill_date_and_number():
    late_issued = Bill(4, D("10"), date(2026, 1, 15), date(2026, 1, 10), "Z")
    same_due = Bill(5, D("10"), date(2026, 1, 15), date(2026, 1, 5), "Y")
    undated = Bill(6, D("10"), None, None, "A")
    result = allocate(D("30"), [undated, late_issued, same_due])
    assert [line.key for line in result.lines] == [5, 4, 6]


def test_bills_with_nothing_due_are_skipped():
    paid = Bill(7, D("0"), date(2025, 12, 31), None, "")
    result = allocate(D("10"), [paid, JAN])
    assert [line.key for line in result.lines] == [1]


@pytest.mark.parametrize("amount", ["0", "-1", "0.004", "-0.01"])
def test_zero_and_negative_amounts_are_refused(amount):
    with pytest.raises(PaymentRuleError) as error:
        allocate(D(amount), [JAN])
    assert error.value.code == allocation.NOT_POSITIVE


def test_chosen_bill_not_open_or_twice_is_refused():
    paid = Bill(7, D("0"), date(2025, 12, 31), None, "")
    with pytest.raises(PaymentRuleError) as error:
        allocate(D("10"), [JAN, paid], chosen=[7])
    assert (error.value.code, error.value.params) == (
        allocation.NOT_OPEN, {"key": 7})
    with pytest.raises(PaymentRuleError) as error:
        allocate(D("10"), [JAN], chosen=[99])
    assert error.value.code == allocation.NOT_OPEN
    with pytest.raises(PaymentRuleError) as error:
        allocate(D("10"), [JAN, FEB], chosen=[1, 1])
    assert error.value.code == allocation.DUPLICATE_BILL


@pytest.mark.parametrize("tendered, amount, change", [
    ("100", "100", "0.00"), ("200", "180.50", "19.50"), ("50.005", "50", "0.01"),
])
def test_change(tendered, amount, change):
    assert allocation.change_due(D(tendered), D(amount)) == D(change)


def test_short_tender_is_refused():
    with pytest.raises(PaymentRuleError) as error:
        allocation.change_due(D("99.99"), D("100"))
    assert error.value.code == allocation.TENDERED_SHORT


@pytest.mark.parametrize("amount, totals, shares", [
    ("100.00", ["100.00", "50.00"], ["66.67", "33.33"]),
    ("150.00", ["100.00", "50.00"], ["100.00", "50.00"]),
    ("0.01", ["1.00", "1.00"], ["0.01", "0.00"]),
    ("10.00", ["3.33", "3.33", "3.34"], ["3.33", "3.33", "3.34"]),
    ("5.00", ["0.00", "0.00"], ["5.00", "0.00"]),
])
def test_split_over_lines(amount, totals, shares):
    assert allocation.split_over_lines(D(amount), [D(t) for t in totals]) == [
        D(s) for s in shares]


cents = st.integers(min_value=1, max_value=10 ** 8).map(lambda c: D(c) / 100)
bills = st.lists(st.tuples(
    st.integers(min_value=0, max_value=10 ** 7),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))),
    max_size=12)


@given(cents, bills)
def test_allocation_never_loses_or_overpays(amount, rows):
    open_bills = [Bill(key, D(c) / 100, due, None, "")
                  for key, (c, due) in enumerate(rows)]
    result = allocate(amount, open_bills)
    by_key = {bill.key: bill for bill in open_bills}
    # every cent is on a bill or is advance credit
    assert sum((line.amount for line in result.lines), D(0)) + result.advance \
        == amount
    for line in result.lines:
        assert D("0.01") <= line.amount <= by_key[line.key].residual
    # only the last bill reached may be paid in part, and only when the money
    # ran out; credit remains only when every bill is settled
    assert all(line.settles for line in result.lines[:-1])
    if result.advance:
        assert all(line.settles for line in result.lines)
        assert len(result.lines) == len([b for b in open_bills if b.residual])
    # oldest first
    dues = [by_key[line.key].due for line in result.lines]
    assert dues == sorted(dues)


@given(cents, st.lists(cents, min_size=1, max_size=8))
def test_split_adds_up(amount, totals):
    shares = allocation.split_over_lines(amount, totals)
    assert sum(shares, D(0)) == amount
    assert all(share >= 0 for share in shares)
