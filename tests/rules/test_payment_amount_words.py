"""Amounts in Chinese capitals on receipts (《会计基础工作规范》 art. 52).

Each case of the table was written by hand from the rule, not produced by
the code: the comment says which part of the rule it checks.
"""
import doctest
import re
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from property_payment.rules import amount_words
from property_payment.rules.amount_words import (
    AmountWordsError, amount_to_chinese_upper, amount_to_figures)

D = Decimal

CASES = [
    # The issue's own example: every unit used once.
    ("1234.56", "人民币壹仟贰佰叁拾肆元伍角陆分"),
    # Stops at 元: 整 after 元.
    ("1000.00", "人民币壹仟元整"),
    ("1", "人民币壹元整"),
    # Zero: 零元整 (nothing else to write).
    ("0", "人民币零元整"),
    ("0.00", "人民币零元整"),
    # Below one yuan: no 元, no leading 零; stops at 分 -> no 整.
    ("0.05", "人民币伍分"),
    # Stops at 角: art. 52 writes 整 after 角 too.
    ("0.50", "人民币伍角整"),
    ("0.56", "人民币伍角陆分"),
    ("1.10", "人民币壹元壹角整"),
    ("1001.50", "人民币壹仟零壹元伍角整"),
    ("1.15", "人民币壹元壹角伍分"),
    # 角 is 0 and 分 not: the zero between 元 and 分 is written 零.
    ("1001.05", "人民币壹仟零壹元零伍分"),
    ("20.05", "人民币贰拾元零伍分"),
    ("10.05", "人民币壹拾元零伍分"),
    # Leading 拾 always carries 壹 (our convention, as on bank cheques).
    ("10.00", "人民币壹拾元整"),
    ("19", "人民币壹拾玖元整"),
    ("100000.00", "人民币壹拾万元整"),
    ("110000", "人民币壹拾壹万元整"),
    ("100000000000", "人民币壹仟亿元整"),
    # Inner zeros: one 零 per run, trailing zeros of a group nothing.
    ("101", "人民币壹佰零壹元整"),
    ("1001", "人民币壹仟零壹元整"),
    ("1010", "人民币壹仟零壹拾元整"),
    ("1100", "人民币壹仟壹佰元整"),
    ("10010", "人民币壹万零壹拾元整"),
    # A run of zeros across the 万 group: still one 零.
    ("100001", "人民币壹拾万零壹元整"),
    ("10000100", "人民币壹仟万零壹佰元整"),
    # The run starts in the 万 group and ends in the units group; nothing
    # is skipped at the 万 itself: 1,0000,0001 is 壹亿零壹.
    ("100000001", "人民币壹亿零壹元整"),
    # 1,0100,0000: the 万 group 0100 is written after one 零.
    ("101000000.00", "人民币壹亿零壹佰万元整"),
    # An all-zero 万 group writes no 万: 1,0000,1000.
    ("100001000", "人民币壹亿零壹仟元整"),
    ("1000000.01", "人民币壹佰万元零壹分"),
    # 元位 is 0 before a 角: the article allows 零 or not; we write it
    # (its first form of ¥1,680.32 and ¥107,000.53).
    ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
    ("1000.50", "人民币壹仟元零伍角整"),
    # 元位 0 and 角 0 before 分: still one 零.
    ("1000.05", "人民币壹仟元零伍分"),
    # Half up to 分 first.
    ("2.345", "人民币贰元叁角伍分"),
    ("0.004", "人民币零元整"),
    ("0.005", "人民币壹分"),
    ("9.995", "人民币壹拾元整"),
    # The largest amounts a receipt could ever show: 9999 亿 and more.
    ("999999999999.99",
     "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("999900000000", "人民币玖仟玖佰玖拾玖亿元整"),
    ("99990000000000", "人民币玖拾玖万玖仟玖佰亿元整"),
    # 万亿: the part above 亿 has groups of its own.
    ("1000000000000", "人民币壹万亿元整"),
    ("1000100000000", "人民币壹万零壹亿元整"),
    ("1000000010000", "人民币壹万亿零壹万元整"),
]


@pytest.mark.parametrize("amount, words", CASES)
def test_amount_to_chinese_upper(amount, words):
    assert amount_to_chinese_upper(amount) == words


def test_table_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("amount", [D("1234.56"), "1234.56", " 1234.56 "])
def test_accepts_decimal_and_str(amount):
    assert amount_to_chinese_upper(amount) == "人民币壹仟贰佰叁拾肆元伍角陆分"


def test_accepts_int_and_float_as_written():
    # Odoo's Monetary fields are floats: 0.1 + 0.2 is 0.30000000000000004,
    # 1.005 is stored as 1.00499999999999989...; both are taken as they read.
    assert amount_to_chinese_upper(300) == "人民币叁佰元整"
    assert amount_to_chinese_upper(0.1 + 0.2) == "人民币叁角整"
    assert amount_to_chinese_upper(1.005) == "人民币壹元零壹分"


@pytest.mark.parametrize("amount, code", [
    ("-1", amount_words.NEGATIVE),
    (D("-0.01"), amount_words.NEGATIVE),
    (-0.5, amount_words.NEGATIVE),
    ("10000000000000000", amount_words.TOO_LARGE),
    # rounds up past the limit
    ("9999999999999999.995", amount_words.TOO_LARGE),
    # past Decimal's precision: still "too large", not "not a number"
    ("1e400", amount_words.TOO_LARGE),
    ("abc", amount_words.NOT_A_NUMBER),
    ("", amount_words.NOT_A_NUMBER),
    ("NaN", amount_words.NOT_A_NUMBER),
    ("Infinity", amount_words.NOT_A_NUMBER),
    (None, amount_words.NOT_A_NUMBER),
    (True, amount_words.NOT_A_NUMBER),
])
def test_refused(amount, code):
    with pytest.raises(AmountWordsError) as caught:
        amount_to_chinese_upper(amount)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)


