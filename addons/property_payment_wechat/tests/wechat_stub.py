# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local WeChat Pay API v3 server for the tests.

It speaks the published protocol with ``cryptography`` alone, written apart
from the add-on's ``rules/wechatpay.py`` so that the two check each other:

* every request must carry a valid merchant ``Authorization``
  (``WECHATPAY2-SHA256-RSA2048``, timestamp within 5 minutes), else 401
  ``SIGN_ERROR``;
* Native / H5 / JSAPI orders, the query by ``out_trade_no`` and the close
  are answered with signed responses: with the WeChat Pay public key when
  the request names its id in ``Wechatpay-Serial``, else with the platform
  certificate's key;
* ``notify(out_trade_no, ...)`` posts the payment notification to the
  order's ``notify_url``, encrypted under the APIv3 key and signed, with the
  faults the tests need (wrong amount, merchant, app, stale timestamp,
  forged signature, ``WECHATPAY/SIGNTEST/`` probe);
* the H5 cashier a phone's browser is sent to (``h5_url``): its "pay"
  button pays the order, sends the notification as WeChat Pay does and
  takes the payer back to the merchant's ``redirect_url``.
"""
import base64
import datetime
import html
import json
import os
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, parse_qsl, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

SCHEMA = "WECHATPAY2-SHA256-RSA2048"
ORDER_PATH = "/v3/pay/transactions/"
QUERY_PATH = "/v3/pay/transactions/out-trade-no/"
CASHIER_PATH = "/cgi-bin/mmpayweb-bin/checkmweb"
CASHIER_PAY_PATH = "/cgi-bin/mmpayweb-bin/pay"
CASHIER_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>微信支付</title>
<style>body{font-family:sans-serif;margin:0;background:#ededed}
header{background:#07c160;color:#fff;padding:14px;font-size:18px}
main{padding:16px}.amount{font-size:32px;margin:24px 0;text-align:center}
button{width:100%%;padding:14px;font-size:18px;background:#07c160;color:#fff;
border:0;border-radius:6px}</style></head>
<body><header>微信支付 (stub)</header><main>
<p class="description">%(description)s</p>
<p class="amount">¥%(amount)s</p>
<form method="post" action="%(action)s">
<input type="hidden" name="prepay_id" value="%(prepay_id)s"/>
<input type="hidden" name="redirect_url" value="%(redirect_url)s"/>
<button type="submit" class="o_stub_pay">确认支付</button>
</form></main></body></html>"""


def new_rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode("ascii")


def public_pem(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def _sign(key, message):
    return base64.b64encode(key.sign(message, padding.PKCS1v15(),
                                     hashes.SHA256())).decode("ascii")


def _certificate(key, serial):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME,
                                         "Tenpay.com Root CA (stub)")])
    now = datetime.datetime.utcnow()
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(serial)
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .sign(key, hashes.SHA256()))


def _rfc3339(now=None):
    beijing = (now or datetime.datetime.utcnow()) + datetime.timedelta(hours=8)
    return beijing.replace(microsecond=0).isoformat() + "+08:00"


