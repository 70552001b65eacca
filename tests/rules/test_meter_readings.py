"""Meter readings (rules.meter_readings): validation, consumption, import rows."""
import datetime
import doctest
from decimal import Decimal

import pytest
from hypothesis import assume, given, strategies as st

from property_billing.rules import meter_readings as mr
from property_billing.rules.meter_readings import (
    INITIAL, NORMAL, REPLACEMENT, ROLLOVER, Reading, ReadingError)

D = datetime.date


def test_doctests():
    assert doctest.testmod(mr).failed == 0


PREV = Reading(D(2026, 1, 31), 100, key="prev")


@pytest.mark.parametrize("reading, capacity, expected", [
    (Reading(D(2026, 2, 28), 100), None, "0"),
    (Reading(D(2026, 2, 28), "112.5"), None, "12.5"),
    (Reading(D(2026, 2, 28), 2, ROLLOVER), mr.capacity_of(3), "902"),
    (Reading(D(2026, 2, 28), 99, ROLLOVER), mr.capacity_of(3), "999"),
    (Reading(D(2026, 2, 28), 7, REPLACEMENT, old_final=130, initial=2), None, "35"),
    (Reading(D(2026, 2, 28), 0, REPLACEMENT, old_final=100, initial=0), None, "0"),
    (Reading(D(2026, 2, 28), 0.3, REPLACEMENT, old_final=100.1, initial=0.1), None,
     "0.3"),
])
def test_consumption_of_accepted_readings(reading, capacity, expected):
    assert mr.reading_consumption(PREV, reading, capacity) == Decimal(expected)


@pytest.mark.parametrize("previous, reading, capacity, code", [
    (PREV, Reading(D(2026, 2, 28), 99), None, "lower_than_previous"),
    (PREV, Reading(D(2026, 2, 28), "99.999"), mr.capacity_of(5),
     "lower_than_previous"),
    (PREV, Reading(D(2026, 1, 31), 120), None, "duplicate_date"),
    (PREV, Reading(D(2026, 1, 15), 120), None, "duplicate_date"),
    (PREV, Reading(D(2026, 2, 28), 120, INITIAL), None, "initial_not_first"),
    (PREV, Reading(D(2026, 2, 28), 5, ROLLOVER), None, "rollover_without_capacity"),
    (PREV, Reading(D(2026, 2, 28), 150, ROLLOVER), mr.capacity_of(3),
     "rollover_not_lower"),
    (PREV, Reading(D(2026, 2, 28), 1000), mr.capacity_of(3), "over_capacity"),
    (PREV, Reading(D(2026, 2, 28), -1), None, "negative_value"),
    (PREV, Reading(D(2026, 2, 28), None), None, "missing_value"),
    (PREV, Reading(D(2026, 2, 28), 5, "guess"), None, "unknown_type"),
    (PREV, Reading(D(2026, 2, 28), 5, REPLACEMENT), None, "replacement_incomplete"),
    (PREV, Reading(D(2026, 2, 28), 5, REPLACEMENT, old_final=90, initial=0), None,
     "old_final_lower"),
    (PREV, Reading(D(2026, 2, 28), 5, REPLACEMENT, old_final=110, initial=6), None,
     "lower_than_initial"),
    (None, Reading(D(2026, 2, 28), 5, ROLLOVER), mr.capacity_of(3), "needs_previous"),
    (None, Reading(D(2026, 2, 28), 5, REPLACEMENT, old_final=1, initial=0), None,
     "needs_previous"),
])
def test_refused_readings(previous, reading, capacity, code):
    with pytest.raises(ReadingError) as caught:
        mr.reading_consumption(previous, reading, capacity)
    assert caught.value.code == code


def test_first_reading_is_the_start_whatever_its_type():
    for kind in (INITIAL, NORMAL):
        assert mr.reading_consumption(None, Reading(D(2026, 1, 1), 5, kind)) == 0


