# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The stored report rows follow every change of the bills they analyse:
what a manager reads in the reports is what the live queries (and so the
journal items) give, after a batch payment, a void, a credit note, a
cancelled bill, a unit's new state, and as the days pass."""
import datetime

from odoo import fields

from odoo.addons.property_payment.tests.common import PaymentCase

from ..models.property_collection_store import (
    DIRTY_TABLE, STATE_TABLE, STORED_MODELS)


class TestCollectionStore(PaymentCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.from_string(fields.Date.context_today(
            cls.env["res.users"]))
        month_ago = cls.today - datetime.timedelta(days=31)
        cls.old = cls._bill(
            120.0, period=month_ago.strftime("%Y-%m"),
            date=fields.Date.to_string(month_ago),
            due=fields.Date.to_string(month_ago + datetime.timedelta(days=5)))
        cls.new = cls._bill(80.0, period=cls.today.strftime("%Y-%m"),
                            date=fields.Date.to_string(cls.today),
                            due=fields.Date.to_string(cls.today))
        # dated 200 days before last month's end: no curve point falls in
        # this month (only its arrears do)
        ancient = cls.today.replace(day=1) - datetime.timedelta(days=201)
        cls.ancient = cls._bill(
            60.0, period=ancient.strftime("%Y-%m"),
            date=fields.Date.to_string(ancient),
            due=fields.Date.to_string(ancient + datetime.timedelta(days=5)))
        cls.bills = cls.old | cls.new | cls.ancient
        cls.Store = cls.env["property.collection.store"]
        cls.Store._refresh()

    def _differences(self):
        """{model: rows of the bills where the stored rows and the live
        query differ}, after the refresh a reader makes."""
        self.Store._refresh()
        found = {}
        for model in STORED_MODELS:
            table = self.env[model]._table
            self.env.cr.execute("""
                SELECT count(*) FROM (
                    (SELECT * FROM "%(t)s" WHERE invoice_id IN %%(ids)s
                     EXCEPT ALL
                     SELECT * FROM "%(t)s_live" WHERE invoice_id IN %%(ids)s)
                    UNION ALL
                    (SELECT * FROM "%(t)s_live" WHERE invoice_id IN %%(ids)s
                     EXCEPT ALL
                     SELECT * FROM "%(t)s" WHERE invoice_id IN %%(ids)s)) d
            """ % {"t": table}, {"ids": tuple(self.bills.ids)})
            count = self.env.cr.fetchone()[0]
            if count:
                found[model] = count
        return found

    def _facts(self, bill):
        groups = self.env["property.collection.fact"].read_group(
            [("invoice_id", "=", bill.id)],
            ["billed", "collected", "other_settled", "outstanding"], [])
        group = groups[0]
        return (group["billed"], group["collected"], group["other_settled"],
                group["outstanding"])

    def test_a_batch_payment_is_in_the_reports_at_once(self):
        """The counter's batch path writes residuals in SQL: the triggers
        see it all the same."""
        self.assertEqual(self._facts(self.old), (120.0, 0.0, 0.0, 120.0))
        self.service._pay_one(self.owner, 100.0, "cash", invoices=self.old,
                              estate=self.estate)
        self.assertEqual(self._facts(self.old), (120.0, 100.0, 0.0, 20.0))
        self.assertEqual(self._differences(), {})
        self.env.cr.execute("SELECT count(*) FROM %s" % DIRTY_TABLE)
        self.assertEqual(self.env.cr.fetchone()[0], 0,
                         "the refresh took every mark")

    def test_a_void_a_credit_note_and_a_cancelled_bill(self):
        receipt = self._pay(120.0, invoices=self.old)
        self.assertEqual(self._differences(), {})
        receipt.sudo(self.manager).action_void("Counted twice")
        self.assertEqual(self._facts(self.old), (120.0, 0.0, 0.0, 120.0))
        refund = self.new.refund(description="Lift out of service")
        refund.invoice_line_ids.write({"price_unit": 30.0})
        refund.compute_taxes()
        refund.action_invoice_open()
        credit = refund.move_id.line_ids.filtered(
            lambda line: line.account_id == self.new.account_id)
        self.new.assign_outstanding_credit(credit.id)
        self.assertEqual(self._facts(self.new), (80.0, 0.0, 30.0, 50.0))
        self.assertEqual(self._differences(), {})
        self.old.journal_id.update_posted = True
        self.old.action_invoice_cancel()
        self.assertFalse(self.env["property.collection.fact"].search(
            [("invoice_id", "=", self.old.id)]),
            "a cancelled bill leaves the analysis")
        self.assertEqual(self._differences(), {})

    def test_the_unit_state_moves_the_payer_type(self):
        self.unit.write({"state": "vacant"})
        groups = self.env["property.collection.fact"].read_group(
            [("invoice_id", "in", self.bills.ids)],
            ["payer_type", "billed"], ["payer_type"])
        self.assertEqual({g["payer_type"]: g["billed"] for g in groups},
                         {"vacant": 260.0})
        self.assertEqual(self._differences(), {})

    def _set_last_refresh(self, day):
        self.env.cr.execute("UPDATE %s SET last_day = %%s" % STATE_TABLE,
                            [fields.Date.to_string(day)])

    def test_a_new_day_counts_its_curve_points(self):
        """A curve row written yesterday, before the old bill's day-30
        point, is written again by the first refresh of today."""
        curve = self.env["property.collection.curve"]
        self.assertEqual(curve.search(
            [("invoice_id", "=", self.old.id)]).billed_30, 120.0)
        self.env.cr.execute(
            "UPDATE property_collection_curve SET billed_30 = 0 "
            "WHERE invoice_id = %s", [self.old.id])
        self._set_last_refresh(self.today - datetime.timedelta(days=1))
        curve.invalidate_cache()
        self.assertEqual(curve.search(
            [("invoice_id", "=", self.old.id)]).billed_30, 120.0)
        self.assertEqual(self._differences(), {})
        # the same day again: nothing to mark, a stale row stays stale
        self.env.cr.execute(
            "UPDATE property_collection_curve SET billed_30 = 0 "
            "WHERE invoice_id = %s", [self.old.id])
        self.assertEqual(self.Store._refresh(), 0)
        self.assertEqual(self._differences(),
                         {"property.collection.curve": 2})

    def test_a_new_month_adds_the_arrears_of_the_unpaid_bills(self):
        recovery = self.env["property.arrears.recovery"]
        this_month = fields.Date.to_string(self.today.replace(day=1))
        domain = [("invoice_id", "=", self.ancient.id),
                  ("month", "=", this_month)]
        self.assertEqual(recovery.search(domain).arrears, 60.0)
        # the rows as last month's last refresh wrote them
        self.env.cr.execute(
            "DELETE FROM property_arrears_recovery WHERE invoice_id = %s "
            "AND month = %s", [self.ancient.id, this_month])
        self._set_last_refresh(self.today.replace(day=1)
                               - datetime.timedelta(days=1))
        self.assertEqual(recovery.search(domain).arrears, 60.0)
        self.assertEqual(self._differences(), {})

    def test_the_ageing_of_a_month_end_is_the_journal_items(self):
        """The monthly report reads the ageing at a past month's end from
        the stored arrears recovery: the same figures as the journal
        items' reconciliations up to that day."""
        self._pay(50.0, invoices=self.old)
        card = self.env["property.collection.dashboard"].search(
            [("estate_id", "=", self.estate.id)])
        month_end = self.today.replace(day=1) - datetime.timedelta(days=1)
        stored = card._ageing_at(month_end)
        card._ageing_from_journal(month_end)
        journal = card._ageing_result(self.env.cr.fetchall())
        self.assertEqual(stored, journal)
        self.assertTrue(stored["buckets"] and sum(
            bucket["amount"] for bucket in stored["buckets"]) >= 60.0,
            "the ancient bill is overdue at the month's end")
