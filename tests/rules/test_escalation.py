"""The escalation ladder of complaints (property_complaint.rules.escalation)."""
import doctest
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from property_complaint.rules import escalation as esc, sla

OFFICE = sla.working_calendar(
    [(range(5), "08:30", "12:00"), (range(5), "13:30", "18:00")])
FRI_17 = datetime(2026, 3, 6, 17, 0)
R, S = sla.RESPONSE, sla.RESOLUTION
WARN, LEADER, MANAGER = esc.WARN_ASSIGNEE, esc.LEADER_ACTIVITY, esc.ESCALATE_MANAGER


def mon(hour, minute=0):
    return datetime(2026, 3, 9, hour, minute)


def response(now, stopped_at=None):
    """Response target 4 h from Friday 17:00: warning Monday 10:30, due 11:30,
    escalation past 15:00."""
    return sla.measure(R, FRI_17, now, 4, OFFICE, stopped_at=stopped_at)


def resolution(now):
    """Resolution target 8 h from Friday 17:00: warning Monday 15:00 (6 h),
    due 17:00, escalation past Tuesday 11:30 (12 h)."""
    return sla.measure(S, FRI_17, now, 8, OFFICE)


def test_doctests():
    assert doctest.testmod(esc).failed == 0


def test_ladder():
    assert esc.LADDER == (WARN, LEADER, MANAGER)


@pytest.mark.parametrize("now, done, expected", [
    (mon(10), (), []),
    (mon(10, 30), (), [WARN]),
    (mon(10, 30), [(R, WARN)], []),
    # at the deadline the response is still on time
    (mon(11, 30), [(R, WARN)], []),
    (mon(11, 31), [(R, WARN)], [LEADER]),
    # the cron was down: the missed steps come together, in order
    (mon(11, 31), (), [WARN, LEADER]),
    (mon(15, 0), [(R, WARN), (R, LEADER)], []),
    (mon(15, 1), (), [WARN, LEADER, MANAGER]),
    (mon(15, 1), [(R, WARN)], [LEADER, MANAGER]),
    (mon(15, 1), [(R, WARN), (R, LEADER)], [MANAGER]),
    (mon(15, 1), [(R, WARN), (R, LEADER), (R, MANAGER)], []),
    # steps taken by hand count as climbed
    (mon(11, 31), [(R, LEADER)], []),
    (mon(15, 1), [(R, LEADER)], [MANAGER]),
    (mon(15, 1), [(R, MANAGER)], []),
    # steps of the other clock do not count, repeats in ``done`` do no harm
    (mon(10, 30), [(S, WARN), (S, LEADER)], [WARN]),
    (mon(11, 31), [(R, WARN), (R, WARN)], [LEADER]),
])
def test_response_ladder(now, done, expected):
    steps = esc.due_steps([response(now)], done)
    assert [step.step for step in steps] == expected
    assert {step.clock for step in steps} <= {R}
    assert all(step.due_at <= now for step in steps)


def test_due_at_is_when_the_threshold_was_reached():
    assert esc.due_steps([response(mon(15, 1))]) == [
        esc.Step(R, WARN, mon(10, 30)),
        esc.Step(R, LEADER, mon(11, 30)),
        esc.Step(R, MANAGER, mon(15)),
    ]


@pytest.mark.parametrize("stopped_at", [mon(9), mon(12), mon(15, 1)])
def test_stopped_clock_escalates_no_further(stopped_at):
    assert esc.due_steps([response(datetime(2026, 3, 10, 9), stopped_at)]) == []


def test_two_clocks_are_merged_by_due_time():
    now = datetime(2026, 3, 10, 14)
    steps = esc.due_steps([resolution(now), response(now)], [(R, WARN)])
    # a tie at Monday 15:00: response before resolution
    assert steps == [
        esc.Step(R, LEADER, mon(11, 30)),
        esc.Step(R, MANAGER, mon(15)),
        esc.Step(S, WARN, mon(15)),
        esc.Step(S, LEADER, mon(17)),
        esc.Step(S, MANAGER, datetime(2026, 3, 10, 11, 30)),
    ]


def test_response_answered_resolution_still_climbs():
    now = mon(17, 30)
    clocks = [response(now, stopped_at=mon(11)), resolution(now)]
    steps = esc.due_steps(clocks)
    assert [(s.clock, s.step) for s in steps] == [(S, WARN), (S, LEADER)]


def test_level_and_reached():
    assert esc.level(R, []) == -1
    assert esc.level(R, [(R, LEADER), (S, MANAGER), (R, WARN)]) == 1
    assert esc.reached(response(mon(10))) == -1
    assert esc.reached(response(mon(10, 30))) == 0
    assert esc.reached(response(mon(11, 31))) == 1
    assert esc.reached(response(mon(15, 1))) == 2
    assert esc.reached(response(mon(15, 1), stopped_at=mon(15, 1))) == -1


def test_unknown_step_is_refused():
    with pytest.raises(ValueError):
        esc.due_steps([response(mon(16))], [(R, "call_the_police")])


# ------------------------------------------------------------------ properties

CALENDARS = st.sampled_from([OFFICE, sla.ALWAYS])
MOMENTS = st.datetimes(min_value=datetime(2026, 3, 1), max_value=datetime(2026, 6, 30))


@settings(max_examples=150, deadline=None)
@given(start=MOMENTS, calendar=CALENDARS,
       targets=st.tuples(st.integers(1, 24 * 60), st.integers(1, 80 * 60)),
       pause=st.tuples(st.integers(0, 100 * 60), st.integers(0, 48 * 60)),
       offsets=st.lists(st.integers(0, 30 * 24 * 60), min_size=1, max_size=12))
def test_steps_come_in_order_exactly_once_as_now_grows(
        start, calendar, targets, pause, offsets):
    pause_begin = start + timedelta(minutes=pause[0])
    pauses = [(pause_begin, pause_begin + timedelta(minutes=pause[1]))]

    def clocks(now):
        return [sla.measure(kind, start, now, minutes / 60, calendar, pauses)
                for kind, minutes in zip((R, S), targets)]

    done, emitted = [], []
    for now in sorted(start + timedelta(minutes=m) for m in offsets):
        steps = esc.due_steps(clocks(now), done)
        assert all(step.due_at <= now for step in steps)
        assert [s.due_at for s in steps] == sorted(s.due_at for s in steps)
        done += [(step.clock, step.step) for step in steps]
        emitted += steps
        # taking the steps answers the question: nothing more is due now
        assert esc.due_steps(clocks(now), done) == []
    final = clocks(now)
    for clock in final:
        mine = [step.step for step in emitted if step.clock == clock.kind]
        assert mine == list(esc.LADDER[:esc.reached(clock) + 1])
