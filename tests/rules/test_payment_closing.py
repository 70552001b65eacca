"""The cashier's daily closing (property_payment.rules.closing)."""
import doctest
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from property_payment.rules import closing
from property_payment.rules.closing import ClosingError, ClosingLine, Takings


def test_doctests():
    assert doctest.testmod(closing).failed == 0


def test_expected_takings_per_counter_channel():
    takings = closing.expected_takings([
        ("cash", D("100.00"), False),
        ("cash", "20.10", False),
        ("wechat", D("80.00"), False),
        ("wechat", D("30.00"), True),      # void: not expected
        ("transfer", D("500.00"), False),  # not a counter channel
        ("online_wechat", D("5.00"), False),
    ])
    assert takings == [
        Takings("cash", 2, D("120.10")),
        Takings("card", 0, D("0.00")),
        Takings("wechat", 1, D("80.00")),
        Takings("alipay", 0, D("0.00")),
    ]


@pytest.mark.parametrize("code, expected, result", [
    ("cash", D("10.00"), None),
    ("card", D("10.00"), D("10.00")),
    ("wechat", D("0"), D("0.00")),
    ("alipay", "3.456", D("3.46")),
])
def test_default_counted(code, expected, result):
    assert closing.default_counted(code, expected) == result


@pytest.mark.parametrize("lines, code, params", [
    # cash short by 10 without a reason
    ([ClosingLine("cash", D("150.00"), D("140.00"), "")],
     closing.REASON_REQUIRED, {"channel": "cash", "difference": D("-10.00")}),
    # a reason of blanks is no reason
    ([ClosingLine("wechat", D("80.00"), D("81.00"), "   ")],
     closing.REASON_REQUIRED, {"channel": "wechat", "difference": D("1.00")}),
    # cash taken but never counted
    ([ClosingLine("cash", D("50.00"), None, "")],
     closing.NOT_COUNTED, {"channel": "cash", "expected": D("50.00")}),
    ([ClosingLine("card", D("0"), D("-1"), "refund")],
     closing.NEGATIVE_COUNT, {"channel": "card", "counted": D("-1.00")}),
])
def test_check_lines_refuses(lines, code, params):
    with pytest.raises(ClosingError) as caught:
        closing.check_lines(lines)
    assert caught.value.code == code
    assert caught.value.params == params


def test_check_lines_differences_with_reasons():
    result = closing.check_lines([
        ClosingLine("cash", D("150.00"), D("140.00"), "short: counted twice"),
        ClosingLine("card", D("0"), None, ""),
        ClosingLine("wechat", D("80.00"), D("80.00"), ""),
    ])
    assert result == {"cash": D("-10.00"), "card": D("0.00"),
                      "wechat": D("0.00")}


@given(st.lists(st.tuples(
    st.sampled_from(["cash", "card", "wechat", "alipay", "transfer"]),
    st.decimals(min_value=D("0.01"), max_value=D("99999"), places=2),
    st.booleans())))
def test_expected_takings_sum_is_the_sum_of_counter_receipts(receipts):
    takings = closing.expected_takings(receipts)
    counter = [(c, a) for c, a, void in receipts
               if not void and c != "transfer"]
    assert sum(t.amount for t in takings) == sum((a for _c, a in counter), D(0))
    assert sum(t.count for t in takings) == len(counter)


def test_post_closing_changes():
    changes = closing.post_closing_changes(
        frozen=[1, 2, 3], current={1: False, 2: True, 3: False, 5: False, 6: True})
    assert [(c.key, c.kind) for c in changes] == [
        (2, closing.VOIDED_AFTER), (5, closing.ADDED_AFTER)]
    assert closing.post_closing_changes([1], {1: False}) == []
