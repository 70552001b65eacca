# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run the browser driver (``tests/browser/drive.py``, Playwright on the system
Python with Debian's chromium) against the Odoo an HttpCase serves, and
return what it saw. A missing driver fails the test: it is never skipped."""
import json
import os
import subprocess

import odoo.tests.common

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
