# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

import odoo.tests.common

from odoo import SUPERUSER_ID, api

from odoo.addons.property_billing.tests.common import NO_MAIL_CONTEXT

from .common import PortalHttpCase
from .test_portal_units import TestPortalUnitsPage


class TestPortalChatterPost(PortalHttpCase):
    """/mail/chatter_post with an access token posts as the superuser in
    Odoo 11: only the message may come from the form."""

    def _create_data(self, env):
        # The owner and their units, as the units page builds them.
        TestPortalUnitsPage._create_data(self, env)
        owner = env["res.users"].search(
            [("login", "=", "property-portal-owner")]).partner_id
        self.invoice = env["account.invoice"].create({
            "partner_id": owner.id, "type": "out_invoice"})
        self.invoice_id = self.invoice.id
        self.token = self.invoice.access_token

    def _post(self, **fields):
        page = self.url_open("/my/units").text
        csrf = re.search(r'csrf_token: "([^"]+)"', page).group(1)
        data = dict(fields, res_model="account.invoice",
                    res_id=str(self.invoice_id), csrf_token=csrf)
        base = "http://127.0.0.1:%d" % odoo.tests.common.PORT
        # The controller redirects back to the page the form was on.
        response = self.opener.post(
            base + "/mail/chatter_post", data=data, timeout=30,
            headers={"Referer": base + "/my/invoices/%d" % self.invoice_id},
            allow_redirects=False)
        return response

    def _messages(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, NO_MAIL_CONTEXT)
            messages = env["mail.message"].search([
                ("model", "=", "account.invoice"),
                ("res_id", "=", self.invoice_id),
                ("message_type", "!=", "notification")])
            return [(m.body, m.message_type, m.subtype_id.internal,
                     m.email_from, m.author_id.name) for m in messages]

    def test_token_post_is_a_public_comment_by_the_poster(self):
        self._login_owner()
        response = self._post(
            message="Why is the water fee higher?", token=self.token,
            message_type="notification", subtype="mail.mt_note",
            email_from="ceo@example.com")
        self.assertIn(response.status_code, (302, 303), response.text[:500])
        posted = [m for m in self._messages() if "water fee" in (m[0] or "")]
        self.assertEqual(len(posted), 1, posted)
        _body, message_type, internal, email_from, author = posted[0]
        self.assertEqual(message_type, "comment")
        self.assertFalse(internal)
        self.assertNotIn("ceo@example.com", email_from or "")
        self.assertEqual(author, "Portal Owner Zhang")

    def test_wrong_token_posts_nothing(self):
        self._login_owner()
        response = self._post(message="Let me in", token="not-the-token")
        self.assertEqual(response.status_code, 403)
        self.assertFalse([m for m in self._messages() if "Let me in" in (m[0] or "")])
