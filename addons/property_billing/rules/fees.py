"""Fee lines: the amount of each fee and its human-readable basis (计费依据).

Plain Python: numbers are ``Decimal`` (``int`` and ``str`` are accepted,
``float`` is read through its shortest ``repr`` so that ``89.5`` is
``Decimal('89.5')``), periods are ``periods.Period`` or a number of months.
Nothing here reads the clock or imports odoo.

Rounding: every line is computed exactly (``Fraction``) and rounded **once**,
at the end of the line, half up (``ROUND_HALF_UP``, half a cent goes away from
zero) to the currency ``precision`` (default ``Decimal('0.01')``; any step such
as ``Decimal('0.05')`` or ``Decimal('1')`` works).

Methods (``FEE_METHODS``):

- ``per_area``: rate (元/m²/月) × building area × months in the period;
- ``fixed``: amount per unit (户, or per parking space) per month × months;
- ``metered``: consumption × price, with optional yearly tiers (阶梯价);
- ``apportioned`` (公摊): a shared amount split over units by building area or
  equally, the parts summing exactly to the whole (largest remainder).

Months follow ``periods.months_fraction``: whole calendar months count 1,
a partial month counts days covered / days in that month.

Vacant units (空置): a standard may bill units in state ``vacant`` at a
percentage (e.g. 70 %) of the full amount; the factor is shown in the basis.

Every label shown in a basis (元, m², 月, 户, ...) comes from one ``Labels``
tuple (Chinese by default) that the Odoo layer may replace by translated
strings.

>>> line = per_area_line(Decimal("2.80"), Decimal("89.50"), 1)
>>> line.amount, line.basis
(Decimal('250.60'), '89.50 m² × 2.80 元/m²/月 × 1 月')
>>> from datetime import date
>>> line = per_area_line("2.80", "89.50", Period(date(2026, 3, 16), date(2026, 3, 31)),
...                      vacant_percent=70)
>>> line.amount, line.basis
(Decimal('90.54'), '89.50 m² × 2.80 元/m²/月 × 16/31 月 × 70% (空置)')
>>> fixed_line("150", 3, labels=DEFAULT_LABELS._replace(each="车位")).basis
'150.00 元/车位/月 × 3 月'
>>> line = metered_line(20, tiers=[(180, "3.45"), (260, "4.83"), (None, "7.72")],
...                     billed_this_year=168)
>>> line.amount, line.basis
(Decimal('80.04'), '第1阶梯 12 m³ × 3.45 元/m³ + 第2阶梯 8 m³ × 4.83 元/m³')
>>> [(key, line.amount) for key, line in
...  apportion("100.00", [("A", 1), ("B", 1), ("C", 1)], by=EQUALLY).items()]
[('A', Decimal('33.34')), ('B', Decimal('33.33')), ('C', Decimal('33.33'))]
"""
import math
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple, Optional, Tuple

from .periods import Period, months_fraction, months_text

PER_AREA = "per_area"
FIXED = "fixed"
METERED = "metered"
APPORTIONED = "apportioned"
FEE_METHODS = [
    (PER_AREA, "Per m² of building area per month"),
    (FIXED, "Fixed amount per unit per month"),
    (METERED, "Metered consumption (optional yearly tiers)"),
    (APPORTIONED, "Shared cost apportioned over units"),
]

BY_AREA = "area"
EQUALLY = "equal"
APPORTION_BASES = [
    (BY_AREA, "By building area"),
    (EQUALLY, "Equally per unit"),
]

VACANT_STATE = "vacant"  # a code of constants.UNIT_STATES

CENT = Decimal("0.01")
HUNDRED = Fraction(100)


class Labels(NamedTuple):
    """Every word a basis shows; replace fields with ``_replace`` to translate.

    ``tier`` is a template with ``{n}`` (1-based tier number).
    """

    currency: str = "元"
    area: str = "m²"
    month: str = "月"
    day: str = "天"
    each: str = "户"       # what a fixed amount is per: 户, 车位, ...
    meter: str = "m³"      # metered unit: m³, 度, kWh, ...
    vacant: str = "空置"
    tier: str = "第{n}阶梯"
    rounding: str = "尾差"


DEFAULT_LABELS = Labels()


class Tier(NamedTuple):
    """A yearly price tier: consumption of the year up to ``upto`` (included;
    None = no limit) is billed at ``price``. Tiers 0–180, 181–260, above are
    ``Tier(180, a), Tier(260, b), Tier(None, c)``."""

    upto: Optional[Decimal]
    price: Decimal


