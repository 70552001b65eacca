"""Billing periods and how many months they hold (计费周期 / 计费月数).

Plain Python over ``datetime.date``: the caller passes every date (no
``today()`` here). A period is ``[date_from, date_to]`` with **both days
included**, as for occupancies.

Billing cycles
--------------
A standard bills ``monthly``, ``quarterly`` or ``yearly``. Cycles are aligned
on calendar months: quarters start in January, April, July and October and
years on 1 January, unless ``first_month`` moves the alignment (a "year" from
July to June has ``first_month=7``).

In advance or in arrears (预收 / 后收):

- ``advance``: a billing date bills the cycle period that **contains** it
  (billing on 2026-03-01 monthly bills March 2026);
- ``arrears``: a billing date bills the cycle period **before** the one that
  contains it (billing on 2026-04-01 monthly bills March 2026).

>>> from datetime import date
>>> billing_period(date(2026, 3, 1), MONTHLY, IN_ADVANCE)
Period(date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31))
>>> billing_period(date(2026, 4, 10), QUARTERLY, IN_ARREARS)
Period(date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 3, 31))
>>> period_code(billing_period(date(2026, 4, 10), QUARTERLY, IN_ARREARS))
'2026-Q1'

Months in a period (the rule used by every per-month fee)
--------------------------------------------------------
Walk the calendar months the period touches. A month the period covers
entirely counts **1**; a month it covers partly counts
**days covered / days in that month**. The months are the sum. So March 2026
is 1 month, 16–31 March is 16/31 month, 15 January–14 February is
17/31 + 14/28 month (not 1: calendar months, not anniversary months), and
1 January–31 March is 3 months whatever the lengths of the months. The rule is
additive: cutting a period in two never changes the total.

The exact value is a ``Fraction`` (amounts are computed from it and rounded
once, at the end of a line); ``months_between`` gives it as a ``Decimal``
and ``months_text`` as it is shown in a line's basis.

>>> months_fraction(date(2026, 3, 16), date(2026, 3, 31))
Fraction(16, 31)
>>> months_between(date(2026, 1, 1), date(2026, 3, 31))
Decimal('3')
>>> months_between(date(2026, 3, 16), date(2026, 3, 31), places=Decimal('0.0001'))
Decimal('0.5161')
>>> months_text(date(2026, 1, 15), date(2026, 3, 31))
'2 + 17/31'
"""
import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import NamedTuple

ONE_DAY = timedelta(days=1)

MONTHLY = "monthly"
QUARTERLY = "quarterly"
YEARLY = "yearly"
BILLING_CYCLES = [
    (MONTHLY, "Monthly"),
    (QUARTERLY, "Quarterly"),
    (YEARLY, "Yearly"),
]
CYCLE_MONTHS = {MONTHLY: 1, QUARTERLY: 3, YEARLY: 12}

IN_ADVANCE = "advance"
IN_ARREARS = "arrears"
BILLING_TIMINGS = [
    (IN_ADVANCE, "In advance"),
    (IN_ARREARS, "In arrears"),
]


class Period(NamedTuple):
    """Days ``date_from``..``date_to``, both included."""

    date_from: date
    date_to: date

    @property
    def days(self):
        """Number of days in the period (both ends included)."""
        return (self.date_to - self.date_from).days + 1


class MonthPart(NamedTuple):
    """The part of one calendar month that a period covers."""

    year: int
    month: int
    days: int        # days of the month inside the period
    month_days: int  # days in that calendar month

    @property
    def whole(self):
        return self.days == self.month_days


def make_period(date_from, date_to):
    """A checked ``Period``: ``date_to`` may not be before ``date_from``."""
    if date_to < date_from:
        raise ValueError("date_to %s is before date_from %s" % (date_to, date_from))
    return Period(date_from, date_to)


def days_in_month(year, month):
    """Days in a calendar month (28..31)."""
    return calendar.monthrange(year, month)[1]


