"""The counter screen's rules: what the one search box means, picking a
candidate by its number, the live preview and the checks before collecting."""
import doctest
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from property_payment.rules import allocation, counter


def test_doctests():
    assert doctest.testmod(counter).failed == 0


def kinds(text):
    return [(q.kind, q.estate, q.value) for q in counter.parse_query(text)]


@pytest.mark.parametrize("text, expected", [
    # a unit code, then the same text as a name
    ("3-2-1502", [("unit", "", "3-2-1502"), ("name", "", "3-2-1502")]),
    ("1502", [("unit", "", "1502"), ("name", "", "1502")]),
    ("B3-101", [("unit", "", "B3-101"), ("estate_unit", "B3", "101"),
                ("name", "", "B3-101")]),
    # estate code and unit code, with a blank or a dash
    ("GG1 3-2-1502", [("estate_unit", "GG1", "3-2-1502"),
                      ("name", "", "GG1 3-2-1502")]),
    ("GG1-3-2-1502", [("unit", "", "GG1-3-2-1502"),
                      ("estate_unit", "GG1", "3-2-1502"),
                      ("name", "", "GG1-3-2-1502")]),
    # a dash after digits only is not an estate code
    ("12-101", [("unit", "", "12-101"), ("name", "", "12-101")]),
    # mobiles in the ways people write them
    ("13800138000", [("mobile", "", "13800138000")]),
    ("138-0013-8000", [("mobile", "", "13800138000")]),
    ("+86 138 0013 8000", [("mobile", "", "13800138000")]),
    ("008613800138000", [("mobile", "", "13800138000")]),
    ("02155550000", [("mobile", "", "02155550000")]),
    # names
    ("王秀英", [("name", "", "王秀英")]),
    ("Owner 12", [("estate_unit", "Owner", "12"), ("name", "", "Owner 12")]),
    ("Li Wei Ming", [("name", "", "Li Wei Ming")]),
    ("", [("empty", "", "")]),
    (None, [("empty", "", "")]),
])
def test_parse_query(text, expected):
    assert kinds(text) == expected


def test_a_name_is_always_the_last_reading():
    for text in ("3-2-1502", "GG 3-2-1502", "张三", "Owner 7"):
        assert counter.parse_query(text)[-1] == counter.Query(
            counter.NAME, counter.normalize(text))


@given(st.text(max_size=30))
def test_parse_query_never_fails_and_ends_with_name_or_is_single(text):
    queries = counter.parse_query(text)
    assert queries
    last = queries[-1].kind
    assert last in (counter.NAME, counter.MOBILE, counter.EMPTY)
    if last != counter.NAME:
        assert len(queries) == 1


@pytest.mark.parametrize("text, count, expected", [
    ("1", 3, 0), ("3", 3, 2), ("9", 12, 8), (" 2 ", 2, 1),
    ("4", 3, None), ("0", 3, None), ("10", 12, None), ("1", 0, None),
    ("a", 3, None), ("", 3, None), ("3-2-1502", 3, None),
])
def test_pick_index(text, count, expected):
    assert counter.pick_index(text, count) == expected


BILLS = [
    allocation.Bill(10, D("100.00"), date(2026, 3, 31), date(2026, 3, 1), "B3"),
    allocation.Bill(11, D("80.50"), date(2026, 1, 31), date(2026, 1, 1), "B1"),
    allocation.Bill(12, D("60.00"), date(2026, 2, 28), date(2026, 2, 1), "B2"),
]


def test_preview_pays_oldest_first_and_the_last_in_part():
    result = counter.preview(BILLS, D("200"), "cash", D("200"))
    assert result.total_due == D("240.50")
    assert result.lines == {11: D("80.50"), 12: D("60.00"), 10: D("59.50")}
    assert (result.paid, result.advance, result.change) == (
        D("200.00"), D("0.00"), D("0.00"))


def test_preview_overpayment_becomes_advance_credit():
    result = counter.preview(BILLS, D("300"), "cash", D("500"))
    assert result.paid == D("240.50")
    assert result.advance == D("59.50")
    assert result.change == D("200.00")


def test_preview_chosen_bills_only():
    result = counter.preview(BILLS, D("100.00"), "wechat", chosen=[10])
    assert result.lines == {10: D("100.00")}
    assert result.advance == D("0.00")


@pytest.mark.parametrize("amount", [D("0"), D("-5"), None])
def test_preview_of_nothing_shows_nothing(amount):
    result = counter.preview(BILLS, amount, "cash")
    assert result.lines == {} and result.paid == D("0.00")
    assert result.total_due == D("240.50")


def test_preview_short_cash_has_no_change_yet():
    assert counter.preview(BILLS, D("100"), "cash", D("50")).change is None
    # no cash typed in yet: exact cash
    assert counter.preview(BILLS, D("100"), "cash").change == D("0.00")


def test_preview_with_a_chosen_bill_not_open_shows_nothing():
    assert counter.preview(BILLS, D("10"), "cash", chosen=[99]).lines == {}


@pytest.mark.parametrize("amount, channel, tendered, change", [
    (D("180.50"), "cash", D("200"), D("19.50")),
    (D("180.50"), "cash", D("180.50"), D("0.00")),
    (D("180.50"), "cash", None, D("0.00")),
    (D("180.50"), "cash", D("0"), D("0.00")),
    (D("180.50"), "card", D("500"), D("0.00")),
    (D("180.50"), "wechat", None, D("0.00")),
    (D("180.50"), "alipay", None, D("0.00")),
    (D("0.005"), "cash", None, D("0.00")),
])
def test_check_collect_change(amount, channel, tendered, change):
    assert counter.check_collect(amount, channel, tendered) == change


@pytest.mark.parametrize("amount, channel, tendered, code", [
    (D("0"), "cash", None, allocation.NOT_POSITIVE),
    (D("-1"), "card", None, allocation.NOT_POSITIVE),
    (D("0.004"), "cash", None, allocation.NOT_POSITIVE),
    (None, "cash", None, allocation.NOT_POSITIVE),
    (D("10"), "transfer", None, counter.NOT_COUNTER),
    (D("10"), "online_wechat", None, counter.NOT_COUNTER),
    (D("100"), "cash", D("99.99"), allocation.TENDERED_SHORT),
])
def test_check_collect_refuses(amount, channel, tendered, code):
    with pytest.raises(allocation.PaymentRuleError) as caught:
        counter.check_collect(amount, channel, tendered)
    assert caught.value.code == code


@given(st.decimals(min_value=D("0.01"), max_value=D("99999"), places=2),
       st.decimals(min_value=D("0"), max_value=D("9999"), places=2))
def test_change_plus_amount_is_what_was_tendered(amount, extra):
    tendered = amount + extra
    assert counter.check_collect(amount, "cash", tendered) + amount == tendered
