# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The run's batch path (property.invoice.batch) writes exactly the rows of
Odoo's own path (``account.invoice.create`` + ``action_invoice_open``): every
column of the invoice, its lines, tax lines, journal entry and journal items,
their tax links and the followers, but for identities, timestamps, the
random access token and the number (the next one of the same sequence)."""
import importlib
import os
import re
from unittest import mock

import odoo.modules.module
from odoo import models

from odoo.addons.property_billing.models.property_billing_run import (
    FAST_CONTEXT, PropertyBillingRun)
from odoo.addons.property_billing.models.property_invoice_batch import (
    BatchUnsupported)
from odoo.addons.property_billing.tests.common_billing import SYNC, BillingCase

ALWAYS_DIFFERENT = {"id", "create_date", "write_date", "access_token"}
# columns pointing to the records compared themselves (compared through them)
TABLES = [
    ("account_invoice", "id", {"number", "move_name", "move_id"}),
    ("account_invoice_line", "invoice_id", {"invoice_id", "property_billing_line_id"}),
    ("account_invoice_tax", "invoice_id", {"invoice_id"}),
    ("account_move", "id", {"name"}),
    ("account_move_line", "move_id", {"move_id", "invoice_id"}),
]


class TestBillingEquivalence(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax = cls._sale_tax()
        cls.fee_item.tax_ids = [(6, 0, cls.tax.ids)]
        cls.payment_term = cls.env.ref("account.account_payment_term_net")

    def setUp(self):
        super().setUp()
        # the batch path must not fall back to the ORM: that would compare
        # Odoo with itself
        for name in ("_bill_unit", "_post_invoices"):
            patcher = mock.patch.object(
                PropertyBillingRun, name,
                side_effect=AssertionError("%s: the batch fell back to the ORM" % name))
            patcher.start()
            self.addCleanup(patcher.stop)

    def _orm_twin(self, run_invoice):
        """The same bill, the way a clerk's code would create and validate it."""
        Invoice = self.env["account.invoice"].sudo(self.clerk).with_context(
            **FAST_CONTEXT)
        invoice = Invoice.create(self._twin_vals(run_invoice))
        invoice.action_invoice_open()
        return invoice

    @staticmethod
    def _twin_vals(run_invoice, price=None):
        return {
            "partner_id": run_invoice.partner_id.id,
            "type": "out_invoice",
            "journal_id": run_invoice.journal_id.id,
            "date_invoice": run_invoice.date_invoice,
            "date_due": run_invoice.date_due,
            "name": run_invoice.name,
            "origin": run_invoice.origin,
            "property_unit_id": run_invoice.property_unit_id.id,
            "billing_period": run_invoice.billing_period,
            "property_period_from": run_invoice.property_period_from,
            "property_period_to": run_invoice.property_period_to,
            "property_billing_run_id": run_invoice.property_billing_run_id.id,
            "invoice_line_ids": [(0, 0, {
                "name": line.name,
                "product_id": line.product_id.id,
                "uom_id": line.uom_id.id,
                "account_id": line.account_id.id,
                "quantity": line.quantity,
                "price_unit": line.price_unit if price is None else price,
                "sequence": line.sequence,
                "invoice_line_tax_ids": [(6, 0, line.invoice_line_tax_ids.ids)],
                "property_fee_item_id": line.property_fee_item_id.id,
                "property_fee_standard_id": line.property_fee_standard_id.id,
                "property_basis": line.property_basis,
                "property_period_from": line.property_period_from,
                "property_period_to": line.property_period_to,
            }) for line in run_invoice.invoice_line_ids],
        }

    def _rows(self, table, key, record_id):
        self.env.cr.execute(
            'SELECT * FROM "%s" WHERE "%s" = %%s ORDER BY id' % (table, key),
            (record_id,))
        names = [column.name for column in self.env.cr.description]
        return [dict(zip(names, row)) for row in self.env.cr.fetchall()]

    def _assert_same_rows(self, run_invoice, orm_invoice):
        for table, key, skip in TABLES:
            run_id = run_invoice.move_id.id if table.startswith("account_move") \
                else run_invoice.id
            orm_id = orm_invoice.move_id.id if table.startswith("account_move") \
                else orm_invoice.id
            mine = self._rows(table, key, run_id)
            theirs = self._rows(table, key, orm_id)
            if table == "account_move_line":  # creation order differs
                def order(row):
                    return (row["account_id"], row["debit"], row["credit"], row["name"])
                mine, theirs = sorted(mine, key=order), sorted(theirs, key=order)
            self.assertEqual(len(mine), len(theirs), table)
            self.assertTrue(mine, table)
            for my_row, their_row in zip(mine, theirs):
                for column in my_row:
                    if column in ALWAYS_DIFFERENT or column in skip:
                        continue
                    self.assertEqual(my_row[column], their_row[column],
                                     "%s.%s differs" % (table, column))

    def _assert_equivalent(self, run_invoice, orm_invoice):
        self._assert_same_rows(run_invoice, orm_invoice)
        for mine, theirs in zip(run_invoice.invoice_line_ids,
                                orm_invoice.invoice_line_ids):
            self.assertEqual(mine.invoice_line_tax_ids, theirs.invoice_line_tax_ids)

        def key(line):
            return (line.account_id.code, line.debit, line.credit, line.name)

        for mine, theirs in zip(run_invoice.move_id.line_ids.sorted(key),
                                orm_invoice.move_id.line_ids.sorted(key)):
            self.assertEqual(mine.tax_ids, theirs.tax_ids)
            self.assertEqual(mine.analytic_tag_ids, theirs.analytic_tag_ids)
        # same sequence: same format; the number is the move's name
        self.assertEqual(re.sub(r"\d+$", "", run_invoice.number),
                         re.sub(r"\d+$", "", orm_invoice.number))
        self.assertEqual(run_invoice.move_id.name, run_invoice.number)
        self.assertEqual(run_invoice.move_name, run_invoice.number)
        # same followers (Odoo subscribes the customer on validation)
        self.assertEqual(
            [(f.partner_id, f.subtype_ids) for f in run_invoice.message_follower_ids],
            [(f.partner_id, f.subtype_ids) for f in orm_invoice.message_follower_ids])

    def _run_and_post(self):
        """A run created, generated and posted by the billing clerk."""
        run = self.Run.sudo(self.clerk).create({
            "estate_id": self.estate.id, "date_from": "2026-03-01",
            "date_to": "2026-03-31", "invoice_date": "2026-03-01"})
        run.with_context(**SYNC).action_generate()
        run.with_context(**SYNC).action_post()
        self.assertEqual(run.invoice_ids.mapped("create_uid"), self.clerk)
        self.assertEqual(run.invoice_ids.mapped("move_id.create_uid"), self.clerk)
        self.assertEqual(set(run.invoice_ids.mapped("state")), {"open"})
        return run

    def test_run_invoice_equals_orm_invoice(self):
        run = self._run_and_post()
        run_invoice = run.invoice_ids
        orm_invoice = self._orm_twin(run_invoice)
        self.assertEqual(run_invoice.origin, run.name)
        self.assertAlmostEqual(run_invoice.amount_tax, 15.04)
        self.assertAlmostEqual(run_invoice.amount_total, 265.64)
        self.assertAlmostEqual(run_invoice.residual, 265.64)
        self._assert_equivalent(run_invoice, orm_invoice)
        self.assertEqual(int(orm_invoice.number[-4:]),
                         int(run_invoice.number[-4:]) + 1)

    def test_payment_term_many_invoices_and_items(self):
        self.owner.property_payment_term_id = self.payment_term
        fixed = self._create_fee_item(name="垃圾清运费", method="fixed")
        self._publish_standard(self._create_standard(fixed, rate=10.0))
        units = self.unit
        for _i in range(4):
            units |= self._create_owned_unit(owner=self.owner)[0]
        run = self._run_and_post()
        self.assertEqual(len(run.invoice_ids), 5)
        numbers = sorted(run.invoice_ids.mapped("number"))
        self.assertEqual(len(set(numbers)), 5)
        for run_invoice in run.invoice_ids:
            self.assertEqual(len(run_invoice.invoice_line_ids), 2)
            self.assertEqual(run_invoice.payment_term_id, self.payment_term)
            self._assert_equivalent(run_invoice, self._orm_twin(run_invoice))

    def test_reposted_invoice_keeps_its_number(self):
        run = self._run_and_post()
        invoice = run.invoice_ids
        twin = self._orm_twin(invoice)
        number, twin_number = invoice.number, twin.number
        self.env["account.journal"].browse(
            invoice.journal_id.id).update_posted = True
        for bill in (invoice, twin):
            bill.action_invoice_cancel()
            bill.action_invoice_draft()
            # Odoo's action_invoice_draft leaves "open" in the cache (printing)
            bill.invalidate_cache()
            self.assertEqual(bill.state, "draft")
            self.assertFalse(bill.move_id)
        run.with_context(**SYNC).action_post()
        twin.action_invoice_open()
        self.assertEqual(invoice.state, "open")
        self.assertEqual(invoice.number, number)
        self.assertEqual(invoice.move_id.name, number)
        self.assertEqual(twin.number, twin_number)
        self.assertAlmostEqual(invoice.residual, 265.64)
        self._assert_equivalent(invoice, twin)

    def _analytic_rows(self, invoice):
        self.env.cr.execute("""
            SELECT * FROM account_analytic_line WHERE move_id IN %s
            ORDER BY amount, name""", (tuple(invoice.move_id.line_ids.ids),))
        names = [column.name for column in self.env.cr.description]
        skip = ALWAYS_DIFFERENT | {"move_id"}
        return [{name: value for name, value in zip(names, row) if name not in skip}
                for row in self.env.cr.fetchall()]

    def test_price_included_tax_two_line_term_and_fiscal_position(self):
        included = self.env["account.tax"].create({
            "name": "VAT 6%% included %d" % self._next(), "amount": 6.0,
            "amount_type": "percent", "type_tax_use": "sale",
            "price_include": True, "company_id": self.company.id})
        fiscal_position = self.env["account.fiscal.position"].create({
            "name": "Prices with VAT %d" % self._next(),
            "company_id": self.company.id,
            "tax_ids": [(0, 0, {"tax_src_id": self.tax.id,
                                "tax_dest_id": included.id})]})
        term = self.env["account.payment.term"].create({
            "name": "Half now, half in 30 days %d" % self._next(),
            "line_ids": [
                (0, 0, {"value": "percent", "value_amount": 50.0, "days": 0,
                        "sequence": 1}),
                (0, 0, {"value": "balance", "days": 30, "sequence": 2})]})
        self.owner.write({"property_account_position_id": fiscal_position.id,
                          "property_payment_term_id": term.id})
        run_invoice = self._run_and_post().invoice_ids
        self.assertEqual(run_invoice.fiscal_position_id, fiscal_position)
        self.assertEqual(run_invoice.invoice_line_ids.invoice_line_tax_ids, included)
        # the tax is inside the price: 89.50 m² × 2.80 = 250.60 in all
        self.assertAlmostEqual(run_invoice.amount_total, 250.60)
        self.assertAlmostEqual(run_invoice.amount_tax, 14.18)
        receivable = run_invoice.move_id.line_ids.filtered(
            lambda line: line.account_id == run_invoice.account_id)
        self.assertEqual(len(receivable), 2)
        self.assertEqual(len(set(receivable.mapped("date_maturity"))), 2)
        self._assert_equivalent(run_invoice, self._orm_twin(run_invoice))

    def test_discount_analytic_account_and_credit_note(self):
        """What a run does not write today but the batch accepts: each
        compared with Odoo's create + validate, as the clerk."""
        template = self._run_and_post().invoice_ids
        analytic = self.env["account.analytic.account"].create({
            "name": "Estate %d" % self._next(), "company_id": self.company.id})
        vals = self._twin_vals(template)
        for _zero, _zero2, line in vals["invoice_line_ids"]:
            line.update(discount=10.0, account_analytic_id=analytic.id)
        batch = self.env["property.invoice.batch"].sudo(self.clerk).with_context(
            **FAST_CONTEXT)
        Invoice = self.env["account.invoice"].sudo(self.clerk).with_context(
            **FAST_CONTEXT)
        for invoice_type in ("out_invoice", "out_refund"):
            bill = dict(vals, type=invoice_type)
            mine = batch._create_invoices([bill])
            batch._post_invoices(mine)
            theirs = Invoice.create(bill)
            theirs.action_invoice_open()
            self.assertEqual(mine.type, invoice_type)
            # 250.60 less 10 %, plus 6 % VAT
            self.assertAlmostEqual(mine.amount_untaxed, 225.54)
            self.assertAlmostEqual(mine.amount_total, 239.07)
            self._assert_equivalent(mine, theirs)
            analytic_rows = self._analytic_rows(mine)
            self.assertEqual(analytic_rows, self._analytic_rows(theirs))
            self.assertTrue(analytic_rows)

    def test_zero_invoice_is_paid_as_odoo_does(self):
        template = self._run_and_post().invoice_ids
        vals = self._twin_vals(template, price=0.0)
        batch = self.env["property.invoice.batch"].with_context(**FAST_CONTEXT)
        mine = batch._create_invoices([vals])
        batch._post_invoices(mine)
        theirs = self.env["account.invoice"].with_context(**FAST_CONTEXT).create(vals)
        theirs.action_invoice_open()
        self.assertEqual(mine.state, "paid")
        self.assertEqual(theirs.state, "paid")
        self._assert_equivalent(mine, theirs)


