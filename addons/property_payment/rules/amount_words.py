"""Amounts in Chinese capitals (大写金额) and in figures, as receipts print them.

Written to 《会计基础工作规范》 (财会字〔1996〕19号) article 52:

- digits 零壹贰叁肆伍陆柒捌玖 and units 拾佰仟万亿元角分, never the simple
  forms (一二三, 十百千);
- the currency name 人民币 right before the amount, with no gap;
- an amount that stops at 元 *or at 角* ends with 整: the article reads
  "大写金额数字到元或者角为止的，在'元'或者'角'字之后应当写'整'字或者'正'字；
  大写金额数字有分的，分字后面不写'整'或者'正'字". So 1.10 is
  人民币壹元壹角整 (not 壹元壹角), 1.15 is 人民币壹元壹角伍分. We write 整,
  never 正;
- an inner zero is written 零, and a run of inner zeros one 零, also when the
  run crosses a 万 or 亿 group (1,0000,0001 → 壹亿零壹) or lies between 元
  and 分 (1001.05 → 壹仟零壹元零伍分);
- where the article leaves a choice (元位是"0"... 角位不是"0"时, 可以只写一个
  "零"字, 也可以不写), we write the 零: 1680.32 → 壹仟陆佰捌拾元零叁角贰分
  and 107000.53 → 壹拾万柒仟元零伍角叁分, the first form of the article's
  own examples. One rule everywhere: a zero between two written digits is
  one 零.

Conventions where the article says nothing:

- 拾 always carries its digit: 10 → 壹拾元整, 100000 → 壹拾万元整, as banks
  require on cheques (拾 is a unit, not a digit; 拾元 can be altered to
  贰拾元);
- below one yuan the 元 is left out: 0.05 → 人民币伍分, 0.50 → 人民币伍角整;
  zero is 人民币零元整;
- amounts are rounded half up to 分 first;
- negative amounts are refused (``AmountWordsError`` with code
  ``amount_negative``): a receipt is never negative (a void stamps the
  receipt and reverses the payment, the receipt keeps its amount), and a
  负 in capitals on a receipt would read as an alteration;
- amounts are written up to 9999 万亿 (beyond the 9999 亿 a receipt could
  ever need: 10**12 is 人民币壹万亿元整); larger ones are refused with
  ``amount_too_large``.

>>> amount_to_chinese_upper("1234.56")
'人民币壹仟贰佰叁拾肆元伍角陆分'
>>> amount_to_chinese_upper("1001.05")
'人民币壹仟零壹元零伍分'
>>> amount_to_chinese_upper("1.10")
'人民币壹元壹角整'
>>> amount_to_chinese_upper(0)
'人民币零元整'
>>> amount_to_figures("1234.56")
'¥1,234.56'
"""
from decimal import Decimal, InvalidOperation

from .allocation import PaymentRuleError, money

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
ZERO = "零"
CURRENCY = "人民币"
WHOLE = "整"
YUAN, JIAO, FEN = "元", "角", "分"
WAN, YI = "万", "亿"
YEN = "\u00a5"  # ¥, as Chinese receipts print it before figures

# Largest amount written: 9999 万亿 and 9999 万 ... 元 .99
LIMIT = Decimal(10) ** 16

# Error codes (``AmountWordsError.code``), worded by the caller.
NEGATIVE = "amount_negative"
TOO_LARGE = "amount_too_large"
NOT_A_NUMBER = "amount_not_a_number"


class AmountWordsError(PaymentRuleError):
    """An amount that cannot be written on a receipt; ``code`` is one of
    ``NEGATIVE``, ``TOO_LARGE`` and ``NOT_A_NUMBER``, ``params['amount']``
    the amount as given. A ``ValueError``, as every ``PaymentRuleError``."""


