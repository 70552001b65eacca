"""Which payer and which bills an incoming bank transfer (转账) is for.

The ORM builds one ``MatchIndex`` per import from plain tuples (open bills,
units and their payers, registered bank accounts) and asks ``match`` for each
statement line. The rules are tried in the issue's order and the first one
that finds anything decides:

1. the payment reference printed on the notice: the bill number
   (``INV/2026/0001``) in the memo, ignoring case, blanks and separators;
2. the unit code in the memo (``3-2-1502``; with the estate's code, e.g.
   ``GG5 3-2-1502``, when several estates have that code);
3. the counterparty's registered bank account (digits only);
4. the counterparty's name and the amount: exactly one payer of that name
   whose open total, or one of whose open bills, equals the amount.

A rule that finds two payers (or two units) is *ambiguous* and stops there:
an ambiguous line is never paid automatically, it waits for a person. Bills of
one payer are paid in the order the service uses (oldest first, or the bills
named in the memo in the memo's order).

>>> index = MatchIndex(
...     bills=[OpenBill(11, "INV/2026/0001", 7, 70, "100.00", date(2026, 1, 31)),
...            OpenBill(12, "INV/2026/0002", 8, 80, "80.00", date(2026, 1, 31))],
...     units=[UnitRef(70, "3-2-1502", "GG", (7,)),
...            UnitRef(80, "3-2-1503", "GG", (8,))],
...     accounts=[("6222 0200 0000 0001", 8)],
...     names=[(7, "王䶮"), (8, "李四")])
>>> match(index, Line(D("100"), "物业费 inv-2026-0001"))
Match(kind='bill', payer=7, bills=(11,), reason='bill_reference', params={})
>>> match(index, Line(D("80"), "", "某人", "6222020000000001")).reason
'bank_account'
>>> match(index, Line(D("80"), "", "李四")).bills
(12,)
>>> match(index, Line(D("-5"), "INV/2026/0001")).kind
'ignored'
"""
import re
import unicodedata
from collections import namedtuple
from datetime import date
from decimal import Decimal

D = Decimal
CENT = Decimal("0.01")

BILL = "bill"
PAYER = "payer"
NONE = "none"
AMBIGUOUS = "ambiguous"
IGNORED = "ignored"
KINDS = (BILL, PAYER, NONE, AMBIGUOUS, IGNORED)

# reasons: how a line matched ...
BILL_REFERENCE = "bill_reference"
BILL_REFERENCE_SETTLED = "bill_reference_settled"
UNIT_CODE = "unit_code"
BANK_ACCOUNT = "bank_account"
NAME_AMOUNT = "name_amount"
# ... or why it did not
NOT_INCOMING = "not_incoming"
BILLS_OF_SEVERAL_PAYERS = "bills_of_several_payers"
UNIT_IN_SEVERAL_ESTATES = "unit_in_several_estates"
UNITS_OF_SEVERAL_PAYERS = "units_of_several_payers"
UNIT_WITHOUT_PAYER = "unit_without_payer"
UNIT_SEVERAL_PAYERS = "unit_several_payers"
ACCOUNT_OF_SEVERAL_PAYERS = "account_of_several_payers"
NAME_AMOUNT_SEVERAL_PAYERS = "name_amount_several_payers"
NAME_AMOUNT_MISMATCH = "name_amount_mismatch"
NO_CLUE = "no_clue"

# An open (or recently settled: residual 0) bill: ``key`` is the caller's id
# (an invoice id), ``payer`` the key of the partner it is billed to, ``unit``
# the key of its unit (or None).
OpenBill = namedtuple("OpenBill", "key number payer unit residual due billed")
OpenBill.__new__.__defaults__ = (None, None)
# A unit: ``payers`` are the keys of its current payers, main payer first.
UnitRef = namedtuple("UnitRef", "key code estate payers")
# A statement line as the rules see it.
Line = namedtuple("Line", "amount memo name account")
Line.__new__.__defaults__ = ("", "", "")

