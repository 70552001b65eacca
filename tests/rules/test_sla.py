"""The SLA clock of complaints (property_complaint.rules.sla).

Worked examples use March and May 2026: Friday 6 March, Monday 9 March; the
May holidays below are an example, not the official 2026 calendar.
"""
import doctest
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import assume, given, settings, strategies as st

from property_complaint.rules import sla

OFFICE = sla.working_calendar(
    [(range(5), "08:30", "12:00"), (range(5), "13:30", "18:00")], name="office")
OFFICE_SAT = sla.working_calendar(
    [(range(5), 8.5, 12), (range(5), 13.5, 18), (5, "09:00", "12:00")])
OFFICE_SAT_OFF = OFFICE_SAT._replace(holidays=frozenset([date(2026, 3, 7)]))
MAY_DAY = sla.working_calendar(
    [(range(5), "08:30", "12:00"), (range(5), "13:30", "18:00")],
    holidays=[date(2026, 5, day) for day in range(1, 6)],  # Fri 1 .. Tue 5
    workdays={date(2026, 5, 9): 0},  # Saturday 9 May worked as a Monday
)
# Night shift across midnight: Sunday 22:00-24:00 and Monday 00:00-02:00.
NIGHT = sla.working_calendar([(6, 22, 24), (0, 0, 2)])

FRI_17 = datetime(2026, 3, 6, 17, 0)


def mar(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute)


def may(day, hour, minute=0):
    return datetime(2026, 5, day, hour, minute)


def test_doctests():
    assert doctest.testmod(sla).failed == 0


# ------------------------------------------------------------ worked examples

@pytest.mark.parametrize("start, hours, calendar, pauses, expected", [
    # the brief's example: Friday 17:00 + 4 h, Mon-Fri office hours
    (FRI_17, 4, OFFICE, (), mar(9, 11, 30)),
    # the same with Saturday morning worked; and with that Saturday a holiday
    (FRI_17, 4, OFFICE_SAT, (), mar(7, 12)),
    (FRI_17, 4, OFFICE_SAT_OFF, (), mar(9, 11, 30)),
    # lunch break 12:00-13:30 is skipped
    (mar(9, 11), 2, OFFICE, (), mar(9, 14, 30)),
    # a target reached at the end of the morning is due at 12:00, not 13:30
    (mar(9, 11), 1, OFFICE, (), mar(9, 12)),
    # opened during lunch, before opening hours, on a Sunday
    (mar(9, 12, 30), 1, OFFICE, (), mar(9, 14, 30)),
    (mar(9, 7), 1, OFFICE, (), mar(9, 9, 30)),
    (mar(8, 10), 1, OFFICE, (), mar(9, 9, 30)),
    # a full working day, and half an hour more
    (mar(9, 8, 30), 8, OFFICE, (), mar(9, 18)),
    (mar(9, 8, 30), 8.5, OFFICE, (), mar(10, 9)),
    (mar(9, 8, 30), timedelta(minutes=90), OFFICE, (), mar(9, 10)),
    # a week of working hours from Monday morning ends Friday evening
    (mar(9, 8, 30), 40, OFFICE, (), mar(13, 18)),
    # holidays Fri 1 - Tue 5 May: Thursday 17:00 + 4 h is due Wednesday 11:30
    (datetime(2026, 4, 30, 17), 4, MAY_DAY, (), may(6, 11, 30)),
    # make-up working day Saturday 9 May
    (may(8, 17), 4, MAY_DAY, (), may(9, 11, 30)),
    (may(8, 17), 4, OFFICE, (), may(11, 11, 30)),
    # a 2 h pause in the middle pushes the deadline by 2 working hours
    (mar(9, 8, 30), 4, OFFICE, (), mar(9, 14)),
    (mar(9, 8, 30), 4, OFFICE, [(mar(9, 9), mar(9, 11))], mar(9, 16)),
    (FRI_17, 4, OFFICE, [(mar(9, 9), mar(9, 11))], mar(9, 15)),
    # a pause over lunch only counts its working time (1.5 h)
    (mar(9, 8, 30), 4, OFFICE, [(mar(9, 11), mar(9, 14))], mar(9, 15, 30)),
    # a pause over the weekend changes nothing
    (FRI_17, 4, OFFICE, [(mar(7, 10), mar(8, 20))], mar(9, 11, 30)),
    # overlapping pauses count once; a pause before the start is ignored
    (mar(9, 8, 30), 4, OFFICE,
     [(mar(9, 9), mar(9, 10)), (mar(9, 9, 30), mar(9, 11)), (mar(6, 9), mar(6, 17))],
     mar(9, 16)),
    # a pause begun before the start delays the clock until it ends
    (mar(9, 8, 30), 1, OFFICE, [(mar(6, 9), mar(9, 10))], mar(9, 11)),
    # an open pause (waiting on the owner) leaves no deadline ...
    (mar(9, 8, 30), 4, OFFICE, [(mar(9, 9), None)], None),
    # ... unless the target is reached before it began
    (mar(9, 8, 30), 4, OFFICE, [(mar(9, 15), None)], mar(9, 14)),
    # 24/7 calendar of critical complaints
    (FRI_17, 4, sla.ALWAYS, (), mar(6, 21)),
    (mar(6, 22), 4, sla.ALWAYS, (), mar(7, 2)),
    (FRI_17, 4, sla.ALWAYS, [(mar(6, 18), mar(6, 20))], mar(6, 23)),
    # a night shift across midnight
    (mar(6, 12), 3, NIGHT, (), mar(9, 1)),
    # no target: due at once, even outside working time
    (mar(8, 10), 0, OFFICE, (), mar(8, 10)),
])
def test_deadline(start, hours, calendar, pauses, expected):
    assert sla.deadline(start, hours, calendar, pauses) == expected


