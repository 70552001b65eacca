"""The daily dunning run (催缴) for one payer: which step, if any, to take today.

A policy (催缴方案) is an ordered ladder of ``Level``s, e.g. the default one:
温馨提示 (friendly reminder), 电话沟通 (phone call), 书面催缴函 (formal demand
letter), 法律途径 (legal escalation). The cron calls ``decide(policy, payer,
now)`` once per payer and gets either a ``Step`` or a ``Skip``:

- **One step per payer.** A step covers *all* the payer's overdue bills that
  may be chased, with their total: never one message per bill.
- **Which bills.** A bill is overdue from the day after its due date. A
  disputed bill (an open bill question or an open linked complaint, 有争议) is
  never in a step, nor is a bill in an instalment plan (分期) in good standing;
  the step names the bills it left out and why (``Step.excluded``).
- **Which level: one rung at a time, never skipping one.** The payer stands at
  the level of the last step on record (or at the level staff moved the payer
  to by hand, which replaces it as the starting point); the candidate is the
  level right after it, the first level for a payer never dunned. It runs once
  its condition holds: ``days`` after the oldest chased bill's due date (basis
  ``due``) or after the date of the previous step / of the move (basis
  ``previous``; for the first level, with no previous step, the due date). So
  the highest level a payer reaches is always the one right above a level on
  record: a demand (催告, the letter) is on record before the legal level can
  run (民法典 §944: demand before suit). A payer long overdue climbs one level
  per run, at the policy's minimum interval.
- **The same level never runs twice in a row** (no repeat of the same
  reminder, the spam the owners complain of); a policy that wants a second
  reminder has a second level (basis ``previous``). At the last level the run
  stops (``TOP_LEVEL``): the legal case takes over. Staff who move a payer
  back to a lower level get that level's next one again: their decision.
- **A new round.** When every bill the last step chased is settled (the last
  step is not after the oldest overdue bill's due date), the ladder starts
  again from the first level for the new arrears; the same for a manual move.
- **Channels.** A level's channels that cannot reach the payer are left out
  (``Step.left_out`` says why): SMS needs a mobile number *and* the payer's SMS
  consent, e-mail an address, the portal a portal user, a phone call a phone
  or mobile number, a letter a postal address. A level with no usable channel
  is skipped (``UNREACHABLE``: the payer goes to the unreachable list).
- **SMS quiet hours** (local time, may wrap over midnight; start == end: none).
  During them an SMS is not sent: the step waits (``QUIET_HOURS``, with the
  time they end) when SMS is its only usable channel; otherwise the step goes
  out on the other channels, without the SMS (no late second notice).
- **Send or review.** An automatic level's step is sent now (``send_now``); a
  reviewed level's step waits for staff.

Why a payer is skipped, checked in this order (``SKIP_ORDER``), the first that
applies is the reason given:

1. ``held``: staff put the payer on hold;
2. ``nothing_overdue``: no bill with something due past its due date;
3. ``all_disputed``: every overdue bill is disputed;
4. ``in_plan``: every undisputed overdue bill is in a plan in good standing;
5. ``promised``: a promise to pay (承诺付款) whose date has not passed (the
   payer has the whole promised day);
6. ``min_interval``: the policy's minimum days since the last step (at least
   one: never two steps on one day);
7. ``not_due``: the next level's condition does not hold yet (with the date it
   will), or ``top_level``: there is no level after the payer's;
8. ``quiet_hours``: SMS is the only usable channel and it is quiet time;
9. ``unreachable``: no channel of the level can reach the payer.

>>> policy = Policy(DEFAULT_LEVELS, 3, time(21, 0), time(8, 0))
>>> reach = Reach(mobile=True, email=False, portal=True, phone=True,
...               sms_consent=True)
>>> payer = Payer([OverdueBill("INV/1", date(2026, 3, 31), D("250.60")),
...                OverdueBill("INV/2", date(2026, 4, 30), D("250.60")),
...                OverdueBill("INV/3", date(2026, 4, 30), D("80"), disputed=True)],
...               reach=reach)
>>> step = decide(policy, payer, datetime(2026, 5, 6, 9, 30))
>>> step.level.code, step.bills, step.total, step.channels, step.send_now
('reminder', ('INV/1', 'INV/2'), Decimal('501.20'), ('sms', 'portal'), True)
>>> step.excluded, step.left_out
((('INV/3', 'disputed'),), (('email', 'no_email'),))
>>> after = payer._replace(last_step=LastStep(1, date(2026, 5, 6)))
>>> decide(policy, after, datetime(2026, 5, 8, 9, 30))
Skip(reason='min_interval', params={'last': datetime.date(2026, 5, 6), \
'next': datetime.date(2026, 5, 9)})
>>> decide(policy, after, datetime(2026, 5, 10, 9, 30))
Skip(reason='not_due', params={'level': 'call', 'due_on': datetime.date(2026, 5, 13)})
>>> decide(policy, after, datetime(2026, 5, 13, 9, 30)).level.code
'call'
"""
from collections import namedtuple
# date and time are used by the doctests
# pylint: disable=unused-import
from datetime import date, datetime, time, timedelta  # noqa: F401
# pylint: enable=unused-import
from decimal import Decimal