Match = namedtuple("Match", "kind payer bills reason params")
Match.__doc__ = """What ``match`` decided.

- ``kind``: ``bill`` (pay ``bills`` of ``payer``, in that order), ``payer``
  (pay ``payer``'s open bills oldest first; what is left is advance credit),
  ``none``, ``ambiguous`` (several candidates: never paid automatically) or
  ``ignored`` (money out or zero: not a payment);
- ``reason``: the rule that matched or why nothing did; ``params`` its
  details (bill numbers, unit codes, candidates) for the message.
"""


def _match(kind, payer=None, bills=(), reason=NO_CLUE, **params):
    return Match(kind, payer, tuple(bills), reason, params)


def _amount(value):
    return Decimal(value if not isinstance(value, float) else repr(value)) \
        .quantize(CENT)


def _fold(text):
    """Text with full-width forms folded (ＩＮＶ／２０２６ → INV/2026)."""
    return unicodedata.normalize("NFKC", text or "")


def bill_token(text):
    """The comparable form of a bill number: letters and digits, upper case.

    >>> bill_token("inv/2026/0001"), bill_token("ＩＮＶ 2026-0001")
    ('INV20260001', 'INV20260001')
    """
    return re.sub(r"[^0-9A-Z]", "", _fold(text).upper())


# a bill number in a memo: letters then digit groups, any separators between
_BILL_RE = re.compile(r"[A-Za-z]{2,}(?:[\s/\\\-_.#:]*\d+)+")
# a unit code in a memo: letters/digits joined by dashes (3-2-1502, B-12)
_UNIT_RE = re.compile(r"[0-9A-Za-z]+(?:\s*-\s*[0-9A-Za-z]+)+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\uff0d]")


def bill_references(memo):
    """The bill-number candidates of a memo, in order: for each run of
    letters and digit groups, its prefixes that end with a whole digit group,
    longest first, as ``bill_token``s.

    Blanks and separators inside a number are ignored; a longer number never
    matches a shorter one (INV/2026/00012 is not INV/2026/0001), and a number
    followed by other digits (a unit code) is still found.

    >>> bill_references("缴INV/2026/0001及inv 2026 0002，谢谢")
    [['INV20260001', 'INV2026'], ['INV20260002', 'INV2026']]
    >>> "INV20260001" in bill_references("INV/2026/0001 3-2-1502")[0]
    True
    """
    runs = []
    for found in _BILL_RE.finditer(_fold(memo)):
        text = found.group(0)
        ends = [group.end() for group in re.finditer(r"\d+", text)]
        runs.append([bill_token(text[:end]) for end in reversed(ends)])
    return runs


def unit_token(text):
    """The comparable form of a unit code.

    >>> unit_token(" 3－2－1502 "), unit_token("b - 12")
    ('3-2-1502', 'B-12')
    """
    text = _DASHES.sub("-", _fold(text)).upper()
    return re.sub(r"\s+", "", text)


def unit_references(memo):
    """Unit-code candidates of a memo, as ``unit_token``s, in order."""
    tokens = []
    for found in _UNIT_RE.finditer(_DASHES.sub("-", _fold(memo))):
        token = unit_token(found.group(0))
        if token not in tokens:
            tokens.append(token)
    return tokens


def account_token(text):
    """The digits of a bank account number.

    >>> account_token("6222 0200-0000 0001")
    '6222020000000001'
    """
    return re.sub(r"\D", "", _fold(text))


def name_token(text):
    """A person's or company's name, compared without blanks and with
    full-width brackets folded.

    >>> name_token(" 王 䶮 ") == name_token("王䶮")
    True
    """
    return re.sub(r"\s+", "", _fold(text)).lower()


