"""Fee lines and their basis (property_billing.rules.fees)."""
import doctest
from datetime import date, timedelta
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from property_billing.rules import constants, fees
from property_billing.rules.periods import Period

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
TIERS = [(180, "3.45"), (260, "4.83"), (None, "7.72")]


def test_doctests():
    assert doctest.testmod(fees).failed == 0


# -- rounding and formatting ---------------------------------------------------------

@pytest.mark.parametrize("value, precision, expected", [
    ("250.60", "0.01", "250.60"),
    ("250.605", "0.01", "250.61"),
    ("250.6049", "0.01", "250.60"),
    ("-0.005", "0.01", "-0.01"),
    ("0.004", "0.01", "0.00"),
    ("12.345", "0.05", "12.35"),
    ("12.324", "0.05", "12.30"),
    ("12.5", "1", "13"),
    (Fraction(1, 3), "0.01", "0.33"),
    (Fraction(2, 3), "0.01", "0.67"),
    (0.1 + 0.2, "0.01", "0.30"),
])
def test_round_money(value, precision, expected):
    result = fees.round_money(value, D(precision))
    assert result == D(expected)
    assert str(result) == expected


@pytest.mark.parametrize("precision", ["0", "-0.01"])
def test_round_money_refuses_bad_precision(precision):
    with pytest.raises(ValueError):
        fees.round_money(1, D(precision))


@pytest.mark.parametrize("value, places, expected", [
    (D("89.5"), 2, "89.50"),
    (D("89.50"), 2, "89.50"),
    (D("1.925"), 2, "1.925"),
    (D("120"), 2, "120.00"),
    (D("12.000"), 0, "12"),
    (D("12.50"), 0, "12.5"),
    (D("1E+3"), 0, "1000"),
    (D("-0.00"), 2, "0.00"),
    (89.5, 2, "89.50"),
    (3, 0, "3"),
])
def test_format_number(value, places, expected):
    assert fees.format_number(value, places) == expected


# -- per_area ------------------------------------------------------------------------

@pytest.mark.parametrize("rate, area, months, vacant, amount, basis", [
    # the worked example of the requirements
    ("2.80", "89.50", 1, None, "250.60", "89.50 m² × 2.80 元/m²/月 × 1 月"),
    ("2.80", "89.5", MARCH, None, "250.60", "89.50 m² × 2.80 元/m²/月 × 1 月"),
    ("2.80", "89.50", 3, None, "751.80", "89.50 m² × 2.80 元/m²/月 × 3 月"),
    ("1.925", "120", 1, None, "231.00", "120.00 m² × 1.925 元/m²/月 × 1 月"),
    # a quarter is 3 months whatever the lengths of its months
    ("2.80", "89.50", Period(date(2026, 1, 1), date(2026, 3, 31)), None, "751.80",
     "89.50 m² × 2.80 元/m²/月 × 3 月"),
    # partial month: days / days in that month (250.60 × 16/31 = 129.3419)
    ("2.80", "89.50", Period(date(2026, 3, 16), date(2026, 3, 31)), None, "129.34",
     "89.50 m² × 2.80 元/m²/月 × 16/31 月"),
    # leap February: 250.60 × 20/29 = 172.8276
    ("2.80", "89.50", Period(date(2024, 2, 10), date(2024, 2, 29)), None, "172.83",
     "89.50 m² × 2.80 元/m²/月 × 20/29 月"),
    # partial first month + two whole months: 250.60 × (2 + 17/31) = 638.6258
    ("2.80", "89.50", Period(date(2026, 1, 15), date(2026, 3, 31)), None, "638.63",
     "89.50 m² × 2.80 元/m²/月 × (2 + 17/31) 月"),
    # calendar months, not anniversary months: 17/31 + 14/28 of a month
    ("2.80", "89.50", Period(date(2026, 1, 15), date(2026, 2, 14)), None, "262.73",
     "89.50 m² × 2.80 元/m²/月 × (17/31 + 14/28) 月"),
    ("2.80", "89.50", D("0.5"), None, "125.30", "89.50 m² × 2.80 元/m²/月 × 0.5 月"),
    # vacant unit at 70 %
    ("2.80", "89.50", 1, 70, "175.42", "89.50 m² × 2.80 元/m²/月 × 1 月 × 70% (空置)"),
    # 250.60 × 62.5 % = 156.625: half a cent goes up, rounded once at the end
    ("2.80", "89.50", 1, D("62.5"), "156.63",
     "89.50 m² × 2.80 元/m²/月 × 1 月 × 62.5% (空置)"),
    # vacant and partial: 250.60 × 16/31 × 70 % = 90.5394
    ("2.80", "89.50", Period(date(2026, 3, 16), date(2026, 3, 31)), 70, "90.54",
     "89.50 m² × 2.80 元/m²/月 × 16/31 月 × 70% (空置)"),
    ("2.80", "0", 1, None, "0.00", "0.00 m² × 2.80 元/m²/月 × 1 月"),
    ("0.05", "0.1", 1, None, "0.01", "0.10 m² × 0.05 元/m²/月 × 1 月"),
])
def test_per_area_line(rate, area, months, vacant, amount, basis):
    line = fees.per_area_line(D(rate), D(area), months, vacant_percent=vacant)
    assert (line.method, line.amount, line.basis) == (fees.PER_AREA, D(amount), basis)
    assert str(line.amount) == amount
    assert line.vacant_percent == (None if vacant is None else D(vacant))


