# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dunning demo: payers of one estate at every level of the default
policy, as the staff would have brought them there over three months.

Seven payers of the demo estate get older bills (one or two, due about 100
and 70 days ago); the daily run is then played at past dates, the demo clerk
and manager acting between the runs:

- 96 days ago: friendly reminders (sent);
- 88 days ago: phone calls, confirmed by the clerk; outcomes: A and B in
  hardship take an instalment plan (A keeps it to the end, B pays the first
  instalment only, so the plan breaks and B returns to the call level); C
  promises to pay and does not; D is dissatisfied with the service (a
  complaint that pauses the bills); E and F refuse; G is not reached;
- 72 days ago: formal demand letters for C, E, F and G, delivered by
  registered mail for C, E and F;
- 45 days ago: B's plan breaks; 40 days ago: the legal level for E and F,
  E's legal case (arbitration) opened with its evidence pack; 25 days ago:
  B's demand letter, waiting for review;
- 12 days ago: the friendly reminder of every other payer of the estate for
  the bills of the last period.

Deterministic, a second call does nothing (the marker is the demo estate's
plan of payer A)."""
import logging
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.property_billing.rules.constants import TRACKING_OFF

_logger = logging.getLogger(__name__)

DEMO_USERS = {
    "clerk": "property_billing.user_clerk_demo",
    "manager": "property_billing.user_manager_demo",
}
DEMO_OWNER = "property_billing.demo_owner_partner"
# payers A..G: how many older bills (due 100 and 70 days ago)
OLD_BILLS = (1, 1, 2, 2, 2, 2, 2)
RUN_HOUR = time(10, 0)


class PropertyDunningDemo(models.AbstractModel):
    _name = "property.dunning.demo"
    _description = "Dunning demo builder"

    @api.model
    def _demo_dunning(self, estate_code):
        """Build the demo in the estate ``estate_code``; returns {what:
        records} ({} when the estate, its bills or the users are missing,
        or the demo exists)."""
        if not self.env.user._is_superuser() and \
                not self.env.user.has_group("base.group_system"):
            raise AccessError(_("Only administrators build demo data."))
        env = self.env(context=dict(self.env.context, **TRACKING_OFF))
        builder = self.with_env(env)
        estate = env["property.estate"].search(
            [("code", "=", estate_code)], limit=1)
        users = {role: env.ref(xmlid, raise_if_not_found=False)
                 for role, xmlid in DEMO_USERS.items()}
        if not estate or not all(users.values()):
            return {}
        policy = env["property.dunning.policy"]._policy_for(estate)
        payers = builder._demo_payers(estate)
        if not policy or len(payers) < len(OLD_BILLS) + 1:
            _logger.info("dunning demo: no policy or too few payers in %s",
                         estate.name)
            return {}
        if env["property.instalment.plan"].search_count(
                [("estate_id", "=", estate.id)]):
            return {}
        tz = pytz.timezone(estate.tz or "Asia/Shanghai")
        today = datetime.now(tz).date()
        chosen = payers[:len(OLD_BILLS)]
        for (partner, bill), count in zip(chosen, OLD_BILLS):
            for days in (100, 70)[:count]:
                builder._demo_old_bill(bill, today - timedelta(days=days))
        a, b, c, d, e, f, g = [partner for partner, _bill in chosen]
        done = {"plans": env["property.instalment.plan"],
                "cases": env["property.legal.case"]}
        clerk, manager = users["clerk"], users["manager"]

        builder._demo_run(policy, today - timedelta(days=96), tz)
        builder._demo_run(policy, today - timedelta(days=88), tz)
        calls = builder._demo_steps(estate, "call")
        calls.sudo(clerk).action_confirm()
        first_due = today - timedelta(days=80)
        for partner in (a, b):
            builder._demo_call(calls, partner, clerk, "hardship",
                               "失业在找工作，希望分期缴纳")
            plan = env["property.instalment.plan"].sudo(clerk)._make(
                partner, estate, builder._demo_open(partner, estate,
                                                    today - timedelta(days=88)),
                "phone", fields.Date.to_string(today - timedelta(days=88)),
                count=3, first_due=fields.Date.to_string(first_due))
            plan.action_activate()
            done["plans"] |= plan
        builder._demo_call(calls, c, clerk, "other", "业主答应下周缴清")
        # the promise as the call form recorded it then (the form refuses a
        # date in the past, which it was not on that day)
        env["property.dunning.payer"]._ensure([(c.id, estate.id)])[
            (c.id, estate.id)].write({"promise_date": fields.Date.to_string(
                today - timedelta(days=80))})
        builder._demo_call(calls, d, clerk, "dissatisfied",
                           "地下车库漏水三个月无人处理，处理后再缴费")
        for partner in (e, f):
            builder._demo_call(calls, partner, clerk, "refuses",
                               "业主表示暂不缴费")
        builder._demo_call(calls, g, clerk, "unreachable", "电话无人接听",
                           reached=False)
        plan_a, plan_b = done["plans"]
        for line in plan_a.line_ids:
            builder._demo_pay(plan_a, line, clerk)
        builder._demo_pay(plan_b, plan_b.line_ids[:1], clerk)
        builder._demo_follow(today - timedelta(days=75))

        builder._demo_run(policy, today - timedelta(days=72), tz)
        demands = builder._demo_steps(estate, "demand")
        demands.sudo(clerk).action_confirm()
        for number, partner in enumerate((c, e, f), start=1):
            step = demands.filtered(lambda s, p=partner: s.partner_id == p)
            if step:
                step.sudo(clerk)._record_letter_delivery(
                    "registered", fields.Date.to_string(
                        today - timedelta(days=71)),
                    "XA%09d31" % (260000000 + number),
                    env["ir.attachment"])
        builder._demo_follow(today - timedelta(days=45))
        builder._demo_run(policy, today - timedelta(days=45), tz)
        builder._demo_run(policy, today - timedelta(days=40), tz)
        legal = builder._demo_steps(estate, "legal")
        legal.filtered(lambda s: s.partner_id == e).sudo(clerk).action_confirm()
        case = env["property.legal.case"].sudo(manager).create({
            "partner_id": e.id, "estate_id": estate.id,
            "kind": "arbitration", "venue": "上海仲裁委员会",
            "note": "催缴函已挂号寄达，逾期仍未缴纳"})
        case.action_export_evidence()
        done["cases"] |= case
        builder._demo_run(policy, today - timedelta(days=25), tz)
        builder._demo_run(policy, today - timedelta(days=12), tz)
        builder._demo_follow(today)
        _logger.info("dunning demo of %s: %s steps, %s plans, %s case",
                     estate.name, env["property.dunning.step"].search_count(
                         [("estate_id", "=", estate.id)]),
                     len(done["plans"]), len(done["cases"]))
        return done

    # -- helpers ----------------------------------------------------------------

    @api.model
    def _demo_payers(self, estate):
        """(payer, one of their open bills) of the estate, by bill number,
        the demo owner apart (the portal demo keeps a clean slate)."""
        owner = self.env.ref(DEMO_OWNER, raise_if_not_found=False)
        bills = self.env["account.invoice"].search([
            ("property_estate_id", "=", estate.id), ("state", "=", "open"),
            ("type", "=", "out_invoice")], order="number, id")
        seen, result = set(), []
        for bill in bills:
            partner = bill.partner_id
            if partner == owner or partner.id in seen:
                continue
            seen.add(partner.id)
            result.append((partner, bill))
        return result

    @api.model
    def _demo_old_bill(self, model_bill, due):
        """A posted bill like ``model_bill`` for the month before ``due``."""
        period_day = due.replace(day=1) - timedelta(days=1)
        period = period_day.strftime("%Y-%m")
        invoice = self.env["account.invoice"].create({
            "partner_id": model_bill.partner_id.id, "type": "out_invoice",
            "property_unit_id": model_bill.property_unit_id.id,
            "billing_period": period,
            "date_invoice": fields.Date.to_string(period_day.replace(day=1)),
            "date_due": fields.Date.to_string(due),
            "journal_id": model_bill.journal_id.id,
            "account_id": model_bill.account_id.id,
            "invoice_line_ids": [(0, 0, {
                "name": "%s %s" % (line.name.split(" ")[0], period),
                "product_id": line.product_id.id,
                "account_id": line.account_id.id,
                "price_unit": line.price_unit, "quantity": line.quantity,
                "invoice_line_tax_ids": [(6, 0, line.invoice_line_tax_ids.ids)],
            }) for line in model_bill.invoice_line_ids]})
        invoice.action_invoice_open()
        return invoice

    @api.model
    def _demo_open(self, partner, estate, day):
        return self.env["account.invoice"].search([
            ("partner_id", "=", partner.id),
            ("property_estate_id", "=", estate.id), ("state", "=", "open"),
            ("type", "=", "out_invoice"),
            ("date_due", "<", fields.Date.to_string(day))])

    @api.model
    def _demo_run(self, policy, day, tz):
        local = tz.localize(datetime.combine(day, RUN_HOUR))
        now = local.astimezone(pytz.utc).replace(tzinfo=None)
        run = self.env["property.dunning.run"]._run(policy, now=now)
        self.env["property.dunning.delivery"]._cron_send(
            now=now + timedelta(minutes=5))
        return run

    @api.model
    def _demo_steps(self, estate, kind):
        return self.env["property.dunning.step"].search([
            ("estate_id", "=", estate.id), ("level_kind", "=", kind),
            ("state", "=", "review")])

    @api.model
    def _demo_call(self, calls, partner, clerk, reason, notes, reached=True):
        step = calls.filtered(lambda s: s.partner_id == partner)
        if not step:
            return
        outcome = self.env["property.dunning.call.outcome"].sudo(clerk).create({
            "step_id": step.id, "reached": reached, "reason": reason,
            "notes": notes,
            "complaint_description": notes if reason == "dissatisfied"
            else False})
        outcome.action_record()

    @api.model
    def _demo_pay(self, plan, lines, clerk):
        for line in lines:
            plan.sudo(clerk)._pay_instalment(
                line.amount, "wechat", date=line.date_due)

    @api.model
    def _demo_follow(self, day):
        self.env["property.instalment.plan"]._cron_follow(
            today=fields.Date.to_string(day))