def _to_cents(amount):
    """``amount`` (Decimal, str, int or float) rounded half up to 分, as a
    Decimal with two places; refuses what is not a finite number."""
    if isinstance(amount, bool) or not isinstance(
            amount, (Decimal, str, int, float)):
        raise AmountWordsError(NOT_A_NUMBER, amount=amount)
    try:
        value = Decimal(amount.strip() if isinstance(amount, str)
                        else repr(amount) if isinstance(amount, float)
                        else amount)
    except (InvalidOperation, ValueError):
        raise AmountWordsError(NOT_A_NUMBER, amount=amount)
    if not value.is_finite():
        raise AmountWordsError(NOT_A_NUMBER, amount=amount)
    if abs(value) >= LIMIT:
        # before rounding: quantize refuses numbers past its precision
        raise AmountWordsError(TOO_LARGE, amount=amount)
    value = money(value)
    if value == 0:
        return abs(value)  # -0.001 rounds to 0.00, not -0.00
    return value


def _group_words(number):
    """1..9999 in capitals, without leading zero: inner zeros give one 零,
    trailing zeros nothing.

    >>> _group_words(1010), _group_words(1001), _group_words(10)
    ('壹仟零壹拾', '壹仟零壹', '壹拾')
    """
    words = []
    pending_zero = False
    for position in range(3, -1, -1):
        digit = number // 10 ** position % 10
        if digit == 0:
            pending_zero = bool(words)
            continue
        if pending_zero:
            words.append(ZERO)
            pending_zero = False
        words.append(DIGITS[digit] + SMALL_UNITS[position])
    return "".join(words)


def _integer_words(number, step=0):
    """1 .. 10**16 - 1 in capitals: groups of four digits under 万 and 亿,
    one 零 for a run of zeros between written digits, also across groups.

    >>> _integer_words(100000001), _integer_words(101000000)
    ('壹亿零壹', '壹亿零壹佰万')
    >>> _integer_words(10001 * 10 ** 8), _integer_words(10 ** 12 + 10 ** 4)
    ('壹万零壹亿', '壹万亿零壹万')
    """
    for size, unit in ((10 ** 8, YI), (10 ** 4, WAN)):
        if number >= size:
            high, low = divmod(number, size)
            words = _integer_words(high) + unit
            if low:
                if low < size // 10:
                    words += ZERO
                words += _integer_words(low)
            return words
    return _group_words(number)


def amount_to_chinese_upper(amount):
    """The amount in Chinese capitals with 人民币 before it (see the module
    docstring for the rule and the conventions).

    >>> amount_to_chinese_upper("100000")
    '人民币壹拾万元整'
    >>> amount_to_chinese_upper("0.05"), amount_to_chinese_upper("0.5")
    ('人民币伍分', '人民币伍角整')
    >>> amount_to_chinese_upper("1680.32")
    '人民币壹仟陆佰捌拾元零叁角贰分'
    >>> amount_to_chinese_upper("2.345")  # half up to 分
    '人民币贰元叁角伍分'
    >>> try:
    ...     amount_to_chinese_upper("-1")
    ... except AmountWordsError as error:
    ...     error.code
    'amount_negative'
    """
    value = _to_cents(amount)
    if value < 0:
        raise AmountWordsError(NEGATIVE, amount=amount)
    if value >= LIMIT:
        raise AmountWordsError(TOO_LARGE, amount=amount)
    cents = int(value * 100)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    if not cents:
        return CURRENCY + ZERO + YUAN + WHOLE
    words = [CURRENCY]
    if yuan:
        words.append(_integer_words(yuan) + YUAN)
        # The zero between 元 and what follows: 元位 0 before 角, or 角 0
        # before 分; a run of both is one 零.
        if (jiao or fen) and (yuan % 10 == 0 or not jiao):
            words.append(ZERO)
    if jiao:
        words.append(DIGITS[jiao] + JIAO)
    if fen:
        words.append(DIGITS[fen] + FEN)
    else:
        words.append(WHOLE)
    return "".join(words)


def amount_to_figures(amount):
    """The amount in figures as receipts print it: ¥, thousands separators,
    two decimals, rounded half up; a negative amount gets a leading minus
    (differences of a daily closing can be negative; receipts never are).

    >>> amount_to_figures("1234.5"), amount_to_figures(0), amount_to_figures(-3)
    ('¥1,234.50', '¥0.00', '-¥3.00')
    """
    value = _to_cents(amount)
    sign = "-" if value < 0 else ""
    return "%s%s%s" % (sign, YEN, "{:,.2f}".format(abs(value)))