@pytest.mark.parametrize("start, now, calendar, pauses, expected", [
    (FRI_17, mar(9, 9, 30), OFFICE, (), 2.0),
    (FRI_17, mar(9, 11, 30), OFFICE, (), 4.0),
    (mar(9, 11), mar(9, 14), OFFICE, (), 1.5),
    (mar(9, 12, 15), mar(9, 13, 15), OFFICE, (), 0.0),
    (mar(9, 11), mar(9, 10), OFFICE, (), 0.0),
    (mar(9, 11), mar(9, 11), OFFICE, (), 0.0),
    (mar(9, 8, 30), mar(13, 18), OFFICE, (), 40.0),
    (mar(9, 8, 30), mar(9, 12), OFFICE, [(mar(9, 9), mar(9, 11))], 1.5),
    # an open pause runs until now
    (mar(9, 8, 30), mar(9, 15), OFFICE, [(mar(9, 9), None)], 0.5),
    (datetime(2026, 4, 30, 17), may(6, 9, 30), MAY_DAY, (), 2.0),
    (may(8, 17), may(9, 12), MAY_DAY, (), 4.5),
    (FRI_17, mar(9, 9, 30), sla.ALWAYS, (), 64.5),
    (FRI_17, mar(9, 9, 30), sla.ALWAYS, [(mar(7, 0), mar(8, 0))], 40.5),
    (mar(6, 12), mar(9, 12), NIGHT, (), 4.0),
])
def test_elapsed(start, now, calendar, pauses, expected):
    assert sla.elapsed(start, now, calendar, pauses) == expected


def test_brief_example_pause_of_two_hours_is_two_more_working_hours():
    pause = [(mar(9, 9), mar(9, 11))]
    assert sla.deadline(FRI_17, 4, OFFICE, pause) == sla.deadline(FRI_17, 6, OFFICE)


# --------------------------------------------------------------- calendar data

def test_calendar_is_plain_data():
    assert OFFICE.weekly[0] == (
        (timedelta(hours=8, minutes=30), timedelta(hours=12)),
        (timedelta(hours=13, minutes=30), timedelta(hours=18)),
    )
    assert OFFICE.weekly[5] == OFFICE.weekly[6] == ()
    assert OFFICE_SAT.weekly[5] == ((timedelta(hours=9), timedelta(hours=12)),)
    assert sla.ALWAYS.weekly == (((timedelta(0), timedelta(hours=24)),),) * 7
    assert sla.day_intervals(MAY_DAY, date(2026, 5, 1)) == ()
    assert sla.day_intervals(MAY_DAY, date(2026, 5, 9)) == MAY_DAY.weekly[0]
    assert sla.day_intervals(MAY_DAY, date(2026, 5, 10)) == ()


