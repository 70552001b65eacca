"""What a property manager steers by: how much of what was billed came in.

A bill is ``Bill(key, period, date, date_due, amount, payments)``: its
billing period (``"2026-03"``), the date it was billed, its due date, its
amount and the payments on it as ``(date, amount)`` pairs (a payment's share
on this bill: the allocation decides that, not these rules). Amounts are
Decimals in yuan; a share is a Decimal ratio rounded to four places
(``0.9125`` is 91.25 %), or None when there is nothing to divide by.

* **Collected as of a day**: the payments on a bill dated that day or before,
  never more than the bill (a refund is not modelled here).
* **Current-period collection rate (当期收缴率)** of a period, as of a day:
  collected on the period's bills ÷ billed for the period.
* **Arrears recovery (清欠率)** over ``[start, end]``: what was collected in
  those days on the arrears at ``start`` (bills due before ``start``, unpaid
  that morning) ÷ those arrears.
* **Collection curve (回款曲线)** of a billing period: the share of the
  period's billed amount collected within 0, 30, 60, 90, 180 days of the
  bill's date (a vintage view: do newer months pay faster?), each point
  over the bills whose day has come.
* **Dunning effectiveness (催缴效果)** of a level: what came in on the bills
  its steps chased within 30 days of each step (never more than was due on
  a bill) ÷ what the steps chased, and how many steps were paid in full.
* **Ageing (账龄)** of what is still owed as of a day, by days past the due
  date: not yet due, 0-30, 31-90, 91-180, 181-365, over 365. The day after
  the due date is the first day overdue.
* **Payer type (业主类型)** of a unit, from the register: a unit not yet
  handed over is the developer's (开发商空置房), a vacant one is vacant
  (空置), otherwise commercial units are commercial and the rest resident.

>>> bill = Bill("INV/1", "2026-03", date(2026, 3, 1), date(2026, 3, 31),
...             Decimal("200.00"), [(date(2026, 3, 20), Decimal("150.00"))])
>>> collected(bill, date(2026, 3, 31)), outstanding(bill, date(2026, 3, 31))
(Decimal('150.00'), Decimal('50.00'))
>>> collection_rate([bill], "2026-03", date(2026, 4, 30))
Decimal('0.7500')
>>> ageing_bucket(bill, date(2026, 5, 15))
'31-90'
"""
from collections import OrderedDict, namedtuple
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
SHARE = Decimal("0.0001")
ZERO = Decimal("0.00")

Bill = namedtuple("Bill", "key period date date_due amount payments")
Bill.__doc__ = "A posted bill and the payments on it (see the module)."

CURVE_DAYS = (0, 30, 60, 90, 180)

NOT_DUE = "not_due"
# (code, first day overdue, last day overdue or None)
BUCKETS = (
    ("0-30", 1, 30),
    ("31-90", 31, 90),
    ("91-180", 91, 180),
    ("181-365", 181, 365),
    ("365+", 366, None),
)
BUCKET_CODES = (NOT_DUE,) + tuple(code for code, _first, _last in BUCKETS)


DEVELOPER = "developer"
VACANT = "vacant"
COMMERCIAL = "commercial"
RESIDENT = "resident"
PAYER_TYPES = (RESIDENT, COMMERCIAL, VACANT, DEVELOPER)


def payer_type(unit_type, unit_state):
    """The payer type of a unit of ``unit_type`` in ``unit_state`` (the
    register's codes).

    >>> payer_type("residential", "undelivered"), payer_type("parking", "occupied")
    ('developer', 'resident')
    """
    if unit_state == "undelivered":
        return DEVELOPER
    if unit_state == "vacant":
        return VACANT
    if unit_type == "commercial":
        return COMMERCIAL
    return RESIDENT


def share(part, whole):
    """``part`` ÷ ``whole`` rounded half up to four places; None for a whole
    of zero.

    >>> share(Decimal("1"), Decimal("3")), share(Decimal("5"), ZERO)
    (Decimal('0.3333'), None)
    """
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(
        SHARE, rounding=ROUND_HALF_UP)


def collected(bill, as_of):
    """What was paid on ``bill`` up to and including ``as_of``."""
    paid = sum((amount for day, amount in bill.payments if day <= as_of),
               ZERO)
    return min(paid, bill.amount).quantize(CENT)


def outstanding(bill, as_of):
    """What ``bill`` still owed at the end of ``as_of``."""
    return (bill.amount - collected(bill, as_of)).quantize(CENT)


