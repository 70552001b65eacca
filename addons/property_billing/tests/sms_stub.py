# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A local SMS gateway speaking the ``http_json`` protocol, for the tests.

Started on 127.0.0.1 with a free port in a daemon thread::

    with SmsStub(api_key="secret") as stub:
        gateway.url = stub.url
        ...
        stub.messages      # [{'to': ..., 'text': ..., 'sign': ..., 'api_key': ...}]
        stub.fail_next(2)  # the next two requests answer HTTP 500
        stub.redirect_next("http://elsewhere/")  # the next one answers 302
        stub.error_text = "..."  # the error the failures answer with

Protocol: ``POST /sms`` with a JSON body ``{"to", "text", "sign"}`` and the
key in the ``X-Api-Key`` header. Answers ``200 {"ok": true, "id": "..."}``;
``401 {"ok": false, "error": "bad api key"}`` for a wrong key;
``400`` for a body that is not such JSON; ``500 {"ok": false, "error":
"stub failure"}`` while told to fail; ``302`` to a given location while told
to redirect.

Gateways refuse plain http and loopback addresses unless a system
administrator allows the host: ``allow_stub_host(env)`` does it for the stub.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


STUB_HOST = "127.0.0.1"


def allow_stub_host(env):
    """Let SMS gateways call the stub (plain http on the loopback)."""
    env["ir.config_parameter"].sudo().set_param(
        "property_billing.sms_gateway_insecure_hosts", STUB_HOST)


class SmsStub(object):
    def __init__(self, api_key="stub-key", header="X-Api-Key"):
        self.api_key = api_key
        self.header = header
        self.messages = []
        self.requests = 0
        self._fail = 0
        self._redirect = None
        self.error_text = "stub failure"
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    # -- control ---------------------------------------------------------------

    def fail_next(self, count=1):
        """Answer the next ``count`` requests with HTTP 500."""
        with self._lock:
            self._fail = count

    def redirect_next(self, location, status=302):
        """Answer the next request with a redirect to ``location``."""
        with self._lock:
            self._redirect = (status, location)

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return "http://%s:%d/sms" % (host, port)

    def start(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _answer(self, status, payload):
                body = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                redirect = stub._take_redirect()
                if redirect:
                    self.send_response(redirect[0])
                    self.send_header("Location", redirect[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, payload = stub._handle(
                    self.path, self.headers.get(stub.header), raw)
                self._answer(status, payload)

        self._server = _Server((STUB_HOST, 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="sms-stub", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- behaviour ---------------------------------------------------------------

    def _take_redirect(self):
        with self._lock:
            redirect, self._redirect = self._redirect, None
            if redirect:
                self.requests += 1
            return redirect

    def _handle(self, path, api_key, raw):
        with self._lock:
            self.requests += 1
            if self._fail > 0:
                self._fail -= 1
                return 500, {"ok": False, "error": self.error_text}
            if self.api_key and api_key != self.api_key:
                return 401, {"ok": False, "error": "bad api key"}
            try:
                data = json.loads(raw.decode("utf-8"))
            except ValueError:
                return 400, {"ok": False, "error": "body is not JSON"}
            if not isinstance(data, dict) or not data.get("to") \
                    or not data.get("text"):
                return 400, {"ok": False, "error": "to and text are required"}
            message = {"to": data["to"], "text": data["text"],
                       "sign": data.get("sign"), "api_key": api_key,
                       "path": path}
            self.messages.append(message)
            return 200, {"ok": True, "id": "stub-%d" % len(self.messages)}

    def reset(self):
        """Forget the messages and requests seen, answer normally again."""
        with self._lock:
            self.messages.clear()
            self.requests = 0
            self._fail = 0
            self._redirect = None
            self.error_text = "stub failure"


class SmsStubMixin(object):
    """For a test case: ``cls.stub``, a stub the SMS gateways may call
    (``allow_stub_host``), started for the class, reset before each test
    and stopped after the class. Put it before the case class in the bases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stub = SmsStub(api_key="stub-key").start()
        allow_stub_host(cls.env)

    @classmethod
    def tearDownClass(cls):
        cls.stub.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.stub.reset()
