"""The daily dunning run's decision for one payer (property_dunning.rules.dunning)."""
import doctest
from datetime import date, datetime, time, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from property_dunning.rules import dunning
from property_dunning.rules.dunning import (
    CALL, DEFAULT_LEVELS, DUE, EMAIL, LETTER, PORTAL, PREVIOUS, SMS,
    DunningRuleError, LastStep, Level, ManualMove, OverdueBill, Payer, Policy,
    Reach, Skip, Step, decide)

EVERYWHERE = Reach(mobile=True, email=True, portal=True, phone=True,
                   sms_consent=True, address=True)
NOBODY = Reach(False, False, False, False, False, False)
# the default ladder: reminder 3 days after due (sms, portal, email,
# automatic), call 7 days after it, demand letter 15 days after the call,
# legal 30 days after the letter; a minimum interval of 7 days; quiet 21-8 h
POLICY = Policy(DEFAULT_LEVELS, 7, time(21, 0), time(8, 0))
MAR = OverdueBill("MAR", date(2026, 3, 31), D("100.00"))
APR = OverdueBill("APR", date(2026, 4, 30), D("50.50"))
MORNING = time(10, 0)


def payer(bills=(MAR, APR), reach=EVERYWHERE, **values):
    return Payer(list(bills), reach=reach, **values)


def run(day, policy=POLICY, at=MORNING, **values):
    return decide(policy, payer(**values), datetime.combine(day, at))


def outcome(result):
    """The level's code of a step, or the skip reason and its params."""
    if isinstance(result, Step):
        return result.level.code
    return (result.reason, result.params)


def test_doctests():
    assert doctest.testmod(dunning, optionflags=doctest.ELLIPSIS).failed == 0


@pytest.mark.parametrize("day, values, expected", [
    # never dunned, 36 days past the oldest due date: still the first level
    # (Mar 31 + 3 = Apr 3 <= May 6), never straight to a higher one
    (date(2026, 5, 6), {}, "reminder"),
    # reminder Apr 10: call due Apr 10 + 7 = Apr 17 <= May 6
    (date(2026, 5, 6), {"last_step": LastStep(1, date(2026, 4, 10))}, "call"),
    # call Apr 20: letter due Apr 20 + 15 = May 5 <= May 6
    (date(2026, 5, 6), {"last_step": LastStep(2, date(2026, 4, 20))}, "demand"),
    # letter Apr 25: legal only from Apr 25 + 30 = May 25
    (date(2026, 5, 6), {"last_step": LastStep(3, date(2026, 4, 25))},
     ("not_due", {"level": "legal", "due_on": date(2026, 5, 25)})),
    # letter Apr 1 (after the Mar 31 due date): legal from May 1
    (date(2026, 5, 6), {"last_step": LastStep(3, date(2026, 4, 1))}, "legal"),
    # at the last level: nothing more, and never the same level again
    (date(2026, 6, 30), {"last_step": LastStep(4, date(2026, 4, 20))},
     ("top_level", {"level": "legal"})),
    # the last step (Mar 20) is before the oldest overdue due date (Mar 31):
    # what it chased is settled, a new round starts at the reminder
    (date(2026, 5, 6), {"last_step": LastStep(4, date(2026, 3, 20))}, "reminder"),
    # a step on the due date itself chased older bills: new round too
    (date(2026, 5, 6), {"last_step": LastStep(2, date(2026, 3, 31))}, "reminder"),
    # staff moved the payer to the letter on May 1 (after the reminder):
    # the payer stands at 3, legal from May 1 + 30 = May 31
    (date(2026, 5, 6), {"last_step": LastStep(1, date(2026, 4, 10)),
                        "manual": ManualMove(3, date(2026, 5, 1))},
     ("not_due", {"level": "legal", "due_on": date(2026, 5, 31)})),
    # staff moved the payer back to the reminder on May 1 (after the letter):
    # the call again, from May 1 + 7 = May 8
    (date(2026, 5, 6), {"last_step": LastStep(3, date(2026, 4, 20)),
                        "manual": ManualMove(1, date(2026, 5, 1))},
     ("not_due", {"level": "call", "due_on": date(2026, 5, 8)})),
    (date(2026, 5, 8), {"last_step": LastStep(3, date(2026, 4, 20)),
                        "manual": ManualMove(1, date(2026, 5, 1))}, "call"),
    # moved back on the day of the letter (Apr 28): the move came after the
    # step, so the call again, Apr 28 + 7 = May 5 (not legal from May 28)
    (date(2026, 5, 6), {"last_step": LastStep(3, date(2026, 4, 28)),
                        "manual": ManualMove(1, date(2026, 4, 28))}, "call"),
    # moved back to the start: the reminder (due basis, Apr 3) at once
    (date(2026, 5, 6), {"last_step": LastStep(3, date(2026, 4, 20)),
                        "manual": ManualMove(None, date(2026, 5, 1))}, "reminder"),
    # a move older than the last step was consumed by it: the letter of
    # Apr 20 is the position, legal from May 20
    (date(2026, 5, 6), {"last_step": LastStep(3, date(2026, 4, 20)),
                        "manual": ManualMove(1, date(2026, 4, 5))},
     ("not_due", {"level": "legal", "due_on": date(2026, 5, 20)})),
    # only April's bill overdue now (March's paid): the reminder of Apr 10
    # was before Apr 30, new round; reminder due Apr 30 + 3 = May 3
    (date(2026, 5, 6), {"bills": [APR], "last_step": LastStep(1, date(2026, 4, 10))},
     "reminder"),
    # due May 4: the reminder from May 4 + 3 = May 7
    (date(2026, 5, 6), {"bills": [APR._replace(due=date(2026, 5, 4))]},
     ("not_due", {"level": "reminder", "due_on": date(2026, 5, 7)})),
    (date(2026, 5, 7), {"bills": [APR._replace(due=date(2026, 5, 4))]}, "reminder"),
])
def test_level_choice(day, values, expected):
    assert outcome(run(day, **values)) == expected


