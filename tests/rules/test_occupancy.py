"""Pure tests of property_billing.rules.occupancy: overlaps, payers, segments."""
import doctest
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from property_billing.rules import occupancy as occ
from property_billing.rules.occupancy import Occupancy, Period

D = date


def test_doctests():
    failures, tried = doctest.testmod(occ)
    assert tried > 0 and failures == 0


# -- find_overlap ---------------------------------------------------------------

@pytest.mark.parametrize("periods, expected", [
    # one owner, open-ended
    ([Period("a", D(2026, 1, 1), None, 100.0)], None),
    # two 50 % co-owners overlapping
    ([Period("a", D(2026, 1, 1), None, 50.0),
      Period("b", D(2026, 2, 1), None, 50.0)], None),
    # a third overlapping 50 % co-owner
    ([Period("a", D(2026, 1, 1), None, 50.0),
      Period("b", D(2026, 1, 1), None, 50.0),
      Period("c", D(2026, 3, 1), D(2026, 3, 31), 50.0)],
     (D(2026, 3, 1), 150.0, ("a", "b", "c"))),
    # new owner starts the day after the old one ends
    ([Period("old", D(2020, 1, 1), D(2026, 3, 15), 100.0),
      Period("new", D(2026, 3, 16), None, 100.0)], None),
    # ... but starting on the old owner's last day is a one-day overlap
    ([Period("old", D(2020, 1, 1), D(2026, 3, 15), 100.0),
      Period("new", D(2026, 3, 15), None, 100.0)],
     (D(2026, 3, 15), 200.0, ("old", "new"))),
    # a new owner before an open-ended owner, reported on the later start
    ([Period("open", D(2026, 5, 1), None, 100.0),
      Period("early", D(2026, 1, 1), D(2026, 6, 30), 100.0)],
     (D(2026, 5, 1), 200.0, ("open", "early"))),
    # thirds entered with two decimals are exactly full
    ([Period("a", D(2026, 1, 1), None, 33.33),
      Period("b", D(2026, 1, 1), None, 33.33),
      Period("c", D(2026, 1, 1), None, 33.34)], None),
    # disjoint periods never add up
    ([Period("a", D(2026, 1, 1), D(2026, 1, 31), 100.0),
      Period("b", D(2026, 3, 1), D(2026, 3, 31), 100.0)], None),
    ([], None),
])
def test_find_overlap(periods, expected):
    found = occ.find_overlap(periods)
    if expected is None:
        assert found is None
    else:
        assert (found.day, found.total, found.keys) == expected


DAY0 = D(2026, 1, 1)


@st.composite
def periods_strategy(draw):
    count = draw(st.integers(min_value=0, max_value=5))
    periods = []
    for index in range(count):
        start = draw(st.integers(min_value=0, max_value=40))
        length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=40)))
        share = draw(st.sampled_from([10.0, 25.0, 33.33, 50.0, 60.0, 100.0]))
        periods.append(Period(
            index, DAY0 + timedelta(start),
            None if length is None else DAY0 + timedelta(start + length), share))
    return periods


def _brute_force_first_excess(periods):
    for offset in range(0, 90):
        day = DAY0 + timedelta(offset)
        total = sum(p.share for p in periods
                    if occ.in_force(p.date_from, p.date_to, day))
        if total > 100.0 + 1e-6:
            return day, total
    return None


@settings(max_examples=300, deadline=None)
@given(periods_strategy())
def test_find_overlap_matches_day_by_day_check(periods):
    found = occ.find_overlap(periods)
    expected = _brute_force_first_excess(periods)
    if expected is None:
        assert found is None
    else:
        assert found.day == expected[0]
        assert found.total == pytest.approx(expected[1])
        assert set(found.keys) == {
            p.key for p in periods if occ.in_force(p.date_from, p.date_to, found.day)}


# -- payers_on ------------------------------------------------------------------

OLD = Occupancy(1, "old", "owner", 100.0, D(2020, 1, 1), D(2026, 3, 15))
NEW = Occupancy(2, "new", "owner", 100.0, D(2026, 3, 16), None)
TENANT = Occupancy(3, "tenant", "tenant", 100.0, D(2025, 1, 1), None)
PAYER = Occupancy(4, "company", "payer", 100.0, D(2026, 4, 1), D(2026, 4, 30))
CO_A = Occupancy(5, "a", "owner", 60.0, D(2020, 1, 1), None)
CO_B = Occupancy(6, "b", "owner", 40.0, D(2020, 1, 1), None)


