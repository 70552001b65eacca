"""What the gateways get from an order (property_portal.rules.gateway)."""
import doctest
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from property_portal.rules import gateway
from property_portal.rules.gateway import GatewayRuleError


def test_doctests():
    failures, _tests = doctest.testmod(gateway)
    assert failures == 0


@given(st.integers(min_value=1, max_value=10 ** 9))
def test_fen_round_trip_is_exact(fen):
    yuan = gateway.from_fen(fen)
    assert gateway.to_fen(yuan) == fen
    assert gateway.to_fen(str(yuan)) == fen
    # the float a form or the ORM holds gives the same fen
    assert gateway.to_fen(float(yuan)) == fen


@pytest.mark.parametrize("amount, fen", [
    ("19.99", 1999), (0.29, 29), (1.15, 115), (4.35, 435), (100, 10000),
    ("0.01", 1)])
def test_known_float_traps(amount, fen):
    # int(4.35 * 100) is 434 and int(1.15 * 100) is 114: not here
    assert gateway.to_fen(amount) == fen


@pytest.mark.parametrize("amount", [
    "0", "-1", "0.00", 0, -0.5])
def test_nothing_or_less_is_refused(amount):
    with pytest.raises(GatewayRuleError) as error:
        gateway.to_fen(amount)
    assert error.value.code == "not_positive"


@pytest.mark.parametrize("amount", [
    "1.001", "abc", "", None, True, "NaN", "Infinity", float("nan"), 0.005])
def test_malformed_or_inexact_amounts_are_refused(amount):
    with pytest.raises(GatewayRuleError) as error:
        gateway.to_fen(amount)
    assert error.value.code == "bad_amount"


def test_alipay_total_amount_is_two_decimals():
    assert gateway.to_yuan_text("12.3") == "12.30"
    assert gateway.to_yuan_text(D("0.10")) == "0.10"
    with pytest.raises(GatewayRuleError):
        gateway.to_yuan_text("0")


@pytest.mark.parametrize("reference, expected", [
    ("PP20261201000001", "PP20261201000001"),
    ("PT-2026/000123", "PT2026000123"),
    ("支付 PP2026 00012", "PP202600012"),
    ("a_b_c_d_e_f", "a_b_c_d_e_f"),
])
def test_out_trade_no_keeps_what_both_gateways_accept(reference, expected):
    assert gateway.out_trade_no(reference) == expected


@pytest.mark.parametrize("reference", ["", None, "AB-1", "x" * 33, "订单号"])
def test_out_trade_no_too_short_or_long_is_refused(reference):
    with pytest.raises(GatewayRuleError) as error:
        gateway.out_trade_no(reference)
    assert error.value.code == "bad_reference"


@given(st.text())
def test_out_trade_no_is_always_valid_for_both(reference):
    try:
        text = gateway.out_trade_no(reference)
    except GatewayRuleError:
        return
    assert 6 <= len(text) <= 32
    assert all(c.isascii() and (c.isalnum() or c == "_") for c in text)


def test_same_amount_is_exact():
    assert gateway.same_amount(120.5, D("120.50"))
    assert not gateway.same_amount(120.5, D("120.49"))


@pytest.mark.parametrize("agent, client", [
    ("Mozilla/5.0 (Linux; Android 13; V2196A; wv) AppleWebKit/537.36 "
     "Chrome/111 Mobile Safari/537.36 MicroMessenger/8.0.43", "wechat"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 "
     "AlipayClient/10.5", "mobile"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120 Safari/537.36",
     "desktop"),
    (None, "desktop"),
])
def test_client_from_user_agent(agent, client):
    assert gateway.client_of(agent) == client


def test_alipay_is_never_offered_inside_wechat():
    assert not gateway.offered(gateway.ALIPAY, gateway.WECHAT)
    assert gateway.offered(gateway.ALIPAY, gateway.MOBILE)
    assert gateway.offered(gateway.WECHATPAY, gateway.DESKTOP)
    with pytest.raises(GatewayRuleError):
        gateway.alipay_method(gateway.WECHAT)


def test_wechat_products():
    assert gateway.wechat_mode(gateway.DESKTOP) == "native"
    assert gateway.wechat_mode(gateway.MOBILE) == "h5"
    assert gateway.wechat_mode(gateway.WECHAT) == "h5"
    assert gateway.wechat_mode(gateway.WECHAT, jsapi_configured=True) == "jsapi"
