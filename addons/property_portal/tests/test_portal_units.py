# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading

import odoo.tests.common
from odoo import SUPERUSER_ID, api
from odoo.service import server as odoo_server
from odoo.service.wsgi_server import application
from odoo.tests.common import HttpCase

from odoo.addons.property_billing.tests.common import NO_MAIL_CONTEXT

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


class TestPortalUnitsPage(HttpCase):
    """/my/units lists the logged-in owner's current units, nobody else's."""

    def setUp(self):
        super().setUp()
        _ensure_http_server()
        # Odoo 11's HttpCase serves the requests from the registry's test
        # cursor, not from self.cr: build the data in that transaction (it is
        # rolled back when the test leaves test mode).
        with self.registry.cursor() as cr:
            self._create_data(api.Environment(cr, SUPERUSER_ID, NO_MAIL_CONTEXT))

    def _create_data(self, env):
        estate = env["property.estate"].create(
            {"name": "Portal Garden", "code": "PGX"})
        Unit = env["property.unit"]
        my_unit = Unit.create(
            {"code": "9-1-0901", "estate_id": estate.id, "area": 101.25})
        sold_unit = Unit.create(
            {"code": "9-1-0902", "estate_id": estate.id, "area": 88.00})
        other_unit = Unit.create(
            {"code": "9-1-0903", "estate_id": estate.id, "area": 76.40})
        Partner = env["res.partner"]
        owner = Partner.create({"name": "Portal Owner Zhang"})
        neighbour = Partner.create({"name": "Neighbour Wang"})
        Occupancy = env["property.occupancy"]
        Occupancy.create({"unit_id": my_unit.id, "partner_id": owner.id,
                          "role": "owner", "date_from": "2020-01-01"})
        # Sold long ago: no longer theirs, so not listed.
        Occupancy.create({"unit_id": sold_unit.id,
                          "partner_id": owner.id, "role": "owner",
                          "date_from": "2015-01-01", "date_to": "2019-12-31"})
        Occupancy.create({"unit_id": other_unit.id,
                          "partner_id": neighbour.id, "role": "owner",
                          "date_from": "2020-01-01"})
        env["res.users"].with_context(no_reset_password=True).create({
            "login": "property-portal-owner",
            "password": "property-portal-pwd",
            "partner_id": owner.id,
            "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
        })

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

    def test_owner_sees_own_units(self):
        self._login_owner()
        response = self.url_open("/my/units")
        self.assertEqual(response.status_code, 200)
        self.assertIn("9-1-0901", response.text)
        self.assertNotIn("9-1-0902", response.text)
        self.assertNotIn("9-1-0903", response.text)

    def test_home_shows_unit_count(self):
        self._login_owner()
        response = self.url_open("/my/home")
        self.assertEqual(response.status_code, 200)
        self.assertRegex(
            response.text,
            r'<span class="badge">1</span>\s*<a href="/my/units">')

    def test_anonymous_redirected_to_login(self):
        response = self.opener.get(
            "http://127.0.0.1:%d/my/units" % odoo.tests.common.PORT,
            allow_redirects=False, timeout=10)
        self.assertIn(response.status_code, (301, 302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        self.assertNotIn("9-1-0901", response.text)
