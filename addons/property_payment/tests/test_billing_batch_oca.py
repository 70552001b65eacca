# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Billing runs keep writing their invoices in batches with OCA's payment
add-ons installed (account_payment_partner, account_banking_mandate), and
the batch fills what those add-ons' ``account.invoice.create`` fills: the
payer's customer payment mode and, when the mode's method needs one, the
payer's valid direct-debit mandate, on the invoice and on its receivable
journal item.

``TestBatchWithPaymentModes`` runs every equivalence test of property_billing
again (each compares every column both paths write), for an owner who pays
by auto-debit under a valid mandate, and adds payers with a mode that needs
no mandate and without a mode."""
from unittest import mock

from odoo.exceptions import ValidationError

from odoo.addons.property_billing.models.property_bulk_insert import (
    addon_of as _addon_of)
from odoo.addons.property_billing.tests import test_billing_equivalence as equivalence
from odoo.addons.property_billing.tests.common_billing import BillingCase

RUN_MODULE = "odoo.addons.property_payment.models.property_billing_run_payment_mode"


class PaymentModeFactoryMixin(object):

    @classmethod
    def _create_payment_mode(cls, mandate_required, name):
        """An inbound payment mode of the company on a bank journal, whose
        method needs a mandate or not."""
        n = cls._next()
        method = cls.env["account.payment.method"].create({
            "name": "%s method %d" % (name, n), "code": "property_test_%d" % n,
            "payment_type": "inbound", "mandate_required": mandate_required})
        journal = cls.env["account.journal"].create({
            "name": "%s bank %d" % (name, n), "code": "PB%d" % (n % 1000),
            "type": "bank", "company_id": cls.company.id,
            "inbound_payment_method_ids": [(4, method.id)]})
        return cls.env["account.payment.mode"].create({
            "name": "%s %d" % (name, n), "company_id": cls.company.id,
            "payment_method_id": method.id, "bank_account_link": "fixed",
            "fixed_journal_id": journal.id})

    @classmethod
    def _create_valid_mandate(cls, partner):
        """A bank account of ``partner`` with a valid mandate on it."""
        bank_account = cls.env["res.partner.bank"].create({
            "acc_number": "6222 0212 %08d" % cls._next(),
            "partner_id": partner.id, "company_id": cls.company.id})
        mandate = cls.env["account.banking.mandate"].create({
            "partner_bank_id": bank_account.id, "company_id": cls.company.id,
            "signature_date": "2026-01-15"})
        mandate.validate()
        return mandate


class TestBatchGuard(PaymentModeFactoryMixin, BillingCase):

    def test_oca_create_overrides_are_reproduced(self):
        creators = [_addon_of(cls) for cls in type(self.Invoice).__mro__
                    if "create" in vars(cls)]
        # the overrides are there (else this test would prove nothing)...
        self.assertIn("account_payment_partner", creators)
        self.assertIn("account_banking_mandate", creators)
        # ...and the batch takes them for reproduced, and only them
        batch = self.env["property.invoice.batch"]
        self.assertEqual(batch._foreign_overrides(), [])
        self.assertTrue(batch._known_override(
            "account.invoice", "create", "account_banking_mandate"))
        self.assertFalse(batch._known_override(
            "account.invoice", "write", "account_banking_mandate"))
        self.assertFalse(batch._known_override(
            "account.move.line", "create", "account_payment_partner"))

    def test_mandate_of_another_company_refused_on_both_paths(self):
        """account_banking_mandate's check on journal items, which the batch
        runs in one query: a bill whose mandate moved to another company
        (behind the ORM's back) is refused on posting, by both paths."""
        self.owner.customer_payment_mode_id = self._create_payment_mode(
            True, "Auto-debit")
        mandate = self._create_valid_mandate(self.owner)
        other = self.env["res.company"].create({"name": "Other %d" % self._next()})
        vals = {
            "partner_id": self.owner.id, "type": "out_invoice",
            "date_invoice": "2026-03-01", "property_unit_id": self.unit.id,
            "invoice_line_ids": [(0, 0, {
                "name": "物业管理费 2026-03", "quantity": 1.0, "price_unit": 250.6,
                "account_id": self.fee_item.account_id.id})]}
        batch = self.env["property.invoice.batch"]
        mine = batch._create_invoices([vals])
        theirs = self.Invoice.create(vals)
        self.assertEqual(mine.mandate_id | theirs.mandate_id, mandate)
        self.env.cr.execute(
            "UPDATE account_banking_mandate SET company_id = %s WHERE id = %s",
            (other.id, mandate.id))
        mandate.invalidate_cache()
        for post in (lambda: batch._post_invoices(mine),
                     theirs.action_invoice_open):
            with self.assertRaisesRegex(ValidationError, "different company"), \
                    self.env.cr.savepoint():
                post()
            # what was computed before the rollback is gone (as the run does)
            self.env.clear()
        self.assertEqual((mine | theirs).mapped("state"), ["draft", "draft"])
        self.assertFalse((mine | theirs).mapped("move_id"))

    def test_demo_style_run_stays_in_batches(self):
        """The demo's billing run (previous month, first building, generate
        and post) for payers with and without auto-debit: every chunk is
        written by the batch, none falls back to the ORM."""
        debit = self._create_payment_mode(True, "Auto-debit")
        self.owner.customer_payment_mode_id = debit
        mandate = self._create_valid_mandate(self.owner)
        plain_unit, plain_owner = self._create_owned_unit()
        # not the database's default customer payment mode (OCA's demo has one)
        plain_owner.customer_payment_mode_id = False
        run = self.Run.browse(self.env["property.demo.generator"]
                              ._demo_post_previous_month(self.estate.code, 1))
        self.assertTrue(run.chunk_ids)
        self.assertFalse(run.chunk_ids.filtered("fallback_reason"))
        self.assertFalse(run.fallback_warning)
        self.assertEqual(set(run.invoice_ids.mapped("state")), {"open"})
        mine = run.invoice_ids.filtered(lambda inv: inv.property_unit_id == self.unit)
        self.assertEqual((mine.payment_mode_id, mine.mandate_id), (debit, mandate))
        plain = run.invoice_ids.filtered(
            lambda inv: inv.property_unit_id == plain_unit)
        self.assertFalse(plain.payment_mode_id)
        self.assertFalse(plain.mandate_id)


class TestBatchWithPaymentModes(PaymentModeFactoryMixin,
                                equivalence.TestBillingEquivalence):
    """property_billing's equivalence tests for an owner who pays by
    auto-debit (a mode whose method needs a mandate, and a valid mandate),
    and the other payers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.debit_mode = cls._create_payment_mode(True, "Auto-debit")
        cls.transfer_mode = cls._create_payment_mode(False, "Transfer")
        cls.owner.customer_payment_mode_id = cls.debit_mode
        cls.mandate = cls._create_valid_mandate(cls.owner)

    def _receivable(self, invoice):
        return invoice.move_id.line_ids.filtered(
            lambda line: line.account_id == invoice.account_id)

    def _assert_payment_fields(self, invoice, mode, mandate):
        self.assertEqual(invoice.payment_mode_id, mode)
        self.assertEqual(invoice.mandate_id, mandate)
        receivable = self._receivable(invoice)
        self.assertTrue(receivable)
        self.assertEqual(receivable.mapped("payment_mode_id"), mode)
        self.assertEqual(receivable.mapped("mandate_id"), mandate)

    def test_auto_debit_owner_gets_mode_and_mandate_on_both_paths(self):
        run_invoice = self._run_and_post().invoice_ids
        orm_invoice = self._orm_twin(run_invoice)
        for invoice in (run_invoice, orm_invoice):
            self._assert_payment_fields(invoice, self.debit_mode, self.mandate)
        self._assert_equivalent(run_invoice, orm_invoice)

    def test_payers_with_and_without_a_payment_mode(self):
        """A mode that needs no mandate (the payer's valid mandate is not
        taken), no mode at all (nothing filled), a mode without the mandate
        it needs: the same on both paths."""
        transfer_unit, transfer_owner = self._create_owned_unit()
        transfer_owner.customer_payment_mode_id = self.transfer_mode
        self._create_valid_mandate(transfer_owner)
        plain_unit, plain_owner = self._create_owned_unit()
        plain_owner.customer_payment_mode_id = False
        unsigned_unit, unsigned_owner = self._create_owned_unit()
        unsigned_owner.customer_payment_mode_id = self.debit_mode
        no_mode = self.env["account.payment.mode"]
        no_mandate = self.env["account.banking.mandate"]
        expected = {
            self.unit: (self.debit_mode, self.mandate),
            transfer_unit: (self.transfer_mode, no_mandate),
            plain_unit: (no_mode, no_mandate),
            unsigned_unit: (self.debit_mode, no_mandate),
        }
        self._assert_run_equals_orm(expected)

    def test_contact_of_a_company_and_blocked_payer(self):
        """A contact pays with its company's mode and mandate (not looked
        up in bulk: the run asks the onchanges); a payer whose invoices are
        blocked gets neither (the onchange drops the partner)."""
        company = self._create_owner(name="Tenant Company %d" % self._next(),
                                     is_company=True)
        company.customer_payment_mode_id = self.debit_mode
        company_mandate = self._create_valid_mandate(company)
        contact = self._create_owner(parent_id=company.id)
        contact_unit, _owner = self._create_owned_unit(owner=contact)
        blocked_unit, blocked = self._create_owned_unit()
        blocked.write({"invoice_warn": "block", "invoice_warn_msg": "Disputed"})
        blocked.customer_payment_mode_id = self.debit_mode
        self._create_valid_mandate(blocked)
        self._assert_run_equals_orm({
            self.unit: (self.debit_mode, self.mandate),
            contact_unit: (self.debit_mode, company_mandate),
            blocked_unit: (self.env["account.payment.mode"],
                           self.env["account.banking.mandate"]),
        })

    def test_unknown_onchange_leaves_the_fields_to_each_invoice(self):
        """With another add-on among the onchanges, the run does not find
        the fields once per payer: every invoice gets them from its own
        onchanges, in the batch as in create."""
        def addon_of(cls):
            if cls.__name__ == "AccountInvoice" and _addon_of(cls) == \
                    "account_payment_partner":
                return "some_addon"
            return _addon_of(cls)

        with mock.patch(RUN_MODULE + "._addon_of", side_effect=addon_of):
            self.assertFalse(self.Run._payment_onchanges_known())
            run = self._assert_run_equals_orm(
                {self.unit: (self.debit_mode, self.mandate)})
            vals = run._partner_invoice_vals(self.owner, {})
            self.assertNotIn("payment_mode_id", vals)
            self.assertNotIn("mandate_id", vals)
        self.assertTrue(self.Run._payment_onchanges_known())
        vals = run._partner_invoice_vals(self.owner, {})
        self.assertEqual((vals["payment_mode_id"], vals["mandate_id"]),
                         (self.debit_mode.id, self.mandate.id))

    def _assert_run_equals_orm(self, expected):
        """A run of the estate as the clerk, each of its invoices with the
        payment mode and mandate ``expected`` ({unit: (mode, mandate)}),
        and equal to its ORM twin."""
        run = self._run_and_post()
        self.assertEqual(len(run.invoice_ids), len(expected))
        for run_invoice in run.invoice_ids:
            mode, mandate = expected[run_invoice.property_unit_id]
            orm_invoice = self._orm_twin(run_invoice)
            for invoice in (run_invoice, orm_invoice):
                self._assert_payment_fields(invoice, mode, mandate)
            self.assertEqual(run_invoice.partner_bank_id, orm_invoice.partner_bank_id)
            self._assert_equivalent(run_invoice, orm_invoice)
        return run