def test_level_removed_from_the_policy_counts_as_the_one_below():
    # levels 1, 2, 4: a step recorded at 3 stands at 2, so 4 comes next
    levels = [lvl for lvl in DEFAULT_LEVELS if lvl.sequence != 3]
    policy = POLICY._replace(levels=levels)
    # Apr 1 + 30 = May 1 <= May 6
    assert outcome(run(date(2026, 5, 6), policy=policy,
                       last_step=LastStep(3, date(2026, 4, 1)))) == "legal"


def test_first_level_counted_from_previous_uses_the_due_date():
    # a first level "5 days after the previous step" with no previous step:
    # Mar 31 + 5 = Apr 5
    levels = [Level(1, "reminder", 5, PREVIOUS, (SMS,)), DEFAULT_LEVELS[1]]
    policy = POLICY._replace(levels=levels)
    assert outcome(run(date(2026, 4, 4), policy=policy, bills=[MAR])) == (
        "not_due", {"level": "reminder", "due_on": date(2026, 4, 5)})
    assert outcome(run(date(2026, 4, 5), policy=policy, bills=[MAR])) == "reminder"


def test_a_due_basis_level_counts_from_the_oldest_chased_bill():
    # a call 40 days after the due date: MAR is disputed, so APR (Apr 30)
    # counts: Apr 30 + 40 = Jun 9
    levels = [DEFAULT_LEVELS[0], Level(2, "call", 40, DUE, (CALL,), False)]
    policy = POLICY._replace(levels=levels, min_interval=0)
    bills = [MAR._replace(disputed=True), APR]
    last = LastStep(1, date(2026, 4, 5))
    assert outcome(run(date(2026, 6, 8), policy=policy, bills=bills,
                       last_step=last)) == (
        "not_due", {"level": "call", "due_on": date(2026, 6, 9)})
    assert outcome(run(date(2026, 6, 9), policy=policy, bills=bills,
                       last_step=last)) == "call"


