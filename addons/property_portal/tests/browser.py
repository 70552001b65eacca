# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run the browser driver (``tests/browser/drive.py``, Playwright on the system
Python with Debian's chromium) against the Odoo an HttpCase serves, and
return what it saw. A missing driver fails the test: it is never skipped."""
import json
import os
import shutil
import subprocess
import tempfile
from unittest.mock import patch

import odoo.tests.common
from odoo import SUPERUSER_ID, api
from odoo.addons.base.ir import ir_actions_report
from odoo.tools import config

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
DRIVER = os.path.join(ROOT, "tests", "browser", "drive.py")
TIMEOUT = 300


def run_browser(steps, name):
    """Play ``steps`` (see drive.py) in a 360×740 headless Chromium against
    this test's server; screenshots go to ``$PROPERTY_ARTIFACTS/<name>/``.
    Returns the list of step results; raises AssertionError if a step
    failed."""
    python = os.environ.get("PROPERTY_BROWSER_PYTHON") or os.path.join(
        ROOT, ".venv-browser", "bin", "python")
    if not os.path.exists(python):
        raise AssertionError(
            "The browser driver's Python (%s) is missing: run the tests through "
            "'make test' (scripts/suite.sh), which builds it." % python)
    out = os.path.join(os.environ.get("PROPERTY_ARTIFACTS") or os.path.join(
        ROOT, "test-artifacts"), name)
    base = "http://127.0.0.1:%d" % odoo.tests.common.PORT
    done = subprocess.run(
        [python, DRIVER, "--base", base, "--out", out],
        input=json.dumps(steps).encode(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise AssertionError("the browser driver failed: %s"
                             % done.stderr.decode(errors="replace")[-3000:])
    result = json.loads(done.stdout.decode())
    if result["error"]:
        raise AssertionError("in the browser, %s (screenshot: %s/error.png)"
                             % (result["error"], out))
    return result["steps"]


class _NoTestCursor:
    """A class no cursor is an instance of."""


def print_real_pdfs(case):
    """Let the pages ``case`` serves print real PDFs through wkhtmltopdf
    until the test ends. Odoo 11 gives HTML instead while its tests run,
    and always on the registry's test cursor that HttpCase serves from:
    wkhtmltopdf would ask this server for the report's styles, and that
    request would wait forever for the cursor the printing request holds.

    So wkhtmltopdf is sent to a closed loopback port for the styles, and
    Odoo's two test-mode switches are turned off. The PDF is unstyled, its
    text the same."""
    directory = tempfile.mkdtemp(prefix="property_browser_pdf_")
    case.addCleanup(shutil.rmtree, directory, True)
    for patcher in (
            patch.dict(config.options, {"test_report_directory": directory}),
            # the module's name for the test cursor, in its isinstance check
            patch.object(ir_actions_report, "TestCursor", _NoTestCursor)):
        patcher.start()
        case.addCleanup(patcher.stop)
    with case.registry.cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"].set_param(
            "report.url", "http://127.0.0.1:9")


def pay_online(case, login, password, bill_id, acquirer_id, name):
    """An owner pays the bill ``bill_id`` with the gateway ``acquirer_id``
    in the browser: logs in, opens the bill and the pay page, chooses the
    gateway, pays at the stub's cashier (its ``button.o_stub_pay``), comes
    back to the payment and downloads the receipt. Checks that the portal's
    pages fit the phone; returns the step results ``(bill, pay, cashier,
    paid, receipt)`` (screenshots under ``<name>/``)."""
    steps = run_browser([
        {"do": "login", "login": login, "password": password},
        {"do": "visit", "url": "/my/bills/%d" % bill_id, "shot": "01-bill"},
        {"do": "visit", "url": "/my/pay?bills=%d" % bill_id, "shot": "02-pay"},
        {"do": "check",
         "selector": "input[name=method][value='%d']" % acquirer_id},
        {"do": "click", "selector": ".o_property_pay_form button[type=submit]",
         "shot": "03-cashier"},
        {"do": "click", "selector": "button.o_stub_pay", "shot": "04-paid"},
        {"do": "download", "selector": "a[href$='/pdf']"},
    ], name)
    _login, bill, pay, _check, cashier, paid, receipt = steps
    for page in (bill, pay, paid):
        case.assertFalse(page["sideways"], "%s is %d px wide" % (
            page["url"], page["scroll_width"]))
    return bill, pay, cashier, paid, receipt
