# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The phone call's outcome form (level 2, 电话沟通): every call kept, the
call done at the first reached outcome, a promise, a complaint or a bill
question that the next run respects, and the instalment plan it leads to.

Dates are relative to today in the estate's timezone: the outcome's checks
(a promise is not in the past) use the real day, as the clerk's do."""
from datetime import datetime, time, timedelta

import pytz

from odoo.exceptions import AccessError, UserError

from .common import DunningCase


def local_today():
    return datetime.now(pytz.timezone("Asia/Shanghai")).date()


class TestCallOutcome(DunningCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = local_today()
        cls.bill_march = cls._bill(100.0, "2026-03", due=cls._day(-40))
        cls.bill_april = cls._bill(50.0, "2026-04", due=cls._day(-35))
        cls.complaint_agent = cls._create_user(
            "agent", [cls.group_billing_user.id,
                      cls.env.ref(
                          "property_complaint.group_complaint_manager").id],
            name="Billing and Service Manager")

    @classmethod
    def _day(cls, offset):
        return str(cls.today + timedelta(days=offset))

    def _run_on(self, offset):
        return self._run(datetime.combine(
            self.today + timedelta(days=offset), time(10, 0)))

    def _call_step(self):
        """The owner's call step, confirmed by the clerk: the call is to be
        made."""
        self._run_on(-34)
        self._run_on(-26)
        step = self._steps()[-1]
        self.assertEqual(step.level_id, self.call)
        step.sudo(self.clerk).action_confirm()
        self.assertEqual(self._call_delivery(step).state, "todo")
        return step

    def _outcome_form(self, step, user=None, **vals):
        return self.env["property.dunning.call.outcome"].sudo(
            user or self.clerk).with_context(
                active_model="property.dunning.step",
                active_id=step.id).create(vals)

    def _calls(self, step):
        return self.env["property.dunning.call"].search(
            [("step_id", "=", step.id)], order="id")

    def _call_delivery(self, step):
        return step.delivery_ids.filtered(lambda d: d.channel == "call")

    # -- the call --------------------------------------------------------

    def test_not_reached_then_reached_keeps_both_and_closes_the_call(self):
        step = self._call_step()
        self.assertTrue(step.activity_ids)
        self._outcome_form(step, reached=False, reason="unreachable",
                           notes="No answer at 10:00").action_record()
        self.assertEqual(self._call_delivery(step).state, "todo")
        self.assertEqual(step.state, "open")

        self._outcome_form(step, reached=True, reason="refuses",
                           notes="Says the fee is too high").action_record()
        calls = self._calls(step)
        self.assertEqual(calls.mapped("reached"), [False, True])
        self.assertEqual(calls.mapped("reason"), ["unreachable", "refuses"])
        self.assertEqual(calls.mapped("user_id"), self.clerk)
        self.assertTrue(all(calls.mapped("date")))
        self.assertEqual(calls[1].notes, "Says the fee is too high")
        delivery = self._call_delivery(step)
        self.assertEqual(delivery.state, "sent")
        self.assertIn("Refuses to pay", delivery.reason)
        self.assertEqual(step.state, "done")
        self.assertFalse(step.activity_ids)
        self.assertTrue(step.message_ids.filtered(
            lambda m: "Refuses to pay" in (m.body or "")))

    def test_no_outcome_once_the_call_is_done_or_before_confirmation(self):
        self._run_on(-34)
        self._run_on(-26)
        step = self._steps()[-1]
        self.assertEqual(step.state, "review")
        with self.assertRaises(UserError):
            self._outcome_form(step, reason="refuses").action_record()
        step.sudo(self.clerk).action_confirm()
        self._outcome_form(step, reason="refuses").action_record()
        with self.assertRaises(UserError):
            self._outcome_form(step, reason="hardship").action_record()
        self.assertEqual(self._calls(step).mapped("reason"), ["refuses"])

    def test_inconsistent_outcomes_are_refused_and_nothing_recorded(self):
        step = self._call_step()
        refused = [
            {"reached": True},  # no reason
            {"reached": True, "reason": "unreachable"},
            {"reached": False, "reason": "refuses"},
            {"reached": False, "reason": "unreachable",
             "promise_date": self._day(5)},
            {"reached": True, "reason": "hardship",
             "promise_date": self._day(-1)},
            {"reached": True, "reason": "dissatisfied"},  # nothing written
            {"reached": True, "reason": "disputes",
             "question": "Wrong area"},  # which bill?
        ]
        for vals in refused:
            with self.assertRaises(UserError, msg=vals):
                self._outcome_form(step, **vals).action_record()
        self.assertFalse(self._calls(step))
        self.assertEqual(self._call_delivery(step).state, "todo")
        self.assertFalse(self._payer().promise_date)

    def test_promise_sets_the_payer_and_the_run_waits_until_it_passed(self):
        step = self._call_step()
        self._outcome_form(step, reason="hardship",
                           promise_date=self._day(5)).action_record()
        payer = self._payer()
        self.assertEqual(payer.promise_date, self._day(5))
        self.assertEqual(self._calls(step).promise_date, self._day(5))
        self.assertEqual(step.state, "done")

        self._run_on(3)
        self.assertEqual(payer.decision, "promised")
        self.assertEqual(len(self._steps()), 2)
        self._run_on(6)
        self.assertEqual(payer.decision, "step")
        self.assertEqual(self._steps()[-1].level_id, self.demand)

    # -- dissatisfied: the complaint pipeline ------------------------------

    def test_dissatisfied_records_a_complaint_that_pauses_the_bills(self):
        step = self._call_step()
        self._outcome_form(
            step, reason="dissatisfied", notes="Angry",
            complaint_description="The lift has been broken for two weeks",
        ).action_record()
        call = self._calls(step)
        complaint = call.complaint_id.sudo()
        self.assertTrue(complaint)
        self.assertEqual(complaint.partner_id, self.owner)
        self.assertEqual(complaint.channel, "phone")
        self.assertIn("lift", complaint.description)
        self.assertFalse(complaint.is_closed)
        self.assertEqual(complaint.related_invoice_ids,
                         self.bill_march | self.bill_april)
        self.assertTrue(self.bill_march._property_collection_pause()[0])

        self._run_on(1)
        self.assertEqual(self._payer().decision, "all_disputed")
        self.assertEqual(len(self._steps()), 2)

    def test_dissatisfied_bills_are_left_out_of_the_next_step(self):
        step = self._call_step()
        self._outcome_form(step, reason="dissatisfied",
                           notes="Noise from the pump room").action_record()
        bill_may = self._bill(80.0, "2026-05", due=self._day(-5))
        self._run_on(1)
        demand = self._steps()[-1]
        self.assertEqual(demand.level_id, self.demand)
        self.assertEqual(demand.invoice_ids, bill_may)
        self.assertEqual(demand.total, 80.0)

    def test_dissatisfied_links_the_payers_open_complaint(self):
        Complaint = self.env["property.complaint"]
        complaint = Complaint.create({
            "partner_id": self.owner.id, "unit_id": self.unit.id,
            "description": "Water leaking from the roof"})
        other = Complaint.create({
            "partner_id": self._create_owner().id,
            "description": "Not the payer's"})
        step = self._call_step()
        with self.assertRaises(UserError):
            self._outcome_form(step, user=self.complaint_agent,
                               reason="dissatisfied",
                               complaint_id=other.id).action_record()
        self.assertFalse(other.related_invoice_ids)
        self._outcome_form(step, user=self.complaint_agent, reason="dissatisfied",
                           complaint_id=complaint.id).action_record()
        self.assertEqual(self._calls(step).complaint_id, complaint)
        self.assertEqual(complaint.related_invoice_ids,
                         self.bill_march | self.bill_april)
        self.assertEqual(Complaint.search_count(
            [("partner_id", "=", self.owner.id)]), 1)

    # -- disputes the bill ----------------------------------------------------

    def test_disputes_opens_a_bill_question_and_the_run_leaves_the_bill(self):
        step = self._call_step()
        self._outcome_form(step, reason="disputes",
                           question_invoice_id=self.bill_march.id,
                           question="The area is 85 m², not 89.5").action_record()
        question = self._calls(step).question_id
        self.assertEqual(question.invoice_id, self.bill_march)
        self.assertEqual(question.state, "open")
        self.assertEqual(question.partner_id, self.owner)
        self.assertTrue(self.bill_march.invoice_line_ids.property_disputed)

        self._run_on(1)
        demand = self._steps()[-1]
        self.assertEqual(demand.level_id, self.demand)
        self.assertEqual(demand.invoice_ids, self.bill_april)

    def test_question_on_a_bill_the_step_does_not_chase_is_refused(self):
        step = self._call_step()
        bill_may = self._bill(80.0, "2026-05", due=self._day(-5))
        with self.assertRaises(UserError):
            self._outcome_form(step, reason="disputes",
                               question_invoice_id=bill_may.id,
                               question="Wrong").action_record()
        self.assertFalse(self.env["property.bill.question"].search(
            [("invoice_id", "=", bill_may.id)]))

    # -- hardship: the instalment plan ----------------------------------------

    def test_hardship_opens_the_plan_form_for_the_steps_bills(self):
        step = self._call_step()
        with self.assertRaises(UserError):
            self._outcome_form(step, reason="refuses").action_record_and_plan()
        self.assertFalse(self._calls(step))
        action = self._outcome_form(
            step, reason="hardship", notes="Lost the job",
        ).action_record_and_plan()
        self.assertEqual(self._calls(step).reason, "hardship")
        self.assertEqual(action["res_model"], "property.instalment.plan.wizard")
        Plan = self.env[action["res_model"]].sudo(self.clerk).with_context(
            **action["context"])
        plan = Plan.new(Plan.default_get(
            ["partner_id", "estate_id", "invoice_ids"]))
        self.assertEqual(plan.partner_id, self.owner)
        self.assertEqual(plan.estate_id, self.estate)
        self.assertEqual(plan.invoice_ids, self.bill_march | self.bill_april)

    # -- who may record -----------------------------------------------------------

    def test_only_billing_staff_record_a_call(self):
        step = self._call_step()
        portal = self._create_portal_user(self.owner)
        model = "property.dunning.call.outcome"
        for user in (portal, self.accountant):
            with self.assertRaises(AccessError):
                self._rpc(user, model, "create",
                          {"step_id": step.id, "reason": "refuses"})
        wizard = self._outcome_form(step, reason="refuses")
        for method in ("action_record", "action_record_and_plan"):
            with self.assertRaises((AccessError, UserError)):
                self._rpc(portal, model, method, [wizard.id])
        with self.assertRaises((AccessError, UserError)):
            self._rpc(portal, "property.dunning.call", "create",
                      {"step_id": step.id, "reason": "refuses",
                       "user_id": portal.id, "date": "2026-05-01 10:00:00"})
        self.assertEqual(self._call_delivery(step).state, "todo")
        wizard.action_record()
        call = self._calls(step)
        for user in (portal, self.clerk):
            with self.assertRaises((AccessError, UserError)):
                self._rpc(user, "property.dunning.call", "write", [call.id],
                          {"reason": "hardship"})
            with self.assertRaises((AccessError, UserError)):
                self._rpc(user, "property.dunning.call", "unlink", [call.id])
        self.assertEqual(call.reason, "refuses")
