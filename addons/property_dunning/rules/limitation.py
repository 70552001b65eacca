"""Limitation (诉讼时效): until when an owner's arrears can still be sued for.

Civil Code (民法典) §188: the period is three years from the day the creditor
knows, or should know, that its right was harmed and who the debtor is. For a
bill that day is taken to be **the day after its due date**: the owner is in
default from then on and the company knows it from its own books.

§195: each documented demand (催告: a letter, a recorded call, an SMS the
company can prove), and each acknowledgement by the owner (a promise to pay, an
accepted instalment plan, §195(2)), interrupts the period: it starts again, in
full, from that day. The caller passes the dates of those events for the bills
they concern (a step's letter counts for the bills it lists). An event on or
before the due date does not count (nothing was owed yet) and one after the
period ran out does not revive it.

§201/§202, how the period is counted: the first day (the day of default or of
the demand) is not counted; the period ends on the corresponding day of the
final month, or on that month's last day when it has none (a default on
2028-02-29 runs out on 2031-02-28). The last day counts in full. Staff are
warned three months before the last day, counted the same way.

Not modelled: §203's shift of a last day that falls on a public holiday to the
next working day (so the date given is never later than the lawful one: staff
are warned early, never late), suspension (§194, 中止), and the owner's waiver
of the defence after the period ran out (§192).

>>> expiry_date(date(2026, 1, 31))
datetime.date(2029, 2, 1)
>>> bill = LimitationBill("INV/1", date(2026, 1, 31), [date(2027, 5, 31)])
>>> status = limitation(bill, date(2030, 3, 1))
>>> status.expiry, status.warn_from, status.status, status.days_left
(datetime.date(2030, 5, 31), datetime.date(2030, 2, 28), 'warn', 91)
"""
import calendar
from collections import namedtuple
from datetime import date, timedelta

from .common import RuleError

YEARS = 3
WARN_MONTHS = 3

# Status codes (``Limitation.status``)
RUNNING = "running"
WARN = "warn"
EXPIRED = "expired"

# Error codes
MISSING_DUE = "missing_due"
BAD_TERM = "bad_term"


class LimitationRuleError(RuleError):
    """A limitation that cannot be computed: ``code`` (one of the module's
    error codes) names the reason and ``params`` its details, for the caller
    to word."""


# An open bill: ``key`` names it to the caller (an invoice id), ``due`` its
# due date, ``demands`` the dates of the documented demands (and the owner's
# acknowledgements) that concern it, in any order.
LimitationBill = namedtuple("LimitationBill", "key due demands")
LimitationBill.__new__.__defaults__ = ((),)
# ``since``: the day the running period counts from (the default or the last
# demand that interrupted it); ``expiry``: its last day; ``warn_from``: the
# first day staff are warned; ``days_left``: days from ``as_of`` to ``expiry``
# (0 on the last day, negative once it ran out).
Limitation = namedtuple(
    "Limitation", "key since expiry warn_from status days_left")
# A payer's bills: ``earliest`` expiry of all, ``next_expiry`` the earliest
# not yet run out (None when all did), the statuses in the warning window and
# the run-out ones (each by expiry, then key), and every status (same order).
PayerLimitation = namedtuple(
    "PayerLimitation", "earliest next_expiry warned expired statuses")


