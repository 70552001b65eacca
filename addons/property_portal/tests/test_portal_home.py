# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""/my/home: per current unit the balance due, next due date and plan; the
advance credit; the company's logo or name; the estate's service phone."""
import base64
import re

from odoo.modules.module import get_resource_path

from .common_pages import (
    FORMER_LOGIN,
    FORMER_PASSWORD,
    NEIGHBOUR_LOGIN,
    NEIGHBOUR_PASSWORD,
    OwnerPagesCase,
)


class TestPortalHome(OwnerPagesCase):

    def _set_logo(self, path):
        def write(env):
            with open(path, "rb") as image:
                env.user.company_id.logo = base64.b64encode(image.read())
        self._with_env(write)

    def test_each_unit_with_its_balance_and_due_date(self):
        self._login()
        response = self._get("/my/home")
        self.assertEqual(response.status_code, 200)
        text = response.text
        summaries = text.split("o_property_unit_summary")[1:]
        self.assertEqual(len(summaries), 2)
        unit_a = next(part for part in summaries if "7-1-0701" in part)
        unit_b = next(part for part in summaries if "7-1-0702" in part)
        self.assertIn("513.50", unit_a)     # 262.90 + 250.60
        self.assertIn("Overdue", unit_a)
        self.assertIn("03/16/2026", unit_a)  # the oldest open bill's due date
        self.assertIn("0.00", unit_b)
        self.assertIn("Nothing to pay", unit_b)
        self.assertIn('href="/my/bills?unit=', text)
        self.assertNotIn("7-1-0703", text)

    def test_advance_credit(self):
        # the neighbour paid 50.00 more than his only bill
        self._login(NEIGHBOUR_LOGIN, NEIGHBOUR_PASSWORD)
        text = self._get("/my/home").text
        advance = re.search(r'o_property_advance[^>]*>(.*?)</strong>', text,
                            re.S)
        self.assertTrue(advance)
        self.assertIn("50.00", advance.group(1))

    def test_no_advance_credit_while_bills_are_open(self):
        # the owner's 32.00 over the December bill is netted with his
        # open bills (the payments module's advance balance)
        self._login()
        self.assertNotIn("o_property_advance", self._get("/my/home").text)

    def test_complaints_and_entries(self):
        self._login()
        text = self._get("/my/home").text
        self.assertIn("Open complaints", text)
        self.assertIn('<a href="/my/bills">Bills</a>', text)
        self.assertIn('<a href="/my/receipts">Receipts</a>', text)
        self.assertIn('<a href="/my/profile">Contact details</a>', text)
        # Odoo's invoice list is not offered twice
        self.assertNotIn('href="/my/invoices"', text)
        # the owner edits their details on the contact page
        self.assertRegex(text, r'<a class="[^"]*o_property_edit_details" '
                               r'href="/my/profile">Edit</a>')
        self.assertNotIn('href="/my/account"', text)

    def test_service_phone_and_viewport_on_every_page(self):
        self._login()
        for path in ("/my/home", "/my/bills", "/my/receipts", "/my/profile"):
            text = self._get(path).text
            self.assertIn('href="tel:021-6666-0001"', text, path)
            self.assertIn('content="width=device-width, initial-scale=1"',
                          text, path)

    def test_company_name_instead_of_the_placeholder_logo(self):
        self._set_logo(get_resource_path("base", "res", "res_company_logo.png"))
        self._login()
        text = self._get("/my/home").text
        self.assertIn("o_property_company_name", text)
        self.assertNotIn("/web/image/res.company", text)
        self.assertNotIn("o_property_logo", text)

    def test_company_logo_when_it_has_one(self):
        self._set_logo(get_resource_path(
            "property_billing", "demo", "res_company_logo_demo.png"))
        self._login()
        text = self._get("/my/home").text
        match = re.search(r'src="(/web/binary/company_logo\?company=\d+)"', text)
        self.assertTrue(match)
        logo = self._get(match.group(1))
        self.assertEqual(logo.status_code, 200)
        self.assertTrue(logo.content.startswith(b"\x89PNG"))

    def test_former_owner_has_no_unit_summary(self):
        self._login(FORMER_LOGIN, FORMER_PASSWORD)
        text = self._get("/my/home").text
        self.assertNotIn("o_property_unit_summary", text)
        self.assertNotIn("7-1-0704", text)
