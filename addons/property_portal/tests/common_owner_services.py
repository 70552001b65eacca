# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An estate with an owner, a neighbour and a former owner signed in to the
portal, for the complaint, fee notice, reminder and plan pages served over
HTTP. Subclasses add their records in ``_create_more(env)`` and keep their
ids in ``self.rec``."""
import datetime
import re

import odoo.tests.common
from odoo import SUPERUSER_ID, api, fields

from odoo.addons.property_billing.tests.common import NO_MAIL_CONTEXT

from .common import PortalHttpCase

OWNER = ("services-owner", "services-owner-pwd")
NEIGHBOUR = ("services-neighbour", "services-neighbour-pwd")
FORMER = ("services-former", "services-former-pwd")

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
GIF = b"GIF89a\x01\x00\x01\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 64


class OwnerServicesCase(PortalHttpCase):

    def _create_data(self, env):
        self.today = today = fields.Date.from_string(fields.Date.today())
        self.rec = rec = {}
        company = env.user.company_id
        estate = env["property.estate"].create({
            "name": "Services Garden", "code": "SVGX",
            "service_phone": "021-6666-0002", "company_id": company.id})
        other_estate = env["property.estate"].create({
            "name": "Faraway Garden", "code": "FARX",
            "company_id": company.id})
        Unit = env["property.unit"]
        unit = Unit.create({"code": "5-1-0501", "estate_id": estate.id,
                            "area": 89.50})
        unit_neighbour = Unit.create({"code": "5-1-0502",
                                      "estate_id": estate.id, "area": 70.00})
        unit_sold = Unit.create({"code": "5-1-0503", "estate_id": estate.id,
                                 "area": 75.00})
        unit_far = Unit.create({"code": "8-8-0808",
                                "estate_id": other_estate.id, "area": 60.00})
        Partner = env["res.partner"]
        owner = Partner.create({"name": "Services Owner Chen", "lang": "en_US"})
        neighbour = Partner.create({"name": "Services Neighbour Zhou",
                                    "lang": "en_US"})
        former = Partner.create({"name": "Services Former Wu", "lang": "en_US"})
        buyer = Partner.create({"name": "Services Buyer Xu", "lang": "en_US"})
        far_owner = Partner.create({"name": "Faraway Owner", "lang": "en_US"})
        sold_on = fields.Date.to_string(today - datetime.timedelta(days=30))
        bought_on = fields.Date.to_string(today - datetime.timedelta(days=29))
        for unit_, partner, date_from, date_to in (
                (unit, owner, "2020-01-01", False),
                (unit_neighbour, neighbour, "2020-01-01", False),
                (unit_sold, former, "2015-01-01", sold_on),
                (unit_sold, buyer, bought_on, False),
                (unit_far, far_owner, "2020-01-01", False)):
            env["property.occupancy"].create({
                "unit_id": unit_.id, "partner_id": partner.id,
                "role": "owner", "date_from": date_from, "date_to": date_to})
        users = {}
        Users = env["res.users"].with_context(no_reset_password=True)
        for (login, password), partner in ((OWNER, owner),
                                           (NEIGHBOUR, neighbour),
                                           (FORMER, former)):
            users[login] = Users.create({
                "login": login, "password": password,
                "partner_id": partner.id, "lang": "en_US", "tz": "Asia/Shanghai",
                "company_id": company.id,
                "company_ids": [(6, 0, [company.id])],
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
        rec.update({
            "company": company.id, "estate": estate.id,
            "other_estate": other_estate.id, "unit": unit.id,
            "unit_neighbour": unit_neighbour.id, "unit_sold": unit_sold.id,
            "unit_far": unit_far.id, "owner": owner.id,
            "neighbour": neighbour.id, "former": former.id,
            "far_owner": far_owner.id,
            "owner_uid": users[OWNER[0]].id,
        })
        self._create_more(env)

    def _create_more(self, env):
        """Records of the subclass."""

    # -- helpers ---------------------------------------------------------------

    def _read(self, function):
        """``function(env)`` as the superuser on the data the server sees."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, dict(NO_MAIL_CONTEXT))
            # the environment may be an earlier one, its cache older than
            # what the server wrote since
            env.cache.invalidate()
            return function(env)

    def _login(self, who=OWNER):
        self.authenticate(*who)
        self.assertTrue(self.session.uid, "%s could not log in" % who[0])

    def _base(self):
        return "http://127.0.0.1:%d" % odoo.tests.common.PORT

    def _get(self, path):
        # GET pages of a user whose language is not the database's default
        # are redirected to /<lang>/... (http_routing): follow
        return self.opener.get(self._base() + path, timeout=30)

    def _csrf(self, path="/my/home"):
        page = self.opener.get(self._base() + path, timeout=30).text
        match = re.search(r'name="csrf_token" value="([^"]+)"', page) or \
            re.search(r'csrf_token: "([^"]+)"', page)
        self.assertTrue(match, "no CSRF token on %s" % path)
        return match.group(1)

    def _post(self, path, data, files=None, csrf=True, form_path=None):
        data = dict(data)
        if csrf:
            data["csrf_token"] = self._csrf(form_path or "/my/home")
        return self.opener.post(self._base() + path, data=data,
                                files=files or [], timeout=60,
                                allow_redirects=False)

    def assertNotFound(self, response):
        self.assertEqual(response.status_code, 404,
                         "%s answered %s" % (response.url,
                                             response.status_code))