def shift_months(day, months):
    """The corresponding day ``months`` later (earlier when negative), or the
    last day of that month when it has none (§202).

    >>> shift_months(date(2027, 5, 31), -3)
    datetime.date(2027, 2, 28)
    >>> shift_months(date(2028, 2, 29), 36)
    datetime.date(2031, 2, 28)
    >>> shift_months(date(2026, 1, 15), 1)
    datetime.date(2026, 2, 15)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _term(years, warn_months):
    if int(years) != years or years < 1:
        raise LimitationRuleError(BAD_TERM, years=years, warn_months=warn_months)
    if int(warn_months) != warn_months or not 0 <= warn_months < years * 12:
        raise LimitationRuleError(BAD_TERM, years=years, warn_months=warn_months)


def _run(due, demands, years):
    """(since, expiry) of the period after the default and ``demands``."""
    if due is None:
        raise LimitationRuleError(MISSING_DUE)
    since = due + timedelta(days=1)
    expiry = shift_months(since, 12 * years)
    for demand in sorted(demands):
        if demand <= due or demand > expiry:
            continue
        since, expiry = demand, shift_months(demand, 12 * years)
    return since, expiry


def expiry_date(due, demands=(), years=YEARS):
    """The last day the arrears of a bill due on ``due`` can be sued for,
    after the documented ``demands`` (dates, any order).

    >>> expiry_date(date(2026, 1, 31), [date(2026, 1, 20)])  # before due
    datetime.date(2029, 2, 1)
    >>> expiry_date(date(2026, 1, 31), [date(2030, 1, 1)])  # too late
    datetime.date(2029, 2, 1)
    >>> expiry_date(date(2026, 1, 31), [date(2027, 3, 1), date(2028, 6, 30)])
    datetime.date(2031, 6, 30)
    """
    _term(years, 0)
    return _run(due, demands, years)[1]


def warning_date(expiry, months=WARN_MONTHS):
    """The first day staff are warned: ``months`` before ``expiry``, counted
    like the period itself.

    >>> warning_date(date(2029, 5, 31))
    datetime.date(2029, 2, 28)
    """
    return shift_months(expiry, -months)


def limitation(bill, as_of, years=YEARS, warn_months=WARN_MONTHS):
    """The limitation of ``bill`` (a ``LimitationBill``) as of ``as_of``: a
    ``Limitation`` whose status is RUNNING, WARN (from the warning date to the
    last day included) or EXPIRED (from the day after the last day). Demands
    dated after ``as_of`` are not known yet and are left out.

    Raises ``LimitationRuleError``: MISSING_DUE, BAD_TERM (``years`` below 1,
    ``warn_months`` negative or not shorter than the period).

    >>> bill = LimitationBill(3, date(2026, 1, 31))
    >>> [limitation(bill, day).status for day in (
    ...     date(2028, 10, 31), date(2028, 11, 1), date(2029, 2, 1),
    ...     date(2029, 2, 2))]
    ['running', 'warn', 'warn', 'expired']
    """
    _term(years, warn_months)
    demands = [demand for demand in bill.demands if demand <= as_of]
    try:
        since, expiry = _run(bill.due, demands, years)
    except LimitationRuleError as error:
        raise LimitationRuleError(error.code, key=bill.key)
    warn_from = warning_date(expiry, warn_months)
    if as_of > expiry:
        status = EXPIRED
    elif as_of >= warn_from:
        status = WARN
    else:
        status = RUNNING
    return Limitation(bill.key, since, expiry, warn_from, status,
                      (expiry - as_of).days)


def payer_limitation(bills, as_of, years=YEARS, warn_months=WARN_MONTHS):
    """The limitation of a payer's open ``bills`` as of ``as_of``: the
    earliest expiry, the next one still to come, and the bills to warn about
    and already run out. None and empty lists without bills.

    >>> payer = payer_limitation([
    ...     LimitationBill("feb", date(2026, 2, 28)),
    ...     LimitationBill("jan", date(2026, 1, 31))], date(2028, 12, 1))
    >>> payer.earliest, [s.key for s in payer.warned], payer.expired
    (datetime.date(2029, 2, 1), ['jan', 'feb'], [])
    """
    statuses = sorted(
        (limitation(bill, as_of, years, warn_months) for bill in bills),
        key=lambda status: (status.expiry, str(status.key)))
    coming = [status.expiry for status in statuses if status.status != EXPIRED]
    return PayerLimitation(
        statuses[0].expiry if statuses else None,
        coming[0] if coming else None,
        [status for status in statuses if status.status == WARN],
        [status for status in statuses if status.status == EXPIRED],
        statuses)
