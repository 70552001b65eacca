# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a clerk or an accountant can do to a billing run over RPC, and what
the manager sees when the fast path could not be taken."""
from odoo.exceptions import AccessError, UserError

from odoo.addons.property_billing.tests.common_billing import SYNC, BillingCase

PAYLOAD = "<img src=x onerror=alert(document.cookie)>"
LOGGER = "odoo.addons.property_billing.models.property_billing_run"


class TestBillingRunSafety(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_lang("zh_CN")
        cls.accountant = cls._create_user(
            "accountant", [cls.env.ref("account.group_account_invoice").id])

    def _rpc(self, user, method, *args, sync=True):
        """``PropertyCase._rpc`` of property.billing.run as ``user``, with
        the context in the call as the web client and XML-RPC send it."""
        context = dict(lang="en_US", property_billing_sync=sync)
        return super()._rpc(user, "property.billing.run", method, *args,
                            context=context)

    # -- computed HTML --------------------------------------------------------

    def test_clerk_cannot_store_html_in_the_preview(self):
        run = self._create_run()
        with self.assertRaises(UserError):
            self._rpc(self.clerk, "write", [run.id], {"preview_html": PAYLOAD})
        with self.assertRaises(UserError):
            self._rpc(self.clerk, "write", [run.id], {"preview_amount": 1.0})
        with self.assertRaises(UserError):
            self._rpc(self.clerk, "create", {
                "estate_id": self.estate.id, "date_from": "2026-04-01",
                "date_to": "2026-04-30", "preview_html": PAYLOAD})
        self.assertFalse(run.preview_html)
        # what is the clerk's to write still is
        self._rpc(self.clerk, "write", [run.id], {"note": "checked"})
        self.assertEqual(run.note, "checked")
        # the preview itself is stored sanitised, whatever it is given
        run._write_preview({"preview_html": "<p>ok</p>" + PAYLOAD})
        self.assertNotIn("onerror", run.preview_html)
        self.assertIn("<p>ok</p>", run.preview_html)

    def test_names_in_the_preview_are_escaped(self):
        owner = self._create_owner(name="<script>alert('owner')</script>")
        self._create_owned_unit(owner=owner, code="<script>alert('unit')</script>")
        run = self._create_run()
        self._rpc(self.clerk, "action_preview", [run.id])
        html = run.preview_html
        self.assertIn("&lt;script&gt;alert('owner')&lt;/script&gt;", html)
        self.assertIn("&lt;script&gt;alert('unit')&lt;/script&gt;", html)
        self.assertNotIn("<script", html)
        self.assertEqual(run.preview_line_count, 2)

    # -- rights before SQL ------------------------------------------------------

    def test_actions_need_the_right_to_change_the_run(self):
        run = self._create_run()
        run.with_context(**SYNC).action_generate()
        jobs = self.env["queue.job"].search_count([])
        for action in ("action_preview", "action_generate", "action_post",
                       "action_cancel_drafts", "action_reset_to_draft"):
            with self.assertRaises(AccessError, msg=action):
                self._rpc(self.accountant, action, [run.id])
        with self.assertRaises(AccessError):
            self._rpc(self.accountant, "action_post", [run.id], sync=False)
        self.assertEqual(self.env["queue.job"].search_count([]), jobs,
                         "no posting job queued for a read-only user")
        self.assertEqual(set(run.invoice_ids.mapped("state")), {"draft"})
        self.assertEqual(run.state, "generated")
        # the clerk may
        self._rpc(self.clerk, "action_post", [run.id])
        self.assertEqual(run.state, "posted")

    # -- the slow path, told --------------------------------------------------------

    def test_forced_fallback_is_logged_and_shown_on_the_run(self):
        run = self._create_run()
        # a journal with entry controls: a configuration the batch does not
        # reproduce, the run bills through the ORM
        run.journal_id.type_control_ids = [
            (6, 0, self.env["account.account.type"].search([]).ids)]
        with self.assertLogs(LOGGER, level="WARNING") as logs:
            self._rpc(self.clerk, "action_generate", [run.id])
        self.assertIn("entry controls", "\n".join(logs.output))
        self.assertEqual(len(run.invoice_ids), 1, "billed anyway")
        chunk = run.chunk_ids
        self.assertIn("entry controls", chunk.fallback_reason)
        warning = run.sudo(self.manager).with_context(lang="en_US").fallback_warning
        self.assertIn("1 of 1 chunks", warning)
        self.assertIn("entry controls", warning)
        self.assertIn("原因", run.sudo(self.manager).with_context(
            lang="zh_CN").fallback_warning)
        arch = self.env["property.billing.run"].sudo(self.manager).fields_view_get(
            view_type="form")["arch"]
        self.assertIn('name="fallback_warning"', arch)
        self.assertIn("alert-warning", arch)

    def test_no_warning_on_the_fast_path(self):
        run = self._create_run()
        self._rpc(self.clerk, "action_generate", [run.id])
        self.assertEqual(len(run.invoice_ids), 1)
        self.assertFalse(run.chunk_ids.fallback_reason)
        self.assertFalse(run.fallback_warning)