def days_overdue(bill, as_of):
    """Days past the due date on ``as_of`` (0 when not yet overdue)."""
    return max((as_of - bill.date_due).days, 0)


def ageing_bucket(bill, as_of):
    """The ageing bucket code of ``bill`` on ``as_of``."""
    days = days_overdue(bill, as_of)
    for code, first, last in BUCKETS:
        if days >= first and (last is None or days <= last):
            return code
    return NOT_DUE


def collection_rate(bills, period, as_of):
    """当期收缴率 of ``period`` as of ``as_of``, over ``bills`` (any
    periods: the others are left out)."""
    own = [bill for bill in bills if bill.period == period]
    billed = sum((bill.amount for bill in own), ZERO)
    return share(sum((collected(bill, as_of) for bill in own), ZERO), billed)


def arrears(bills, day):
    """The arrears on the morning of ``day``: what bills due before it still
    owed at the end of the day before."""
    return sum((outstanding(bill, date.fromordinal(day.toordinal() - 1))
                for bill in bills if bill.date_due < day), ZERO)


def arrears_recovery(bills, start, end):
    """清欠率 over ``[start, end]``: ``(arrears at start, recovered,
    share)``."""
    before = date.fromordinal(start.toordinal() - 1)
    owed = arrears(bills, start)
    recovered = sum((collected(bill, end) - collected(bill, before)
                     for bill in bills if bill.date_due < start), ZERO)
    # a payment of the arrears never recovers more than they were
    recovered = min(recovered, owed)
    return owed, recovered, share(recovered, owed)


def collection_curve(bills, days=CURVE_DAYS, as_of=None):
    """{period: [share collected within each of ``days`` of the bill's
    date]}, periods in order. With ``as_of``, a point counts only the bills
    whose day has come by then (None while none has): a recent month is not
    read as a month that never paid."""
    periods = OrderedDict()
    for bill in sorted(bills, key=lambda b: b.period):
        periods.setdefault(bill.period, []).append(bill)
    curve = OrderedDict()
    for period, own in periods.items():
        points = []
        for offset in days:
            mature = [(bill, date.fromordinal(bill.date.toordinal() + offset))
                      for bill in own]
            mature = [(bill, day) for bill, day in mature
                      if as_of is None or day <= as_of]
            points.append(share(
                sum((collected(bill, day) for bill, day in mature), ZERO),
                sum((bill.amount for bill, _day in mature), ZERO)))
        curve[period] = points
    return curve


Step = namedtuple("Step", "level date lines")
Step.__doc__ = """A dunning step: its level, its date and the bills it chased
as ``(bill, due that day)`` pairs."""

DUNNING_WINDOW = 30


def step_recovered(step, window=DUNNING_WINDOW):
    """What came in on the bills of ``step`` from its day to ``window`` days
    after it, never more than was due on each that day (what the dunning
    add-on's effectiveness report counts; a payment earlier on the step's
    day already lowered what was due)."""
    end = date.fromordinal(step.date.toordinal() + window)
    recovered = ZERO
    for bill, due in step.lines:
        paid = sum((amount for day, amount in bill.payments
                    if step.date <= day <= end), ZERO)
        recovered += min(paid, due)
    return recovered.quantize(CENT)


def dunning_effectiveness(steps, as_of, window=DUNNING_WINDOW):
    """{level: (steps, chased, recovered, share, settled steps)} over the
    ``steps`` whose window had passed by ``as_of``, levels in order of
    first appearance: how much of what each level asked for came in within
    ``window`` days, and how many payers paid all of it."""
    totals = OrderedDict()
    for step in steps:
        if date.fromordinal(step.date.toordinal() + window) > as_of:
            continue
        chased = sum((due for _bill, due in step.lines), ZERO)
        recovered = step_recovered(step, window)
        count, asked, got, settled = totals.get(step.level, (0, ZERO, ZERO, 0))
        totals[step.level] = (count + 1, asked + chased, got + recovered,
                              settled + (1 if recovered >= chased else 0))
    return OrderedDict(
        (level, (count, asked, got, share(got, asked), settled))
        for level, (count, asked, got, settled) in totals.items())


def ageing(bills, as_of):
    """{bucket code: what is owed in it on ``as_of``}, every bucket listed
    (a zero one too), in the order of ``BUCKET_CODES``."""
    totals = OrderedDict((code, ZERO) for code in BUCKET_CODES)
    for bill in bills:
        owed = outstanding(bill, as_of)
        if owed:
            totals[ageing_bucket(bill, as_of)] += owed
    return totals
