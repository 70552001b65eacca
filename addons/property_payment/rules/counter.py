"""The counter (柜台) cashier screen: what one search box means, and what a
payment taken there would do before it is taken.

The cashier types one thing: a unit code (``3-2-1502``), an estate code and a
unit code (``GG 3-2-1502``), an owner's name or a mobile number. ``parse_query``
lists what the text may mean, the most specific reading first; the screen
tries them in that order and stops at the first that finds someone. When it
finds several payers, they are numbered from 1 and typing the number picks one
(``pick_index``).

>>> [(q.kind, q.estate, q.value) for q in parse_query(" 3-2-1502 ")]
[('unit', '', '3-2-1502'), ('name', '', '3-2-1502')]
>>> [(q.kind, q.estate, q.value) for q in parse_query("gg 3-2-1502")]
[('estate_unit', 'gg', '3-2-1502'), ('name', '', 'gg 3-2-1502')]
>>> [(q.kind, q.value) for q in parse_query("138 0013 8000")]
[('mobile', '13800138000')]
>>> [(q.kind, q.value) for q in parse_query("张  三")]
[('name', '张 三')]
"""
import re
from collections import namedtuple
from decimal import Decimal

from . import allocation, channels

EMPTY = "empty"
UNIT = "unit"
ESTATE_UNIT = "estate_unit"
MOBILE = "mobile"
NAME = "name"

# One keystroke picks a candidate: at most nine are numbered.
MAX_CANDIDATES = 9

# Error codes of the counter, worded by the screen in the user's language.
NOT_COUNTER = "not_counter_channel"

Query = namedtuple("Query", "kind value estate")
Query.__new__.__defaults__ = ("",)

_UNIT_CODE = re.compile(r"^[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*$")
_PHONE_CHARS = re.compile(r"^\+?[0-9][0-9 ()-]*$")
_SEPARATORS = re.compile(r"[\s()-]+")


def normalize(text):
    """``text`` stripped, with runs of blanks made one space.

    >>> normalize("  GG\\t 3-2-1502 ")
    'GG 3-2-1502'
    """
    return " ".join((text or "").split())


def mobile_digits(text):
    """The digits of ``text`` when it reads as a phone number, else ``""``.

    A Chinese mobile has 11 digits from 1, maybe after +86 / 0086 and with
    blanks or dashes; a landline is any other run of 7 or more digits without
    dashes (a unit code has dashes).

    >>> mobile_digits("+86 138-0013-8000"), mobile_digits("021 5555 0000")
    ('13800138000', '02155550000')
    >>> mobile_digits("3-2-1502"), mobile_digits("1502"), mobile_digits("王")
    ('', '', '')
    """
    text = normalize(text)
    if not text or not _PHONE_CHARS.match(text):
        return ""
    digits = _SEPARATORS.sub("", text).lstrip("+")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11 \
                and digits[len(prefix)] == "1":
            digits = digits[len(prefix):]
    if len(digits) == 11 and digits.startswith("1"):
        return digits
    if len(digits) >= 7 and "-" not in text:
        return digits
    return ""


def is_unit_code(text):
    """True when ``text`` looks like a unit code: letters and digits in parts
    joined by dashes, with at least one digit.

    >>> is_unit_code("3-2-1502"), is_unit_code("1502"), is_unit_code("B3-101")
    (True, True, True)
    >>> is_unit_code("Wang"), is_unit_code("3 2 1502"), is_unit_code("")
    (False, False, False)
    """
    return bool(text and _UNIT_CODE.match(text)
                and any(char.isdigit() for char in text))


def parse_query(text):
    """What the cashier's search may mean, most specific first: a list of
    ``Query(kind, value, estate)``; ``[Query("empty", "")]`` for no text.

    - a phone number: only ``mobile``;
    - one unit-code-like word: ``unit``, then ``estate_unit`` when it starts
      with an estate code and a dash (``GG-3-2-1502``), then ``name``;
    - an estate code, a blank and a unit code: ``estate_unit``, then ``name``;
    - anything else: ``name``.

    >>> [(q.kind, q.estate, q.value) for q in parse_query("GG-3-2-1502")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('unit', '', 'GG-3-2-1502'), ('estate_unit', 'GG', '3-2-1502'),
     ('name', '', 'GG-3-2-1502')]
    >>> parse_query("   ")
    [Query(kind='empty', value='', estate='')]
    """
    text = normalize(text)
    if not text:
        return [Query(EMPTY, "")]
    digits = mobile_digits(text)
    if digits:
        return [Query(MOBILE, digits)]
    result = []
    words = text.split(" ")
    if len(words) == 1 and is_unit_code(text):
        result.append(Query(UNIT, text))
        head, _dash, rest = text.partition("-")
        if rest and is_unit_code(rest) and any(c.isalpha() for c in head):
            result.append(Query(ESTATE_UNIT, rest, head))
    elif len(words) == 2 and is_unit_code(words[1]) and \
            _UNIT_CODE.match(words[0]):
        result.append(Query(ESTATE_UNIT, words[1], words[0]))
    result.append(Query(NAME, text))
    return result


