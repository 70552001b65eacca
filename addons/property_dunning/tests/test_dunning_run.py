# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The daily run on a real database: one step per payer over all of their
overdue bills, the ladder climbed one level at a time, every reason a payer
is skipped, and nothing sent twice."""
import json

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from odoo.addons.property_billing.tests.common_notice import NoticeCase
from odoo.addons.property_billing.tests.sms_stub import SmsStubMixin

from .common import DunningCase


class TestDunningRun(SmsStubMixin, DunningCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        NoticeCase._create_gateway.__func__(cls, cls.stub.url)
        cls.unit2 = cls._create_unit()
        cls.neighbour = cls._create_owner(
            name="邻居", mobile="13800000002", property_sms_consent=True)
        cls._create_occupancy(unit_id=cls.unit2.id,
                              partner_id=cls.neighbour.id)

    def _question(self, invoice):
        return self.env["property.bill.question"].create({
            "invoice_line_id": invoice.invoice_line_ids[:1].id,
            "partner_id": invoice.partner_id.id,
            "question": "为什么这么多?"})

    # -- one step per payer --------------------------------------------------

    def test_one_step_per_payer_over_all_overdue_bills(self):
        march = self._bill(100.0, "2026-03", due="2026-03-31")
        april = self._bill(50.5, "2026-04", due="2026-04-30")
        self._bill(80.0, "2026-05", due="2026-05-31")  # not due yet
        other = self._bill(70.0, "2026-04", due="2026-04-30",
                           partner=self.neighbour, unit=self.unit2)
        run = self._run("2026-05-06 10:00")
        step = self._steps()
        self.assertEqual(len(step), 1)
        self.assertEqual(step.invoice_ids, march | april)
        self.assertEqual(step.total, 150.5)
        self.assertEqual(step.line_ids.mapped("residual"), [100.0, 50.5])
        self.assertEqual(step.oldest_due, "2026-03-31")
        self.assertEqual(step.days_overdue, 36)
        self.assertEqual(self._steps(self.neighbour).invoice_ids, other)
        self.assertEqual(run.step_count, 2)
        self.assertEqual(run.bill_count, 3)
        # one message per channel for the payer, never one per bill
        channels = step.delivery_ids.mapped("channel")
        self.assertEqual(sorted(channels), ["email", "portal", "sms"])
        portal = step.delivery_ids.filtered(lambda d: d.channel == "portal")
        self.assertEqual(portal.state, "skipped")  # no portal user
        self.assertEqual(step.state, "open")
        self.assertIn("150.50", step.sms_text)
        self.assertIn(self.unit.code, step.sms_text)

    def test_messages_go_out_once_even_when_the_cron_runs_twice(self):
        self._bill(100.0, "2026-03", due="2026-03-31")
        self._run("2026-05-06 10:00")
        Delivery = self.env["property.dunning.delivery"]
        now = self._utc("2026-05-06 10:05")
        Delivery._cron_send(now=now)
        self._run("2026-05-06 15:00")
        Delivery._cron_send(now=now)
        step = self._steps()
        self.assertEqual(len(step), 1)
        self.assertEqual(len(self.stub.messages), 1)
        self.assertEqual(self.stub.messages[0]["to"], "13800000001")
        mails = self.env["mail.mail"].search([
            ("model", "=", "property.dunning.step"), ("res_id", "=", step.id)])
        self.assertEqual(len(mails), 1)
        self.assertEqual(step.state, "done")
        self.assertEqual(self._payer().decision, "min_interval")

    def test_a_second_run_at_the_same_time_is_refused(self):
        policy = self.env.ref("property_dunning.policy_default")
        self.env["property.dunning.run"]._run(policy, now=self._utc(
            "2026-05-06 10:00"))
        # the first run's transaction is still open: another one waits out
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            with self.assertRaises(UserError) as caught:
                env["property.dunning.run"]._run(
                    env["property.dunning.policy"].browse(policy.id))
            cr.rollback()
        self.assertIn("already running", str(caught.exception))

    def test_the_same_step_cannot_be_written_twice(self):
        self._bill(100.0, "2026-03", due="2026-03-31")
        self._run("2026-05-06 10:00")
        step = self._steps()
        with mute_logger("odoo.sql_db"), self.assertRaises(Exception):
            with self.env.cr.savepoint():
                self.env["property.dunning.step"]._create_service({
                    "payer_id": step.payer_id.id,
                    "partner_id": step.partner_id.id,
                    "estate_id": step.estate_id.id,
                    "company_id": step.company_id.id,
                    "level_id": step.level_id.id, "date": step.date})

    # -- the ladder ---------------------------------------------------------------

    def test_the_ladder_is_climbed_one_level_at_a_time(self):
        self._bill(100.0, "2026-01", due="2026-01-31")
        self._run("2026-05-06 10:00")
        self.assertEqual(self._steps().level_id, self.reminder)
        self._run("2026-05-12 10:00")
        self.assertEqual(self._payer().decision, "not_due")
        self.assertIn("2026-05-13", self._payer().decision_note)
        self._run("2026-05-13 10:00")
        call = self._steps()[-1]
        self.assertEqual(call.level_id, self.call)
        self.assertEqual(call.state, "review")  # reviewed level: waits
        self.assertEqual(call.delivery_ids.mapped("state"), ["hold"])
        call.sudo(self.clerk).action_confirm()
        self.assertEqual(call.state, "open")
        self.assertEqual(call.delivery_ids.state, "todo")
        self.assertEqual(len(call.activity_ids), 1)
        self._run("2026-05-28 10:00")
        demand = self._steps()[-1]
        self.assertEqual(demand.level_id, self.demand)
        self.assertEqual(demand.deadline, "2026-06-12")
        self.assertEqual(self._payer().level_id, self.demand)

    def test_steps_to_review_are_confirmed_by_staff_only(self):
        self._bill(100.0, "2026-01", due="2026-01-31")
        self.reminder.automatic = False
        self._run("2026-05-06 10:00")
        step = self._steps()
        self.assertEqual(step.state, "review")
        portal = self._create_portal_user(self.owner)
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.dunning.step", "action_confirm",
                      [step.id])
        with self.assertRaises(UserError):
            self._rpc(self.clerk, "property.dunning.step", "write",
                      [step.id], {"total": 1.0})
        self.assertEqual(step.total, 100.0)
        self._rpc(self.clerk, "property.dunning.step", "action_confirm",
                  [step.id])
        # confirmed: it left review; its deliveries go out at once when the
        # real clock is outside the SMS quiet hours (then it is done already)
        self.assertIn(step.state, ("open", "done"))
        self.assertEqual(step.confirmed_by, self.clerk)

    def test_a_step_cancelled_needs_a_reason_and_frees_the_ladder(self):
        self._bill(100.0, "2026-01", due="2026-01-31")
        self.reminder.automatic = False
        self._run("2026-05-06 10:00")
        step = self._steps().sudo(self.clerk)
        with self.assertRaises(UserError):
            step.action_cancel()
        self.assertEqual(step.state, "review")
        step.note = "已电话联系业主, 不必发送"
        step.action_cancel()
        self.assertEqual(step.state, "cancel")
        self.assertFalse(self._payer().last_step_id)
        self.assertEqual(step.delivery_ids.filtered(
            lambda d: d.channel == "sms").state, "cancel")

    # -- skip reasons ---------------------------------------------------------------

    def test_a_held_payer_is_skipped(self):
        self._bill(100.0, "2026-03", due="2026-03-31")
        self._run("2026-05-06 10:00")
        self._payer()._service().write({"held": True,
                                        "hold_reason": "业主住院"})
        self._run("2026-05-20 10:00")
        self.assertEqual(self._payer().decision, "held")
        self.assertEqual(len(self._steps()), 1)

    def test_nothing_overdue(self):
        march = self._bill(100.0, "2026-03", due="2026-03-31")
        self._run("2026-05-06 10:00")
        self.service._pay(self.owner, 100.0, "cash", invoices=march)
        self._run("2026-05-20 10:00")
        payer = self._payer()
        self.assertEqual(payer.decision, "nothing_overdue")
        self.assertEqual(payer.overdue_amount, 0.0)

    def test_disputed_bills_are_left_out_and_all_disputed_skips(self):
        march = self._bill(100.0, "2026-03", due="2026-03-31")
        april = self._bill(50.0, "2026-04", due="2026-04-30")
        self._question(march)
        self._run("2026-05-06 10:00")
        step = self._steps()
        self.assertEqual(step.invoice_ids, april)
        self.assertIn(march.number, step.excluded)
        self.assertIn("disputed", step.excluded)
        self._question(april)
        self._run("2026-05-20 10:00")
        self.assertEqual(self._payer().decision, "all_disputed")
        self.assertEqual(len(self._steps()), 1)

    def test_an_open_complaint_about_the_bill_pauses_it(self):
        march = self._bill(100.0, "2026-03", due="2026-03-31")
        complaint = self.env["property.complaint"].create({
            "partner_id": self.owner.id, "unit_id": self.unit.id,
            "description": "电梯一直坏着",
            "related_invoice_ids": [(6, 0, march.ids)]})
        self.assertTrue(complaint)
        self._run("2026-05-06 10:00")
        self.assertEqual(self._payer().decision, "all_disputed")
        self.assertFalse(self._steps())

    def test_a_promise_to_pay_waits_until_its_day_passed(self):
        self._bill(100.0, "2026-03", due="2026-03-31")
        self._run("2026-05-06 10:00")
        self._payer()._service().write({"promise_date": "2026-05-20"})
        self._run("2026-05-20 10:00")
        self.assertEqual(self._payer().decision, "promised")
        self.assertIn("2026-05-20", self._payer().decision_note)
        self._run("2026-05-21 10:00")
        self.assertEqual(self._steps()[-1].level_id, self.call)

    def test_top_level_stops_the_run(self):
        self._bill(100.0, "2025-01", due="2025-01-31")
        for day in ("2026-01-10", "2026-01-20", "2026-02-10", "2026-03-20"):
            self._run(day + " 10:00")
        self.assertEqual(self._steps().mapped("level_id"),
                         self.reminder | self.call | self.demand | self.legal)
        self._run("2026-05-20 10:00")
        self.assertEqual(self._payer().decision, "top_level")

    def test_sms_quiet_hours_and_the_unreachable_list(self):
        self.owner.write({"email": False, "phone": False})
        self._bill(100.0, "2026-03", due="2026-03-31")
        self._run("2026-05-06 22:30")
        payer = self._payer()
        self.assertEqual(payer.decision, "quiet_hours")
        self.assertIn("2026-05-07 08:00", payer.decision_note)
        self.assertFalse(self._steps())
        self._run("2026-05-07 08:30")
        self.assertEqual(self._steps().channels, "sms")
        nobody = self._create_owner(name="无联系方式", mobile=False,
                                    email=False)
        unit = self._create_unit()
        self._create_occupancy(unit_id=unit.id, partner_id=nobody.id)
        self._bill(60.0, "2026-03", due="2026-03-31", partner=nobody, unit=unit)
        run = self._run("2026-05-12 10:00")
        status = self._payer(nobody)
        self.assertEqual(status.decision, "unreachable")
        self.assertIn("no_mobile", status.decision_note)
        self.assertEqual(json.loads(run.skip_summary).get("unreachable"), 1)
        unreachable = self.env["property.dunning.payer"].search([
            ("decision", "=", "unreachable"),
            ("estate_id", "=", self.estate.id)])
        self.assertEqual(unreachable, status)

    # -- limitation -------------------------------------------------------------------

    def test_the_limitation_date_is_shown_and_restarted_by_a_demand(self):
        self._bill(100.0, "2023-03", due="2023-03-31")
        self._run("2026-01-10 10:00")
        payer = self._payer()
        # three years counted from the day after the due date (民法典 §188,
        # §201): 2023-04-01 + 3 years; the reminder that just went out
        # restarts it (§195) once it is sent
        self.assertEqual(payer.limitation_state, "warn")
        self.assertEqual(payer.limitation_expiry, "2026-04-01")
        self.env["property.dunning.delivery"]._cron_send(
            now=self._utc("2026-01-10 10:05"))
        self._run("2026-01-20 10:00")
        payer = self._payer()
        self.assertEqual(payer.limitation_state, "running")
        # counted again from the demand itself (§195): 2026-01-10 + 3 years
        self.assertEqual(payer.limitation_expiry, "2029-01-10")

    # -- policy -----------------------------------------------------------------------

    def test_texts_never_threaten_a_cut_off(self):
        with self.assertRaises(ValidationError):
            self.reminder.sms_text = "再不缴费将停水停电"
        with self.assertRaises(ValidationError):
            self.reminder.sms_text = "{name} {password}"
        self.reminder.sms_text = "{name}, {total}"
        with self.assertRaises(ValidationError):
            self.call.use_call = False

    def test_staff_cannot_forge_steps_or_statuses(self):
        self._bill(100.0, "2026-03", due="2026-03-31")
        self._run("2026-05-06 10:00")
        payer = self._payer()
        with self.assertRaises(AccessError):
            self._rpc(self.clerk, "property.dunning.step", "create", {
                "payer_id": payer.id, "partner_id": self.owner.id,
                "estate_id": self.estate.id, "company_id": self.company.id,
                "level_id": self.legal.id, "date": "2026-05-07"})
        with self.assertRaises(UserError):
            self._rpc(self.clerk, "property.dunning.payer", "write",
                      [payer.id], {"held": True})
        self.assertFalse(payer.held)
        with self.assertRaises(AccessError):
            self._rpc(self.clerk, "property.dunning.policy", "action_run_now",
                      [self.policy.id])
        portal = self._create_portal_user(self.owner)
        for model in ("property.dunning.step", "property.dunning.payer",
                      "property.dunning.delivery", "property.dunning.run"):
            with self.assertRaises(AccessError):
                self._rpc(portal, model, "search_read", [], ["id"])
