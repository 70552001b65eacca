"""Late fees (违约金): what an overdue bill has accrued under the contract.

Property-service contracts usually say "逾期缴纳的，每日按欠缴金额的万分之三
加收违约金": a daily rate on the overdue principal, often after some grace days
(宽限期) and with a cap (e.g. never above the arrears). A policy's rule is a
``LateFeeRule``; ``accrue`` applies it to one bill as of a day, over the bill's
timeline:

- the due date itself is not overdue: the first day that can be charged is the
  day after it;
- grace (宽限期), by default (``FROM_GRACE_END``): the fee runs only from the
  day after the last grace day, so an owner who pays within the grace owes
  nothing and one who pays a day later owes one day, with no jump in between.
  The other common reading (``FROM_DUE``) is a rule option: the grace only
  forgives a payment made within it; paid later, the fee counts from the day
  after the due date;
- a payment (or a credit note, or advance credit applied: anything that lowers
  what is due) lowers the overdue principal from the day after its date: the
  day it is paid on still counts;
- no fee runs on the days of a dispute (an open bill question or an open linked
  complaint, 争议期间) nor on the days of an instalment plan (分期) in good
  standing; both ends of such a period are free days, an open period runs to
  ``as_of``. A dispute pauses the whole bill;
- the fee is rounded once, at the end, never day by day; the cap (a ratio of the
  bill's principal and/or an amount, the lower applies) stops the accrual when
  reached.

The fee is only a figure: levying it (its own invoice line, after a manager's
approval) or waiving it (with a reason) is the caller's, on the amount that
``balance`` leaves open and ``action_amount`` checks.

>>> rule = LateFeeRule(D("0.0003"), 0)
>>> bill = FeeBill("INV/1", D("1000.00"), date(2026, 1, 31),
...                payments=[Payment(date(2026, 2, 10), D("400.00"))])
>>> accrual = accrue(rule, bill, date(2026, 3, 2))
>>> accrual.fee, accrual.days
(Decimal('6.60'), 30)
>>> [(str(s.start), str(s.end), str(s.principal), s.days, str(s.fee))
...  for s in accrual.basis]
[('2026-02-01', '2026-02-10', '1000.00', 10, '3.00'), \
('2026-02-11', '2026-03-02', '600.00', 20, '3.60')]
"""
from collections import namedtuple
from datetime import date, timedelta  # noqa: F401 pylint: disable=unused-import
from decimal import Decimal

from .common import CENT, RuleError, money

D = Decimal
ONE_DAY = timedelta(days=1)

# How grace days work (``LateFeeRule.count_from``)
FROM_GRACE_END = "grace_end"  # the fee runs from the day after the grace
FROM_DUE = "due"  # paid after the grace: the fee runs from the day after due

# Why a segment of the basis was not charged (``Segment.paused``)
DISPUTED = "disputed"
INSTALMENT = "instalment"

# What is done with an accrued fee (``action_amount``)
LEVY = "levy"
WAIVE = "waive"

# Error codes
NEGATIVE_RATE = "negative_rate"
RATE_TOO_HIGH = "rate_too_high"
NEGATIVE_GRACE = "negative_grace"
NEGATIVE_CAP = "negative_cap"
UNKNOWN_COUNT_FROM = "unknown_count_from"
MISSING_DUE = "missing_due"
NEGATIVE_PAYMENT = "negative_payment"
BAD_PERIOD = "bad_period"
NOT_POSITIVE = "not_positive"
NOTHING_OPEN = "nothing_open"
EXCEEDS_OPEN = "exceeds_open"
REASON_REQUIRED = "reason_required"
UNKNOWN_ACTION = "unknown_action"


class LateFeeRuleError(RuleError):
    """A late-fee rule or timeline that cannot be used, or a levy or waiver
    that cannot be made: ``code`` (one of the module's error codes) names the
    reason and ``params`` its details, for the caller to word."""


