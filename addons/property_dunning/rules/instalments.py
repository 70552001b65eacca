"""Instalment plans (分期还款): arrears split into dated instalments, and
whether the owner keeps to them.

Splitting (``split``): the arrears are cut into ``count`` instalments due
monthly from a first due date (the same day of each month, the month's last
day when it is shorter), or due on given dates. The amounts are equal but for
the rounding: each is the arrears divided by the count, rounded *down* to the
cent, and the last one takes the remainder, so it is never smaller than the
others nor zero. Custom amounts must add up exactly to the arrears; nothing is
adjusted silently. A plan never has a due date before its start (the day the
owner accepted it) nor two instalments on one day, and every instalment is
positive.

Following (``status``): the payments allocated to the plan are counted
cumulatively. Instalment *k* is kept when, by its due date plus the grace days
(宽限期, both included), the payments add up to instalments 1..k: a payment
ahead covers later instalments, a part payment leaves the rest to catch up by
the next deadline. The plan is:

- ``good`` while every deadline passed so far was kept;
- ``broken`` from the day after the first deadline not kept (``broken_by``
  names that instalment, ``broken_on`` the day): a later payment does not
  mend it, the payer returns to dunning at the level they had;
- ``completed`` once the payments cover the whole plan with no deadline
  missed before.

>>> plan = split(D("1000.00"), date(2026, 5, 6), count=3,
...              first_due=date(2026, 5, 31))
>>> [(str(i.due), str(i.amount)) for i in plan]
[('2026-05-31', '333.33'), ('2026-06-30', '333.33'), ('2026-07-31', '333.34')]
>>> paid = [Payment(date(2026, 5, 30), D("333.33")),
...         Payment(date(2026, 7, 2), D("200.00"))]
>>> status(plan, paid, date(2026, 7, 4), grace_days=3)
PlanStatus(state='broken', broken_by=2, broken_on=datetime.date(2026, 7, 4), \
paid=Decimal('533.33'), remaining=Decimal('466.67'), overdue=Decimal('133.33'))
>>> status(plan, paid, date(2026, 7, 3), grace_days=3).state
'good'
"""
from collections import namedtuple
# date is used by the doctests
# pylint: disable=unused-import
from datetime import date, timedelta  # noqa: F401
# pylint: enable=unused-import
from decimal import ROUND_DOWN, Decimal

from .common import CENT, RuleError, money

# add_months: the suite's one month arithmetic, property_billing's
# (property_dunning depends on it)
if __name__.startswith("odoo.addons."):  # under Odoo
    from odoo.addons.property_billing.rules.periods import add_months
else:  # the add-ons as bare packages (tests/conftest.py), without odoo
    from property_billing.rules.periods import add_months

D = Decimal

# States of a plan
GOOD = "good"
BROKEN = "broken"
COMPLETED = "completed"

# Error codes
NOT_POSITIVE = "not_positive"
NO_INSTALMENTS = "no_instalments"
TOO_MANY = "too_many"
BAD_ARGUMENTS = "bad_arguments"
BEFORE_START = "before_start"
SAME_DATE = "same_date"
NOT_IN_ORDER = "not_in_order"
COUNT_MISMATCH = "count_mismatch"
AMOUNT_NOT_POSITIVE = "amount_not_positive"
SUM_MISMATCH = "sum_mismatch"
NEGATIVE_GRACE = "negative_grace"
PAYMENT_NOT_POSITIVE = "payment_not_positive"

Instalment = namedtuple("Instalment", "number due amount")
Instalment.__doc__ = ("One instalment: its ``number`` (from 1), ``due`` date, "
                      "``amount``.")

Payment = namedtuple("Payment", "date amount")
Payment.__doc__ = ("A payment allocated to the plan's bills: its ``date`` and "
                   "``amount``.")

PlanStatus = namedtuple("PlanStatus",
                        "state broken_by broken_on paid remaining overdue")
PlanStatus.__doc__ = (
    "A plan as of a day: ``state`` (GOOD, BROKEN, COMPLETED), the number of "
    "the instalment that broke it and the day it broke (None unless "
    "broken), ``paid`` to date, ``remaining`` of the plan still due, "
    "``overdue`` the part of it past its due date.")


class InstalmentRuleError(RuleError):
    """An instalment plan that cannot be made or followed; ``code`` names the
    reason and ``params`` its details, for the caller to word in the user's
    language."""


def monthly(first_due, count):
    """``count`` due dates a month apart from ``first_due``, on its day of the
    month (the month's last day when shorter).

    >>> [str(day) for day in monthly(date(2026, 1, 31), 3)]
    ['2026-01-31', '2026-02-28', '2026-03-31']
    """
    return [add_months(first_due, index) for index in range(count)]


def equal_amounts(total, count, precision=CENT):
    """``total`` in ``count`` equal shares rounded down, the remainder on the
    last share.

    >>> [str(a) for a in equal_amounts(D("100.00"), 3)]
    ['33.33', '33.33', '33.34']
    >>> [str(a) for a in equal_amounts(D("2.00"), 3)]
    ['0.66', '0.66', '0.68']
    """
    total = money(total, precision)
    share = (total / count).quantize(Decimal(precision), rounding=ROUND_DOWN)
    return [share] * (count - 1) + [total - share * (count - 1)]