class WechatPayStub:
    """The merchant ``mchid`` / ``appid`` with its API certificate
    ``merchant_serial`` and public key (PEM), and its ``apiv3_key``."""

    def __init__(self, mchid, appid, merchant_serial, merchant_public_pem,
                 apiv3_key):
        self.mchid = mchid
        self.appid = appid
        self.merchant_serial = merchant_serial
        self.merchant_key = serialization.load_pem_public_key(
            merchant_public_pem.encode("ascii"))
        self.apiv3_key = apiv3_key.encode("utf-8")
        # the legacy platform certificate and the newer public key
        self.platform_key = new_rsa_key()
        serial = int.from_bytes(os.urandom(16), "big") >> 1
        self.platform_certificate = _certificate(self.platform_key, serial)
        self.platform_serial = format(serial, "X")
        self.public_key = new_rsa_key()
        self.public_key_id = "PUB_KEY_ID_0119000001092026120100112233445566"
        self.orders = {}
        self.requests = []
        # (out_trade_no, Odoo's answer status) of each notification the
        # cashier sent
        self.notified = []
        # (status, code) answered to the next order, once
        self.fail_next = None
        # answer with a forged signature (the merchant must refuse it)
        self.forge_answers = False
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    # -- what the merchant configures -----------------------------------------

    @property
    def platform_certificate_pem(self):
        return self.platform_certificate.public_bytes(
            serialization.Encoding.PEM).decode("ascii")

    @property
    def public_key_pem(self):
        return public_pem(self.public_key)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self._server.server_port

    # -- life -----------------------------------------------------------------

    def start(self):
        stub = self

        class Handler(_Handler):
            pass
        Handler.stub = stub
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="wechatpay-stub", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- the signing WeChat Pay does ------------------------------------------

    def signed_headers(self, body, key="platform", timestamp=None,
                       signature_prefix="", forge=False):
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = base64.b32encode(os.urandom(20)).decode("ascii")
        message = b"%s\n%s\n%s\n" % (timestamp.encode(), nonce.encode(), body)
        if key == "public":
            private, serial = self.public_key, self.public_key_id
        else:
            private, serial = self.platform_key, self.platform_serial
        if forge:
            # signed by a key nobody configured: verifies against nothing
            private = new_rsa_key()
        return {
            "Wechatpay-Serial": serial,
            "Wechatpay-Timestamp": timestamp,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": signature_prefix + _sign(private, message),
            "Wechatpay-Signature-Type": SCHEMA,
            "Request-ID": base64.b16encode(os.urandom(8)).decode("ascii"),
        }

    def check_authorization(self, method, target, headers, body):
        """The reason a request's signature is refused, or None."""
        header = headers.get("Authorization") or ""
        schema, _sep, rest = header.partition(" ")
        fields = {}
        for part in rest.split(","):
            name, _eq, value = part.strip().partition("=")
            fields[name] = value.strip('"')
        if schema != SCHEMA:
            return "schema"
        if fields.get("mchid") != self.mchid:
            return "mchid"
        if fields.get("serial_no") != self.merchant_serial:
            return "serial_no"
        try:
            if abs(int(fields.get("timestamp")) - time.time()) > 300:
                return "timestamp"
            signature = base64.b64decode(fields.get("signature") or "")
        except (TypeError, ValueError):
            return "format"
        message = b"%s\n%s\n%s\n%s\n%s\n" % (
            method.encode(), target.encode(),
            fields["timestamp"].encode(), fields.get("nonce_str", "").encode(),
            body)
        try:
            self.merchant_key.verify(signature, message, padding.PKCS1v15(),
                                     hashes.SHA256())
        except InvalidSignature:
            return "signature"
        return None

    # -- the API --------------------------------------------------------------

    def handle(self, method, target, headers, body):
        """``(status, data or None)`` for a request."""
        refusal = self.check_authorization(method, target, headers, body)
        with self._lock:
            self.requests.append({"method": method, "target": target,
                                  "refusal": refusal,
                                  "body": json.loads(body.decode("utf-8"))
                                  if body else None})
        if refusal:
            return 401, {"code": "SIGN_ERROR",
                         "message": "签名错误 (%s)" % refusal}
        path, _q, query = target.partition("?")
        if method == "POST" and path.endswith("/close"):
            return 204, None
        if method == "POST" and path.startswith(ORDER_PATH):
            return self._order(path[len(ORDER_PATH):], json.loads(
                body.decode("utf-8")))
        if method == "GET" and path.startswith(QUERY_PATH):
            mchid = parse_qs(query).get("mchid", [""])[0]
            if mchid != self.mchid:
                return 400, {"code": "PARAM_ERROR", "message": "mchid"}
            return self._query(path[len(QUERY_PATH):])
        return 404, {"code": "NOT_FOUND", "message": "no such API"}

    def _order(self, mode, order):
        if mode not in ("native", "h5", "jsapi"):
            return 404, {"code": "NOT_FOUND", "message": mode}
        if self.fail_next:
            (status, code), self.fail_next = self.fail_next, None
            return status, {"code": code, "message": "系统错误"}
        missing = [name for name in ("appid", "mchid", "description",
                                     "out_trade_no", "notify_url", "amount")
                   if not order.get(name)]
        total = (order.get("amount") or {}).get("total")
        if missing or not isinstance(total, int) or total <= 0:
            return 400, {"code": "PARAM_ERROR",
                         "message": "参数错误 %s" % ",".join(missing)}
        if (order["appid"], order["mchid"]) != (self.appid, self.mchid):
            return 400, {"code": "APPID_MCHID_NOT_MATCH",
                         "message": "appid和mch_id不匹配"}
        scene = order.get("scene_info") or {}
        if mode == "h5" and not (scene.get("payer_client_ip")
                                 and (scene.get("h5_info") or {}).get("type")):
            return 400, {"code": "PARAM_ERROR", "message": "scene_info"}
        if mode == "jsapi" and not (order.get("payer") or {}).get("openid"):
            return 400, {"code": "PARAM_ERROR", "message": "openid"}
        with self._lock:
            known = self.orders.get(order["out_trade_no"])
            if known and known["state"] == "SUCCESS":
                return 400, {"code": "ORDERPAID", "message": "该订单已支付"}
            prepay = "wx%s" % base64.b16encode(os.urandom(12)).decode().lower()
            known = known or {"order": order, "mode": mode,
                              "state": "NOTPAY", "prepay_id": prepay}
            self.orders[order["out_trade_no"]] = known
        if mode == "native":
            return 200, {"code_url": "weixin://wxpay/bizpayurl?pr=%s"
                                     % known["prepay_id"][-8:]}
        if mode == "h5":
            return 200, {"h5_url": "%s%s?prepay_id=%s&package=2746219290" % (
                self.url, CASHIER_PATH, known["prepay_id"])}
        return 200, {"prepay_id": known["prepay_id"]}

    def transaction(self, order_no, **changes):
        """The transaction as WeChat Pay tells it (query or notify)."""
        known = self.orders[order_no]
        order = known["order"]
        total = order["amount"]["total"]
        data = {
            "appid": self.appid, "mchid": self.mchid,
            "out_trade_no": order_no,
            "trade_type": known["mode"].upper(),
            "trade_state": known["state"],
            "trade_state_desc": "支付成功" if known["state"] == "SUCCESS"
            else "订单未支付",
            "attach": order.get("attach", ""),
            "amount": {"total": total, "payer_total": total,
                       "currency": "CNY", "payer_currency": "CNY"},
        }
        if known["state"] == "SUCCESS":
            data.update({
                "transaction_id": known["transaction_id"],
                "bank_type": "OTHERS", "success_time": known["success_time"],
                "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            })
        if "total" in changes:
            data["amount"]["total"] = data["amount"]["payer_total"] = \
                changes.pop("total")
        data.update(changes)
        return data

    def _query(self, out_trade_no):
        with self._lock:
            if out_trade_no not in self.orders:
                return 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}
            return 200, self.transaction(out_trade_no)

    # -- the payer pays -------------------------------------------------------

    def pay(self, out_trade_no):
        """The payer pays the order (nothing is sent: see ``notify``)."""
        with self._lock:
            known = self.orders[out_trade_no]
            if known["state"] != "SUCCESS":
                known.update({
                    "state": "SUCCESS", "success_time": _rfc3339(),
                    "transaction_id": "42000%s" % "".join(
                        str(b % 10) for b in os.urandom(23))})
        return known["transaction_id"]

    def notify_request(self, order_no, key="platform", timestamp=None,
                       signature_prefix="", forge=False, apiv3_key=None,
                       **changes):
        """``(url, headers, body)`` of the payment notification of
        ``order_no`` (paid first if not yet), with ``changes`` to the
        transaction (``total``, ``mchid``, ``appid``, ``out_trade_no``...)."""
        self.pay(order_no)
        with self._lock:
            url = self.orders[order_no]["order"]["notify_url"]
            resource = self.transaction(order_no, **changes)
        nonce = base64.b32encode(os.urandom(10)).decode("ascii")[:12]
        ciphertext = AESGCM(apiv3_key or self.apiv3_key).encrypt(
            nonce.encode(), json.dumps(resource).encode("utf-8"),
            b"transaction")
        event = {
            "id": "EV-2018022511223320873",
            "create_time": _rfc3339(),
            "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS",
            "summary": "支付成功",
            "resource": {
                "original_type": "transaction",
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
                "associated_data": "transaction",
                "nonce": nonce,
            },
        }
        body = json.dumps(event, ensure_ascii=False).encode("utf-8")
        headers = self.signed_headers(body, key=key, timestamp=timestamp,
                                      signature_prefix=signature_prefix,
                                      forge=forge)
        headers["Content-Type"] = "application/json"
        return url, headers, body

    @staticmethod
    def send(url, headers, body):
        """POST a notification; ``(status, body bytes)`` of the answer."""
        request = urllib.request.Request(url, data=body, headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def notify(self, order_no, **kwargs):
        """Send the notification of the order ``order_no`` (see
        ``notify_request``); ``(status, body bytes)`` of Odoo's answer."""
        return self.send(*self.notify_request(order_no, **kwargs))

    # -- the H5 cashier in the payer's browser ---------------------------------

    def _order_of_prepay(self, prepay_id):
        with self._lock:
            for order_no, known in self.orders.items():
                if known["prepay_id"] == prepay_id:
                    return order_no, known
        return None, None

    def cashier(self, method, target, body):
        """``(status, headers, html bytes)`` of the payer's H5 pages: the
        order (GET) and its "pay" button (POST), which pays, notifies the
        merchant and sends the payer back to ``redirect_url``."""
        split = urlsplit(target)
        params = dict(parse_qsl(split.query))
        if method == "POST":
            params.update(parse_qsl(body.decode("utf-8")))
        order_no, known = self._order_of_prepay(params.get("prepay_id"))
        if known is None:
            return 404, {}, "<html>订单不存在</html>".encode("utf-8")
        if method == "GET" and split.path == CASHIER_PATH:
            order = known["order"]
            page = CASHIER_PAGE % {
                "description": html.escape(order["description"]),
                "amount": "%d.%02d" % divmod(order["amount"]["total"], 100),
                "action": CASHIER_PAY_PATH,
                "prepay_id": html.escape(known["prepay_id"]),
                "redirect_url": html.escape(params.get("redirect_url", "")),
            }
            return 200, {}, page.encode("utf-8")
        if method == "POST" and split.path == CASHIER_PAY_PATH:
            status, _answer = self.notify(order_no)
            with self._lock:
                self.notified.append((order_no, status))
            return 303, {"Location": params.get("redirect_url") or "/"}, b""
        return 404, {}, b""


class _Handler(BaseHTTPRequestHandler):
    stub = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet in the tests' output
        pass

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/cgi-bin/"):
            return self._serve_cashier(body)
        status, data = self.stub.handle(self.command, self.path,
                                        self.headers, body)
        payload = (json.dumps(data, ensure_ascii=False).encode("utf-8")
                   if data is not None else b"")
        key = ("public" if self.headers.get("Wechatpay-Serial")
               == self.stub.public_key_id else "platform")
        headers = self.stub.signed_headers(payload, key=key,
                                           forge=self.stub.forge_answers)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _serve_cashier(self, body):
        status, headers, page = self.stub.cashier(self.command, self.path,
                                                  body)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    do_GET = _serve
    do_POST = _serve
