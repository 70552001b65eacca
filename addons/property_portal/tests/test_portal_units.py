# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import odoo.tests.common

from .common import PortalHttpCase


class TestPortalUnitsPage(PortalHttpCase):
    """/my/units lists the logged-in owner's current units, nobody else's."""

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
