"""Alipay's open platform, RSA2 (property_payment_alipay.rules.alipay),
cross-checked with python-alipay-sdk as an oracle (test-only)."""
import datetime
import doctest
import json
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, strategies as st

from property_payment_alipay.rules import alipay
from property_payment_alipay.rules.alipay import AlipayError

sdk = pytest.importorskip("alipay")

APP_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ALIPAY_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _private(key, fmt=serialization.PrivateFormat.PKCS8):
    return key.private_bytes(serialization.Encoding.PEM, fmt,
                             serialization.NoEncryption()).decode()


def _public(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo).decode()


APP_PEM, ALIPAY_PEM = _private(APP_KEY), _private(ALIPAY_KEY)
APP_PUBLIC, ALIPAY_PUBLIC = _public(APP_KEY), _public(ALIPAY_KEY)
NOW = datetime.datetime(2026, 12, 1, 8, 0, 0)


def oracle(private=APP_PEM, public=ALIPAY_PUBLIC):
    return sdk.AliPay(appid="2021000000000001", app_private_key_string=private,
                      alipay_public_key_string=public)


def notify(**changes):
    params = {"app_id": "2021000000000001", "seller_id": "2088000000000001",
              "out_trade_no": "PP261201000001", "trade_no": "2026120122001",
              "trade_status": "TRADE_SUCCESS", "total_amount": "128.50",
              "charset": "utf-8", "subject": "物业费 2026-03",
              "notify_id": "ac05", "sign_type": "RSA2"}
    params.update(changes)
    return params


def signed_by_alipay(params, key=ALIPAY_PEM):
    params = dict(params)
    params["sign"] = alipay.sign_text(
        alipay.canonical(params, exclude=("sign", "sign_type")), key)
    return params


def test_doctests():
    assert doctest.testmod(alipay).failed == 0


def test_page_pay_signature_is_the_sdks():
    biz = alipay.pay_biz(alipay.PAGE_PAY, "PP261201000001", "128.50",
                         "物业费 PP261201000001")
    params = alipay.request_params("2021000000000001", alipay.PAGE_PAY, biz,
                                   NOW, notify_url="https://e.x/n",
                                   return_url="https://e.x/r")
    ours = alipay.sign_params(params, APP_PEM)
    data = dict(params)
    theirs = dict(parse_qsl(oracle().sign_data(data)))
    # PKCS#1 v1.5 is deterministic: the same string gives the same sign
    assert ours["sign"] == theirs["sign"]
    assert params["timestamp"] == "2026-12-01 16:00:00"
    assert json.loads(params["biz_content"])["product_code"] == \
        "FAST_INSTANT_TRADE_PAY"


def test_wap_pay_product_code_and_redirect():
    biz = alipay.pay_biz(alipay.WAP_PAY, "PP1", "0.10", "a/b=c&d",
                         quit_url="https://e.x/q")
    assert biz["product_code"] == "QUICK_WAP_WAY"
    assert biz["subject"] == "a-bcd"
    params = alipay.sign_params(alipay.request_params(
        "1", alipay.WAP_PAY, biz, NOW), APP_PEM)
    url = alipay.redirect_url("http://127.0.0.1:1/gateway.do", params)
    assert dict(parse_qsl(urlsplit(url).query)) == params


def test_pkcs1_and_bare_base64_keys_load():
    pkcs1 = _private(APP_KEY, serialization.PrivateFormat.TraditionalOpenSSL)
    bare = "".join(APP_PEM.strip().splitlines()[1:-1])
    assert alipay.sign_text("x", pkcs1) == alipay.sign_text("x", bare) == \
        alipay.sign_text("x", APP_PEM)
    bare_public = "".join(ALIPAY_PUBLIC.strip().splitlines()[1:-1])
    alipay.verify_text("x", alipay.sign_text("x", ALIPAY_PEM), bare_public)


@pytest.mark.parametrize("text", ["", "not a key", "-----BEGIN X-----\n!!\n"])
def test_unreadable_keys_are_refused(text):
    with pytest.raises(AlipayError):
        alipay.load_private_key(text)
    with pytest.raises(AlipayError):
        alipay.load_public_key(text)


def test_notify_signed_by_the_sdk_oracle_is_verified():
    params = notify()
    unsigned = dict(params)
    unsigned.pop("sign_type")
    params["sign"] = oracle(private=ALIPAY_PEM)._sign(
        "&".join("%s=%s" % item for item in sorted(unsigned.items())))
    alipay.verify_params(params, ALIPAY_PUBLIC)
    # and the SDK verifies what we would verify
    data = dict(params)
    sign = data.pop("sign")
    assert oracle(public=ALIPAY_PUBLIC).verify(data, sign)


@pytest.mark.parametrize("change", [
    {"total_amount": "1.00"}, {"trade_status": "TRADE_FINISHED"},
    {"app_id": "2021000000000009"}, {"extra": "1"}])
