# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The payer's language words the basis of their bill (计费依据): not the
language of whoever starts the run, nor of the worker that runs its jobs."""
from odoo.addons.queue_job.job import Job

from odoo.addons.property_billing.tests.common_billing import SYNC, BillingCase

ZH_BASIS = "89.50 m² × 2.80 元/m²/月 × 1 月"
EN_BASIS = "89.50 m² × 2.80 yuan/m²/month × 1 month"


class TestBillingRunLanguage(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_lang("zh_CN")
        cls.manager_zh = cls._create_user(
            "manager_zh", [cls.group_billing_manager.id], lang="zh_CN",
            name="经理")

    def _run_as(self, user, **overrides):
        """A run created by ``user``, in ``user``'s language as the web client
        calls it."""
        vals = {
            "estate_id": self.estate.id,
            "date_from": "2026-03-01",
            "date_to": "2026-03-31",
            "invoice_date": "2026-03-01",
        }
        vals.update(overrides)
        return self.env["property.billing.run"].sudo(user).with_context(
            lang=user.lang, **SYNC).create(vals)

    def _basis(self, unit):
        return self._invoices(unit).mapped("invoice_line_ids.property_basis")

    def test_english_clerk_bills_a_chinese_payer_in_chinese(self):
        unit, _owner = self._create_owned_unit(
            owner=self._create_owner(lang="zh_CN"))
        vacant, _owner = self._create_owned_unit(
            state="vacant", owner=self._create_owner(lang="zh_CN"))
        self.assertEqual(self.clerk.lang, "en_US")
        self._run_as(self.clerk).action_generate()
        self.assertEqual(self._basis(unit), [ZH_BASIS])
        self.assertEqual(self._basis(vacant), [ZH_BASIS + " × 70% (空置)"])
        # the English payer of the same run reads English
        self.assertEqual(self._basis(self.unit), [EN_BASIS])

    def test_chinese_manager_queues_jobs_an_english_payer_reads_english(self):
        unit, _owner = self._create_owned_unit(
            owner=self._create_owner(lang="zh_CN"))
        run = self._run_as(self.manager_zh)
        run.with_context(property_billing_sync=False).action_generate()
        self.assertFalse(run.invoice_ids, "billed by the job, not by the click")
        job = self.env["queue.job"].search([
            ("model_name", "=", run._name), ("method_name", "=", "_generate_chunk")]
        ).filtered(lambda job: run.id in job.record_ids)
        # the worker runs the job in the language of its own environment
        Job.load(self.env(context=dict(self.env.context, lang="zh_CN")),
                 job.uuid).perform()
        self.assertEqual(self._basis(self.unit), [EN_BASIS])
        self.assertEqual(self._basis(unit), [ZH_BASIS])

    def test_owner_change_each_payer_in_their_own_language(self):
        unit = self._create_unit()
        seller = self._create_owner(lang="zh_CN")
        buyer = self._create_owner(lang="en_US")
        self._create_occupancy(unit_id=unit.id, partner_id=seller.id,
                               date_to="2026-03-15")
        self._create_occupancy(unit_id=unit.id, partner_id=buyer.id,
                               date_from="2026-03-16")
        self._run_as(self.manager_zh).action_generate()
        by_partner = {inv.partner_id: inv.invoice_line_ids.property_basis
                      for inv in self._invoices(unit)}
        self.assertIn("250.60 元 × 15 天 ÷ 31 天", by_partner[seller])
        self.assertIn("250.60 yuan × 16 day ÷ 31 day", by_partner[buyer])
        self.assertAlmostEqual(
            sum(self._invoices(unit).mapped("amount_total")), 250.60)

    def test_demo_period_bills_in_the_payers_language(self):
        """The demo's posted period (demo/property_billing_run_demo.xml) is
        generated at install, in an English context: each bill reads in its
        payer's language all the same."""
        unit, owner = self._create_owned_unit(owner=self._create_owner(lang="zh_CN"))
        run = self.env["property.billing.run"].browse(
            self.env["property.demo.generator"].with_context(
                lang="en_US")._demo_post_previous_month(self.estate.code))
        self.assertEqual(run.state, "posted")
        by_partner = {inv.partner_id: inv.invoice_line_ids.property_basis
                      for inv in run.invoice_ids}
        self.assertIn("元/m²/月", by_partner[owner])
        self.assertIn("yuan/m²/month", by_partner[self.owner])
        self.assertEqual(self._invoices(unit).state, "open")

    def test_payer_without_language_estate_then_company(self):
        unit, owner = self._create_owned_unit(owner=self._create_owner(lang=False))
        self.estate.lang = "zh_CN"
        self.company.partner_id.lang = "en_US"
        self._run_as(self.clerk).action_generate()
        self.assertEqual(self._basis(unit), [ZH_BASIS])
        # without the estate's: the company's
        self._invoices(unit).action_invoice_cancel()
        self.estate.lang = False
        self._run_as(self.manager_zh).action_generate()
        self.assertEqual(self._basis(unit), [EN_BASIS])
        self.assertFalse(owner.lang)
