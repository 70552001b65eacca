# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Alipay's open platform (开放平台) with RSA2 keys, as pure functions.

* A request is its common parameters plus ``biz_content`` (JSON text),
  signed SHA256withRSA (PKCS#1 v1.5) with the application's private key
  over the canonical string: every non-empty parameter but ``sign``, sorted
  by key, joined raw (not URL-encoded) as ``k=v&k2=v2``.
* A notify is a form POST signed by Alipay over the same canonical string
  without ``sign`` and ``sign_type``, verified with **Alipay's** public key
  (not the application's own public key).
* A server call's answer ``{"alipay_trade_query_response": {...}, "sign":
  "..."}`` is signed over the exact text of the ``..._response`` value, as
  it came: it is cut out of the raw text, never serialised again.
* A notify or an answer is believed only for our ``app_id`` and
  ``seller_id`` and for the exact amount of the order (``Decimal``).

Every refusal is an :class:`AlipayError` with a ``code`` (see ``CODES``)
and ``params`` that hold no secret.
"""
import base64
import binascii
import datetime
import json
import re
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

DEFAULT_GATEWAY_URL = "https://openapi.alipay.com/gateway.do"
SANDBOX_GATEWAY_URL = "https://openapi-sandbox.dl.alipaydev.com/gateway.do"

PAGE_PAY = "alipay.trade.page.pay"
WAP_PAY = "alipay.trade.wap.pay"
QUERY = "alipay.trade.query"
PRODUCT_CODES = {
    PAGE_PAY: "FAST_INSTANT_TRADE_PAY",
    WAP_PAY: "QUICK_WAP_WAY",
}

TRADE_SUCCESS = "TRADE_SUCCESS"
TRADE_FINISHED = "TRADE_FINISHED"
WAIT_BUYER_PAY = "WAIT_BUYER_PAY"
TRADE_CLOSED = "TRADE_CLOSED"
PAID = frozenset([TRADE_SUCCESS, TRADE_FINISHED])
TRADE_STATUSES = frozenset([TRADE_SUCCESS, TRADE_FINISHED, WAIT_BUYER_PAY,
                            TRADE_CLOSED])

SUCCESS_CODE = "10000"
# the trade is unknown to Alipay (never opened by the payer)
NOT_EXIST = "ACQ.TRADE_NOT_EXIST"

# China has kept UTC+8 all year since 1991: no zone database needed
CHINA_OFFSET = datetime.timedelta(hours=8)
SUBJECT_MAX = 256
_SUBJECT_NOT_ALLOWED = re.compile(r"[/=&]")
_AMOUNT = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")

CODES = frozenset([
    "bad_key", "bad_form", "no_signature", "bad_signature", "bad_response",
    "wrong_app_id", "wrong_seller_id", "bad_amount", "wrong_amount",
    "bad_status", "unknown_order",
])


class AlipayError(ValueError):
    """A refusal, with ``code`` (one of ``CODES``) and ``params``."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


# -- keys ----------------------------------------------------------------------

def _pem_body(text):
    """The DER bytes of a PEM text, or of the bare Base64 that Alipay's key
    tool and console show (one line, no header)."""
    lines = [line.strip() for line in (text or "").strip().splitlines()]
    body = "".join(line for line in lines
                   if line and not line.startswith("-----"))
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise AlipayError("bad_key")


def load_private_key(text):
    """The application's RSA private key from PEM text (PKCS#8 ``PRIVATE
    KEY`` or PKCS#1 ``RSA PRIVATE KEY``) or bare Base64 of either."""
    if isinstance(text, rsa.RSAPrivateKey):
        return text
    try:
        key = serialization.load_der_private_key(_pem_body(text), None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise AlipayError("bad_key", key="private")
    if not isinstance(key, rsa.RSAPrivateKey):
        raise AlipayError("bad_key", key="private")
    return key


def load_public_key(text):
    """Alipay's RSA public key from PEM text or bare Base64
    (SubjectPublicKeyInfo, as Alipay's console gives it)."""
    if isinstance(text, rsa.RSAPublicKey):
        return text
    try:
        key = serialization.load_der_public_key(_pem_body(text))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise AlipayError("bad_key", key="public")
    if not isinstance(key, rsa.RSAPublicKey):
        raise AlipayError("bad_key", key="public")
    return key


# -- the canonical string and RSA2 ---------------------------------------------

def canonical(params, exclude=("sign",)):
    """The string Alipay signs: non-empty params but ``exclude``, sorted by
    key, joined raw.

    >>> canonical({"b": "2", "a": "x y&", "sign": "S", "c": ""})
    'a=x y&&b=2'
    """
    return "&".join(
        "%s=%s" % (key, params[key]) for key in sorted(params)
        if key not in exclude and params[key] not in (None, ""))


def sign_text(text, private_key):
    """Base64 SHA256withRSA signature of ``text`` (utf-8)."""
    key = load_private_key(private_key)
    signature = key.sign(text.encode("utf-8"), padding.PKCS1v15(),
                         hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


def verify_text(text, signature, public_key):
    """Check the Base64 ``signature`` of ``text``; AlipayError if wrong."""
    if not signature:
        raise AlipayError("no_signature")
    key = load_public_key(public_key)
    try:
        raw = base64.b64decode(signature, validate=True)
        key.verify(raw, text.encode("utf-8"), padding.PKCS1v15(),
                   hashes.SHA256())
    except (binascii.Error, ValueError, InvalidSignature):
        raise AlipayError("bad_signature")


def sign_params(params, private_key):
    """``params`` with their ``sign`` (``sign_type`` is signed too)."""
    signed = dict(params)
    signed.pop("sign", None)
    signed["sign"] = sign_text(canonical(signed), private_key)
    return signed


def verify_params(params, public_key):
    """Check a notify's ``sign`` over every other param but ``sign_type``."""
    if params.get("sign_type", "RSA2") != "RSA2":
        raise AlipayError("bad_signature", sign_type=params.get("sign_type"))
    verify_text(canonical(params, exclude=("sign", "sign_type")),
                params.get("sign"), public_key)


# -- requests ------------------------------------------------------------------

def dumps(value):
    """JSON as Alipay takes it: compact, Chinese kept as it is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True)


def timestamp(utc_now):
    """The request's ``timestamp``: Beijing time, ``YYYY-MM-DD HH:MM:SS``.

    >>> timestamp(datetime.datetime(2026, 12, 31, 16, 30, 5))
    '2027-01-01 00:30:05'
    """
    return (utc_now + CHINA_OFFSET).strftime("%Y-%m-%d %H:%M:%S")


def subject(text):
    """What the payer reads: without ``/ = &`` (Alipay refuses them), at
    most 256 characters.

    >>> subject("Fees 2026/03 & more")
    'Fees 2026-03 more'
    """
    cleaned = _SUBJECT_NOT_ALLOWED.sub(
        lambda match: "-" if match.group() == "/" else "", text or "")
    return re.sub(r"\s+", " ", cleaned).strip()[:SUBJECT_MAX]


def pay_biz(method, out_trade_no, total_amount, title, quit_url=None,
            timeout_express=None):
    """``biz_content`` of a page.pay or wap.pay order; ``total_amount`` is
    already Alipay's text (``"128.50"``)."""
    if method not in PRODUCT_CODES:
        raise ValueError(method)
    biz = {
        "out_trade_no": out_trade_no,
        "total_amount": total_amount,
        "subject": subject(title),
        "product_code": PRODUCT_CODES[method],
    }
    if method == WAP_PAY and quit_url:
        biz["quit_url"] = quit_url
    if timeout_express:
        biz["timeout_express"] = timeout_express
    return biz


def request_params(app_id, method, biz, utc_now, notify_url=None,
                   return_url=None):
    """The common parameters of a request with its ``biz_content``,
    unsigned."""
    params = {
        "app_id": app_id,
        "method": method,
        "format": "JSON",
        "charset": "utf-8",
        "sign_type": "RSA2",
        "timestamp": timestamp(utc_now),
        "version": "1.0",
        "biz_content": dumps(biz),
    }
    if notify_url:
        params["notify_url"] = notify_url
    if return_url:
        params["return_url"] = return_url
    return params


def redirect_url(gateway_url, params):
    """Where the payer's browser goes: the gateway with the signed params
    URL-encoded in its query."""
    joiner = "&" if "?" in gateway_url else "?"
    return gateway_url + joiner + urlencode(sorted(params.items()))


# -- notifies ------------------------------------------------------------------

def parse_form(body):
    """The params of a form-encoded ``body`` (bytes), decoded in the
    ``charset`` it names (utf-8 by default). A repeated key, bytes that are
    not URL-encoded text or an unknown charset is refused."""
    try:
        text = body.decode("ascii")
    except (UnicodeDecodeError, AttributeError):
        raise AlipayError("bad_form")
    pairs = parse_qsl(text, keep_blank_values=True, encoding="latin-1")
    charset = dict(pairs).get("charset") or "utf-8"
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding=charset,
                          errors="strict")
    except (LookupError, UnicodeDecodeError):
        raise AlipayError("bad_form", charset=charset[:20])
    params = dict(pairs)
    if len(params) != len(pairs):
        raise AlipayError("bad_form")
    return params


def notify_params(pairs):
    """The params of a notify from its decoded form ``pairs`` (Odoo decodes
    the form as utf-8, the charset our requests ask for): a repeated key or
    another charset is refused.

    >>> notify_params([("charset", "utf-8"), ("a", "1")])
    {'charset': 'utf-8', 'a': '1'}
    """
    pairs = list(pairs)
    params = dict(pairs)
    if len(params) != len(pairs):
        raise AlipayError("bad_form")
    charset = (params.get("charset") or "utf-8").lower()
    if charset != "utf-8":
        raise AlipayError("bad_form", charset=charset[:20])
    return params


def amount_of(text):
    """Alipay's amount text (yuan, at most two decimals) as a Decimal.

    >>> amount_of("128.5"), amount_of("0.01")
    (Decimal('128.5'), Decimal('0.01'))
    """
    if not isinstance(text, str) or not _AMOUNT.match(text):
        raise AlipayError("bad_amount", paid=str(text)[:20])
    return Decimal(text)


def check_trade(data, app_id, seller_id, expected_amount):
    """A trade (a verified notify, or a query answer) is ours and of the
    order's exact amount: returns the amount paid (Decimal).

    ``app_id`` is checked where given (a notify carries it, a query answer
    does not: its signature and our own call stand for it)."""
    if app_id is not None and data.get("app_id") != app_id:
        raise AlipayError("wrong_app_id", app_id=data.get("app_id"))
    if seller_id and data.get("seller_id") not in (None, seller_id):
        raise AlipayError("wrong_seller_id", seller_id=data.get("seller_id"))
    if app_id is not None and seller_id and not data.get("seller_id"):
        # a notify always names the seller
        raise AlipayError("wrong_seller_id", seller_id=None)
    paid = amount_of(data.get("total_amount"))
    if paid != Decimal(expected_amount):
        raise AlipayError("wrong_amount", paid=str(paid),
                          expected=str(expected_amount))
    status = data.get("trade_status")
    if status not in TRADE_STATUSES:
        raise AlipayError("bad_status", status=str(status)[:40])
    return paid


# -- answers of server calls ---------------------------------------------------

def _json_value_end(text, start):
    """Index after the JSON object starting at ``text[start]`` (``{``)."""
    depth = 0
    in_string = False
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    raise AlipayError("bad_response")


def response_content(text, method):
    """The exact text of the ``<method>_response`` (or ``error_response``)
    object in an answer, and the answer's ``sign`` (None if absent).

    >>> response_content('{"a_b_response":{"x":"}"},"sign":"S"}', "a.b")
    ('{"x":"}"}', 'S')
    """
    try:
        document = json.loads(text)
    except ValueError:
        raise AlipayError("bad_response")
    if not isinstance(document, dict):
        raise AlipayError("bad_response")
    for name in (method.replace(".", "_") + "_response", "error_response"):
        if name not in document:
            continue
        match = re.search(r'"%s"\s*:\s*' % re.escape(name), text)
        if not match or text[match.end():match.end() + 1] != "{":
            raise AlipayError("bad_response")
        end = _json_value_end(text, match.end())
        return text[match.end():end], document.get("sign")
    raise AlipayError("bad_response")


def read_response(text, method, public_key):
    """The verified content of a server call's answer (a dict). An answer
    without a signature is believed only when it reports a failure (Alipay
    leaves some gateway errors unsigned); one that reports success must be
    signed by Alipay."""
    content, signature = response_content(text, method)
    data = json.loads(content)
    if not isinstance(data, dict):
        raise AlipayError("bad_response")
    if signature:
        verify_text(content, signature, public_key)
    elif data.get("code") == SUCCESS_CODE:
        raise AlipayError("no_signature")
    return data
