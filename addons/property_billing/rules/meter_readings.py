"""Meter readings (抄表): which readings are acceptable and what they consumed.

Plain Python: values are ``Decimal`` (``int``, ``str`` and ``float`` accepted,
floats read through their shortest ``repr``), days are ``datetime.date``.
Nothing here reads the clock or imports odoo.

A meter's readings, in date order, form a chain; each reading's consumption is
measured from the reading before it:

- the first reading of a meter is its start (``initial``): consumption 0; an
  ``initial`` reading anywhere else is refused;
- ``normal``: ``value - previous``; a value lower than the previous one is
  refused (``lower_than_previous``) unless the reading is recorded as one of:
- ``replacement`` (换表): the old meter was removed at ``old_final`` and the new
  one started at ``initial``; consumption = ``old_final - previous`` +
  ``value - initial``;
- ``rollover`` (满量程归零): the counter passed its capacity (``10 ** digits``,
  e.g. 100000 for 5 digits) and restarted at 0; consumption =
  ``capacity - previous + value``.

Consumption between two days (``consumption_between``) runs from the last
reading on or before ``date_from`` (or the first reading, when none is that
old) to the last reading on or before ``date_to``: it is the sum of the
consumptions of the readings dated in ``(date_from, date_to]`` (after the
first reading). Consecutive periods therefore share their boundary day:
``between(a, b) + between(b, c) == between(a, c)``.

>>> from datetime import date
>>> chain = check_chain([
...     Reading(date(2026, 1, 31), 100, key="jan"),
...     Reading(date(2026, 2, 28), 112, key="feb"),
...     Reading(date(2026, 3, 31), 5, ROLLOVER, key="mar"),
...     Reading(date(2026, 4, 30), 7, REPLACEMENT, old_final=9, initial=0,
...             key="apr"),
... ], capacity=capacity_of(3))
>>> [(link.reading.key, link.consumption) for link in chain]
[('jan', Decimal('0')), ('feb', Decimal('12')), ('mar', Decimal('893')), \
('apr', Decimal('11'))]
>>> consumption_between(chain, date(2026, 2, 28), date(2026, 4, 30))[0]
Decimal('904')
>>> try:
...     check_chain([Reading(date(2026, 1, 31), 100, key=1),
...                  Reading(date(2026, 2, 28), 90, key=2)])
... except ReadingError as error:
...     print(error.code, error.key, error.params["previous"])
lower_than_previous 2 100
"""
import datetime
import re
from decimal import Decimal
from typing import Any, NamedTuple, Optional

# The generic spreadsheet helpers of the register import are reused as is.
from .register_import import (  # noqa: F401 (read_table re-exported)
    ImportFileError,
    cell_text,
    normalize_header,
    parse_date,
    parse_number,
    read_table,
)

INITIAL = "initial"
NORMAL = "normal"
REPLACEMENT = "replacement"
ROLLOVER = "rollover"
READING_TYPES = [
    (INITIAL, "Initial"),
    (NORMAL, "Normal"),
    (REPLACEMENT, "Meter replaced"),
    (ROLLOVER, "Rollover"),
]

WATER = "water"
ELECTRICITY = "electricity"
GAS = "gas"
METER_KINDS = [
    (WATER, "Water"),
    (ELECTRICITY, "Electricity"),
    (GAS, "Gas"),
]
# Unit of consumption of each kind, as printed (m³ for water and gas, kWh (度)).
KIND_UOM = {WATER: "m³", ELECTRICITY: "kWh", GAS: "m³"}

ZERO = Decimal(0)


class ReadingError(Exception):
    """A reading that cannot be accepted.

    ``code`` names the problem (the Odoo layer turns it into a translated
    sentence with ``params``); ``key`` is the caller's key of the reading.
    """

    def __init__(self, code, key=None, **params):
        super().__init__(code)
        self.code = code
        self.key = key
        self.params = params


class Reading(NamedTuple):
    """One reading. ``old_final`` and ``initial`` only for a replacement."""

    date: datetime.date
    value: Any
    reading_type: str = NORMAL
    old_final: Any = None
    initial: Any = None
    key: Any = None


class Link(NamedTuple):
    """A reading in its chain: the reading before it and what it consumed."""

    reading: Reading
    previous: Optional[Reading]
    consumption: Decimal


def to_decimal(value):
    """``value`` as a ``Decimal``; floats through their shortest ``repr``.

    >>> to_decimal(0.1), to_decimal("12.50"), to_decimal(None)
    (Decimal('0.1'), Decimal('12.50'), None)
    """
    if value is None or value is False:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def capacity_of(digits):
    """Counter capacity of a meter with ``digits`` integer digits, or None.

    >>> capacity_of(5), capacity_of(0), capacity_of(None)
    (Decimal('100000'), None, None)
    """
    if not digits or digits <= 0:
        return None
    return Decimal(10) ** int(digits)


