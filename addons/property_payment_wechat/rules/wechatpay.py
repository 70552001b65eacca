# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""WeChat Pay API v3 as pure functions over bytes, text and ints (no odoo).

* Requests are signed ``WECHATPAY2-SHA256-RSA2048``: SHA256withRSA
  (PKCS#1 v1.5) with the merchant's API private key over
  ``METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n``, sent in ``Authorization``.
* Responses and notifies are signed by WeChat Pay over
  ``TIMESTAMP\\nNONCE\\nBODY\\n`` (the raw body), with the platform
  certificate's key or the WeChat Pay public key, named by
  ``Wechatpay-Serial`` (a certificate serial in hex, or ``PUB_KEY_ID_...``).
  A ``WECHATPAY/SIGNTEST/`` signature is WeChat's probe: always refused.
* A notify's ``resource`` is AEAD_AES_256_GCM under the 32-byte APIv3 key.
* Amounts are integers of fen; a paid transaction is accepted only when its
  merchant, app, state and amount are the ones expected.

Every refusal is a :class:`WechatPayError` with a ``code`` (see ``CODES``).
"""
import base64
import binascii
import datetime
import json
import re
import secrets

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SCHEMA = "WECHATPAY2-SHA256-RSA2048"
SIGNTEST_PREFIX = "WECHATPAY/SIGNTEST/"
PUBLIC_KEY_ID_PREFIX = "PUB_KEY_ID_"
# a signed timestamp older or newer than this is refused (replay)
TIMESTAMP_WINDOW = 300
APIV3_KEY_LENGTH = 32
SUCCESS = "SUCCESS"
CURRENCY = "CNY"
DEFAULT_API_URL = "https://api.mch.weixin.qq.com"

CODES = (
    "signtest",          # WeChat's signature probe
    "no_signature",      # a Wechatpay-* header missing
    "stale_timestamp",   # outside the 5-minute window
    "unknown_serial",    # no key of ours has this serial
    "bad_signature",     # the signature does not verify
    "bad_key",           # a key or certificate that cannot be read
    "bad_resource",      # not a decryptable AEAD_AES_256_GCM resource
    "bad_body",          # not the JSON expected
    "wrong_mchid",
    "wrong_appid",
    "not_success",       # trade_state is not SUCCESS
    "wrong_amount",
    "wrong_currency",
    "bad_authorization",  # (stub side) an Authorization header unreadable
)

_PEM_BLOCK = re.compile(
    r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)
_AUTH_FIELD = re.compile(r'(\w+)="([^"]*)"')


class WechatPayError(ValueError):
    """A refusal: ``code`` (one of ``CODES``) and ``params`` (no secrets)."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def _bytes(value):
    if isinstance(value, bytes):
        return value
    return (value or "").encode("utf-8")


# -- keys ---------------------------------------------------------------------

def load_private_key(pem):
    """The merchant's RSA private key from its PEM text (PKCS#1 or #8)."""
    try:
        key = serialization.load_pem_private_key(_bytes(pem.strip()), None)
    except (ValueError, TypeError, AttributeError):
        raise WechatPayError("bad_key", key="private")
    if not isinstance(key, rsa.RSAPrivateKey):
        raise WechatPayError("bad_key", key="private")
    return key


def load_public_key(pem):
    """An RSA public key from PEM text (the WeChat Pay public key)."""
    try:
        key = serialization.load_pem_public_key(_bytes(pem.strip()))
    except (ValueError, TypeError, AttributeError):
        raise WechatPayError("bad_key", key="public")
    if not isinstance(key, rsa.RSAPublicKey):
        raise WechatPayError("bad_key", key="public")
    return key


def certificate_serial(certificate):
    """A certificate's serial as WeChat Pay writes it: upper-case hex."""
    return format(certificate.serial_number, "X")


def platform_keys(certificates_pem=None, public_key_pem=None,
                  public_key_id=None):
    """``{serial: public key}`` of WeChat Pay's keys: each certificate of the
    PEM text ``certificates_pem`` (one or several) under its serial, and the
    WeChat Pay public key under its id ``PUB_KEY_ID_...``."""
    keys = {}
    for block in _PEM_BLOCK.findall(certificates_pem or ""):
        try:
            cert = x509.load_pem_x509_certificate(block.encode("ascii"))
        except ValueError:
            raise WechatPayError("bad_key", key="certificate")
        keys[certificate_serial(cert)] = cert.public_key()
    if (certificates_pem or "").strip() and not keys:
        raise WechatPayError("bad_key", key="certificate")
    if (public_key_pem or "").strip():
        if not (public_key_id or "").startswith(PUBLIC_KEY_ID_PREFIX):
            raise WechatPayError("bad_key", key="public_key_id")
        keys[public_key_id] = load_public_key(public_key_pem)
    return keys


def find_key(keys, serial):
    """The key of ``keys`` named ``serial`` (hex serials in any case)."""
    serial = (serial or "").strip()
    key = keys.get(serial) or keys.get(serial.upper())
    if key is None:
        raise WechatPayError("unknown_serial", serial=serial)
    return key


# -- signing ------------------------------------------------------------------

def nonce_str(length=32):
    """A random nonce of upper-case hex."""
    return secrets.token_hex(length // 2 + 1)[:length].upper()


def request_message(method, url, timestamp, nonce, body):
    """The text signed for a request: ``url`` is the path with its query
    string, no host; ``body`` the exact text sent ('' for a GET).

    >>> request_message("GET", "/v3/certificates", 1554208460, "N1", "")
    'GET\\n/v3/certificates\\n1554208460\\nN1\\n\\n'
    """
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return "%s\n%s\n%s\n%s\n%s\n" % (method.upper(), url, timestamp, nonce,
                                     body or "")


def response_message(timestamp, nonce, body):
    """The bytes WeChat Pay signs for a response or a notify (raw body).

    >>> response_message("1554208460", "N1", b'{"a":1}')
    b'1554208460\\nN1\\n{"a":1}\\n'
    """
    return b"%s\n%s\n%s\n" % (_bytes(str(timestamp)), _bytes(nonce),
                              _bytes(body))


def sign(private_key, message):
    """Base64 SHA256withRSA (PKCS#1 v1.5) signature of ``message``;
    ``private_key`` is a key object or its PEM text."""
    if not isinstance(private_key, rsa.RSAPrivateKey):
        private_key = load_private_key(private_key)
    signature = private_key.sign(_bytes(message), padding.PKCS1v15(),
                                 hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


def check_signature(public_key, message, signature):
    """Raise ``bad_signature`` unless ``signature`` (Base64) is
    ``public_key``'s over ``message``."""
    try:
        raw = base64.b64decode(_bytes(signature), validate=True)
        public_key.verify(raw, _bytes(message), padding.PKCS1v15(),
                          hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError, TypeError):
        raise WechatPayError("bad_signature")


def authorization(mchid, serial_no, private_key, method, url, body,
                  timestamp, nonce):
    """The ``Authorization`` header of a request to WeChat Pay."""
    signature = sign(private_key,
                     request_message(method, url, timestamp, nonce, body))
    return ('%s mchid="%s",nonce_str="%s",signature="%s",timestamp="%s",'
            'serial_no="%s"' % (SCHEMA, mchid, nonce, signature, timestamp,
                                serial_no))


def parse_authorization(header):
    """The fields of an ``Authorization`` header (what WeChat Pay reads).

    >>> fields = parse_authorization(
    ...     'WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="n",'
    ...     'signature="s",timestamp="2",serial_no="S"')
    >>> fields["mchid"], fields["serial_no"], fields["timestamp"]
    ('1', 'S', '2')
    """
    schema, _sep, rest = (header or "").partition(" ")
    fields = dict(_AUTH_FIELD.findall(rest))
    needed = {"mchid", "nonce_str", "signature", "timestamp", "serial_no"}
    if schema != SCHEMA or not needed.issubset(fields):
        raise WechatPayError("bad_authorization")
    return fields


def check_timestamp(timestamp, now, window=TIMESTAMP_WINDOW):
    """Raise ``stale_timestamp`` unless ``timestamp`` (unix seconds, text)
    is within ``window`` seconds of ``now`` (unix seconds).

    >>> check_timestamp("1000", 1299)
    >>> check_timestamp("1000", 1301)
    Traceback (most recent call last):
    ...
    property_payment_wechat.rules.wechatpay.WechatPayError: ('stale_timestamp', {})
    """
    try:
        value = int(timestamp)
    except (TypeError, ValueError):
        raise WechatPayError("stale_timestamp")
    if abs(int(now) - value) > window:
        raise WechatPayError("stale_timestamp")


def verify(keys, serial, signature, timestamp, nonce, body, now):
    """Verify a response or notify of WeChat Pay, in this order: the
    ``WECHATPAY/SIGNTEST/`` probe, the headers present, the timestamp window,
    the key named by ``serial``, the signature over the raw ``body``."""
    if (signature or "").startswith(SIGNTEST_PREFIX):
        raise WechatPayError("signtest")
    if not (serial and signature and timestamp and nonce):
        raise WechatPayError("no_signature")
    check_timestamp(timestamp, now)
    key = find_key(keys, serial)
    check_signature(key, response_message(timestamp, nonce, body), signature)


def verify_headers(keys, headers, body, now):
    """:func:`verify` with the ``Wechatpay-*`` headers of a mapping that
    answers ``get`` (a case-insensitive one, as HTTP headers are)."""
    verify(keys, headers.get("Wechatpay-Serial"),
           headers.get("Wechatpay-Signature"),
           headers.get("Wechatpay-Timestamp"), headers.get("Wechatpay-Nonce"),
           body, now)


def signed_headers(private_key, serial, body, timestamp, nonce):
    """The ``Wechatpay-*`` headers WeChat Pay puts on ``body`` (the stub's
    side, and the tests' oracle)."""
    return {
        "Wechatpay-Serial": serial,
        "Wechatpay-Timestamp": str(timestamp),
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Signature": sign(
            private_key, response_message(timestamp, nonce, body)),
        "Wechatpay-Signature-Type": SCHEMA,
    }


# -- the notify's resource ----------------------------------------------------

def _aead(apiv3_key):
    key = _bytes(apiv3_key)
    if len(key) != APIV3_KEY_LENGTH:
        raise WechatPayError("bad_key", key="apiv3")
    return AESGCM(key)


def check_apiv3_key(apiv3_key):
    """Raise ``bad_key`` unless the APIv3 key is 32 bytes.

    >>> check_apiv3_key("0123456789abcdef0123456789abcdef")
    """
    _aead(apiv3_key)


def decrypt(apiv3_key, nonce, ciphertext, associated_data=""):
    """The plaintext (bytes) of an AEAD_AES_256_GCM resource: ``ciphertext``
    is Base64 of the ciphertext and its 16-byte tag."""
    aead = _aead(apiv3_key)
    try:
        return aead.decrypt(_bytes(nonce), base64.b64decode(_bytes(ciphertext)),
                            _bytes(associated_data) or None)
    except (InvalidTag, binascii.Error, ValueError, TypeError):
        raise WechatPayError("bad_resource")


def encrypt(apiv3_key, nonce, plaintext, associated_data=""):
    """The Base64 ciphertext :func:`decrypt` reads (the stub's side)."""
    data = _aead(apiv3_key).encrypt(_bytes(nonce), _bytes(plaintext),
                                    _bytes(associated_data) or None)
    return base64.b64encode(data).decode("ascii")


def notify_resource(apiv3_key, body):
    """The decrypted transaction (a dict) of a notify's raw ``body``."""
    try:
        event = json.loads(_bytes(body).decode("utf-8"))
        resource = event["resource"]
        algorithm = resource.get("algorithm")
        parts = (resource["nonce"], resource["ciphertext"],
                 resource.get("associated_data") or "")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise WechatPayError("bad_body")
    if algorithm != "AEAD_AES_256_GCM":
        raise WechatPayError("bad_resource")
    plaintext = decrypt(apiv3_key, *parts)
    try:
        data = json.loads(plaintext.decode("utf-8"))
    except ValueError:
        raise WechatPayError("bad_body")
    if not isinstance(data, dict):
        raise WechatPayError("bad_body")
    return data


# -- the transaction ------------------------------------------------------------

def paid_fen(transaction):
    """``amount.total`` of a transaction (int fen), or ``bad_body``.

    >>> paid_fen({"amount": {"total": 1999, "currency": "CNY"}})
    1999
    """
    try:
        total = transaction["amount"]["total"]
    except (KeyError, TypeError):
        raise WechatPayError("bad_body")
    if isinstance(total, bool) or not isinstance(total, int):
        raise WechatPayError("bad_body")
    return total


def check_paid(transaction, mchid, appid, fen):
    """Raise unless ``transaction`` (a notify's resource or a query's
    answer) is ours (``mchid``, ``appid``), SUCCESS, for ``fen`` in CNY.

    >>> tx = {"mchid": "1900", "appid": "wx1", "trade_state": "SUCCESS",
    ...       "amount": {"total": 100, "currency": "CNY"}}
    >>> check_paid(tx, "1900", "wx1", 100)
    >>> check_paid(tx, "1900", "wx1", 99)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    property_payment_wechat.rules.wechatpay.WechatPayError: ('wrong_amount', ...)
    """
    if not isinstance(transaction, dict):
        raise WechatPayError("bad_body")
    if transaction.get("mchid") != mchid:
        raise WechatPayError("wrong_mchid")
    if transaction.get("appid") != appid:
        raise WechatPayError("wrong_appid")
    if transaction.get("trade_state") != SUCCESS:
        raise WechatPayError("not_success",
                             state=str(transaction.get("trade_state")))
    total = paid_fen(transaction)
    currency = (transaction.get("amount") or {}).get("currency") or CURRENCY
    if currency != CURRENCY:
        raise WechatPayError("wrong_currency", currency=currency)
    if total != fen:
        raise WechatPayError("wrong_amount", expected=fen, paid=total)


# -- orders ---------------------------------------------------------------------

def dumps(data):
    """The JSON text sent (and signed): compact, UTF-8 as is.

    >>> dumps({"description": "物业费", "amount": {"total": 1}})
    '{"description":"物业费","amount":{"total":1}}'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def time_expire(now, minutes):
    """``time_expire`` (RFC 3339, Beijing time) ``minutes`` after ``now``
    (a naive UTC datetime).

    >>> time_expire(datetime.datetime(2026, 3, 31, 20, 0), 90)
    '2026-04-01T05:30:00+08:00'
    """
    beijing = now + datetime.timedelta(hours=8, minutes=minutes)
    return beijing.replace(microsecond=0).isoformat() + "+08:00"


def cut(text, limit):
    """``text`` cut to ``limit`` characters (WeChat counts characters).

    >>> cut("abcdef", 4)
    'abcd'
    """
    return (text or "")[:limit]


def order_body(mode, appid, mchid, description, out_trade_no, notify_url,
               fen, expire=None, attach=None, payer_ip=None, openid=None):
    """The body of a Native / H5 / JSAPI order."""
    body = {
        "appid": appid,
        "mchid": mchid,
        "description": cut(description, 127),
        "out_trade_no": out_trade_no,
        "notify_url": notify_url,
        "amount": {"total": fen, "currency": CURRENCY},
    }
    if expire:
        body["time_expire"] = expire
    if attach:
        body["attach"] = cut(attach, 128)
    if mode == "h5":
        body["scene_info"] = {"payer_client_ip": payer_ip or "127.0.0.1",
                              "h5_info": {"type": "Wap"}}
    elif payer_ip:
        body["scene_info"] = {"payer_client_ip": payer_ip}
    if mode == "jsapi":
        body["payer"] = {"openid": openid}
    return body


def jsapi_params(appid, prepay_id, private_key, timestamp, nonce):
    """What ``WeixinJSBridge.invoke('getBrandWCPayRequest', ...)`` takes:
    the pay-sign over ``appId\\ntimeStamp\\nnonceStr\\nprepay_id=...\\n``."""
    package = "prepay_id=%s" % prepay_id
    message = "%s\n%s\n%s\n%s\n" % (appid, timestamp, nonce, package)
    return {
        "appId": appid,
        "timeStamp": str(timestamp),
        "nonceStr": nonce,
        "package": package,
        "signType": "RSA",
        "paySign": sign(private_key, message),
    }
