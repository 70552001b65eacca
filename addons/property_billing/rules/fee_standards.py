"""Fee standards (收费标准): scope, effective period and the publication gate.

Plain Python over ``datetime.date``; the caller passes every date. Periods are
``[date_from, date_to]`` with both days included; ``date_to=None`` means
open-ended.

Scope
-----
A standard applies to the units of one estate, optionally restricted to some
buildings and some unit types; an **empty** restriction means *all*. Two
standards of the same fee item overlap when their scopes share at least one
possible unit **and** their effective periods share at least one day.

>>> scopes_overlap(set(), {"residential"}, {7}, set())
True
>>> scopes_overlap({1}, set(), {2}, set())
False
>>> scopes_overlap(set(), {"parking"}, set(), {"residential", "commercial"})
False
>>> from datetime import date
>>> periods_overlap(date(2026, 1, 1), None, date(2026, 6, 1), date(2026, 6, 30))
True
>>> periods_overlap(date(2026, 1, 1), date(2026, 5, 31), date(2026, 6, 1), None)
False

Publication gate (公示期)
------------------------
A published standard may bill no day before its publication date plus the
notice period (e.g. 30 days): that day is ``billable_from``.

>>> billable_from(date(2026, 1, 10), 30)
datetime.date(2026, 2, 9)
>>> is_billable(date(2026, 2, 9), date(2026, 2, 9)), is_billable(date(2026, 2, 8),
...                                                                date(2026, 2, 9))
(True, False)

The start printed on the notice is the later of the standard's own start and
``billable_from``:

>>> notice_start(date(2026, 1, 1), date(2026, 2, 9))
datetime.date(2026, 2, 9)
"""
from datetime import timedelta

# Lifecycle (codes shared with the model).
DRAFT = "draft"
APPROVED = "approved"
PUBLISHED = "published"
ACTIVE = "active"
CLOSED = "closed"
STANDARD_STATES = [
    (DRAFT, "Draft"),
    (APPROVED, "Approved"),
    (PUBLISHED, "Published"),
    (ACTIVE, "Active"),
    (CLOSED, "Closed"),
]
# States in which a standard may bill (and so may not overlap another one).
BILLING_STATES = (PUBLISHED, ACTIVE)
# Allowed transitions: state -> states it may move to.
TRANSITIONS = {
    DRAFT: (APPROVED,),
    APPROVED: (PUBLISHED, DRAFT),
    PUBLISHED: (ACTIVE, CLOSED),
    ACTIVE: (CLOSED,),
    CLOSED: (),
}

DEFAULT_NOTICE_DAYS = 30

CONSULTATION_OUTCOMES = [
    ("agreed", "Agreed"),
    ("amended", "Agreed with changes"),
    ("rejected", "Rejected"),
]


def can_move(state, new_state):
    """Whether the lifecycle allows ``state`` -> ``new_state``.

    >>> can_move("draft", "approved"), can_move("draft", "published")
    (True, False)
    """
    return new_state in TRANSITIONS.get(state, ())


def periods_overlap(a_from, a_to, b_from, b_to):
    """Whether two periods (both ends included, ``None`` end = open) share a day."""
    a_ends_before_b = a_to is not None and a_to < b_from
    b_ends_before_a = b_to is not None and b_to < a_from
    return not (a_ends_before_b or b_ends_before_a)


def _sets_meet(first, second):
    """Empty means everything: two sets meet unless both are given and disjoint."""
    return not first or not second or bool(set(first) & set(second))


def scopes_overlap(buildings_a, types_a, buildings_b, types_b):
    """Whether two scopes of the same estate can hold a common unit.

    ``buildings_*``: building keys (empty = all buildings); ``types_*``: unit
    type codes (empty = all types).
    """
    return _sets_meet(buildings_a, buildings_b) and _sets_meet(types_a, types_b)


def in_scope(building, unit_type, buildings, types):
    """Whether a unit in ``building`` of ``unit_type`` is in the scope.

    >>> in_scope(3, "residential", {3, 4}, set()), in_scope(None, "parking", {3}, set())
    (True, False)
    """
    if buildings and building not in buildings:
        return False
    return not types or unit_type in types


def billable_from(publication_date, notice_days):
    """First day a standard published on ``publication_date`` may bill."""
    if notice_days < 0:
        raise ValueError("the notice period cannot be negative: %r" % (notice_days,))
    return publication_date + timedelta(days=notice_days)


def is_billable(day, first_billable_day):
    """Whether a billing period starting on ``day`` passes the publication gate."""
    return first_billable_day is not None and day >= first_billable_day


def notice_start(date_from, first_billable_day):
    """The start date announced on the publication notice."""
    return max(date_from, first_billable_day)


def effective_period(std_from, std_to, date_from, date_to):
    """The days of ``[date_from, date_to]`` that the standard covers, or None.

    >>> from datetime import date
    >>> effective_period(date(2026, 3, 16), None, date(2026, 3, 1), date(2026, 3, 31))
    (datetime.date(2026, 3, 16), datetime.date(2026, 3, 31))
    """
    start = max(std_from, date_from)
    end = date_to if std_to is None else min(std_to, date_to)
    if end < start:
        return None
    return start, end