def reading_consumption(previous, reading, capacity=None):
    """Consumption of ``reading`` after ``previous`` (None: first reading).

    Raises ``ReadingError`` when the reading is not acceptable.
    """
    value = _checked_value(reading, capacity)
    kind = reading.reading_type or NORMAL
    if previous is None:
        if kind in (REPLACEMENT, ROLLOVER):
            raise ReadingError("needs_previous", reading.key, type=kind)
        return ZERO
    if reading.date <= previous.date:
        raise ReadingError("duplicate_date", reading.key, date=reading.date)
    return _CONSUMPTION[kind](previous, reading, value, capacity)


def _checked_value(reading, capacity):
    """The reading's value, checked on its own (known type, 0 <= value < capacity)."""
    value = to_decimal(reading.value)
    if value is None:
        raise ReadingError("missing_value", reading.key)
    if value < 0:
        raise ReadingError("negative_value", reading.key, value=value)
    if capacity is not None and value >= capacity:
        raise ReadingError(
            "over_capacity", reading.key, value=value, capacity=capacity)
    if (reading.reading_type or NORMAL) not in _CONSUMPTION:
        raise ReadingError("unknown_type", reading.key, value=reading.reading_type)
    return value


def _initial_consumption(previous, reading, value, capacity):
    raise ReadingError(
        "initial_not_first", reading.key, previous_date=previous.date)


def _normal_consumption(previous, reading, value, capacity):
    before = to_decimal(previous.value)
    if value < before:
        raise ReadingError(
            "lower_than_previous", reading.key, value=value, previous=before,
            previous_date=previous.date)
    return value - before


def _rollover_consumption(previous, reading, value, capacity):
    before = to_decimal(previous.value)
    if capacity is None:
        raise ReadingError("rollover_without_capacity", reading.key)
    if value >= before:
        raise ReadingError(
            "rollover_not_lower", reading.key, value=value, previous=before)
    return capacity - before + value


def _replacement_consumption(previous, reading, value, capacity):
    before = to_decimal(previous.value)
    old_final = to_decimal(reading.old_final)
    initial = to_decimal(reading.initial)
    if old_final is None or initial is None:
        raise ReadingError("replacement_incomplete", reading.key)
    if initial < 0:
        raise ReadingError("negative_value", reading.key, value=initial)
    if old_final < before:
        raise ReadingError(
            "old_final_lower", reading.key, old_final=old_final, previous=before,
            previous_date=previous.date)
    if value < initial:
        raise ReadingError(
            "lower_than_initial", reading.key, value=value, initial=initial)
    return old_final - before + value - initial


_CONSUMPTION = {
    INITIAL: _initial_consumption,
    NORMAL: _normal_consumption,
    ROLLOVER: _rollover_consumption,
    REPLACEMENT: _replacement_consumption,
}


def sort_key(reading):
    """Readings are ordered by date (then by key, for a stable order)."""
    return (reading.date, str(reading.key))


def check_chain(readings, capacity=None):
    """Validate a meter's readings (any order): the list of ``Link`` in date
    order, or ``ReadingError`` for the first reading that is not acceptable.
    Two readings on the same day are refused (``duplicate_date``)."""
    links, previous = [], None
    for reading in sorted(readings, key=sort_key):
        consumption = reading_consumption(previous, reading, capacity)
        links.append(Link(reading, previous, consumption))
        previous = reading
    return links


def chain_errors(readings, capacity=None, keys=None):
    """Every problem of a chain, not only the first: ``[ReadingError]``.

    A refused reading is left out and the next one is checked against the last
    accepted one. ``keys``: when given, only errors of readings with these keys
    are reported (the new ones of an entry or import).
    """
    errors, previous = [], None
    for reading in sorted(readings, key=sort_key):
        try:
            reading_consumption(previous, reading, capacity)
        except ReadingError as error:
            if keys is not None and reading.key not in keys:
                # an existing reading broken by a new one before it: blame that one
                error.key = previous.key if previous is not None else None
            if keys is None or error.key in keys:
                errors.append(error)
            continue
        previous = reading
    return errors


def _start_and_end(links, date_from, date_to):
    """Indexes (start, end) in ``links`` (date order) for the two days."""
    start = end = None
    for index, link in enumerate(links):
        if link.reading.date <= date_from:
            start = index
        if link.reading.date <= date_to:
            end = index
    if start is None:
        start = 0
    return start, end


