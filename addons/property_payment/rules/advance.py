"""Advance credit (预存): what an owner paid ahead and where it goes.

Credit is money received and not yet owed: the unreconciled credit left on
the payer's receivable by an overpayment, or, when the company keeps one, the
credit balance of the payer on the advance-receipts account (预收账款). When
new bills arrive the credit pays them, oldest bill first
(``allocation.allocate``); the oldest credit is used first.

>>> held = [Credit("pay-1", D("249.40")), Credit("pay-2", D("100.00"))]
>>> lines = allocate(total(held),
...                  [Bill("mar", D("250.60"), date(2026, 3, 16)),
...                   Bill("feb", D("80.00"), date(2026, 2, 15))]).lines
>>> [(p.credit, p.bill, str(p.amount)) for p in pair(held, lines)]
[('pay-1', 'feb', '80.00'), ('pay-1', 'mar', '169.40'), ('pay-2', 'mar', '81.20')]
"""
from collections import namedtuple
from datetime import date  # noqa: F401 pylint: disable=unused-import
from decimal import Decimal

# Bill and AllocationLine: for the doctests and the callers
from .allocation import (  # noqa: F401 pylint: disable=unused-import
    CENT, AllocationLine, Bill, RuleError, allocate, money)

D = Decimal

# Credit available to pay bills: ``key`` names it to the caller (a journal
# item id), ``amount`` is what is left of it (positive).
Credit = namedtuple("Credit", "key amount")
# ``amount`` of credit ``credit`` applied to bill ``bill``.
Application = namedtuple("Application", "credit bill amount")


class AdvanceRuleError(RuleError):
    """Advance credit that cannot be applied; ``code`` names the reason."""


OVER_APPLIED = "over_applied"


def total(held, precision=CENT):
    """The credit available in ``held``; spent or negative credits count
    for nothing.

    >>> total([Credit(1, D("10.005")), Credit(2, D("-3")), Credit(3, 0)])
    Decimal('10.01')
    """
    amounts = (money(credit.amount, precision) for credit in held)
    return sum((amount for amount in amounts if amount > 0), money(0, precision))


def pair(held, lines, precision=CENT):
    """Which credit pays which part of which bill.

    The credits ``held`` are used in the order given (oldest first);
    ``lines`` are the allocation lines (bill key and amount) in the order the
    bills are paid.
    A bill may take several credits and a credit may pay several bills.
    Raises ``AdvanceRuleError(OVER_APPLIED)`` when the lines ask for more
    than the credits hold: nothing may be paid out of credit that is not
    there.

    >>> pair([Credit("a", D("5"))], [AllocationLine("x", D("3"), True)])
    [Application(credit='a', bill='x', amount=Decimal('3.00'))]
    >>> pair([Credit("a", D("5"))], [AllocationLine("x", D("6"), True)])
    Traceback (most recent call last):
    ...
    property_payment.rules.advance.AdvanceRuleError: ('over_applied', {...})
    """
    left = [[credit.key, money(credit.amount, precision)] for credit in held
            if money(credit.amount, precision) > 0]
    result = []
    index = 0
    for line in lines:
        need = money(line.amount, precision)
        while need > 0:
            if index >= len(left):
                raise AdvanceRuleError(
                    OVER_APPLIED, bill=line.key, missing=need)
            key, available = left[index]
            used = min(available, need)
            result.append(Application(key, line.key, used))
            need -= used
            left[index][1] = available - used
            if left[index][1] <= 0:
                index += 1
    return result


def apply_credit(held, bills, precision=CENT):
    """The applications of ``held`` to ``bills``: all the credit there is
    (oldest first) on the open bills, oldest bill first. Nothing when there
    is no credit or no bill.

    >>> apply_credit([Credit("a", D("50"))], [])
    []
    >>> apply_credit([], [Bill("x", D("10"), date(2026, 3, 1))])
    []
    """
    available = total(held, precision)
    due = sum((money(bill.residual, precision) for bill in bills
               if money(bill.residual, precision) > 0), money(0, precision))
    amount = min(available, due)
    if amount <= 0:
        return []
    return pair(held, allocate(amount, bills, precision=precision).lines,
                precision)


def balance_at(amounts, precision=CENT):
    """The advance credit shown by a payer's journal items on one account up
    to a date: ``amounts`` are their balances (debit minus credit); the
    credit is what the payer holds net, never a negative (what the payer
    owes is arrears, not negative credit).

    >>> balance_at([D("250.60"), D("-500.00")])
    Decimal('249.40')
    >>> balance_at([D("250.60"), D("-100.00")])
    Decimal('0.00')
    """
    net = sum((money(amount, precision) for amount in amounts),
              money(0, precision))
    return max(money(0, precision), -net)
