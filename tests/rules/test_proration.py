"""Proration by days and billing periods (property_billing.rules.proration,
.periods)."""
import doctest
from datetime import date, timedelta
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from property_billing.rules import occupancy, periods, proration
from property_billing.rules.periods import (
    IN_ADVANCE, IN_ARREARS, MONTHLY, QUARTERLY, YEARLY, Period)

ONE_DAY = timedelta(days=1)


def d(text):
    return date(*map(int, text.split("-")))


def test_doctests():
    assert doctest.testmod(proration).failed == 0
    assert doctest.testmod(periods).failed == 0


# -- prorate --------------------------------------------------------------------------

@pytest.mark.parametrize("amount, start, end, segments, expected", [
    # owner change on 16 March: 250.60 × 15/31 = 121.258, × 16/31 = 129.342
    ("250.60", "2026-03-01", "2026-03-31",
     [("Li", "2026-03-01", "2026-03-15"), ("Wang", "2026-03-16", "2026-03-31")],
     [("Li", 15, "121.26", "250.60 元 × 15 天 ÷ 31 天 (2026-03-01~2026-03-15)"),
      ("Wang", 16, "129.34", "250.60 元 × 16 天 ÷ 31 天 (2026-03-16~2026-03-31)")]),
    # one payer for the whole period gets the whole amount
    ("250.60", "2026-03-01", "2026-03-31", [("Li", "2026-03-01", "2026-03-31")],
     [("Li", 31, "250.60", "250.60 元 × 31 天 ÷ 31 天 (2026-03-01~2026-03-31)")]),
    # three thirds of 100.00 in a 30-day month: the earliest takes the cent
    ("100.00", "2026-04-01", "2026-04-30",
     [("A", "2026-04-01", "2026-04-10"), ("B", "2026-04-11", "2026-04-20"),
      ("C", "2026-04-21", "2026-04-30")],
     [("A", 10, "33.34", "100.00 元 × 10 天 ÷ 30 天 (2026-04-01~2026-04-10) (尾差 +0.01 元)"),
      ("B", 10, "33.33", "100.00 元 × 10 天 ÷ 30 天 (2026-04-11~2026-04-20)"),
      ("C", 10, "33.33", "100.00 元 × 10 天 ÷ 30 天 (2026-04-21~2026-04-30)")]),
    # segments given out of order come back by date; one cent over two halves
    ("0.01", "2026-02-01", "2026-02-28",
     [("B", "2026-02-15", "2026-02-28"), ("A", "2026-02-01", "2026-02-14")],
     [("A", 14, "0.01", "0.01 元 × 14 天 ÷ 28 天 (2026-02-01~2026-02-14)"),
      ("B", 14, "0.00", "0.01 元 × 14 天 ÷ 28 天 (2026-02-15~2026-02-28) (尾差 -0.01 元)")]),
    # a quarter (90 days), the same payer twice stays two parts; the three
    # remainders tie (2/3 cent each): the two earliest segments get the cents
    ("751.80", "2026-01-01", "2026-03-31",
     [("Li", "2026-01-01", "2026-02-28"), ("Wang", "2026-03-01", "2026-03-20"),
      ("Li", "2026-03-21", "2026-03-31")],
     [("Li", 59, "492.85", "751.80 元 × 59 天 ÷ 90 天 (2026-01-01~2026-02-28)"),
      ("Wang", 20, "167.07", "751.80 元 × 20 天 ÷ 90 天 (2026-03-01~2026-03-20)"),
      ("Li", 11, "91.88",
       "751.80 元 × 11 天 ÷ 90 天 (2026-03-21~2026-03-31) (尾差 -0.01 元)")]),
    # a single day
    ("31.00", "2026-03-01", "2026-03-31",
     [("Li", "2026-03-01", "2026-03-01"), ("Wang", "2026-03-02", "2026-03-31")],
     [("Li", 1, "1.00", "31.00 元 × 1 天 ÷ 31 天 (2026-03-01~2026-03-01)"),
      ("Wang", 30, "30.00", "31.00 元 × 30 天 ÷ 31 天 (2026-03-02~2026-03-31)")]),
])
def test_prorate(amount, start, end, segments, expected):
    parts = proration.prorate(D(amount), d(start), d(end),
                              [(key, d(a), d(b)) for key, a, b in segments])
    assert [(p.key, p.days, str(p.amount), p.basis) for p in parts] == expected
    assert sum(p.amount for p in parts) == D(amount)


