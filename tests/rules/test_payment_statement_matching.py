"""Matching incoming transfers to payers and bills
(property_payment.rules.statement_matching)."""
import doctest
from datetime import date
from decimal import Decimal

import pytest

from property_payment.rules import statement_matching as sm
from property_payment.rules.statement_matching import Line, OpenBill, UnitRef

D = Decimal

# payers: 1 王䶮 (unit 10 in GG, two bills), 2 李四 (unit 20 in GG, one bill),
# 3 张三 (unit 30: code 3-2-1502 in estate HF too), 4 李四 (a namesake, unit 40),
# 5 赵六 (unit 50, nothing open)
BILLS = [
    OpenBill(101, "INV/2026/0001", 1, 10, "100.00", date(2026, 1, 31)),
    OpenBill(102, "INV/2026/0002", 1, 10, "120.00", date(2026, 2, 28)),
    OpenBill(201, "INV/2026/0003", 2, 20, "80.00", date(2026, 1, 31)),
    OpenBill(301, "INV/2026/0004", 3, 30, "55.50", date(2026, 1, 31)),
    OpenBill(401, "INV/2026/0005", 4, 40, "66.00", date(2026, 1, 31)),
    OpenBill(402, "INV/2026/00012", 4, 40, "10.00", date(2026, 1, 31)),
    OpenBill(501, "INV/2025/0099", 5, 50, "0.00", date(2025, 12, 31)),
]
UNITS = [
    UnitRef(10, "3-2-1501", "GG", (1,)),
    UnitRef(20, "3-2-1502", "GG", (2,)),
    UnitRef(30, "3-2-1502", "HF", (3,)),
    UnitRef(40, "1-1-0101", "GG", (4,)),
    UnitRef(50, "1-1-0102", "GG", (5,)),
    UnitRef(60, "1-1-0103", "GG", ()),
    UnitRef(70, "1-1-0104", "GG", (1, 2)),
]
ACCOUNTS = [("6222 0200 0000 0001", 1), ("6222-0200-0000-0002", 2),
            ("6222020000000002", 2), ("6222 0300 0000 0009", 3),
            ("6222 0300 0000 0009", 4)]
NAMES = [(1, "王䶮"), (2, "李四"), (3, "张三"), (4, "李四"), (5, "赵六")]


@pytest.fixture
def index():
    return sm.MatchIndex(BILLS, UNITS, ACCOUNTS, NAMES)


def test_doctests():
    assert doctest.testmod(sm).failed == 0


@pytest.mark.parametrize("memo", [
    "INV/2026/0002", "inv/2026/0002", "物业费INV 2026 0002谢谢",
    "ＩＮＶ／２０２６／０００２", "INV-2026-0002", "INV20260002",
    "INV/2026/0002 3-2-1501",
])
def test_bill_number_in_memo_ignores_case_blanks_and_separators(index, memo):
    found = sm.match(index, Line(D("120.00"), memo))
    assert found == sm.Match("bill", 1, (102,), "bill_reference", {})


def test_a_longer_number_never_matches_a_shorter_one(index):
    found = sm.match(index, Line(D("10"), "INV/2026/00012"))
    assert (found.kind, found.bills) == ("bill", (402,))


def test_several_bills_of_one_payer_in_memo_order(index):
    found = sm.match(index, Line(D("220"), "INV/2026/0002,INV/2026/0001"))
    assert (found.kind, found.payer, found.bills) == ("bill", 1, (102, 101))


def test_bills_of_two_payers_are_ambiguous(index):
    found = sm.match(index, Line(D("180"), "INV/2026/0001 INV/2026/0003"))
    assert found.kind == "ambiguous"
    assert found.reason == "bills_of_several_payers"
    assert found.params["numbers"] == "INV/2026/0001, INV/2026/0003"
    assert found.params["candidates"] == [1, 2]


def test_settled_bill_in_memo_pays_the_payer_not_the_bill_twice(index):
    found = sm.match(index, Line(D("30"), "INV/2025/0099"))
    assert (found.kind, found.payer, found.bills, found.reason) == (
        "payer", 5, (), "bill_reference_settled")


def test_bill_reference_wins_over_unit_code_and_account(index):
    found = sm.match(index, Line(D("80"), "INV/2026/0003 3-2-1501", "王䶮",
                                 "6222 0200 0000 0001"))
    assert (found.payer, found.reason) == (2, "bill_reference")


def test_unit_code_pays_that_units_open_bills_oldest_first(index):
    found = sm.match(index, Line(D("300"), "3-2-1501物业费"))
    assert found == sm.Match("bill", 1, (101, 102), "unit_code",
                             {"codes": "3-2-1501"})


