"""WeChat Pay API v3 as pure functions (property_payment_wechat.rules.wechatpay).

The checks here use ``cryptography`` directly as the oracle: what the module
signs verifies with the textbook calls, what the textbook calls sign the
module verifies, and every refusal has its code.
"""
import base64
import datetime
import doctest
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID
from hypothesis import given, settings, strategies as st

from property_payment_wechat.rules import wechatpay
from property_payment_wechat.rules.wechatpay import WechatPayError

APIV3_KEY = "0123456789abcdefghijklmnopqrstuv"
NOW = 1764547200  # 2025-12-01 00:00:00 UTC
PUB_KEY_ID = "PUB_KEY_ID_0119000001092026120100112233445566"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption()).decode()


def _public_pem(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _certificate(key, serial):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay test")])
    now = datetime.datetime(2025, 1, 1)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(serial)
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(3650))
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


MERCHANT = _key()
PLATFORM = _key()
PUBLIC = _key()
OTHER = _key()
PLATFORM_SERIAL = 0x5157F09EFDC096DE15EBE81A47057A7232F1B8E1
CERTS = _certificate(PLATFORM, PLATFORM_SERIAL) + _certificate(OTHER, 0xABC)
KEYS = wechatpay.platform_keys(CERTS, _public_pem(PUBLIC), PUB_KEY_ID)


def _wechat_sign(key, timestamp, nonce, body):
    message = b"%s\n%s\n%s\n" % (str(timestamp).encode(), nonce.encode(), body)
    return base64.b64encode(
        key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def _headers(body, key=PLATFORM, serial="5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
             timestamp=NOW, nonce="593BEC0C930BF1AFEB40B4A08C8FB242", prefix=""):
    return {"Wechatpay-Serial": serial, "Wechatpay-Timestamp": str(timestamp),
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": prefix + _wechat_sign(key, timestamp, nonce,
                                                         body)}


def _code(call, *args, **kwargs):
    with pytest.raises(WechatPayError) as info:
        call(*args, **kwargs)
    return info.value.code


def test_doctests():
    assert doctest.testmod(wechatpay, optionflags=doctest.ELLIPSIS).failed == 0


# -- requests ------------------------------------------------------------------

def test_authorization_verifies_with_the_merchant_public_key():
    body = wechatpay.dumps({"mchid": "1900009191", "description": "物业费"})
    header = wechatpay.authorization(
        "1900009191", "3775B6A4", _pem(MERCHANT), "POST",
        "/v3/pay/transactions/native", body, 1554208460, "593BEC0C930BF1AF")
    assert header.startswith("WECHATPAY2-SHA256-RSA2048 ")
    fields = wechatpay.parse_authorization(header)
    assert (fields["mchid"], fields["serial_no"], fields["timestamp"],
            fields["nonce_str"]) == ("1900009191", "3775B6A4", "1554208460",
                                     "593BEC0C930BF1AF")
    message = ("POST\n/v3/pay/transactions/native\n1554208460\n"
               "593BEC0C930BF1AF\n%s\n" % body).encode()
    MERCHANT.public_key().verify(base64.b64decode(fields["signature"]),
                                 message, padding.PKCS1v15(), hashes.SHA256())


def test_get_signs_an_empty_body_and_the_query_string():
    message = wechatpay.request_message(
        "get", "/v3/pay/transactions/out-trade-no/PP1?mchid=1900", 1, "N", "")
    assert message == "GET\n/v3/pay/transactions/out-trade-no/PP1?mchid=1900\n1\nN\n\n"


@pytest.mark.parametrize("header", [
    "", "Bearer x", 'WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n"',
    'WECHATPAY2-SHA256-RSA2049 mchid="1",nonce_str="n",signature="s",'
    'timestamp="2",serial_no="S"',
])
def test_unreadable_authorization(header):
    assert _code(wechatpay.parse_authorization, header) == "bad_authorization"


def test_dumps_is_the_exact_text_sent():
    # compact, Chinese as is: what is signed is what is sent
    assert wechatpay.dumps({"a": "缴费", "b": [1, 2]}) == '{"a":"缴费","b":[1,2]}'


# -- answers and notifies ------------------------------------------------------

def test_platform_keys_by_serial_and_public_key_id():
    assert set(KEYS) == {"5157F09EFDC096DE15EBE81A47057A7232F1B8E1", "ABC",
                         PUB_KEY_ID}


