"""Instalment plans (分期): split and follow (property_dunning.rules.instalments)."""
import doctest
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from property_dunning.rules import instalments
from property_dunning.rules.instalments import (
    InstalmentRuleError, Payment, PlanStatus, split, status)

START = date(2026, 5, 6)


def test_doctests():
    assert doctest.testmod(instalments, optionflags=doctest.ELLIPSIS).failed == 0


def _rows(plan):
    return [(i.number, str(i.due), str(i.amount)) for i in plan]


@pytest.mark.parametrize("total, start, kwargs, rows", [
    # 1000.00 / 3 = 333.333.. -> 333.33 twice, the last 1000.00 - 666.66 = 333.34
    ("1000.00", START, {"count": 3, "first_due": date(2026, 5, 31)},
     [(1, "2026-05-31", "333.33"), (2, "2026-06-30", "333.33"),
      (3, "2026-07-31", "333.34")]),
    # 100 / 4 = 25 exactly; the 31st clamps to each month's end
    ("100", date(2026, 1, 1), {"count": 4, "first_due": date(2026, 1, 31)},
     [(1, "2026-01-31", "25.00"), (2, "2026-02-28", "25.00"),
      (3, "2026-03-31", "25.00"), (4, "2026-04-30", "25.00")]),
    # 2.00 / 3 = 0.666.. -> 0.66 twice (rounded down), the last 2.00 - 1.32 = 0.68
    ("2.00", START, {"count": 3, "first_due": START},
     [(1, "2026-05-06", "0.66"), (2, "2026-06-06", "0.66"),
      (3, "2026-07-06", "0.68")]),
    # 0.05 / 4 = 0.0125 -> 0.01 three times, the last 0.05 - 0.03 = 0.02
    ("0.05", START, {"count": 4, "first_due": date(2026, 6, 1)},
     [(1, "2026-06-01", "0.01"), (2, "2026-07-01", "0.01"),
      (3, "2026-08-01", "0.01"), (4, "2026-09-01", "0.02")]),
    # the arrears rounded half up first: 100.005 -> 100.01; / 2 -> 50.00, 50.01
    ("100.005", START, {"count": 2, "first_due": date(2026, 6, 1)},
     [(1, "2026-06-01", "50.00"), (2, "2026-07-01", "50.01")]),
    # one instalment: the whole arrears; the first due date may be the start
    ("501.20", START, {"count": 1, "first_due": START},
     [(1, "2026-05-06", "501.20")]),
    # over the year's end, on the 30th; a leap February
    ("90", date(2026, 11, 1), {"count": 3, "first_due": date(2026, 11, 30)},
     [(1, "2026-11-30", "30.00"), (2, "2026-12-30", "30.00"),
      (3, "2027-01-30", "30.00")]),
    ("20", date(2028, 1, 1), {"count": 2, "first_due": date(2028, 1, 31)},
     [(1, "2028-01-31", "10.00"), (2, "2028-02-29", "10.00")]),
    # given dates, equal amounts: 100 / 3 -> 33.33, 33.33, 33.34
    ("100", START, {"dates": [date(2026, 5, 10), date(2026, 5, 20),
                              date(2026, 6, 15)]},
     [(1, "2026-05-10", "33.33"), (2, "2026-05-20", "33.33"),
      (3, "2026-06-15", "33.34")]),
    # custom amounts: 60 + 40 = 100
    ("100", START, {"dates": [date(2026, 5, 10), date(2026, 6, 10)],
                    "amounts": [D("60"), D("40")]},
     [(1, "2026-05-10", "60.00"), (2, "2026-06-10", "40.00")]),
])
def test_split(total, start, kwargs, rows):
    plan = split(D(total), start, **kwargs)
    assert _rows(plan) == rows


JUNE = date(2026, 6, 10)
JULY = date(2026, 7, 10)


