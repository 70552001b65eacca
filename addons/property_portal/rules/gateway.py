"""What every online payment gateway needs from an order, as pure functions.

* Amounts go to WeChat Pay in fen (分, integers) and to Alipay in yuan with two
  decimals. Both come from :class:`~decimal.Decimal`, never from a float times
  100 (``int(19.99 * 100)`` is 1998).
* The order number (``out_trade_no``) is the transaction's reference cut to
  what both gateways accept: WeChat Pay takes 6 to 32 characters of letters,
  digits, ``_-|*``; Alipay up to 64 of letters, digits and ``_``. Letters,
  digits and ``_`` fit both.
"""
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
OUT_TRADE_NO_MIN = 6
OUT_TRADE_NO_MAX = 32
_NOT_ALLOWED = re.compile(r"[^0-9A-Za-z_]")


class GatewayRuleError(ValueError):
    """A refusal, with ``code`` and ``params`` for the message shown."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def to_decimal(amount):
    """``amount`` (str, int, float or Decimal) as a Decimal of yuan with two
    decimals; a float goes through its shortest repr (19.99 stays 19.99).

    >>> to_decimal(19.99), to_decimal("0.1"), to_decimal(3)
    (Decimal('19.99'), Decimal('0.10'), Decimal('3.00'))
    """
    if isinstance(amount, bool):
        raise GatewayRuleError("bad_amount", amount=amount)
    if isinstance(amount, float):
        amount = repr(amount)
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise GatewayRuleError("bad_amount", amount=amount)
    if not value.is_finite():
        raise GatewayRuleError("bad_amount", amount=amount)
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if rounded != value:
        # a gateway amount is exact to the fen: nothing is rounded silently
        raise GatewayRuleError("bad_amount", amount=amount)
    return rounded


def to_fen(amount):
    """The amount in fen for WeChat Pay (an int, more than zero).

    >>> to_fen("19.99"), to_fen(0.29), to_fen(1)
    (1999, 29, 100)
    """
    value = to_decimal(amount)
    if value <= 0:
        raise GatewayRuleError("not_positive", amount=amount)
    return int(value * 100)


def from_fen(fen):
    """Fen (an int from a gateway) back to yuan as a Decimal.

    >>> from_fen(1999)
    Decimal('19.99')
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise GatewayRuleError("bad_amount", amount=fen)
    return (Decimal(fen) / 100).quantize(CENT)


def to_yuan_text(amount):
    """The amount as Alipay's ``total_amount``: yuan, two decimals, as text.

    >>> to_yuan_text("0.1"), to_yuan_text(100)
    ('0.10', '100.00')
    """
    value = to_decimal(amount)
    if value <= 0:
        raise GatewayRuleError("not_positive", amount=amount)
    return "{:.2f}".format(value)


def out_trade_no(reference):
    """The order number both gateways accept, from a transaction reference:
    other characters dropped; too short or too long is refused (the
    reference is what matches a notify to its transaction, so it is never
    cut silently).

    >>> out_trade_no("PT-2026/000123")
    'PT2026000123'
    """
    text = _NOT_ALLOWED.sub("", reference or "")
    if not OUT_TRADE_NO_MIN <= len(text) <= OUT_TRADE_NO_MAX:
        raise GatewayRuleError("bad_reference", reference=reference)
    return text


def same_amount(expected, paid):
    """True if the gateway's ``paid`` (Decimal yuan) is exactly ``expected``.

    >>> same_amount("10.00", Decimal("10")), same_amount("10.00", "9.99")
    (True, False)
    """
    return to_decimal(expected) == to_decimal(paid)


# where the owner pays from, read off the browser (``client_of``)
DESKTOP = "desktop"
MOBILE = "mobile"
WECHAT = "wechat"
CLIENTS = (DESKTOP, MOBILE, WECHAT)

WECHATPAY = "wechatpay"
ALIPAY = "alipay"


def client_of(user_agent):
    """The kind of browser from its User-Agent: WeChat's own browser
    (``MicroMessenger``), a phone, or a desktop.

    >>> client_of("Mozilla/5.0 (iPhone) MicroMessenger/8.0.47")
    'wechat'
    >>> client_of("Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36")
    'mobile'
    >>> client_of("Mozilla/5.0 (X11; Linux x86_64) Chrome/120")
    'desktop'
    """
    agent = (user_agent or "").lower()
    if "micromessenger" in agent:
        return WECHAT
    if any(word in agent for word in ("mobile", "android", "iphone", "ipad")):
        return MOBILE
    return DESKTOP


def offered(provider, client):
    """Whether the gateway ``provider`` is offered to ``client``: inside
    WeChat's browser Alipay cannot open, so it is not offered there.

    >>> offered("alipay", "wechat"), offered("wechatpay", "wechat")
    (False, True)
    """
    return not (provider == ALIPAY and client == WECHAT)


def wechat_mode(client, jsapi_configured=False):
    """WeChat Pay's product for ``client``: Native (a QR code to scan) on a
    desktop, H5 in a phone's browser, JSAPI inside WeChat when the official
    account is configured (H5 otherwise).

    >>> wechat_mode("desktop"), wechat_mode("mobile"), wechat_mode("wechat", True)
    ('native', 'h5', 'jsapi')
    """
    if client == WECHAT and jsapi_configured:
        return "jsapi"
    if client in (MOBILE, WECHAT):
        return "h5"
    return "native"


def alipay_method(client):
    """Alipay's API for ``client``: ``alipay.trade.wap.pay`` on a phone,
    ``alipay.trade.page.pay`` on a desktop.

    >>> alipay_method("mobile"), alipay_method("desktop")
    ('alipay.trade.wap.pay', 'alipay.trade.page.pay')
    """
    if client == WECHAT:
        raise GatewayRuleError("alipay_in_wechat")
    return "alipay.trade.wap.pay" if client == MOBILE else "alipay.trade.page.pay"
