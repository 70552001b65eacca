"""Late fees (违约金) of overdue bills (property_dunning.rules.late_fee)."""
import doctest
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from property_dunning.rules import common, late_fee
from property_dunning.rules.late_fee import (
    DISPUTED, FROM_DUE, INSTALMENT, LEVY, WAIVE, FeeBill, LateFeeRule,
    LateFeeRuleError, Payment, Period, accrue)

DUE = date(2026, 1, 31)
RATE = D("0.0003")  # 万分之三 a day


def day(month, dom, year=2026):
    return date(year, month, dom)


def test_doctests():
    assert doctest.testmod(late_fee).failed == 0
    assert doctest.testmod(common).failed == 0


@pytest.mark.parametrize("rule, bill, as_of, fee, days", [
    # the due date itself is not overdue
    (LateFeeRule(RATE), FeeBill(1, D("1000"), DUE), DUE, "0.00", 0),
    # the day after: 1000 x 0.0003 x 1 = 0.30
    (LateFeeRule(RATE), FeeBill(1, D("1000"), DUE), day(2, 1), "0.30", 1),
    # Feb 1..Mar 2 = 28 + 2 = 30 days: 1000 x 0.0003 x 30 = 9.00
    (LateFeeRule(RATE), FeeBill(1, D("1000"), DUE), day(3, 2), "9.00", 30),
    # 400 paid Feb 10: 1000 x 0.0003 x 10 = 3.00 (Feb 1..10, the day of the
    # payment counts) + 600 x 0.0003 x 20 = 3.60 (Feb 11..Mar 2) = 6.60
    (LateFeeRule(RATE), FeeBill(1, D("1000"), DUE,
                                [Payment(day(2, 10), D("400"))]),
     day(3, 2), "6.60", 30),
    # paid in full on the due date: nothing
    (LateFeeRule(RATE), FeeBill(1, D("1000"), DUE, [Payment(DUE, D("1000"))]),
     day(3, 2), "0.00", 0),
    # paid in full a day late: one day, 0.30, however long after we look
    (LateFeeRule(RATE), FeeBill(1, D("1000"), DUE,
                                [Payment(day(2, 1), D("1000"))]),
     day(12, 31), "0.30", 1),
    # overpaid on Feb 3: Feb 1..3 only, 1000 x 0.0003 x 3 = 0.90
    (LateFeeRule(RATE), FeeBill(1, D("1000"), DUE,
                                [Payment(day(2, 3), D("1500"))]),
     day(3, 2), "0.90", 3),
    # 600 paid before the due date: 400 x 0.0003 x 30 = 3.60
    (LateFeeRule(RATE), FeeBill(1, D("1000"), DUE,
                                [Payment(day(1, 20), D("600"))]),
     day(3, 2), "3.60", 30),
    # grace 5, counted after the grace: nothing up to Feb 5, then Feb 6 = 1 day
    (LateFeeRule(RATE, 5), FeeBill(1, D("1000"), DUE), day(2, 5), "0.00", 0),
    (LateFeeRule(RATE, 5), FeeBill(1, D("1000"), DUE), day(2, 6), "0.30", 1),
    # Feb 6..Mar 2 = 25 days: 1000 x 0.0003 x 25 = 7.50
    (LateFeeRule(RATE, 5), FeeBill(1, D("1000"), DUE), day(3, 2), "7.50", 25),
    # paid on the last grace day: nothing
    (LateFeeRule(RATE, 5), FeeBill(1, D("1000"), DUE,
                                   [Payment(day(2, 5), D("1000"))]),
     day(3, 2), "0.00", 0),
    # grace 5 counted from the due date: paid within the grace, nothing
    (LateFeeRule(RATE, 5, count_from=FROM_DUE),
     FeeBill(1, D("1000"), DUE, [Payment(day(2, 5), D("1000"))]),
     day(3, 2), "0.00", 0),
    # ... paid a day after the grace: Feb 1..6 = 6 days, 1.80
    (LateFeeRule(RATE, 5, count_from=FROM_DUE),
     FeeBill(1, D("1000"), DUE, [Payment(day(2, 6), D("1000"))]),
     day(3, 2), "1.80", 6),
    # ... 600 paid in the grace, 400 after: 1000 x 0.0003 x 3 (Feb 1..3)
    # = 0.90 + 400 x 0.0003 x 27 (Feb 4..Mar 2) = 3.24, 4.14
    (LateFeeRule(RATE, 5, count_from=FROM_DUE),
     FeeBill(1, D("1000"), DUE, [Payment(day(2, 3), D("600"))]),
     day(3, 2), "4.14", 30),
    # ... still within the grace: not known to be late yet
    (LateFeeRule(RATE, 5, count_from=FROM_DUE), FeeBill(1, D("1000"), DUE),
     day(2, 5), "0.00", 0),
    # disputed Feb 10..19 (10 days, both ends free): 20 days, 6.00
    (LateFeeRule(RATE), FeeBill(1, D("1000"), DUE,
                                disputes=[Period(day(2, 10), day(2, 19))]),
     day(3, 2), "6.00", 20),
    # a dispute still open since Feb 20: Feb 1..19 = 19 days, 5.70
    (LateFeeRule(RATE), FeeBill(1, D("1000"), DUE,
                                disputes=[Period(day(2, 20), None)]),
     day(3, 2), "5.70", 19),
    # a plan in good standing since Feb 15: Feb 1..14 = 14 days, 4.20
    (LateFeeRule(RATE), FeeBill(1, D("1000"), DUE,
                                plans=[Period(day(2, 15), None)]),
     day(3, 2), "4.20", 14),
    # a dispute over the whole grace changes nothing: Feb 6..Mar 2, 7.50
    (LateFeeRule(RATE, 5), FeeBill(1, D("1000"), DUE,
                                   disputes=[Period(day(2, 1), day(2, 5))]),
     day(3, 2), "7.50", 25),
    # cap 1 % of the principal = 10.00; Feb 1..Dec 31 = 334 days would be
    # 1000 x 0.0003 x 334 = 100.20; the days still count
    (LateFeeRule(RATE, cap_ratio=D("0.01")), FeeBill(1, D("1000"), DUE),
     day(12, 31), "10.00", 334),
    # cap ratio 1 (1000.00) and 5.00: the lower
    (LateFeeRule(RATE, cap_ratio=1, cap_amount=5), FeeBill(1, D("1000"), DUE),
     day(12, 31), "5.00", 334),
    # rounded once: 10 x 0.0003 x 5 = 0.015 -> 0.02 (day by day: 5 x 0.00)
    (LateFeeRule(RATE), FeeBill(1, D("10"), DUE), day(2, 5), "0.02", 5),
    # rate 0: days are overdue, nothing accrues
    (LateFeeRule(0), FeeBill(1, D("1000"), DUE), day(3, 2), "0.00", 30),
    # nothing due
    (LateFeeRule(RATE), FeeBill(1, D("0"), DUE), day(3, 2), "0.00", 0),
])
def test_accrual_table(rule, bill, as_of, fee, days):
    accrual = accrue(rule, bill, as_of)
    assert (accrual.fee, accrual.days) == (D(fee), days)
    assert sum((s.fee for s in accrual.basis), D("0")) == accrual.fee