@pytest.mark.parametrize("total, kwargs, code, params", [
    ("0", {"count": 2, "first_due": JUNE}, "not_positive", {"total": D("0.00")}),
    ("-5", {"count": 2, "first_due": JUNE}, "not_positive", {"total": D("-5.00")}),
    ("100", {"count": 0, "first_due": JUNE}, "no_instalments", {}),
    ("100", {"dates": []}, "no_instalments", {}),
    ("100", {}, "bad_arguments", {}),
    ("100", {"count": 2}, "bad_arguments", {}),
    ("100", {"count": 2, "first_due": JUNE, "dates": [JUNE]}, "bad_arguments", {}),
    # 0.03 in 4 instalments cannot give each one at least a cent
    ("0.03", {"count": 4, "first_due": JUNE}, "too_many",
     {"count": 4, "total": D("0.03")}),
    # the plan starts May 6: nothing due May 5
    ("100", {"count": 2, "first_due": date(2026, 5, 5)}, "before_start",
     {"number": 1, "due": date(2026, 5, 5), "start": START}),
    ("100", {"dates": [JUNE, JUNE]}, "same_date", {"number": 2, "due": JUNE}),
    ("100", {"dates": [JULY, JUNE]}, "not_in_order",
     {"number": 2, "due": JUNE, "previous": JULY}),
    ("100", {"dates": [JUNE, JULY], "amounts": [D("100")]}, "count_mismatch",
     {"dates": 2, "amounts": 1}),
    # 120 + (-20) = 100, but no instalment may be negative or zero
    ("100", {"dates": [JUNE, JULY], "amounts": [D("120"), D("-20")]},
     "amount_not_positive", {"number": 2, "amount": D("-20.00")}),
    ("100", {"dates": [JUNE, JULY], "amounts": [D("100"), D("0")]},
     "amount_not_positive", {"number": 2, "amount": D("0.00")}),
    # 60 + 30 = 90: 10.00 short, refused rather than adjusted
    ("100", {"dates": [JUNE, JULY], "amounts": [D("60"), D("30")]},
     "sum_mismatch", {"total": D("100.00"), "amounts": D("90.00"),
                      "difference": D("10.00")}),
    # 60 + 40.01 = 100.01: one cent over
    ("100", {"dates": [JUNE, JULY], "amounts": [D("60"), D("40.01")]},
     "sum_mismatch", {"total": D("100.00"), "amounts": D("100.01"),
                      "difference": D("-0.01")}),
])
def test_split_refusals(total, kwargs, code, params):
    with pytest.raises(InstalmentRuleError) as error:
        split(D(total), START, **kwargs)
    assert (error.value.code, error.value.params) == (code, params)


# 300 in three instalments of 100 due Jun 10, Jul 10, Aug 10; 5 grace days:
# deadlines Jun 15, Jul 15, Aug 15
PLAN = split(D("300"), date(2026, 6, 1), count=3, first_due=date(2026, 6, 10))


def pay(*rows):
    return [Payment(day, D(amount)) for day, amount in rows]


@pytest.mark.parametrize("payments, on, expected", [
    # nothing paid, Jun 15 is the last grace day: still good; 100 overdue
    ([], date(2026, 6, 15), ("good", None, None, "0.00", "300.00", "100.00")),
    # Jun 16: broken by the first instalment, from that day
    ([], date(2026, 6, 16),
     ("broken", 1, date(2026, 6, 16), "0.00", "300.00", "100.00")),
    # before the first due date nothing is overdue
    ([], date(2026, 6, 10), ("good", None, None, "0.00", "300.00", "0.00")),
    # paid on the last grace day: kept; Jul 15: 200 due, 100 paid, 100 overdue
    (pay((date(2026, 6, 15), "100")), date(2026, 7, 15),
     ("good", None, None, "100.00", "200.00", "100.00")),
    # Jul 16: the second deadline passed with 100 < 200 paid
    (pay((date(2026, 6, 15), "100")), date(2026, 7, 16),
     ("broken", 2, date(2026, 7, 16), "100.00", "200.00", "100.00")),
    # paid ahead: 250 covers Jun (100) and Jul (200) cumulatively
    (pay((date(2026, 6, 1), "250")), date(2026, 8, 1),
     ("good", None, None, "250.00", "50.00", "0.00")),
    # part payments catching up by each deadline: 50 + 50 by Jun 15, +100 Jul 15
    (pay((date(2026, 6, 10), "50"), (date(2026, 6, 15), "50"),
         (date(2026, 7, 15), "100")), date(2026, 7, 20),
     ("good", None, None, "200.00", "100.00", "0.00")),
    # one day late: broken, and paying later does not mend it
    (pay((date(2026, 6, 16), "100")), date(2026, 7, 1),
     ("broken", 1, date(2026, 6, 16), "100.00", "200.00", "0.00")),
    # every instalment on its due date: completed
    (pay((date(2026, 6, 10), "100"), (date(2026, 7, 10), "100"),
         (date(2026, 8, 10), "100")), date(2026, 8, 11),
     ("completed", None, None, "300.00", "0.00", "0.00")),
    # paid in full on the first day; overpaid: still completed, nothing due
    (pay((date(2026, 6, 1), "300")), date(2026, 6, 2),
     ("completed", None, None, "300.00", "0.00", "0.00")),
    (pay((date(2026, 6, 1), "350")), date(2026, 9, 1),
     ("completed", None, None, "350.00", "0.00", "0.00")),
    # paid in full Jun 20, after the first deadline was missed: broken
    (pay((date(2026, 6, 20), "300")), date(2026, 6, 21),
     ("broken", 1, date(2026, 6, 16), "300.00", "0.00", "0.00")),
    # a payment after the day asked about does not count yet
    (pay((date(2026, 6, 20), "100")), date(2026, 6, 14),
     ("good", None, None, "0.00", "300.00", "100.00")),
])
def test_status(payments, on, expected):
    result = status(PLAN, payments, on, grace_days=5)
    state, broken_by, broken_on, paid, remaining, overdue = expected
    assert result == PlanStatus(state, broken_by, broken_on, D(paid), D(remaining),
                                D(overdue))


