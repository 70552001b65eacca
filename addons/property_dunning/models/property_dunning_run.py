# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The daily dunning run (每日催缴) of one policy.

For each payer with overdue bills in the policy's estates, ``rules.dunning``
decides: one step covering all the payer's chaseable bills, or the reason
why not, kept on the payer's status. The run reads the bills, disputes,
plans, last steps and contacts in a few queries, decides in Python and
writes the steps in bulk.

Nothing is sent twice: a step is unique per payer and day (a database
constraint), the rules never take two steps on one day, and two runs of one
policy never overlap (a transaction-level advisory lock: the second one is
refused with a message while the first is running)."""
import json
import logging
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.property_billing.rules.constants import DEFAULT_TZ
from odoo.addons.property_billing.rules.timezones import to_local

from ..rules import dunning as rules
from ..rules import late_fee as fee_rules
from ..rules import limitation as limitation_rules
from ..rules.common import RuleError

_logger = logging.getLogger(__name__)

RUN_STATES = [("done", "Done"), ("failed", "Failed")]
# advisory lock namespace of the runs (one lock per policy id)
LOCK_KEY = 62001110


def _decimal(value):
    return Decimal(repr(value or 0.0))


class PropertyDunningRun(models.Model):
    _name = "property.dunning.run"
    _description = "Daily Dunning Run"
    _order = "id desc"

    policy_id = fields.Many2one(
        "property.dunning.policy", required=True, readonly=True,
        ondelete="cascade", index=True)
    company_id = fields.Many2one(
        related="policy_id.company_id", store=True, readonly=True)
    date = fields.Date(required=True, readonly=True, index=True)
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)
    state = fields.Selection(RUN_STATES, readonly=True, default="done")
    payer_count = fields.Integer(string="Payers Overdue", readonly=True)
    bill_count = fields.Integer(string="Overdue Bills", readonly=True)
    step_count = fields.Integer(string="Steps", readonly=True)
    sent_count = fields.Integer(string="Sent at Once", readonly=True)
    review_count = fields.Integer(string="To Review", readonly=True)
    skip_summary = fields.Text(string="Skipped", readonly=True)
    step_ids = fields.One2many(
        "property.dunning.step", "run_id", readonly=True)

    @api.model
    def create(self, vals):
        if not self.env.context.get("property_dunning_run"):
            self.check_access_rights("create")
            raise UserError(_("Dunning runs are started by the scheduler or "
                              "the policy's Run Now button."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if not self.env.context.get("property_dunning_run"):
            self.check_access_rights("write")
            raise UserError(_("A dunning run is a record of what was done."))
        return super().write(vals)

    @api.multi
    def name_get(self):
        return [(run.id, "%s %s" % (run.policy_id.display_name, run.date))
                for run in self]

    @api.model
    def _log_failure(self, policy):
        _logger.exception("Dunning run of policy %s failed", policy.id)

    # -- the run -------------------------------------------------------------

    @api.model
    def _local_now(self, policy, now=None):
        """The run's moment in the estate's local time (naive)."""
        now = now or datetime.utcnow()
        if isinstance(now, str):
            now = fields.Datetime.from_string(now)
        estate = policy.estate_id or policy._estates()[:1]
        try:
            tz = pytz.timezone(estate.tz or DEFAULT_TZ)
        except pytz.UnknownTimeZoneError:
            tz = pytz.timezone(DEFAULT_TZ)
        return to_local(now, tz).replace(tzinfo=None), now

    @api.model
    def _run(self, policy, now=None):
        """Take today's steps of ``policy`` (a record); ``now`` a naive UTC
        datetime (default: the clock). Returns the run record."""
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)",
                            (LOCK_KEY, policy.id))
        if not self.env.cr.fetchone()[0]:
            raise UserError(_(
                "The dunning run of %s is already running; try again when it "
                "is over.") % policy.display_name)
        policy = policy.sudo()
        local_now, utc_now = self._local_now(policy, now)
        today = local_now.date()
        rule_policy = policy._rule_policy()
        run = self.sudo().with_context(property_dunning_run=True).create({
            "policy_id": policy.id, "date": fields.Date.to_string(today),
            "started_at": fields.Datetime.to_string(utc_now)})
        estates = policy._estates()
        bills = self._overdue_bills(estates, today)
        pairs = {(b["partner_id"], b["estate_id"]) for b in bills}
        # payers overdue at the last run whose bills were settled since
        self.env.cr.execute("""
            SELECT partner_id, estate_id FROM property_dunning_payer
             WHERE estate_id = ANY(%s) AND overdue_count > 0""", (estates.ids,))
        pairs.update(self.env.cr.fetchall())
        payers = self.env["property.dunning.payer"]._ensure(pairs)
        disputed = self._disputed_invoice_ids([b["id"] for b in bills])
        in_plan = self._in_plan_invoice_ids([b["id"] for b in bills], today)
        by_payer = defaultdict(list)
        for bill in bills:
            by_payer[(bill["partner_id"], bill["estate_id"])].append(bill)
        states = self._payer_states([p.id for p in payers.values()])
        reach = self._reach([p for p, e in payers])
        levels = {level.sequence: level for level in policy.level_ids}
        fee_rule = policy._late_fee_rule()
        demands = self._demand_dates([p.id for p in payers.values()])

        steps, skips, payer_vals = [], defaultdict(int), {}
        for pair, payer in payers.items():
            payer_bills = by_payer.get(pair, [])
            state = states.get(payer.id, {})
            situation = rules.Payer(
                [rules.OverdueBill(b["id"], b["date_due"], _decimal(b["residual"]),
                                   b["id"] in disputed, b["id"] in in_plan)
                 for b in payer_bills],
                last_step=state.get("last"), promise=state.get("promise"),
                held=state.get("held", False), manual=state.get("manual"),
                reach=reach.get(pair[0], rules.NOBODY))
            decision = rules.decide(rule_policy, situation, local_now)
            vals = self._payer_summary(payer_bills, disputed, in_plan,
                                       demands.get(payer.id, {}), today,
                                       policy)
            vals.update(policy_id=policy.id,
                        decision_date=fields.Date.to_string(today))
            if isinstance(decision, rules.Skip):
                skips[decision.reason] += 1
                vals.update(decision=decision.reason,
                            decision_note=self._skip_note(decision))
            else:
                vals.update(decision="step", decision_note=False)
                steps.append((payer, decision, payer_bills))
            payer_vals[payer.id] = vals
        created = self._write_steps(run, policy, steps, levels, fee_rule,
                                    today, local_now)
        self._write_payers(payers, payer_vals, created)
        automatic = created.filtered(lambda s: s.state == "open")
        automatic.mapped("delivery_ids")._release()
        run.with_context(property_dunning_run=True).write({
            "finished_at": fields.Datetime.now(),
            "payer_count": len([1 for pair in payers if by_payer.get(pair)]),
            "bill_count": len(bills),
            "step_count": len(created),
            "sent_count": len(automatic),
            "review_count": len(created) - len(automatic),
            "skip_summary": json.dumps(dict(skips), sort_keys=True),
        })
        return run

    # -- reading -----------------------------------------------------------------

    @api.model
    def _overdue_bills(self, estates, today):
        """The open customer bills of ``estates`` past their due date."""
        if not estates:
            return []
        self.env.cr.execute("""
            SELECT inv.id, inv.partner_id, inv.property_estate_id AS estate_id,
                   inv.property_unit_id AS unit_id, inv.date_due,
                   inv.residual, inv.amount_total, inv.billing_period,
                   inv.number
              FROM account_invoice inv
             WHERE inv.type = 'out_invoice' AND inv.state = 'open'
               AND inv.property_estate_id = ANY(%s)
               AND inv.date_due < %s AND inv.residual > 0
             ORDER BY inv.partner_id, inv.date_due, inv.id""",
                            (estates.ids, fields.Date.to_string(today)))
        rows = self.env.cr.dictfetchall()
        for row in rows:
            row["date_due"] = fields.Date.from_string(row["date_due"])
        # payers in the commercial sense (a company's contacts pay as it)
        return rows

    @api.model
    def _disputed_invoice_ids(self, invoice_ids):
        """Bills disputed today: an open bill question, or what the
        collection-pause extension point says (open complaints, …)."""
        if not invoice_ids:
            return set()
        self.env.cr.execute("""
            SELECT DISTINCT invoice_id FROM property_bill_question
             WHERE state = 'open' AND invoice_id = ANY(%s)""", (invoice_ids,))
        disputed = {row[0] for row in self.env.cr.fetchall()}
        invoices = self.env["account.invoice"].sudo().browse(
            [i for i in invoice_ids if i not in disputed])
        disputed |= set(invoices._property_collection_paused_ids())
        return disputed

    @api.model
    def _in_plan_invoice_ids(self, invoice_ids, today):
        """Bills in an instalment plan in good standing (the plans add them)."""
        return set()

    @api.model
    def _payer_states(self, payer_ids):
        """Per payer status id: last step (sequence, date), manual move,
        promise, hold."""
        if not payer_ids:
            return {}
        self.env.cr.execute("""
            SELECT p.id, p.held, p.promise_date, p.manual_date,
                   ml.sequence AS manual_sequence, p.manual_level_id,
                   last.date AS last_date, last.level_sequence AS last_sequence
              FROM property_dunning_payer p
              LEFT JOIN property_dunning_level ml ON ml.id = p.manual_level_id
              LEFT JOIN LATERAL (
                    SELECT s.date, s.level_sequence FROM property_dunning_step s
                     WHERE s.payer_id = p.id AND s.state != 'cancel'
                     ORDER BY s.date DESC, s.id DESC LIMIT 1) last ON TRUE
             WHERE p.id = ANY(%s)""", (payer_ids,))
        states = {}
        to_date = fields.Date.from_string
        for row in self.env.cr.dictfetchall():
            state = {"held": row["held"]}
            if row["last_date"]:
                state["last"] = rules.LastStep(row["last_sequence"],
                                               to_date(row["last_date"]))
            if row["manual_date"]:
                state["manual"] = rules.ManualMove(
                    row["manual_sequence"] if row["manual_level_id"] else None,
                    to_date(row["manual_date"]))
            if row["promise_date"]:
                state["promise"] = to_date(row["promise_date"])
            states[row["id"]] = state
        return states

    @api.model
    def _reach(self, partner_ids):
        """How each payer can be reached (``rules.dunning.Reach``)."""
        if not partner_ids:
            return {}
        self.env.cr.execute("""
            SELECT p.id, COALESCE(p.mobile, '') != '' AS mobile,
                   COALESCE(p.email, '') != '' AS email,
                   COALESCE(p.phone, '') != '' AS phone,
                   COALESCE(p.property_sms_consent, FALSE) AS consent,
                   EXISTS (SELECT 1 FROM res_users u
                            WHERE u.partner_id = p.id AND u.active
                              AND u.share) AS portal
              FROM res_partner p WHERE p.id = ANY(%s)""", (list(partner_ids),))
        return {row[0]: rules.Reach(mobile=row[1], email=row[2], phone=row[3],
                                    sms_consent=row[4], portal=row[5],
                                    address=True)
                for row in self.env.cr.fetchall()}

    @api.model
    def _demand_dates(self, payer_ids):
        """Per payer status: {invoice id: [dates of documented demands]}
        (steps that went out on at least one channel; a letter counts from
        the day it was delivered)."""
        result = defaultdict(lambda: defaultdict(list))
        if not payer_ids:
            return result
        self.env.cr.execute("""
            SELECT s.payer_id, rel.invoice_id,
                   COALESCE(s.letter_delivered_on, s.date)
              FROM property_dunning_step s
              JOIN property_dunning_step_invoice_rel rel ON rel.step_id = s.id
             WHERE s.payer_id = ANY(%s) AND s.state IN ('open', 'done')
               AND EXISTS (SELECT 1 FROM property_dunning_delivery d
                            WHERE d.step_id = s.id AND d.state = 'sent')""",
                            (payer_ids,))
        for payer, invoice, day in self.env.cr.fetchall():
            result[payer][invoice].append(fields.Date.from_string(day))
        return result

    @api.model
    def _payer_summary(self, bills, disputed, in_plan, demands, today, policy):
        total = sum((_decimal(b["residual"]) for b in bills), Decimal(0))
        vals = {"overdue_amount": float(total), "overdue_count": len(bills),
                "oldest_due": bills and fields.Date.to_string(
                    min(b["date_due"] for b in bills)) or False,
                "limitation_expiry": False, "limitation_state": False}
        if bills:
            try:
                status = limitation_rules.payer_limitation(
                    [limitation_rules.LimitationBill(
                        b["id"], b["date_due"], tuple(demands.get(b["id"], ())))
                     for b in bills], today,
                    warn_months=(policy.limitation_warn_months
                                 or limitation_rules.WARN_MONTHS))
            except RuleError:
                return vals
            worst = status.expired[:1] or status.warned[:1] or \
                status.statuses[:1]
            vals.update(limitation_expiry=fields.Date.to_string(
                status.earliest), limitation_state=worst[0].status)
        return vals

    @api.model
    def _skip_note(self, skip):
        params = skip.params
        if skip.reason == rules.MIN_INTERVAL:
            return _("Next step from %s") % params["next"]
        if skip.reason == rules.NOT_DUE:
            return _("%(level)s due on %(day)s") % {
                "level": params["level"], "day": params["due_on"]}
        if skip.reason == rules.PROMISED:
            return _("Promised to pay by %s") % params["promise"]
        if skip.reason == rules.QUIET_HOURS:
            return _("Waits until %s") % params["until"].strftime(
                "%Y-%m-%d %H:%M")
        if skip.reason == rules.UNREACHABLE:
            return ", ".join("%s: %s" % pair for pair in params["channels"])
        if skip.reason == rules.TOP_LEVEL:
            return _("At %s: the legal case takes over") % params["level"]
        return False

    # -- writing ------------------------------------------------------------------

    @api.model
    def _write_steps(self, run, policy, steps, levels, fee_rule, today,
                     local_now):
        Step = self.env["property.dunning.step"]
        if not steps:
            return Step.browse()
        company = policy.company_id
        names = iter(self._step_names(company, len(steps)))
        vals_list = []
        for payer, step, bills in steps:
            level = levels[step.level.sequence]
            chased = set(step.bills)
            lines = []
            for bill in bills:
                if bill["id"] not in chased:
                    continue
                fee = self._bill_fee(fee_rule, bill, today)
                lines.append((0, 0, {
                    "invoice_id": bill["id"], "unit_id": bill["unit_id"],
                    "billing_period": bill["billing_period"],
                    "date_due": fields.Date.to_string(bill["date_due"]),
                    "days_overdue": (today - bill["date_due"]).days,
                    "amount_total": bill["amount_total"],
                    "residual": bill["residual"], "late_fee": fee}))
            deadline = False
            if level.kind == "demand":
                deadline = fields.Date.to_string(
                    today + timedelta(days=policy.demand_period_days))
            deliveries = [(0, 0, {"channel": channel, "state": "hold"})
                          for channel in step.channels]
            deliveries += [(0, 0, {"channel": channel, "state": "skipped",
                                   "reason": reason})
                           for channel, reason in step.left_out]
            vals_list.append({
                "name": next(names),
                "payer_id": payer.id, "partner_id": payer.partner_id.id,
                "estate_id": payer.estate_id.id, "company_id": company.id,
                "policy_id": policy.id, "level_id": level.id,
                "level_sequence": level.sequence, "run_id": run.id,
                "date": fields.Date.to_string(today),
                "state": "open" if step.send_now else "review",
                "invoice_ids": [(6, 0, list(step.bills))],
                "line_ids": lines, "delivery_ids": deliveries,
                "total": float(step.total),
                "oldest_due": fields.Date.to_string(step.oldest_due),
                "days_overdue": step.days_overdue,
                "channels": ",".join(step.channels),
                "left_out": "\n".join("%s: %s" % pair
                                      for pair in step.left_out) or False,
                "excluded": "\n".join("%s: %s" % (self._bill_number(bills, k), r)
                                      for k, r in step.excluded) or False,
                "deadline": deadline,
            })
        bulk = self.env["property.bulk.insert"]
        created = bulk._create_records(Step._service(), vals_list)
        created = Step._service().browse(created.ids)
        created._render_texts()
        return created

    @api.model
    def _step_names(self, company, count):
        """``count`` numbers of the steps' sequence, drawn at once from its
        database sequence when it is a plain one (as ``next_by_code`` would
        draw them one by one)."""
        Sequence = self.env["ir.sequence"].sudo().with_context(
            force_company=company.id)
        sequence = Sequence.search([
            ("code", "=", "property.dunning.step"),
            ("company_id", "in", [company.id, False])],
            order="company_id", limit=1)
        if not sequence or sequence.implementation != "standard" or \
                sequence.use_date_range:
            return [Sequence.next_by_code("property.dunning.step")
                    for _index in range(count)]
        self.env.cr.execute(
            "SELECT nextval('ir_sequence_%03d') FROM generate_series(1, %%s)"
            % sequence.id, (count,))
        return [sequence.get_next_char(number)
                for number, in self.env.cr.fetchall()]

    @api.model
    def _bill_number(self, bills, key):
        for bill in bills:
            if bill["id"] == key:
                return bill["number"] or str(key)
        return str(key)

    @api.model
    def _bill_fee(self, rule, bill, today):
        """The late fee accrued on a bill by ``today`` (a figure), from what
        is still due (payments so far counted from today)."""
        if not rule.daily_rate:
            return 0.0
        residual = _decimal(bill["residual"])
        principal = _decimal(bill["amount_total"])
        paid = principal - residual
        payments = [fee_rules.Payment(today, paid)] if paid > 0 else []
        try:
            accrual = fee_rules.accrue(
                rule, fee_rules.FeeBill(bill["id"], principal,
                                        bill["date_due"], payments), today)
        except RuleError:
            return 0.0
        return float(accrual.fee)

    @api.model
    def _write_payers(self, payers, payer_vals, created):
        """The payers' statuses after the run, in one statement per set of
        fields written."""
        by_payer = {step.payer_id.id: step for step in created}
        groups = defaultdict(dict)
        for payer in payers.values():
            vals = dict(payer_vals[payer.id])
            step = by_payer.get(payer.id)
            if step:
                vals.update(last_step_id=step.id, level_id=step.level_id.id)
            groups[tuple(sorted(vals))][payer.id] = vals
        service = self.env["property.dunning.payer"]._service()
        bulk = self.env["property.bulk.insert"]
        for values in groups.values():
            bulk._write_values(service.browse(list(values)), values)