@pytest.mark.parametrize("certs, public, key_id, what", [
    ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "", "",
     "certificate"),
    ("not a certificate", "", "", "certificate"),
    ("", _public_pem(PUBLIC), "KEY_1", "public_key_id"),
    ("", "-----BEGIN PUBLIC KEY-----\nAA\n-----END PUBLIC KEY-----",
     PUB_KEY_ID, "public"),
])
def test_unreadable_platform_keys(certs, public, key_id, what):
    with pytest.raises(WechatPayError) as info:
        wechatpay.platform_keys(certs, public, key_id)
    assert (info.value.code, info.value.params["key"]) == ("bad_key", what)


@pytest.mark.parametrize("key, serial", [
    (PLATFORM, "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"),
    (PLATFORM, "5157f09efdc096de15ebe81a47057a7232f1b8e1"),  # hex in any case
    (OTHER, "ABC"),  # one of several certificates
    (PUBLIC, PUB_KEY_ID),  # the WeChat Pay public key
])
def test_verify_accepts_the_key_named_by_the_serial(key, serial):
    body = b'{"code_url":"weixin://wxpay/bizpayurl?pr=p4lpSuKzz"}'
    wechatpay.verify_headers(KEYS, _headers(body, key, serial), body, NOW)


@pytest.mark.parametrize("change, code", [
    ({"prefix": "WECHATPAY/SIGNTEST/"}, "signtest"),
    ({"key": OTHER}, "bad_signature"),  # signed by the other certificate's key
    ({"key": PUBLIC}, "bad_signature"),  # public key's signature, cert's serial
    ({"serial": "PUB_KEY_ID_0000"}, "unknown_serial"),
    ({"serial": ""}, "no_signature"),
    ({"timestamp": NOW - 301}, "stale_timestamp"),
    ({"timestamp": NOW + 301}, "stale_timestamp"),
])
def test_verify_refuses(change, code):
    body = b'{"id":"EV-1"}'
    headers = _headers(body, **change)
    assert _code(wechatpay.verify_headers, KEYS, headers, body, NOW) == code


@pytest.mark.parametrize("offset", [-300, 0, 300])
def test_verify_within_five_minutes(offset):
    body = b""  # a 204: the last line is just the newline
    wechatpay.verify_headers(KEYS, _headers(body, timestamp=NOW + offset), body,
                             NOW)


def test_signtest_refused_even_when_the_rest_verifies():
    body = b'{"id":"EV-1"}'
    headers = _headers(body)
    headers["Wechatpay-Signature"] = "WECHATPAY/SIGNTEST/" + \
        headers["Wechatpay-Signature"]
    assert _code(wechatpay.verify_headers, KEYS, headers, body, NOW) == "signtest"


def test_a_changed_body_is_refused():
    body = b'{"amount":{"total":100}}'
    headers = _headers(body)
    assert _code(wechatpay.verify_headers, KEYS, headers,
                 b'{"amount":{"total":1}}', NOW) == "bad_signature"


@settings(max_examples=20)
@given(st.binary(max_size=300), st.text(alphabet="0123456789ABCDEF", min_size=1,
                                        max_size=32))
def test_signed_headers_verify(body, nonce):
    headers = wechatpay.signed_headers(PUBLIC, PUB_KEY_ID, body, NOW, nonce)
    wechatpay.verify_headers(KEYS, headers, body, NOW)


# -- the resource --------------------------------------------------------------

def _notify(resource, key=APIV3_KEY, nonce="fdasflkja484", aad="transaction"):
    ciphertext = AESGCM(key.encode()).encrypt(
        nonce.encode(), json.dumps(resource).encode(), aad.encode() or None)
    return json.dumps({"id": "EV-1", "event_type": "TRANSACTION.SUCCESS",
                       "resource": {"algorithm": "AEAD_AES_256_GCM",
                                    "ciphertext": base64.b64encode(
                                        ciphertext).decode(),
                                    "associated_data": aad, "nonce": nonce,
                                    "original_type": "transaction"}}).encode()


TRANSACTION = {"mchid": "1900009191", "appid": "wxd678efh567hg6787",
               "out_trade_no": "PP20260401000001", "trade_state": "SUCCESS",
               "transaction_id": "4200000000000000000000000000",
               "amount": {"total": 43060, "payer_total": 43060,
                          "currency": "CNY", "payer_currency": "CNY"}}


@pytest.mark.parametrize("aad", ["transaction", ""])
def test_notify_resource_decrypted(aad):
    assert wechatpay.notify_resource(APIV3_KEY, _notify(TRANSACTION, aad=aad)) \
        == TRANSACTION


