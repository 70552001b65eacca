# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local Alipay gateway for the tests, written from the published protocol
(not from the add-on's code, so that a mistake there is not mirrored here).

``AlipayStub`` serves ``/gateway.do`` on 127.0.0.1 (a free port) in a
thread, with its own "Alipay" key pair, and knows the merchant's public key:

- GET page.pay / wap.pay: verifies the merchant's signature, records the
  order and answers a cashier page (or Alipay's error page);
- POST trade.query: verifies the signature and answers signed JSON;
- ``notify(out_trade_no, kind)``: POSTs the async notify to the order's
  ``notify_url`` as Alipay would (or broken as a test asks) and returns
  Odoo's answer;
- the cashier page's "pay" button (POST ``/cashier/pay``), for a real
  browser: pays the order, sends the notify and takes the payer back to
  the order's ``return_url`` with the signed synchronous return.
"""
import base64
import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

APP_ID = "2021000000000001"
SELLER_ID = "2088000000000001"
PAY_PATH = "/cashier/pay"
CASHIER_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>支付宝收银台</title>
<style>body{font-family:sans-serif;margin:0;background:#f5f5f5}
header{background:#1677ff;color:#fff;padding:14px;font-size:18px}
main{padding:16px}.amount{font-size:32px;margin:24px 0;text-align:center}
button{width:100%%;padding:14px;font-size:18px;background:#1677ff;color:#fff;
border:0;border-radius:6px}</style></head>
<body><header>支付宝收银台 (stub)</header><main>
<p class="subject">%(subject)s</p>
<p class="amount">¥%(amount)s</p>
<form method="post" action="%(action)s">
<input type="hidden" name="out_trade_no" value="%(out_trade_no)s"/>
<button type="submit" class="o_stub_pay">确认付款</button>
</form></main></body></html>"""


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode("ascii")


def public_pem(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def _string(params, drop):
    return "&".join("%s=%s" % (k, v) for k, v in sorted(params.items())
                    if k not in drop and v != "")


def _sign(key, text):
    return base64.b64encode(key.sign(text.encode("utf-8"), padding.PKCS1v15(),
                                     hashes.SHA256())).decode("ascii")


def _verified(public_key, params):
    try:
        public_key.verify(base64.b64decode(params.get("sign", "")),
                          _string(params, ("sign",)).encode("utf-8"),
                          padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


class AlipayStub:

    def __init__(self, merchant_public_pem, app_id=APP_ID, seller_id=SELLER_ID):
        self.key = new_key()
        self.public_pem = public_pem(self.key)
        self.merchant_key = serialization.load_pem_public_key(
            merchant_public_pem.encode("ascii"))
        self.app_id = app_id
        self.seller_id = seller_id
        self.orders = {}        # out_trade_no -> dict
        self.requests = []      # (method, verified)
        self.notified = []      # (out_trade_no, Odoo's answer) of the cashier
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                query = urlsplit(self.path).query
                stub._answer(self, dict(parse_qsl(query, keep_blank_values=True)))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("ascii")
                params = dict(parse_qsl(urlsplit(self.path).query))
                params.update(parse_qsl(body, keep_blank_values=True))
                if urlsplit(self.path).path == PAY_PATH:
                    return stub._cashier_pay(self, params)
                stub._answer(self, params)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/gateway.do" % self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       name="alipay_stub", daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # -- the gateway -----------------------------------------------------------

    def _answer(self, handler, params):
        method = params.get("method", "")
        verified = (params.get("app_id") == self.app_id
                    and params.get("sign_type") == "RSA2"
                    and _verified(self.merchant_key, params))
        with self.lock:
            self.requests.append((method, verified))
        if method in ("alipay.trade.page.pay", "alipay.trade.wap.pay"):
            if not verified:
                return self._send(handler, 200, "text/html; charset=utf-8",
                                  "<html>错误代码 invalid-signature 验签出错</html>")
            biz = json.loads(params["biz_content"])
            with self.lock:
                self.orders[biz["out_trade_no"]] = dict(
                    biz, method=method, status="WAIT_BUYER_PAY",
                    notify_url=params.get("notify_url"),
                    return_url=params.get("return_url"),
                    trade_no="2026%016d" % (len(self.orders) + 1))
            return self._send(handler, 200, "text/html; charset=utf-8",
                              CASHIER_PAGE % {
                                  "subject": html.escape(biz["subject"]),
                                  "amount": html.escape(biz["total_amount"]),
                                  "action": PAY_PATH,
                                  "out_trade_no": html.escape(
                                      biz["out_trade_no"])})
        if method == "alipay.trade.query":
            name = "alipay_trade_query_response"
            if not verified:
                content = {"code": "40002", "msg": "Invalid Arguments",
                           "sub_code": "isv.invalid-signature"}
            else:
                biz = json.loads(params.get("biz_content") or "{}")
                order = self.orders.get(biz.get("out_trade_no"))
                if order is None:
                    content = {"code": "40004", "msg": "Business Failed",
                               "sub_code": "ACQ.TRADE_NOT_EXIST"}
                else:
                    content = {"code": "10000", "msg": "Success",
                               "trade_no": order["trade_no"],
                               "out_trade_no": biz["out_trade_no"],
                               "buyer_logon_id": "159****5620",
                               "trade_status": order["status"],
                               "total_amount": order["total_amount"]}
            # Alipay's own spacing: the sign is over this exact text
            text = json.dumps(content, ensure_ascii=False, indent=1)
            body = '{"%s":%s,"sign":"%s"}' % (name, text, _sign(self.key, text))
            return self._send(handler, 200, "text/html;charset=utf-8", body)
        return self._send(handler, 400, "text/plain", "unknown method")

    @staticmethod
    def _send(handler, status, content_type, text):
        data = text.encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _cashier_pay(self, handler, params):
        """The payer's "pay" button: notify, then the synchronous return."""
        out_trade_no = params.get("out_trade_no")
        order = self.orders.get(out_trade_no)
        if order is None:
            return self._send(handler, 404, "text/html; charset=utf-8",
                              "<html>交易不存在</html>")
        self.pay(out_trade_no)
        answer = self.notify(out_trade_no)
        with self.lock:
            self.notified.append((out_trade_no, answer))
        back = {
            "charset": "utf-8", "out_trade_no": out_trade_no,
            "method": order["method"] + ".return",
            "total_amount": order["total_amount"], "trade_no": order["trade_no"],
            "auth_app_id": self.app_id, "app_id": self.app_id,
            "version": "1.0", "seller_id": self.seller_id,
            "timestamp": "2026-12-01 20:00:01", "sign_type": "RSA2",
        }
        back["sign"] = _sign(self.key, _string(back, ("sign", "sign_type")))
        url = order["return_url"] or "/"
        handler.send_response(303)
        handler.send_header("Location", "%s%s%s" % (
            url, "&" if "?" in url else "?", urlencode(back)))
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return None

    # -- what the payer and Alipay do ------------------------------------------

    def pay(self, out_trade_no, status="TRADE_SUCCESS"):
        """The payer paid (the order's state as the query reports it)."""
        self.orders[out_trade_no]["status"] = status

    def notify_params(self, out_trade_no, kind="ok", status="TRADE_SUCCESS"):
        """The notify's params, signed by "Alipay": ``kind`` breaks it
        (bad_signature, wrong_amount, wrong_app_id, wrong_seller_id)."""
        order = self.orders[out_trade_no]
        params = {
            "notify_time": "2026-12-01 20:00:00",
            "notify_type": "trade_status_sync",
            "notify_id": "ac05099524730693a8b330c5ecf72da%s" % out_trade_no[-4:],
            "app_id": self.app_id, "charset": "utf-8", "version": "1.0",
            "sign_type": "RSA2", "trade_no": order["trade_no"],
            "out_trade_no": out_trade_no, "buyer_id": "2088102177846880",
            "seller_id": self.seller_id, "trade_status": status,
            "total_amount": order["total_amount"],
            "receipt_amount": order["total_amount"],
            "buyer_pay_amount": order["total_amount"],
            "subject": order["subject"],
            "gmt_create": "2026-12-01 19:59:50",
            "gmt_payment": "2026-12-01 20:00:00",
        }
        if kind == "wrong_amount":
            params["total_amount"] = "0.01"
        elif kind == "wrong_app_id":
            params["app_id"] = "2021009999999999"
        elif kind == "wrong_seller_id":
            params["seller_id"] = "2088009999999999"
        key = new_key() if kind == "bad_signature" else self.key
        params["sign"] = _sign(key, _string(params, ("sign", "sign_type")))
        return params

    def notify(self, out_trade_no, kind="ok", status="TRADE_SUCCESS",
               params=None):
        """POST the notify to the order's notify_url; Odoo's answer text."""
        if params is None:
            params = self.notify_params(out_trade_no, kind, status)
        url = self.orders[out_trade_no]["notify_url"]
        response = requests.post(
            url, data=urlencode(params).encode("ascii"), timeout=60,
            headers={"Content-Type":
                     "application/x-www-form-urlencoded; charset=utf-8"})
        return response.text