@pytest.mark.parametrize("segments", [
    [],
    # a gap on 15 March
    [("Li", "2026-03-01", "2026-03-14"), ("Wang", "2026-03-16", "2026-03-31")],
    # 16 March twice
    [("Li", "2026-03-01", "2026-03-16"), ("Wang", "2026-03-16", "2026-03-31")],
    [("Li", "2026-03-02", "2026-03-31")],   # starts late
    [("Li", "2026-03-01", "2026-03-30")],   # ends early
    [("Li", "2026-02-28", "2026-03-31")],   # starts before the period
    [("Li", "2026-03-01", "2026-04-01")],   # ends after it
    [("Li", "2026-03-01", "2026-03-20"), ("Wang", "2026-03-31", "2026-03-21")],
])
def test_prorate_refuses_segments_that_do_not_tile_the_period(segments):
    with pytest.raises(ValueError):
        proration.prorate(D("100"), d("2026-03-01"), d("2026-03-31"),
                          [(key, d(a), d(b)) for key, a, b in segments])


def test_prorate_takes_occupancy_segments():
    old = occupancy.Occupancy("o1", "Li", "owner", 100.0, d("2020-01-01"),
                              d("2026-03-15"))
    new = occupancy.Occupancy("o2", "Wang", "owner", 100.0, d("2026-03-16"), None)
    segments = occupancy.payer_segments([old, new], d("2026-03-01"), d("2026-03-31"))
    parts = proration.prorate(D("250.60"), d("2026-03-01"), d("2026-03-31"), segments)
    assert [(p.key.payers, p.amount) for p in parts] == [
        ([("Li", 100.0)], D("121.26")), ([("Wang", 100.0)], D("129.34"))]


def test_prorate_then_split_between_co_owners():
    from property_billing.rules import fees
    (part,) = proration.prorate(D("250.60"), d("2026-03-01"), d("2026-03-31"),
                                [("both", d("2026-03-01"), d("2026-03-31"))])
    shares = fees.allocate(part.amount, [("Li", 50), ("Zhao", 50)])
    assert [s.amount for s in shares] == [D("125.30"), D("125.30")]


def test_prorate_precision_and_labels():
    from property_billing.rules import fees
    parts = proration.prorate(D("100"), d("2026-04-01"), d("2026-04-30"),
                              [("a", d("2026-04-01"), d("2026-04-07")),
                               ("b", d("2026-04-08"), d("2026-04-30"))],
                              precision=D("1"),
                              labels=fees.Labels(currency="CNY", day="d"))
    assert [(str(p.amount), p.basis) for p in parts] == [
        ("23", "100.00 CNY × 7 d ÷ 30 d (2026-04-01~2026-04-07)"),
        ("77", "100.00 CNY × 23 d ÷ 30 d (2026-04-08~2026-04-30)")]


# -- periods --------------------------------------------------------------------------

@pytest.mark.parametrize("day, cycle, first_month, start, end", [
    ("2026-03-01", MONTHLY, 1, "2026-03-01", "2026-03-31"),
    ("2026-02-17", MONTHLY, 1, "2026-02-01", "2026-02-28"),
    ("2024-02-29", MONTHLY, 1, "2024-02-01", "2024-02-29"),
    ("2026-05-20", QUARTERLY, 1, "2026-04-01", "2026-06-30"),
    ("2026-12-31", QUARTERLY, 1, "2026-10-01", "2026-12-31"),
    ("2026-01-01", QUARTERLY, 1, "2026-01-01", "2026-03-31"),
    ("2026-01-15", QUARTERLY, 2, "2025-11-01", "2026-01-31"),
    ("2026-05-20", YEARLY, 1, "2026-01-01", "2026-12-31"),
    ("2026-05-20", YEARLY, 7, "2025-07-01", "2026-06-30"),
    ("2026-07-01", YEARLY, 7, "2026-07-01", "2027-06-30"),
])
def test_cycle_period(day, cycle, first_month, start, end):
    assert periods.cycle_period(d(day), cycle, first_month) == Period(d(start), d(end))