def test_chain_errors_reports_every_new_reading_and_blames_the_new_one():
    stored = [Reading(D(2026, 1, 31), 100, key=1), Reading(D(2026, 3, 31), 130, key=2)]
    new = [Reading(D(2026, 2, 28), 140, key="a"),   # breaks stored 03-31
           Reading(D(2026, 4, 30), 120, key="b")]   # lower than 130
    errors = mr.chain_errors(stored + new, keys={"a", "b"})
    assert [(e.key, e.code) for e in errors] == [
        ("a", "lower_than_previous"), ("b", "lower_than_previous")]
    assert mr.chain_errors(stored) == []


def test_consumption_between_edges():
    links = mr.check_chain([Reading(D(2026, 1, 31), 10, key=1),
                            Reading(D(2026, 2, 28), 15, key=2),
                            Reading(D(2026, 3, 31), 22, key=3)])
    between = mr.consumption_between
    assert between(links, D(2026, 1, 31), D(2026, 2, 28))[0] == 5
    # no reading in (02-01, 02-27]: start and end are both the 01-31 reading
    total, used = between(links, D(2026, 2, 1), D(2026, 2, 27))
    assert total == 0 and [link.reading.key for link in used] == [1]
    assert between(links, D(2026, 4, 1), D(2026, 4, 30))[0] == 0
    assert between(links, D(2026, 3, 31), D(2026, 1, 31)) == (0, [])
    assert between([], D(2026, 1, 1), D(2026, 12, 31)) == (0, [])
    total, used = between(links, D(2025, 1, 1), D(2026, 12, 31))
    assert total == 12 and [link.reading.key for link in used] == [1, 2, 3]


def test_consumption_in_year_before():
    links = mr.check_chain([Reading(D(2025, 12, 31), 100, key=1),
                            Reading(D(2026, 1, 31), 110, key=2),
                            Reading(D(2026, 2, 28), 125, key=3)])
    assert mr.consumption_in_year_before(links, D(2026, 2, 28)) == 25
    assert mr.consumption_in_year_before(links, D(2026, 2, 27)) == 10
    assert mr.consumption_in_year_before(links, D(2026, 1, 1)) == 0


def test_missing_meters():
    dates = {1: [D(2026, 3, 1)], 2: [D(2026, 2, 28), D(2026, 4, 1)], 3: []}
    assert mr.missing_meters(dates, D(2026, 3, 1), D(2026, 3, 31)) == [2, 3]


# -- property-based ------------------------------------------------------------

CAPACITY = mr.capacity_of(4)


@st.composite
def valid_chains(draw):
    """A valid chain of readings on a 4-digit meter with replacements and
    rollovers, built step by step from random consumptions."""
    count = draw(st.integers(min_value=1, max_value=12))
    day = D(2025, 1, 1) + datetime.timedelta(days=draw(st.integers(0, 60)))
    value = Decimal(draw(st.integers(0, 9999)))
    readings = [Reading(day, value, INITIAL, key=0)]
    for key in range(1, count):
        day += datetime.timedelta(days=draw(st.integers(1, 45)))
        used = Decimal(draw(st.integers(0, 3000))) / 10
        kind = draw(st.sampled_from([NORMAL, NORMAL, REPLACEMENT, ROLLOVER]))
        if kind == NORMAL and value + used < CAPACITY:
            value += used
            readings.append(Reading(day, value, NORMAL, key=key))
        elif kind == REPLACEMENT:
            old_final = value + Decimal(draw(st.integers(0, 50)))
            initial = Decimal(draw(st.integers(0, 20)))
            value = initial + used
            readings.append(Reading(day, value, REPLACEMENT, old_final=old_final,
                                    initial=initial, key=key))
        elif value + used >= CAPACITY and value + used - CAPACITY < value:
            value = value + used - CAPACITY
            readings.append(Reading(day, value, ROLLOVER, key=key))
        else:
            value = min(value + used, CAPACITY - 1)
            readings.append(Reading(day, value, NORMAL, key=key))
    return readings


@given(valid_chains())
def test_consumption_never_negative(readings):
    links = mr.check_chain(readings, CAPACITY)
    assert len(links) == len(readings)
    assert all(link.consumption >= 0 for link in links)
    assert mr.chain_errors(readings, CAPACITY) == []