def _basis(accrual):
    return [(str(s.start), str(s.end), str(s.principal), s.days, str(s.fee),
             s.paused) for s in accrual.basis]


def test_basis_lists_the_paused_days_for_the_letter():
    bill = FeeBill(1, D("1000"), DUE, [Payment(day(2, 25), D("500"))],
                   disputes=[Period(day(2, 10), day(2, 19))])
    # Feb 1..9: 1000 x 0.0003 x 9 = 2.70; Feb 10..19 disputed;
    # Feb 20..25: 1000 x 0.0003 x 6 = 1.80; Feb 26..Mar 2: 500 x 0.0003 x 5
    # = 0.75; total 5.25 over 20 days
    accrual = accrue(LateFeeRule(RATE), bill, day(3, 2))
    assert _basis(accrual) == [
        ("2026-02-01", "2026-02-09", "1000.00", 9, "2.70", None),
        ("2026-02-10", "2026-02-19", "1000.00", 10, "0.00", DISPUTED),
        ("2026-02-20", "2026-02-25", "1000.00", 6, "1.80", None),
        ("2026-02-26", "2026-03-02", "500.00", 5, "0.75", None),
    ]
    assert (accrual.fee, accrual.days, accrual.capped) == (D("5.25"), 20, False)


def test_a_dispute_wins_over_a_plan_on_the_same_days():
    bill = FeeBill(1, D("1000"), DUE, disputes=[Period(day(2, 1), day(2, 3))],
                   plans=[Period(day(2, 1), day(2, 5))])
    paused = [s.paused for s in accrue(LateFeeRule(RATE), bill, day(2, 10)).basis]
    assert paused == [DISPUTED, INSTALMENT, None]