@pytest.mark.parametrize("body, key, code", [
    (_notify(TRANSACTION, key="X" * 32), APIV3_KEY, "bad_resource"),
    (_notify(TRANSACTION), "short", "bad_key"),
    (b"not json", APIV3_KEY, "bad_body"),
    (b'{"resource": {"algorithm": "AEAD_AES_256_GCM"}}', APIV3_KEY, "bad_body"),
    (b'{"resource": {"algorithm": "AES_128", "nonce": "n", "ciphertext": "c"}}',
     APIV3_KEY, "bad_resource"),
])
def test_notify_resource_refused(body, key, code):
    assert _code(wechatpay.notify_resource, key, body) == code


def test_a_changed_associated_data_is_refused():
    event = json.loads(_notify(TRANSACTION).decode())
    event["resource"]["associated_data"] = "refund"
    assert _code(wechatpay.notify_resource, APIV3_KEY,
                 json.dumps(event).encode()) == "bad_resource"


@settings(max_examples=30)
@given(st.binary(max_size=500),
       st.text(min_size=12, max_size=12, alphabet="abcdefghijklmnopqrstuvwxyz0123"))
def test_encrypt_decrypt_round_trip(plaintext, nonce):
    ciphertext = wechatpay.encrypt(APIV3_KEY, nonce, plaintext, "transaction")
    assert wechatpay.decrypt(APIV3_KEY, nonce, ciphertext, "transaction") == \
        plaintext


# -- the paid transaction ------------------------------------------------------

@pytest.mark.parametrize("change, code", [
    ({"mchid": "1900000000"}, "wrong_mchid"),
    ({"mchid": None}, "wrong_mchid"),
    ({"appid": "wx0000000000000000"}, "wrong_appid"),
    ({"trade_state": "NOTPAY"}, "not_success"),
    ({"trade_state": "REFUND"}, "not_success"),
    ({"amount": {"total": 43059, "currency": "CNY"}}, "wrong_amount"),
    ({"amount": {"total": 4306000, "currency": "CNY"}}, "wrong_amount"),
    ({"amount": {"total": 430.6, "currency": "CNY"}}, "bad_body"),
    ({"amount": {"total": "43060", "currency": "CNY"}}, "bad_body"),
    ({"amount": {"total": True, "currency": "CNY"}}, "bad_body"),
    ({"amount": {"total": 43060, "currency": "USD"}}, "wrong_currency"),
    ({"amount": None}, "bad_body"),
])
def test_check_paid_refuses(change, code):
    transaction = dict(TRANSACTION, **change)
    assert _code(wechatpay.check_paid, transaction, "1900009191",
                 "wxd678efh567hg6787", 43060) == code


def test_check_paid_accepts_ours():
    wechatpay.check_paid(TRANSACTION, "1900009191", "wxd678efh567hg6787", 43060)


# -- orders --------------------------------------------------------------------

def test_h5_order_has_its_scene():
    body = wechatpay.order_body("h5", "wx1", "1900", "物" * 200, "PP1", "https://x/n",
                                43060, payer_ip="203.0.113.7", attach="PP1")
    assert body["scene_info"] == {"payer_client_ip": "203.0.113.7",
                                  "h5_info": {"type": "Wap"}}
    assert body["amount"] == {"total": 43060, "currency": "CNY"}
    assert len(body["description"]) == 127


def test_native_order_without_payer():
    body = wechatpay.order_body("native", "wx1", "1900", "d", "PP1", "https://x/n",
                                1)
    assert set(body) == {"appid", "mchid", "description", "out_trade_no",
                         "notify_url", "amount"}


def test_jsapi_pay_sign():
    params = wechatpay.jsapi_params("wx1", "wx201410272009395522657a690389285100",
                                    _pem(MERCHANT), 1414561699, "5K8264ILTKCH16CQ")
    assert params["package"] == "prepay_id=wx201410272009395522657a690389285100"
    message = ("wx1\n1414561699\n5K8264ILTKCH16CQ\n"
               "prepay_id=wx201410272009395522657a690389285100\n").encode()
    MERCHANT.public_key().verify(base64.b64decode(params["paySign"]), message,
                                 padding.PKCS1v15(), hashes.SHA256())


@pytest.mark.parametrize("key", ["", "0" * 31, "0" * 33])
def test_apiv3_key_is_32_bytes(key):
    assert _code(wechatpay.check_apiv3_key, key) == "bad_key"


def test_private_key_must_be_rsa_pem():
    assert _code(wechatpay.load_private_key, "-----BEGIN PRIVATE KEY-----") == \
        "bad_key"
