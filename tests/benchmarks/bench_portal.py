"""Benchmark of the owner portal under load: owners browsing, and a burst of
WeChat Pay notifies, against Odoo in --workers mode on loopback.

1. Builds (once; later runs reuse it) a database of ``--units`` units with a
   posted billing run (``bench_billing_run``), and portal users for
   ``--owners`` of the payers.
2. Serves it with ``odoo-bin --workers`` on a free local port.
3. ``--owners`` concurrent owners (threads with their own session) log in,
   then each browses ``/my/home``, ``/my/bills`` and one of their bills
   ``--rounds`` times, reading each page for ``--think`` seconds on average
   (0.5 to 1.5 times it: people read a page before the next tap); prints
   requests per second and p50/p95 per page. ``--think 0`` hammers the
   server instead (its capacity).
4. ``--notifies`` transactions are created on a WeChat Pay acquirer whose
   keys this script generates; their signed, encrypted notifies are posted
   at once from ``--notify-threads`` threads, each one twice (a replay); prints
   p50/p95, waits for the queued settlements (the job runner of the same
   server) and prints how long they took, and checks that every transaction
   has exactly one receipt.

It prints figures and asserts nothing. Targets (issue 11): p95 under 300 ms
for pages, under 100 ms for notifies, zero double payments.

    .venv/bin/python tests/benchmarks/bench_portal.py -d pportal --units 10000
"""
import base64
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from benchmark_harness import ROOT, ensure_bench_database, open_registry, parser

MODULES = ["property_billing", "property_complaint", "property_payment",
           "property_dunning", "property_portal", "property_payment_wechat"]
PASSWORD = "bench-owner"
MCHID = "1900000109"
APPID = "wxbench000000001"
APIV3_KEY = "benchbenchbenchbenchbenchbench32"
PUBLIC_KEY_ID = "PUB_KEY_ID_0000000000000000BENCH"


def main(argv):
    options = parser(__doc__)
    options.add_argument("--owners", type=int, default=20)
    options.add_argument("--rounds", type=int, default=10)
    options.add_argument("--notifies", type=int, default=200)
    options.add_argument("--workers", type=int, default=2)
    options.add_argument("--think", type=float, default=2.0)
    options.add_argument("--notify-threads", type=int, default=5)
    options.add_argument("--prepare-only", action="store_true",
                         help="build the database and stop (no load)")
    options.add_argument("--settle-timeout", type=float, default=600,
                         help="seconds to wait for the queued settlements")
    args = options.parse_args(argv)
    ensure_bench_database(args.database, MODULES, args.config)

    from odoo import api
    with api.Environment.manage():
        registry = open_registry(args)
        owners, platform_key = prepare(registry, args)
        if args.prepare_only:
            return
        port = free_port()
        server = serve(args, port)
        try:
            base = "http://127.0.0.1:%d" % port
            wait_for(base)
            browse(base, owners, args.rounds, args.think)
            burst(base, registry, args, platform_key)
        finally:
            server.terminate()
            server.wait(30)


