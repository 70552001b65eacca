# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The service models (the demo generator, the bulk-write engine and the
invoice batch) write with SQL: nothing of theirs answers over RPC, and each
service checks the caller's rights on what it writes before building or
writing anything."""
from unittest import mock

from odoo.exceptions import AccessError

from odoo.addons.property_billing.rules import demo_estate
from odoo.addons.property_billing.tests.common_billing import SYNC, BillingCase

SERVICES = ("property.demo.generator", "property.bulk.insert",
            "property.invoice.batch")
# the former public names of the services
FORMER = {
    "property.demo.generator": ["generate"],
    "property.invoice.batch": ["create_invoices", "create_records", "write_values",
                               "post_invoices", "subscribe_customers"],
}


class TestServiceAccess(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = cls._create_portal_user(cls.owner)
        cls.employee = cls._create_user("employee", [])
        cls.billing_run = cls._create_run()
        cls.billing_run.with_context(**SYNC).action_generate()
        cls.draft = cls.billing_run.invoice_ids

    def _vals(self):
        return {
            "partner_id": self.owner.id, "type": "out_invoice",
            "journal_id": self.draft.journal_id.id, "origin": "RPC test",
            "invoice_line_ids": [(0, 0, {
                "name": "fee", "account_id": self.fee_item.account_id.id,
                "quantity": 1.0, "price_unit": 10.0})],
        }

    def test_services_have_no_public_method_of_their_own(self):
        # what every model has (the ORM and what web, mail, queue_job add)
        base = set(dir(type(self.env["base"])))
        for model in SERVICES:
            cls = type(self.env[model])
            public = sorted(name for name in dir(cls)
                            if not name.startswith("_") and name not in base
                            and callable(getattr(cls, name)))
            self.assertEqual(public, [], model)
        for model, names in FORMER.items():
            for name in names:
                self.assertFalse(hasattr(type(self.env[model]), name),
                                 "%s.%s" % (model, name))

    def _own_methods(self, model):
        """Every method the suite's Python defines on ``model``."""
        return sorted({
            name for cls in type(self.env[model]).__mro__
            if cls.__module__.startswith("odoo.addons.property_billing.")
            for name, value in vars(cls).items()
            if callable(value) or isinstance(value, (staticmethod, classmethod))})

    def test_portal_owner_and_employee_get_access_error_over_rpc(self):
        """Every method of the services, called over RPC with the arguments
        a caller would give (any other method: none), answers AccessError."""
        arguments = {
            "_generate": (7, 40, 1, "RPC"),
            "_create_invoices": ([self._vals()],),
            "_post_invoices": (self.draft.ids,),
            "_subscribe_customers": (self.draft.ids,),
            "_write_values": (self.draft.ids, {self.draft.id: {"state": "open"}}),
            "_create_records": ("property.estate", [{"name": "RPC", "code": "RPC"}]),
        }
        calls = [(model, method) for model in SERVICES
                 for method in self._own_methods(model)]
        self.assertIn(("property.demo.generator", "_generate"), calls)
        self.assertIn(("property.invoice.batch", "_create_rows"), calls)
        Estate = self.env["property.estate"].with_context(active_test=False)
        with mock.patch.object(demo_estate, "generate",
                               wraps=demo_estate.generate) as planned:
            for user in (self.portal, self.employee):
                for model, method in calls:
                    with self.assertRaises(AccessError, msg=(user.login, method)):
                        self._rpc(user, model, method, *arguments.get(method, ()))
        planned.assert_not_called()
        self.assertFalse(Estate.search([("code", "in", ["RPCCHHY", "RPC"])]))
        self.assertEqual(self.draft.state, "draft")
        self.assertFalse(self.Invoice.search([("origin", "=", "RPC test")]))

    def test_generator_checks_rights_before_building_the_register(self):
        generator = self.env["property.demo.generator"]
        Estate = self.env["property.estate"].with_context(active_test=False)
        with mock.patch.object(demo_estate, "generate",
                               wraps=demo_estate.generate) as planned:
            for user in (self.portal, self.employee, self.clerk):
                with self.assertRaises(AccessError, msg=user.login):
                    generator.sudo(user)._generate(
                        seed=3, units=40, estates=1, code_prefix="NO")
            planned.assert_not_called()
            self.assertFalse(Estate.search([("code", "=like", "NO%")]))
            # a billing manager may create the register (not the xml ids)
            with self.assertRaises(AccessError):
                generator.sudo(self.manager)._generate(
                    seed=3, units=40, estates=1, code_prefix="NO", demo_xmlid=True)
            result = generator.sudo(self.manager)._generate(
                seed=3, units=40, estates=1, code_prefix="OK")
        self.assertEqual(planned.call_count, 1)
        self.assertEqual(len(result["unit_ids"]), 40)

    def test_invoice_batch_checks_rights_before_writing(self):
        batch = self.env["property.invoice.batch"]
        Ledger = self.env["property.billing.line"]
        for user in (self.portal, self.employee):
            with self.assertRaises(AccessError, msg=user.login):
                batch.sudo(user)._create_invoices([self._vals()])
            with self.assertRaises(AccessError, msg=user.login):
                batch.sudo(user)._post_invoices(self.draft.sudo(user))
            with self.assertRaises(AccessError, msg=user.login):
                batch.sudo(user)._subscribe_customers(self.draft.sudo(user))
            entries = Ledger.search([("run_id", "=", self.billing_run.id)])
            with self.assertRaises(AccessError, msg=user.login):
                batch.sudo(user)._write_values(entries.sudo(user), {
                    entry.id: {"state": "cancelled"} for entry in entries})
        self.assertFalse(self.Invoice.search([("origin", "=", "RPC test")]))
        self.assertEqual(self.draft.state, "draft")
        self.assertNotIn(self.owner, self.draft.message_partner_ids)
        self.assertNotIn("cancelled", Ledger.search(
            [("run_id", "=", self.billing_run.id)]).mapped("state"))
        # the clerk bills and posts through the batch
        self.billing_run.sudo(self.clerk).with_context(**SYNC).action_post()
        self.assertEqual(self.draft.state, "open")