# Something that lowered what is due on the bill on ``date``: a payment, a
# credit note, advance credit applied.
Payment = namedtuple("Payment", "date amount")
# A period of days, both ends included; ``end`` None: still open.
Period = namedtuple("Period", "start end")
# One bill: ``key`` names it to the caller (an invoice id), ``principal`` is
# its amount, ``due`` its due date; ``disputes`` and ``plans`` are Periods
# (open disputes, instalment plans in good standing) on which no fee runs.
FeeBill = namedtuple("FeeBill", "key principal due payments disputes plans")
FeeBill.__new__.__defaults__ = ((), (), ())
# A run of days with the same overdue principal: ``days`` days from ``start``
# to ``end`` (included), ``fee`` its share of the bill's rounded fee;
# ``paused`` is None for charged days, else DISPUTED or INSTALMENT (fee 0).
Segment = namedtuple("Segment", "start end principal days fee paused")
# The fee of one bill, the days charged, the segments to print, and whether
# the cap cut it.
Accrual = namedtuple("Accrual", "key fee days basis capped")
PayerFees = namedtuple("PayerFees", "total accruals")
# What is left of an accrued fee once levies and waivers are deducted:
# ``open`` is what a new levy or waiver may act on, ``over`` what was levied or
# waived beyond the accrual (after a later dispute lowered it).
FeeBalance = namedtuple("FeeBalance", "accrued levied waived open over")


def _decimal(value):
    return Decimal(repr(value) if isinstance(value, float) else value)


class LateFeeRule(namedtuple(
        "LateFeeRule", "daily_rate grace_days cap_ratio cap_amount count_from")):
    """A policy's late-fee rule (违约金标准).

    - ``daily_rate``: of the overdue principal per day, e.g. ``D("0.0003")``
      for 万分之三; from 0 (no fee) to below 1;
    - ``grace_days``: days after the due date on which paying costs nothing;
    - ``cap_ratio``: the fee is never above this share of the bill's
      principal (1: never above the bill); ``cap_amount``: never above this
      amount; with both, the lower; None: no such cap;
    - ``count_from``: ``FROM_GRACE_END`` (default) or ``FROM_DUE``, see the
      module's docstring.

    >>> LateFeeRule(D("0.0003"), 5, cap_ratio=1).cap(D("80.00"))
    Decimal('80.00')
    >>> try:
    ...     LateFeeRule(D("1.5"), 0)
    ... except LateFeeRuleError as error:
    ...     print(error.code, error.params)
    rate_too_high {'rate': Decimal('1.5')}
    """

    __slots__ = ()

    def __new__(cls, daily_rate, grace_days=0, cap_ratio=None, cap_amount=None,
                count_from=FROM_GRACE_END):
        rate = _decimal(daily_rate)
        if rate < 0:
            raise LateFeeRuleError(NEGATIVE_RATE, rate=rate)
        if rate >= 1:
            raise LateFeeRuleError(RATE_TOO_HIGH, rate=rate)
        if int(grace_days) != grace_days or grace_days < 0:
            raise LateFeeRuleError(NEGATIVE_GRACE, grace_days=grace_days)
        if cap_ratio is not None:
            cap_ratio = _decimal(cap_ratio)
            if cap_ratio < 0:
                raise LateFeeRuleError(NEGATIVE_CAP, cap=cap_ratio)
        if cap_amount is not None:
            cap_amount = _decimal(cap_amount)
            if cap_amount < 0:
                raise LateFeeRuleError(NEGATIVE_CAP, cap=cap_amount)
        if count_from not in (FROM_GRACE_END, FROM_DUE):
            raise LateFeeRuleError(UNKNOWN_COUNT_FROM, count_from=count_from)
        return super().__new__(cls, rate, int(grace_days), cap_ratio,
                               cap_amount, count_from)

    def cap(self, principal, precision=CENT):
        """The most this rule lets a bill of ``principal`` accrue, rounded;
        None without a cap."""
        caps = []
        if self.cap_ratio is not None:
            caps.append(money(self.cap_ratio * _decimal(principal), precision))
        if self.cap_amount is not None:
            caps.append(money(self.cap_amount, precision))
        return min(caps) if caps else None