def test_per_area_line_rounds_once_not_per_factor():
    # 2.345 × 10 × 1/3: rounding the rate or the month first would give 7.82/7.83
    ten_days = Period(date(2026, 4, 1), date(2026, 4, 10))
    line = fees.per_area_line("2.345", "10", ten_days)
    assert line.amount == D("7.82")  # 23.45 / 3 = 7.8166…


@pytest.mark.parametrize("precision, amount", [
    ("0.01", "250.60"), ("0.1", "250.6"), ("1", "251"), ("0.05", "250.60")])
def test_per_area_line_currency_precision(precision, amount):
    line = fees.per_area_line("2.80", "89.50", 1, precision=D(precision))
    assert str(line.amount) == amount


@pytest.mark.parametrize("kwargs", [
    {"area": "-1"}, {"months": -1}, {"vacant_percent": -5}])
def test_per_area_line_refuses_negative_inputs(kwargs):
    values = {"rate": "2.80", "area": "89.50", "months": 1}
    values.update(kwargs)
    with pytest.raises(ValueError):
        fees.per_area_line(**values)


def test_per_area_line_refuses_reversed_period():
    with pytest.raises(ValueError):
        fees.per_area_line("2.80", "89.50", Period(date(2026, 3, 31), date(2026, 3, 1)))


def test_labels_translate_the_basis():
    english = fees.Labels(currency="CNY", month="mo", vacant="vacant")
    line = fees.per_area_line("2.80", "89.50", 1, vacant_percent=70, labels=english)
    assert line.basis == "89.50 m² × 2.80 CNY/m²/mo × 1 mo × 70% (vacant)"


# -- fixed ---------------------------------------------------------------------------

@pytest.mark.parametrize("amount, months, quantity, vacant, labels, expected, basis", [
    ("120", 1, 1, None, {}, "120.00", "120.00 元/户/月 × 1 月"),
    ("120", 3, 1, None, {}, "360.00", "120.00 元/户/月 × 3 月"),
    ("150", MARCH, 1, None, {"each": "车位"}, "150.00", "150.00 元/车位/月 × 1 月"),
    ("150", 1, 2, None, {"each": "车位"}, "300.00", "2 车位 × 150.00 元/车位/月 × 1 月"),
    ("120", Period(date(2026, 2, 15), date(2026, 2, 28)), 1, None, {}, "60.00",
     "120.00 元/户/月 × 14/28 月"),
    ("100", Period(date(2026, 3, 21), date(2026, 3, 31)), 1, None, {}, "35.48",
     "100.00 元/户/月 × 11/31 月"),
    ("120", 1, 1, 70, {}, "84.00", "120.00 元/户/月 × 1 月 × 70% (空置)"),
    ("0", 12, 1, None, {}, "0.00", "0.00 元/户/月 × 12 月"),
])
def test_fixed_line(amount, months, quantity, vacant, labels, expected, basis):
    line = fees.fixed_line(D(amount), months, quantity=quantity, vacant_percent=vacant,
                           labels=fees.DEFAULT_LABELS._replace(**labels))
    assert (line.method, line.amount, line.basis) == (fees.FIXED, D(expected), basis)