@pytest.mark.parametrize("billing_date, cycle, timing, start, end", [
    ("2026-03-01", MONTHLY, IN_ADVANCE, "2026-03-01", "2026-03-31"),
    ("2026-03-25", MONTHLY, IN_ADVANCE, "2026-03-01", "2026-03-31"),
    ("2026-04-01", MONTHLY, IN_ARREARS, "2026-03-01", "2026-03-31"),
    ("2026-01-05", MONTHLY, IN_ARREARS, "2025-12-01", "2025-12-31"),
    ("2026-04-01", QUARTERLY, IN_ADVANCE, "2026-04-01", "2026-06-30"),
    ("2026-04-10", QUARTERLY, IN_ARREARS, "2026-01-01", "2026-03-31"),
    ("2026-01-01", QUARTERLY, IN_ARREARS, "2025-10-01", "2025-12-31"),
    ("2026-01-01", YEARLY, IN_ADVANCE, "2026-01-01", "2026-12-31"),
    ("2026-06-30", YEARLY, IN_ARREARS, "2025-01-01", "2025-12-31"),
])
def test_billing_period(billing_date, cycle, timing, start, end):
    period = periods.billing_period(d(billing_date), cycle, timing)
    assert period == Period(d(start), d(end))


@pytest.mark.parametrize("args", [
    (date(2026, 3, 1), "weekly", IN_ADVANCE),
    (date(2026, 3, 1), MONTHLY, "later"),
    (date(2026, 3, 1), QUARTERLY, IN_ADVANCE, 13),
    (date(2026, 3, 1), QUARTERLY, IN_ADVANCE, 0),
])
def test_billing_period_refuses_unknown_codes(args):
    with pytest.raises(ValueError):
        periods.billing_period(*args)


@pytest.mark.parametrize("start, end, fraction, decimal, text", [
    ("2026-03-01", "2026-03-31", Fraction(1), "1", "1"),
    ("2026-02-01", "2026-02-28", Fraction(1), "1", "1"),
    ("2026-01-01", "2026-03-31", Fraction(3), "3", "3"),
    ("2026-01-01", "2026-12-31", Fraction(12), "12", "12"),
    ("2026-03-16", "2026-03-31", Fraction(16, 31), "0.5161", "16/31"),
    ("2026-04-16", "2026-04-30", Fraction(1, 2), "0.5000", "15/30"),
    ("2026-03-01", "2026-03-01", Fraction(1, 31), "0.0323", "1/31"),
    ("2024-02-10", "2024-02-29", Fraction(20, 29), "0.6897", "20/29"),
    ("2026-01-15", "2026-02-14", Fraction(17, 31) + Fraction(1, 2), "1.0484",
     "17/31 + 14/28"),
    ("2026-01-15", "2026-03-31", 2 + Fraction(17, 31), "2.5484", "2 + 17/31"),
    ("2025-12-20", "2026-02-10", Fraction(12, 31) + 1 + Fraction(10, 28), "1.7442",
     "1 + 12/31 + 10/28"),
])
def test_months(start, end, fraction, decimal, text):
    assert periods.months_fraction(d(start), d(end)) == fraction
    places = None if "." not in decimal else D("0.0001")
    result = periods.months_between(d(start), d(end), places=places)
    assert str(result) == decimal
    assert periods.months_text(d(start), d(end)) == text


def test_months_between_without_places_is_exact_or_28_digits():
    assert periods.months_between(d("2026-04-16"), d("2026-04-30")) == D("0.5")
    assert str(periods.months_between(d("2026-03-16"), d("2026-03-31"))) == (
        "0.5161290322580645161290322581")


def test_months_refuse_reversed_period():
    with pytest.raises(ValueError):
        periods.months_between(d("2026-03-31"), d("2026-03-01"))