def add_months(day, months):
    """``day`` moved by ``months`` calendar months, clamped to the month's end.

    >>> add_months(date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    >>> add_months(date(2026, 3, 15), -3)
    datetime.date(2025, 12, 15)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def _cycle_months(cycle):
    try:
        return CYCLE_MONTHS[cycle]
    except KeyError:
        raise ValueError("unknown billing cycle %r" % (cycle,)) from None


def cycle_period(day, cycle, first_month=1):
    """The period of ``cycle`` that contains ``day``.

    Periods start on the first day of a month; quarterly and yearly periods
    are aligned so that one of them starts in ``first_month`` (1..12).

    >>> cycle_period(date(2026, 5, 20), QUARTERLY)
    Period(date_from=datetime.date(2026, 4, 1), date_to=datetime.date(2026, 6, 30))
    >>> cycle_period(date(2026, 5, 20), YEARLY, first_month=7)
    Period(date_from=datetime.date(2025, 7, 1), date_to=datetime.date(2026, 6, 30))
    """
    length = _cycle_months(cycle)
    if not 1 <= first_month <= 12:
        raise ValueError("first_month must be 1..12, not %r" % (first_month,))
    index = day.year * 12 + day.month - 1
    offset = (index - (first_month - 1)) % length
    start = add_months(date(day.year, day.month, 1), -offset)
    end = add_months(start, length) - ONE_DAY
    return Period(start, end)


def next_period(period, cycle, first_month=1):
    """The cycle period right after ``period``."""
    return cycle_period(period.date_to + ONE_DAY, cycle, first_month)


def previous_period(period, cycle, first_month=1):
    """The cycle period right before ``period``."""
    return cycle_period(period.date_from - ONE_DAY, cycle, first_month)


def billing_period(billing_date, cycle, timing, first_month=1):
    """The period that a bill dated ``billing_date`` covers.

    ``advance``: the cycle period containing ``billing_date``; ``arrears``:
    the cycle period before it.
    """
    current = cycle_period(billing_date, cycle, first_month)
    if timing == IN_ADVANCE:
        return current
    if timing == IN_ARREARS:
        return previous_period(current, cycle, first_month)
    raise ValueError("unknown billing timing %r" % (timing,))


def month_parts(date_from, date_to):
    """The calendar months that ``[date_from, date_to]`` touches, in order.

    >>> [(p.month, p.days, p.month_days) for p in
    ...  month_parts(date(2026, 1, 15), date(2026, 2, 14))]
    [(1, 17, 31), (2, 14, 28)]
    """
    make_period(date_from, date_to)
    parts = []
    start = date_from
    while start <= date_to:
        length = days_in_month(start.year, start.month)
        month_end = date(start.year, start.month, length)
        end = min(month_end, date_to)
        parts.append(MonthPart(start.year, start.month, (end - start).days + 1, length))
        start = month_end + ONE_DAY
    return parts


def months_fraction(date_from, date_to):
    """Exact months in ``[date_from, date_to]`` (see the module rule)."""
    parts = month_parts(date_from, date_to)
    return sum((Fraction(p.days, p.month_days) for p in parts), Fraction(0))


def months_between(date_from, date_to, places=None):
    """Months in ``[date_from, date_to]`` as a ``Decimal``.

    Exact when the value has a finite decimal form, else 28 significant
    digits; ``places`` (e.g. ``Decimal('0.0001')``) rounds it half up.
    """
    value = months_fraction(date_from, date_to)
    with localcontext() as context:
        context.prec = 28
        result = Decimal(value.numerator) / Decimal(value.denominator)
        if places is not None:
            result = result.quantize(Decimal(places), rounding=ROUND_HALF_UP)
    if places is None and result == result.to_integral_value():
        result = result.quantize(Decimal(1))
    return result


def months_text(date_from, date_to):
    """Months in ``[date_from, date_to]`` as shown in a basis.

    Whole months are summed into one integer; each partial month is shown as
    ``days/days-in-month``: ``'1'``, ``'16/31'``, ``'2 + 17/31'``,
    ``'17/31 + 14/28'``.
    """
    parts = month_parts(date_from, date_to)
    whole = sum(1 for p in parts if p.whole)
    terms = ["%d/%d" % (p.days, p.month_days) for p in parts if not p.whole]
    if whole or not terms:
        terms.insert(0, str(whole))
    return " + ".join(terms)


def period_code(period):
    """A short, sortable code for a period, used as the invoice's billing period.

    ``'2026-03'`` for a calendar month, ``'2026-Q1'`` for a calendar quarter,
    ``'2026'`` for a calendar year, else ``'2026-03-16~2026-04-15'``.
    """
    start, end = period.date_from, period.date_to
    if start.day == 1 and end + ONE_DAY == add_months(start, 1):
        return "%04d-%02d" % (start.year, start.month)
    if (start.day == 1 and start.month % 3 == 1
            and end + ONE_DAY == add_months(start, 3)):
        return "%04d-Q%d" % (start.year, start.month // 3 + 1)
    if start.month == 1 and start.day == 1 and end == date(start.year, 12, 31):
        return "%04d" % start.year
    return "%s~%s" % (start.isoformat(), end.isoformat())