def test_touching_intervals_are_joined():
    cal = sla.working_calendar([(0, "13:00", "18:00"), (0, 8, 13)])
    assert cal.weekly[0] == ((timedelta(hours=8), timedelta(hours=18)),)


@pytest.mark.parametrize("intervals, holidays, workdays", [
    ([], (), None),
    ([(0, "12:00", "08:00")], (), None),
    ([(0, "08:00", "08:00")], (), None),
    ([(0, 8, 25)], (), None),
    ([(7, 8, 12)], (), None),
    ([(0, 8, 12), (0, 11, 14)], (), None),
    ([(0, 8, 12)], [date(2026, 5, 9)], {date(2026, 5, 9): 0}),
    ([(0, 8, 12)], (), {date(2026, 5, 9): 9}),
])
def test_calendar_rejects(intervals, holidays, workdays):
    with pytest.raises(ValueError):
        sla.working_calendar(intervals, holidays, workdays)


@pytest.mark.parametrize("severity, expected", [
    (sla.CRITICAL, sla.ALWAYS), (sla.URGENT, OFFICE), (sla.NORMAL, OFFICE),
])
def test_calendar_for(severity, expected):
    assert sla.calendar_for(severity, OFFICE) is expected


# ------------------------------------------------------------------ bad input

AWARE = datetime(2026, 3, 9, 9, tzinfo=timezone.utc)


@pytest.mark.parametrize("call", [
    lambda: sla.deadline(AWARE, 4, OFFICE),
    lambda: sla.elapsed(mar(9, 9), AWARE, OFFICE),
    lambda: sla.deadline(mar(9, 9), 4, OFFICE, [(AWARE, None)]),
    lambda: sla.deadline(mar(9, 9), -1, OFFICE),
    lambda: sla.deadline(mar(9, 9), 4, OFFICE, [(mar(9, 11), mar(9, 10))]),
    lambda: sla.measure(sla.RESPONSE, mar(9, 9), mar(9, 10), 0, OFFICE),
    lambda: sla.measure(sla.RESPONSE, mar(9, 9), mar(9, 10), 4, OFFICE,
                        thresholds=(1.0, 1.5)),
    lambda: sla.measure(sla.RESPONSE, mar(9, 9), mar(9, 10), 4, OFFICE,
                        thresholds=(0.75, 1.0)),
    lambda: sla.status(1, 4, (0, 2)),
])
def test_bad_input_is_refused(call):
    with pytest.raises(ValueError):
        call()


def test_dates_are_not_datetimes():
    with pytest.raises(TypeError):
        sla.deadline(date(2026, 3, 9), 4, OFFICE)


# ---------------------------------------------------------------------- status

@pytest.mark.parametrize("spent, target, thresholds, expected", [
    (0, 8, sla.DEFAULT_THRESHOLDS, sla.OK),
    (5.99, 8, sla.DEFAULT_THRESHOLDS, sla.OK),
    (6, 8, sla.DEFAULT_THRESHOLDS, sla.WARNING),
    (8, 8, sla.DEFAULT_THRESHOLDS, sla.WARNING),
    (8.01, 8, sla.DEFAULT_THRESHOLDS, sla.BREACHED),
    (12, 8, sla.DEFAULT_THRESHOLDS, sla.BREACHED),
    (12.01, 8, sla.DEFAULT_THRESHOLDS, sla.ESCALATED),
    (100, 8, sla.DEFAULT_THRESHOLDS, sla.ESCALATED),
    (4, 8, (0.5, 2), sla.WARNING),
    (16, 8, (0.5, 2), sla.BREACHED),
    (16.5, 8, sla.Thresholds(0.5, 2), sla.ESCALATED),
])
def test_status(spent, target, thresholds, expected):
    assert sla.status(spent, target, thresholds) == expected


