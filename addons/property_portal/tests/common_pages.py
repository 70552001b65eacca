# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An estate with an owner of two units, a neighbour and a former owner,
their bills and a receipt, for the owner's pages (home, bills, receipts,
profile) served over HTTP."""
import datetime
import re

import odoo.tests.common
from odoo import fields

from .common import PortalHttpCase

OWNER_LOGIN, OWNER_PASSWORD = "pages-owner", "pages-owner-pwd"
NEIGHBOUR_LOGIN, NEIGHBOUR_PASSWORD = "pages-neighbour", "pages-neighbour-pwd"
FORMER_LOGIN, FORMER_PASSWORD = "pages-former", "pages-former-pwd"
BASIS = "89.50 m² × 2.80 元/m²/月 × 1 月"


class OwnerPagesCase(PortalHttpCase):
    """``self.rec``: the ids of the records built (bills, receipt, lines)."""

    def _create_data(self, env):
        today = fields.Date.from_string(fields.Date.today())
        self.rec = rec = {}
        company = env.user.company_id
        self.currency_symbol = company.currency_id.symbol
        estate = env["property.estate"].create({
            "name": "Pages Garden", "code": "PGP",
            "service_phone": "021-6666-0001", "company_id": company.id})
        Unit = env["property.unit"]
        unit_a = Unit.create({"code": "7-1-0701", "estate_id": estate.id,
                              "area": 89.50})
        unit_b = Unit.create({"code": "7-1-0702", "estate_id": estate.id,
                              "area": 60.00})
        unit_other = Unit.create({"code": "7-1-0703", "estate_id": estate.id,
                                  "area": 70.00})
        unit_sold = Unit.create({"code": "7-1-0704", "estate_id": estate.id,
                                 "area": 75.00})
        Partner = env["res.partner"]
        owner = Partner.create({"name": "Pages Owner Li",
                                "mobile": "13800000001",
                                "property_contact_channel": "sms",
                                "property_sms_consent": True})
        neighbour = Partner.create({"name": "Pages Neighbour Zhao"})
        former = Partner.create({"name": "Pages Former Qian"})
        buyer = Partner.create({"name": "Pages Buyer Sun"})
        sold_on = fields.Date.to_string(today - datetime.timedelta(days=30))
        bought_on = fields.Date.to_string(today - datetime.timedelta(days=29))
        Occupancy = env["property.occupancy"]
        for unit, partner, date_from, date_to in (
                (unit_a, owner, "2020-01-01", False),
                (unit_b, owner, "2021-01-01", False),
                (unit_other, neighbour, "2020-01-01", False),
                (unit_sold, former, "2015-01-01", sold_on),
                (unit_sold, buyer, bought_on, False)):
            Occupancy.create({"unit_id": unit.id, "partner_id": partner.id,
                              "role": "owner", "date_from": date_from,
                              "date_to": date_to})
        Users = env["res.users"].with_context(no_reset_password=True)
        portal = env.ref("base.group_portal")
        for login, password, partner in (
                (OWNER_LOGIN, OWNER_PASSWORD, owner),
                (NEIGHBOUR_LOGIN, NEIGHBOUR_PASSWORD, neighbour),
                (FORMER_LOGIN, FORMER_PASSWORD, former)):
            Users.create({"login": login, "password": password,
                          "partner_id": partner.id, "lang": "en_US",
                          "company_id": company.id,
                          "company_ids": [(6, 0, [company.id])],
                          "groups_id": [(6, 0, [portal.id])]})
        account = env["account.account"].search([
            ("company_id", "=", company.id),
            ("user_type_id.type", "=", "other")], limit=1)

        def bill(unit, partner, period, due, lines):
            invoice = env["account.invoice"].create({
                "partner_id": partner.id, "type": "out_invoice",
                "property_unit_id": unit.id, "billing_period": period,
                "date_invoice": "%s-01" % period, "date_due": due,
                "property_period_from": "%s-01" % period,
                "invoice_line_ids": [(0, 0, {
                    "name": name, "property_basis": basis,
                    "account_id": account.id, "quantity": 1.0,
                    "price_unit": amount}) for name, basis, amount in lines]})
            invoice.action_invoice_open()
            invoice.message_subscribe(partner_ids=partner.ids)
            return invoice

        march = bill(unit_a, owner, "2026-03", "2026-03-16", [
            ("Management fee", BASIS, 250.60),
            ("Shared utilities", "12.30 元 × 100.00% (公摊)", 12.30)])
        april = bill(unit_a, owner, "2026-04", "2026-04-16", [
            ("Management fee", BASIS, 250.60)])
        far_due = fields.Date.to_string(today + datetime.timedelta(days=60))
        unit_b_bill = bill(unit_b, owner, "2025-12", far_due, [
            ("Management fee", "60.00 m² × 2.80 元/m²/月 × 1 月", 168.00)])
        other = bill(unit_other, neighbour, "2026-03", "2026-03-16", [
            ("Neighbour fee", "70.00 m² × 2.80", 196.00)])
        sold = bill(unit_sold, former, "2019-12", "2019-12-16", [
            ("Former fee", "75.00 m² × 2.80", 210.00)])
        service = env["property.payment.service"]
        receipt = service._pay(owner, 200.00, "cash", invoices=unit_b_bill,
                               estate=estate)
        other_receipt = service._pay(neighbour, 246.00, "cash",
                                     invoices=other, estate=estate)
        sold_receipt = service._pay(former, 210.00, "cash", invoices=sold,
                                    estate=estate)
        rec.update({
            "estate": estate.id, "unit_a": unit_a.id, "unit_b": unit_b.id,
            "owner": owner.id, "march": march.id, "april": april.id,
            "unit_b_bill": unit_b_bill.id, "other": other.id, "sold": sold.id,
            "march_line": march.invoice_line_ids.sorted("id")[0].id,
            "other_line": other.invoice_line_ids.id,
            "receipt": receipt.id, "receipt_name": receipt.name,
            "other_receipt": other_receipt.id,
            "sold_receipt": sold_receipt.id,
        })

    # -- helpers ---------------------------------------------------------------

    def _url(self, path):
        return "http://127.0.0.1:%d%s" % (odoo.tests.common.PORT, path)

    def _get(self, path, **kwargs):
        kwargs.setdefault("timeout", 30)
        return self.opener.get(self._url(path), **kwargs)

    def _post(self, path, data, **kwargs):
        kwargs.setdefault("timeout", 30)
        return self.opener.post(self._url(path), data=data, **kwargs)

    def _login(self, login=OWNER_LOGIN, password=OWNER_PASSWORD):
        self.authenticate(login, password)
        self.assertTrue(self.session.uid, "%s could not log in" % login)

    def _csrf(self, html):
        match = re.search(r'name="csrf_token" value="([^"]+)"', html)
        self.assertTrue(match, "no CSRF token in the form")
        return match.group(1)

    def _assert_refused(self, response, *secrets):
        """404, or a redirection to /my or the login; never the data."""
        if response.status_code in (301, 302, 303):
            location = response.headers.get("Location", "")
            self.assertTrue("/my" in location or "/web/login" in location,
                            location)
        else:
            self.assertEqual(response.status_code, 404)
        for secret in secrets:
            self.assertNotIn(secret, response.text)

    def _with_env(self, function):
        """``function(env)`` in the registry's test cursor, as superuser."""
        from odoo import SUPERUSER_ID, api
        with self.registry.cursor() as cr:
            return function(api.Environment(cr, SUPERUSER_ID, {}))