class TierSegment(NamedTuple):
    """The part of one reading's consumption billed in one tier."""

    tier: int            # 1-based tier number
    quantity: Decimal
    price: Decimal


class FeeLine(NamedTuple):
    """One computed fee: rounded ``amount`` and its human-readable ``basis``."""

    method: str
    amount: Decimal
    basis: str
    vacant_percent: Optional[Decimal] = None
    tiers: Tuple[TierSegment, ...] = ()


class Share(NamedTuple):
    """One part of an allocation: rounded ``amount`` and ``exact`` share."""

    key: object
    amount: Decimal
    exact: Fraction


class Standard(NamedTuple):
    """What ``line_amount`` needs of a fee standard.

    ``rate``: 元/m²/月 (per_area), 元/户/月 (fixed) or the price of a
    metered standard without tiers; ``tiers``: ``Tier`` tuples;
    ``vacant_percent``: e.g. ``Decimal('70')`` or None.
    """

    method: str
    rate: Decimal = Decimal(0)
    tiers: Tuple[Tier, ...] = ()
    vacant_percent: Optional[Decimal] = None


class Unit(NamedTuple):
    """What the fee rules need of a unit (房屋)."""

    key: object
    area: Decimal
    state: str = "occupied"


# -- numbers -----------------------------------------------------------------


class FeeError(ValueError):
    """A fee that cannot be computed. ``code`` and ``params`` let the Odoo layer
    say it in the user's language; ``str()`` is the English developer text."""

    def __init__(self, code, message, **params):
        super().__init__(message % params if params else message)
        self.code = code
        self.params = params