def test_unit_code_in_two_estates_is_ambiguous_without_the_estate(index):
    found = sm.match(index, Line(D("80"), "3-2-1502"))
    assert (found.kind, found.reason) == ("ambiguous",
                                          "unit_in_several_estates")
    assert sorted(found.params["candidates"]) == [20, 30]


@pytest.mark.parametrize("memo, payer, bill", [
    ("GG 3-2-1502", 2, 201), ("hf3-2-1502", 3, 301),
    ("3－2－1502 HF", 3, 301),
])
def test_estate_code_narrows_the_unit(index, memo, payer, bill):
    found = sm.match(index, Line(D("80"), memo))
    assert (found.kind, found.payer, found.bills) == ("bill", payer, (bill,))


def test_unit_without_open_bills_goes_to_its_payer(index):
    found = sm.match(index, Line(D("50"), "1-1-0102"))
    assert (found.kind, found.payer, found.reason) == ("payer", 5,
                                                       "unit_code")


def test_unit_without_payer_and_with_two_payers(index):
    assert sm.match(index, Line(D("5"), "1-1-0103")).reason == \
        "unit_without_payer"
    found = sm.match(index, Line(D("5"), "1-1-0104"))
    assert (found.kind, found.reason) == ("ambiguous", "unit_several_payers")


def test_units_of_two_payers_are_ambiguous(index):
    found = sm.match(index, Line(D("5"), "3-2-1501 GG3-2-1502"))
    assert (found.kind, found.reason) == ("ambiguous",
                                          "units_of_several_payers")


def test_registered_account_digits_only(index):
    found = sm.match(index, Line(D("1"), "转账", "", "6222020000000002"))
    assert (found.kind, found.payer, found.reason) == ("payer", 2,
                                                       "bank_account")


def test_account_registered_to_two_payers_is_ambiguous(index):
    found = sm.match(index, Line(D("1"), "", "", "6222030000000009"))
    assert (found.kind, found.reason) == ("ambiguous",
                                          "account_of_several_payers")


def test_unknown_account_falls_through_to_name_and_amount(index):
    found = sm.match(index, Line(D("55.50"), "", "张三", "999"))
    assert (found.kind, found.payer, found.bills, found.reason) == (
        "bill", 3, (301,), "name_amount")


def test_name_and_open_total(index):
    found = sm.match(index, Line(D("220.00"), "", " 王 䶮 "))
    assert (found.kind, found.payer, found.bills) == ("payer", 1, ())


def test_name_with_an_amount_that_fits_nothing(index):
    found = sm.match(index, Line(D("99.99"), "", "王䶮"))
    assert (found.kind, found.reason) == ("none", "name_amount_mismatch")


def test_namesakes_are_told_apart_by_the_amount(index):
    found = sm.match(index, Line(D("66"), "", "李四"))
    assert (found.kind, found.payer, found.bills) == ("bill", 4, (401,))


def test_namesakes_both_fitting_are_ambiguous():
    index = sm.MatchIndex(
        [OpenBill(1, "A/1", 1, None, "50"), OpenBill(2, "A/2", 2, None, "50")],
        names=[(1, "李四"), (2, "李四")])
    found = sm.match(index, Line(D("50"), "", "李四"))
    assert (found.kind, found.reason) == ("ambiguous",
                                          "name_amount_several_payers")
    assert found.params["candidates"] == [1, 2]


def test_nothing_to_go_on(index):
    assert sm.match(index, Line(D("10"), "转账", "陌生人")) == sm.Match(
        "none", None, (), "no_clue", {})


@pytest.mark.parametrize("amount", [D("0"), D("-35.00")])
def test_money_out_and_zero_are_ignored(index, amount):
    found = sm.match(index, Line(amount, "INV/2026/0001", "王䶮"))
    assert (found.kind, found.reason) == ("ignored", "not_incoming")


def test_settle_updates_what_later_lines_see(index):
    line = Line(D("100"), "", "王䶮")
    assert sm.match(index, line).bills == (101,)
    index.settle(101, D("100"))
    assert sm.match(index, Line(D("100"), "INV/2026/0001")).reason == \
        "bill_reference_settled"
    assert sm.match(index, Line(D("120"), "", "王䶮")).bills == (102,)
    assert index.open_total(1) == D("120.00")


def test_match_all_keeps_the_order(index):
    lines = [Line(D("1"), "转账"), Line(D("-1"), ""),
             Line(D("80"), "", "李四")]
    assert [m.kind for m in sm.match_all(index, lines)] == [
        "none", "ignored", "bill"]