def consumption_between(links, date_from, date_to):
    """(consumption, [Link] from the start reading to the end reading) between
    the last reading on or before ``date_from`` (else the first reading) and the
    last reading on or before ``date_to``. Empty list and 0 when there is no
    reading in that span.

    >>> from datetime import date as d
    >>> links = check_chain([Reading(d(2026, 1, 1), 10), Reading(d(2026, 2, 1), 15),
    ...                      Reading(d(2026, 3, 1), 22)])
    >>> total, used = consumption_between(links, d(2026, 1, 15), d(2026, 3, 1))
    >>> total, [link.reading.value for link in used]
    (Decimal('12'), [10, 15, 22])
    >>> consumption_between(links, d(2025, 1, 1), d(2025, 12, 31))
    (Decimal('0'), [])
    """
    if date_to < date_from or not links:
        return ZERO, []
    start, end = _start_and_end(links, date_from, date_to)
    if end is None or end < start:
        return ZERO, []
    used = list(links[start:end + 1])
    return sum((link.consumption for link in used[1:]), ZERO), used


def year_start_boundary(day):
    """Boundary day before the calendar year of ``day`` (31 Dec of the year
    before): ``consumption_between(year_start_boundary(d), d)`` is what the
    meter consumed in d's year up to ``d``.

    >>> year_start_boundary(datetime.date(2026, 3, 1))
    datetime.date(2025, 12, 31)
    """
    return datetime.date(day.year, 1, 1) - datetime.timedelta(days=1)


def consumption_in_year_before(links, day):
    """Consumption counted in the calendar year of ``day`` before a period
    whose boundary is ``day`` (readings dated from 1 January to ``day``): the
    ``billed_this_year`` of yearly tiers when billing ``between(day, ...)``."""
    return consumption_between(links, year_start_boundary(day), day)[0]


def missing_meters(reading_dates, date_from, date_to):
    """Keys of the meters with no reading dated in [date_from, date_to].

    ``reading_dates``: {meter key: iterable of reading dates}.

    >>> from datetime import date as d
    >>> sorted(missing_meters({1: [d(2026, 3, 31)], 2: [d(2026, 2, 28)], 3: []},
    ...                       d(2026, 3, 1), d(2026, 3, 31)))
    [2, 3]
    """
    return [
        key for key, dates in reading_dates.items()
        if not any(date_from <= day <= date_to for day in dates)
    ]


# -- importing readings from a spreadsheet -------------------------------------

# canonical key -> accepted headers (compared after normalize_header()).
COLUMNS = [
    ("estate_code", ["estate_code", "estate", "小区编码", "小区代码", "项目编码",
                     "小区"]),
    ("meter_code", ["meter_code", "meter", "code", "表号", "表计编号", "表编号",
                    "水表号", "电表号", "表计编码"]),
    ("date", ["date", "reading_date", "抄表日期", "日期"]),
    ("value", ["value", "reading", "读数", "本期读数", "抄表读数", "表底数"]),
    ("type", ["type", "reading_type", "类型", "读数类型", "抄表类型"]),
    ("old_final", ["old_final", "old_final_value", "旧表止码", "旧表读数",
                   "旧表最终读数"]),
    ("initial", ["initial", "initial_value", "新表起码", "新表初始读数",
                 "新表读数"]),
    ("note", ["note", "备注"]),
]
REQUIRED_COLUMNS = ("estate_code", "meter_code", "date", "value")
TEMPLATE_HEADER = [
    "estate_code/小区编码", "meter_code/表号", "date/抄表日期", "value/读数",
    "type/类型", "old_final/旧表止码", "initial/新表起码", "note/备注",
]
TYPE_VALUES = {
    NORMAL: ["normal", "正常", "抄表", "普通"],
    INITIAL: ["initial", "初始", "期初", "起始", "初始读数"],
    REPLACEMENT: ["replacement", "replaced", "meter replaced", "换表"],
    ROLLOVER: ["rollover", "翻表", "满量程", "归零", "回零", "翻转"],
}
_TYPES = {alias.lower(): code for code, aliases in TYPE_VALUES.items()
          for alias in aliases}
_COLUMN_ALIASES = {normalize_header(name): key
                   for key, names in COLUMNS for name in names}

ReadingRow = NamedTuple("ReadingRow", [
    ("row", int), ("estate_code", str), ("meter_code", str),
    ("reading", Reading), ("note", str)])
ParseResult = NamedTuple("ParseResult", [("rows", list), ("errors", list)])


