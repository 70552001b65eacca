"""Limitation (诉讼时效) of arrears (property_dunning.rules.limitation)."""
import doctest
from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from property_dunning.rules import limitation
from property_dunning.rules.limitation import (
    EXPIRED, RUNNING, WARN, LimitationBill, LimitationRuleError, expiry_date,
    payer_limitation, shift_months, warning_date)

D = date


def test_doctests():
    assert doctest.testmod(limitation).failed == 0


@pytest.mark.parametrize("due, demands, expiry", [
    # default the day after the due date (Feb 1, not counted), 3 years on
    (D(2026, 1, 31), [], D(2029, 2, 1)),
    (D(2026, 12, 31), [], D(2030, 1, 1)),
    # default on Feb 28 of a common year: Feb 28 three years on
    (D(2026, 2, 27), [], D(2029, 2, 28)),
    # default on Feb 29: the final month has no 29th, its last day
    (D(2028, 2, 28), [], D(2031, 2, 28)),
    # a demand restarts the full period from its date
    (D(2026, 1, 31), [D(2027, 3, 1)], D(2030, 3, 1)),
    # each demand does, in any order
    (D(2026, 1, 31), [D(2029, 2, 1), D(2027, 3, 1)], D(2032, 2, 1)),
    (D(2026, 1, 31), [D(2028, 2, 29)], D(2031, 2, 28)),
    # a demand on the last day still interrupts; the day after, too late
    (D(2026, 1, 31), [D(2029, 2, 1)], D(2032, 2, 1)),
    (D(2026, 1, 31), [D(2029, 2, 2)], D(2029, 2, 1)),
    # a reminder on or before the due date: nothing owed yet
    (D(2026, 1, 31), [D(2026, 1, 31)], D(2029, 2, 1)),
    (D(2026, 1, 31), [D(2026, 1, 25)], D(2029, 2, 1)),
    # a demand on the first day of default: the same period
    (D(2026, 1, 31), [D(2026, 2, 1)], D(2029, 2, 1)),
])
def test_expiry_table(due, demands, expiry):
    assert expiry_date(due, demands) == expiry


@pytest.mark.parametrize("expiry, warn", [
    (D(2029, 2, 1), D(2028, 11, 1)),
    # May 31 - 3 months: February has no 31st, its last day
    (D(2030, 5, 31), D(2030, 2, 28)),
    (D(2032, 5, 31), D(2032, 2, 29)),
    (D(2029, 11, 30), D(2029, 8, 30)),
    (D(2030, 1, 15), D(2029, 10, 15)),
])
def test_warning_date_table(expiry, warn):
    assert warning_date(expiry) == warn


@pytest.mark.parametrize("as_of, status, days_left", [
    # due 2026-01-31: expiry 2029-02-01, warned from 2028-11-01
    (D(2026, 2, 1), RUNNING, 1096),  # 365 + 365 + 366 (2028 is leap)
    (D(2028, 10, 31), RUNNING, 93),  # Nov 30 + Dec 31 + Jan 31 + 1
    (D(2028, 11, 1), WARN, 92),
    (D(2029, 2, 1), WARN, 0),  # the last day counts in full
    (D(2029, 2, 2), EXPIRED, -1),
])
def test_status_table(as_of, status, days_left):
    result = limitation.limitation(LimitationBill(9, D(2026, 1, 31)), as_of)
    assert (result.status, result.days_left) == (status, days_left)
    assert (result.key, result.since, result.expiry, result.warn_from) == (
        9, D(2026, 2, 1), D(2029, 2, 1), D(2028, 11, 1))


def test_a_demand_takes_a_bill_out_of_the_warning_window():
    bill = LimitationBill(9, D(2026, 1, 31), [D(2028, 12, 1)])
    # as of Nov 15 the Dec 1 demand has not been made: warned
    assert limitation.limitation(bill, D(2028, 11, 15)).status == WARN
    after = limitation.limitation(bill, D(2028, 12, 1))
    assert (after.status, after.since, after.expiry) == (
        RUNNING, D(2028, 12, 1), D(2031, 12, 1))