class TestBatchFallback(BillingCase):
    """Where the batch cannot reproduce Odoo, the run uses the ORM."""

    def test_journal_with_entry_controls_falls_back_to_the_orm(self):
        run = self._create_run()
        journal = run.journal_id
        journal.account_control_ids = [(6, 0, (
            self.fee_item.account_id | self.owner.property_account_receivable_id
            | self.env["account.account"].search([
                ("company_id", "=", self.company.id)])).ids)]
        batch = self.env["property.invoice.batch"]
        with self.assertRaises(BatchUnsupported):
            batch._check_supported(journal=journal)
        spy = mock.patch.object(PropertyBillingRun, "_post_invoices", autospec=True,
                                side_effect=PropertyBillingRun._post_invoices)
        with spy as post_through_orm:
            self._generate(run)
            run.with_context(**SYNC).action_post()
        self.assertTrue(post_through_orm.called)
        self.assertEqual(run.invoice_ids.state, "open")
        self.assertTrue(run.invoice_ids.move_id)

    def test_foreign_override_is_detected(self):
        batch = self.env["property.invoice.batch"]
        self.assertEqual(batch._foreign_overrides(), [])
        with mock.patch(
                "odoo.addons.property_billing.models.property_bulk_insert."
                "addon_of", side_effect=lambda cls: "some_addon"
                if cls.__name__ == "AccountInvoice" else "account"):
            self.assertIn("account.invoice.create (some_addon)",
                          batch._foreign_overrides())