def days_overdue(due, as_of):
    """Days past the due date on ``as_of`` (the due date itself is 0), as a
    letter states them, whatever the grace and the pauses.

    >>> days_overdue(date(2026, 1, 31), date(2026, 2, 1))
    1
    >>> days_overdue(date(2026, 1, 31), date(2026, 1, 31))
    0
    """
    return max(0, (as_of - due).days)


def _check(bill, precision):
    if bill.due is None:
        raise LateFeeRuleError(MISSING_DUE, key=bill.key)
    payments = []
    for payment in bill.payments:
        amount = money(payment.amount, precision)
        if amount < 0:
            raise LateFeeRuleError(NEGATIVE_PAYMENT, key=bill.key,
                                   date=payment.date, amount=amount)
        payments.append((payment.date, amount))
    for period in tuple(bill.disputes) + tuple(bill.plans):
        if period.start is None or (
                period.end is not None and period.end < period.start):
            raise LateFeeRuleError(BAD_PERIOD, key=bill.key,
                                   start=period.start, end=period.end)
    return sorted(payments)


def _residual(principal, payments, day):
    """What is still due on ``day``: payments count from the day after."""
    paid = sum((amount for when, amount in payments if when < day), Decimal(0))
    return max(principal - paid, Decimal(0))


def _paused(bill, day, as_of):
    for reason, periods in ((DISPUTED, bill.disputes), (INSTALMENT, bill.plans)):
        for period in periods:
            if period.start <= day <= (period.end or as_of):
                return reason
    return None


def accrue(rule, bill, as_of, precision=CENT):
    """The late fee of ``bill`` (a ``FeeBill``) under ``rule`` for every day up
    to ``as_of`` included, as an ``Accrual``.

    ``days`` counts the days charged (overdue, outside the pauses, while
    something was due, including days after the cap was reached); the basis
    lists every run of days from the first day that can be charged to
    ``as_of`` or the day the bill was settled, paused ones too, and the fees of
    its segments add up to ``fee`` exactly. Nothing is due before or on the
    due date, within the grace, or once the bill is paid.

    Raises ``LateFeeRuleError``: MISSING_DUE, NEGATIVE_PAYMENT, BAD_PERIOD
    (no start, or an end before the start).

    >>> rule = LateFeeRule(D("0.0005"), 10, cap_ratio=D("0.1"))
    >>> bill = FeeBill(7, D("200.00"), date(2026, 1, 31),
    ...                disputes=[Period(date(2026, 2, 20), date(2026, 2, 28))])
    >>> accrue(rule, bill, date(2026, 2, 10)).fee   # still within the grace
    Decimal('0.00')
    >>> accrual = accrue(rule, bill, date(2026, 3, 10))
    >>> accrual.fee, accrual.days, [s.paused for s in accrual.basis]
    (Decimal('1.90'), 19, [None, 'disputed', None])
    >>> capped = accrue(rule, bill, date(2028, 1, 31))
    >>> capped.fee, capped.capped
    (Decimal('20.00'), True)
    """
    payments = _check(bill, precision)
    principal = money(bill.principal, precision)
    zero = money(0, precision)
    nothing = Accrual(bill.key, zero, 0, [], False)
    grace_end = bill.due + timedelta(days=rule.grace_days)
    if as_of <= grace_end or principal <= 0:
        return nothing
    if rule.count_from == FROM_DUE:
        if _residual(principal, payments, grace_end + ONE_DAY) <= 0:
            return nothing
        first = bill.due + ONE_DAY
    else:
        first = grace_end + ONE_DAY
    stop = as_of + ONE_DAY
    cuts = {first, stop}
    for when, _amount in payments:
        cuts.add(when + ONE_DAY)
    for period in tuple(bill.disputes) + tuple(bill.plans):
        cuts.add(period.start)
        cuts.add((period.end or as_of) + ONE_DAY)
    cuts = sorted(cut for cut in cuts if first <= cut <= stop)
    runs = []  # [start, end, principal, paused], adjacent equal ones merged
    for start, after in zip(cuts, cuts[1:]):
        owed = _residual(principal, payments, start)
        if owed <= 0:
            break
        paused = _paused(bill, start, as_of)
        if runs and runs[-1][2] == owed and runs[-1][3] == paused:
            runs[-1][1] = after - ONE_DAY
        else:
            runs.append([start, after - ONE_DAY, owed, paused])
    cap = rule.cap(principal, precision)
    raw = Decimal(0)
    shown = zero
    days = 0
    basis = []
    capped = False
    for start, end, owed, paused in runs:
        length = (end - start).days + 1
        if paused is None:
            days += length
            raw += owed * rule.daily_rate * length
            if cap is not None and raw > cap:
                raw, capped = cap, True
        total = money(raw, precision)
        basis.append(Segment(start, end, owed, length, total - shown, paused))
        shown = total
    return Accrual(bill.key, shown, days, basis, capped)


