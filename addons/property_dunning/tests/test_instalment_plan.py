# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Instalment plans (分期): made through the wizard with the owner's
acceptance, guarded once active, followed daily (kept → completed, missed →
broken and the payer back in the dunning at the level they had), and their
bills left out of the daily run while in good standing."""
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import DunningCase


class TestInstalmentPlan(DunningCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["property.instalment.plan"]
        cls.portal = cls._create_portal_user(cls.owner)

    def _wizard(self, bills, user=None, **values):
        vals = {
            "partner_id": self.owner.id, "estate_id": self.estate.id,
            "invoice_ids": [(6, 0, bills.ids)], "mode": "monthly",
            "count": 3, "first_due": "2026-05-31",
            "accepted_channel": "phone", "accepted_on": "2026-05-08",
            "grace_days": 3,
        }
        vals.update(values)
        return self.env["property.instalment.plan.wizard"].sudo(
            user or self.clerk).create(vals)

    def _make_plan(self, bills, activate=True, user=None, **values):
        action = self._wizard(bills, user=user, **values).action_create()
        plan = self.Plan.sudo(user or self.clerk).browse(action["res_id"])
        if activate:
            plan.action_activate()
        return plan

    def _pay_plan(self, plan, amount, day):
        return plan.sudo(self.clerk)._pay_instalment(amount, "transfer",
                                                     date=day)

    def _plans(self):
        return self.Plan.search([("partner_id", "=", self.owner.id)])

    # -- making a plan -------------------------------------------------------

    def test_amounts_sum_exactly_and_acceptance_recorded(self):
        bill = self._bill(100.0, "2026-03", due="2026-03-31")
        plan = self._make_plan(bill, activate=False)
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.total, 100.0)
        self.assertEqual(plan.line_ids.mapped("amount"), [33.33, 33.33, 33.34])
        self.assertEqual(plan.line_ids.mapped("date_due"),
                         ["2026-05-31", "2026-06-30", "2026-07-31"])
        self.assertAlmostEqual(sum(plan.line_ids.mapped("amount")), 100.0,
                               places=2)
        self.assertEqual(plan.accepted_channel, "phone")
        self.assertEqual(plan.accepted_on, "2026-05-08")
        self.assertEqual(plan.accepted_by, self.clerk)
        self.assertEqual(plan.invoice_ids, bill)

    def test_wizard_from_the_payer_takes_the_overdue_bills(self):
        old = self._bill(100.0, "2026-03", due="2026-03-31")
        self._bill(50.0, "2026-04", due="2099-04-30")  # not overdue
        self._run("2026-05-06 10:00")
        wizard = self.env["property.instalment.plan.wizard"].sudo(
            self.clerk).with_context(active_model="property.dunning.payer",
                                     active_id=self._payer().id).create({
                                         "count": 2, "first_due": "2099-05-31",
                                         "accepted_on": "2099-05-08"})
        self.assertEqual(wizard.partner_id, self.owner)
        self.assertEqual(wizard.estate_id, self.estate)
        self.assertEqual(wizard.invoice_ids, old)
        self.assertEqual(wizard.total, 100.0)
        self.assertEqual(wizard.preview.splitlines(),
                         ["1. 2099-05-31  50.00", "2. 2099-06-30  50.00"])
        wizard.count = 0
        self.assertIn("at least one instalment", wizard.preview)

    def test_custom_dates_and_amounts(self):
        bill = self._bill(250.6, "2026-03", due="2026-03-31")
        plan = self._make_plan(bill, activate=False, mode="custom", line_ids=[
            (0, 0, {"date_due": "2026-06-15", "amount": 150.6}),
            (0, 0, {"date_due": "2026-05-20", "amount": 100.0})])
        self.assertEqual(plan.line_ids.mapped("date_due"),
                         ["2026-05-20", "2026-06-15"])
        self.assertEqual(plan.line_ids.mapped("amount"), [100.0, 150.6])

    def test_bad_input_refused_with_nothing_written(self):
        bill = self._bill(100.0, "2026-03", due="2026-03-31")
        with self.assertRaisesRegex(UserError, "at least one instalment"):
            self._make_plan(bill, count=0)
        with self.assertRaisesRegex(UserError, "before the owner accepted"):
            self._make_plan(bill, first_due="2026-05-01")
        with self.assertRaisesRegex(UserError, "before the owner accepted"):
            self._make_plan(bill, mode="custom", line_ids=[
                (0, 0, {"date_due": "2026-05-07", "amount": 50.0}),
                (0, 0, {"date_due": "2026-06-07", "amount": 50.0})])
        with self.assertRaisesRegex(UserError, "add up to 90.00"):
            self._make_plan(bill, mode="custom", line_ids=[
                (0, 0, {"date_due": "2026-05-31", "amount": 60.0}),
                (0, 0, {"date_due": "2026-06-30", "amount": 30.0})])
        with self.assertRaisesRegex(UserError, "not overdue"):
            self._make_plan(bill, accepted_on="2026-03-31")
        self.assertFalse(self._plans())
        self.assertEqual(bill.residual, 100.0)

    def test_bill_in_two_active_plans_refused(self):
        bill = self._bill(100.0, "2026-03", due="2026-03-31")
        second = self._make_plan(bill, activate=False)
        first = self._make_plan(bill)
        self.assertEqual(first.state, "active")
        with self.assertRaisesRegex(UserError, "one active plan only"):
            self._make_plan(bill)
        with self.assertRaisesRegex(UserError, "one active plan only"):
            second.action_activate()
        # and the database constraint, whatever writes the state
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            second._write_service({"state": "active"})
        second.invalidate_cache()
        self.assertEqual(second.state, "draft")
        self.assertEqual(len(self._plans()), 2)

    # -- guards --------------------------------------------------------------------

    def test_active_plan_never_changes_through_write(self):
        bill = self._bill(100.0, "2026-03", due="2026-03-31")
        other = self._bill(50.0, "2026-04", due="2026-04-30")
        plan = self._make_plan(bill)
        for vals in ({"total": 10.0}, {"state": "completed"},
                     {"invoice_ids": [(4, other.id)]},
                     {"line_ids": [(1, plan.line_ids[0].id, {"amount": 1.0})]},
                     {"accepted_on": "2026-05-01"}):
            with self.assertRaises(UserError):
                plan.write(vals)
        with self.assertRaises(AccessError):
            plan.line_ids[0].sudo(self.clerk).write({"amount": 1.0})
        with self.assertRaises(UserError):
            plan.unlink()
        with self.assertRaises(UserError):
            self.Plan.sudo(self.manager).browse(plan.id).unlink()
        plan.invalidate_cache()
        self.assertEqual(plan.total, 100.0)
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.invoice_ids, bill)
        self.assertEqual(plan.line_ids.mapped("amount"), [33.33, 33.33, 33.34])
        plan.write({"note": "Owner lost her job; pays on the 30th."})
        self.assertIn("lost her job", plan.note)

    def test_draft_can_be_deleted_active_is_cancelled_by_a_manager(self):
        bill = self._bill(100.0, "2026-03", due="2026-03-31")
        draft = self._make_plan(bill, activate=False)
        draft.unlink()
        self.assertFalse(self._plans())
        plan = self._make_plan(bill)
        cancel = self.env["property.instalment.plan.cancel"]
        with self.assertRaises(AccessError):
            cancel.sudo(self.clerk).create({
                "plan_id": plan.id, "reason": "Owner changed mind"}
            ).action_confirm()
        with self.assertRaisesRegex(UserError, "why"):
            cancel.sudo(self.manager).create({
                "plan_id": plan.id, "reason": " "}).action_confirm()
        self.assertEqual(plan.state, "active")
        cancel.sudo(self.manager).create({
            "plan_id": plan.id, "reason": "Owner sold the flat"}
        ).action_confirm()
        self.assertEqual(plan.state, "cancelled")
        self.assertEqual(plan.cancel_reason, "Owner sold the flat")
        self.assertEqual(plan.cancelled_by, self.manager)
        # a cancelled plan no longer keeps the bill out of the dunning
        self._run("2026-05-13 10:00")
        self.assertEqual(self._steps().level_id, self.reminder)

    def test_portal_user_cannot_create_activate_cancel_or_pay(self):
        bill = self._bill(100.0, "2026-03", due="2026-03-31")
        plan = self._make_plan(bill, activate=False)
        portal = self.portal
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.instalment.plan", "create", {
                "partner_id": self.owner.id, "estate_id": self.estate.id,
                "total": 1.0, "accepted_channel": "portal",
                "accepted_on": "2026-05-08", "accepted_by": portal.id})
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.instalment.plan.wizard", "create", {
                "partner_id": self.owner.id, "estate_id": self.estate.id,
                "invoice_ids": [(6, 0, bill.ids)], "count": 1,
                "first_due": "2026-05-31", "accepted_channel": "portal",
                "accepted_on": "2026-05-08"})
        wizard = self._wizard(bill, accepted_channel="portal")
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.instalment.plan.wizard",
                      "action_create", [wizard.id])
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.instalment.plan", "action_activate",
                      [plan.id])
        self.assertEqual(plan.state, "draft")
        plan.action_activate()
        for method in ("action_cancel", "action_take_payment", "write"):
            args = [[plan.id]] + ([{"state": "cancelled"}]
                                  if method == "write" else [])
            with self.assertRaises((AccessError, UserError)):
                self._rpc(portal, "property.instalment.plan", method, *args)
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.instalment.plan.cancel", "create",
                      {"plan_id": plan.id, "reason": "no"})
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.instalment.plan", "read",
                      [plan.id], ["total"])
        self.assertEqual(plan.state, "active")
        self.assertEqual(bill.residual, 100.0)

    # -- payments and following --------------------------------------------------

    def test_take_payment_opens_the_counter_with_the_plan_bills(self):
        today = date.today()
        bill = self._bill(300.0, "2026-03",
                          due=fields.Date.to_string(today - timedelta(10)))
        other = self._bill(80.0, "2026-04",
                           due=fields.Date.to_string(today - timedelta(5)))
        plan = self._make_plan(
            bill, accepted_on=fields.Date.to_string(today),
            first_due=fields.Date.to_string(today + timedelta(20)))
        action = plan.action_take_payment()
        self.assertEqual(action["res_model"], "property.counter.payment")
        screen = self.env["property.counter.payment"].sudo(self.clerk).browse(
            action["res_id"])
        self.assertEqual(screen.payer_id, self.owner)
        ticked = screen.bill_ids.filtered("to_pay").mapped("invoice_id")
        self.assertEqual(ticked, bill)
        self.assertIn(other, screen.bill_ids.mapped("invoice_id"))
        self.assertEqual(screen.amount, 100.0)
        self.assertEqual(screen.paid_preview, 100.0)

    def test_plan_kept_is_completed_and_not_chased_meanwhile(self):
        bill = self._bill(300.0, "2026-03", due="2026-03-31")
        self._run("2026-05-06 10:00")
        self.assertEqual(self._payer().level_id, self.reminder)
        plan = self._make_plan(bill)
        self.assertEqual(plan.return_level_id, self.reminder)
        # the call would be due on 05-13 (7 days after the reminder)
        run = self._run("2026-05-13 10:00")
        self.assertEqual(self._payer().decision, "in_plan")
        self.assertEqual(len(self._steps()), 1)
        self.assertIn("in_plan", run.skip_summary)
        self._pay_plan(plan, 100.0, "2026-05-30")
        self._pay_plan(plan, 100.0, "2026-07-02")  # in the grace days
        self._run("2026-07-10 10:00")
        self.assertEqual(self._payer().decision, "in_plan")
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.paid_amount, 200.0)
        self.assertEqual(plan.line_ids.mapped("state"),
                         ["paid", "paid", "open"])
        self._pay_plan(plan, 100.0, "2026-07-31")
        self.Plan._cron_follow(today="2026-08-01")
        self.assertEqual(plan.state, "completed")
        self.assertEqual(plan.completed_on, "2026-07-31")
        self.assertEqual(plan.line_ids.mapped("paid"), [100.0, 100.0, 100.0])
        self.assertEqual(bill.state, "paid")
        self.assertEqual(len(self._steps()), 1)
        periods = self.Plan._plan_periods(bill.ids)
        self.assertEqual(periods[bill.id],
                         [(date(2026, 5, 8), date(2026, 7, 31))])

    def test_bills_outside_the_plan_are_still_chased(self):
        planned = self._bill(300.0, "2026-03", due="2026-03-31")
        other = self._bill(80.0, "2026-04", due="2026-04-30")
        self._make_plan(planned)
        self._run("2026-05-13 10:00")
        step = self._steps()
        self.assertEqual(step.invoice_ids, other)
        self.assertEqual(step.total, 80.0)
        self.assertIn("in_plan", step.excluded)
        self.assertEqual(
            self.env["property.dunning.run"]._in_plan_invoice_ids(
                (planned | other).ids, date(2026, 5, 13)), {planned.id})
        # not before the owner accepted the plan
        self.assertFalse(self.env["property.dunning.run"]._in_plan_invoice_ids(
            planned.ids, date(2026, 5, 7)))

    def test_plan_broken_returns_the_payer_to_their_level(self):
        bill = self._bill(300.0, "2026-03", due="2026-03-31")
        self._run("2026-05-06 10:00")
        plan = self._make_plan(bill)
        self._pay_plan(plan, 100.0, "2026-05-30")
        # second instalment due 06-30, grace until 07-03 included
        self._run("2026-07-03 10:00")
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.line_ids.mapped("state"),
                         ["paid", "grace", "open"])
        self.assertEqual(self._payer().decision, "in_plan")
        self._run("2026-07-04 10:00")
        self.assertEqual(plan.state, "broken")
        self.assertEqual(plan.broken_on, "2026-07-04")
        self.assertEqual(plan.broken_line_id.number, 2)
        self.assertEqual(plan.line_ids.mapped("state"),
                         ["paid", "missed", "open"])
        payer = self._payer()
        self.assertEqual(payer.manual_level_id, self.reminder)
        self.assertEqual(payer.manual_date, "2026-07-04")
        self.assertIn(plan.name, payer.manual_reason)
        # the ladder goes on from the reminder: the call, 7 days on
        self.assertEqual(payer.decision, "not_due")
        self._run("2026-07-11 10:00")
        steps = self._steps()
        self.assertEqual(len(steps), 2)
        self.assertEqual(steps[-1].level_id, self.call)
        self.assertEqual(steps[-1].total, 200.0)
        self.assertEqual(steps[-1].invoice_ids, bill)
        periods = self.Plan._plan_periods(bill.ids)
        self.assertEqual(periods[bill.id],
                         [(date(2026, 5, 8), date(2026, 7, 3))])
        # a later payment does not mend a broken plan
        with self.assertRaises(UserError):
            self._pay_plan(plan, 200.0, "2026-07-12")

    def test_payments_before_the_plan_do_not_count(self):
        bill = self._bill(300.0, "2026-03", due="2026-03-31")
        self._pay(60.0, "transfer", date="2026-05-08")
        plan = self._make_plan(bill)
        self.assertEqual(plan.total, 240.0)
        self.Plan._cron_follow(today="2026-05-20")
        self.assertEqual(plan.paid_amount, 0.0)
        self.assertEqual(plan.remaining_amount, 240.0)
        self.assertEqual(plan.line_ids.mapped("amount"), [80.0, 80.0, 80.0])