@pytest.mark.parametrize("statuses, expected", [
    ([], sla.OK),
    ([sla.OK, sla.WARNING], sla.WARNING),
    ([sla.ESCALATED, sla.BREACHED], sla.ESCALATED),
])
def test_worst(statuses, expected):
    assert sla.worst(statuses) == expected


# Response target 4 h from Friday 17:00, office hours: warning at 3 h (Mon 10:30),
# due Mon 11:30, escalation after 6 h (Mon 15:00).
@pytest.mark.parametrize("now, elapsed, status", [
    (mar(6, 17), 0.0, sla.OK),
    (mar(9, 10, 29), 179 / 60, sla.OK),
    (mar(9, 10, 30), 3.0, sla.WARNING),
    (mar(9, 11, 30), 4.0, sla.WARNING),
    (mar(9, 11, 31), 241 / 60, sla.BREACHED),
    (mar(9, 13, 0), 4.5, sla.BREACHED),
    (mar(9, 14, 30), 5.5, sla.BREACHED),
    (mar(9, 15, 0), 6.0, sla.BREACHED),
    (mar(9, 15, 1), 361 / 60, sla.ESCALATED),
])
def test_measure_response(now, elapsed, status):
    clock = sla.measure(sla.RESPONSE, FRI_17, now, 4, OFFICE)
    assert clock == sla.Clock(
        kind=sla.RESPONSE, target=4.0, elapsed=elapsed, share=elapsed / 4,
        status=status, deadline=mar(9, 11, 30), warning_at=mar(9, 10, 30),
        escalation_at=mar(9, 15), stopped=False)


def test_measure_stopped_clock_keeps_its_status():
    answered_late = sla.measure(sla.RESPONSE, FRI_17, mar(10, 9), 4, OFFICE,
                                stopped_at=mar(9, 12))
    assert (answered_late.elapsed, answered_late.status) == (4.5, sla.BREACHED)
    assert answered_late.stopped
    in_time = sla.measure(sla.RESPONSE, FRI_17, mar(20, 9), 4, OFFICE,
                          stopped_at=mar(9, 9))
    assert (in_time.elapsed, in_time.status, in_time.stopped) == (1.5, sla.OK, True)
    # an event recorded after now (a clock skew) does not stop the clock yet
    later = sla.measure(sla.RESPONSE, FRI_17, mar(9, 9), 4, OFFICE,
                        stopped_at=mar(9, 10))
    assert (later.elapsed, later.stopped) == (1.5, False)


def test_measure_resolution_paused_on_owner():
    # resolution target 16 h, waiting on the owner since Monday 10:00
    clock = sla.measure(sla.RESOLUTION, mar(9, 8, 30), mar(12, 9), 16, OFFICE,
                        pauses=[(mar(9, 10), None)])
    assert (clock.elapsed, clock.status) == (1.5, sla.OK)
    assert clock.deadline is clock.warning_at is clock.escalation_at is None
    resumed = sla.measure(sla.RESOLUTION, mar(9, 8, 30), mar(12, 11), 16, OFFICE,
                          pauses=[(mar(9, 10), mar(11, 8, 30))])
    # 1.5 h on Monday, 8 h on Wednesday, 2.5 h on Thursday morning
    assert resumed.elapsed == 12.0
    assert resumed.warning_at == mar(12, 11)
    assert resumed.deadline == mar(12, 16, 30)
    assert resumed.status == sla.WARNING


def test_measure_critical_round_the_clock():
    calendar = sla.calendar_for(sla.CRITICAL, OFFICE)
    clock = sla.measure(sla.RESPONSE, FRI_17, mar(6, 20), 2, calendar)
    assert (clock.deadline, clock.status) == (mar(6, 19), sla.BREACHED)
    clock = sla.measure(sla.RESPONSE, FRI_17, mar(6, 20, 1), 2, calendar)
    assert (clock.escalation_at, clock.status) == (mar(6, 20), sla.ESCALATED)


# ------------------------------------------------------------------- policies