class MatchIndex(object):
    """The lookups of one import, built once from plain tuples.

    - ``bills``: ``OpenBill``s (residual 0 for settled bills the memo may
      still name);
    - ``units``: ``UnitRef``s;
    - ``accounts``: ``(account number, payer key)`` of registered accounts;
    - ``names``: ``(payer key, name)`` of the payers that may pay.

    ``settle`` lowers a bill's residual once a line paid it, so that later
    lines of the same file see what is still open.
    """

    def __init__(self, bills=(), units=(), accounts=(), names=()):
        self.bills = {}
        self.by_number = {}
        self.open_by_payer = {}
        self.open_by_unit = {}
        for bill in bills:
            bill = bill._replace(residual=_amount(bill.residual))
            self.bills[bill.key] = bill
            token = bill_token(bill.number)
            if token:
                self.by_number.setdefault(token, []).append(bill.key)
            if bill.residual > 0:
                self.open_by_payer.setdefault(bill.payer, []).append(bill.key)
                if bill.unit is not None:
                    self.open_by_unit.setdefault(bill.unit, []).append(
                        bill.key)
        self.units = {}
        self.units_by_code = {}
        self.estate_codes = set()
        for unit in units:
            self.units[unit.key] = unit
            self.units_by_code.setdefault(unit_token(unit.code), []).append(
                unit.key)
            if unit.estate:
                self.estate_codes.add(unit_token(unit.estate))
        self.by_account = {}
        for number, payer in accounts:
            token = account_token(number)
            if token and payer is not None:
                payers = self.by_account.setdefault(token, [])
                if payer not in payers:
                    payers.append(payer)
        self.by_name = {}
        for payer, name in names:
            token = name_token(name)
            if token:
                payers = self.by_name.setdefault(token, [])
                if payer not in payers:
                    payers.append(payer)

    def open_bills(self, keys):
        """The bills among ``keys`` with something left, oldest first."""
        bills = [self.bills[key] for key in keys
                 if self.bills[key].residual > 0]
        return sorted(bills, key=_bill_order)

    def open_total(self, payer):
        return sum((bill.residual for bill in self.open_bills(
            self.open_by_payer.get(payer, ()))), Decimal(0))

    def settle(self, key, amount):
        """Record that ``amount`` was paid on bill ``key``."""
        bill = self.bills.get(key)
        if bill is None:
            return
        residual = max(bill.residual - _amount(amount), Decimal(0))
        self.bills[key] = bill._replace(residual=residual)


def _bill_order(bill):
    far = date.max
    return (bill.due or bill.billed or far, bill.billed or far,
            bill.number or "", bill.key)


def match(index, line):
    """The ``Match`` of one statement ``line`` (a ``Line`` or anything with
    ``amount``, ``memo``, ``name`` and ``account``) against ``index``."""
    amount = _amount(line.amount)
    if amount <= 0:
        return _match(IGNORED, reason=NOT_INCOMING)
    memo = line.memo or ""
    for rule in (_by_bill_reference, _by_unit_code):
        found = rule(index, memo)
        if found is not None:
            return found
    found = _by_account(index, line.account or "")
    if found is not None:
        return found
    return _by_name_amount(index, line.name or "", amount)


def match_all(index, lines):
    """``match`` for each line, in order (no settling between lines)."""
    return [match(index, line) for line in lines]


def _by_bill_reference(index, memo):
    keys = []
    for candidates in bill_references(memo):
        for token in candidates:
            found = index.by_number.get(token)
            if found:
                keys.extend(key for key in found if key not in keys)
                break
    if not keys:
        return None
    bills = [index.bills[key] for key in keys]
    numbers = ", ".join(bill.number for bill in bills)
    payers = unique(bill.payer for bill in bills)
    if len(payers) > 1:
        return _match(AMBIGUOUS, reason=BILLS_OF_SEVERAL_PAYERS,
                      numbers=numbers, candidates=payers)
    open_keys = [bill.key for bill in bills if bill.residual > 0]
    if not open_keys:
        # the bills named are paid already: the money is the payer's, to
        # his other open bills oldest first or his advance credit
        return _match(PAYER, payers[0], reason=BILL_REFERENCE_SETTLED,
                      numbers=numbers)
    return _match(BILL, payers[0], open_keys, BILL_REFERENCE,
                  **({} if len(open_keys) == len(keys)
                     else {"settled": numbers}))