def test_one_step_covers_all_the_chasable_bills():
    bills = [
        APR, MAR,
        OverdueBill("DISPUTED", date(2026, 2, 28), D("30.00"), disputed=True),
        OverdueBill("PLAN", date(2026, 1, 31), D("400.00"), in_plan=True),
        OverdueBill("TODAY", date(2026, 5, 6), D("70.00")),  # due today: not overdue
        OverdueBill("LATER", date(2026, 5, 31), D("70.00")),
        OverdueBill("PAID", date(2026, 3, 1), D("0.00")),
        OverdueBill("CENT", date(2026, 4, 15), D("0.005")),  # rounds to 0.01
    ]
    step = run(date(2026, 5, 6), bills=bills)
    assert step.level.code == "reminder"
    # oldest first; 100.00 + 0.01 + 50.50 = 150.51
    assert step.bills == ("MAR", "CENT", "APR")
    assert step.total == D("150.51")
    assert step.excluded == (("DISPUTED", "disputed"), ("PLAN", "in_plan"))
    # oldest chased due date Mar 31: 36 days overdue on May 6
    assert (step.oldest_due, step.days_overdue) == (date(2026, 3, 31), 36)


@pytest.mark.parametrize("sequence, send_now", [(0, True), (1, False)])
def test_automatic_levels_send_and_reviewed_levels_wait(sequence, send_now):
    last = LastStep(1, date(2026, 4, 10)) if sequence else None
    assert run(date(2026, 5, 6), last_step=last).send_now is send_now


@pytest.mark.parametrize("day, values, reason, params", [
    (date(2026, 5, 6), {"held": True}, "held", {}),
    (date(2026, 5, 6), {"bills": []}, "nothing_overdue", {}),
    (date(2026, 5, 6), {"bills": [APR._replace(due=date(2026, 5, 6))]},
     "nothing_overdue", {}),
    (date(2026, 5, 6), {"bills": [MAR._replace(disputed=True)]},
     "all_disputed", {"bills": ("MAR",)}),
    # one disputed, the other in a plan: nothing left to chase
    (date(2026, 5, 6), {"bills": [MAR._replace(disputed=True),
                                  APR._replace(in_plan=True)]},
     "in_plan", {"bills": ("APR",)}),
    # promised for today: the payer has the whole day
    (date(2026, 5, 6), {"promise": date(2026, 5, 6)},
     "promised", {"promise": date(2026, 5, 6)}),
    # last step May 1 + 7 days = May 8
    (date(2026, 5, 6), {"last_step": LastStep(1, date(2026, 5, 1))},
     "min_interval", {"last": date(2026, 5, 1), "next": date(2026, 5, 8)}),
    (date(2026, 5, 6), {"last_step": LastStep(3, date(2026, 4, 25))},
     "not_due", {"level": "legal", "due_on": date(2026, 5, 25)}),
    (date(2026, 5, 6), {"last_step": LastStep(4, date(2026, 4, 25))},
     "top_level", {"level": "legal"}),
    (date(2026, 5, 6), {"reach": NOBODY}, "unreachable",
     {"level": "reminder", "channels": (
         ("sms", "no_mobile"), ("portal", "no_portal_user"),
         ("email", "no_email"))}),
])
def test_every_skip_reason(day, values, reason, params):
    assert run(day, **values) == Skip(reason, params)


def test_a_passed_promise_no_longer_skips():
    assert outcome(run(date(2026, 5, 6), promise=date(2026, 5, 5))) == "reminder"


@pytest.mark.parametrize("values, reason", [
    # each pair of reasons gives the first in SKIP_ORDER
    ({"held": True, "bills": [MAR._replace(disputed=True)]}, "held"),
    ({"held": True, "bills": []}, "held"),
    ({"bills": [MAR._replace(disputed=True)], "promise": date(2026, 6, 1)},
     "all_disputed"),
    ({"bills": [MAR._replace(in_plan=True)], "promise": date(2026, 6, 1)},
     "in_plan"),
    ({"promise": date(2026, 6, 1), "last_step": LastStep(1, date(2026, 5, 5))},
     "promised"),
    ({"last_step": LastStep(4, date(2026, 5, 5))}, "min_interval"),
    ({"last_step": LastStep(3, date(2026, 4, 25)), "reach": NOBODY}, "not_due"),
])
def test_skip_reasons_are_checked_in_order(values, reason):
    assert run(date(2026, 5, 6), **values).reason == reason


