# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The exactly-once ledger changes only through the billing run and the
invoice flows (cancel, credit note): no caller frees a billed period for a
second bill, whatever its groups, over RPC or not."""
from odoo.exceptions import AccessError, UserError

from odoo.addons.property_billing.tests.common_billing import SYNC, BillingCase


class TestLedgerGuard(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing_run = cls._create_run()
        cls.billing_run.with_context(**SYNC).action_generate()
        cls.billing_run.with_context(**SYNC).action_post()
        cls.entry = cls.billing_run.ledger_ids.filtered(
            lambda entry: entry.unit_id == cls.unit)
        cls.accountant = cls._create_user(
            "accountant", [cls.env.ref("account.group_account_invoice").id])

    def _assert_unchanged(self, entry, state="posted"):
        entry.invalidate_cache()
        self.assertEqual(entry.state, state)
        self.assertEqual(entry.date_from, "2026-03-01")
        self.assertEqual(entry.date_to, "2026-03-31")
        self.assertEqual(entry.amount, 250.6)

    def _next_run_invoices(self):
        run = self._generate(self._create_run())
        return run.invoice_ids.filtered(lambda inv: inv.property_unit_id == self.unit)

    def test_posted_entry_billed_once(self):
        self.assertEqual(len(self.entry), 1)
        self._assert_unchanged(self.entry)

    def test_clerk_cannot_cancel_a_posted_entry_over_rpc(self):
        with self.assertRaises(AccessError):
            self._rpc(self.clerk, "property.billing.line", "write",
                      self.entry.ids, {"state": "cancelled"})
        self._assert_unchanged(self.entry)
        # so the next run of the same period does not bill the unit again
        self.assertFalse(self._next_run_invoices())

    def test_no_group_writes_the_ledger(self):
        for user in (self.clerk, self.accountant, self.manager):
            for vals in ({"state": "refunded"}, {"date_from": "2026-04-01",
                                                 "date_to": "2026-04-30"},
                         {"amount": 1.0}, {"invoice_line_ids": [(5, 0, 0)]}):
                with self.assertRaises(AccessError, msg="%s %s" % (
                        user.login, vals)):
                    self.entry.sudo(user).write(vals)
        self._assert_unchanged(self.entry)
        self.assertTrue(self.entry.invoice_line_ids)

    def test_run_commands_do_not_reach_the_ledger(self):
        for command in ((1, self.entry.id, {"state": "cancelled"}),
                        (3, self.entry.id, 0)):
            with self.assertRaises(AccessError, msg=str(command)):
                self._rpc(self.clerk, "property.billing.run", "write",
                          self.billing_run.ids, {"ledger_ids": [command]})
        self._assert_unchanged(self.entry)
        self.assertEqual(self.entry.run_id, self.billing_run)

    def test_clerk_cannot_create_or_copy_entries(self):
        before = self.Ledger.search_count([])
        with self.assertRaises(AccessError):
            self._rpc(self.clerk, "property.billing.line", "create", {
                "unit_id": self.unit.id, "item_id": self.fee_item.id,
                "date_from": "2026-05-01", "date_to": "2026-05-31",
                "period": "2026-05", "partner_id": self.owner.id,
                "state": "posted"})
        with self.assertRaises(AccessError):
            self._rpc(self.manager, "property.billing.line", "copy",
                      self.entry.id, {"date_from": "2026-06-01",
                                      "date_to": "2026-06-30"})
        self.assertEqual(self.Ledger.search_count([]), before)

    def test_billed_entry_cannot_be_deleted_over_rpc(self):
        with self.assertRaises((AccessError, UserError)):
            self._rpc(self.clerk, "property.billing.line", "unlink",
                      self.entry.ids)
        with self.assertRaises(UserError):
            self._rpc(self.manager, "property.billing.line", "unlink",
                      self.entry.ids)
        self._assert_unchanged(self.entry)

    def test_detached_invoice_line_does_not_free_the_period(self):
        """A clerk re-points the posted bill's line away from the ledger row,
        then deletes a draft bill pointing to the row: the row follows the
        posted bill still, and the period is not billed again."""
        line = self.entry.invoice_line_ids.sudo(self.clerk)
        # the posted line refuses it (test_posted_invoice_guard); a line
        # detached before that guard existed is detached in SQL
        with self.assertRaises(UserError):
            self._rpc(self.clerk, "account.invoice.line", "write", line.ids,
                      {"property_billing_line_id": False})
        self.env.cr.execute("UPDATE account_invoice_line SET "
                            "property_billing_line_id = NULL WHERE id IN %s",
                            (tuple(line.ids),))
        line.invalidate_cache()
        draft = self.Invoice.sudo(self.clerk).create({
            "partner_id": self.owner.id, "type": "out_invoice",
            "invoice_line_ids": [(0, 0, {
                "name": "decoy", "price_unit": 1.0, "quantity": 1.0,
                "account_id": line.account_id.id,
                "property_billing_line_id": self.entry.id})]})
        self._rpc(self.clerk, "account.invoice", "unlink", draft.ids)
        self._assert_unchanged(self.entry)
        self.assertFalse(self._next_run_invoices())

    def test_private_ledger_methods_are_not_callable_over_rpc(self):
        for method in ("_create_entries", "_write_entries", "_sync_state"):
            with self.assertRaises(AccessError):
                self._rpc(self.clerk, "property.billing.line", method,
                          self.entry.ids, {"state": "cancelled"})
        self._assert_unchanged(self.entry)


class TestLedgerFlowsAsClerk(BillingCase):
    """The run and the invoice flows still keep the ledger for a clerk."""

    def test_clerk_bills_cancels_and_bills_again(self):
        Run = self.env["property.billing.run"].sudo(self.clerk).with_context(**SYNC)
        run = Run.create({"estate_id": self.estate.id, "date_from": "2026-03-01",
                          "date_to": "2026-03-31", "invoice_date": "2026-03-01"})
        run.action_generate()
        entry = run.sudo().ledger_ids
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.state, "draft")
        invoice = entry.invoice_line_ids.mapped("invoice_id")
        invoice.sudo(self.clerk).action_invoice_cancel()
        entry.invalidate_cache()
        self.assertEqual(entry.state, "cancelled")
        # the cancelled bill freed the period: a new run bills it again
        again = Run.create({"estate_id": self.estate.id,
                            "date_from": "2026-03-01", "date_to": "2026-03-31",
                            "invoice_date": "2026-03-01"})
        again.action_generate()
        self.assertEqual(again.sudo().ledger_ids.mapped("state"), ["draft"])
        self.assertEqual(again.sudo().ledger_ids.unit_id, self.unit)

    def test_orm_path_creates_entries_as_clerk(self):
        """Unit by unit (the path runs take when the batch cannot write)."""
        run = self._create_run().sudo(self.clerk)
        unit = self.unit.sudo(self.clerk)
        todo = run._units_to_bill(unit, run._plan(unit), {})
        invoices = run._bill_unit(unit, todo[unit], {})
        self.assertEqual(invoices.mapped("property_unit_id"), self.unit)
        self.assertEqual(run.sudo().ledger_ids.mapped("state"), ["draft"])