def payer_fees(rule, bills, as_of, precision=CENT):
    """The late fees of a payer's ``bills``: each bill's accrual and their
    total, the sum of the bills' rounded fees (what a letter lists per bill
    adds up to the total it states).

    >>> rule = LateFeeRule(D("0.0003"), 0)
    >>> bills = [FeeBill(1, D("10.00"), date(2026, 1, 31)),
    ...          FeeBill(2, D("10.00"), date(2026, 1, 31))]
    >>> payer_fees(rule, bills, date(2026, 2, 2)).total  # 2 x round(0.006)
    Decimal('0.02')
    """
    accruals = [accrue(rule, bill, as_of, precision) for bill in bills]
    total = sum((accrual.fee for accrual in accruals), money(0, precision))
    return PayerFees(total, accruals)


def balance(accrued, levied=0, waived=0, precision=CENT):
    """What is left of an ``accrued`` fee (a bill's or a payer's) once the
    fee ``levied`` already (invoice lines) and ``waived`` are deducted.

    >>> balance(D("12.50"), levied=D("5.00"), waived=D("2.50")).open
    Decimal('5.00')
    >>> balance(D("3.00"), levied=D("5.00")).over   # a dispute lowered it
    Decimal('2.00')
    """
    accrued = money(accrued, precision)
    levied = money(levied, precision)
    waived = money(waived, precision)
    left = accrued - levied - waived
    zero = money(0, precision)
    return FeeBalance(accrued, levied, waived, max(left, zero), max(-left, zero))


def action_amount(open_amount, amount=None, kind=LEVY, reason=None,
                  precision=CENT):
    """The amount a levy (``LEVY``: its own invoice line) or a waiver
    (``WAIVE``: 减免, which needs a reason) acts on: ``amount`` or, without
    it, everything ``open_amount`` (``balance(...).open``) leaves.

    Raises ``LateFeeRuleError``: UNKNOWN_ACTION, REASON_REQUIRED (a waiver
    without a reason), NOTHING_OPEN, NOT_POSITIVE, EXCEEDS_OPEN.

    >>> action_amount(D("6.60"))
    Decimal('6.60')
    >>> action_amount(D("6.60"), D("2"), kind=WAIVE, reason="hardship")
    Decimal('2.00')
    >>> action_amount(D("6.60"), kind=WAIVE, reason=" ")
    Traceback (most recent call last):
    ...
    property_dunning.rules.late_fee.LateFeeRuleError: ('reason_required', {})
    """
    if kind not in (LEVY, WAIVE):
        raise LateFeeRuleError(UNKNOWN_ACTION, kind=kind)
    if kind == WAIVE and not (reason or "").strip():
        raise LateFeeRuleError(REASON_REQUIRED)
    open_amount = money(open_amount, precision)
    if open_amount <= 0:
        raise LateFeeRuleError(NOTHING_OPEN)
    if amount is None:
        return open_amount
    amount = money(amount, precision)
    if amount <= 0:
        raise LateFeeRuleError(NOT_POSITIVE, amount=amount)
    if amount > open_amount:
        raise LateFeeRuleError(EXCEEDS_OPEN, amount=amount, open=open_amount)
    return amount