from .common import CENT, RuleError, money

D = Decimal

# Bases of a level's days (``Level.basis``)
DUE = "due"  # days after the oldest chased bill's due date
PREVIOUS = "previous"  # days after the previous step
BASES = (DUE, PREVIOUS)

# Channels. There is no service cut-off channel (停水停电, 民法典 §944), and
# any code outside this list is refused.
SMS = "sms"
EMAIL = "email"
PORTAL = "portal"
CALL = "call"
LETTER = "letter"
CHANNELS = (SMS, EMAIL, PORTAL, CALL, LETTER)

# Why a channel was left out of a step (``Step.left_out``)
NO_MOBILE = "no_mobile"
NO_SMS_CONSENT = "no_sms_consent"
NO_EMAIL = "no_email"
NO_PORTAL_USER = "no_portal_user"
NO_PHONE = "no_phone"
NO_ADDRESS = "no_address"
QUIET = "quiet_hours"

# Why a bill was left out of a step (``Step.excluded``)
DISPUTED = "disputed"
IN_PLAN = "in_plan"

# Skip reasons (``Skip.reason``), in the order they are checked
HELD = "held"
NOTHING_OVERDUE = "nothing_overdue"
ALL_DISPUTED = "all_disputed"
ALL_IN_PLAN = "in_plan"
PROMISED = "promised"
MIN_INTERVAL = "min_interval"
NOT_DUE = "not_due"
TOP_LEVEL = "top_level"
QUIET_HOURS = "quiet_hours"
UNREACHABLE = "unreachable"
SKIP_ORDER = (HELD, NOTHING_OVERDUE, ALL_DISPUTED, ALL_IN_PLAN, PROMISED,
              MIN_INTERVAL, NOT_DUE, TOP_LEVEL, QUIET_HOURS, UNREACHABLE)

# Error codes (a policy that cannot be used)
NO_LEVELS = "no_levels"
SEQUENCE_NOT_INCREASING = "sequence_not_increasing"
DUPLICATE_CODE = "duplicate_code"
NEGATIVE_DAYS = "negative_days"
UNKNOWN_BASIS = "unknown_basis"
NO_CHANNEL = "no_channel"
UNKNOWN_CHANNEL = "unknown_channel"
NEGATIVE_INTERVAL = "negative_interval"

Level = namedtuple("Level", "sequence code days basis channels automatic")
Level.__doc__ = (
    "A rung of the ladder: ``sequence`` orders it, ``code`` names it, "
    "``days`` after the ``basis`` (DUE or PREVIOUS) it is due, ``channels`` "
    "a tuple of CHANNELS, ``automatic`` False when its steps wait for review.")
Level.__new__.__defaults__ = (True,)