def test_largest_written():
    assert amount_to_chinese_upper("9999999999999999.99").startswith(
        "人民币玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿")


def test_rounding_to_zero_is_not_negative():
    assert amount_to_chinese_upper("-0.004") == "人民币零元整"
    assert amount_to_figures("-0.004") == "¥0.00"


@pytest.mark.parametrize("amount, figures", [
    ("1234.56", "¥1,234.56"),
    ("0", "¥0.00"),
    ("0.5", "¥0.50"),
    ("1000", "¥1,000.00"),
    ("999.995", "¥1,000.00"),
    ("1234567.891", "¥1,234,567.89"),
    (300, "¥300.00"),
    (-12.5, "-¥12.50"),
])
def test_amount_to_figures(amount, figures):
    assert amount_to_figures(amount) == figures


def test_figures_refuse_garbage():
    with pytest.raises(AmountWordsError):
        amount_to_figures("12,00")


def test_doctests():
    assert doctest.testmod(amount_words).failed == 0


# -- properties ---------------------------------------------------------------

NUMERALS = {digit: value for value, digit in enumerate(amount_words.DIGITS)}
SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def parse_upper(words):
    """The amount written in ``words``, read back as a bookkeeper reads it.

    Strict: every unit must follow a digit (拾 without 壹 is refused), 零
    only stands for skipped places."""
    assert words.startswith("人民币"), words
    text = words[len("人民币"):]
    whole = text.endswith("整")
    if whole:
        text = text[:-1]
    cents = 0
    match = re.fullmatch(r"(?:(.*)元)?(?:零)?(?:(.)角)?(?:(.)分)?", text)
    assert match, words
    integer, jiao, fen = match.groups()
    if jiao:
        cents += NUMERALS[jiao] * 10
    if fen:
        cents += NUMERALS[fen]
    assert whole == (not fen), words
    total = yi_part = wan_part = section = 0
    number = None
    for char in integer or "":
        if char == "零":
            assert number is None, words
        elif char in NUMERALS:
            assert number is None, words
            number = NUMERALS[char]
        elif char in SMALL:
            assert number is not None, words
            section += number * SMALL[char]
            number = None
        elif char == "万":
            wan_part += (section + (number or 0)) * 10 ** 4
            section, number = 0, None
        elif char == "亿":
            yi_part = (yi_part + wan_part + section + (number or 0)) * 10 ** 8
            wan_part, section, number = 0, 0, None
        else:
            raise AssertionError("unexpected %r in %s" % (char, words))
    total = yi_part + wan_part + section + (number or 0)
    return Decimal(total * 100 + cents) / 100


def test_parser_reads_the_table():
    for amount, words in CASES:
        assert parse_upper(words) == amount_words.money(amount), words


amounts = st.one_of(
    st.decimals(min_value=0, max_value=D("9999999999999999.99"), places=2),
    # amounts with many zeros, where the 零 rules matter
    st.builds(lambda digits, cents: D(int(digits)) + D(cents) / 100,
              st.from_regex(r"[1-9][0-9]{0,15}", fullmatch=True).map(
                  lambda s: "".join(c if c in "19" else "0" for c in s)),
              st.sampled_from([0, 1, 5, 10, 50, 55])),
)


@given(amounts)
def test_round_trip(amount):
    assert parse_upper(amount_to_chinese_upper(amount)) == amount


@given(amounts)
def test_zeros_and_ending(amount):
    words = amount_to_chinese_upper(amount)
    assert "零零" not in words
    assert not words.endswith("零")
    assert words.endswith("分") or words.endswith("整")
    assert words.endswith("整") == (amount * 100 % 10 == 0)
    # 零 never stands before a unit of its own (零万, 零元 ...) except zero
    assert words == "人民币零元整" or not re.search("零[拾佰仟万亿元角分]", words)
    assert set(words) <= set("人民币零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")


@given(amounts)
def test_digits_in_order(amount):
    """The digits written are the non-zero digits of the figures, in order,
    each followed by its unit."""
    words = amount_to_chinese_upper(amount)
    written = "".join(str(NUMERALS[char]) for char in words
                      if char in NUMERALS and char != "零")
    figures = format(amount, ".2f")
    assert written == figures.replace(".", "").replace("0", "")


@given(amounts)
def test_figures_round_trip(amount):
    figures = amount_to_figures(amount)
    assert figures.startswith("¥")
    assert D(figures[1:].replace(",", "")) == amount
