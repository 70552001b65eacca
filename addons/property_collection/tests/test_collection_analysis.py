# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Collection analysis and arrears ageing against the journal items: what a
manager reads in the pivots is what the books say."""
import datetime

import pytz

from odoo.exceptions import AccessError

from odoo.addons.property_payment.tests.common import PaymentCase

from ..rules import collection


class TestCollectionAnalysis(PaymentCase):
    """The owner's March bill (management fee 150 + refuse 50 = 200) paid
    150 at the counter on March 20; the April bill (80) credited 30 by a
    credit note; a vacant unit's May bill (60) unpaid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.march = cls._bill(period="2026-03", lines=[
            ("物业管理费 2026-03", 150.0), ("垃圾处理费 2026-03", 50.0)])
        cls.april = cls._bill(80.0, period="2026-04")
        cls.receipt = cls.service._pay(
            cls.owner, 150.0, "cash", invoices=cls.march,
            date="2026-03-20", estate=cls.estate)
        refund = cls.april.refund(description="Lift out of service")
        refund.invoice_line_ids.write({"price_unit": 30.0})
        refund.compute_taxes()
        refund.action_invoice_open()
        credit = refund.move_id.line_ids.filtered(
            lambda line: line.account_id == cls.april.account_id)
        cls.april.assign_outstanding_credit(credit.id)
        cls.vacant_unit = cls._create_unit(state="vacant")
        cls.may = cls._bill(60.0, period="2026-05", unit=cls.vacant_unit)
        cls.bills = cls.march | cls.april | cls.may

    def _groups(self, groupby, domain=None, user=None):
        Fact = self.env["property.collection.fact"]
        if user:
            Fact = Fact.sudo(user)
        groups = Fact.read_group(
            [("invoice_id", "in", self.bills.ids)] + (domain or []),
            [groupby, "billed", "collected", "other_settled", "outstanding",
             "collection_rate"], [groupby], orderby=groupby)
        return {group[groupby]: (group["billed"], group["collected"],
                                 group["other_settled"], group["outstanding"],
                                 group["collection_rate"])
                for group in groups}

    def test_billed_collected_and_rate_per_period(self):
        self.assertEqual(self._groups("billing_period"), {
            "2026-03": (200.0, 150.0, 0.0, 50.0, 75.0),
            "2026-04": (80.0, 0.0, 30.0, 50.0, 0.0),
            "2026-05": (60.0, 0.0, 0.0, 60.0, 0.0),
        })

    def test_the_rate_as_of_a_day(self):
        before = self._groups("billing_period",
                              [("date", "<=", "2026-03-19")])
        self.assertEqual(before["2026-03"][1:], (0.0, 0.0, 200.0, 0.0))
        on_the_day = self._groups("billing_period",
                                  [("date", "<=", "2026-03-20")])
        self.assertEqual(on_the_day["2026-03"][1], 150.0)
        self.assertEqual(on_the_day["2026-03"][4], 75.0)

    def test_collections_by_channel_and_by_bill_line(self):
        self.assertEqual(self._groups("channel_code", [
            ("kind", "=", "collected")])["cash"][1], 150.0)
        collected = self.env["property.collection.fact"].search([
            ("invoice_id", "=", self.march.id), ("kind", "=", "collected")])
        # the receipt's lines, one per bill line it paid
        self.assertEqual(sorted(collected.mapped("collected")),
                         sorted(self.receipt.line_ids.filtered(
                             lambda line: line.kind == "bill").mapped(
                                 "amount")))
        self.assertEqual(set(collected.mapped("date")), {"2026-03-20"})

    def test_ties_out_to_the_journal_items(self):
        """Billed is the receivable items' debit; billed less collected less
        settled otherwise is what they still owe: on these bills and on every
        bill of the database (the demo's included)."""
        self._assert_ties_out(self.bills.ids)
        self.env.cr.execute("""
            SELECT array_agg(DISTINCT invoice_id)
              FROM property_collection_fact""")
        every = self.env.cr.fetchone()[0] or []
        self.assertIn(self.march.id, every)
        self._assert_ties_out(every)

    def _assert_ties_out(self, invoice_ids):
        self.env.cr.execute("""
            SELECT COALESCE(sum(ml.debit), 0), COALESCE(sum(ml.amount_residual), 0)
              FROM account_move_line ml
              JOIN account_invoice i ON i.move_id = ml.move_id
              JOIN account_account a ON a.id = ml.account_id
             WHERE i.id IN %s AND a.internal_type = 'receivable'
               AND ml.debit > 0""", [tuple(invoice_ids)])
        debit, residual = self.env.cr.fetchone()
        # the stored rows, as a reader finds them
        self.env["property.collection.store"]._refresh()
        self.env.cr.execute("""
            SELECT sum(billed), sum(outstanding)
              FROM property_collection_fact WHERE invoice_id IN %s""",
                            [tuple(invoice_ids)])
        billed, outstanding = self.env.cr.fetchone()
        self.assertAlmostEqual(float(billed), float(debit), places=2)
        self.assertAlmostEqual(float(outstanding), float(residual), places=2)

    def test_a_voided_receipt_is_not_collected(self):
        self.receipt.sudo(self.manager).action_void("Counted twice")
        self.env["property.collection.fact"].invalidate_cache()
        self.assertEqual(self._groups("billing_period")["2026-03"],
                         (200.0, 0.0, 0.0, 200.0, 0.0))
        self._assert_ties_out(self.bills.ids)

    def test_payer_type_follows_the_register(self):
        types = self._groups("payer_type")
        self.assertEqual(types["vacant"][0], 60.0)
        self.assertEqual(types["resident"][0], 280.0)

    def test_arrears_ageing_is_the_rules_ageing(self):
        rows = self.env["property.arrears.report"].search(
            [("invoice_id", "in", self.bills.ids)])
        self.assertEqual({row.invoice_id: row.outstanding for row in rows}, {
            self.march: 50.0, self.april: 50.0, self.may: 60.0})
        zone = pytz.timezone(self.estate.tz or "Asia/Shanghai")
        today = datetime.datetime.now(zone).date()
        for row in rows:
            bill = collection.Bill(
                row.invoice_id.number, row.billing_period, None,
                datetime.datetime.strptime(row.date_due, "%Y-%m-%d").date(),
                None, [])
            self.assertEqual(row.days_overdue,
                             collection.days_overdue(bill, today))
            self.assertEqual(row.bucket, collection.ageing_bucket(bill, today))
        # a paid bill is not in arrears
        self.assertFalse(self.env["property.arrears.report"].search(
            [("invoice_id", "=", self.receipt.line_ids[:1].invoice_id.id),
             ("outstanding", "<=", 0)]))

    def test_an_open_complaint_marks_the_payers_arrears(self):
        Report = self.env["property.arrears.report"]
        self.assertFalse(Report.search([("invoice_id", "=", self.april.id)])
                         .open_complaint)
        self.env["property.complaint"].create({
            "partner_id": self.owner.id, "description": "Lift out of service",
            "unit_id": self.unit.id})
        Report.invalidate_cache()
        self.assertTrue(Report.search([("invoice_id", "=", self.april.id)])
                        .open_complaint)

    def test_staff_read_it_owners_do_not(self):
        self.assertEqual(self._groups("billing_period", user=self.cashier)[
            "2026-03"][0], 200.0)
        self.assertTrue(self.env["property.arrears.report"].sudo(
            self.accountant).search_count([("invoice_id", "=", self.may.id)]))
        portal = self._create_user(
            "portal-owner", [], groups_id=[(6, 0, [
                self.env.ref("base.group_portal").id])])
        for model in ("property.collection.fact", "property.arrears.report"):
            with self.assertRaises(AccessError):
                self.env[model].sudo(portal).search([])
            with self.assertRaises(AccessError):
                self.env[model].sudo(portal).read_group(
                    [], ["estate_id", "outstanding"], ["estate_id"])
