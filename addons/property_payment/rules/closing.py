"""The cashier's daily closing (日结): what the day's receipts say the cashier
took on each counter channel, what was counted, and what does not agree.

One closing per cashier, day and company. Its expected takings are the
non-void receipts of that cashier and day, channel by channel; cash is counted
by hand, the other counter channels (bank card, WeChat Pay and Alipay at the
counter) default to what is expected (the terminal's own report agrees with
the receipts unless the cashier says otherwise). A difference is allowed but
never silent: it needs a reason.

>>> takings = expected_takings([
...     ("cash", D("100.00"), False), ("cash", D("50.50"), False),
...     ("wechat", D("80.00"), False), ("cash", D("20.00"), True),
...     ("transfer", D("999.00"), False)])
>>> [(t.code, t.count, str(t.amount)) for t in takings]
[('cash', 2, '150.50'), ('card', 0, '0.00'), ('wechat', 1, '80.00'), \
('alipay', 0, '0.00')]
>>> default_counted("wechat", D("80.00")), default_counted("cash", D("150.50"))
(Decimal('80.00'), None)
>>> difference(D("150.50"), D("140.50"))
Decimal('-10.00')
>>> check_lines([ClosingLine("cash", D("150.50"), D("140.50"), "")])
Traceback (most recent call last):
...
property_payment.rules.closing.ClosingError: ('reason_required', \
{'channel': 'cash', 'difference': Decimal('-10.00')})
"""
from collections import namedtuple
from decimal import Decimal

from .allocation import RuleError, money
from .channels import CHANNELS, CASH, COUNTER

D = Decimal

DRAFT = "draft"
CLOSED = "closed"
STATES = [(DRAFT, "Open"), (CLOSED, "Closed")]

# the counter channels in their display order
COUNTER_CHANNELS = [code for code, _name, kind, _t, _j in CHANNELS
                    if kind == COUNTER]

# error codes
REASON_REQUIRED = "reason_required"
NOT_COUNTED = "not_counted"
NEGATIVE_COUNT = "negative_count"
DAY_CLOSED = "day_closed"
NOT_CLOSED = "not_closed"
ALREADY_CLOSED = "already_closed"
REOPEN_REASON = "reopen_reason"

# kinds of post-closing change
VOIDED_AFTER = "voided"
ADDED_AFTER = "added"

Takings = namedtuple("Takings", "code count amount")
ClosingLine = namedtuple("ClosingLine", "code expected counted reason")
Change = namedtuple("Change", "key kind")


class ClosingError(RuleError):
    """A closing that cannot be done as asked; ``code`` is one of the error
    codes above. Not a ``PaymentRuleError``: the callers that word payment
    refusals do not catch it."""


def expected_takings(receipts, precision="0.01"):
    """The expected takings per counter channel, in display order, from
    ``receipts``: ``(channel_code, amount, voided)`` triples of one cashier
    and day. Void receipts and non-counter channels count for nothing; every
    counter channel is listed, with zeros when nothing was taken on it.

    >>> expected_takings([])[0]
    Takings(code='cash', count=0, amount=Decimal('0.00'))
    """
    counts = {code: 0 for code in COUNTER_CHANNELS}
    amounts = {code: Decimal(0) for code in COUNTER_CHANNELS}
    for code, amount, voided in receipts:
        if voided or code not in counts:
            continue
        counts[code] += 1
        amounts[code] += money(amount, precision)
    return [Takings(code, counts[code], money(amounts[code], precision))
            for code in COUNTER_CHANNELS]


def default_counted(code, expected):
    """What the counted amount of a channel is before the cashier enters it:
    nothing for cash (it must be counted by hand), the expected amount for
    the others."""
    if code == CASH:
        return None
    return money(expected)


def difference(expected, counted, precision="0.01"):
    """``counted`` - ``expected``: negative when the till is short.

    >>> difference(D("80"), D("80.00"))
    Decimal('0.00')
    """
    return money(counted, precision) - money(expected, precision)


def check_lines(lines, precision="0.01"):
    """Check the lines of a closing before it closes (``ClosingLine`` tuples,
    ``counted`` None when nothing was entered). Returns the differences per
    channel code; raises ``ClosingError``:

    - ``not_counted``: cash was taken but not counted;
    - ``negative_count``: a counted amount below zero;
    - ``reason_required``: a difference without a reason.

    >>> check_lines([ClosingLine("cash", D("0"), None, ""),
    ...              ClosingLine("wechat", D("5"), D("4"), "terminal fault")])
    {'cash': Decimal('0.00'), 'wechat': Decimal('-1.00')}
    """
    result = {}
    for line in lines:
        counted = line.counted
        if counted is None:
            if money(line.expected, precision) != 0:
                raise ClosingError(NOT_COUNTED, channel=line.code,
                                   expected=money(line.expected, precision))
            counted = Decimal(0)
        if money(counted, precision) < 0:
            raise ClosingError(NEGATIVE_COUNT, channel=line.code,
                               counted=money(counted, precision))
        diff = difference(line.expected, counted, precision)
        if diff != 0 and not (line.reason or "").strip():
            raise ClosingError(REASON_REQUIRED, channel=line.code,
                               difference=diff)
        result[line.code] = diff
    return result


def post_closing_changes(frozen, current):
    """What changed on a closed day: ``frozen`` are the keys of the receipts
    the closing counted, ``current`` maps the keys of the day's counter
    receipts as they are now to whether they are void. A counted receipt
    voided since, and a receipt that was not counted (taken after the
    closing), are both changes; sorted by key.

    >>> post_closing_changes({1, 2, 3}, {1: False, 2: True, 3: False, 4: False})
    [Change(key=2, kind='voided'), Change(key=4, kind='added')]
    """
    frozen = set(frozen)
    changes = []
    for key in sorted(set(current) | frozen):
        voided = current.get(key)
        if key in frozen and voided:
            changes.append(Change(key, VOIDED_AFTER))
        elif key not in frozen and voided is False:
            changes.append(Change(key, ADDED_AFTER))
    return changes