def pick_index(text, count):
    """The 0-based index of the candidate the cashier picked by typing its
    number (1 to ``count``), else None.

    >>> pick_index("2", 3), pick_index(" 1 ", 1), pick_index("4", 3)
    (1, 0, None)
    >>> pick_index("0", 3), pick_index("3-2-1502", 3), pick_index("1", 0)
    (None, None, None)
    """
    text = normalize(text)
    if not count or not text.isdigit() or len(text) > 1:
        return None
    number = int(text)
    if 1 <= number <= min(count, MAX_CANDIDATES):
        return number - 1
    return None


Preview = namedtuple("Preview", "total_due amount paid advance change lines")


def preview(bills, amount, channel_code, tendered=None, chosen=None):
    """What taking ``amount`` on ``channel_code`` would do, for the screen to
    show live before the cashier collects: ``Preview(total_due, amount, paid,
    advance, change, lines)`` where ``lines`` is {bill key: amount settled},
    ``paid`` what goes to the bills, ``advance`` what becomes credit and
    ``change`` the cash to hand back (``None`` while the cash tendered is
    short, zero when nothing was tendered: exact cash).

    Nothing is refused here (a screen being typed into is often incomplete):
    an amount of zero or less previews nothing; ``check_collect`` refuses.

    >>> bills = [allocation.Bill(1, Decimal("100.00"), None, None, "B1"),
    ...          allocation.Bill(2, Decimal("50.00"), None, None, "B2")]
    >>> p = preview(bills, Decimal("120"), "cash", Decimal("200"))
    >>> p.total_due, p.paid, p.advance, p.change, sorted(p.lines.items())
    ... # doctest: +NORMALIZE_WHITESPACE
    (Decimal('150.00'), Decimal('120.00'), Decimal('0.00'), Decimal('80.00'),
     [(1, Decimal('100.00')), (2, Decimal('20.00'))])
    >>> preview(bills, Decimal("120"), "cash", Decimal("100")).change is None
    True
    >>> preview(bills, Decimal("60"), "card", chosen=[2]).advance
    Decimal('10.00')
    """
    zero = allocation.money(Decimal(0))
    total_due = sum((allocation.money(bill.residual) for bill in bills), zero)
    amount = allocation.money(amount or 0)
    change = zero
    if channel_code == channels.CASH and tendered:
        try:
            change = allocation.change_due(tendered, amount)
        except allocation.PaymentRuleError:
            change = None
    if amount <= 0:
        return Preview(total_due, amount, zero, zero, change, {})
    try:
        result = allocation.allocate(amount, bills, chosen=chosen)
    except allocation.PaymentRuleError:
        return Preview(total_due, amount, zero, zero, change, {})
    lines = {line.key: line.amount for line in result.lines}
    return Preview(total_due, amount, result.allocated, result.advance, change,
                   lines)


def check_collect(amount, channel_code, tendered=None):
    """The change to hand back for a counter payment of ``amount`` on
    ``channel_code`` with ``tendered`` cash (none: exact cash); raises
    ``allocation.PaymentRuleError`` for an amount of zero or less, a channel
    that is not a counter one, or cash tendered short of the amount.
    Card, WeChat Pay and Alipay give no change: ``tendered`` is ignored.

    >>> check_collect(Decimal("180.50"), "cash", Decimal("200"))
    Decimal('19.50')
    >>> check_collect(Decimal("180.50"), "wechat", Decimal("200"))
    Decimal('0.00')
    >>> check_collect(Decimal("0"), "cash")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    PaymentRuleError: not_positive
    """
    amount = allocation.money(amount or 0)
    if amount <= 0:
        raise allocation.PaymentRuleError(allocation.NOT_POSITIVE, amount=amount)
    if not channels.is_counter(channel_code):
        raise allocation.PaymentRuleError(NOT_COUNTER, channel=channel_code)
    if channel_code != channels.CASH or not tendered:
        return allocation.money(0)
    return allocation.change_due(tendered, amount)