TEST_ADDONS = os.path.join(
    os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, "tests", "addons")


class TestForeignAddonOverrides(BillingCase):
    """An add-on overriding what the batch reproduces sends billing to the
    ORM, so that its override runs. The add-on (tests/addons/
    property_test_override) is not installed: that would send every other
    test of the database to the ORM. Its class is chained on top of the
    registry's class as Odoo's registry chains an installed add-on's
    (``_build_model``: the add-on's class first, then the model so far), for
    the length of one test; the run and the guard then see the registry
    they would see with the add-on installed."""

    def _install_override(self, model, module):
        path = os.path.realpath(TEST_ADDONS)
        # Odoo's import hook looks for add-ons in ad_paths (not listed for
        # longer than the import: the module list must not see it)
        ad_paths = odoo.modules.module.ad_paths
        ad_paths.append(path)
        try:
            module = importlib.import_module(
                "odoo.addons.property_test_override.models.%s" % module)
        finally:
            ad_paths.remove(path)
        override = next(
            cls for cls in vars(module).values() if isinstance(cls, type)
            and issubclass(cls, models.BaseModel)
            and getattr(cls, "_inherit", None) == model)
        registry = self.env.registry
        current = registry.models[model]
        registry.models[model] = type(current.__name__, (override, current), {
            "_register": False, "__module__": current.__module__})
        self.addCleanup(registry.models.__setitem__, model, current)
        return module

    def test_stock_and_suite_overrides_let_the_batch_run(self):
        self.assertEqual(self.env["property.invoice.batch"]._foreign_overrides(), [])

    def test_addon_writing_when_entries_post_gets_the_orm(self):
        """As l10n_fr_certification hashes entries in account.move.write."""
        module = self._install_override("account.move", "account_move")
        batch = self.env["property.invoice.batch"]
        self.assertEqual(batch._foreign_overrides(),
                         ["account.move.write (property_test_override)"])
        run = self._generate()
        run.with_context(**SYNC).action_post()
        self.assertEqual(run.invoice_ids.state, "open")
        self.assertEqual(run.invoice_ids.move_id.narration, module.CERTIFIED)

    def test_addon_computing_a_field_the_batch_computes_is_detected(self):
        self._install_override("account.invoice.line", "account_invoice_line")
        batch = self.env["property.invoice.batch"]
        self.assertEqual(
            batch._foreign_overrides(),
            ["account.invoice.line._compute_price (property_test_override)"])
        with self.assertRaises(BatchUnsupported):
            batch._check_supported(journal=self._create_run().journal_id)