def to_decimal(value):
    """``value`` as a ``Decimal``; floats through their shortest ``repr``."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Fraction):
        raise TypeError("a Fraction has no exact Decimal form: %r" % (value,))
    return Decimal(value)


def _exact(value):
    if isinstance(value, Fraction):
        return value
    return Fraction(to_decimal(value))


def _check_precision(precision):
    precision = to_decimal(precision)
    if not precision > 0:
        raise FeeError("bad_precision", "precision must be positive, not %(value)s",
                       value=precision)
    return precision


def _half_up(value):
    """Nearest integer to a Fraction, halves away from zero."""
    if value >= 0:
        return math.floor(value + Fraction(1, 2))
    return -math.floor(-value + Fraction(1, 2))


def round_money(value, precision=CENT):
    """Round ``value`` half up to a multiple of ``precision``.

    >>> round_money(Decimal("250.605")), round_money(Fraction(-1, 200))
    (Decimal('250.61'), Decimal('-0.01'))
    >>> round_money("12.345", Decimal("0.05"))
    Decimal('12.35')
    """
    precision = _check_precision(precision)
    steps = _half_up(_exact(value) / Fraction(precision))
    return Decimal(steps) * precision


def format_number(value, places=2):
    """``value`` with at least ``places`` decimals, more only when needed.

    >>> format_number(Decimal("89.5")), format_number("1.925"), format_number(12, 0)
    ('89.50', '1.925', '12')
    >>> format_number(Decimal("10.000"), 0), format_number(Decimal("1E+2"), 0)
    ('10', '100')
    """
    number = to_decimal(value)
    if number == 0:
        number = Decimal(0)
    number = number.normalize()
    decimals = max(places, -number.as_tuple().exponent)
    return "{:f}".format(number.quantize(Decimal(1).scaleb(-decimals)))


def format_percent(value):
    """``Decimal('70.0')`` → ``'70%'``, ``62.5`` → ``'62.5%'``."""
    return format_number(value, 0) + "%"


def _non_negative(name, value):
    value = to_decimal(value)
    if value < 0:
        raise FeeError("negative", "%(name)s must not be negative, not %(value)s",
                       name=name, value=value)
    return value


# -- months and the vacant rule ------------------------------------------------

def _months(months):
    """(exact months, text) for a ``Period``/(date_from, date_to) or a number."""
    if isinstance(months, tuple):
        start, end = months
        return months_fraction(start, end), months_text(start, end)
    number = _non_negative("months", months)
    return Fraction(number), format_number(number, 0)


def _months_basis(text, labels):
    if " + " in text:
        text = "(%s)" % text
    return "%s %s" % (text, labels.month)


def vacant_percent_for(state, vacant_percent):
    """The percentage to bill a unit in ``state`` at, or None for 100 %.

    >>> vacant_percent_for("vacant", 70), vacant_percent_for("occupied", 70)
    (Decimal('70'), None)
    """
    if state != VACANT_STATE or vacant_percent is None:
        return None
    return to_decimal(vacant_percent)


def _apply_vacant(exact, basis, vacant_percent, labels):
    """(exact × percent, basis with the factor) or unchanged when None."""
    if vacant_percent is None:
        return exact, basis, None
    percent = _non_negative("vacant_percent", vacant_percent)
    basis = "%s × %s (%s)" % (basis, format_percent(percent), labels.vacant)
    return exact * Fraction(percent) / HUNDRED, basis, percent


# -- per_area and fixed ----------------------------------------------------------

def per_area_line(rate, area, months, vacant_percent=None, precision=CENT,
                  labels=DEFAULT_LABELS):
    """Rate (元/m²/月) × building area × months.

    ``months``: a ``Period`` (or ``(date_from, date_to)``) counted by the
    months rule, or a number of months. ``vacant_percent``: pass the
    standard's percentage when the unit is vacant (see
    ``vacant_percent_for``), else None.
    """
    area = _non_negative("area", area)
    rate = to_decimal(rate)
    count, text = _months(months)
    basis = "%s %s × %s %s/%s/%s × %s" % (
        format_number(area), labels.area, format_number(rate), labels.currency,
        labels.area, labels.month, _months_basis(text, labels))
    exact = Fraction(rate) * Fraction(area) * count
    exact, basis, percent = _apply_vacant(exact, basis, vacant_percent, labels)
    return FeeLine(PER_AREA, round_money(exact, precision), basis, percent)


def fixed_line(amount, months, quantity=1, vacant_percent=None, precision=CENT,
               labels=DEFAULT_LABELS):
    """Amount per unit (``labels.each``: 户, 车位, ...) per month × months.

    ``quantity`` (e.g. two parking spaces) is shown only when it is not 1.

    >>> fixed_line("150", 1, quantity=2, labels=Labels(each="车位")).basis
    '2 车位 × 150.00 元/车位/月 × 1 月'
    """
    quantity = _non_negative("quantity", quantity)
    amount = to_decimal(amount)
    count, text = _months(months)
    basis = "%s %s/%s/%s × %s" % (
        format_number(amount), labels.currency, labels.each, labels.month,
        _months_basis(text, labels))
    if quantity != 1:
        basis = "%s %s × %s" % (format_number(quantity, 0), labels.each, basis)
    exact = Fraction(amount) * Fraction(quantity) * count
    exact, basis, percent = _apply_vacant(exact, basis, vacant_percent, labels)
    return FeeLine(FIXED, round_money(exact, precision), basis, percent)


# -- metered, with yearly tiers ---------------------------------------------------

def _check_tiers(tiers):
    tiers = [Tier(None if t[0] is None else to_decimal(t[0]), to_decimal(t[1]))
             for t in tiers]
    if not tiers:
        raise FeeError("no_tier", "at least one tier is needed")
    if tiers[-1].upto is not None:
        raise FeeError("last_tier_limited",
                       "the last tier must have no upper limit (upto=None)")
    previous = Decimal(0)
    for tier in tiers[:-1]:
        if tier.upto is None or tier.upto <= previous:
            raise FeeError("tiers_not_increasing",
                           "tier limits must increase: %(upto)s after %(previous)s",
                           upto=tier.upto, previous=previous)
        previous = tier.upto
    return tiers


def split_tiers(consumption, tiers, billed_this_year=0):
    """Cut a reading's ``consumption`` across yearly ``tiers``.

    ``billed_this_year``: consumption of the same meter (or account) already
    billed since the start of the tier year; the reading continues from there,
    so a reading that crosses a limit is split. The quantities always add up to
    ``consumption``. A zero consumption gives one empty segment in the current
    tier.

    >>> tiers = [Tier(180, Decimal("3.45")), Tier(260, Decimal("4.83")),
    ...          Tier(None, Decimal("7.72"))]
    >>> [(s.tier, s.quantity) for s in split_tiers(Decimal(100), tiers, 170)]
    [(1, Decimal('10')), (2, Decimal('80')), (3, Decimal('10'))]
    >>> [(s.tier, s.quantity) for s in split_tiers(0, tiers, 180)]
    [(2, Decimal('0'))]
    """
    consumption = _non_negative("consumption", consumption)
    start = _non_negative("billed_this_year", billed_this_year)
    end = start + consumption
    tiers = _check_tiers(tiers)
    segments = []
    lower = Decimal(0)
    for number, tier in enumerate(tiers, 1):
        low = max(lower, start)
        high = end if tier.upto is None else min(tier.upto, end)
        if high > low:
            segments.append(TierSegment(number, high - low, tier.price))
        lower = tier.upto
    if not segments:  # nothing consumed: show the tier the year stands in
        number, tier = next((n, t) for n, t in enumerate(tiers, 1)
                            if t.upto is None or start < t.upto)
        segments.append(TierSegment(number, consumption, tier.price))
    return tuple(segments)


def metered_line(consumption, price=None, tiers=None, billed_this_year=0,
                 vacant_percent=None, precision=CENT, labels=DEFAULT_LABELS):
    """Consumption × price, or across yearly ``tiers`` (give one of the two).

    ``tiers``: ``Tier`` or ``(upto, price)`` tuples, the last without limit;
    see ``split_tiers`` for ``billed_this_year``. The basis lists each tier
    segment. ``labels.meter`` is the unit of consumption (m³, 度, ...).
    """
    if (price is None) == (tiers is None):
        raise FeeError("price_or_tiers", "give either a price or tiers")
    if tiers is None:
        segments = (TierSegment(1, _non_negative("consumption", consumption),
                                to_decimal(price)),)
    else:
        segments = split_tiers(consumption, tiers, billed_this_year)
    terms = []
    for segment in segments:
        term = "%s %s × %s %s/%s" % (
            format_number(segment.quantity, 0), labels.meter,
            format_number(segment.price), labels.currency, labels.meter)
        if tiers is not None:
            term = "%s %s" % (labels.tier.format(n=segment.tier), term)
        terms.append(term)
    basis = " + ".join(terms)
    exact = sum((Fraction(s.quantity) * Fraction(s.price) for s in segments),
                Fraction(0))
    if vacant_percent is not None and len(terms) > 1:
        basis = "(%s)" % basis
    exact, basis, percent = _apply_vacant(exact, basis, vacant_percent, labels)
    return FeeLine(METERED, round_money(exact, precision), basis, percent,
                   segments if tiers is not None else ())


# -- apportioned (公摊) ---------------------------------------------------------------

def allocate(total, weights, precision=CENT):
    """Split ``total`` over ``weights`` [(key, weight)] by the largest remainder.

    ``total`` is first rounded to ``precision``. Each part is its exact share
    ``total × weight / Σ weights`` rounded *down* to ``precision``; the cents
    left over go one each to the parts with the largest remainders, ties to the
    smallest key (then the earlier item). So the parts sum exactly to the
    total and each differs from its exact share by less than one ``precision``.
    For a negative total the same is done on its absolute value. Returns
    ``Share`` tuples in input order.

    >>> [s.amount for s in allocate("10.00", [("a", 1), ("b", 1), ("c", 1)])]
    [Decimal('3.34'), Decimal('3.33'), Decimal('3.33')]
    """
    precision = _check_precision(precision)
    step = Fraction(precision)
    units = int(Fraction(round_money(total, precision)) / step)
    sign, units = (-1 if units < 0 else 1), abs(units)
    items = [(key, Fraction(_non_negative("weight", weight)))
             for key, weight in weights]
    whole = sum((weight for _key, weight in items), Fraction(0))
    if not items or whole == 0:
        if units:
            raise FeeError("zero_weight",
                           "cannot allocate %(total)s over a zero total weight",
                           total=total)
        return [Share(key, Decimal(0) * precision, Fraction(0)) for key, _w in items]
    exact = [units * weight / whole for _key, weight in items]
    floors = [math.floor(value) for value in exact]
    left = units - sum(floors)
    order = sorted(range(len(items)),
                   key=lambda i: (-(exact[i] - floors[i]), items[i][0], i))
    for index in order[:left]:
        floors[index] += 1
    return [Share(key, Decimal(sign * steps) * precision, sign * value * step)
            for (key, _weight), steps, value in zip(items, floors, exact)]


def rounding_note(share, precision=CENT, labels=DEFAULT_LABELS):
    """``' (尾差 +0.01 元)'`` when the largest remainder moved ``share`` away
    from its own half-up rounding, else ``''``."""
    adjustment = share.amount - round_money(share.exact, precision)
    if not adjustment:
        return ""
    return " (%s %s%s %s)" % (labels.rounding, "+" if adjustment > 0 else "-",
                              format_number(abs(adjustment)), labels.currency)


def _key_area(unit):
    if hasattr(unit, "key"):
        return unit.key, unit.area
    key, area = unit
    return key, area


def apportion(total, units, by=BY_AREA, precision=CENT, labels=DEFAULT_LABELS):
    """Split a shared ``total`` over ``units`` by building area or equally.

    ``units``: ``Unit`` tuples or ``(key, area)`` pairs with unique keys.
    Returns ``{key: FeeLine}`` in input order; the amounts sum exactly to the
    total rounded to ``precision`` (see ``allocate``). When the largest
    remainder moved a part away from its own half-up rounding, the basis shows
    the adjustment (尾差). The vacant rule does not apply: the shared cost is
    paid in full.

    >>> lines = apportion("1000", [("3-2-1502", "89.50"), ("3-2-1501", "120.00")])
    >>> lines["3-2-1502"].basis
    '1000.00 元 × 89.50 m² ÷ 209.50 m²'
    >>> lines["3-2-1502"].amount + lines["3-2-1501"].amount
    Decimal('1000.00')
    """
    pairs = [_key_area(unit) for unit in units]
    keys = [key for key, _area in pairs]
    if len(set(keys)) != len(keys):
        raise FeeError("duplicate_unit", "unit keys must be unique")
    if not pairs:
        raise FeeError("no_unit", "no unit to apportion over")
    total = round_money(total, precision)
    if by == BY_AREA:
        weights = [(key, _non_negative("area", area)) for key, area in pairs]
        whole_area = sum((area for _key, area in weights), Decimal(0))
    elif by == EQUALLY:
        weights = [(key, 1) for key in keys]
    else:
        raise FeeError("unknown_basis", "unknown apportionment basis %(basis)r",
                       basis=by)
    lines = {}
    for (key, weight), share in zip(weights, allocate(total, weights, precision)):
        if by == BY_AREA:
            basis = "%s %s × %s %s ÷ %s %s" % (
                format_number(total), labels.currency, format_number(weight),
                labels.area, format_number(whole_area), labels.area)
        else:
            basis = "%s %s ÷ %d %s" % (
                format_number(total), labels.currency, len(pairs), labels.each)
        basis += rounding_note(share, precision, labels)
        lines[key] = FeeLine(APPORTIONED, share.amount, basis)
    return lines


# -- one line from a standard ----------------------------------------------------------

def line_amount(standard, unit, period, consumption=None, billed_this_year=0,
                precision=CENT, labels=DEFAULT_LABELS):
    """The ``FeeLine`` of ``standard`` for ``unit`` over ``period``.

    ``period``: a ``Period`` or a number of months (per_area, fixed; ignored
    by metered, whose ``consumption`` and ``billed_this_year`` are passed).
    The standard's vacant percentage applies when the unit is vacant.
    Apportioned standards need every unit at once: use ``apportion``.

    >>> line_amount(Standard(PER_AREA, Decimal("2.80"), vacant_percent=Decimal(70)),
    ...             Unit("3-2-1502", Decimal("89.50"), "vacant"), 1).basis
    '89.50 m² × 2.80 元/m²/月 × 1 月 × 70% (空置)'
    """
    percent = vacant_percent_for(unit.state, standard.vacant_percent)
    if standard.method == PER_AREA:
        return per_area_line(standard.rate, unit.area, period, percent, precision,
                             labels)
    if standard.method == FIXED:
        return fixed_line(standard.rate, period, 1, percent, precision, labels)
    if standard.method == METERED:
        if consumption is None:
            raise FeeError("no_consumption", "a metered fee needs the consumption")
        if standard.tiers:
            return metered_line(consumption, tiers=standard.tiers,
                                billed_this_year=billed_this_year,
                                vacant_percent=percent, precision=precision,
                                labels=labels)
        return metered_line(consumption, price=standard.rate, vacant_percent=percent,
                            precision=precision, labels=labels)
    if standard.method == APPORTIONED:
        raise FeeError("apportioned_alone",
                       "apportioned fees are split over all units: use apportion()")
    raise FeeError("unknown_method", "unknown fee method %(method)r",
                   method=standard.method)


__all__ = [
    "PER_AREA", "FIXED", "METERED", "APPORTIONED", "FEE_METHODS", "BY_AREA",
    "EQUALLY", "APPORTION_BASES", "VACANT_STATE", "CENT", "Labels",
    "DEFAULT_LABELS", "Tier", "TierSegment", "FeeLine", "Share", "Standard", "Unit",
    "Period", "to_decimal", "round_money", "format_number", "format_percent",
    "vacant_percent_for", "per_area_line", "fixed_line", "split_tiers",
    "metered_line", "allocate", "rounding_note", "apportion", "line_amount",
]
