"""Which bills a payment settles, and what is left over.

One rule for every channel (counter, bank transfer, auto-debit, portal, advance
credit): the oldest bill first (by due date, then bill date, then number), or
the bills the payer chose, in the order given. Whatever the bills do not take
becomes the payer's advance credit (预存): an overpayment is never lost and
never refused. Amounts are ``Decimal`` in the currency's precision.

>>> bills = [Bill(1, D("100.00"), date(2026, 3, 31)),
...          Bill(2, D("80.50"), date(2026, 2, 28))]
>>> result = allocate(D("150"), bills)
>>> [(line.key, str(line.amount)) for line in result.lines], result.advance
([(2, '80.50'), (1, '69.50')], Decimal('0.00'))
>>> allocate(D("200"), bills).advance
Decimal('19.50')
>>> change_due(D("200"), D("180.50"))
Decimal('19.50')
"""
from collections import namedtuple
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

D = Decimal
CENT = Decimal("0.01")

# An open bill: ``key`` identifies it to the caller (an invoice id),
# ``residual`` is what is still due, ``due`` and ``billed`` order it.
Bill = namedtuple("Bill", "key residual due billed number")
Bill.__new__.__defaults__ = (None, "")

AllocationLine = namedtuple("AllocationLine", "key amount settles")
Allocation = namedtuple("Allocation", "lines allocated advance")


class RuleError(ValueError):
    """A refusal of a payment rule: ``code`` names the reason and ``params``
    its details, for the caller to word in the user's language. Each rules
    module raises its own subclass, so that a caller catches only the
    refusals it words."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


class PaymentRuleError(RuleError):
    """A payment that cannot be taken; ``code`` is one of the module's error
    codes."""


NOT_POSITIVE = "not_positive"
NOT_OPEN = "not_open"
TENDERED_SHORT = "tendered_short"
DUPLICATE_BILL = "duplicate_bill"


def money(value, precision=CENT):
    """``value`` as a Decimal rounded half up to ``precision``.

    >>> money("0.285"), money(19.99), money(4.35)
    (Decimal('0.29'), Decimal('19.99'), Decimal('4.35'))
    """
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value).quantize(Decimal(precision), rounding=ROUND_HALF_UP)


def bill_order(bill):
    """Sort key of the oldest-first rule: due date, bill date, number, key."""
    far = date.max
    return (bill.due or bill.billed or far, bill.billed or far,
            bill.number or "", bill.key)


def allocate(amount, bills, chosen=None, precision=CENT):
    """Split ``amount`` over ``bills``.

    - ``chosen``: keys of the bills the payer picked, in the order to settle
      them; only those are paid, the rest of the amount is advance credit.
      Without it, every open bill, oldest first.
    - A bill with nothing left to pay is skipped; each bill gets at most its
      residual; the last one reached may be paid in part.

    Raises ``PaymentRuleError`` for a zero or negative amount, for a chosen
    bill that is not open (not in ``bills`` or nothing due) and for a bill
    chosen twice.
    """
    amount = money(amount, precision)
    if amount <= 0:
        raise PaymentRuleError(NOT_POSITIVE, amount=amount)
    by_key = {bill.key: bill for bill in bills}
    if chosen is not None:
        chosen = list(chosen)
        seen = set()
        for key in chosen:
            if key in seen:
                raise PaymentRuleError(DUPLICATE_BILL, key=key)
            seen.add(key)
            bill = by_key.get(key)
            if bill is None or money(bill.residual, precision) <= 0:
                raise PaymentRuleError(NOT_OPEN, key=key)
        ordered = [by_key[key] for key in chosen]
    else:
        ordered = sorted(bills, key=bill_order)
    lines = []
    left = amount
    for bill in ordered:
        residual = money(bill.residual, precision)
        if residual <= 0 or left <= 0:
            continue
        paid = min(residual, left)
        lines.append(AllocationLine(bill.key, paid, paid == residual))
        left -= paid
    return Allocation(lines, amount - left, left)


def change_due(tendered, amount, precision=CENT):
    """The change to hand back when ``tendered`` cash pays ``amount``.

    >>> change_due(D("100"), D("100.00"))
    Decimal('0.00')
    """
    tendered = money(tendered, precision)
    amount = money(amount, precision)
    if tendered < amount:
        raise PaymentRuleError(TENDERED_SHORT, tendered=tendered, amount=amount)
    return tendered - amount


def split_over_lines(amount, line_totals, precision=CENT):
    """Spread ``amount`` paid on a bill over the bill's lines (its fee items),
    in proportion to their totals, so that the shares add up exactly.

    The remainder of the rounding goes to the lines with the largest
    fractions (largest-remainder method); a full payment gives each line its
    total.

    >>> split_over_lines(D("100.00"), [D("100.00"), D("50.00")])
    [Decimal('66.67'), Decimal('33.33')]
    >>> split_over_lines(D("150.00"), [D("100.00"), D("50.00")])
    [Decimal('100.00'), Decimal('50.00')]
    """
    amount = money(amount, precision)
    totals = [money(total, precision) for total in line_totals]
    whole = sum(totals, Decimal(0))
    if not totals:
        return []
    if whole == 0:
        return [amount] + [Decimal(0).quantize(precision)] * (len(totals) - 1)
    if amount == whole:
        return totals
    step = Decimal(precision)
    raw = [amount * total / whole for total in totals]
    shares = [(value / step).to_integral_value(rounding="ROUND_FLOOR") * step
              for value in raw]
    left = int(((amount - sum(shares, Decimal(0))) / step).to_integral_value())
    order = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for index in order[:left]:
        shares[index] += step
    return [share.quantize(step) for share in shares]