# -- metered and tiers -----------------------------------------------------------------

@pytest.mark.parametrize("consumption, billed, expected", [
    # inside the first tier
    ("20", "0", [(1, "20")]),
    # crossing 180: 12 in tier 1, 8 in tier 2
    ("20", "168", [(1, "12"), (2, "8")]),
    # ending exactly on the limit stays in tier 1
    ("12", "168", [(1, "12")]),
    # starting exactly on the limit is tier 2 (181st m³ onwards)
    ("10", "180", [(2, "10")]),
    # crossing both limits
    ("100", "170", [(1, "10"), (2, "80"), (3, "10")]),
    # already above every limit
    ("30", "400", [(3, "30")]),
    # decimals
    ("12.5", "175.5", [(1, "4.5"), (2, "8.0")]),
    # nothing consumed: one empty segment in the tier the year stands in
    ("0", "0", [(1, "0")]),
    ("0", "180", [(2, "0")]),
    ("0", "300", [(3, "0")]),
])
def test_split_tiers(consumption, billed, expected):
    segments = fees.split_tiers(D(consumption), TIERS, D(billed))
    assert [(s.tier, s.quantity) for s in segments] == [(n, D(q)) for n, q in expected]
    assert sum(s.quantity for s in segments) == D(consumption)


@pytest.mark.parametrize("consumption, price, billed, vacant, amount, basis", [
    ("20", "3.45", "0", None, "69.00", "20 m³ × 3.45 元/m³"),
    ("12.5", "3.45", "0", None, "43.13", "12.5 m³ × 3.45 元/m³"),  # 43.125 up
    ("20", TIERS, "0", None, "69.00", "第1阶梯 20 m³ × 3.45 元/m³"),
    # 12 × 3.45 + 8 × 4.83 = 41.40 + 38.64
    ("20", TIERS, "168", None, "80.04",
     "第1阶梯 12 m³ × 3.45 元/m³ + 第2阶梯 8 m³ × 4.83 元/m³"),
    # 10 × 3.45 + 80 × 4.83 + 10 × 7.72 = 34.50 + 386.40 + 77.20
    ("100", TIERS, "170", None, "498.10",
     "第1阶梯 10 m³ × 3.45 元/m³ + 第2阶梯 80 m³ × 4.83 元/m³ + 第3阶梯 10 m³ × 7.72 元/m³"),
    ("30", TIERS, "400", None, "231.60", "第3阶梯 30 m³ × 7.72 元/m³"),
    ("0", TIERS, "200", None, "0.00", "第2阶梯 0 m³ × 4.83 元/m³"),
    ("20", TIERS, "168", 50, "40.02",
     "(第1阶梯 12 m³ × 3.45 元/m³ + 第2阶梯 8 m³ × 4.83 元/m³) × 50% (空置)"),
    ("20", "3.45", "0", 50, "34.50", "20 m³ × 3.45 元/m³ × 50% (空置)"),
])
def test_metered_line(consumption, price, billed, vacant, amount, basis):
    if isinstance(price, list):
        line = fees.metered_line(D(consumption), tiers=price,
                                 billed_this_year=D(billed), vacant_percent=vacant)
        assert sum(s.quantity for s in line.tiers) == D(consumption)
    else:
        line = fees.metered_line(D(consumption), price=D(price), vacant_percent=vacant)
        assert line.tiers == ()
    assert (line.method, line.amount, line.basis) == (fees.METERED, D(amount), basis)


def test_metered_line_electricity_labels():
    line = fees.metered_line(D("150"), price=D("0.538"),
                             labels=fees.DEFAULT_LABELS._replace(meter="度"))
    assert (line.amount, line.basis) == (D("80.70"), "150 度 × 0.538 元/度")


@pytest.mark.parametrize("kwargs", [
    {},
    {"price": "3.45", "tiers": TIERS},
    {"tiers": []},
    {"tiers": [(180, "3.45"), (260, "4.83")]},          # last tier bounded
    {"tiers": [(260, "3.45"), (180, "4.83"), (None, "7.72")]},  # not increasing
    {"tiers": [(180, "3.45"), (180, "4.83"), (None, "7.72")]},
    {"tiers": [(180, "3.45"), (None, "4.83"), (None, "7.72")]},
    {"tiers": [(0, "3.45"), (None, "4.83")]},
    {"tiers": TIERS, "billed_this_year": -1},
    {"price": "3.45", "consumption": -1},
])
def test_metered_line_refuses_bad_input(kwargs):
    kwargs.setdefault("consumption", D(10))
    with pytest.raises(ValueError):
        fees.metered_line(**kwargs)