def test_never_two_steps_on_one_day_even_without_an_interval():
    # minimum interval 0, a level due 0 days after the previous one: the
    # second run on the same day still waits for tomorrow
    levels = [DEFAULT_LEVELS[0], Level(2, "call", 0, PREVIOUS, (CALL,), False)]
    policy = POLICY._replace(levels=levels, min_interval=0)
    today = date(2026, 5, 6)
    assert outcome(run(today, policy=policy,
                       last_step=LastStep(1, today))) == (
        "min_interval", {"last": today, "next": date(2026, 5, 7)})
    assert outcome(run(date(2026, 5, 7), policy=policy,
                       last_step=LastStep(1, today))) == "call"


@pytest.mark.parametrize("reach, at, expected", [
    # SMS the only usable channel, 22:00: waits until 08:00 the next day
    (Reach(True, False, False, False, True), time(22, 0),
     ("quiet_hours", {"level": "reminder", "until": datetime(2026, 5, 7, 8, 0)})),
    # 07:59: until 08:00 the same day
    (Reach(True, False, False, False, True), time(7, 59),
     ("quiet_hours", {"level": "reminder", "until": datetime(2026, 5, 6, 8, 0)})),
    # 08:00 is no longer quiet, 20:59 not yet
    (Reach(True, False, False, False, True), time(8, 0), ("sms",)),
    (Reach(True, False, False, False, True), time(20, 59), ("sms",)),
    # other channels usable: they go now, the SMS is left out
    (EVERYWHERE, time(22, 0), ("portal", "email")),
    (EVERYWHERE, time(10, 0), ("sms", "portal", "email")),
    # no consent: SMS is not usable at all, quiet hours do not matter
    (Reach(True, True, False, False, False), time(22, 0), ("email",)),
])
def test_sms_quiet_hours(reach, at, expected):
    result = run(date(2026, 5, 6), reach=reach, at=at)
    if isinstance(result, Step):
        assert result.channels == expected
    else:
        assert outcome(result) == expected


def test_the_sms_left_out_in_quiet_hours_is_named():
    step = run(date(2026, 5, 6), at=time(22, 0))
    assert step.left_out == (("sms", "quiet_hours"),)
    assert run(date(2026, 5, 6), at=time(10, 0)).left_out == ()


def test_quiet_hours_within_one_day_and_none():
    sms_only = Reach(True, False, False, False, True)
    lunch = POLICY._replace(quiet_start=time(12, 0), quiet_end=time(14, 0))
    assert run(date(2026, 5, 6), policy=lunch, reach=sms_only,
               at=time(13, 0)).reason == "quiet_hours"
    assert run(date(2026, 5, 6), policy=lunch, reach=sms_only,
               at=time(22, 0)).channels == ("sms",)
    for start, end in [(None, None), (time(9, 0), time(9, 0))]:
        policy = POLICY._replace(quiet_start=start, quiet_end=end)
        assert run(date(2026, 5, 6), policy=policy, reach=sms_only,
                   at=time(23, 0)).channels == ("sms",)


@pytest.mark.parametrize("channels, reach, usable, left_out", [
    # SMS needs a mobile and consent
    ((SMS,), Reach(True, False, False, False, False), (), (("sms", "no_sms_consent"),)),
    ((SMS,), Reach(False, False, False, True, True), (), (("sms", "no_mobile"),)),
    # a call needs a phone or a mobile number
    ((CALL,), Reach(True, False, False, False, False), ("call",), ()),
    ((CALL,), Reach(False, True, True, False, False), (), (("call", "no_phone"),)),
    ((LETTER,), Reach(False, False, False, False, False, True), ("letter",), ()),
    ((LETTER, EMAIL), Reach(False, True, False, False, False, False), ("email",),
     (("letter", "no_address"),)),
    ((PORTAL, EMAIL), Reach(False, False, True, False, False), ("portal",),
     (("email", "no_email"),)),
])
def test_channels(channels, reach, usable, left_out):
    assert dunning.usable_channels(channels, reach) == (usable, left_out)