# lines that reach every outcome of ``match`` on the fixture's index
EVERY_OUTCOME = [
    Line(D("120.00"), "INV/2026/0002"),                   # bill_reference
    Line(D("100.00"), "INV/2026/0001 INV/2026/0002"),     # two bills
    Line(D("30.00"), "INV/2026/0001 INV/2026/0003"),      # several payers
    Line(D("9.00"), "INV/2025/0099"),                     # settled bill named
    Line(D("220.00"), "GG 3-2-1501"),                     # unit code, bills
    Line(D("80.00"), "3-2-1502"),                         # two estates
    Line(D("5.00"), "1-1-0102"),                          # unit, nothing open
    Line(D("5.00"), "1-1-0103"),                          # unit without payer
    Line(D("5.00"), "1-1-0104"),                          # two payers, no bill
    Line(D("50.00"), "1-1-0101 3-2-1501"),                # units of two payers
    Line(D("80.00"), "", "", "6222 0200 0000 0002"),      # bank account
    Line(D("5.00"), "", "", "6222 0300 0000 0009"),       # account of two
    Line(D("220.00"), "", "王䶮"),                        # name and total
    Line(D("66.00"), "", "李四"),                         # namesakes apart
    Line(D("80.00"), "", "李四"),
    Line(D("10.00"), "", "李四 "),
    Line(D("33.00"), "", "王䶮"),                         # name, no fit
    Line(D("7.00"), "", "无名氏"),                        # no clue
    Line(D("-5.00"), "INV/2026/0001"),                    # money out
]


def _settled(key, amount):
    index = sm.MatchIndex(BILLS, UNITS, ACCOUNTS, NAMES)
    index.settle(key, amount)
    return index


def test_every_outcome_is_covered(index):
    reasons = {sm.match(index, line).reason for line in EVERY_OUTCOME}
    assert reasons == {
        sm.BILL_REFERENCE, sm.BILLS_OF_SEVERAL_PAYERS,
        sm.BILL_REFERENCE_SETTLED, sm.UNIT_CODE, sm.UNIT_IN_SEVERAL_ESTATES,
        sm.UNIT_WITHOUT_PAYER, sm.UNIT_SEVERAL_PAYERS,
        sm.UNITS_OF_SEVERAL_PAYERS, sm.BANK_ACCOUNT,
        sm.ACCOUNT_OF_SEVERAL_PAYERS, sm.NAME_AMOUNT,
        sm.NAME_AMOUNT_MISMATCH, sm.NO_CLUE, sm.NOT_INCOMING}
    assert all(sm.decided_on(index, line, sm.match(index, line)) is not None
               for line in EVERY_OUTCOME)


@pytest.mark.parametrize("line", EVERY_OUTCOME, ids=lambda line: "%s %s %s %s" % (
    line.amount, line.memo, line.name, line.account))
def test_a_payment_of_other_bills_never_changes_a_match(index, line):
    """What the statement import relies on to match a line while payments
    of earlier lines still wait in a batch: a payment of a bill outside
    ``decided_on`` (in part or in full) leaves the match as it was."""
    found = sm.match(index, line)
    decided = sm.decided_on(index, line, found)
    for bill in BILLS:
        if bill.key in decided:
            continue
        for paid in (D("1.00"), D(bill.residual)):
            assert sm.match(_settled(bill.key, paid), line) == found, (
                bill.key, paid)


def test_a_payment_of_a_deciding_bill_can_change_the_match(index):
    line = Line(D("220.00"), "", "王䶮")
    found = sm.match(index, line)
    assert sm.decided_on(index, line, found) == {101, 102}
    assert found.kind == sm.PAYER
    # 王䶮 paid 100 of his 220 by another transfer: 220 fits nothing now
    assert sm.match(_settled(101, D("100.00")), line).reason == \
        sm.NAME_AMOUNT_MISMATCH
    line = Line(D("100.00"), "INV/2026/0001")
    assert sm.decided_on(index, line, sm.match(index, line)) == {101}
    assert sm.match(_settled(101, D("100.00")), line).reason == \
        sm.BILL_REFERENCE_SETTLED


def test_touches_names_the_bills_a_payment_may_settle(index):
    assert sm.touches(index, sm.match(index, Line(D("120"), "INV/2026/0002"))) \
        == {102}
    # a payer's money goes to any of his open bills, oldest first
    assert sm.touches(index, sm.match(
        index, Line(D("80"), "", "", "6222 0200 0000 0002"))) == {201}
    assert sm.touches(index, sm.match(index, Line(D("7"), "", "无名氏"))) == set()
