"""Scope, periods and the publication gate of fee standards
(property_billing.rules.fee_standards)."""
import doctest
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, strategies as st

from property_billing.rules import fee_standards as rules

D = date


def test_doctests():
    assert doctest.testmod(rules).failed == 0


@pytest.mark.parametrize("a_from, a_to, b_from, b_to, expected", [
    (D(2026, 1, 1), None, D(2026, 6, 1), None, True),
    (D(2026, 1, 1), D(2026, 5, 31), D(2026, 6, 1), None, False),
    (D(2026, 1, 1), D(2026, 6, 1), D(2026, 6, 1), None, True),   # one common day
    (D(2026, 7, 1), None, D(2026, 1, 1), D(2026, 6, 30), False),
    (D(2026, 7, 1), None, D(2026, 1, 1), D(2026, 7, 1), True),
    (D(2026, 3, 1), D(2026, 3, 31), D(2026, 1, 1), D(2026, 12, 31), True),
])
def test_periods_overlap(a_from, a_to, b_from, b_to, expected):
    assert rules.periods_overlap(a_from, a_to, b_from, b_to) is expected
    assert rules.periods_overlap(b_from, b_to, a_from, a_to) is expected


@pytest.mark.parametrize("buildings_a, types_a, buildings_b, types_b, expected", [
    (set(), set(), set(), set(), True),             # whole estate twice
    ({1}, set(), {2}, set(), False),                # different buildings
    ({1, 2}, set(), {2}, set(), True),
    (set(), {"parking"}, set(), {"residential"}, False),
    (set(), {"parking"}, {3}, set(), True),         # parking of building 3
    ({1}, {"parking"}, {1}, {"parking", "storage"}, True),
    ({1}, {"parking"}, {2}, {"parking"}, False),
])
def test_scopes_overlap(buildings_a, types_a, buildings_b, types_b, expected):
    assert rules.scopes_overlap(buildings_a, types_a, buildings_b, types_b) is expected
    assert rules.scopes_overlap(buildings_b, types_b, buildings_a, types_a) is expected


@pytest.mark.parametrize("building, unit_type, buildings, types, expected", [
    (1, "residential", set(), set(), True),
    (1, "residential", {1}, {"residential"}, True),
    (2, "residential", {1}, set(), False),
    (None, "parking", set(), {"parking"}, True),   # parking outside buildings
    (None, "parking", {1}, set(), False),
    (1, "commercial", set(), {"residential", "parking"}, False),
])
def test_in_scope(building, unit_type, buildings, types, expected):
    assert rules.in_scope(building, unit_type, buildings, types) is expected


@pytest.mark.parametrize("published, days, first", [
    (D(2026, 1, 10), 30, D(2026, 2, 9)),
    (D(2026, 1, 31), 0, D(2026, 1, 31)),
    (D(2024, 2, 1), 29, D(2024, 3, 1)),   # leap year
    (D(2025, 12, 15), 30, D(2026, 1, 14)),
])
def test_billable_from(published, days, first):
    assert rules.billable_from(published, days) == first
    assert rules.is_billable(first, first)
    assert not rules.is_billable(first - timedelta(days=1), first)


def test_negative_notice_refused():
    with pytest.raises(ValueError):
        rules.billable_from(D(2026, 1, 1), -1)


def test_not_published_is_never_billable():
    assert not rules.is_billable(D(2030, 1, 1), None)


@pytest.mark.parametrize("state, new_state, allowed", [
    ("draft", "approved", True),
    ("draft", "published", False),
    ("approved", "published", True),
    ("approved", "draft", True),
    ("published", "active", True),
    ("published", "closed", True),
    ("active", "closed", True),
    ("active", "draft", False),
    ("closed", "active", False),
])
def test_transitions(state, new_state, allowed):
    assert rules.can_move(state, new_state) is allowed


dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


@given(dates, st.one_of(st.none(), dates), dates, st.one_of(st.none(), dates))
def test_overlap_means_a_common_day(a_from, a_to, b_from, b_to):
    assume(a_to is None or a_to >= a_from)
    assume(b_to is None or b_to >= b_from)
    common = rules.effective_period(a_from, a_to, b_from, b_to or D(2031, 1, 1))
    assert rules.periods_overlap(a_from, a_to, b_from, b_to) is (common is not None)


@given(dates, st.integers(min_value=0, max_value=400), dates)
def test_notice_start_never_before_the_gate(date_from, days, published):
    first = rules.billable_from(published, days)
    start = rules.notice_start(date_from, first)
    assert start >= first and start >= date_from
    assert rules.is_billable(start, first)