def test_segment_fees_add_up_to_the_fee_rounded_once():
    bill = FeeBill(1, D("10"), DUE, [Payment(day(2, 3), D("5"))])
    # Feb 1..3: 10 x 0.0003 x 3 = 0.009; Feb 4..10: 5 x 0.0003 x 7 = 0.0105;
    # 0.0195 -> 0.02, shown 0.01 (0.009 rounded) + 0.01 (0.02 - 0.01)
    accrual = accrue(LateFeeRule(RATE), bill, day(2, 10))
    assert [s.fee for s in accrual.basis] == [D("0.01"), D("0.01")]
    assert accrual.fee == D("0.02")


def test_cap_stops_the_accrual_when_reached():
    # 100 x 0.01 a day, cap 0.05 x 100 = 5.00, reached after 5 days (Feb 5);
    # 40 paid Feb 10: nothing more accrues on the 60 left
    rule = LateFeeRule(D("0.01"), cap_ratio=D("0.05"))
    bill = FeeBill(1, D("100"), DUE, [Payment(day(2, 10), D("40"))])
    accrual = accrue(rule, bill, day(2, 20))
    assert accrual.capped and accrual.fee == D("5.00")
    assert [str(s.fee) for s in accrual.basis] == ["5.00", "0.00"]
    assert not accrue(rule, bill, day(2, 4)).capped


def test_payer_total_is_the_sum_of_the_rounded_bill_fees():
    rule = LateFeeRule(RATE)
    bills = [FeeBill("jan", D("10"), DUE), FeeBill("feb", D("10"), DUE),
             FeeBill("mar", D("500"), date(2026, 3, 31))]
    # Feb 2: 10 x 0.0003 x 2 = 0.006 -> 0.01 each (0.012 together would be
    # 0.01); the March bill is not due yet
    fees = late_fee.payer_fees(rule, bills, day(2, 2))
    assert fees.total == D("0.02")
    assert [(a.key, str(a.fee)) for a in fees.accruals] == [
        ("jan", "0.01"), ("feb", "0.01"), ("mar", "0.00")]
    assert late_fee.payer_fees(rule, [], day(2, 2)).total == D("0.00")


@pytest.mark.parametrize("accrued, levied, waived, left, over", [
    ("12.50", "0", "0", "12.50", "0.00"),
    ("12.50", "5.00", "2.50", "5.00", "0.00"),
    ("12.50", "12.50", "0", "0.00", "0.00"),
    # a dispute opened later lowered the accrual below what was levied
    ("3.00", "5.00", "0", "0.00", "2.00"),
    ("3.004", "1.005", "0", "1.99", "0.00"),  # 3.00 - 1.01
])
def test_balance(accrued, levied, waived, left, over):
    result = late_fee.balance(D(accrued), D(levied), D(waived))
    assert (result.open, result.over) == (D(left), D(over))