def _unit_candidates(index, memo):
    """Unit keys named in the memo, narrowed by an estate code in it."""
    tokens = set(re.findall(r"[0-9A-Z]+", _fold(memo).upper()))
    estates = index.estate_codes & tokens
    found, codes = [], []
    for token in unit_references(memo):
        keys = list(index.units_by_code.get(token, ()))
        if not keys:
            # an estate code glued to the unit code: GG53-2-1502
            for estate in index.estate_codes:
                if token.startswith(estate) and len(token) > len(estate):
                    rest = token[len(estate):].lstrip("-")
                    keys = [key for key in index.units_by_code.get(rest, ())
                            if unit_token(index.units[key].estate) == estate]
                    if keys:
                        token = rest
                        break
        if not keys:
            continue
        if len(keys) > 1 and estates:
            narrowed = [key for key in keys
                        if unit_token(index.units[key].estate or "") in estates]
            keys = narrowed or keys
        codes.append(token)
        found.append(keys)
    return found, codes


def _by_unit_code(index, memo):
    found, codes = _unit_candidates(index, memo)
    if not found:
        return None
    code_text = ", ".join(codes)
    for keys in found:
        if len(keys) > 1:
            return _match(AMBIGUOUS, reason=UNIT_IN_SEVERAL_ESTATES,
                          codes=code_text, candidates=keys)
    units = [keys[0] for keys in found]
    bill_keys = []
    for unit in units:
        bill_keys.extend(index.open_by_unit.get(unit, ()))
    bills = index.open_bills(bill_keys)
    if bills:
        payers = unique(bill.payer for bill in bills)
        if len(payers) > 1:
            return _match(AMBIGUOUS, reason=UNITS_OF_SEVERAL_PAYERS,
                          codes=code_text, candidates=payers)
        return _match(BILL, payers[0], [bill.key for bill in bills],
                      UNIT_CODE, codes=code_text)
    payers = unique(payer for unit in units
                    for payer in index.units[unit].payers)
    if not payers:
        return _match(NONE, reason=UNIT_WITHOUT_PAYER, codes=code_text)
    if len(payers) > 1:
        return _match(AMBIGUOUS, reason=UNIT_SEVERAL_PAYERS,
                      codes=code_text, candidates=payers)
    return _match(PAYER, payers[0], reason=UNIT_CODE, codes=code_text)


def _by_account(index, account):
    token = account_token(account)
    if not token:
        return None
    payers = index.by_account.get(token)
    if not payers:
        return None
    if len(payers) > 1:
        return _match(AMBIGUOUS, reason=ACCOUNT_OF_SEVERAL_PAYERS,
                      account=account, candidates=list(payers))
    return _match(PAYER, payers[0], reason=BANK_ACCOUNT, account=account)


def _by_name_amount(index, name, amount):
    payers = index.by_name.get(name_token(name), ()) if name else ()
    if not payers:
        return _match(NONE, reason=NO_CLUE)
    fits = []
    for payer in payers:
        bills = index.open_bills(index.open_by_payer.get(payer, ()))
        equal = [bill.key for bill in bills if bill.residual == amount]
        total = sum((bill.residual for bill in bills), Decimal(0))
        if len(equal) == 1:
            fits.append((payer, equal))
        elif equal or (bills and total == amount):
            # the whole open total, or several bills of this amount: the
            # payer's bills oldest first
            fits.append((payer, []))
    if not fits:
        return _match(NONE, reason=NAME_AMOUNT_MISMATCH, name=name,
                      amount=amount)
    if len(fits) > 1:
        return _match(AMBIGUOUS, reason=NAME_AMOUNT_SEVERAL_PAYERS,
                      name=name, amount=amount,
                      candidates=[payer for payer, _bills in fits])
    payer, bills = fits[0]
    return _match(BILL if bills else PAYER, payer, bills, NAME_AMOUNT,
                  name=name, amount=amount)