# The default policy's ladder (shipped as data by the add-on).
DEFAULT_LEVELS = (
    Level(1, "reminder", 3, DUE, (SMS, PORTAL, EMAIL), True),
    Level(2, "call", 7, PREVIOUS, (CALL,), False),
    Level(3, "demand", 15, PREVIOUS, (LETTER,), False),
    Level(4, "legal", 30, PREVIOUS, (LETTER,), False),
)

Policy = namedtuple("Policy", "levels min_interval quiet_start quiet_end")
Policy.__doc__ = (
    "``levels`` in sequence order, ``min_interval`` the minimum days between "
    "two steps of a payer, SMS quiet hours from ``quiet_start`` to "
    "``quiet_end`` (local ``datetime.time``; None or equal: none).")
Policy.__new__.__defaults__ = (0, None, None)

OverdueBill = namedtuple("OverdueBill", "key due residual disputed in_plan")
OverdueBill.__doc__ = (
    "An open bill of the payer: ``key`` for the caller (an invoice id), "
    "``due`` its due date, ``residual`` what is still due, ``disputed`` an "
    "open bill question or linked complaint, ``in_plan`` in an instalment "
    "plan in good standing.")
OverdueBill.__new__.__defaults__ = (False, False)

LastStep = namedtuple("LastStep", "sequence date")
LastStep.__doc__ = "The payer's last step on record: its level's sequence, its date."

ManualMove = namedtuple("ManualMove", "sequence date")
ManualMove.__doc__ = (
    "Staff moved the payer to the level ``sequence`` (None: back to the "
    "start) on ``date``.")

Reach = namedtuple("Reach", "mobile email portal phone sms_consent address")
Reach.__doc__ = (
    "How the payer can be reached: a mobile number, an e-mail address, a "
    "portal user, a phone number, consent to SMS, a postal address (the "
    "unit's by default).")
Reach.__new__.__defaults__ = (False, True)

Payer = namedtuple("Payer", "bills last_step promise held manual reach")
Payer.__doc__ = (
    "One payer's situation: ``bills`` (OverdueBill), ``last_step`` "
    "(LastStep or None), ``promise`` a promise-to-pay date or None, "
    "``held``, ``manual`` (ManualMove or None), ``reach`` (Reach).")
NOBODY = Reach(False, False, False, False, False, False)
Payer.__new__.__defaults__ = (None, None, False, None, NOBODY)

Step = namedtuple("Step", "level bills total channels send_now left_out excluded "
                          "oldest_due days_overdue")
Step.__doc__ = (
    "The step to take: the ``level`` (Level), the chased ``bills`` (keys, "
    "oldest first) and their ``total``, the usable ``channels`` (in the "
    "level's order), ``send_now`` (False: waits for review), ``left_out`` "
    "(channel, reason) pairs, ``excluded`` (bill key, reason) pairs, the "
    "``oldest_due`` chased due date and its ``days_overdue``.")

Skip = namedtuple("Skip", "reason params")
Skip.__doc__ = "No step today: ``reason`` one of SKIP_ORDER, ``params`` its details."


class DunningRuleError(RuleError):
    """A dunning policy that cannot be used; ``code`` names the reason and
    ``params`` its details, for the caller to word in the user's language."""