@pytest.mark.parametrize("start, end, code", [
    ("2026-03-01", "2026-03-31", "2026-03"),
    ("2026-02-01", "2026-02-28", "2026-02"),
    ("2026-04-01", "2026-06-30", "2026-Q2"),
    ("2026-10-01", "2026-12-31", "2026-Q4"),
    ("2026-01-01", "2026-12-31", "2026"),
    ("2026-03-16", "2026-03-31", "2026-03-16~2026-03-31"),
    ("2026-02-01", "2026-04-30", "2026-02-01~2026-04-30"),
    ("2025-07-01", "2026-06-30", "2025-07-01~2026-06-30"),
])
def test_period_code(start, end, code):
    assert periods.period_code(Period(d(start), d(end))) == code


@pytest.mark.parametrize("day, months, expected", [
    ("2026-01-31", 1, "2026-02-28"),
    ("2024-01-31", 1, "2024-02-29"),
    ("2026-03-31", -1, "2026-02-28"),
    ("2026-11-15", 3, "2027-02-15"),
    ("2026-01-15", -13, "2024-12-15"),
])
def test_add_months(day, months, expected):
    assert periods.add_months(d(day), months) == d(expected)


# -- properties ------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
AMOUNTS = st.integers(min_value=0, max_value=10 ** 9).map(lambda c: D(c) / 100)
CYCLES = st.sampled_from([MONTHLY, QUARTERLY, YEARLY])
FIRST_MONTHS = st.integers(min_value=1, max_value=12)


@st.composite
def tiled_periods(draw):
    """A period and segments that tile it: (start, end, [(key, from, to)])."""
    start = draw(DAYS)
    length = draw(st.integers(min_value=1, max_value=400))
    end = start + timedelta(days=length - 1)
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=length - 1),
                               max_size=min(8, length - 1))) if length > 1 else set())
    bounds = [0] + cuts + [length]
    segments = [
        ("p%d" % index, start + timedelta(days=a), start + timedelta(days=b - 1))
        for index, (a, b) in enumerate(zip(bounds, bounds[1:]))]
    return start, end, draw(st.permutations(segments))


@given(amount=AMOUNTS, tiled=tiled_periods())
def test_prorated_parts_sum_to_the_whole(amount, tiled):
    start, end, segments = tiled
    parts = proration.prorate(amount, start, end, segments)
    assert sum(p.amount for p in parts) == amount
    total_days = (end - start).days + 1
    assert sum(p.days for p in parts) == total_days
    for part in parts:
        assert part.amount >= 0
        exact = Fraction(amount) * part.days / total_days
        assert abs(Fraction(part.amount) - exact) < Fraction(1, 100)
    assert [p.date_from for p in parts] == sorted(p.date_from for p in parts)


@given(amount=AMOUNTS, tiled=tiled_periods())
def test_prorate_is_deterministic_whatever_the_order(amount, tiled):
    start, end, segments = tiled
    first = proration.prorate(amount, start, end, segments)
    again = proration.prorate(amount, start, end, list(reversed(segments)))
    assert first == again


@given(start=DAYS, middle=st.integers(0, 800), rest=st.integers(1, 800))
def test_months_are_additive(start, middle, rest):
    cut = start + timedelta(days=middle)
    end = cut + timedelta(days=rest)
    whole = periods.months_fraction(start, end)
    assert whole == (periods.months_fraction(start, cut)
                     + periods.months_fraction(cut + ONE_DAY, end))
    assert whole > 0


@given(day=DAYS, cycle=CYCLES, first_month=FIRST_MONTHS)
def test_cycle_periods_contain_the_day_and_tile(day, cycle, first_month):
    period = periods.cycle_period(day, cycle, first_month)
    assert period.date_from <= day <= period.date_to
    assert period.date_from.day == 1
    assert periods.months_fraction(*period) == periods.CYCLE_MONTHS[cycle]
    following = periods.next_period(period, cycle, first_month)
    assert following.date_from == period.date_to + ONE_DAY
    assert periods.previous_period(following, cycle, first_month) == period


@given(day=DAYS, cycle=CYCLES, first_month=FIRST_MONTHS)
def test_arrears_bills_the_period_before_advance(day, cycle, first_month):
    advance = periods.billing_period(day, cycle, IN_ADVANCE, first_month)
    arrears = periods.billing_period(day, cycle, IN_ARREARS, first_month)
    assert arrears.date_to + ONE_DAY == advance.date_from
    assert arrears.date_to < day
