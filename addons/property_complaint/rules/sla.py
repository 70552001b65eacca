"""The SLA clock of a complaint (时限): working hours, pauses, status, policy.

Time convention
---------------
Every datetime here is **naive and in the estate's local time** (default
Asia/Shanghai), the time on the office wall, because working hours and holidays
are wall-clock facts. Aware datetimes are refused with ``ValueError``. The Odoo
layer converts at the boundary: ``to_local(utc_naive, tz)`` for the stored UTC
values going in, ``to_utc(local_naive, tz)`` for a deadline going back to a
``fields.Datetime``. Local arithmetic ignores daylight-saving shifts (China has
none). Nothing here reads the clock: ``now`` is always passed in.

Calendar
--------
A ``WorkingCalendar`` is plain data: the working intervals of each weekday
(Monday = 0, as ``date.weekday()`` and ``resource.calendar.attendance``), the
holiday dates (no work at all) and the make-up working days (调休: a date worked
on the schedule of a given weekday, e.g. a Sunday worked as a Monday).
``ALWAYS`` is the 24/7 calendar of critical complaints (it has no holidays).

Clock
-----
A target of N hours is counted in working time from ``start``, skipping
non-working time and the *pauses* (the complaint waiting on the owner): a pause
is ``(begin, end)``, ``end`` None while it lasts. ``deadline()`` is the moment
the target is reached, the last moment still on time; ``elapsed()`` the
working hours consumed so far. For one clock, with the thresholds as shares of
the target (``Thresholds``, default 75 % and 150 %), the status is:

* ``ok`` below the warning share;
* ``warning`` from the moment the warning share is reached;
* ``breached`` once the target is passed (after the deadline);
* ``escalated`` once the escalation share is passed.

Response and resolution are two clocks of the same complaint (``measure()``
with ``kind`` RESPONSE or RESOLUTION); each stops when its event happens
(``stopped_at``: first response, resolution).

>>> office = working_calendar([(range(5), "08:30", "12:00"),
...                            (range(5), "13:30", "18:00")])
>>> friday_5pm = datetime(2026, 3, 6, 17, 0)
>>> deadline(friday_5pm, 4, office)
datetime.datetime(2026, 3, 9, 11, 30)
>>> elapsed(friday_5pm, datetime(2026, 3, 9, 9, 30), office)
2.0
>>> waiting = [(datetime(2026, 3, 9, 9, 0), datetime(2026, 3, 9, 11, 0))]
>>> deadline(friday_5pm, 4, office, waiting)
datetime.datetime(2026, 3, 9, 15, 0)
>>> clock = measure(RESPONSE, friday_5pm, datetime(2026, 3, 9, 10, 30), 4, office)
>>> clock.elapsed, clock.status, clock.warning_at
(3.0, 'warning', datetime.datetime(2026, 3, 9, 10, 30))
"""
from collections import namedtuple
from datetime import datetime, time, timedelta

# to_local/to_utc are the suite's one timezone helper, property_billing's
# (property_complaint depends on it), re-exported for the SLA callers
# pylint: disable=unused-import
if __name__.startswith("odoo.addons."):  # under Odoo
    from odoo.addons.property_billing.rules.timezones import (  # noqa: F401
        to_local, to_utc)
else:  # the add-ons as bare packages (tests/conftest.py), without odoo
    from property_billing.rules.timezones import to_local, to_utc  # noqa: F401
# pylint: enable=unused-import

# Severities of a complaint (codes shared with the models).
NORMAL, URGENT, CRITICAL = "normal", "urgent", "critical"
SEVERITIES = [(NORMAL, "Normal"), (URGENT, "Urgent"), (CRITICAL, "Critical")]

# The two clocks of a complaint.
RESPONSE, RESOLUTION = "response", "resolution"
CLOCK_KINDS = [(RESPONSE, "Response"), (RESOLUTION, "Resolution")]

# SLA status of one clock, from best to worst.
OK, WARNING, BREACHED, ESCALATED = "ok", "warning", "breached", "escalated"
STATUSES = [
    (OK, "On time"),
    (WARNING, "Warning"),
    (BREACHED, "Breached"),
    (ESCALATED, "Escalated"),
]
STATUS_RANK = {code: rank for rank, (code, _label) in enumerate(STATUSES)}

ONE_DAY = timedelta(days=1)
FULL_DAY = timedelta(hours=24)
ZERO = timedelta(0)

WorkingCalendar = namedtuple("WorkingCalendar", "weekly holidays workdays name")
WorkingCalendar.__doc__ = (
    "Build with ``working_calendar()``. ``weekly``: 7 tuples (Monday first) of "
    "sorted, disjoint ``(from, to)`` timedeltas since midnight; ``holidays``: "
    "frozenset of dates; ``workdays``: {date: weekday whose schedule applies}.")