def check_levels(levels):
    """The policy's ``levels`` as a tuple, once they are usable.

    Refused (``DunningRuleError``): no level; sequences not strictly
    increasing in the order given; a code used twice; negative days; a basis
    other than DUE / PREVIOUS; a level without a channel; a channel code not in
    ``CHANNELS``. There is no service cut-off channel at all: a level cannot
    offer one (民法典 §944).

    >>> check_levels([Level(1, "reminder", 3, DUE, ("sms", "cut_water"))])
    Traceback (most recent call last):
    ...
    property_dunning.rules.dunning.DunningRuleError: ('unknown_channel', {...})
    """
    levels = tuple(levels)
    if not levels:
        raise DunningRuleError(NO_LEVELS)
    codes = set()
    previous = None
    for level in levels:
        if previous is not None and level.sequence <= previous:
            raise DunningRuleError(SEQUENCE_NOT_INCREASING, level=level.code,
                                   sequence=level.sequence, previous=previous)
        previous = level.sequence
        if level.code in codes:
            raise DunningRuleError(DUPLICATE_CODE, level=level.code)
        codes.add(level.code)
        if level.days is None or level.days < 0:
            raise DunningRuleError(NEGATIVE_DAYS, level=level.code, days=level.days)
        if level.basis not in BASES:
            raise DunningRuleError(UNKNOWN_BASIS, level=level.code, basis=level.basis)
        if not level.channels:
            raise DunningRuleError(NO_CHANNEL, level=level.code)
        for channel in level.channels:
            if channel not in CHANNELS:
                raise DunningRuleError(UNKNOWN_CHANNEL, level=level.code,
                                       channel=channel)
    return levels


def in_quiet_hours(moment, start, end):
    """Whether the local time of ``moment`` falls in the quiet hours from
    ``start`` (included) to ``end`` (excluded); they may wrap over midnight;
    None or ``start == end``: no quiet hours.

    >>> night = (time(21, 0), time(8, 0))
    >>> [in_quiet_hours(datetime(2026, 5, 6, h, m), *night)
    ...  for h, m in [(20, 59), (21, 0), (23, 30), (7, 59), (8, 0)]]
    [False, True, True, True, False]
    >>> in_quiet_hours(datetime(2026, 5, 6, 13, 0), time(12, 0), time(14, 0))
    True
    """
    if start is None or end is None or start == end:
        return False
    now = moment.time()
    if start < end:
        return start <= now < end
    return now >= start or now < end


def quiet_until(moment, end):
    """When quiet hours that end at ``end`` are over, from ``moment`` in them.

    >>> quiet_until(datetime(2026, 5, 6, 22, 15), time(8, 0))
    datetime.datetime(2026, 5, 7, 8, 0)
    >>> quiet_until(datetime(2026, 5, 7, 6, 0), time(8, 0))
    datetime.datetime(2026, 5, 7, 8, 0)
    """
    until = datetime.combine(moment.date(), end)
    if until <= moment:
        until += timedelta(days=1)
    return until


def usable_channels(channels, reach):
    """The ``channels`` that can reach the payer, and the (channel, reason)
    pairs of those that cannot.

    >>> usable_channels((SMS, EMAIL, CALL), Reach(mobile=True, email=False,
    ...                 portal=False, phone=False, sms_consent=False))
    (('call',), (('sms', 'no_sms_consent'), ('email', 'no_email')))
    """
    usable, left_out = [], []
    for channel in channels:
        reason = _unreachable(channel, reach)
        if reason:
            left_out.append((channel, reason))
        elif channel not in usable:
            usable.append(channel)
    return tuple(usable), tuple(left_out)


def _unreachable(channel, reach):
    if channel == SMS:
        if not reach.mobile:
            return NO_MOBILE
        return None if reach.sms_consent else NO_SMS_CONSENT
    if channel == EMAIL:
        return None if reach.email else NO_EMAIL
    if channel == PORTAL:
        return None if reach.portal else NO_PORTAL_USER
    if channel == CALL:
        return None if (reach.phone or reach.mobile) else NO_PHONE
    return None if reach.address else NO_ADDRESS