def prepare(registry, args):
    """The register, the owners' logins and the WeChat Pay acquirer; returns
    ``[(login, bill id)]`` and the platform's private key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if not env["account.invoice"].search_count(
                [("property_billing_run_id", "!=", False)]):
            t0 = time.time()
            build(env, args)
            cr.commit()
            print("register of %d units built and billed in %.0f s"
                  % (args.units, time.time() - t0))
        # the first bills, whatever their state (a later run finds the same
        # owners); the notifies pay the last ones
        bills = env["account.invoice"].search(
            [("property_billing_run_id", "!=", False)], order="id",
            limit=args.owners)
        owners = []
        group = env.ref("base.group_portal")
        Users = env["res.users"].with_context(no_reset_password=True)
        for index, bill in enumerate(bills[:args.owners]):
            login = "bench-owner-%03d" % index
            user = Users.search([("login", "=", login)])
            if not user:
                user = Users.create({
                    "login": login, "password": PASSWORD, "lang": "zh_CN",
                    "partner_id": bill.commercial_partner_id.id,
                    "groups_id": [(6, 0, [group.id])]})
            owners.append((login, bill.id))
        merchant = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        platform = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        acquirer = env.ref("property_payment_wechat.payment_acquirer_wechatpay")
        acquirer.write({
            "website_published": True, "environment": "prod",
            "wechatpay_mchid": MCHID, "wechatpay_appid": APPID,
            "wechatpay_serial_no": "BENCHSERIAL",
            "wechatpay_private_key": pem(merchant),
            "wechatpay_apiv3_key": APIV3_KEY,
            "wechatpay_public_key": platform.public_key().public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
            "wechatpay_public_key_id": PUBLIC_KEY_ID,
        })
        cr.commit()
    return owners, platform


def pem(key):
    from cryptography.hazmat.primitives import serialization
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()


def build(env, args):
    from bench_billing_run import _new_run

    from odoo import api
    from odoo.addons.property_billing.models import property_billing_run as module

    env = api.Environment(env.cr, env.uid, dict(module.FAST_CONTEXT))
    run = _new_run(env, args.units, args.seed)
    unit_ids = run._scope_units().ids
    run.write({"state": "generating", "unit_count": len(unit_ids)})
    for start in range(0, len(unit_ids), module.CHUNK_SIZE):
        run._generate_chunk(unit_ids[start:start + module.CHUNK_SIZE])
        env.cr.commit()
        env.clear()
    invoice_ids = run.invoice_ids.ids
    for start in range(0, len(invoice_ids), module.POST_CHUNK_SIZE):
        run._post_chunk(invoice_ids[start:start + module.POST_CHUNK_SIZE])
        env.cr.commit()
        env.clear()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(args, port):
    python = os.path.join(ROOT, ".venv", "bin", "python")
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([
        os.path.join(ROOT, ".local", "node", "node_modules", ".bin"),
        os.path.dirname(python), env.get("PATH", "")])
    return subprocess.Popen(
        [python, os.path.join(ROOT, "scripts", "odoo-bin"), "-c", args.config,
         "-d", args.database, "--db-filter=^%s$" % re.escape(args.database),
         "--workers=%d" % args.workers, "--max-cron-threads=0",
         "--http-interface=127.0.0.1", "--http-port=%d" % port,
         "--longpolling-port=%d" % free_port(), "--log-level=warn"], env=env)


def wait_for(base, timeout=120):
    import requests
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(base + "/web/login", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError("Odoo did not answer on %s" % base)


def login(base, user):
    import requests
    session = requests.Session()
    page = session.get(base + "/web/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(base + "/web/login", data={
        "login": user, "password": PASSWORD, "csrf_token": token})
    return session


def summary(label, times, elapsed=None, errors=0):
    times = sorted(times)
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)] if times else 0
    line = "%-22s %5d requests, p50 %4.0f ms, p95 %4.0f ms, max %4.0f ms" % (
        label, len(times), statistics.median(times) if times else 0, p95,
        times[-1] if times else 0)
    if elapsed:
        line += ", %.1f requests/s" % (len(times) / elapsed)
    if errors:
        line += ", %d errors" % errors
    print(line)
    sys.stdout.flush()


def browse(base, owners, rounds, think):
    sessions = [(login(base, user), bill) for user, bill in owners]
    pages = {"home": [], "bills": [], "bill": []}
    errors = []
    lock = threading.Lock()

    def owner(session, bill):
        # owners arrive one after another, not all in the same instant
        time.sleep(random.uniform(0, think))
        for _round in range(rounds):
            for name, url in (("home", "/my/home"), ("bills", "/my/bills"),
                              ("bill", "/my/bills/%d" % bill)):
                t0 = time.time()
                response = session.get(base + url)
                elapsed = 1000.0 * (time.time() - t0)
                with lock:
                    pages[name].append(elapsed)
                    if response.status_code != 200:
                        errors.append((url, response.status_code))
                if think:
                    time.sleep(think * random.uniform(0.5, 1.5))

    t0 = time.time()
    with ThreadPoolExecutor(len(sessions)) as pool:
        for future in [pool.submit(owner, *pair) for pair in sessions]:
            future.result()
    elapsed = time.time() - t0
    print("%d owners browsing at once, %d rounds each, %.1f s on a page:"
          % (len(sessions), rounds, think))
    for name, times in pages.items():
        summary("  /my/%s" % name, times)
    summary("  all pages", sum(pages.values(), []), elapsed, len(errors))


def burst(base, registry, args, platform_key):
    import requests

    from odoo import SUPERUSER_ID, api
    from odoo.addons.property_payment_wechat.rules import wechatpay
    from odoo.addons.property_portal.rules import gateway

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        acquirer = env.ref("property_payment_wechat.payment_acquirer_wechatpay")
        bills = env["account.invoice"].search(
            [("property_billing_run_id", "!=", False), ("state", "=", "open")],
            order="id desc", limit=args.notifies)
        orders = []
        for bill in bills:
            tx = env["payment.transaction"]._property_create(
                bill.commercial_partner_id, acquirer, "%.2f" % bill.residual,
                bill, gateway.MOBILE)
            orders.append((tx.id, gateway.out_trade_no(tx.reference),
                           gateway.to_fen(tx.amount)))
        cr.commit()

    def notify(order):
        _tx_id, out_trade_no, fen = order
        resource = json.dumps({
            "mchid": MCHID, "appid": APPID, "out_trade_no": out_trade_no,
            "transaction_id": "42000%s" % uuid.uuid4().hex[:23],
            "trade_type": "MWEB", "trade_state": "SUCCESS",
            "trade_state_desc": "支付成功", "bank_type": "OTHERS",
            "success_time": time.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
            "payer": {"openid": "bench"},
            "amount": {"total": fen, "payer_total": fen, "currency": "CNY",
                       "payer_currency": "CNY"}}).encode()
        nonce = uuid.uuid4().hex[:12]
        body = json.dumps({
            "id": str(uuid.uuid4()), "create_time": time.strftime(
                "%Y-%m-%dT%H:%M:%S+08:00"),
            "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
            "resource": {
                "original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                "associated_data": "transaction", "nonce": nonce,
                "ciphertext": wechatpay.encrypt(APIV3_KEY, nonce, resource,
                                                "transaction")}}).encode()
        times = []
        for _copy in range(2):  # the notify and its replay
            headers = wechatpay.signed_headers(
                platform_key, PUBLIC_KEY_ID, body, int(time.time()),
                base64.b16encode(os.urandom(8)).decode())
            headers["Content-Type"] = "application/json"
            t0 = time.time()
            response = requests.post(base + "/payment/wechatpay/notify",
                                     data=body, headers=headers)
            times.append((1000.0 * (time.time() - t0), response.status_code))
        return times

    t0 = time.time()
    with ThreadPoolExecutor(args.notify_threads) as pool:
        results = list(pool.map(notify, orders))
    elapsed = time.time() - t0
    times = [ms for pair in results for ms, _status in pair]
    refused = sum(1 for pair in results for _ms, status in pair
                  if status not in (200, 204))
    print("burst of %d WeChat Pay notifies, each sent twice, from %d threads:"
          % (len(orders), args.notify_threads))
    summary("  notify", times, elapsed, refused)
    ids = tuple(order[0] for order in orders)
    receipted, done = settle_wait(registry, ids, t0, args.settle_timeout)
    with registry.cursor() as cr:
        cr.execute("""
            SELECT count(*), count(*) - count(DISTINCT reference)
              FROM property_receipt
             WHERE reference IN (SELECT reference FROM payment_transaction
                                  WHERE id IN %s)""", [ids])
        written, doubles = cr.fetchone()
    print("  transactions paid: %d of %d, %d with their receipt; receipts "
          "written for them: %d; double payments: %d" % (
              done, len(orders), receipted, written, doubles))


def settle_wait(registry, ids, t0, timeout):
    """Wait for the queued settlements of the transactions ``ids`` (the
    notify answers first, the job runner settles after); print how long the
    receipts took. ``(receipted, confirmed)``."""
    deadline = time.time() + timeout
    while True:
        with registry.cursor() as cr:
            cr.execute("""
                SELECT count(*) FILTER (WHERE property_receipt_id IS NOT NULL),
                       count(*) FILTER (WHERE t.state = 'done'),
                       max(r.create_date) FILTER (WHERE r.id IS NOT NULL)
                  FROM payment_transaction t
                  LEFT JOIN property_receipt r ON r.id = t.property_receipt_id
                 WHERE t.id IN %s""", [ids])
            receipted, done, last = cr.fetchone()
        if receipted >= done or time.time() > deadline:
            break
        time.sleep(0.5)
    if last:
        # create_date is the server's UTC now() of the settling transaction
        with registry.cursor() as cr:
            cr.execute("SELECT extract(epoch FROM %s::timestamp AT TIME ZONE "
                       "'UTC')", [last])
            last_epoch = float(cr.fetchone()[0])
        span = last_epoch - t0
        print("  settlements (queued, one at a time): %d receipts, the last "
              "%.1f s after the burst began (%.1f settlements/s)" % (
                  receipted, span, receipted / span if span > 0 else 0))
    return receipted, done


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main(sys.argv[1:]))