@pytest.mark.parametrize("occupancies, day, expected", [
    ([OLD, NEW], D(2026, 3, 15), [("old", 100.0)]),
    ([OLD, NEW], D(2026, 3, 16), [("new", 100.0)]),
    ([OLD, NEW, TENANT], D(2026, 3, 20), [("new", 100.0)]),    # tenant never pays
    ([TENANT], D(2026, 3, 20), []),                            # ... even alone
    ([OLD, NEW, PAYER], D(2026, 4, 10), [("company", 100.0)]),  # payer wins
    ([OLD, NEW, PAYER], D(2026, 5, 1), [("new", 100.0)]),      # payer period over
    ([CO_B, CO_A], D(2026, 3, 1), [("a", 60.0), ("b", 40.0)]),  # largest share first
    ([OLD], D(2019, 12, 31), []),                              # before anyone
    ([Occupancy(7, "x", "owner", 50.0, D(2026, 1, 1), D(2026, 1, 31)),
      Occupancy(8, "x", "owner", 50.0, D(2026, 1, 15), None)],
     D(2026, 1, 20), [("x", 100.0)]),                          # same party merged
])
def test_payers_on(occupancies, day, expected):
    assert occ.payers_on(occupancies, day) == expected


def test_owners_on_ignores_payers_and_tenants():
    assert occ.owners_on([OLD, NEW, TENANT, PAYER], D(2026, 4, 10)) == [("new", 100.0)]


# -- payer_segments -------------------------------------------------------------

@pytest.mark.parametrize("occupancies, period, expected", [
    # change of owner inside March
    ([OLD, NEW], (D(2026, 3, 1), D(2026, 3, 31)),
     [(D(2026, 3, 1), D(2026, 3, 15), [("old", 100.0)]),
      (D(2026, 3, 16), D(2026, 3, 31), [("new", 100.0)])]),
    # no change: one segment
    ([OLD, NEW], (D(2026, 5, 1), D(2026, 5, 31)),
     [(D(2026, 5, 1), D(2026, 5, 31), [("new", 100.0)])]),
    # explicit payer for April only, tenant ignored
    ([OLD, NEW, TENANT, PAYER], (D(2026, 3, 20), D(2026, 5, 10)),
     [(D(2026, 3, 20), D(2026, 3, 31), [("new", 100.0)]),
      (D(2026, 4, 1), D(2026, 4, 30), [("company", 100.0)]),
      (D(2026, 5, 1), D(2026, 5, 10), [("new", 100.0)])]),
    # nobody liable before the first owner
    ([NEW], (D(2026, 3, 1), D(2026, 3, 31)),
     [(D(2026, 3, 1), D(2026, 3, 15), []),
      (D(2026, 3, 16), D(2026, 3, 31), [("new", 100.0)])]),
    # a tenant moving in does not cut the period
    ([CO_A, CO_B, Occupancy(9, "t", "tenant", 100.0, D(2026, 3, 10), None)],
     (D(2026, 3, 1), D(2026, 3, 31)),
     [(D(2026, 3, 1), D(2026, 3, 31), [("a", 60.0), ("b", 40.0)])]),
    # single day
    ([OLD, NEW], (D(2026, 3, 16), D(2026, 3, 16)),
     [(D(2026, 3, 16), D(2026, 3, 16), [("new", 100.0)])]),
])
def test_payer_segments(occupancies, period, expected):
    assert [tuple(s) for s in occ.payer_segments(occupancies, *period)] == expected


def test_payer_segments_refuses_reversed_period():
    with pytest.raises(ValueError):
        occ.payer_segments([OLD], D(2026, 3, 31), D(2026, 3, 1))


@st.composite
def occupancies_strategy(draw):
    count = draw(st.integers(min_value=0, max_value=5))
    result = []
    for index in range(count):
        start = draw(st.integers(min_value=0, max_value=60))
        length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=60)))
        result.append(Occupancy(
            index, draw(st.sampled_from("pqr")),
            draw(st.sampled_from(["owner", "tenant", "payer"])),
            draw(st.sampled_from([25.0, 50.0, 100.0])),
            DAY0 + timedelta(start),
            None if length is None else DAY0 + timedelta(start + length)))
    return result


@settings(max_examples=300, deadline=None)
@given(occupancies_strategy(), st.integers(0, 80), st.integers(0, 60))
def test_segments_tile_the_period_and_agree_with_payers_on(occupancies, start, length):
    date_from = DAY0 + timedelta(start)
    date_to = date_from + timedelta(length)
    segments = occ.payer_segments(occupancies, date_from, date_to)
    # contiguous, covering the whole period, no empty segment
    assert segments[0].date_from == date_from
    assert segments[-1].date_to == date_to
    for before, after in zip(segments, segments[1:]):
        assert after.date_from == before.date_to + timedelta(1)
        assert after.payers != before.payers          # adjacent equal ones merged
    for segment in segments:
        assert segment.date_from <= segment.date_to
        day = segment.date_from
        while day <= segment.date_to:                 # every day agrees
            assert occ.payers_on(occupancies, day) == segment.payers
            day += timedelta(1)