def position(levels, payer, episode_start):
    """The level the payer stands at (None: not dunned in this round) and
    the date it was reached.

    A manual move on or after the last step replaces it; either counts only
    when it is after ``episode_start`` (the oldest overdue due date): an
    older one belongs to arrears since settled, the ladder starts again. A
    recorded sequence that is no longer a level (a level removed from the
    policy) stands for the highest level below it.

    >>> levels = DEFAULT_LEVELS
    >>> payer = Payer([], last_step=LastStep(2, date(2026, 5, 1)))
    >>> position(levels, payer, date(2026, 4, 1))
    (Level(sequence=2, code='call', ...), datetime.date(2026, 5, 1))
    >>> position(levels, payer, date(2026, 5, 1))
    (None, None)
    >>> moved = payer._replace(manual=ManualMove(None, date(2026, 5, 3)))
    >>> position(levels, moved, date(2026, 4, 1))
    (None, datetime.date(2026, 5, 3))
    """
    record = payer.last_step
    manual = payer.manual
    if manual is not None and (record is None or manual.date >= record.date):
        record = manual
    if record is None or record.date <= episode_start:
        return None, None
    if record.sequence is None:
        return None, record.date
    below = [level for level in levels if level.sequence <= record.sequence]
    return (below[-1] if below else None), record.date


def decide(policy, payer, now, precision=CENT):
    """The step to take today for ``payer`` under ``policy``, or why not
    (see the module's docstring for the rule and the order of the reasons).

    ``now`` is the local naive datetime of the run. Raises
    ``DunningRuleError`` for a policy ``check_levels`` refuses or a negative
    minimum interval.
    """
    levels = check_levels(policy.levels)
    if policy.min_interval is not None and policy.min_interval < 0:
        raise DunningRuleError(NEGATIVE_INTERVAL, days=policy.min_interval)
    today = now.date()
    if payer.held:
        return Skip(HELD, {})
    overdue = sorted((bill for bill in payer.bills
                      if money(bill.residual, precision) > 0 and bill.due < today),
                     key=lambda bill: (bill.due, str(bill.key)))
    if not overdue:
        return Skip(NOTHING_OVERDUE, {})
    excluded = [(bill.key, DISPUTED) for bill in overdue if bill.disputed]
    undisputed = [bill for bill in overdue if not bill.disputed]
    if not undisputed:
        return Skip(ALL_DISPUTED, {"bills": tuple(b.key for b in overdue)})
    excluded += [(bill.key, IN_PLAN) for bill in undisputed if bill.in_plan]
    chased = [bill for bill in undisputed if not bill.in_plan]
    if not chased:
        return Skip(ALL_IN_PLAN, {"bills": tuple(b.key for b in undisputed)})
    if payer.promise is not None and today <= payer.promise:
        return Skip(PROMISED, {"promise": payer.promise})
    last = payer.last_step
    if last is not None:
        allowed = last.date + timedelta(days=max(policy.min_interval or 0, 1))
        if today < allowed:
            return Skip(MIN_INTERVAL, {"last": last.date, "next": allowed})

    standing, since = position(levels, payer, overdue[0].due)
    oldest_due = chased[0].due
    if standing is None:
        candidate = levels[0]
    else:
        above = [level for level in levels if level.sequence > standing.sequence]
        if not above:
            return Skip(TOP_LEVEL, {"level": standing.code})
        candidate = above[0]
    if candidate.basis == PREVIOUS and since is not None:
        due_on = since + timedelta(days=candidate.days)
    else:
        due_on = oldest_due + timedelta(days=candidate.days)
    if today < due_on:
        return Skip(NOT_DUE, {"level": candidate.code, "due_on": due_on})

    channels, left_out = usable_channels(candidate.channels,
                                         payer.reach or NOBODY)
    if SMS in channels and in_quiet_hours(now, policy.quiet_start, policy.quiet_end):
        if channels == (SMS,):
            return Skip(QUIET_HOURS, {
                "level": candidate.code,
                "until": quiet_until(now, policy.quiet_end)})
        channels = tuple(channel for channel in channels if channel != SMS)
        left_out += ((SMS, QUIET),)
    if not channels:
        return Skip(UNREACHABLE, {"level": candidate.code,
                                  "channels": left_out})
    total = sum((money(bill.residual, precision) for bill in chased),
                money(0, precision))
    return Step(candidate, tuple(bill.key for bill in chased), total, channels,
                bool(candidate.automatic), left_out, tuple(excluded), oldest_due,
                (today - oldest_due).days)