# -- apportioned (公摊) ----------------------------------------------------------------

def test_apportion_by_area_worked_example():
    units = [("1-101", D("89.50")), ("1-102", D("120.00")), ("1-103", D("90.50"))]
    lines = fees.apportion(D("1000.00"), units)
    # exact shares 298.3333…, 400.00, 301.6666…: 298.33 + 400.00 + 301.67
    assert {key: line.amount for key, line in lines.items()} == {
        "1-101": D("298.33"), "1-102": D("400.00"), "1-103": D("301.67")}
    assert list(lines) == ["1-101", "1-102", "1-103"]
    assert lines["1-101"].basis == "1000.00 元 × 89.50 m² ÷ 300.00 m²"
    assert all(line.method == fees.APPORTIONED for line in lines.values())


@pytest.mark.parametrize("total, units, by, expected", [
    # equal split with a tie: the smallest key gets the cent
    ("100.00", ["B", "A", "C"], fees.EQUALLY,
     {"A": ("33.34", "100.00 元 ÷ 3 户 (尾差 +0.01 元)"),
      "B": ("33.33", "100.00 元 ÷ 3 户"), "C": ("33.33", "100.00 元 ÷ 3 户")}),
    # 0.02 over three equal units: two of three get a cent, keys decide; the
    # third alone would round 0.0067 up to 0.01, so its basis notes the -0.01
    ("0.02", ["3", "1", "2"], fees.EQUALLY,
     {"1": ("0.01", "0.02 元 ÷ 3 户"), "2": ("0.01", "0.02 元 ÷ 3 户"),
      "3": ("0.00", "0.02 元 ÷ 3 户 (尾差 -0.01 元)")}),
    # 2/3 rounds half up to 0.67 on its own; the remainder method agrees here
    ("2.00", ["a", "b", "c"], fees.EQUALLY,
     {"a": ("0.67", "2.00 元 ÷ 3 户"), "b": ("0.67", "2.00 元 ÷ 3 户"),
      "c": ("0.66", "2.00 元 ÷ 3 户 (尾差 -0.01 元)")}),
    ("0", ["a", "b"], fees.EQUALLY,
     {"a": ("0.00", "0.00 元 ÷ 2 户"), "b": ("0.00", "0.00 元 ÷ 2 户")}),
])
def test_apportion_equally(total, units, by, expected):
    lines = fees.apportion(D(total), [(key, 1) for key in units], by=by)
    got = {key: (str(line.amount), line.basis) for key, line in lines.items()}
    assert got == expected
    assert sum(line.amount for line in lines.values()) == D(total)


def test_apportion_by_area_tie_goes_to_smallest_key():
    # 0.01 over two equal areas: exact 0.005 each, one cent only
    lines = fees.apportion(D("0.01"), [("2-1", "50"), ("1-9", "50")])
    assert (lines["1-9"].amount, lines["2-1"].amount) == (D("0.01"), D("0.00"))


def test_apportion_units_with_zero_area_get_nothing():
    lines = fees.apportion(D("10"), [fees.Unit("a", D("0")), fees.Unit("b", D("80"))])
    assert (lines["a"].amount, lines["b"].amount) == (D("0.00"), D("10.00"))


def test_apportion_a_refund_is_split_negative():
    lines = fees.apportion(D("-10.00"), [("a", 1), ("b", 1), ("c", 1)], by=fees.EQUALLY)
    assert [line.amount for line in lines.values()] == [
        D("-3.34"), D("-3.33"), D("-3.33")]


def test_apportion_rounds_the_total_first():
    lines = fees.apportion(D("100.005"), [("a", 1), ("b", 1)], by=fees.EQUALLY)
    assert sum(line.amount for line in lines.values()) == D("100.01")


@pytest.mark.parametrize("units, by", [
    ([], fees.BY_AREA),
    ([("a", "0"), ("b", "0")], fees.BY_AREA),
    ([("a", "10"), ("a", "20")], fees.BY_AREA),
    ([("a", "-10"), ("b", "20")], fees.BY_AREA),
    ([("a", "10")], "by_floor"),
])
def test_apportion_refuses_bad_input(units, by):
    with pytest.raises(ValueError):
        fees.apportion(D("100"), units, by=by)