@pytest.mark.parametrize("open_amount, amount, kind, reason, result", [
    ("6.60", None, LEVY, None, "6.60"),
    ("6.60", "2", LEVY, None, "2.00"),
    ("6.60", None, WAIVE, "hardship (困难)", "6.60"),
    ("6.60", "6.60", WAIVE, "error in the bill", "6.60"),
])
def test_action_amount(open_amount, amount, kind, reason, result):
    amount = D(amount) if amount else None
    assert late_fee.action_amount(D(open_amount), amount, kind, reason) == D(
        result)


@pytest.mark.parametrize("open_amount, amount, kind, reason, code", [
    ("6.60", None, WAIVE, None, late_fee.REASON_REQUIRED),
    ("6.60", None, WAIVE, "  ", late_fee.REASON_REQUIRED),
    ("0.00", None, LEVY, None, late_fee.NOTHING_OPEN),
    ("6.60", "0", LEVY, None, late_fee.NOT_POSITIVE),
    ("6.60", "-1", WAIVE, "x", late_fee.NOT_POSITIVE),
    ("6.60", "6.61", LEVY, None, late_fee.EXCEEDS_OPEN),
    ("6.60", None, "cut_water", None, late_fee.UNKNOWN_ACTION),
])
def test_action_amount_refusals(open_amount, amount, kind, reason, code):
    amount = D(amount) if amount else None
    with pytest.raises(LateFeeRuleError) as error:
        late_fee.action_amount(D(open_amount), amount, kind, reason)
    assert error.value.code == code


@pytest.mark.parametrize("args, kwargs, code", [
    ((D("-0.0001"),), {}, late_fee.NEGATIVE_RATE),
    ((D("1"),), {}, late_fee.RATE_TOO_HIGH),
    ((RATE, -1), {}, late_fee.NEGATIVE_GRACE),
    ((RATE, 1.5), {}, late_fee.NEGATIVE_GRACE),
    ((RATE,), {"cap_ratio": -1}, late_fee.NEGATIVE_CAP),
    ((RATE,), {"cap_amount": D("-5")}, late_fee.NEGATIVE_CAP),
    ((RATE,), {"count_from": "whenever"}, late_fee.UNKNOWN_COUNT_FROM),
])
def test_rule_refusals(args, kwargs, code):
    with pytest.raises(LateFeeRuleError) as error:
        LateFeeRule(*args, **kwargs)
    assert error.value.code == code


def test_rule_takes_floats_and_strings_exactly():
    rule = LateFeeRule(0.0003, 3, cap_ratio="1")
    assert (rule.daily_rate, rule.cap_ratio) == (D("0.0003"), D("1"))
    assert rule.cap(D("80")) == D("80.00")
    assert LateFeeRule(RATE).cap(D("80")) is None


@pytest.mark.parametrize("bill, code", [
    (FeeBill(1, D("10"), None), late_fee.MISSING_DUE),
    (FeeBill(1, D("10"), DUE, [Payment(day(2, 1), D("-1"))]),
     late_fee.NEGATIVE_PAYMENT),
    (FeeBill(1, D("10"), DUE, disputes=[Period(day(2, 5), day(2, 4))]),
     late_fee.BAD_PERIOD),
    (FeeBill(1, D("10"), DUE, plans=[Period(None, day(2, 4))]),
     late_fee.BAD_PERIOD),
])
def test_timeline_refusals(bill, code):
    with pytest.raises(LateFeeRuleError) as error:
        accrue(LateFeeRule(RATE), bill, day(3, 1))
    assert (error.value.code, error.value.params["key"]) == (code, 1)


