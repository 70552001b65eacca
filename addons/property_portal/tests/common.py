# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading

import odoo.tests.common
from odoo import SUPERUSER_ID, api
from odoo.service import server as odoo_server
from odoo.service.wsgi_server import application
from odoo.tests.common import HttpCase

from odoo.addons.property_billing.tests.common import NO_MAIL_CONTEXT
from odoo.addons.queue_job.job import Job

from ..models.payment_transaction import SETTLE_CHANNEL

_HTTPD = []


def _ensure_http_server():
    """Serve Odoo on a free local port for HttpCase.url_open.

    pytest-odoo starts Odoo without its HTTP thread, and the configured port
    may be taken by a running server or another test process: bind port 0
    (the kernel picks a free one) and point HttpCase at it.
    """
    if not _HTTPD:
        httpd = odoo_server.ThreadedWSGIServerReloadable(
            "127.0.0.1", 0, application)
        thread = threading.Thread(target=httpd.serve_forever,
                                  name="property_portal.tests.httpd")
        thread.daemon = True
        thread.start()
        _HTTPD.append(httpd)
    odoo.tests.common.PORT = _HTTPD[0].server_port


def run_settlements(env):
    """Run the queued settlements of online payments, as the job runner
    would a moment after the notify; how many ran. (The precisions are
    warmed first: see ``warm_precisions``.)"""
    warm_precisions(env)
    records = env["queue.job"].search([
        ("channel", "=", SETTLE_CHANNEL), ("state", "=", "pending")],
        order="id")
    for record in records:
        job = Job.load(env, record.uuid)
        job.perform()
        job.set_done()
        job.store()
    return len(records)


def warm_precisions(env):
    """Load the decimal precisions into their cache. A cold lookup reads
    through a LazyCursor, which in test mode is the test cursor itself: its
    close rolls the test's work back to the last commit and drops the
    savepoints in use (a request's). In production it is a cursor of its own.
    """
    Precision = env["decimal.precision"]
    for name in Precision.search([]).mapped("name"):
        Precision.precision_get(name)


class PortalHttpCase(HttpCase):
    """HttpCase served on a free port, with data built in the test cursor
    by ``_create_data(env)`` and the portal owner's login."""

    def setUp(self):
        super().setUp()
        _ensure_http_server()
        # Odoo 11's HttpCase serves the requests from the registry's test
        # cursor, not from self.cr: build the data in that transaction (it is
        # rolled back when the test leaves test mode).
        with self.registry.cursor() as cr:
            self._create_data(api.Environment(cr, SUPERUSER_ID, NO_MAIL_CONTEXT))
        with self.registry.cursor() as cr:
            warm_precisions(api.Environment(cr, SUPERUSER_ID, {}))

    def authenticate(self, user, password):
        # HttpCase.authenticate reads the user through self.cr; in Odoo 11 the
        # user only exists in the registry's test cursor (see setUp).
        with self.registry.cursor() as cr:
            saved_cr, self.cr = self.cr, cr
            try:
                return super().authenticate(user, password)
            finally:
                self.cr = saved_cr

    def _login_owner(self):
        self.authenticate("property-portal-owner", "property-portal-pwd")
        self.assertTrue(self.session.uid, "the portal owner could not log in")
