"""Splitting one period's amount between payers by days (按天分摊).

When the payer of a unit changes inside a billing period (an owner sells on
15 March), each payer is billed for their own days. ``prorate`` cuts the
period's full amount by days: each part is ``amount × days ÷ days in the
period``, rounded so that the parts **sum exactly** to the amount (largest
remainder, see ``fees.allocate``; a cent left over goes to the part with the
largest remainder, on a tie to the earlier segment).

The segments must cover the period exactly, without gap or overlap, which is
what ``occupancy.payer_segments`` returns (a stretch without payer is a
segment too: its part is simply not billed). Co-owners of one segment share
its part with ``fees.allocate(part.amount, [(owner, share), ...])``.

>>> from datetime import date
>>> parts = prorate(Decimal("250.60"), date(2026, 3, 1), date(2026, 3, 31),
...                 [("Li", date(2026, 3, 1), date(2026, 3, 15)),
...                  ("Wang", date(2026, 3, 16), date(2026, 3, 31))])
>>> [(p.key, p.days, p.amount) for p in parts]
[('Li', 15, Decimal('121.26')), ('Wang', 16, Decimal('129.34'))]
>>> parts[0].basis
'250.60 元 × 15 天 ÷ 31 天 (2026-03-01~2026-03-15)'
"""
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from .fees import CENT, DEFAULT_LABELS, allocate, format_number, rounding_note
from .periods import make_period

ONE_DAY = timedelta(days=1)


class ProrationSegment(NamedTuple):
    """Days ``date_from``..``date_to`` (included) paid by ``key``."""

    key: object
    date_from: date
    date_to: date


class ProratedPart(NamedTuple):
    """The part of the amount owed for one segment."""

    key: object
    date_from: date
    date_to: date
    days: int
    amount: Decimal
    basis: str


def _segment(item):
    """A ``ProrationSegment`` from a triple or from an object with
    ``date_from``/``date_to`` (its ``key`` attribute, else the object itself,
    becomes the key: an ``occupancy.Segment`` comes back with its payers)."""
    if hasattr(item, "date_from") and hasattr(item, "date_to"):
        key = getattr(item, "key", item)
        return ProrationSegment(key, item.date_from, item.date_to)
    key, date_from, date_to = item
    return ProrationSegment(key, date_from, date_to)


def check_segments(period_start, period_end, segments):
    """The segments sorted by start; ``ValueError`` unless they cover
    ``[period_start, period_end]`` exactly, each once."""
    make_period(period_start, period_end)
    ordered = sorted((_segment(item) for item in segments), key=lambda s: s.date_from)
    if not ordered:
        raise ValueError("no segment to prorate over")
    expected = period_start
    for segment in ordered:
        make_period(segment.date_from, segment.date_to)
        if segment.date_from != expected:
            raise ValueError("segments must cover %s..%s without gap or overlap: "
                             "expected a segment from %s, got %s"
                             % (period_start, period_end, expected, segment.date_from))
        expected = segment.date_to + ONE_DAY
    if expected != period_end + ONE_DAY:
        raise ValueError("segments end on %s, the period on %s"
                         % (expected - ONE_DAY, period_end))
    return ordered


def prorate(amount, period_start, period_end, segments, precision=CENT,
            labels=DEFAULT_LABELS):
    """Split ``amount`` for ``[period_start, period_end]`` over ``segments``.

    ``segments``: ``(key, date_from, date_to)`` triples (or objects with
    ``date_from``/``date_to``) covering the period exactly. Returns
    ``ProratedPart`` tuples sorted by date whose amounts sum to ``amount``
    rounded to ``precision``; each differs from its exact share by less than
    one ``precision``.
    """
    ordered = check_segments(period_start, period_end, segments)
    total_days = (period_end - period_start).days + 1
    weights = [((segment.date_from, index),
                (segment.date_to - segment.date_from).days + 1)
               for index, segment in enumerate(ordered)]
    shares = allocate(amount, weights, precision)
    total = format_number(sum((share.amount for share in shares), Decimal(0)))
    parts = []
    for segment, (_key, days), share in zip(ordered, weights, shares):
        basis = "%s %s × %d %s ÷ %d %s (%s~%s)%s" % (
            total, labels.currency, days, labels.day, total_days, labels.day,
            segment.date_from.isoformat(), segment.date_to.isoformat(),
            rounding_note(share, precision, labels))
        parts.append(ProratedPart(segment.key, segment.date_from, segment.date_to,
                                  days, share.amount, basis))
    return parts
