"""Who holds and who pays for a unit, over time (业主 / 住户 / 缴费人).

An *occupancy* ties a party to a unit in a role (owner, tenant, payer) for a
period ``[date_from, date_to]`` (both days included; ``date_to`` None means
open-ended) with a *share* in percent. Plain Python: parties and records are
opaque keys chosen by the caller, days are ``datetime.date``.

Rules:

1. For one unit and one role, periods may overlap only while the shares of the
   periods in force on every day add up to at most 100 % (two 50 % co-owners
   are fine, a third overlapping co-owner is not; an owner starting the day
   after the previous one left is fine).
2. On a day, the payers are the parties with an explicit ``payer`` occupancy in
   force; when there is none, the owners in force pay, each for their share.
   Tenants never pay unless they also hold a ``payer`` occupancy.

>>> from datetime import date
>>> old = Occupancy("o1", "Li", "owner", 100.0, date(2020, 1, 1), date(2026, 3, 15))
>>> new = Occupancy("o2", "Wang", "owner", 100.0, date(2026, 3, 16), None)
>>> payers_on([old, new], date(2026, 3, 15))
[('Li', 100.0)]
>>> [(s.date_from.day, s.date_to.day, s.payers)
...  for s in payer_segments([old, new], date(2026, 3, 1), date(2026, 3, 31))]
[(1, 15, [('Li', 100.0)]), (16, 31, [('Wang', 100.0)])]
>>> find_overlap([Period("a", date(2026, 1, 1), None, 60.0),
...               Period("b", date(2026, 2, 1), date(2026, 2, 10), 50.0)])
Overlap(day=datetime.date(2026, 2, 1), total=110.0, keys=('a', 'b'))
"""
from collections import namedtuple
from datetime import timedelta

from .constants import FULL_SHARE

# Shares are entered with two decimals (33.33 + 33.33 + 33.34): compare with a
# tolerance far below that precision.
SHARE_EPSILON = 1e-6

ONE_DAY = timedelta(days=1)

Period = namedtuple("Period", "key date_from date_to share")
Period.__doc__ = "One occupancy of a unit+role: ``date_to`` None = open-ended."

Overlap = namedtuple("Overlap", "day total keys")
Overlap.__doc__ = ("First day on which the shares exceed 100 %: their total and "
                   "the keys of the periods in force that day (in input order).")

Occupancy = namedtuple("Occupancy", "key partner role share date_from date_to")

Segment = namedtuple("Segment", "date_from date_to payers")
Segment.__doc__ = ("Days ``date_from``..``date_to`` (included) during which "
                   "``payers`` [(partner, share)] do not change.")


def in_force(date_from, date_to, day):
    """True when a period ``[date_from, date_to]`` (None = open) covers ``day``."""
    return date_from <= day and (date_to is None or day <= date_to)


def find_overlap(periods, limit=FULL_SHARE):
    """Return the first day on which the shares of ``periods`` exceed ``limit``.

    ``periods`` are the occupancies of one unit in one role, as ``Period``
    tuples. Returns an ``Overlap`` or None when every day stays within
    ``limit``. Totals only grow on a start day, so only start days are checked.
    """
    periods = list(periods)
    for day in sorted({p.date_from for p in periods}):
        active = [p for p in periods if in_force(p.date_from, p.date_to, day)]
        total = sum(p.share for p in active)
        if total > limit + SHARE_EPSILON:
            return Overlap(day, round(total, 6), tuple(p.key for p in active))
    return None


def _merge_shares(occupancies):
    """[(partner, share)] summed per partner: largest share first, then the
    party that came first, then the caller's order."""
    shares, first_seen = {}, {}
    for index, occ in enumerate(occupancies):
        shares[occ.partner] = shares.get(occ.partner, 0.0) + occ.share
        seen = first_seen.get(occ.partner)
        rank = (occ.date_from, index)
        if seen is None or rank < seen:
            first_seen[occ.partner] = rank
    order = sorted(shares, key=lambda p: (-round(shares[p], 6), first_seen[p]))
    return [(partner, round(shares[partner], 6)) for partner in order]


def payers_on(occupancies, day):
    """Who pays for one unit on ``day``: [(partner, share percent)].

    Explicit payers in force win; otherwise the owners in force; tenants never.
    Empty when nobody is liable (e.g. an undelivered unit). The first entry is
    the main payer (largest share).
    """
    current = [o for o in occupancies if in_force(o.date_from, o.date_to, day)]
    payers = [o for o in current if o.role == "payer"]
    if not payers:
        payers = [o for o in current if o.role == "owner"]
    return _merge_shares(payers)


def owners_on(occupancies, day):
    """The owners of one unit in force on ``day``: [(partner, share)]."""
    return _merge_shares(
        o for o in occupancies
        if o.role == "owner" and in_force(o.date_from, o.date_to, day))


def payer_segments(occupancies, date_from, date_to):
    """Cut ``[date_from, date_to]`` where the payers of one unit change.

    Returns consecutive ``Segment``s covering the whole period, adjacent
    segments with the same payers merged; a segment with ``payers == []`` is a
    stretch where nobody is liable. Used to bill a month that contains a change
    of owner: each segment is prorated to its own payers.
    """
    if date_to < date_from:
        raise ValueError("date_to %s is before date_from %s" % (date_to, date_from))
    occupancies = list(occupancies)
    cuts = {date_from}
    for occ in occupancies:
        if date_from < occ.date_from <= date_to:
            cuts.add(occ.date_from)
        if occ.date_to is not None and date_from <= occ.date_to < date_to:
            cuts.add(occ.date_to + ONE_DAY)
    starts = sorted(cuts)
    segments = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - ONE_DAY if index + 1 < len(starts) else date_to
        payers = payers_on(occupancies, start)
        if segments and segments[-1].payers == payers:
            segments[-1] = segments[-1]._replace(date_to=end)
        else:
            segments.append(Segment(start, end, payers))
    return segments
