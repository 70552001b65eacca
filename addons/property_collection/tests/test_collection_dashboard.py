# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The estate's card on the collection dashboard: this month's rate
against the same day of last month, the arrears and today's takings."""
import datetime
import json

import pytz
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError

from odoo.addons.property_payment.tests.common import PaymentCase


class TestCollectionDashboard(PaymentCase):
    """This month's bill (300) paid 120 today; last month's (100) paid 50
    on the same day of last month and 50 more today; last year's January
    bill (80) unpaid and overdue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        zone = pytz.timezone(cls.estate.tz or "Asia/Shanghai")
        cls.today = datetime.datetime.now(zone).date()
        month_ago = cls.today - relativedelta(months=1)
        current = cls.today.strftime("%Y-%m")
        last = month_ago.strftime("%Y-%m")
        cls.this_month = cls._bill(300.0, period=current,
                                   due=fields.Date.to_string(
                                       cls.today + relativedelta(days=20)))
        cls.last_month = cls._bill(100.0, period=last)
        cls.january = cls._bill(80.0, period="%d-01" % (cls.today.year - 1))
        pay = cls.service._pay
        pay(cls.owner, 120.0, "cash", invoices=cls.this_month,
            date=fields.Date.to_string(cls.today), estate=cls.estate)
        pay(cls.owner, 50.0, "cash", invoices=cls.last_month,
            date=fields.Date.to_string(month_ago),
            estate=cls.estate)
        pay(cls.owner, 50.0, "cash", invoices=cls.last_month,
            date=fields.Date.to_string(cls.today), estate=cls.estate)

    def _card(self, user=None):
        Dashboard = self.env["property.collection.dashboard"]
        if user:
            Dashboard = Dashboard.sudo(user)
        card = Dashboard.search([("estate_id", "=", self.estate.id)])
        self.assertEqual(len(card), 1)
        return card, json.loads(card.dashboard_data)

    def test_this_month_against_the_same_day_of_last_month(self):
        _card, data = self._card()
        self.assertEqual(data["period"], self.today.strftime("%Y-%m"))
        self.assertEqual((data["billed"], data["collected"], data["rate"]),
                         (300.0, 120.0, 40.0))
        # by the same day of last month, 50 of its 100 had come in
        self.assertEqual(data["rate_last_month"], 50.0)
        # nothing was billed a year ago
        self.assertIsNone(data["rate_last_year"])
        self.assertEqual(data["takings_today"], 170.0)

    def test_arrears_are_the_ageing_reports(self):
        _card, data = self._card()
        rows = self.env["property.arrears.report"].search([
            ("estate_id", "=", self.estate.id), ("bucket", "!=", "not_due")])
        self.assertEqual(rows.mapped("invoice_id"), self.january)
        self.assertEqual(data["overdue"], 80.0)
        self.assertEqual({b["code"]: b["amount"] for b in data["buckets"]
                          if b["amount"]}, {rows.bucket: 80.0})
        self.assertEqual(data["worst_buildings"], [{
            "id": self.building.id, "name": self.building.name,
            "amount": 80.0}])
        self.assertEqual((data["complaint_payers"], data["complaint_arrears"]),
                         (0, 0.0))
        self.env["property.complaint"].create({
            "partner_id": self.owner.id, "description": "Water leak",
            "unit_id": self.unit.id})
        _card, data = self._card()
        self.assertEqual((data["complaint_payers"], data["complaint_arrears"]),
                         (1, 80.0))

    def test_the_graph_shows_twelve_months_of_rates(self):
        card, _data = self._card()
        graph = json.loads(card.graph_data)
        values = graph[0]["values"]
        self.assertEqual(len(values), 12)
        self.assertEqual(values[-1]["label"], self.today.strftime("%m"))
        self.assertEqual(values[-1]["value"], 40.0)
        # last month as of today: all 100 paid
        self.assertEqual(values[-2]["value"], 100.0)

    def test_each_figure_opens_its_report_on_the_estate(self):
        card, _data = self._card()
        for method in ("action_open_collection", "action_open_arrears",
                       "action_open_complaint_arrears", "action_open_takings"):
            action = getattr(card, method)()
            self.assertIn(("estate_id", "=", self.estate.id), action["domain"])
            found = self.env[action["res_model"]].search(action["domain"])
            # no complaint is open: that report is empty
            self.assertEqual(bool(found),
                             method != "action_open_complaint_arrears", method)

    def test_staff_only(self):
        _card, data = self._card(user=self.cashier)
        self.assertEqual(data["rate"], 40.0)
        portal = self._create_user(
            "portal-owner", [], groups_id=[(6, 0, [
                self.env.ref("base.group_portal").id])])
        with self.assertRaises(AccessError):
            self.env["property.collection.dashboard"].sudo(portal).search_read(
                [], ["dashboard_data"])