def test_days_overdue_for_the_letter():
    assert late_fee.days_overdue(DUE, day(3, 2)) == 30
    assert late_fee.days_overdue(DUE, day(1, 1)) == 0


# --- properties -------------------------------------------------------------

offsets = st.integers(min_value=-10, max_value=400)
cents = st.integers(min_value=0, max_value=10 ** 7).map(lambda c: D(c) / 100)
rules = st.builds(
    LateFeeRule,
    st.integers(min_value=0, max_value=100).map(lambda r: D(r) / 10000),
    st.integers(min_value=0, max_value=15),
    st.one_of(st.none(), st.integers(0, 100).map(lambda r: D(r) / 100)),
    st.one_of(st.none(), cents),
    st.sampled_from([late_fee.FROM_GRACE_END, FROM_DUE]))
periods = st.lists(st.tuples(offsets, st.one_of(st.none(), st.integers(0, 60))),
                   max_size=3).map(lambda rows: [
                       Period(DUE + timedelta(start), None if length is None
                              else DUE + timedelta(start + length))
                       for start, length in rows])
bills = st.builds(
    lambda principal, pays, disputes, plans: FeeBill(
        1, principal, DUE, [Payment(DUE + timedelta(o), a) for o, a in pays],
        disputes, plans),
    cents, st.lists(st.tuples(offsets, cents), max_size=4), periods, periods)


@given(rules, bills, st.integers(min_value=0, max_value=500))
def test_fee_adds_up_stays_under_cap_and_days_are_overdue_days(rule, bill, ahead):
    as_of = DUE + timedelta(ahead)
    accrual = accrue(rule, bill, as_of)
    assert sum((s.fee for s in accrual.basis), D("0")) == accrual.fee >= 0
    cap = rule.cap(late_fee.money(bill.principal))
    if cap is not None:
        assert accrual.fee <= cap
    assert accrual.days == sum(s.days for s in accrual.basis if s.paused is None)
    assert accrual.days <= late_fee.days_overdue(DUE, as_of)
    # the segments follow each other without gaps, after the due date
    for before, after in zip(accrual.basis, accrual.basis[1:]):
        assert after.start == before.end + timedelta(1)
    if accrual.basis:
        assert accrual.basis[0].start > DUE and accrual.basis[-1].end <= as_of
    if not accrual.capped:
        assert accrual.fee == late_fee.money(sum(
            (s.principal * rule.daily_rate * s.days
             for s in accrual.basis if s.paused is None), D("0")))


@given(rules, bills, st.integers(min_value=0, max_value=500),
       st.integers(min_value=1, max_value=60))
def test_fee_never_shrinks_with_time(rule, bill, ahead, more):
    early = accrue(rule, bill, DUE + timedelta(ahead)).fee
    assert accrue(rule, bill, DUE + timedelta(ahead + more)).fee >= early


@given(rules, bills, st.integers(min_value=0, max_value=500), offsets, cents,
       periods)
def test_payments_and_disputes_never_raise_the_fee(rule, bill, ahead, offset,
                                                   amount, disputes):
    as_of = DUE + timedelta(ahead)
    fee = accrue(rule, bill, as_of).fee
    paid = bill._replace(payments=list(bill.payments) + [
        Payment(DUE + timedelta(offset), amount)])
    assert accrue(rule, paid, as_of).fee <= fee
    disputed = bill._replace(disputes=list(bill.disputes) + disputes)
    assert accrue(rule, disputed, as_of).fee <= fee


@given(rules, bills, st.integers(min_value=0, max_value=500))
def test_counting_from_the_due_date_never_charges_less(rule, bill, ahead):
    as_of = DUE + timedelta(ahead)
    after_grace = accrue(rule._replace(count_from=late_fee.FROM_GRACE_END),
                         bill, as_of)
    from_due = accrue(rule._replace(count_from=FROM_DUE), bill, as_of)
    assert from_due.fee >= after_grace.fee