def test_unreachable_call_goes_to_the_list():
    # the call level, payer with an e-mail only
    result = run(date(2026, 5, 6), reach=Reach(False, True, False, False, False),
                 last_step=LastStep(1, date(2026, 4, 10)))
    assert result == Skip("unreachable", {"level": "call",
                                          "channels": (("call", "no_phone"),)})


def _level(**values):
    base = dict(sequence=1, code="reminder", days=3, basis=DUE, channels=(SMS,),
                automatic=True)
    base.update(values)
    return Level(**base)


@pytest.mark.parametrize("levels, code", [
    ([], "no_levels"),
    ([_level(), _level(sequence=1, code="call")], "sequence_not_increasing"),
    ([_level(sequence=2), _level(sequence=1, code="call")],
     "sequence_not_increasing"),
    ([_level(), _level(sequence=2)], "duplicate_code"),
    ([_level(days=-1)], "negative_days"),
    ([_level(basis="invoice")], "unknown_basis"),
    ([_level(channels=())], "no_channel"),
    # no service cut-off, under any name: only the five channel codes exist
    ([_level(channels=(SMS, "cut_off"))], "unknown_channel"),
    ([_level(channels=("water",))], "unknown_channel"),
    ([_level(channels=("wechat",))], "unknown_channel"),
])
def test_policy_validation(levels, code):
    with pytest.raises(DunningRuleError) as error:
        dunning.check_levels(levels)
    assert error.value.code == code
    # the run refuses the same policy
    with pytest.raises(DunningRuleError):
        decide(POLICY._replace(levels=levels), payer(), datetime(2026, 5, 6, 10))


def test_valid_policies_and_negative_interval():
    assert dunning.check_levels(DEFAULT_LEVELS) == DEFAULT_LEVELS
    assert dunning.check_levels([_level(days=0, channels=dunning.CHANNELS)])
    with pytest.raises(DunningRuleError) as error:
        decide(POLICY._replace(min_interval=-1), payer(), datetime(2026, 5, 6, 10))
    assert error.value.code == dunning.NEGATIVE_INTERVAL


# A payer followed day by day: the steps the cron records form the ladder.
ladders = st.lists(st.tuples(st.integers(0, 40), st.sampled_from([DUE, PREVIOUS])),
                   min_size=1, max_size=5)


@given(ladders, st.integers(0, 10), st.integers(0, 60),
       st.lists(st.integers(0, 120), min_size=1, max_size=6))
def test_daily_runs_climb_one_level_at_a_time(ladder, interval, start, offsets):
    levels = [Level(index + 1, "l%d" % index, days, basis, (EMAIL,))
              for index, (days, basis) in enumerate(ladder)]
    policy = Policy(levels, interval)
    first = date(2026, 1, 1) + timedelta(days=start)
    bills = [OverdueBill(i, first + timedelta(days=offset), D("10.00"))
             for i, offset in enumerate(offsets)]
    steps = []
    day = first
    for _ in range(400):
        last = LastStep(*steps[-1]) if steps else None
        result = decide(policy, Payer(bills, last_step=last, reach=EVERYWHERE),
                        datetime.combine(day, MORNING))
        if isinstance(result, Step):
            # every overdue bill is in the step, with their total
            overdue = [bill for bill in bills if bill.due < day]
            assert set(result.bills) == {bill.key for bill in overdue}
            assert result.total == D("10.00") * len(overdue)
            steps.append((result.level.sequence, day))
        day += timedelta(days=1)
    sequences = [sequence for sequence, _day in steps]
    # one rung at a time from the first, never skipping, never repeating
    assert sequences == list(range(1, len(sequences) + 1))
    # never two steps closer than the interval (and never on one day)
    for (_s1, day1), (_s2, day2) in zip(steps, steps[1:]):
        assert (day2 - day1).days >= max(interval, 1)
    # the ladder was climbed to the top: 400 days outlast any ladder here
    # (oldest bill due within 120 days, then at most 5 levels of 40 days)
    assert sequences[-1] == len(levels)
