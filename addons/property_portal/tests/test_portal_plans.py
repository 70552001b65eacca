# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The reminders (dunning steps sent to the payer), their demand letter and
the instalment plans on the portal: the owner's own only; another owner's,
a former owner's, a draft or a missing one answer 404."""
import datetime

from odoo import fields

from .common_owner_services import FORMER, OwnerServicesCase


class TestPortalPlans(OwnerServicesCase):

    def _create_more(self, env):
        rec = self.rec
        today = self.today
        Payer = env["property.dunning.payer"]
        Step = env["property.dunning.step"]
        Delivery = env["property.dunning.delivery"]._service()
        reminder = env.ref("property_dunning.level_reminder")
        demand = env.ref("property_dunning.level_demand")
        estate = rec["estate"]
        payers = {partner: Payer._ensure({(rec[partner], estate)})[
            (rec[partner], estate)] for partner in ("owner", "neighbour",
                                                    "former")}

        def step(partner, level, days_ago, state, channels, subject,
                 sent=None):
            record = Step._create_service({
                "name": "DUN-%s-%s" % (partner, days_ago),
                "payer_id": payers[partner].id, "partner_id": rec[partner],
                "estate_id": estate, "company_id": rec["company"],
                "level_id": level.id,
                "date": fields.Date.to_string(
                    today - datetime.timedelta(days=days_ago)),
                "state": state, "channels": channels, "subject": subject,
                "body": "Dear owner,\n\n%s is overdue." % subject,
                "total": 350.50, "days_overdue": 20 + days_ago,
                "deadline": fields.Date.to_string(
                    today + datetime.timedelta(days=15))})
            for channel in channels.split(","):
                Delivery.create({
                    "step_id": record.id, "channel": channel,
                    "state": sent if sent and channel != "letter" else "todo"})
            return record

        rec.update({
            "reminder": step("owner", reminder, 20, "done", "portal",
                             "Friendly reminder March", sent="sent").id,
            "letter": step("owner", demand, 5, "open", "letter",
                           "Formal demand April").id,
            "review": step("owner", reminder, 1, "review", "portal",
                           "Unreviewed reminder May").id,
            "neighbour_letter": step("neighbour", demand, 5, "open", "letter",
                                     "Neighbour demand").id,
            "former_letter": step("former", demand, 5, "open", "letter",
                                  "Former owner demand").id,
        })

        Plan = env["property.instalment.plan"]._service()

        def plan(partner, name, state, lines):
            return Plan.create({
                "name": name, "partner_id": rec[partner], "estate_id": estate,
                "total": sum(amount for _due, amount, _paid, _st in lines),
                "grace_days": 5, "accepted_channel": "counter",
                "accepted_on": "2026-02-01", "accepted_by": env.uid,
                "state": state,
                "paid_amount": sum(paid for _due, _amount, paid, _st in lines),
                "remaining_amount": sum(a - p for _d, a, p, _s in lines),
                "line_ids": [(0, 0, {
                    "number": number, "date_due": due, "amount": amount,
                    "paid": paid, "remaining": amount - paid, "state": st})
                    for number, (due, amount, paid, st) in
                    enumerate(lines, 1)]}).id

        rec.update({
            "plan": plan("owner", "PLAN-OWNER", "active", [
                ("2026-02-15", 300.00, 300.00, "paid"),
                ("2026-03-15", 300.00, 120.00, "missed"),
                ("2099-04-15", 300.25, 0.0, "open")]),
            "draft_plan": plan("owner", "PLAN-DRAFT", "draft", [
                ("2026-05-15", 100.00, 0.0, "open")]),
            "neighbour_plan": plan("neighbour", "PLAN-NEIGHBOUR", "active", [
                ("2026-05-15", 100.00, 0.0, "open")]),
            "former_plan": plan("former", "PLAN-FORMER", "active", [
                ("2026-05-15", 100.00, 0.0, "open")]),
        })

    # -- reminders ---------------------------------------------------------------

    def test_reminders_show_own_sent_steps(self):
        self._login()
        page = self._get("/my/reminders")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Friendly reminder March", page.text)
        self.assertIn("Formal demand April", page.text)
        self.assertIn("/my/reminders/%d/letter" % self.rec["letter"], page.text)
        self.assertNotIn("/my/reminders/%d/letter" % self.rec["reminder"],
                         page.text)
        self.assertNotIn("Unreviewed reminder May", page.text)
        self.assertNotIn("Neighbour demand", page.text)
        self.assertIn("/my/reminders", self._get("/my/home").text)

    def test_letter_of_own_demand_only(self):
        self._login()
        letter = self._get("/my/reminders/%d/letter" % self.rec["letter"])
        self.assertEqual(letter.status_code, 200)
        self.assertIn(letter.headers["Content-Type"].split(";")[0],
                      ("application/pdf", "text/html"))
        self.assertIn("Services Owner Chen", letter.text)
        for step in ("reminder", "review", "neighbour_letter"):
            self.assertNotFound(self._get(
                "/my/reminders/%d/letter" % self.rec[step]))
        self.assertNotFound(self._get(
            "/my/reminders/%d/letter" % (self.rec["former_letter"] + 1000)))

    # -- plans -------------------------------------------------------------------

    def test_plan_schedule(self):
        self._login()
        page = self._get("/my/plans")
        self.assertEqual(page.status_code, 200)
        self.assertIn("PLAN-OWNER", page.text)
        self.assertNotIn("PLAN-DRAFT", page.text)
        self.assertNotIn("PLAN-NEIGHBOUR", page.text)
        detail = self._get("/my/plans/%d" % self.rec["plan"])
        self.assertEqual(detail.status_code, 200)
        text = detail.text
        for due in ("02/15/2026", "03/15/2026", "04/15/2099"):
            self.assertIn(due, text)
        self.assertIn("300.25", text)
        self.assertIn("o_property_instalment_paid", text)
        self.assertIn("o_property_instalment_missed", text)
        self.assertIn("o_property_instalment_open", text)
        self.assertIn("120.00", text)  # paid of the missed instalment

    def test_other_owners_draft_and_missing_plans_are_not_found(self):
        self._login()
        for plan_id in (self.rec["neighbour_plan"], self.rec["draft_plan"],
                        self.rec["former_plan"] + 1000):
            self.assertNotFound(self._get("/my/plans/%d" % plan_id))

    def test_former_owner_sees_no_plan_or_reminder(self):
        self._login(FORMER)
        self.assertNotIn("PLAN-FORMER", self._get("/my/plans").text)
        self.assertNotIn("Former owner demand", self._get("/my/reminders").text)
        self.assertNotFound(self._get("/my/plans/%d" % self.rec["former_plan"]))
        self.assertNotFound(self._get(
            "/my/reminders/%d/letter" % self.rec["former_letter"]))

    def test_anonymous_is_sent_to_login(self):
        for path in ("/my/plans", "/my/reminders", "/my/fee_notices",
                     "/my/complaints"):
            response = self.opener.get(self._base() + path, timeout=30,
                                       allow_redirects=False)
            self.assertIn(response.status_code, (301, 302, 303), path)
            self.assertIn("/web/login", response.headers["Location"])