# the outcomes no payment can change: decided on keys, accounts and names
# alone, or on bills already settled (a payment only lowers residuals)
DECIDED_WITHOUT_RESIDUALS = frozenset([
    NOT_INCOMING, BILLS_OF_SEVERAL_PAYERS, BILL_REFERENCE_SETTLED,
    UNIT_IN_SEVERAL_ESTATES, UNIT_WITHOUT_PAYER, UNIT_SEVERAL_PAYERS,
    BANK_ACCOUNT, ACCOUNT_OF_SEVERAL_PAYERS, NO_CLUE])
NAME_AMOUNT_REASONS = frozenset([
    NAME_AMOUNT, NAME_AMOUNT_MISMATCH, NAME_AMOUNT_SEVERAL_PAYERS])


def decided_on(index, line, found):
    """The bills whose residuals decided ``found``, the ``match`` of
    ``line``: paying any of them first could change it, paying others
    cannot. ``None`` when that is not known (every bill counts).

    A caller that pays matched lines later, in batches, matches the next
    line at once unless a payment still waiting ``touches`` one of these.

    >>> index = MatchIndex(
    ...     bills=[OpenBill(11, "INV/2026/0001", 7, 70, "100.00"),
    ...            OpenBill(12, "INV/2026/0002", 7, 70, "80.00")],
    ...     units=[UnitRef(70, "3-2-1502", "GG", (7,))], names=[(7, "王䶮")])
    >>> line = Line(D("80"), "INV/2026/0002")
    >>> sorted(decided_on(index, line, match(index, line)))
    [12]
    >>> line = Line(D("180"), "", "王䶮")
    >>> sorted(decided_on(index, line, match(index, line)))
    [11, 12]
    >>> line = Line(D("5"), "", "某人")
    >>> decided_on(index, line, match(index, line))
    frozenset()
    """
    if found.reason in DECIDED_WITHOUT_RESIDUALS:
        return frozenset()
    if found.reason in NAME_AMOUNT_REASONS:
        # every namesake: one whose residuals fall may come to fit
        return frozenset(
            key for payer in index.by_name.get(name_token(line.name or ""), ())
            for key in index.open_by_payer.get(payer, ()))
    if found.reason in (BILL_REFERENCE, UNIT_CODE) and found.kind == BILL:
        # the named (or the unit's) bills still open; the others are settled
        return frozenset(found.bills)
    if found.reason == UNITS_OF_SEVERAL_PAYERS:
        return frozenset(
            key for payer in found.params.get("candidates", ())
            for key in index.open_by_payer.get(payer, ()))
    if found.reason == UNIT_CODE and found.kind == PAYER:
        return frozenset()  # the units had no open bill left
    return None


def touches(index, found):
    """The bills paying ``found`` may settle: the bills it names, or (a
    payer's money, oldest first) every bill of the payer that was open.

    >>> index = MatchIndex(bills=[OpenBill(11, "A1", 7, None, "5"),
    ...                           OpenBill(12, "A2", 7, None, "5")])
    >>> sorted(touches(index, Match(BILL, 7, (12,), BILL_REFERENCE, {})))
    [12]
    >>> sorted(touches(index, Match(PAYER, 7, (), BANK_ACCOUNT, {})))
    [11, 12]
    """
    if found.kind == BILL:
        return frozenset(found.bills)
    if found.kind == PAYER:
        return frozenset(index.open_by_payer.get(found.payer, ()))
    return frozenset()


def unique(values):
    """``values`` without repeats, in the order first seen.

    >>> unique([8, 7, 8, 9, 7])
    [8, 7, 9]
    """
    result = []
    for value in values:
        if value not in result:
            result.append(value)
    return result