Thresholds = namedtuple("Thresholds", "warning escalation")
Thresholds.__doc__ = ("Shares of the target: ``warning`` in ]0, 1[ and "
                      "``escalation`` > 1 (0.75 and 1.5 are 75 % and 150 %).")
DEFAULT_THRESHOLDS = Thresholds(0.75, 1.5)

Clock = namedtuple(
    "Clock",
    "kind target elapsed share status deadline warning_at escalation_at stopped")
Clock.__doc__ = (
    "One SLA clock measured at ``now``: ``target`` and ``elapsed`` in hours, "
    "``share`` = elapsed / target, ``status`` (OK ... ESCALATED), the instants "
    "``warning_at`` / ``deadline`` / ``escalation_at`` at which the thresholds "
    "are reached (None while an open pause stops the clock before them), and "
    "``stopped``: the clock's event (response, resolution) has happened.")

Policy = namedtuple("Policy", "key severity category sequence",
                    defaults=(None, None, 10))
Policy.__doc__ = ("An SLA policy as matched by ``match_policy()``: ``key`` is "
                  "the caller's (a record id), ``severity`` / ``category`` None "
                  "mean any, lower ``sequence`` wins a tie.")


# --------------------------------------------------------------------- calendar

def _offset(value):
    """A time of day as a timedelta since midnight: 8.5 (hours, as Odoo's
    attendances), "08:30", "24:00" or a ``datetime.time``."""
    if isinstance(value, time):
        return timedelta(hours=value.hour, minutes=value.minute,
                         seconds=value.second, microseconds=value.microsecond)
    if isinstance(value, str):
        hours, _sep, minutes = value.partition(":")
        return timedelta(hours=int(hours), minutes=int(minutes or 0))
    return timedelta(seconds=round(float(value) * 3600))


def _weekdays(days):
    days = [days] if isinstance(days, int) else list(days)
    for day in days:
        if not (isinstance(day, int) and 0 <= day <= 6):
            raise ValueError("weekday must be 0 (Monday) .. 6 (Sunday): %r" % (day,))
    return days


def working_calendar(intervals, holidays=(), workdays=None, name=""):
    """Build a ``WorkingCalendar``.

    ``intervals``: ``(days, from, to)`` where ``days`` is a weekday (0 = Monday)
    or an iterable of them, ``from``/``to`` times of day (see ``_offset``;
    ``to`` may be 24). Touching intervals are joined, overlapping ones refused.
    ``holidays``: dates without work. ``workdays``: {date: weekday} make-up
    working days (调休) worked on that weekday's schedule.

    >>> cal = working_calendar([(range(5), 8.5, 12), (5, "09:00", "12:00")])
    >>> cal.weekly[0], cal.weekly[6]
    (((datetime.timedelta(seconds=30600), datetime.timedelta(seconds=43200)),), ())
    """
    weekly = [[] for _day in range(7)]
    for days, start, end in intervals:
        start, end = _offset(start), _offset(end)
        if not ZERO <= start < end <= FULL_DAY:
            raise ValueError("a working interval needs 0 <= from < to <= 24 h: "
                             "%s - %s" % (start, end))
        for day in _weekdays(days):
            weekly[day].append((start, end))
    merged = []
    for day_intervals in weekly:
        day = []
        for start, end in sorted(day_intervals):
            if day and start < day[-1][1]:
                raise ValueError("overlapping working intervals: %s - %s and "
                                 "%s - %s" % (day[-1] + (start, end)))
            if day and start == day[-1][1]:
                day[-1] = (day[-1][0], end)
            else:
                day.append((start, end))
        merged.append(tuple(day))
    if not any(merged):
        raise ValueError("a working calendar needs working time in its week")
    holidays = frozenset(holidays)
    workdays = dict(workdays or {})
    for day, weekday in workdays.items():
        _weekdays(weekday)
        if day in holidays:
            raise ValueError("%s is both a holiday and a working day" % day)
    return WorkingCalendar(tuple(merged), holidays, workdays, name)


ALWAYS = working_calendar([(range(7), 0, 24)], name="24/7")


def calendar_for(severity, calendar, round_the_clock=(CRITICAL,)):
    """The calendar of a complaint's clocks: ``ALWAYS`` for the severities in
    ``round_the_clock`` (critical by default), else the estate's ``calendar``."""
    return ALWAYS if severity in round_the_clock else calendar


def day_intervals(calendar, day):
    """The working intervals of a date, as ``(from, to)`` timedeltas."""
    if day in calendar.holidays:
        return ()
    return calendar.weekly[calendar.workdays.get(day, day.weekday())]


