"""Advance credit (预存): pairing credits with bills, balances at a date."""
import doctest
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from property_payment.rules import advance
from property_payment.rules.advance import Bill, Credit


def test_doctests():
    result = doctest.testmod(advance, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("credits, bills, expected", [
    # an overpayment of 249.40 meets next month's 250.60 bill: part paid
    ([("p1", "249.40")], [("apr", "250.60", date(2026, 4, 16))],
     [("p1", "apr", "249.40")]),
    # more credit than bills: the bills are paid, the rest stays credit
    ([("p1", "500.00")], [("apr", "250.60", date(2026, 4, 16))],
     [("p1", "apr", "250.60")]),
    # oldest bill first, whatever order they come in
    ([("p1", "100.00")], [("apr", "80.00", date(2026, 4, 16)),
                          ("mar", "50.00", date(2026, 3, 16))],
     [("p1", "mar", "50.00"), ("p1", "apr", "50.00")]),
    # oldest credit first; one bill takes two credits
    ([("p1", "30.00"), ("p2", "30.00")], [("mar", "50.00", date(2026, 3, 16))],
     [("p1", "mar", "30.00"), ("p2", "mar", "20.00")]),
    # spent credits (zero) are skipped
    ([("p0", "0"), ("p1", "10.00")], [("mar", "50.00", date(2026, 3, 16))],
     [("p1", "mar", "10.00")]),
    # paid bills are skipped
    ([("p1", "10.00")], [("mar", "0.00", date(2026, 3, 16)),
                         ("apr", "50.00", date(2026, 4, 16))],
     [("p1", "apr", "10.00")]),
    # nothing to apply
    ([], [("mar", "50.00", date(2026, 3, 16))], []),
    ([("p1", "10.00")], [], []),
])
def test_apply_credit(credits, bills, expected):
    result = advance.apply_credit(
        [Credit(key, D(amount)) for key, amount in credits],
        [Bill(key, D(residual), due) for key, residual, due in bills])
    assert [(a.credit, a.bill, str(a.amount)) for a in result] == expected


def test_pair_refuses_to_spend_credit_that_is_not_there():
    lines = [advance.AllocationLine("mar", D("60.00"), True)]
    with pytest.raises(advance.AdvanceRuleError) as error:
        advance.pair([Credit("p1", D("59.99"))], lines)
    assert error.value.code == advance.OVER_APPLIED
    assert error.value.params == {"bill": "mar", "missing": D("0.01")}


@pytest.mark.parametrize("amounts, expected", [
    (["250.60", "-500.00"], "249.40"),   # overpaid: credit
    (["250.60", "-250.60"], "0.00"),     # settled
    (["250.60", "-100.00"], "0.00"),     # arrears are not negative credit
    ([], "0.00"),
    (["-0.005"], "0.01"),
])
def test_balance_at(amounts, expected):
    assert advance.balance_at([D(a) for a in amounts]) == D(expected)


cents = st.integers(min_value=0, max_value=10 ** 7).map(lambda c: D(c) / 100)


@given(st.lists(cents, max_size=6), st.lists(cents, max_size=6))
def test_applications_never_exceed_credit_or_bills(credit_amounts, residuals):
    credits = [Credit(i, amount) for i, amount in enumerate(credit_amounts)]
    bills = [Bill("b%d" % i, residual, date(2026, 1 + i, 1))
             for i, residual in enumerate(residuals)]
    result = advance.apply_credit(credits, bills)
    applied = sum((a.amount for a in result), D(0))
    assert applied == min(sum(credit_amounts, D(0)), sum(residuals, D(0)))
    for credit in credits:
        used = sum((a.amount for a in result if a.credit == credit.key), D(0))
        assert used <= credit.amount
    for bill in bills:
        paid = sum((a.amount for a in result if a.bill == bill.key), D(0))
        assert paid <= bill.residual
    assert all(a.amount > 0 for a in result)