@given(valid_chains(), st.lists(st.integers(0, 700), min_size=2, max_size=6))
def test_consecutive_periods_sum_to_the_union(readings, offsets):
    links = mr.check_chain(readings, CAPACITY)
    start = D(2024, 12, 1)
    days = sorted(start + datetime.timedelta(days=n) for n in offsets)
    assume(days[0] < days[-1])
    parts = [mr.consumption_between(links, a, b)[0]
             for a, b in zip(days, days[1:])]
    assert sum(parts) == mr.consumption_between(links, days[0], days[-1])[0]


@given(valid_chains())
def test_whole_history_is_the_sum_of_the_consumptions(readings):
    links = mr.check_chain(readings, CAPACITY)
    total, used = mr.consumption_between(links, D(2000, 1, 1), D(2100, 1, 1))
    assert total == sum(link.consumption for link in links)
    assert len(used) == len(links)


# -- import rows ----------------------------------------------------------------

HEADER = ["estate_code/小区编码", "meter_code/表号", "date/抄表日期", "value/读数",
          "type/类型", "old_final/旧表止码", "initial/新表起码", "note/备注"]


@pytest.mark.parametrize("row, code", [
    (["", "W1", "2026-03-31", "10", "", "", "", ""], "empty_estate_code"),
    (["GG", "", "2026-03-31", "10", "", "", "", ""], "empty_meter_code"),
    (["GG", "W1", "2026-02-30", "10", "", "", "", ""], "bad_date"),
    (["GG", "W1", "", "10", "", "", "", ""], "bad_date"),
    (["GG", "W1", "2026-03-31", "abc", "", "", "", ""], "bad_value"),
    (["GG", "W1", "2026-03-31", "-3", "", "", "", ""], "bad_value"),
    (["GG", "W1", "2026-03-31", "", "", "", "", ""], "bad_value"),
    (["GG", "W1", "2026-03-31", "10", "maybe", "", "", ""], "unknown_type"),
    (["GG", "W1", "2026-03-31", "10", "换表", "", "0", ""], "replacement_incomplete"),
])
def test_bad_rows(row, code):
    result = mr.parse_reading_table([HEADER, row])
    assert result.rows == []
    assert [(e[0], e[1]) for e in result.errors] == [(2, code)]


@pytest.mark.parametrize("text, kind", [
    ("", NORMAL), ("正常", NORMAL), ("初始", INITIAL), ("换表", REPLACEMENT),
    ("翻表", ROLLOVER), ("Rollover", ROLLOVER), ("replacement", REPLACEMENT),
])
def test_type_aliases(text, kind):
    row = ["GG", "W1", "2026年3月31日", "1,234.5", text, "10", "0", "x"]
    result = mr.parse_reading_table([HEADER, row])
    assert result.errors == []
    reading = result.rows[0].reading
    assert (reading.date, reading.value, reading.reading_type) == (
        D(2026, 3, 31), Decimal("1234.5"), kind)
    assert result.rows[0].note == "x"


def test_header_problems_and_duplicates():
    result = mr.parse_reading_table([["小区编码", "表号", "读数"]])
    assert result.errors == [(1, "missing_column", {"column": "date"})]
    result = mr.parse_reading_table([["表号", "meter", "小区", "日期", "读数"]])
    assert result.errors[0][1] == "duplicate_column"
    rows = [HEADER, ["GG", "W1", "2026-03-31", "10"], [],
            ["GG", "W1", "2026/3/31", "11"]]
    result = mr.parse_reading_table(rows)
    assert [r.row for r in result.rows] == [2]
    assert result.errors == [(4, "duplicate_row", {"first_row": 2})]


def test_reads_gbk_csv():
    data = ("小区编码,表号,抄表日期,读数\r\nGG,水-01,2026-03-31,12.5\r\n"
            .encode("gbk"))
    table = mr.read_table(data, "读数.csv")
    result = mr.parse_reading_table(table)
    assert result.errors == []
    assert result.rows[0].meter_code == "水-01"