POLICIES = [
    sla.Policy("default"),
    sla.Policy("repair", category="repair"),
    sla.Policy("leak", category="leak"),
    sla.Policy("critical", severity=sla.CRITICAL),
    sla.Policy("urgent repair", severity=sla.URGENT, category="repair"),
    sla.Policy("urgent leak", severity=sla.URGENT, category="leak", sequence=20),
    sla.Policy("urgent leak first", severity=sla.URGENT, category="leak", sequence=5),
    sla.Policy("urgent noise", severity=sla.URGENT, category="noise"),
]


@pytest.mark.parametrize("severity, category, parent, expected", [
    (sla.NORMAL, "lawn", "green", "default"),
    (sla.NORMAL, None, None, "default"),
    (sla.NORMAL, "lift", "repair", "repair"),
    (sla.NORMAL, "repair", None, "repair"),
    (sla.NORMAL, "leak", "repair", "leak"),
    (sla.URGENT, "lift", "repair", "urgent repair"),
    (sla.URGENT, "leak", "repair", "urgent leak first"),
    (sla.URGENT, "night", "noise", "urgent noise"),
    # severity outranks category: a critical leak gets the critical policy
    (sla.CRITICAL, "leak", "repair", "critical"),
    (sla.CRITICAL, "lawn", "green", "critical"),
])
def test_match_policy(severity, category, parent, expected):
    assert sla.match_policy(POLICIES, severity, category, parent).key == expected


def test_match_policy_ties_and_misses():
    assert sla.match_policy([], sla.NORMAL, "leak") is None
    only_urgent = [sla.Policy("u", severity=sla.URGENT)]
    assert sla.match_policy(only_urgent, sla.NORMAL, "leak") is None
    twins = [sla.Policy("a", category="leak"), sla.Policy("b", category="leak")]
    assert sla.match_policy(twins, sla.NORMAL, "leak").key == "a"
    assert sla.match_policy(twins[::-1], sla.NORMAL, "leak").key == "b"


# ------------------------------------------------------------------ time zones

SHANGHAI = timezone(timedelta(hours=8))


def test_time_zone_conversion():
    assert sla.to_local(datetime(2026, 3, 6, 9), SHANGHAI) == FRI_17
    assert sla.to_utc(FRI_17, SHANGHAI) == datetime(2026, 3, 6, 9)
    pytz = pytest.importorskip("pytz")
    zone = pytz.timezone("Asia/Shanghai")
    assert sla.to_local(datetime(2026, 3, 6, 9), zone) == FRI_17
    assert sla.to_utc(FRI_17, zone) == datetime(2026, 3, 6, 9)


# ------------------------------------------------------------------ properties

CALENDARS = st.sampled_from([OFFICE, OFFICE_SAT, OFFICE_SAT_OFF, MAY_DAY, NIGHT,
                             sla.ALWAYS])
MOMENTS = st.datetimes(min_value=datetime(2026, 3, 1), max_value=datetime(2026, 6, 30))
MINUTES = st.integers(min_value=0, max_value=120 * 60)
HOURS = MINUTES.map(lambda minutes: minutes / 60)


@st.composite
def pauses_around(draw, start, open_pause=False):
    """Closed pauses around ``start`` (some before it, overlapping)."""
    pauses = []
    for offset, length in draw(st.lists(st.tuples(st.integers(-48 * 60, 240 * 60),
                                                  st.integers(0, 72 * 60)),
                                        max_size=4)):
        begin = start + timedelta(minutes=offset)
        pauses.append((begin, begin + timedelta(minutes=length)))
    if open_pause:
        begin = start + timedelta(minutes=draw(st.integers(-60, 240 * 60)))
        pauses.append((begin, None))
    return pauses


@st.composite
def cases(draw, open_pause=False):
    start = draw(MOMENTS)
    return start, draw(CALENDARS), draw(pauses_around(start, open_pause))


PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(cases(), HOURS, HOURS)
def test_deadline_is_monotonic_in_hours(case, hours, other):
    start, calendar, pauses = case
    low, high = sorted([hours, other])
    assert start <= sla.deadline(start, low, calendar, pauses) <= sla.deadline(
        start, high, calendar, pauses)