# ------------------------------------------------------------------------ clock

def _naive(moment, what="datetime"):
    if not isinstance(moment, datetime):
        raise TypeError("%s must be a datetime, not %r" % (what, moment))
    if moment.tzinfo is not None:
        raise ValueError("%s must be naive, in the estate's local time" % what)
    return moment


def _duration(hours):
    """Hours (int, float, Decimal) or a timedelta, as a timedelta >= 0."""
    duration = hours if isinstance(hours, timedelta) else timedelta(
        hours=float(hours))
    if duration < ZERO:
        raise ValueError("a duration cannot be negative: %r" % (hours,))
    return duration


def _hours(duration):
    return duration.total_seconds() / 3600


def _working_time(start, calendar):
    """Yield the working intervals from ``start`` on, in order, for ever."""
    day = start.date()
    midnight = datetime.combine(day, time())
    while True:
        for begin, end in day_intervals(calendar, day):
            begin, end = midnight + begin, midnight + end
            if end > start:
                yield max(begin, start), end
        day += ONE_DAY
        midnight += ONE_DAY


def merge_pauses(pauses, start):
    """The pauses from ``start`` on, clipped, sorted and merged.

    A pause ``(begin, end)`` with ``end`` None lasts until further notice: it
    absorbs every later pause and is the last one returned.

    >>> d = lambda h: datetime(2026, 3, 9, h)
    >>> merge_pauses([(d(14), None), (d(7), d(10)), (d(9), d(11)), (d(15), d(16))],
    ...              d(8)) == [(d(8), d(11)), (d(14), None)]
    True
    """
    clipped = []
    for begin, end in pauses:
        _naive(begin, "pause start")
        if end is not None:
            _naive(end, "pause end")
            if end < begin:
                raise ValueError("a pause cannot end before it begins: "
                                 "%s - %s" % (begin, end))
            if end <= start:
                continue
        clipped.append((max(begin, start), end))
    merged = []
    for begin, end in sorted(clipped, key=lambda pause: pause[0]):
        if merged and (merged[-1][1] is None or begin <= merged[-1][1]):
            last_begin, last_end = merged[-1]
            if last_end is not None and (end is None or end > last_end):
                merged[-1] = (last_begin, end)
        else:
            merged.append((begin, end))
    return merged


def _running_time(start, calendar, pauses):
    """Yield the intervals during which the clock runs: working time from
    ``start`` on minus the pauses. Ends at an open pause, else never."""
    pauses = merge_pauses(pauses, start)
    index = 0
    for begin, end in _working_time(start, calendar):
        while begin < end:
            while (index < len(pauses) and pauses[index][1] is not None
                   and pauses[index][1] <= begin):
                index += 1
            if index == len(pauses) or pauses[index][0] >= end:
                yield begin, end
                break
            pause_begin, pause_end = pauses[index]
            if pause_begin > begin:
                yield begin, pause_begin
            if pause_end is None:
                return
            begin = max(begin, pause_end)


def _deadline(start, duration, calendar, pauses):
    if duration == ZERO:
        return start
    remaining = duration
    for begin, end in _running_time(start, calendar, pauses):
        if end - begin >= remaining:
            return begin + remaining
        remaining -= end - begin
    return None


def _elapsed(start, now, calendar, pauses):
    total = ZERO
    if now <= start:
        return total
    for begin, end in _running_time(start, calendar, pauses):
        if begin >= now:
            break
        total += min(end, now) - begin
    return total


def deadline(start, hours, calendar, pauses=()):
    """The moment ``hours`` working hours are reached, counted from ``start``.

    Non-working time and ``pauses`` do not count. A target reached at the end
    of a working interval gives that end (12:00, not 13:30). Returns None when
    an open pause (``end`` None) stops the clock before the target is reached:
    there is no deadline while the complaint waits on the owner.
    """
    _naive(start, "start")
    return _deadline(start, _duration(hours), calendar, pauses)


def elapsed(start, now, calendar, pauses=()):
    """Working hours (a float) consumed from ``start`` to ``now``, pauses
    excluded; an open pause runs until ``now``. 0.0 when ``now <= start``."""
    _naive(start, "start")
    _naive(now, "now")
    return _hours(_elapsed(start, now, calendar, pauses))


# ----------------------------------------------------------------------- status

def check_thresholds(thresholds):
    """Return ``thresholds`` as ``Thresholds`` or raise ``ValueError``."""
    thresholds = Thresholds(*thresholds)
    if not 0 < thresholds.warning < 1 < thresholds.escalation:
        raise ValueError("thresholds need 0 < warning < 1 < escalation: %r"
                         % (tuple(thresholds),))
    return thresholds


