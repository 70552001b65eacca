# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Multi-company record rules on every stored model of property_billing, and
the migration that gives existing databases the shipped rules."""
from odoo.exceptions import AccessError

from odoo.addons.property_billing.tests.common import load_migration
from odoo.addons.property_billing.tests.common_billing import SYNC, BillingCase

COMPANY_DOMAIN = ("['|',('company_id','=',False),"
                  "('company_id','child_of',[user.company_id.id])]")


class TestMultiCompanyRules(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create(
            {"name": "Other Property Co %d" % cls._next()})
        cls.outsider = cls._create_user(
            "outsider", [cls.group_billing_manager.id,
                         cls.env.ref("account.group_account_invoice").id],
            company=cls.other_company)
        water = cls._create_fee_item(name="水费", method="metered")
        cls.tiered = cls._create_standard(
            water, rate=0.0, tier_ids=[(0, 0, {"upto": 180, "price": 3.45}),
                                       (0, 0, {"upto": 0, "price": 7.72})])
        cls.consultation = cls.env["property.fee.consultation"].create({
            "standard_id": cls.standard.id, "date": "2026-02-20",
            "participants": "业主代表", "outcome": "agreed"})
        meter = cls.env["property.meter"].create({
            "code": "M-%d" % cls._next(), "kind": "water",
            "unit_id": cls.unit.id, "estate_id": cls.estate.id, "digits": 5})
        cls.reading = cls.env["property.meter.reading"].create({
            "meter_id": meter.id, "date": "2026-02-28", "value": 12.0,
            "reading_type": "normal"})
        cls.billing_run = cls._create_run()
        cls.billing_run.with_context(**SYNC).action_generate()
        cls.env["property.billing.run.issue"].create({
            "run_id": cls.billing_run.id, "kind": "error", "message": "test issue"})

    def _records(self):
        return {
            "property.billing.line": self.billing_run.ledger_ids,
            "property.meter.reading": self.reading,
            "property.fee.consultation": self.consultation,
            "property.fee.standard.tier": self.tiered.tier_ids,
            "property.billing.run.chunk": self.billing_run.chunk_ids,
            "property.billing.run.issue": self.billing_run.issue_ids,
        }

    def test_every_stored_model_has_a_company_rule(self):
        Rule = self.env["ir.rule"]
        models = self.env["ir.model"].search([("model", "=like", "property.%")])
        missing = []
        for model in models:
            Model = self.env[model.model]
            if Model._abstract or Model._transient or not Model._auto:
                continue
            if not Rule.search([("model_id", "=", model.id),
                                ("global", "=", True),
                                ("domain_force", "like", "company_id")]):
                missing.append(model.model)
        billing = [name for name in missing
                   if self.env[name]._original_module == "property_billing"]
        self.assertEqual(billing, [])

    def test_own_company_sees_its_records(self):
        for model, records in self._records().items():
            self.assertTrue(records, model)
            mine = self.env[model].sudo(self.manager).search(
                [("id", "in", records.ids)])
            self.assertEqual(mine, records, model)

    def test_other_company_sees_nothing(self):
        for model, records in self._records().items():
            self.assertTrue(records, model)
            theirs = self.env[model].sudo(self.outsider)
            self.assertFalse(theirs.search([("id", "in", records.ids)]), model)
            with self.assertRaises(AccessError, msg=model):
                records.sudo(self.outsider).read(["write_date"])

    def test_migration_restores_a_reverted_rule(self):
        rule = self.env.ref("property_billing.property_billing_line_rule_company")
        self.assertEqual(rule.domain_force, COMPANY_DOMAIN)
        rule.write({"domain_force": "[(1, '=', 1)]"})
        self.assertTrue(self.env["property.billing.line"].sudo(self.outsider)
                        .search([("id", "in", self.billing_run.ledger_ids.ids)]))
        migration = load_migration("property_billing", "11.0.1.1.0")
        migration.migrate(self.env.cr, "11.0.1.0.0")
        rule.invalidate_cache()
        self.assertEqual(rule.domain_force, COMPANY_DOMAIN)
        self.assertFalse(self.env["property.billing.line"].sudo(self.outsider)
                         .search([("id", "in", self.billing_run.ledger_ids.ids)]))
        # a fresh installation has nothing to migrate
        rule.write({"domain_force": "[(1, '=', 1)]"})
        migration.migrate(self.env.cr, None)
        rule.invalidate_cache()
        self.assertEqual(rule.domain_force, "[(1, '=', 1)]")
