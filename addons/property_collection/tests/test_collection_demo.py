# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo history builder on one building of the demo register, three
months: bills through billing runs, payments through the allocation
service, dunning runs, the withholding owners' complaints; the reports tie
out to the journal items on what it built."""
import random

from odoo.exceptions import AccessError
from odoo.tests.common import SavepointCase

from ..models.property_collection_demo import MARKER

SCOPE = (("JXHT", 0),)


class TestCollectionDemo(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Demo = cls.env["property.collection.demo"]
        cls.estate = cls.env["property.estate"].search(
            [("code", "=", "JXHT")], limit=1)
        cls.building = cls.estate.building_ids.sorted(
            lambda b: (b.sequence, b.id))[:1]
        cls.env["ir.config_parameter"].sudo().set_param(MARKER, False)
        last_run = cls.env["property.billing.run"].search(
            [], order="id desc", limit=1).id or 0
        cls.summary = cls.Demo._demo_history(
            seed=7, months=2, scope=SCOPE, withholding=SCOPE[0])
        # the bills of the runs it made (a database may hold older ones)
        cls.bills = cls.env["account.invoice"].search([
            ("property_billing_run_id", ">", last_run),
            ("state", "in", ("open", "paid"))])

    def test_the_months_are_billed_and_paid(self):
        self.assertTrue(self.summary, "the demo register has the estate JXHT")
        self.assertEqual(self.bills.mapped("property_billing_run_id.estate_id"),
                         self.estate)
        units = self.building.unit_ids
        periods = set(self.bills.mapped("billing_period"))
        self.assertGreaterEqual(len(periods), 3)
        self.assertEqual(self.summary["bills"], len(self.bills))
        # nothing billed twice: one bill per unit, period and payer (an
        # owner change in the month splits it between the two)
        keys = [(bill.property_unit_id.id, bill.billing_period,
                 bill.commercial_partner_id.id) for bill in self.bills]
        self.assertEqual(len(keys), len(set(keys)))
        self.assertLessEqual(len(set(key[0] for key in keys)), len(units))
        receipts = self.env["property.receipt"].search([
            ("estate_id", "=", self.estate.id), ("state", "=", "posted"),
            ("line_ids.invoice_id", "in", self.bills.ids)])
        self.assertLessEqual(len(receipts), self.summary["payments"])
        self.assertTrue(receipts)
        self.assertGreater(len(set(receipts.mapped("channel_code"))), 2)
        # some pay, some do not: a collection rate between the two
        paid = self.bills.filtered(lambda bill: bill.state == "paid")
        self.assertTrue(0 < len(paid) < len(self.bills))

    def test_the_reports_tie_out_on_the_history(self):
        self.env.cr.execute("""
            SELECT COALESCE(sum(ml.debit), 0),
                   COALESCE(sum(ml.amount_residual), 0)
              FROM account_move_line ml
              JOIN account_invoice i ON i.move_id = ml.move_id
              JOIN account_account a ON a.id = ml.account_id
             WHERE i.id IN %s AND a.internal_type = 'receivable'
               AND ml.debit > 0""", [tuple(self.bills.ids)])
        debit, residual = self.env.cr.fetchone()
        self.env["property.collection.store"]._refresh()
        self.env.cr.execute("""
            SELECT sum(billed), sum(outstanding), sum(collected)
              FROM property_collection_fact WHERE invoice_id IN %s""",
                            [tuple(self.bills.ids)])
        billed, outstanding, collected = self.env.cr.fetchone()
        self.assertAlmostEqual(float(billed), float(debit), places=2)
        self.assertAlmostEqual(float(outstanding), float(residual), places=2)
        self.env.cr.execute("""
            SELECT COALESCE(sum(rl.amount), 0)
              FROM property_receipt_line rl
              JOIN property_receipt r ON r.id = rl.receipt_id
             WHERE rl.invoice_id IN %s AND rl.kind = 'bill'
               AND r.state = 'posted'""", [tuple(self.bills.ids)])
        receipted = float(self.env.cr.fetchone()[0])
        self.env.cr.execute("""
            SELECT COALESCE(sum(amount), 0) FROM property_advance_entry
             WHERE invoice_id IN %s AND kind = 'applied' AND state = 'done'
               AND receipt_id IS NOT NULL""", [tuple(self.bills.ids)])
        applied = float(self.env.cr.fetchone()[0])
        self.assertAlmostEqual(float(collected), receipted + applied,
                               places=2)
        arrears = self.env["property.arrears.report"].search(
            [("invoice_id", "in", self.bills.ids)])
        self.assertAlmostEqual(sum(arrears.mapped("outstanding")),
                               float(residual), places=2)

    def test_the_withholding_owners_complain(self):
        complaints = self.env["property.complaint"].search([
            ("unit_id.building_id", "=", self.building.id),
            ("is_closed", "=", False)])
        self.assertTrue(complaints)
        rows = self.env["property.arrears.report"].search([
            ("building_id", "=", self.building.id),
            ("open_complaint", "=", True)])
        self.assertTrue(rows)

    def test_the_behaviours_follow_the_seed(self):
        scope = self.Demo._scope(SCOPE)
        first = self.Demo._behaviours(scope, random.Random(7), self.building)
        second = self.Demo._behaviours(scope, random.Random(7), self.building)
        self.assertEqual(first, second)
        self.assertNotEqual(first, self.Demo._behaviours(
            scope, random.Random(8), self.building))

    def test_built_once_and_by_administrators_only(self):
        self.assertFalse(self.Demo._demo_history(seed=7, months=2,
                                                 scope=SCOPE))
        clerk = self.env.ref("property_billing.user_clerk_demo")
        with self.assertRaises(AccessError):
            self.Demo.sudo(clerk)._demo_history()
