"""The escalation ladder of a complaint: what to do when an SLA clock runs late.

Each clock (response, resolution) climbs the same ladder, one rung per
threshold of its status (see ``sla``):

1. ``warn_assignee`` when the warning share is reached (status ``warning``);
2. ``leader_activity``, an activity for the team leader, once the target is
   passed (status ``breached``);
3. ``escalate_manager`` once the escalation share is passed (status
   ``escalated``): the manager takes over and may reassign.

``due_steps(clocks, done)`` answers, at the ``now`` the clocks were measured
at, which steps to take. A step is never repeated and never skipped: a cron
that was down while the clock passed two thresholds gets both steps, in order.
Steps taken by hand count as climbed: when a manager was called in directly,
the lower rungs of that clock are not emitted afterwards. A stopped clock
(responded, resolved) emits nothing. The clock's status is that of its own
measurement: the caller restarts the ladder of a reopened complaint by
forgetting its ``done`` steps for the resolution clock.

>>> from datetime import datetime
>>> from . import sla
>>> friday_5pm = datetime(2026, 3, 6, 17, 0)
>>> office = sla.working_calendar([(range(5), "08:30", "12:00"),
...                                (range(5), "13:30", "18:00")])
>>> clock = sla.measure(sla.RESPONSE, friday_5pm, datetime(2026, 3, 9, 14, 0), 4,
...                     office)
>>> clock.status
'breached'
>>> [(s.step, s.due_at.strftime("%a %H:%M")) for s in due_steps([clock])]
[('warn_assignee', 'Mon 10:30'), ('leader_activity', 'Mon 11:30')]
>>> due_steps([clock], done=[(sla.RESPONSE, WARN_ASSIGNEE)])[0].step
'leader_activity'
"""
from collections import namedtuple

from .sla import BREACHED, ESCALATED, RESOLUTION, RESPONSE, WARNING

WARN_ASSIGNEE = "warn_assignee"
LEADER_ACTIVITY = "leader_activity"
ESCALATE_MANAGER = "escalate_manager"
STEPS = [
    (WARN_ASSIGNEE, "Assignee warned"),
    (LEADER_ACTIVITY, "Team leader activity"),
    (ESCALATE_MANAGER, "Escalated to the manager"),
]
LADDER = tuple(code for code, _label in STEPS)

# The rung reached by each status (OK reaches none) and the clock figure that
# tells when that rung was reached.
_REACHED = {WARNING: 0, BREACHED: 1, ESCALATED: 2}
_DUE_AT = ("warning_at", "deadline", "escalation_at")
_KIND_ORDER = {RESPONSE: 0, RESOLUTION: 1}

Step = namedtuple("Step", "clock step due_at")
Step.__doc__ = ("An escalation step to take: ``clock`` is the clock's kind "
                "(response, resolution), ``step`` a code of ``LADDER``, "
                "``due_at`` when its threshold was reached (local naive).")


def level(kind, done):
    """Index in ``LADDER`` of the highest step already taken on the clock
    ``kind`` (-1 when none). ``done``: (kind, step) pairs."""
    highest = -1
    for done_kind, step in done:
        if step not in LADDER:
            raise ValueError("unknown escalation step %r" % (step,))
        if done_kind == kind:
            highest = max(highest, LADDER.index(step))
    return highest


def reached(clock):
    """Index in ``LADDER`` of the highest step the clock's status calls for
    (-1 when none, or when the clock has stopped)."""
    if clock.stopped:
        return -1
    return _REACHED.get(clock.status, -1)


def due_steps(clocks, done=()):
    """The escalation steps due now, as ``Step`` tuples.

    ``clocks``: ``sla.Clock`` figures measured at ``now``; ``done``: the
    (clock kind, step) pairs already taken. For each clock, every step above
    the highest one taken up to the one its status reaches, in ladder order;
    all clocks together sorted by ``due_at`` (then response before
    resolution, then ladder order).
    """
    done = list(done)
    steps = []
    for clock in clocks:
        for index in range(level(clock.kind, done) + 1, reached(clock) + 1):
            due_at = getattr(clock, _DUE_AT[index])
            steps.append((due_at, _KIND_ORDER.get(clock.kind, len(_KIND_ORDER)),
                          index, Step(clock.kind, LADDER[index], due_at)))
    steps.sort(key=lambda item: item[:3])
    return [item[3] for item in steps]