def test_other_terms():
    bill = LimitationBill(9, D(2026, 1, 31))
    result = limitation.limitation(bill, D(2027, 1, 1), years=1, warn_months=1)
    # 2026-02-01 + 1 year = 2027-02-01; warned from 2027-01-01
    assert (result.expiry, result.warn_from, result.status) == (
        D(2027, 2, 1), D(2027, 1, 1), WARN)
    assert limitation.limitation(bill, D(2028, 11, 1), warn_months=0).status \
        == RUNNING


@pytest.mark.parametrize("kwargs", [
    {"years": 0}, {"years": 1.5}, {"warn_months": -1}, {"warn_months": 36},
    {"years": 1, "warn_months": 12},
])
def test_bad_terms_are_refused(kwargs):
    with pytest.raises(LimitationRuleError) as error:
        limitation.limitation(LimitationBill(9, D(2026, 1, 31)), D(2027, 1, 1),
                              **kwargs)
    assert error.value.code == limitation.BAD_TERM


def test_a_bill_without_due_date_is_refused():
    with pytest.raises(LimitationRuleError) as error:
        limitation.limitation(LimitationBill(9, None), D(2027, 1, 1))
    assert (error.value.code, error.value.params) == (
        limitation.MISSING_DUE, {"key": 9})


def test_payer_earliest_next_warned_and_expired():
    bills = [
        LimitationBill("2026-03", D(2026, 3, 31)),  # expiry 2029-04-01: warn
        LimitationBill("2025-12", D(2025, 12, 31)),  # 2029-01-01: expired
        LimitationBill("2026-06", D(2026, 6, 30)),  # 2029-07-01: running
        # 2026-01-31 (2029-02-01, expired) demanded 2027-06-30: 2030-06-30
        LimitationBill("2026-01", D(2026, 1, 31), [D(2027, 6, 30)]),
    ]
    payer = payer_limitation(bills, D(2029, 2, 1))
    assert (payer.earliest, payer.next_expiry) == (D(2029, 1, 1), D(2029, 4, 1))
    assert [s.key for s in payer.warned] == ["2026-03"]
    assert [s.key for s in payer.expired] == ["2025-12"]
    assert [s.key for s in payer.statuses] == [
        "2025-12", "2026-03", "2026-06", "2026-01"]


def test_payer_without_bills_or_all_expired():
    assert payer_limitation([], D(2029, 2, 1)) == (None, None, [], [], [])
    payer = payer_limitation([LimitationBill(1, D(2020, 1, 31))], D(2029, 2, 1))
    assert (payer.earliest, payer.next_expiry) == (D(2023, 2, 1), None)


# --- properties -------------------------------------------------------------

days = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))


@given(days, st.integers(min_value=-120, max_value=120))
def test_shift_months_keeps_the_day_or_takes_the_month_end(day, months):
    shifted = shift_months(day, months)
    assert (shifted.year * 12 + shifted.month) - (day.year * 12 + day.month) \
        == months
    if shifted.day != day.day:
        assert shifted.day < day.day
        assert (shifted + timedelta(1)).day == 1  # the month's last day


@given(days, st.lists(days, max_size=5), days)
def test_demands_only_ever_lengthen_the_period(due, demands, as_of):
    bare = limitation.limitation(LimitationBill(1, due), as_of)
    result = limitation.limitation(LimitationBill(1, due, demands), as_of)
    assert result.expiry >= bare.expiry > due
    assert result.warn_from < result.expiry
    assert (result.status == EXPIRED) == (result.days_left < 0)
    assert (result.status == WARN) == (result.warn_from <= as_of
                                       <= result.expiry)
    # the period counted from the last effective event is three years long
    assert result.expiry == shift_months(result.since, 36)
