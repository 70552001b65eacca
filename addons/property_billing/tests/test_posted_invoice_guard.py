# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A validated bill keeps what its journal entry and the billing ledger were
made from: a billing clerk cannot change its amounts, accounts, taxes, partner,
dates or ledger link over RPC (Odoo 11 makes them readonly in the web client
only), while Odoo's own flows (cancel, reset to draft, validate again, payment
and reconciliation, credit notes) keep working for the clerk."""
from odoo.exceptions import UserError

from odoo.addons.property_billing.tests.common_billing import SYNC, BillingCase


class TestPostedInvoiceGuard(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax = cls._sale_tax()
        cls.fee_item.tax_ids = [(6, 0, cls.tax.ids)]
        run = cls._create_run()
        run.with_context(**SYNC).action_generate()
        run.with_context(**SYNC).action_post()
        cls.invoice = run.invoice_ids.filtered(
            lambda inv: inv.property_unit_id == cls.unit)
        cls.line = cls.invoice.invoice_line_ids
        cls.entry = cls.line.property_billing_line_id
        cls.invoice.journal_id.update_posted = True
        cls.other_owner = cls._create_owner()
        cls.other_account = cls.env["account.account"].search([
            ("company_id", "=", cls.company.id),
            ("user_type_id.type", "=", "other"),
            ("id", "!=", cls.line.account_id.id)], limit=1)

    def _rpc(self, model, method, *args, user=None):
        """``PropertyCase._rpc`` as ``user``, by default the clerk."""
        return super()._rpc(user or self.clerk, model, method, *args)

    def _snapshot(self):
        self.invoice.invalidate_cache()
        line = self.line
        return {
            "state": self.invoice.state,
            "amount_total": self.invoice.amount_total,
            "residual": self.invoice.residual,
            "partner": self.invoice.partner_id,
            "date_invoice": self.invoice.date_invoice,
            "number": self.invoice.number,
            "lines": self.invoice.invoice_line_ids,
            "taxes": self.invoice.tax_line_ids.mapped("amount"),
            "line": (line.price_unit, line.quantity, line.account_id,
                     line.invoice_line_tax_ids, line.property_billing_line_id),
        }

    def test_posted_bill_billed_as_expected(self):
        self.assertEqual(self.invoice.state, "open")
        self.assertEqual(len(self.line), 1)
        self.assertEqual(self.entry.state, "posted")
        self.assertEqual(self.invoice.amount_untaxed, 250.6)
        self.assertEqual(self.invoice.amount_total, 265.64)

    def test_clerk_cannot_change_posted_lines_over_rpc(self):
        before = self._snapshot()
        for vals in ({"price_unit": 0.01}, {"quantity": 0.0},
                     {"discount": 100.0},
                     {"account_id": self.other_account.id},
                     {"invoice_line_tax_ids": [(5, 0, 0)]},
                     {"property_billing_line_id": False},
                     {"price_subtotal": 1.0},
                     {"partner_id": self.other_owner.id}):
            with self.assertRaises(UserError, msg=str(vals)):
                self._rpc("account.invoice.line", "write", self.line.ids, vals)
        self.assertEqual(self._snapshot(), before)

    def test_refusal_in_the_clerks_language(self):
        self._load_lang("zh_CN")
        clerk_zh = self._create_user(
            "clerk_zh", [self.group_billing_user.id], lang="zh_CN")
        with self.assertRaises(UserError) as refused:
            self._rpc("account.invoice.line", "write", self.line.ids,
                      {"price_unit": 0.01}, user=clerk_zh)
        self.assertIn("已确认的发票须保持其金额", refused.exception.name)
        with self.assertRaises(UserError) as refused:
            self._rpc("account.invoice", "write", self.invoice.ids,
                      {"state": "draft"}, user=clerk_zh)
        self.assertIn("不能以这种方式", refused.exception.name)

    def test_clerk_cannot_add_or_delete_posted_lines(self):
        before = self._snapshot()
        vals = {"name": "extra", "price_unit": 1000.0, "quantity": 1.0,
                "account_id": self.line.account_id.id}
        with self.assertRaises(UserError):
            self._rpc("account.invoice.line", "create",
                      dict(vals, invoice_id=self.invoice.id))
        with self.assertRaises(UserError):
            self._rpc("account.invoice", "write", self.invoice.ids,
                      {"invoice_line_ids": [(0, 0, vals)]})
        with self.assertRaises(UserError):
            self._rpc("account.invoice.line", "unlink", self.line.ids)
        # nor move a draft invoice's line into the posted one
        draft = self.Invoice.sudo(self.clerk).create({
            "partner_id": self.owner.id, "type": "out_invoice",
            "invoice_line_ids": [(0, 0, vals)]})
        with self.assertRaises(UserError):
            self._rpc("account.invoice.line", "write",
                      draft.invoice_line_ids.ids, {"invoice_id": self.invoice.id})
        self.assertEqual(self._snapshot(), before)

    def test_clerk_cannot_change_posted_taxes(self):
        before = self._snapshot()
        self.tax.amount = 13.0
        with self.assertRaises(UserError):
            self._rpc("account.invoice", "compute_taxes", self.invoice.ids)
        with self.assertRaises(UserError):
            self._rpc("account.invoice.tax", "write",
                      self.invoice.tax_line_ids.ids, {"amount": 0.0})
        with self.assertRaises(UserError):
            self._rpc("account.invoice.tax", "unlink",
                      self.invoice.tax_line_ids.ids)
        self.assertEqual(self._snapshot(), before)

    def test_clerk_cannot_change_posted_invoice_over_rpc(self):
        before = self._snapshot()
        journal = self.env["account.journal"].search([
            ("type", "=", "sale"), ("company_id", "=", self.company.id),
            ("id", "!=", self.invoice.journal_id.id)], limit=1) or \
            self.env["account.journal"].create({
                "name": "Other sales", "code": "OSJ", "type": "sale",
                "company_id": self.company.id})
        for vals in ({"partner_id": self.other_owner.id},
                     {"date_invoice": "2025-01-01"}, {"date": "2025-01-01"},
                     {"date_due": "2030-12-31"}, {"journal_id": journal.id},
                     {"account_id": self.other_account.id},
                     {"residual": 0.0}, {"amount_total": 1.0},
                     {"reconciled": True}, {"number": "FAKE/0001"},
                     {"move_id": False}, {"billing_period": "2026-04"}):
            with self.assertRaises(UserError, msg=str(vals)):
                self._rpc("account.invoice", "write", self.invoice.ids, vals)
        self.assertEqual(self._snapshot(), before)

    def test_clerk_cannot_force_a_state(self):
        """No way around the guard by writing the state: not back to draft,
        not paid without a payment, not cancelled with the entry kept."""
        before = self._snapshot()
        for state in ("draft", "paid", "cancel"):
            with self.assertRaises(UserError, msg=state):
                self._rpc("account.invoice", "write", self.invoice.ids,
                          {"state": state})
        with self.assertRaises(UserError):
            self._rpc("account.invoice", "create", {
                "partner_id": self.owner.id, "type": "out_invoice",
                "state": "open", "move_id": self.invoice.move_id.id})
        # nor a draft validated with another bill's journal entry
        draft = self.Invoice.sudo(self.clerk).create({
            "partner_id": self.owner.id, "type": "out_invoice"})
        for vals in ({"state": "open", "move_id": self.invoice.move_id.id},
                     {"state": "open"}):
            with self.assertRaises(UserError, msg=str(vals)):
                self._rpc("account.invoice", "write", draft.ids, vals)
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self._snapshot(), before)

    def test_unchanged_values_and_free_text_may_be_written(self):
        """A client sending the values back as they are, or the invoice's
        notes and the owner's dispute flag, changes nothing guarded."""
        self._rpc("account.invoice.line", "write", self.line.ids, {
            "price_unit": self.line.price_unit,
            "account_id": self.line.account_id.id,
            "invoice_line_tax_ids": [(6, 0, self.line.invoice_line_tax_ids.ids)],
            "property_disputed": True})
        self._rpc("account.invoice", "write", self.invoice.ids, {
            "comment": "Paid at the counter", "name": "March",
            "partner_id": self.invoice.partner_id.id})
        self.invoice.invalidate_cache()
        self.assertEqual(self.invoice.comment, "Paid at the counter")
        self.assertTrue(self.line.property_disputed)
        self.assertEqual(self.invoice.amount_total, 265.64)

    def test_draft_invoice_lines_stay_editable(self):
        draft = self.Invoice.sudo(self.clerk).create({
            "partner_id": self.owner.id, "type": "out_invoice",
            "invoice_line_ids": [(0, 0, {
                "name": "repair", "price_unit": 10.0, "quantity": 1.0,
                "account_id": self.line.account_id.id})]})
        self._rpc("account.invoice.line", "write", draft.invoice_line_ids.ids,
                  {"price_unit": 12.5, "quantity": 2.0})
        draft.invalidate_cache()
        self.assertEqual(draft.amount_total, 25.0)

    def test_cancel_reset_edit_and_validate_again_as_clerk(self):
        self._rpc("account.invoice", "action_invoice_cancel", self.invoice.ids)
        self.assertEqual(self.invoice.state, "cancel")
        self.assertFalse(self.invoice.move_id)
        self._rpc("account.invoice", "action_invoice_draft", self.invoice.ids)
        self._rpc("account.invoice.line", "write", self.line.ids,
                  {"price_unit": 3.0})
        self._rpc("account.invoice", "compute_taxes", self.invoice.ids)
        self._rpc("account.invoice", "action_invoice_open", self.invoice.ids)
        self.invoice.invalidate_cache()
        self.assertEqual(self.invoice.state, "open")
        self.assertEqual(self.invoice.amount_untaxed, 3.0)
        self.assertEqual(self.invoice.amount_total, 3.18)
        self.assertEqual(self.invoice.move_id.amount, self.invoice.amount_total)
        self.entry.invalidate_cache()
        self.assertEqual(self.entry.state, "posted")

    def test_payment_marks_paid_and_unreconcile_reopens(self):
        journal = self.env["account.journal"].search([
            ("type", "in", ("bank", "cash")),
            ("company_id", "=", self.company.id)], limit=1)
        payment = self.env["account.payment"].sudo(self.clerk).create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": self.invoice.partner_id.id,
            "amount": self.invoice.residual, "journal_id": journal.id,
            "payment_date": "2026-03-10",
            "payment_method_id": self.env.ref(
                "account.account_payment_method_manual_in").id,
            "invoice_ids": [(6, 0, self.invoice.ids)]})
        payment.post()
        self.invoice.invalidate_cache()
        self.assertEqual(self.invoice.state, "paid")
        self.assertEqual(self.invoice.residual, 0.0)
        with self.assertRaises(UserError):
            self._rpc("account.invoice", "write", self.invoice.ids,
                      {"state": "open"})
        # unreconciling is the accountants' (clerks may not delete reconciles)
        payment.sudo().move_line_ids.remove_move_reconcile()
        self.invoice.invalidate_cache()
        self.assertEqual(self.invoice.state, "open")
        self.assertEqual(self.invoice.residual, 265.64)

    def test_full_credit_note_as_clerk(self):
        wizard = self.env["account.invoice.refund"].sudo(self.clerk).with_context(
            active_ids=self.invoice.ids, active_id=self.invoice.id).create({
                "filter_refund": "cancel", "description": "overbilled",
                "date_invoice": "2026-03-20"})
        wizard.invoice_refund()
        refund = self.Invoice.search([("refund_invoice_id", "=", self.invoice.id)])
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.amount_total, 265.64)
        self.invoice.invalidate_cache()
        self.assertEqual(self.invoice.state, "paid")
        self.entry.invalidate_cache()
        self.assertEqual(self.entry.state, "refunded")
