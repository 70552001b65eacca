# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Staff decisions on a payer (hold, release, move to a level, promise to
pay, write off), each with its reason on the payer's record, and what the
next daily run makes of them.

Dates are relative to today in the estate's timezone: a move is dated and a
promise checked on the real day, as the clerk's are."""
from datetime import datetime, time, timedelta

import pytz

from odoo.exceptions import AccessError, UserError

from .common import DunningCase


def local_today():
    return datetime.now(pytz.timezone("Asia/Shanghai")).date()


class TestPayerActions(DunningCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = local_today()
        cls.bill_march = cls._bill(100.0, "2026-03", due=cls._day(-40))
        cls.bill_april = cls._bill(50.0, "2026-04", due=cls._day(-35))
        cls.writeoff_account = cls.env["account.account"].create({
            "code": "6602BD", "name": "Bad debts (坏账损失)",
            "user_type_id": cls.env.ref("account.data_account_type_expenses").id,
            "company_id": cls.company.id})

    @classmethod
    def _day(cls, offset):
        return str(cls.today + timedelta(days=offset))

    def _run_on(self, offset):
        return self._run(datetime.combine(
            self.today + timedelta(days=offset), time(10, 0)))

    def _action(self, action, user=None, payer=None, **vals):
        payer = payer or self._payer()
        return self.env["property.dunning.payer.action"].sudo(
            user or self.clerk).with_context(
                active_model="property.dunning.payer",
                active_id=payer.id).create(dict(vals, action=action))

    def _notes(self, payer, text):
        return payer.message_ids.filtered(lambda m: text in (m.body or ""))

    def setUp(self):
        super().setUp()
        self._run_on(-34)  # the reminder: the payer's status exists
        self.assertEqual(self._steps().level_id, self.reminder)

    # -- hold ----------------------------------------------------------------

    def test_hold_needs_a_reason_and_the_run_skips_the_payer(self):
        payer = self._payer()
        with self.assertRaises(UserError):
            self._action("hold", reason="  ").action_apply()
        self.assertFalse(payer.held)

        self._action("hold", reason="Owner in hospital").action_apply()
        self.assertTrue(payer.held)
        self.assertEqual(payer.hold_reason, "Owner in hospital")
        self.assertTrue(self._notes(payer, "Owner in hospital"))
        with self.assertRaises(UserError):
            self._action("hold", reason="again").action_apply()

        self._run_on(-26)
        self.assertEqual(payer.decision, "held")
        self.assertEqual(len(self._steps()), 1)

        self._action("release", reason="Back home").action_apply()
        self.assertFalse(payer.held)
        self.assertFalse(payer.hold_reason)
        self.assertTrue(self._notes(payer, "Back home"))
        self._run_on(-25)
        self.assertEqual(self._steps()[-1].level_id, self.call)

    def test_release_of_a_payer_not_on_hold_is_refused(self):
        with self.assertRaises(UserError):
            self._action("release").action_apply()

    # -- move to a level --------------------------------------------------------

    def test_move_needs_a_reason_and_the_next_run_takes_the_next_level(self):
        payer = self._payer()
        with self.assertRaises(UserError):
            self._action("move", level_id=self.call.id).action_apply()
        self.assertFalse(payer.manual_date)

        self._action("move", level_id=self.call.id,
                     reason="Called at the counter already").action_apply()
        self.assertEqual(payer.manual_level_id, self.call)
        self.assertEqual(payer.manual_date, self._day(0))
        self.assertEqual(payer.manual_reason, "Called at the counter already")
        self.assertTrue(self._notes(payer, "Called at the counter already"))

        # the demand comes 15 days after the move, not the call after the
        # reminder
        self._run_on(14)
        self.assertEqual(payer.decision, "not_due")
        self.assertEqual(len(self._steps()), 1)
        self._run_on(15)
        self.assertEqual(self._steps()[-1].level_id, self.demand)

    def test_move_back_to_the_start_begins_the_ladder_again(self):
        self._run_on(-26)
        self.assertEqual(self._steps()[-1].level_id, self.call)
        self._action("move", reason="New owner contact agreed").action_apply()
        payer = self._payer()
        self.assertFalse(payer.manual_level_id)
        self.assertEqual(payer.manual_date, self._day(0))
        self._run_on(1)
        self.assertEqual(self._steps()[-1].level_id, self.reminder)

    def test_move_to_a_level_of_another_policy_is_refused(self):
        other = self.env.ref("property_dunning.policy_default").level_ids[:1]
        with self.assertRaises(UserError):
            self._action("move", level_id=other.id,
                         reason="wrong ladder").action_apply()
        self.assertFalse(self._payer().manual_date)

    # -- promise to pay ---------------------------------------------------------

    def test_promise_skips_the_payer_until_the_date_passed(self):
        payer = self._payer()
        with self.assertRaises(UserError):
            self._action("promise", promise_date=self._day(-1)).action_apply()
        self.assertFalse(payer.promise_date)

        self._action("promise", promise_date=self._day(5),
                     reason="Salary on the 5th").action_apply()
        self.assertEqual(payer.promise_date, self._day(5))
        self.assertTrue(self._notes(payer, "Salary on the 5th"))
        self._run_on(3)
        self.assertEqual(payer.decision, "promised")
        self.assertEqual(len(self._steps()), 1)
        self._run_on(6)
        self.assertEqual(payer.decision, "step")
        self.assertEqual(self._steps()[-1].level_id, self.call)

    def test_promise_cleared_and_nothing_to_clear(self):
        payer = self._payer()
        with self.assertRaises(UserError):
            self._action("promise").action_apply()
        self._action("promise", promise_date=self._day(5)).action_apply()
        self._action("promise", reason="Will not pay after all").action_apply()
        self.assertFalse(payer.promise_date)
        self._run_on(1)
        self.assertEqual(self._steps()[-1].level_id, self.call)

    # -- write-off --------------------------------------------------------------

    def test_writeoff_is_a_managers_decision(self):
        with self.assertRaises(AccessError):
            self._action("writeoff", invoice_ids=[(6, 0, self.bill_march.ids)],
                         reason="Bankrupt")
        wizard = self._action("hold", reason="x")
        wizard.write({"action": "writeoff",
                      "invoice_ids": [(6, 0, self.bill_march.ids)]})
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertEqual(self.bill_march.state, "open")
        self.assertFalse(self._payer().held)

    def test_writeoff_needs_the_policys_account_and_a_reason(self):
        bills = self.bill_march | self.bill_april
        with self.assertRaises(UserError):
            self._action("writeoff", user=self.manager, reason="Bankrupt",
                         invoice_ids=[(6, 0, bills.ids)]).action_apply()
        self.policy.writeoff_account_id = self.writeoff_account
        with self.assertRaises(UserError):
            self._action("writeoff", user=self.manager,
                         invoice_ids=[(6, 0, bills.ids)]).action_apply()
        other = self._bill(30.0, "2026-03", partner=self._create_owner())
        with self.assertRaises(UserError):
            self._action("writeoff", user=self.manager, reason="Bankrupt",
                         invoice_ids=[(6, 0, other.ids)]).action_apply()
        self.assertEqual(bills.mapped("state"), ["open", "open"])
        self.assertEqual(other.state, "open")

    def test_writeoff_reconciles_the_bills_with_a_balanced_entry(self):
        self.policy.writeoff_account_id = self.writeoff_account
        self._pay(30.0, invoices=self.bill_march)
        self.assertEqual(self.bill_march.residual, 70.0)
        bills = self.bill_march | self.bill_april
        wizard = self._action("writeoff", user=self.manager,
                              reason="Court ruled the owner insolvent",
                              invoice_ids=[(6, 0, bills.ids)])
        self.assertEqual(wizard.writeoff_amount, 120.0)
        wizard.action_apply()

        self.assertEqual(bills.mapped("state"), ["paid", "paid"])
        self.assertEqual(bills.mapped("residual"), [0.0, 0.0])
        items = self.env["account.move.line"].search([
            ("account_id", "=", self.writeoff_account.id)])
        move = items.mapped("move_id")
        self.assertEqual(len(move), 1)
        self.assertEqual(move.state, "posted")
        self.assertAlmostEqual(sum(move.line_ids.mapped("debit")),
                               sum(move.line_ids.mapped("credit")))
        self.assertEqual(sum(items.mapped("balance")), 120.0)
        receivable = move.line_ids - items
        self.assertEqual(receivable.account_id,
                         self.bill_march.account_id)
        self.assertTrue(receivable.reconciled)
        payer = self._payer()
        self.assertTrue(self._notes(payer, "Court ruled the owner insolvent"))
        self.assertTrue(self._notes(payer, move.name))

        # paid bills are not written off twice
        with self.assertRaises(UserError):
            self._action("writeoff", user=self.manager, reason="again",
                         invoice_ids=[(6, 0, bills.ids)]).action_apply()
        self.assertEqual(len(self.env["account.move.line"].search([
            ("account_id", "=", self.writeoff_account.id)])), 1)

    # -- who may act ----------------------------------------------------------------

    def test_portal_users_and_accountants_cannot_act_on_a_payer(self):
        self.policy.writeoff_account_id = self.writeoff_account
        payer = self._payer()
        portal = self._create_portal_user(self.owner)
        model = "property.dunning.payer.action"
        values = {
            "hold": {"reason": "mine"},
            "release": {},
            "move": {"reason": "mine"},
            "promise": {"promise_date": self._day(30)},
            "writeoff": {"reason": "mine",
                         "invoice_ids": [(6, 0, self.bill_march.ids)]},
        }
        for action, vals in values.items():
            for user in (portal, self.accountant):
                with self.assertRaises(AccessError, msg=(action, user.name)):
                    self._rpc(user, model, "create",
                              dict(vals, payer_id=payer.id, action=action))
            wizard = self._action(action, user=self.manager, **vals)
            with self.assertRaises((AccessError, UserError), msg=action):
                self._rpc(portal, model, "action_apply", [wizard.id])
        self.assertFalse(payer.held)
        self.assertFalse(payer.promise_date)
        self.assertFalse(payer.manual_date)
        self.assertEqual(self.bill_march.state, "open")
        for field, value in (("held", True), ("promise_date", self._day(30))):
            with self.assertRaises((AccessError, UserError)):
                self._rpc(portal, "property.dunning.payer", "write",
                          [payer.id], {field: value})