def test_without_grace_the_day_after_the_due_date_breaks():
    # due Jun 10, no grace: Jun 10 is still good, Jun 11 broken
    assert status(PLAN, [], date(2026, 6, 10)).state == "good"
    result = status(PLAN, [], date(2026, 6, 11))
    assert (result.state, result.broken_by, result.broken_on) == (
        "broken", 1, date(2026, 6, 11))


@pytest.mark.parametrize("grace, payments, code", [
    (-1, [], "negative_grace"),
    (0, pay((date(2026, 6, 1), "0")), "payment_not_positive"),
    (0, pay((date(2026, 6, 1), "-10")), "payment_not_positive"),
])
def test_status_refusals(grace, payments, code):
    with pytest.raises(InstalmentRuleError) as error:
        status(PLAN, payments, date(2026, 6, 1), grace_days=grace)
    assert error.value.code == code


cents = st.integers(min_value=1, max_value=10 ** 8).map(lambda c: D(c) / 100)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@given(cents, st.integers(1, 36), days, st.integers(0, 60))
def test_split_adds_up_exactly(total, count, start, lead):
    if total < count * D("0.01"):
        with pytest.raises(InstalmentRuleError):
            split(total, start, count=count, first_due=start + timedelta(lead))
        return
    plan = split(total, start, count=count, first_due=start + timedelta(lead))
    amounts = [i.amount for i in plan]
    dues = [i.due for i in plan]
    assert sum(amounts) == total
    assert len(plan) == count
    # equal but for the last, which takes the rounding (less than a cent each)
    assert len(set(amounts[:-1])) <= 1
    assert 0 <= amounts[-1] - amounts[0] < count * D("0.01")
    assert all(amount > 0 for amount in amounts)
    # never before the start, never two on one day
    assert dues[0] >= start
    assert all(a < b for a, b in zip(dues, dues[1:]))


@given(cents, st.integers(1, 12), days, st.integers(0, 10),
       st.integers(0, 400))
def test_paying_each_instalment_on_time_keeps_the_plan(total, count, start, grace,
                                                       offset):
    if total < count * D("0.01"):
        return
    plan = split(total, start, count=count, first_due=start)
    on = start + timedelta(offset)
    payments = [Payment(i.due + timedelta(grace), i.amount) for i in plan]
    result = status(plan, payments, on, grace_days=grace)
    assert result.state in ("good", "completed")
    assert result.paid + result.remaining == total
    assert result.state == ("completed" if on >= plan[-1].due + timedelta(grace)
                            else "good")
    # one cent short on the first instalment: broken once its deadline passed
    short = [payments[0]._replace(amount=payments[0].amount - D("0.01"))]
    short += payments[1:]
    if short[0].amount > 0:
        result = status(plan, short, on, grace_days=grace)
        broken = on > plan[0].due + timedelta(grace)
        assert (result.state == "broken") is broken
        if broken:
            assert result.broken_by == 1
