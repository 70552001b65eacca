"""Collection analysis figures (property_collection.rules.collection), by
hand-computed tables."""
import doctest
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from property_collection.rules import collection
from property_collection.rules.collection import (
    BUCKET_CODES, Bill, ageing, ageing_bucket, arrears, arrears_recovery,
    Step, collected, collection_curve, collection_rate, dunning_effectiveness,
    outstanding, payer_type, share, step_recovered)

D = date


def money(text):
    return Decimal(text)


def bill(key, period, amount, payments=(), billed=None, due=None):
    """A bill of ``period`` ("2026-03"), billed on the 1st and due on the
    last day of the month unless told."""
    year, month = (int(part) for part in period.split("-"))
    first = D(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(
        day=1) - timedelta(days=1)
    return Bill(key, period, billed or first, due or last, money(amount),
                [(day, money(paid)) for day, paid in payments])


def test_doctests():
    assert doctest.testmod(collection).failed == 0


# ---------------------------------------------------------------- share

@pytest.mark.parametrize("part, whole, expected", [
    ("0", "100", "0.0000"),
    ("100", "100", "1.0000"),
    ("1", "3", "0.3333"),
    ("2", "3", "0.6667"),
    # half up on the fifth place
    ("1", "80000", "0.0000"),
    ("1", "16000", "0.0001"),
    ("912.50", "1000.00", "0.9125"),
])
def test_share(part, whole, expected):
    assert share(money(part), money(whole)) == money(expected)


def test_share_of_nothing_is_none():
    assert share(money("0"), money("0")) is None


# ------------------------------------------------------ collected, outstanding

@pytest.mark.parametrize("payments, as_of, paid, owed", [
    ([], D(2026, 3, 31), "0.00", "200.00"),
    # a payment counts from its own day on
    ([(D(2026, 3, 20), "150.00")], D(2026, 3, 19), "0.00", "200.00"),
    ([(D(2026, 3, 20), "150.00")], D(2026, 3, 20), "150.00", "50.00"),
    # two part payments add up
    ([(D(2026, 3, 20), "150.00"), (D(2026, 4, 2), "50.00")], D(2026, 4, 2),
     "200.00", "0.00"),
    # never more than the bill (an overpayment is credit, elsewhere)
    ([(D(2026, 3, 5), "250.00")], D(2026, 3, 31), "200.00", "0.00"),
])
def test_collected_and_outstanding(payments, as_of, paid, owed):
    march = bill("INV/1", "2026-03", "200.00", payments)
    assert collected(march, as_of) == money(paid)
    assert outstanding(march, as_of) == money(owed)


# ---------------------------------------------------------------- ageing

@pytest.mark.parametrize("as_of, bucket", [
    # due 2026-03-31: not overdue that day
    (D(2026, 3, 1), "not_due"),
    (D(2026, 3, 31), "not_due"),
    (D(2026, 4, 1), "0-30"),        # day 1
    (D(2026, 4, 30), "0-30"),       # day 30
    (D(2026, 5, 1), "31-90"),       # day 31
    (D(2026, 6, 29), "31-90"),      # day 90
    (D(2026, 6, 30), "91-180"),     # day 91
    (D(2026, 9, 27), "91-180"),     # day 180
    (D(2026, 9, 28), "181-365"),    # day 181
    (D(2027, 3, 31), "181-365"),    # day 365
    (D(2027, 4, 1), "365+"),        # day 366
])
def test_ageing_bucket_edges(as_of, bucket):
    assert ageing_bucket(bill("INV/1", "2026-03", "100.00"), as_of) == bucket


def test_ageing_totals_what_is_owed_in_each_bucket():
    as_of = D(2026, 6, 15)
    bills = [
        bill("JAN", "2026-01", "100.00"),                     # 135 days
        bill("MAR", "2026-03", "100.00",
             [(D(2026, 4, 10), "40.00")]),                    # 76 days, 60 owed
        bill("MAY", "2026-05", "100.00"),                     # 15 days
        bill("JUN", "2026-06", "100.00"),                     # not due
        bill("APR", "2026-04", "100.00",
             [(D(2026, 5, 2), "100.00")]),                    # paid: nothing
        bill("2024", "2024-12", "80.00"),                     # 531 days
        bill("2025", "2025-09", "50.00"),                     # 258 days
    ]
    assert ageing(bills, as_of) == {
        "not_due": money("100.00"), "0-30": money("100.00"),
        "31-90": money("60.00"), "91-180": money("100.00"),
        "181-365": money("50.00"), "365+": money("80.00")}
    assert list(ageing(bills, as_of)) == list(BUCKET_CODES)


def test_ageing_lists_empty_buckets_as_zero():
    assert ageing([], D(2026, 1, 1)) == {
        code: money("0.00") for code in BUCKET_CODES}


# ---------------------------------------------------- current-period rate

def test_collection_rate_of_a_period_as_of_a_day():
    bills = [
        bill("A", "2026-03", "200.00", [(D(2026, 3, 10), "200.00")]),
        bill("B", "2026-03", "300.00", [(D(2026, 3, 25), "100.00"),
                                        (D(2026, 4, 20), "200.00")]),
        bill("C", "2026-03", "500.00"),
        # another period: left out
        bill("D", "2026-02", "1000.00", [(D(2026, 3, 3), "1000.00")]),
    ]
    # 300 of 1,000 by the due date, 500 of 1,000 by April 30
    assert collection_rate(bills, "2026-03", D(2026, 3, 31)) == money("0.3000")
    assert collection_rate(bills, "2026-03", D(2026, 4, 30)) == money("0.5000")
    # before anything was paid
    assert collection_rate(bills, "2026-03", D(2026, 3, 9)) == money("0.0000")


def test_collection_rate_of_a_period_without_bills_is_none():
    assert collection_rate([bill("A", "2026-03", "10.00")], "2026-04",
                           D(2026, 5, 1)) is None


# ---------------------------------------------------------- arrears recovery

def test_arrears_recovery_over_a_month():
    bills = [
        # arrears on May 1: 100 + 250 + 50 = 400
        bill("JAN", "2026-01", "100.00", [(D(2026, 5, 10), "100.00")]),
        bill("FEB", "2026-02", "250.00", [(D(2026, 4, 30), "0.01"),
                                          (D(2026, 5, 31), "49.99"),
                                          (D(2026, 6, 1), "200.00")]),
        bill("MAR", "2026-03", "80.00", [(D(2026, 3, 20), "30.00")]),
        # not due before May: not arrears, its payment does not count
        bill("MAY", "2026-05", "120.00", [(D(2026, 5, 15), "120.00")]),
    ]
    owed, recovered, rate = arrears_recovery(bills, D(2026, 5, 1),
                                             D(2026, 5, 31))
    assert owed == money("399.99")          # 100 + 249.99 + 50
    assert recovered == money("149.99")     # 100 on JAN + 49.99 on FEB
    assert rate == money("0.3750")          # 149.99 / 399.99 = 0.37498...
    assert arrears(bills, D(2026, 5, 1)) == owed


def test_arrears_recovery_without_arrears_is_none():
    bills = [bill("MAY", "2026-05", "120.00")]
    assert arrears_recovery(bills, D(2026, 5, 1), D(2026, 5, 31)) == (
        money("0.00"), money("0.00"), None)


# ---------------------------------------------------------- collection curve

def test_collection_curve_per_billing_month():
    bills = [
        bill("M1", "2026-03", "100.00", [(D(2026, 3, 1), "100.00")]),
        bill("M2", "2026-03", "100.00", [(D(2026, 4, 15), "100.00")]),
        bill("M3", "2026-03", "200.00", [(D(2026, 7, 1), "50.00")]),
        bill("A1", "2026-04", "50.00", [(D(2026, 4, 30), "50.00")]),
        bill("A2", "2026-04", "50.00"),
    ]
    curve = collection_curve(bills)
    assert list(curve) == ["2026-03", "2026-04"]
    # March billed 400 on Mar 1: day 0 100, by day 30 (Mar 31) 100, by
    # day 60 (Apr 30) 200, day 90 (May 30) 200, day 180 (Aug 28) 250
    assert curve["2026-03"] == [money(v) for v in (
        "0.2500", "0.2500", "0.5000", "0.5000", "0.6250")]
    # April billed 100 on Apr 1: 50 on Apr 30 (day 29)
    assert curve["2026-04"] == [money(v) for v in (
        "0.0000", "0.5000", "0.5000", "0.5000", "0.5000")]


def test_collection_curve_with_other_days():
    bills = [bill("M1", "2026-03", "100.00", [(D(2026, 3, 8), "100.00")])]
    assert collection_curve(bills, days=(6, 7)) == {
        "2026-03": [money("0.0000"), money("1.0000")]}


def test_a_recent_month_counts_only_the_days_that_have_come():
    bills = [
        bill("M1", "2026-03", "100.00", [(D(2026, 3, 20), "100.00")]),
        bill("A1", "2026-04", "100.00", [(D(2026, 4, 10), "40.00")]),
    ]
    curve = collection_curve(bills, as_of=D(2026, 5, 5))
    # March: day 0 (Mar 1), day 30 (Mar 31) have come; day 60 is Apr 30
    assert curve["2026-03"] == [money("0.0000"), money("1.0000"),
                                money("1.0000"), None, None]
    # April 1 + 30 = May 1 has come, May 31 not yet
    assert curve["2026-04"] == [money("0.0000"), money("0.4000"), None,
                                None, None]


def test_a_point_mixes_only_the_bills_that_reached_it():
    # two bills of one period billed on different days: on Apr 3 only the
    # first has had 30 days
    bills = [
        bill("M1", "2026-03", "100.00", [(D(2026, 3, 2), "100.00")],
             billed=D(2026, 3, 1)),
        bill("M2", "2026-03", "300.00", billed=D(2026, 3, 10)),
    ]
    assert collection_curve(bills, days=(30,), as_of=D(2026, 4, 3)) == {
        "2026-03": [money("1.0000")]}
    assert collection_curve(bills, days=(30,), as_of=D(2026, 4, 9)) == {
        "2026-03": [money("0.2500")]}


# ------------------------------------------------------ dunning effectiveness

def test_a_step_recovers_what_came_in_after_it_within_the_window():
    owed = bill("M1", "2026-03", "200.00", [
        (D(2026, 4, 30), "20.00"),   # the day before: not recovered
        (D(2026, 5, 1), "10.00"),    # the step's own day: inside
        (D(2026, 5, 10), "90.00"),   # inside
        (D(2026, 5, 31), "50.00"),   # day 30: inside
        (D(2026, 6, 1), "30.00"),    # day 31: too late
    ])
    step = Step("reminder", D(2026, 5, 1), [(owed, money("180.00"))])
    assert step_recovered(step) == money("150.00")
    assert step_recovered(step, window=9) == money("100.00")
    assert step_recovered(step, window=8) == money("10.00")


def test_a_step_never_recovers_more_than_was_due_on_a_bill():
    # the payer also settled a later bill: the step asked for 50 only
    owed = bill("M1", "2026-03", "200.00", [(D(2026, 5, 5), "200.00")])
    step = Step("reminder", D(2026, 5, 1), [(owed, money("50.00"))])
    assert step_recovered(step) == money("50.00")


def test_effectiveness_per_level_over_steps_whose_window_passed():
    paid = bill("M1", "2026-03", "100.00", [(D(2026, 5, 3), "100.00")])
    half = bill("M2", "2026-03", "100.00", [(D(2026, 5, 20), "50.00")])
    never = bill("M3", "2026-03", "300.00")
    steps = [
        Step("reminder", D(2026, 5, 1), [(paid, money("100.00"))]),
        Step("reminder", D(2026, 5, 1), [(half, money("100.00"))]),
        Step("demand", D(2026, 5, 2), [(never, money("300.00"))]),
        # its window ends on Jun 20, after as_of: left out
        Step("reminder", D(2026, 5, 21), [(half, money("50.00"))]),
    ]
    result = dunning_effectiveness(steps, as_of=D(2026, 6, 5))
    assert list(result) == ["reminder", "demand"]
    assert result["reminder"] == (2, money("200.00"), money("150.00"),
                                  money("0.7500"), 1)
    assert result["demand"] == (1, money("300.00"), money("0.00"),
                                money("0.0000"), 0)


# ---------------------------------------------------------------- payer type

@pytest.mark.parametrize("unit_type, state, expected", [
    ("residential", "occupied", "resident"),
    ("residential", "decorating", "resident"),
    ("parking", "occupied", "resident"),
    ("storage", "occupied", "resident"),
    ("commercial", "occupied", "commercial"),
    ("commercial", "decorating", "commercial"),
    # vacant and undelivered go before the unit's type
    ("residential", "vacant", "vacant"),
    ("commercial", "vacant", "vacant"),
    ("residential", "undelivered", "developer"),
    ("commercial", "undelivered", "developer"),
])
def test_payer_type(unit_type, state, expected):
    assert payer_type(unit_type, state) == expected


# ------------------------------------------------------------------ properties

AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"),
                      places=2)


@given(st.lists(st.tuples(AMOUNTS, st.integers(0, 400)), max_size=6),
       AMOUNTS, st.integers(0, 800))
def test_collected_plus_outstanding_is_the_bill(payments, amount, offset):
    billed = D(2026, 1, 1)
    one = Bill("X", "2026-01", billed, D(2026, 1, 31), amount,
               [(billed + timedelta(days=days), paid)
                for paid, days in payments])
    as_of = billed + timedelta(days=offset)
    assert collected(one, as_of) + outstanding(one, as_of) == amount
    assert Decimal("0") <= collected(one, as_of) <= amount
    # the buckets add up to everything owed
    assert sum(ageing([one], as_of).values()) == outstanding(one, as_of)