def _status(spent, target, thresholds):
    if spent > target * thresholds.escalation:
        return ESCALATED
    if spent > target:
        return BREACHED
    if spent >= target * thresholds.warning:
        return WARNING
    return OK


def _target(hours):
    target = _duration(hours)
    if target <= ZERO:
        raise ValueError("an SLA target must be positive: %r" % (hours,))
    return target


def status(elapsed_hours, target_hours, thresholds=DEFAULT_THRESHOLDS):
    """SLA status of ``elapsed_hours`` against ``target_hours``.

    >>> [status(h, 8) for h in (5.9, 6, 8, 8.5, 12, 12.1)]
    ['ok', 'warning', 'warning', 'breached', 'breached', 'escalated']
    """
    return _status(_duration(elapsed_hours), _target(target_hours),
                   check_thresholds(thresholds))


def worst(statuses):
    """The worst of some statuses (OK when there are none), e.g. to show one
    badge for the response and resolution clocks."""
    return max(statuses, key=STATUS_RANK.__getitem__, default=OK)


def measure(kind, start, now, target_hours, calendar, pauses=(), stopped_at=None,
            thresholds=DEFAULT_THRESHOLDS):
    """Measure one clock of a complaint at ``now`` and return a ``Clock``.

    ``kind``: RESPONSE or RESOLUTION; ``start``: when the clock started (the
    complaint's registration, or its reopening for a restarted resolution
    clock); ``stopped_at``: when its event happened (first response,
    resolution), None while it runs. A stopped clock keeps the status it had
    when it stopped: a late response stays breached in the reports.
    """
    _naive(start, "start")
    _naive(now, "now")
    if stopped_at is not None:
        _naive(stopped_at, "stopped_at")
    thresholds = check_thresholds(thresholds)
    target = _target(target_hours)
    stopped = stopped_at is not None and stopped_at <= now
    spent = _elapsed(start, stopped_at if stopped else now, calendar, pauses)

    def reached(duration):
        return _deadline(start, duration, calendar, pauses)

    return Clock(
        kind=kind,
        target=_hours(target),
        elapsed=_hours(spent),
        share=spent / target,
        status=_status(spent, target, thresholds),
        deadline=reached(target),
        warning_at=reached(target * thresholds.warning),
        escalation_at=reached(target * thresholds.escalation),
        stopped=stopped,
    )


# ----------------------------------------------------------------------- policy

# Precedence of the SLA policies, most specific first: (severity, category)
# where severity is "exact" or "any" and category "exact" (the complaint's own
# category), "parent" (its parent category) or "any". Severity outranks the
# category because it drives the clock: a critical leak must not get the
# relaxed target of a policy written for all repair complaints.
PRECEDENCE = (
    ("exact", "exact"),
    ("exact", "parent"),
    ("exact", "any"),
    ("any", "exact"),
    ("any", "parent"),
    ("any", "any"),
)


def _specificity(policy, severity, category, parent_category):
    if policy.severity is None:
        on_severity = "any"
    elif policy.severity == severity:
        on_severity = "exact"
    else:
        return None
    if policy.category is None:
        on_category = "any"
    elif category is not None and policy.category == category:
        on_category = "exact"
    elif parent_category is not None and policy.category == parent_category:
        on_category = "parent"
    else:
        return None
    return PRECEDENCE.index((on_severity, on_category))


def match_policy(policies, severity, category=None, parent_category=None):
    """The most specific policy for a complaint, or None.

    ``policies``: ``Policy`` tuples (or objects with ``severity``, ``category``
    and ``sequence`` attributes; None means any). A policy applies when its
    severity is the complaint's or any, and its category is the complaint's
    category, its parent category or any. Among those, the first rank in
    ``PRECEDENCE`` wins, then the lowest ``sequence``, then the first given.

    >>> policies = [Policy("all"), Policy("repair", category="repair"),
    ...             Policy("critical", severity=CRITICAL),
    ...             Policy("leak", category="leak")]
    >>> [match_policy(policies, s, c, "repair").key
    ...  for s, c in [(NORMAL, "leak"), (NORMAL, "lift"), (CRITICAL, "leak")]]
    ['leak', 'repair', 'critical']
    """
    best, best_rank = None, None
    for index, policy in enumerate(policies):
        rank = _specificity(policy, severity, category, parent_category)
        if rank is None:
            continue
        rank = (rank, policy.sequence or 0, index)
        if best_rank is None or rank < best_rank:
            best, best_rank = policy, rank
    return best


# ------------------------------------------------------------------- time zones

# to_local(utc_naive, tz) and to_utc(local_naive, tz): property_billing's
# timezone helper (imported at the top), the suite's one.