def split(total, start, count=None, first_due=None, dates=None, amounts=None,
          precision=CENT):
    """The instalments of a plan of ``total`` arrears accepted on ``start``.

    Either ``count`` and ``first_due`` (monthly dates), or ``dates`` (the due
    dates, in order); ``amounts`` (custom, one per date, summing exactly to
    ``total``) or, without them, equal amounts (see ``equal_amounts``).

    Raises ``InstalmentRuleError``: ``total`` not positive; no instalment;
    both or neither way of giving dates; more instalments than cents; a due
    date before ``start``; two on one date; dates not in order; not one amount
    per date; an amount not positive; amounts not summing to ``total``.

    >>> split(D("100"), date(2026, 5, 6), dates=[date(2026, 5, 6),
    ...       date(2026, 6, 1)], amounts=[D("60"), D("30")])
    Traceback (most recent call last):
    ...
    property_dunning.rules.instalments.InstalmentRuleError: ('sum_mismatch', {...})
    """
    total = money(total, precision)
    if total <= 0:
        raise InstalmentRuleError(NOT_POSITIVE, total=total)
    if (dates is None) == (count is None and first_due is None):
        raise InstalmentRuleError(BAD_ARGUMENTS)
    if dates is None:
        if count is None or first_due is None:
            raise InstalmentRuleError(BAD_ARGUMENTS)
        if count < 1:
            raise InstalmentRuleError(NO_INSTALMENTS)
        dates = monthly(first_due, count)
    dates = list(dates)
    if not dates:
        raise InstalmentRuleError(NO_INSTALMENTS)
    _check_dates(dates, start)
    if amounts is None:
        if total < len(dates) * Decimal(precision):
            raise InstalmentRuleError(TOO_MANY, count=len(dates), total=total)
        amounts = equal_amounts(total, len(dates), precision)
    else:
        amounts = _check_amounts(amounts, len(dates), total, precision)
    return [Instalment(number, due, amount)
            for number, (due, amount) in enumerate(zip(dates, amounts), 1)]


def _check_dates(dates, start):
    previous = None
    for number, due in enumerate(dates, 1):
        if due < start:
            raise InstalmentRuleError(BEFORE_START, number=number, due=due,
                                      start=start)
        if previous is not None and due == previous:
            raise InstalmentRuleError(SAME_DATE, number=number, due=due)
        if previous is not None and due < previous:
            raise InstalmentRuleError(NOT_IN_ORDER, number=number, due=due,
                                      previous=previous)
        previous = due


def _check_amounts(amounts, count, total, precision):
    amounts = [money(amount, precision) for amount in amounts]
    if len(amounts) != count:
        raise InstalmentRuleError(COUNT_MISMATCH, dates=count,
                                  amounts=len(amounts))
    for number, amount in enumerate(amounts, 1):
        if amount <= 0:
            raise InstalmentRuleError(AMOUNT_NOT_POSITIVE, number=number,
                                      amount=amount)
    given = sum(amounts, money(0, precision))
    if given != total:
        raise InstalmentRuleError(SUM_MISMATCH, total=total, amounts=given,
                                  difference=total - given)
    return amounts


def status(instalments, payments, on, grace_days=0, precision=CENT):
    """The plan's ``PlanStatus`` as of the day ``on`` (payments after it do
    not count yet), with ``grace_days`` after each due date.

    Raises ``InstalmentRuleError`` for negative grace days or a payment that
    is not positive.

    >>> plan = split(D("300"), date(2026, 5, 1), count=3,
    ...              first_due=date(2026, 5, 10))
    >>> status(plan, [Payment(date(2026, 5, 2), D("300"))], date(2026, 5, 3))
    PlanStatus(state='completed', broken_by=None, broken_on=None, \
paid=Decimal('300.00'), remaining=Decimal('0.00'), overdue=Decimal('0.00'))
    """
    if grace_days is None or grace_days < 0:
        raise InstalmentRuleError(NEGATIVE_GRACE, grace_days=grace_days)
    zero = money(0, precision)
    paid_list = []
    for payment in payments:
        amount = money(payment.amount, precision)
        if amount <= 0:
            raise InstalmentRuleError(PAYMENT_NOT_POSITIVE, date=payment.date,
                                      amount=amount)
        if payment.date <= on:
            paid_list.append((payment.date, amount))
    paid_list.sort()
    grace = timedelta(days=grace_days)
    plan_total = sum((money(i.amount, precision) for i in instalments), zero)
    paid = sum((amount for _day, amount in paid_list), zero)

    def paid_by(day):
        return sum((amount for paid_on, amount in paid_list if paid_on <= day),
                   zero)

    ordered = sorted(instalments, key=lambda i: i.due)
    due_to_date = sum((money(i.amount, precision) for i in ordered if i.due < on),
                      zero)
    overdue = max(due_to_date - paid, zero)
    completed_on = None
    running = zero
    for paid_on, amount in paid_list:
        running += amount
        if running >= plan_total:
            completed_on = paid_on
            break
    cumulative = zero
    for instalment in ordered:
        cumulative += money(instalment.amount, precision)
        deadline = instalment.due + grace
        if deadline >= on:
            break  # this deadline and the later ones have not passed yet
        if completed_on is not None and completed_on <= deadline:
            break  # paid in full by this deadline: nothing more can break
        if paid_by(deadline) < cumulative:
            return PlanStatus(BROKEN, instalment.number,
                              deadline + timedelta(days=1), paid,
                              max(plan_total - paid, zero), overdue)
    if completed_on is not None:
        return PlanStatus(COMPLETED, None, None, paid, zero, zero)
    return PlanStatus(GOOD, None, None, paid, plan_total - paid, overdue)