def test_any_change_breaks_the_signature(change):
    params = signed_by_alipay(notify())
    params.update(change)
    with pytest.raises(AlipayError) as error:
        alipay.verify_params(params, ALIPAY_PUBLIC)
    assert error.value.code == "bad_signature"


def test_signed_by_the_apps_own_key_is_refused():
    params = signed_by_alipay(notify(), key=APP_PEM)
    with pytest.raises(AlipayError):
        alipay.verify_params(params, ALIPAY_PUBLIC)


def test_sign_type_is_not_signed_in_a_notify_but_must_be_rsa2():
    params = signed_by_alipay(notify())
    without = dict(params)
    del without["sign_type"]
    alipay.verify_params(without, ALIPAY_PUBLIC)
    with pytest.raises(AlipayError):
        alipay.verify_params(dict(params, sign_type="RSA"), ALIPAY_PUBLIC)
    with pytest.raises(AlipayError) as error:
        alipay.verify_params(dict(params, sign=""), ALIPAY_PUBLIC)
    assert error.value.code == "no_signature"


@pytest.mark.parametrize("change, code", [
    ({}, None),
    ({"app_id": "x"}, "wrong_app_id"),
    ({"seller_id": "2088000000000009"}, "wrong_seller_id"),
    ({"seller_id": ""}, "wrong_seller_id"),
    ({"total_amount": "128.49"}, "wrong_amount"),
    ({"total_amount": "128.500"}, "bad_amount"),
    ({"total_amount": "1e2"}, "bad_amount"),
    ({"trade_status": "PAID"}, "bad_status"),
])
def test_trade_checks(change, code):
    data = notify(**change)
    if code is None:
        assert alipay.check_trade(data, "2021000000000001", "2088000000000001",
                                  Decimal("128.50")) == Decimal("128.50")
        return
    with pytest.raises(AlipayError) as error:
        alipay.check_trade(data, "2021000000000001", "2088000000000001",
                           Decimal("128.50"))
    assert error.value.code == code


def test_query_answer_needs_no_app_id():
    data = {"trade_status": "TRADE_SUCCESS", "total_amount": "128.5"}
    assert alipay.check_trade(data, None, "2088000000000001",
                              Decimal("128.50")) == Decimal("128.50")


def test_form_body_in_its_charset():
    body = urlencode({"charset": "gbk", "subject": "物业费"},
                     encoding="gbk").encode()
    assert alipay.parse_form(body)["subject"] == "物业费"
    with pytest.raises(AlipayError):
        alipay.parse_form(b"a=1&a=2")
    with pytest.raises(AlipayError):
        alipay.notify_params([("charset", "gbk")])
    with pytest.raises(AlipayError):
        alipay.notify_params([("a", "1"), ("a", "2")])


def _answer(content_text, key=ALIPAY_PEM, sign=True):
    signature = alipay.sign_text(content_text, key) if sign else ""
    return '{"alipay_trade_query_response":%s,"sign":"%s"}' % (
        content_text, signature)


def test_query_answer_signed_over_its_exact_text():
    # spacing and a brace inside a string: the exact substring is signed
    content = '{ "code":"10000", "msg":"Success}",\n "total_amount":"1.00"}'
    data = alipay.read_response(_answer(content), alipay.QUERY, ALIPAY_PUBLIC)
    assert data["msg"] == "Success}"
    assert oracle()._verify_and_return_sync_response(
        _answer('{"code":"10000","total_amount":"1.00"}'),
        "alipay_trade_query_response")["code"] == "10000"


def test_query_answer_forged_or_unsigned_is_refused():
    content = '{"code":"10000","trade_status":"TRADE_SUCCESS"}'
    with pytest.raises(AlipayError):
        alipay.read_response(_answer(content, key=APP_PEM), alipay.QUERY,
                             ALIPAY_PUBLIC)
    with pytest.raises(AlipayError) as error:
        alipay.read_response(_answer(content, sign=False), alipay.QUERY,
                             ALIPAY_PUBLIC)
    assert error.value.code == "no_signature"
    # an unsigned failure is believed: it pays nothing
    failure = '{"error_response":{"code":"40002","sub_code":"isv.x"}}'
    assert alipay.read_response(failure, alipay.QUERY,
                                ALIPAY_PUBLIC)["code"] == "40002"
    with pytest.raises(AlipayError):
        alipay.read_response("<html>", alipay.QUERY, ALIPAY_PUBLIC)


@given(st.dictionaries(st.text("abcdefghij_", min_size=1, max_size=8),
                       st.text(max_size=20), max_size=8))
def test_what_we_sign_we_verify(params):
    params = {key: value for key, value in params.items() if key != "sign"}
    signed = alipay.sign_params(params, APP_PEM)
    alipay.verify_text(alipay.canonical(signed), signed["sign"], APP_PUBLIC)
