# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest import mock

from odoo import _
from odoo.exceptions import UserError

from odoo.addons.property_billing.models.property_billing_run import (
    PropertyBillingRun)
from odoo.addons.queue_job.job import Job
from odoo.addons.property_billing.models.property_invoice_batch import (
    PropertyInvoiceBatch)
from odoo.addons.property_billing.tests.common_billing import SYNC, BillingCase


class TestBillingRun(BillingCase):
    """Runs made and run by a billing clerk (group_billing_user), as in
    production: not by the superuser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["property.billing.run"].sudo(cls.clerk).with_context(
            **SYNC)

    @classmethod
    def _create_run(cls, as_user=None, **overrides):
        return super()._create_run(as_user=as_user or cls.clerk, **overrides)

    def test_runs_are_the_clerks(self):
        run = self._generate()
        self.assertEqual(run.env.uid, self.clerk.id)
        self.assertEqual(run.create_uid, self.clerk)
        self.assertEqual(run.invoice_ids.create_uid, self.clerk)
        self.assertFalse(self.clerk.has_group("account.group_account_manager"))

    def test_preview_lists_units_lines_totals_and_problems(self):
        self._create_unit(code="9-9-0001")  # no owner: no payer
        run = self._create_run()
        run.action_preview()
        self.assertEqual(run.state, "draft")
        self.assertEqual(run.unit_count, 2)
        self.assertEqual(run.preview_line_count, 1)
        self.assertAlmostEqual(run.preview_amount, 250.60)
        self.assertIn("物业管理费", run.preview_html)
        self.assertIn("89.50 m² × 2.80", run.preview_html)
        self.assertEqual(run.issue_ids.mapped("kind"), ["no_payer"])
        self.assertEqual(run.issue_ids.unit_id.code, "9-9-0001")
        self.assertIn("2026-03-01~2026-03-31", run.issue_ids.message)
        self.assertFalse(self.Invoice.search(
            [("property_billing_run_id", "=", run.id)]))

    def test_generate_one_invoice_per_unit_with_basis_standard_period(self):
        run = self._generate()
        self.assertEqual(run.state, "generated")
        self.assertEqual((run.unit_done_count, run.unit_count), (1, 1))
        self.assertEqual(run.progress, 100.0)
        invoice = self._invoices(self.unit)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, self.owner)
        self.assertEqual(invoice.billing_period, "2026-03")
        self.assertEqual(invoice.property_period_from, "2026-03-01")
        self.assertEqual(invoice.property_period_to, "2026-03-31")
        self.assertEqual(invoice.property_billing_run_id, run)
        self.assertEqual(invoice.property_estate_id, self.estate)
        self.assertEqual(invoice.date_invoice, "2026-03-01")
        self.assertEqual(invoice.date_due, "2026-03-16")
        self.assertAlmostEqual(invoice.amount_total, 250.60)
        line = invoice.invoice_line_ids
        self.assertEqual(line.property_fee_item_id, self.fee_item)
        self.assertEqual(line.property_fee_standard_id, self.standard)
        self.assertEqual(line.property_basis, "89.50 m² × 2.80 yuan/m²/month × 1 month")
        self.assertEqual(line.account_id, self.fee_item.account_id)
        self.assertEqual(line.product_id, self.fee_item.product_id)
        ledger = self.Ledger.search([("unit_id", "=", self.unit.id)])
        self.assertEqual(len(ledger), 1)
        self.assertEqual((ledger.item_id, ledger.partner_id, ledger.invoice_line_id,
                          ledger.state, ledger.period),
                         (self.fee_item, self.owner, line, "draft", "2026-03"))

    def test_owner_change_mid_period_bills_each_payer_for_own_days(self):
        unit = self._create_unit()
        seller, buyer = self._create_owner(), self._create_owner()
        self._create_occupancy(unit_id=unit.id, partner_id=seller.id,
                               date_to="2026-03-15")
        self._create_occupancy(unit_id=unit.id, partner_id=buyer.id,
                               date_from="2026-03-16")
        self._generate()
        invoices = self._invoices(unit)
        self.assertEqual(invoices.mapped("partner_id"), seller | buyer)
        by_partner = {inv.partner_id: inv for inv in invoices}
        self.assertAlmostEqual(by_partner[seller].amount_total, 121.26)
        self.assertAlmostEqual(by_partner[buyer].amount_total, 129.34)
        line = by_partner[buyer].invoice_line_ids
        self.assertEqual((line.property_period_from, line.property_period_to),
                         ("2026-03-16", "2026-03-31"))
        self.assertIn("250.60 yuan × 16 day ÷ 31 day", line.property_basis)
        ledger = self.Ledger.search([("unit_id", "=", unit.id)])
        self.assertEqual(len(ledger), 1, "one key for the unit, item and period")
        self.assertEqual(ledger.invoice_line_ids, invoices.mapped("invoice_line_ids"))
        self.assertAlmostEqual(ledger.amount, 250.60)

    def test_vacant_unit_billed_at_the_vacant_percentage(self):
        unit, _owner = self._create_owned_unit(state="vacant")
        self._generate()
        line = self._invoices(unit).invoice_line_ids
        self.assertAlmostEqual(line.price_subtotal, 175.42)
        self.assertEqual(line.property_basis,
                         "89.50 m² × 2.80 yuan/m²/month × 1 month × 70% (vacant)")

    def test_repeated_run_bills_nothing_twice(self):
        self._generate()
        again = self._generate()
        self.assertEqual(again.state, "generated")
        self.assertFalse(again.invoice_ids)
        self.assertEqual(len(self._invoices(self.unit)), 1)
        # even repeating the chunk of the first run itself
        first = self.Run.search([("id", "!=", again.id),
                                 ("estate_id", "=", self.estate.id)])
        first._generate_chunk(self.unit.ids)
        self.assertEqual(len(self._invoices(self.unit)), 1)

    def test_resume_after_interruption(self):
        units = self.unit
        for _i in range(3):
            units |= self._create_owned_unit()[0]
        run = self._create_run()
        run.write({"state": "generating", "unit_count": 4})
        # the worker billed the first chunk, then died before the others
        run._generate_chunk(units[:2].ids)
        # a chunk that crashed midway (its ledger rows written, its invoices
        # not yet) left nothing behind: one transaction

        def killed(batch, vals_list):
            self.assertTrue(self.Ledger.search([("unit_id", "in", units[2:].ids)]))
            raise KeyboardInterrupt("worker killed")

        self.env.cr.execute("SAVEPOINT worker_job")
        with mock.patch.object(PropertyInvoiceBatch, "_create_invoices", killed):
            with self.assertRaises(KeyboardInterrupt):
                run._generate_chunk(units[2:].ids)
        self.env.cr.execute("ROLLBACK TO SAVEPOINT worker_job")
        self.env.clear()
        self.assertEqual(len(self.Invoice.search([("property_billing_run_id", "=",
                                                   run.id)])), 2)
        run.with_context(**SYNC).action_generate()  # resume
        self.assertEqual(run.state, "generated")
        self.assertEqual(run.unit_done_count, 4)
        for unit in units:
            self.assertEqual(len(self._invoices(unit)), 1)
            self.assertEqual(self.Ledger.search_count([("unit_id", "=", unit.id)]), 1)

    def test_one_unit_error_does_not_stop_the_others(self):
        bad, _owner = self._create_owned_unit()
        good, _owner = self._create_owned_unit()
        original = PropertyBillingRun._prepare_invoice_vals

        def fail_on_bad(self_run, unit, partner, lines, cache):
            if unit == bad:
                raise UserError(_("No receivable account for this owner"))
            return original(self_run, unit, partner, lines, cache)

        with mock.patch.object(PropertyBillingRun, "_prepare_invoice_vals",
                               fail_on_bad):
            run = self._generate()
        self.assertEqual(run.state, "generated")
        self.assertEqual((run.unit_done_count, run.unit_error_count), (3, 1))
        self.assertFalse(self._invoices(bad))
        self.assertFalse(self.Ledger.search([("unit_id", "=", bad.id)]),
                         "the failed unit's ledger claim was rolled back")
        self.assertEqual(len(self._invoices(good)), 1)
        self.assertEqual(len(self._invoices(self.unit)), 1)
        error = run.issue_ids.filtered(lambda i: i.kind == "error")
        self.assertEqual(error.unit_id, bad)
        self.assertIn("No receivable account", error.message)
        # fixed, the run resumes and bills the unit it missed
        run.with_context(**SYNC).action_generate()
        self.assertEqual(len(self._invoices(bad)), 1)
        self.assertEqual(run.unit_error_count, 0)

    def test_cancel_drafts_frees_the_period(self):
        run = self._generate()
        invoice = run.invoice_ids
        run.action_cancel_drafts()
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(run.state, "cancelled")
        ledger = self.Ledger.search([("unit_id", "=", self.unit.id)])
        self.assertEqual(ledger.state, "cancelled")
        rerun = self._generate()
        self.assertEqual(len(rerun.invoice_ids), 1)
        self.assertEqual(self.Ledger.search_count([
            ("unit_id", "=", self.unit.id), ("state", "=", "draft")]), 1)

    def test_post_then_correct_only_by_credit_note(self):
        run = self._generate()
        run.with_context(**SYNC).action_post()
        invoice = run.invoice_ids
        self.assertEqual(run.state, "posted")
        self.assertEqual(invoice.state, "open")
        self.assertTrue(invoice.number)
        self.assertAlmostEqual(invoice.residual, 250.60)
        ledger = invoice.invoice_line_ids.property_billing_line_id
        self.assertEqual(ledger.state, "posted")
        # a posted bill is not cancelled by the run
        run.action_cancel_drafts()
        self.assertEqual(invoice.state, "open")
        # a full credit note, through Odoo's wizard opened by the run
        action = run.action_refund()
        wizard = self.env["account.invoice.refund"].with_context(
            **action["context"]).create({"filter_refund": "cancel",
                                         "description": "wrong area"})
        wizard.invoice_refund()
        refund = self.Invoice.search([("refund_invoice_id", "=", invoice.id)])
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.property_unit_id, self.unit)
        self.assertFalse(refund.invoice_line_ids.property_billing_line_id)
        self.assertEqual(refund.invoice_line_ids.property_basis,
                         invoice.invoice_line_ids.property_basis)
        self.assertEqual(invoice.state, "paid")
        self.assertEqual(ledger.state, "refunded", "the period may be billed again")

    def test_publication_gate(self):
        estate = self._create_estate()
        unit, _owner = self._create_owned_unit(estate_id=estate.id, building_id=False)
        late = self._create_standard(self.fee_item, estate_id=estate.id)
        self._publish_standard(late, publication_date="2026-02-20")  # from 03-22
        run = self._create_run(estate_id=estate.id)
        run.action_preview()
        self.assertEqual(run.issue_ids.mapped("kind"), ["not_billable"])
        self.assertIn("2026-03-22", run.issue_ids.message)
        with self.assertRaises(UserError):
            run.action_generate()
        self.assertFalse(self._invoices(unit))

    def test_parking_fixed_fee_and_taxes(self):
        parking_item = self._create_fee_item(
            name="停车费", method="fixed", each_label="车位",
            tax_ids=[(6, 0, self._sale_tax().ids)])
        standard = self._create_standard(parking_item, rate=150.0,
                                         unit_type_parking=True)
        self._publish_standard(standard)
        space, owner = self._create_owned_unit(unit_type="parking", area=12.0,
                                               inner_area=0,
                                               owner=self.owner)
        self._generate()
        invoice = self._invoices(space)
        self.assertEqual(invoice.partner_id, owner)
        lines = invoice.invoice_line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("property_fee_item_id"),
                         self.fee_item | parking_item)
        self.assertEqual(lines[1].property_basis, "150.00 yuan/车位/month × 1 month")
        self.assertAlmostEqual(invoice.amount_untaxed, 33.60 + 150.0)
        self.assertAlmostEqual(invoice.amount_tax, 9.0)
        # the residential unit does not get the parking fee
        self.assertEqual(
            self._invoices(self.unit).invoice_line_ids.property_fee_item_id,
            self.fee_item)

    def test_chunks_are_queue_jobs_in_the_billing_channel(self):
        for _i in range(2):
            self._create_owned_unit()
        run = self._create_run()
        run.with_context(property_billing_sync=False).action_generate()
        self.assertEqual(run.state, "generating")
        self.assertFalse(run.invoice_ids, "nothing is billed before the jobs run")
        jobs = self.env["queue.job"].search([("model_name", "=", run._name),
                                             ("method_name", "=", "_generate_chunk")])
        jobs = jobs.filtered(lambda job: run.id in job.record_ids)
        self.assertEqual(len(jobs), 1)
        self.assertEqual(jobs.channel, "root.property_billing")
        Job.load(self.env, jobs.uuid).perform()
        self.assertEqual(run.state, "generated")
        self.assertEqual(len(run.invoice_ids), 3)
        run.with_context(property_billing_sync=False).action_post()
        post_jobs = self.env["queue.job"].search(
            [("method_name", "=", "_post_chunk"), ("model_name", "=", run._name)])
        post_jobs = post_jobs.filtered(lambda job: run.id in job.record_ids)
        self.assertEqual(post_jobs.channel, "root.property_billing.post")
        Job.load(self.env, post_jobs.uuid).perform()
        self.assertEqual(set(run.invoice_ids.mapped("state")), {"open"})
        self.assertEqual(run.state, "posted")

    def test_post_when_generated(self):
        for _i in range(2):
            self._create_owned_unit()
        run = self._create_run(post_when_generated=True)
        run.with_context(property_billing_sync=False).action_generate()
        generate = self.env["queue.job"].search([
            ("model_name", "=", run._name), ("method_name", "=", "_generate_chunk")]
        ).filtered(lambda job: run.id in job.record_ids)
        Job.load(self.env, generate.uuid).perform()
        # the chunk queued the posting of its own invoices, one chunk at a time
        post = self.env["queue.job"].search([
            ("model_name", "=", run._name), ("method_name", "=", "_post_chunk")]
        ).filtered(lambda job: run.id in job.record_ids)
        self.assertEqual(post.channel, "root.property_billing.post")
        self.assertEqual(set(run.invoice_ids.mapped("state")), {"draft"})
        Job.load(self.env, post.uuid).perform()
        self.assertEqual(set(run.invoice_ids.mapped("state")), {"open"})
        self.assertEqual(run.state, "posted")
        self.assertEqual(sorted(run.chunk_ids.mapped("kind")), ["generate", "post"])
        self.assertEqual(run.chunk_ids.filtered(
            lambda chunk: chunk.kind == "post").invoice_count, 3)
        self.assertEqual((run.unit_done_count, run.progress), (3, 100.0))

    def test_deleting_a_draft_frees_the_period(self):
        run = self._generate()
        ledger = run.ledger_ids
        run.invoice_ids.unlink()
        self.assertEqual(ledger.state, "cancelled")
        self.assertEqual(len(self._generate().invoice_ids), 1)

    def test_collection_pause_extension_point(self):
        """Dunning asks one bill at a time whether it is paused, and why: a
        posted bill that nothing pauses answers (False, ''); several bills
        at once are refused rather than answered for the first one."""
        self._create_owned_unit()
        run = self._generate()
        run.action_post()
        invoices = run.invoice_ids
        self.assertEqual(invoices.mapped("state"), ["open", "open"])
        for invoice in invoices:
            self.assertEqual(invoice._property_collection_pause(), (False, ""))
        with self.assertRaises(ValueError):
            invoices._property_collection_pause()