def test_allocate_returns_exact_shares():
    shares = fees.allocate(D("1.00"), [("x", 1), ("y", 2)])
    assert [(s.key, s.amount, s.exact) for s in shares] == [
        ("x", D("0.33"), Fraction(1, 3)), ("y", D("0.67"), Fraction(2, 3))]


# -- line_amount: one line from a standard ------------------------------------------

VACANT_70 = D(70)


@pytest.mark.parametrize("standard, unit, period, kwargs, amount, basis", [
    (fees.Standard(fees.PER_AREA, D("2.80"), vacant_percent=VACANT_70),
     fees.Unit("3-2-1502", D("89.50"), "occupied"), MARCH, {},
     "250.60", "89.50 m² × 2.80 元/m²/月 × 1 月"),
    (fees.Standard(fees.PER_AREA, D("2.80"), vacant_percent=VACANT_70),
     fees.Unit("3-2-1502", D("89.50"), "vacant"), MARCH, {},
     "175.42", "89.50 m² × 2.80 元/m²/月 × 1 月 × 70% (空置)"),
    # the vacant rule is for state vacant only, not e.g. decorating
    (fees.Standard(fees.PER_AREA, D("2.80"), vacant_percent=VACANT_70),
     fees.Unit("3-2-1502", D("89.50"), "decorating"), MARCH, {},
     "250.60", "89.50 m² × 2.80 元/m²/月 × 1 月"),
    (fees.Standard(fees.PER_AREA, D("2.80")),
     fees.Unit("3-2-1502", D("89.50"), "vacant"), MARCH, {},
     "250.60", "89.50 m² × 2.80 元/m²/月 × 1 月"),
    (fees.Standard(fees.FIXED, D("150")), fees.Unit("P-018", D("12.5")), 3, {},
     "450.00", "150.00 元/户/月 × 3 月"),
    (fees.Standard(fees.METERED, D("3.45")), fees.Unit("3-2-1502", D("89.50")), MARCH,
     {"consumption": D("20")}, "69.00", "20 m³ × 3.45 元/m³"),
    (fees.Standard(fees.METERED, tiers=tuple(fees.Tier(D(u) if u else None, D(p))
                                             for u, p in TIERS)),
     fees.Unit("3-2-1502", D("89.50")), MARCH,
     {"consumption": D("20"), "billed_this_year": D("168")}, "80.04",
     "第1阶梯 12 m³ × 3.45 元/m³ + 第2阶梯 8 m³ × 4.83 元/m³"),
])
def test_line_amount(standard, unit, period, kwargs, amount, basis):
    line = fees.line_amount(standard, unit, period, **kwargs)
    assert (line.method, line.amount, line.basis) == (standard.method, D(amount), basis)


@pytest.mark.parametrize("standard, kwargs", [
    (fees.Standard(fees.METERED, D("3.45")), {}),
    (fees.Standard(fees.APPORTIONED), {}),
    (fees.Standard("per_floor", D(1)), {}),
])
def test_line_amount_refuses(standard, kwargs):
    with pytest.raises(ValueError):
        fees.line_amount(standard, fees.Unit("u", D(80)), MARCH, **kwargs)


def test_method_codes():
    assert [code for code, _label in fees.FEE_METHODS] == [
        "per_area", "fixed", "metered", "apportioned"]
    assert fees.VACANT_STATE in dict(constants.UNIT_STATES)


# -- properties ----------------------------------------------------------------------

CENTS = st.integers(min_value=0, max_value=10 ** 9).map(lambda c: D(c) / 100)
SIGNED_CENTS = st.integers(-10 ** 9, 10 ** 9).map(lambda c: D(c) / 100)
AREAS = st.decimals(min_value=0, max_value=10000, places=2)
RATES = st.decimals(min_value=0, max_value=100, places=3)
QUANTITIES = st.decimals(min_value=0, max_value=1000, places=1)
PERCENTS = st.none() | st.decimals(min_value=0, max_value=100, places=1)
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def periods(draw):
    start = draw(DAYS)
    return Period(start, start + timedelta(days=draw(st.integers(0, 1200))))


