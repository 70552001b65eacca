# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The collection curve and the arrears recovery against the rules'
definitions on the same bills and payments; advance credit counted as
collected; the dunning level and reason on the arrears."""
import datetime
import json
from datetime import date, time, timedelta
from decimal import Decimal

import pytz

from odoo.addons.property_dunning.tests.common import DunningCase
from odoo.addons.property_payment.tests.common import PaymentCase

from ..rules import collection


def _day(text):
    return datetime.datetime.strptime(text, "%Y-%m-%d").date()


def _estate_today(estate):
    return datetime.datetime.now(
        pytz.timezone(estate.tz or "Asia/Shanghai")).date()


class TestCurveAndRecovery(PaymentCase):
    """Three bills of 100 billed on the 1st (due the 28th):

    - January, paid in full on Jan 20;
    - February, paid 40 on Mar 10 and 60 on May 5;
    - March, paid 30 on Jul 15, the rest still owed.
    """

    PAYMENTS = {
        "2026-01": [("2026-01-20", 100.0)],
        "2026-02": [("2026-03-10", 40.0), ("2026-05-05", 60.0)],
        "2026-03": [("2026-07-15", 30.0)],
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bills = cls.env["account.invoice"]
        for period in sorted(cls.PAYMENTS):
            cls.bills |= cls._bill(100.0, period=period)
        for bill in cls.bills:
            for day, amount in cls.PAYMENTS[bill.billing_period]:
                cls.service._pay(cls.owner, amount, "cash", invoices=bill,
                                 date=day, estate=cls.estate)
        cls.today = _estate_today(cls.estate)

    def _rule_bills(self):
        return [collection.Bill(
            bill.number, bill.billing_period, _day(bill.date_invoice),
            _day(bill.date_due), Decimal("100.00"),
            [(_day(day), Decimal("%.2f" % amount))
             for day, amount in self.PAYMENTS[bill.billing_period]])
            for bill in self.bills]

    def _groups(self, model, groupby, fields):
        groups = self.env[model].read_group(
            [("invoice_id", "in", self.bills.ids)], [groupby] + fields,
            [groupby], orderby=groupby)
        return {group[groupby]: [group[name] for name in fields]
                for group in groups}

    def test_the_curve_is_the_rules_curve(self):
        shares = ["share_%d" % n for n in collection.CURVE_DAYS]
        groups = self._groups("property.collection.curve", "billing_period",
                              shares)
        expected = collection.collection_curve(self._rule_bills(),
                                               as_of=self.today)
        self.assertEqual(list(groups), list(expected))
        for period, points in expected.items():
            self.assertEqual(
                [round(value, 2) if value is not False else None
                 for value in groups[period]],
                [float(point * 100) if point is not None else None
                 for point in points], period)
        # the February bill: 40 % by day 60 (Mar 10 is day 37), all by
        # day 180
        self.assertEqual(groups["2026-02"], [0.0, 0.0, 40.0, 40.0, 100.0])

    def test_a_recent_bill_has_no_late_points_yet(self):
        day = self.today - timedelta(days=40)
        recent = self._bill(100.0, period=day.strftime("%Y-%m"), date=str(day),
                            due=str(day + timedelta(days=20)))
        row = self.env["property.collection.curve"].search(
            [("invoice_id", "=", recent.id)])
        self.assertEqual((row.billed_0, row.billed_30, row.billed_60),
                         (100.0, 100.0, 0.0))
        groups = self.env["property.collection.curve"].read_group(
            [("invoice_id", "=", recent.id)], ["share_30", "share_60"], [])
        self.assertEqual((groups[0]["share_30"], groups[0]["share_60"]),
                         (0.0, False))

    def test_the_recovery_is_the_rules_recovery(self):
        groups = self._groups("property.arrears.recovery", "period",
                              ["arrears", "recovered", "recovery_rate"])
        bills = self._rule_bills()
        month = date(2026, 2, 1)
        while month <= self.today.replace(day=1):
            following = (month + timedelta(days=32)).replace(day=1)
            owed, recovered, share = collection.arrears_recovery(
                bills, month, following - timedelta(days=1))
            key = month.strftime("%Y-%m")
            if owed:
                self.assertEqual(groups[key][:2],
                                 [float(owed), float(recovered)], key)
                self.assertAlmostEqual(groups[key][2], float(share * 100),
                                       places=2)
            else:
                self.assertNotIn(key, groups)
            month = following
        # March began with February's 100 owed and recovered 40 of it; May
        # began with 160 (February's 60, March's 100) and recovered 60
        self.assertEqual(groups["2026-03"][:2], [100.0, 40.0])
        self.assertEqual(groups["2026-05"][:2], [160.0, 60.0])
        self.assertEqual(groups["2026-07"][:2], [100.0, 30.0])

    def test_advance_credit_is_collected_when_it_pays_a_bill(self):
        other = self._create_owner()
        unit = self._create_unit()
        self._create_occupancy(unit_id=unit.id, partner_id=other.id)
        day = str(self.today)
        self.service._pay(other, 80.0, "wechat", date=day, estate=self.estate)
        bill = self._bill(50.0, period="2026-06", partner=other, unit=unit)
        self.service._apply_advance(other)
        Fact = self.env["property.collection.fact"]
        rows = Fact.search([("invoice_id", "=", bill.id),
                            ("kind", "=", "collected")])
        self.assertEqual([(row.channel_code, row.collected) for row in rows],
                         [("advance", 50.0)])
        self.assertFalse(Fact.search([("invoice_id", "=", bill.id),
                                      ("kind", "=", "other")]))
        # the money was taken once, when it was paid: today's takings are
        # the 80 received, the card holds the 30 not spent yet
        card = self.env["property.collection.dashboard"].search(
            [("estate_id", "=", self.estate.id)])
        data = json.loads(card.dashboard_data)
        self.assertEqual(data["takings_today"], 80.0)
        self.assertEqual(data["advance_credit"], 30.0)


class TestArrearsDunning(DunningCase):
    """An overdue bill reminded, then called: the arrears show the level the
    payer reached and the reason the call recorded."""

    def test_the_arrears_show_the_dunning_level_and_reason(self):
        today = _estate_today(self.estate)
        bill = self._bill(100.0, "2026-03", due=str(today - timedelta(days=40)))
        for offset in (-34, -26):
            self._run(datetime.datetime.combine(
                today + timedelta(days=offset), time(10, 0)))
        step = self._steps()[-1]
        self.assertEqual(step.level_id, self.call)
        step.sudo(self.clerk).action_confirm()
        self.env["property.dunning.call.outcome"].sudo(
            self.clerk).with_context(
                active_model="property.dunning.step",
                active_id=step.id).create({
                    "reached": True, "reason": "hardship",
                    "notes": "Lost the job in March"}).action_record()
        row = self.env["property.arrears.report"].search(
            [("invoice_id", "=", bill.id)])
        self.assertEqual(row.dunning_level_id, self.call)
        self.assertEqual(row.dunning_reason, "hardship")
        self.assertEqual(row.limitation_state, self._payer().limitation_state)
        groups = self.env["property.arrears.report"].read_group(
            [("invoice_id", "=", bill.id)], ["dunning_reason", "outstanding"],
            ["dunning_reason"])
        self.assertEqual([(g["dunning_reason"], g["outstanding"])
                          for g in groups], [("hardship", 100.0)])