@PROPERTY
@given(cases(), HOURS)
def test_elapsed_at_deadline_is_the_target(case, hours):
    start, calendar, pauses = case
    due = sla.deadline(start, hours, calendar, pauses)
    assert sla.elapsed(start, due, calendar, pauses) == hours
    assert sla.elapsed(start, due, calendar) >= hours


@PROPERTY
@given(cases(), st.floats(min_value=0, max_value=200))
def test_elapsed_at_deadline_any_float(case, hours):
    start, calendar, pauses = case
    due = sla.deadline(start, hours, calendar, pauses)
    assert sla.elapsed(start, due, calendar, pauses) == pytest.approx(hours, abs=1e-9)


@PROPERTY
@given(cases(), HOURS)
def test_pauses_never_shorten_a_deadline(case, hours):
    start, calendar, pauses = case
    assert sla.deadline(start, hours, calendar, pauses) >= sla.deadline(
        start, hours, calendar)
    for count in range(len(pauses)):
        assert sla.deadline(start, hours, calendar, pauses) >= sla.deadline(
            start, hours, calendar, pauses[:count])


@PROPERTY
@given(cases(open_pause=True), HOURS)
def test_open_pause_stops_the_clock(case, hours):
    start, calendar, pauses = case
    closed, paused_at = pauses[:-1], pauses[-1][0]
    due = sla.deadline(start, hours, calendar, pauses)
    if due is None:
        assert sla.elapsed(start, max(paused_at, start), calendar, closed) < hours
    else:
        assert due == sla.deadline(start, hours, calendar, closed)
        assert due <= max(paused_at, start)
    later = max(paused_at, start) + timedelta(days=30)
    assert sla.elapsed(start, later, calendar, pauses) == sla.elapsed(
        start, max(paused_at, start), calendar, closed)


@PROPERTY
@given(cases(), MINUTES, MINUTES)
def test_elapsed_adds_up_and_pauses_take_their_working_time(case, first, second):
    start, calendar, pauses = case
    middle = start + timedelta(minutes=first)
    end = middle + timedelta(minutes=second)
    whole = sla.elapsed(start, end, calendar, pauses)
    assert whole == pytest.approx(sla.elapsed(start, middle, calendar, pauses)
                                  + sla.elapsed(middle, end, calendar, pauses),
                                  abs=1e-9)
    paused = sum(sla.elapsed(begin, min(stop, end), calendar)
                 for begin, stop in sla.merge_pauses(pauses, start))
    assert sla.elapsed(start, end, calendar) == pytest.approx(whole + paused,
                                                              abs=1e-9)


@PROPERTY
@given(MOMENTS, MINUTES)
def test_round_the_clock_is_wall_clock_time(start, minutes):
    now = start + timedelta(minutes=minutes)
    assert sla.elapsed(start, now, sla.ALWAYS) == (now - start).total_seconds() / 3600
    assert sla.deadline(start, minutes / 60, sla.ALWAYS) == now


@PROPERTY
@given(cases(), st.integers(1, 40 * 60), st.lists(MINUTES, min_size=2, max_size=6))
def test_status_never_improves_as_time_passes(case, target, offsets):
    start, calendar, pauses = case
    ranks = [sla.STATUS_RANK[sla.measure(sla.RESOLUTION, start,
                                         start + timedelta(minutes=offset),
                                         target / 60, calendar, pauses).status]
             for offset in sorted(offsets)]
    assert ranks == sorted(ranks)


@PROPERTY
@given(cases(), st.integers(1, 40 * 60))
def test_status_changes_exactly_at_the_thresholds(case, target):
    start, calendar, pauses = case
    clock = sla.measure(sla.RESPONSE, start, start, target / 60, calendar, pauses)
    assume(clock.warning_at > start)
    tick = timedelta(microseconds=1)

    def status_at(now):
        return sla.measure(sla.RESPONSE, start, now, target / 60, calendar,
                           pauses).status

    assert status_at(clock.warning_at - tick) == sla.OK
    assert status_at(clock.warning_at) == sla.WARNING
    assert status_at(clock.deadline) == sla.WARNING
    assert status_at(clock.escalation_at) == sla.BREACHED
    assert status_at(clock.escalation_at + timedelta(days=30)) == sla.ESCALATED
