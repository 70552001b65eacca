# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dunning demo as installed (the suite's databases load demo data):
payers of 翠湖花园 at every level, one plan kept and one broken, and one
legal case with its evidence pack; a second build adds nothing."""
import base64
import io
import zipfile

from odoo.exceptions import AccessError
from odoo.tests.common import TransactionCase


class TestDunningDemo(TransactionCase):

    def setUp(self):
        super().setUp()
        self.estate = self.env["property.estate"].search(
            [("code", "=", "CHHY")], limit=1)
        self.assertTrue(self.estate, "the suite's demo estate is installed")

    def test_payers_stand_at_every_level(self):
        steps = self.env["property.dunning.step"].search(
            [("estate_id", "=", self.estate.id)])
        self.assertEqual(set(steps.mapped("level_kind")),
                         {"reminder", "call", "demand", "legal"})
        # one step per payer and day, never one per bill
        keys = [(step.partner_id.id, step.date) for step in steps]
        self.assertEqual(len(keys), len(set(keys)))
        self.assertTrue(steps.filtered(lambda s: s.state == "review"),
                        "steps wait for the clerk's review")
        calls = self.env["property.dunning.call"].search(
            [("step_id", "in", steps.ids)])
        self.assertIn("dissatisfied", calls.mapped("reason"))
        self.assertIn("hardship", calls.mapped("reason"))

    def test_one_plan_kept_and_one_broken(self):
        plans = self.env["property.instalment.plan"].search(
            [("estate_id", "=", self.estate.id)])
        self.assertEqual(sorted(plans.mapped("state")), ["broken", "completed"])
        for plan in plans:
            self.assertAlmostEqual(sum(plan.line_ids.mapped("amount")),
                                   plan.total, places=2)
        broken = plans.filtered(lambda p: p.state == "broken")
        payer = self.env["property.dunning.payer"].search([
            ("partner_id", "=", broken.partner_id.id),
            ("estate_id", "=", self.estate.id)])
        # back in dunning: a step after the break
        self.assertTrue(payer.step_ids.filtered(
            lambda s: s.date > broken.broken_on))

    def test_a_legal_case_with_its_evidence_pack(self):
        case = self.env["property.legal.case"].search(
            [("estate_id", "=", self.estate.id)])
        self.assertEqual(len(case), 1)
        pack = zipfile.ZipFile(io.BytesIO(
            base64.b64decode(case.evidence_attachment_id.datas)))
        names = pack.namelist()
        self.assertTrue(any(name.endswith(".pdf") for name in names))
        self.assertIn("index", " ".join(names).lower())
        # the demand before suit is on record: delivered by registered mail
        self.assertTrue(case.demand_step_id.letter_delivered_on)
        self.assertTrue(case.demand_step_id.letter_tracking)

    def test_a_second_build_adds_nothing_and_needs_an_administrator(self):
        before = self.env["property.dunning.step"].search_count([])
        self.assertEqual(
            self.env["property.dunning.demo"]._demo_dunning("CHHY"), {})
        self.assertEqual(self.env["property.dunning.step"].search_count([]),
                         before)
        clerk = self.env.ref("property_billing.user_clerk_demo")
        with self.assertRaises(AccessError):
            self.env["property.dunning.demo"].sudo(clerk)._demo_dunning("CHHY")