def column_key(header):
    """Canonical key of a header cell ("key/中文" accepted), or None.

    >>> column_key("抄表日期"), column_key("value/读数"), column_key("x")
    ('date', 'value', None)
    """
    text = normalize_header(header)
    if text in _COLUMN_ALIASES:
        return _COLUMN_ALIASES[text]
    for part in re.split(r"[/|]", text):
        part = part.strip("_ ")
        if part in _COLUMN_ALIASES:
            return _COLUMN_ALIASES[part]
    return None


def parse_reading_table(table):
    """Check every row of a table of readings whose first row is the header.

    Returns ParseResult(rows=[ReadingRow], errors=[(row number, code, params)]);
    row numbers are the spreadsheet's (header = 1); empty rows are skipped.
    The key of each ``ReadingRow.reading`` is its row number.

    >>> table = [["小区编码", "表号", "抄表日期", "读数", "类型"],
    ...          ["GG", "W-0101", "2026/3/31", "123.5", ""],
    ...          ["GG", "W-0102", "2026-03-31", "-1", "翻表"]]
    >>> result = parse_reading_table(table)
    >>> [(r.row, r.meter_code, r.reading.value) for r in result.rows]
    [(2, 'W-0101', Decimal('123.5'))]
    >>> result.errors
    [(3, 'bad_value', {'value': '-1'})]
    """
    if not table:
        return ParseResult([], [(1, "empty_file", {})])
    columns, errors = {}, []
    for index, cell in enumerate(table[0]):
        key = column_key(cell)
        if key is None:
            continue
        if key in columns:
            errors.append((1, "duplicate_column", {"column": cell_text(cell)}))
        else:
            columns[key] = index
    for key in REQUIRED_COLUMNS:
        if key not in columns:
            errors.append((1, "missing_column", {"column": key}))
    if errors:
        return ParseResult([], errors)
    headers = {key: cell_text(table[0][index]) for key, index in columns.items()}
    rows, seen = [], {}
    for number, raw in enumerate(table[1:], start=2):
        cells = {key: (raw[index] if index < len(raw) else "")
                 for key, index in columns.items()}
        if not any(cell_text(value) for value in cells.values()):
            continue
        row, row_errors = _parse_row(number, cells, headers)
        if row is not None:
            key = (row.estate_code, row.meter_code, row.reading.date)
            if key in seen:
                row, row_errors = None, [
                    (number, "duplicate_row", {"first_row": seen[key]})]
            else:
                seen[key] = number
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    return ParseResult(rows, errors)


def _parse_row(number, cells, headers):
    """(ReadingRow or None, errors) of one data row given as {key: raw cell}."""
    text = {key: cell_text(value) for key, value in cells.items()}
    errors = []

    def error(code, **params):
        errors.append((number, code, params))

    if not text["estate_code"]:
        error("empty_estate_code")
    if not text["meter_code"]:
        error("empty_meter_code")
    day = parse_date(cells["date"]) if text["date"] else None
    if day is None:
        error("bad_date", column=headers["date"], value=text["date"])
    value = _number(cells["value"])
    if value is None:
        error("bad_value", value=text["value"])
    kind = NORMAL
    if text.get("type"):
        kind = _TYPES.get(text["type"].lower())
        if kind is None:
            error("unknown_type", value=text["type"])
    old_final = initial = None
    if kind == REPLACEMENT:
        old_final = _number(cells.get("old_final"))
        initial = _number(cells.get("initial"))
        if old_final is None or initial is None:
            error("replacement_incomplete")
    if errors:
        return None, errors
    reading = Reading(day, value, kind, old_final, initial, key=number)
    return ReadingRow(number, text["estate_code"], text["meter_code"], reading,
                      text.get("note", "")), errors


def _number(value):
    """A non-negative Decimal from a cell, or None."""
    if not cell_text(value):
        return None
    number = parse_number(value)
    if number is None or number < 0:
        return None
    return to_decimal(number)


__all__ = [
    "INITIAL", "NORMAL", "REPLACEMENT", "ROLLOVER", "READING_TYPES",
    "WATER", "ELECTRICITY", "GAS", "METER_KINDS", "KIND_UOM",
    "ReadingError", "Reading", "Link", "to_decimal", "capacity_of",
    "reading_consumption", "check_chain", "chain_errors", "consumption_between",
    "year_start_boundary", "consumption_in_year_before", "missing_meters",
    "COLUMNS", "TEMPLATE_HEADER", "TYPE_VALUES", "ReadingRow", "ParseResult",
    "column_key", "parse_reading_table", "read_table", "ImportFileError",
]