@st.composite
def tier_lists(draw):
    limits = sorted(draw(st.sets(st.integers(min_value=1, max_value=1000), max_size=4)))
    prices = draw(st.lists(RATES, min_size=len(limits) + 1, max_size=len(limits) + 1))
    return [fees.Tier(D(limit), price) for limit, price in zip(limits, prices)] + [
        fees.Tier(None, prices[-1])]


@given(total=SIGNED_CENTS,
       areas=st.lists(AREAS, min_size=1, max_size=40).filter(lambda a: sum(a) > 0),
       by=st.sampled_from([fees.BY_AREA, fees.EQUALLY]))
def test_apportioned_parts_sum_to_total_and_stay_within_a_cent(total, areas, by):
    units = [("u%03d" % index, area) for index, area in enumerate(areas)]
    lines = fees.apportion(total, units, by=by)
    assert sum(line.amount for line in lines.values()) == total
    weights = {key: (area if by == fees.BY_AREA else 1) for key, area in units}
    whole = sum(weights.values())
    for key, line in lines.items():
        exact = Fraction(total) * Fraction(weights[key]) / Fraction(whole)
        assert abs(Fraction(line.amount) - exact) < Fraction(1, 100)
        if total >= 0:
            assert line.amount >= 0


@given(total=SIGNED_CENTS,
       weights=st.lists(st.integers(min_value=0, max_value=10 ** 6), min_size=1,
                        max_size=30).filter(any),
       precision=st.sampled_from([D("0.01"), D("0.05"), D("1")]))
def test_allocate_sums_with_any_precision(total, weights, precision):
    shares = fees.allocate(total, list(enumerate(weights)), precision)
    assert sum(s.amount for s in shares) == fees.round_money(total, precision)
    for share in shares:
        assert abs(Fraction(share.amount) - share.exact) < Fraction(precision)
        assert Fraction(share.amount) % Fraction(precision) == 0


@given(rate=RATES, area=AREAS, period=periods(), percent=PERCENTS)
def test_per_area_never_negative_and_rounded_once(rate, area, period, percent):
    line = fees.per_area_line(rate, area, period, vacant_percent=percent)
    assert line.amount >= 0
    assert line.amount == line.amount.quantize(D("0.01"))
    months = fees.per_area_line(1, 1, period, precision=D("1E-12")).amount
    exact = rate * area * months * (1 if percent is None else percent / 100)
    assert abs(line.amount - exact) <= D("0.005") + D("1E-5")


@given(amount=RATES, months=QUANTITIES, quantity=st.integers(0, 5), percent=PERCENTS)
def test_fixed_never_negative(amount, months, quantity, percent):
    line = fees.fixed_line(amount, months, quantity=quantity, vacant_percent=percent)
    assert line.amount >= 0


@given(consumption=QUANTITIES, billed=QUANTITIES, tiers=tier_lists(), percent=PERCENTS)
def test_tier_split_sums_to_the_untiered_consumption(consumption, billed, tiers,
                                                     percent):
    segments = fees.split_tiers(consumption, tiers, billed)
    assert sum(s.quantity for s in segments) == consumption
    assert all(s.quantity >= 0 for s in segments)
    assert [s.tier for s in segments] == sorted({s.tier for s in segments})
    line = fees.metered_line(consumption, tiers=tiers, billed_this_year=billed,
                             vacant_percent=percent)
    assert line.amount >= 0


@given(first=QUANTITIES, second=QUANTITIES, tiers=tier_lists())
def test_two_readings_fill_the_tiers_like_one(first, second, tiers):
    def per_tier(segments):
        totals = {}
        for segment in segments:
            totals[segment.tier] = totals.get(segment.tier, 0) + segment.quantity
        return {tier: quantity for tier, quantity in totals.items() if quantity}

    apart = fees.split_tiers(first, tiers) + fees.split_tiers(second, tiers, first)
    assert per_tier(apart) == per_tier(fees.split_tiers(first + second, tiers))


@given(rate=RATES, area=AREAS, period=periods())
def test_vacant_at_100_percent_changes_only_the_basis(rate, area, period):
    full = fees.per_area_line(rate, area, period)
    vacant = fees.per_area_line(rate, area, period, vacant_percent=100)
    assert vacant.amount == full.amount
    assert vacant.basis == full.basis + " × 100% (空置)"
