# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Instalment plans (分期还款): a payer's overdue bills in one estate split
into dated instalments that add up exactly to what the bills owed.

A billing clerk agrees the plan with the owner (the wizard records the
owner's acceptance: its channel, its date and who recorded it) and activates
it. While it is in good standing its bills are not chased by the daily run
and run no late fee. A daily follow compares the payments allocated to the
bills since the plan took its total with the instalments
(``rules.instalments.status``): a missed instalment breaks the plan and
returns the payer to dunning at the level they had when it started; a plan
paid in full is completed.

The plan is a record of what was agreed: its bills, instalments and total are
written by the service only; staff change its state through its actions."""
import logging
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..rules import instalments as rules
from .property_dunning_payer import CHATTER_PREFIXES

_logger = logging.getLogger(__name__)

STATES = [
    ("draft", "Draft"),
    ("active", "In Good Standing"),
    ("completed", "Completed"),
    ("broken", "Broken"),
    ("cancelled", "Cancelled"),
]
ACCEPTANCE_CHANNELS = [
    ("counter", "At the service desk"),
    ("phone", "By phone"),
    ("portal", "In the owner portal"),
    ("written", "In writing"),
    ("wechat", "By WeChat"),
]
LINE_STATES = [
    ("open", "To Pay"),
    ("grace", "Late, in the grace days"),
    ("paid", "Paid"),
    ("missed", "Missed"),
]
USER_GROUP = "property_billing.group_billing_user"
MANAGER_GROUP = "property_billing.group_billing_manager"
# What staff may change on a plan directly: its notes and chatter.
EDITABLE_FIELDS = frozenset(["note"])
_SERVICE = object()


def _decimal(value):
    return Decimal(repr(value or 0.0))


class PropertyInstalmentPlan(models.Model):
    _name = "property.instalment.plan"
    _inherit = ["mail.thread"]
    _description = "Instalment Plan"
    _order = "accepted_on desc, id desc"

    name = fields.Char(string="Reference", readonly=True, index=True,
                       copy=False)
    partner_id = fields.Many2one(
        "res.partner", string="Payer", required=True, readonly=True,
        index=True, ondelete="restrict")
    estate_id = fields.Many2one(
        "property.estate", required=True, readonly=True, index=True,
        ondelete="restrict")
    company_id = fields.Many2one(
        related="estate_id.company_id", store=True, readonly=True, index=True)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    state = fields.Selection(
        STATES, required=True, default="draft", readonly=True, index=True,
        track_visibility="onchange")
    invoice_ids = fields.Many2many(
        "account.invoice", "property_instalment_plan_invoice_rel", "plan_id",
        "invoice_id", string="Bills", readonly=True)
    line_ids = fields.One2many(
        "property.instalment.plan.line", "plan_id", string="Instalments",
        readonly=True)
    total = fields.Monetary(
        readonly=True,
        help="What the bills owed when the plan was made: the instalments "
             "add up to it exactly.")
    grace_days = fields.Integer(
        readonly=True,
        help="Days after an instalment's due date by which paying it still "
             "keeps the plan (宽限期).")
    accepted_channel = fields.Selection(
        ACCEPTANCE_CHANNELS, string="Accepted", required=True, readonly=True,
        help="How the owner accepted the plan.")
    accepted_on = fields.Date(
        required=True, readonly=True, index=True)
    accepted_by = fields.Many2one(
        "res.users", string="Acceptance Recorded by", required=True,
        readonly=True)
    activated_on = fields.Date(readonly=True)
    activated_by = fields.Many2one("res.users", readonly=True)
    return_level_id = fields.Many2one(
        "property.dunning.level", readonly=True,
        ondelete="set null",
        help="The dunning level the payer had when the plan started; a "
             "broken plan returns the payer there.")
    reconcile_baseline = fields.Integer(
        readonly=True,
        help="Technical: the bills' payments up to this reconciliation were "
             "in before the plan took its total.")
    followed_on = fields.Date(string="Last Followed on", readonly=True)
    paid_amount = fields.Monetary(string="Paid", readonly=True)
    remaining_amount = fields.Monetary(string="Remaining", readonly=True)
    overdue_amount = fields.Monetary(
        string="Overdue", readonly=True,
        help="Instalments past their due date not paid yet.")
    broken_on = fields.Date(readonly=True)
    broken_line_id = fields.Many2one(
        "property.instalment.plan.line", string="Broken by", readonly=True,
        ondelete="set null")
    completed_on = fields.Date(readonly=True)
    cancelled_on = fields.Date(readonly=True)
    cancelled_by = fields.Many2one("res.users", readonly=True)
    cancel_reason = fields.Char(readonly=True, track_visibility="onchange")
    note = fields.Text(string="Notes")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "The plan's reference is unique."),
        ("grace_positive", "CHECK(grace_days >= 0)",
         "The grace days of a plan cannot be negative."),
        ("total_positive", "CHECK(total > 0)",
         "An instalment plan covers a positive amount."),
    ]

    @api.constrains("state", "invoice_ids")
    def _check_one_active_plan(self):
        for plan in self.filtered(lambda p: p.state == "active"):
            others = self.sudo().search([
                ("id", "!=", plan.id), ("state", "=", "active"),
                ("invoice_ids", "in", plan.invoice_ids.ids)])
            if others:
                bills = others.mapped("invoice_ids") & plan.invoice_ids
                raise ValidationError(_(
                    "Bill %(bills)s is already in the active instalment plan "
                    "%(plan)s: a bill is in one active plan only.") % {
                        "bills": ", ".join(b.number or str(b.id)
                                           for b in bills),
                        "plan": others[0].name})

    @api.constrains("partner_id", "estate_id", "invoice_ids")
    def _check_bills_of_payer(self):
        for plan in self:
            payer = plan.partner_id.commercial_partner_id
            for bill in plan.invoice_ids:
                if bill.commercial_partner_id != payer or \
                        bill.property_estate_id != plan.estate_id:
                    raise ValidationError(_(
                        "Bill %(bill)s is not a bill of %(payer)s in "
                        "%(estate)s.") % {
                            "bill": bill.number or bill.id,
                            "payer": plan.partner_id.display_name,
                            "estate": plan.estate_id.display_name})

    # -- guards ------------------------------------------------------------------

    @api.model
    def create(self, vals):
        if self.env.context.get("property_instalment_service") is not _SERVICE:
            self.check_access_rights("create")
            raise UserError(_(
                "Instalment plans are made with the owner through the "
                "instalment plan wizard, which records their acceptance."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if self.env.context.get("property_instalment_service") is not _SERVICE:
            locked = [name for name in vals if name not in EDITABLE_FIELDS
                      and not name.startswith(CHATTER_PREFIXES)]
            if locked:
                self.check_access_rights("write")
                raise UserError(_(
                    "An instalment plan is what was agreed with the owner: "
                    "its bills, instalments and total never change, and its "
                    "state changes through its actions (activate, cancel)."))
        return super().write(vals)

    @api.multi
    def unlink(self):
        self.check_access_rights("unlink")
        kept = self.filtered(lambda p: p.state != "draft")
        if kept:
            raise UserError(_(
                "Plan %s is on record: it is never deleted; a manager "
                "cancels it with a reason.") % ", ".join(kept.mapped("name")))
        return super().unlink()

    @api.multi
    def copy(self, default=None):
        # pylint: disable=method-required-super
        self.check_access_rights("create")
        raise UserError(_(
            "An instalment plan cannot be duplicated: make a new one with "
            "the owner."))

    @api.model
    def _service(self):
        """The model for the plans' own writes (after their checks)."""
        return self.sudo().with_context(property_instalment_service=_SERVICE)

    @api.multi
    def _write_service(self, vals):
        return self._service().browse(self.ids).write(vals)

    @api.model
    def _check_group(self, group=USER_GROUP):
        if not self.env.user.has_group(group):
            if group == MANAGER_GROUP:
                raise AccessError(_(
                    "Only billing managers cancel instalment plans."))
            raise AccessError(_(
                "Only billing staff act on instalment plans."))

    @api.multi
    def _check_staff(self, group=USER_GROUP):
        self._check_group(group)
        self.check_access_rights("write")
        self.check_access_rule("write")

    # -- making a plan -------------------------------------------------------------

    @api.model
    def _make(self, partner, estate, invoices, accepted_channel, accepted_on,
              count=None, first_due=None, dates=None, amounts=None,
              grace_days=0, note=False):
        """A draft plan of ``partner``'s ``invoices`` in ``estate``, split by
        ``rules.instalments.split`` (``count`` monthly from ``first_due``, or
        the due ``dates`` with optional ``amounts``); the acceptance recorded
        by the user. Refusals are UserErrors, nothing written."""
        self._check_group()
        if not partner or not estate:
            raise UserError(_("Choose the payer and the estate of the plan."))
        if not invoices:
            raise UserError(_("Choose the overdue bills the plan covers."))
        if not accepted_channel or not accepted_on:
            raise UserError(_(
                "Record how and when the owner accepted the plan."))
        if grace_days is None or grace_days < 0:
            raise UserError(_("The grace days of a plan cannot be negative."))
        accepted = fields.Date.from_string(accepted_on)
        invoices = self._lock_bills(invoices)
        self._check_bills(partner, estate, invoices, accepted)
        currency = estate.company_id.currency_id
        total = currency.round(sum(invoices.mapped("residual")))
        try:
            instalments = rules.split(
                _decimal(total), accepted, count=count,
                first_due=first_due and fields.Date.from_string(first_due),
                dates=dates and [fields.Date.from_string(d) for d in dates],
                amounts=amounts and [_decimal(a) for a in amounts],
                precision=_decimal(currency.rounding))
        except rules.InstalmentRuleError as error:
            raise UserError(self._rule_message(error))
        self.env.cr.execute(
            "SELECT COALESCE(MAX(id), 0) FROM account_partial_reconcile")
        baseline = self.env.cr.fetchone()[0]
        plan = self._service().create({
            "name": self.env["ir.sequence"].sudo().next_by_code(
                "property.instalment.plan") or "/",
            "partner_id": partner.id,
            "estate_id": estate.id,
            "invoice_ids": [(6, 0, invoices.ids)],
            "total": total,
            "grace_days": grace_days,
            "accepted_channel": accepted_channel,
            "accepted_on": fields.Date.to_string(accepted),
            "accepted_by": self.env.uid,
            "reconcile_baseline": baseline,
            "remaining_amount": total,
            "note": note,
            "line_ids": [(0, 0, {
                "number": instalment.number,
                "date_due": fields.Date.to_string(instalment.due),
                "amount": float(instalment.amount),
                "remaining": float(instalment.amount)})
                for instalment in instalments],
        })
        return self.browse(plan.id)

    @api.model
    def _lock_bills(self, invoices):
        """The bills locked against a payment taken meanwhile (the payment
        service locks them too), their residuals read afresh, oldest first."""
        self.env.cr.execute(
            "SELECT id FROM account_invoice WHERE id = ANY(%s) "
            "ORDER BY id FOR UPDATE", (invoices.ids,))
        bills = self.env["account.invoice"].sudo().browse(invoices.ids)
        bills.invalidate_cache(["residual", "state"], bills.ids)
        return bills.sorted(lambda b: (b.date_due or "", b.id))

    @api.model
    def _check_bills(self, partner, estate, invoices, accepted):
        payer = partner.commercial_partner_id
        for bill in invoices:
            label = bill.number or str(bill.id)
            if bill.type != "out_invoice" or bill.state != "open" or \
                    bill.residual <= 0:
                raise UserError(_(
                    "Bill %s is not an open bill with something left to "
                    "pay.") % label)
            if bill.commercial_partner_id != payer or \
                    bill.property_estate_id != estate:
                raise UserError(_(
                    "Bill %(bill)s is not a bill of %(payer)s in "
                    "%(estate)s.") % {"bill": label,
                                      "payer": partner.display_name,
                                      "estate": estate.display_name})
            if not bill.date_due or \
                    fields.Date.from_string(bill.date_due) >= accepted:
                raise UserError(_(
                    "Bill %(bill)s is not overdue on %(day)s: a plan covers "
                    "overdue bills.") % {"bill": label,
                                         "day": fields.Date.to_string(accepted)})
        self._check_taken(invoices)

    @api.model
    def _check_taken(self, invoices, plan=None):
        """UserError when one of ``invoices`` is in an active plan (other
        than ``plan``)."""
        taken = self.sudo().search([("state", "=", "active"),
                                    ("invoice_ids", "in", invoices.ids),
                                    ("id", "!=", plan.id if plan else 0)])
        if taken:
            bills = taken.mapped("invoice_ids") & invoices
            raise UserError(_(
                "Bill %(bills)s is already in the active instalment plan "
                "%(plan)s: a bill is in one active plan only.") % {
                    "bills": ", ".join(b.number or str(b.id) for b in bills),
                    "plan": taken[0].name})

    @api.model
    def _rule_message(self, error):
        """The refusal of ``rules.instalments`` in the user's language."""
        params = {key: (fields.Date.to_string(value)
                        if hasattr(value, "isoformat") else value)
                  for key, value in error.params.items()}
        messages = {
            rules.NOT_POSITIVE: _(
                "The bills owe nothing (%(total)s): there is nothing to "
                "split."),
            rules.NO_INSTALMENTS: _(
                "A plan has at least one instalment."),
            rules.TOO_MANY: _(
                "%(total)s cannot be split into %(count)s instalments of at "
                "least one cent."),
            rules.BAD_ARGUMENTS: _(
                "Give either the number of instalments and the first due "
                "date, or the instalments' dates."),
            rules.BEFORE_START: _(
                "Instalment %(number)s is due on %(due)s, before the owner "
                "accepted the plan (%(start)s)."),
            rules.SAME_DATE: _(
                "Two instalments are due on %(due)s: one a day at most."),
            rules.NOT_IN_ORDER: _(
                "Instalment %(number)s (%(due)s) is due before the one "
                "before it (%(previous)s)."),
            rules.COUNT_MISMATCH: _(
                "%(dates)s due dates but %(amounts)s amounts: give one "
                "amount per instalment."),
            rules.AMOUNT_NOT_POSITIVE: _(
                "Instalment %(number)s has no positive amount (%(amount)s)."),
            rules.SUM_MISMATCH: _(
                "The instalments add up to %(amounts)s, not to the %(total)s "
                "the bills owe (%(difference)s apart)."),
            rules.NEGATIVE_GRACE: _(
                "The grace days of a plan cannot be negative."),
            rules.PAYMENT_NOT_POSITIVE: _(
                "A payment of the plan on %(date)s is not positive "
                "(%(amount)s)."),
        }
        message = messages.get(error.code, _("The instalment plan is invalid."))
        try:
            return message % params
        except (KeyError, TypeError, ValueError):
            return message

    # -- actions -------------------------------------------------------------------

    @api.multi
    def action_activate(self):
        """The plan agreed starts: the payer's bills leave the dunning while
        it is kept. Records the level the payer had, to return to it."""
        self._check_staff()
        for plan in self:
            if plan.state != "draft":
                raise UserError(_("Plan %s is not a draft.") % plan.name)
            plan = plan.sudo()
            open_bills = plan.invoice_ids.filtered(
                lambda b: b.state == "open")
            if not open_bills:
                raise UserError(_(
                    "The bills of plan %s are no longer open: there is "
                    "nothing to pay by instalments.") % plan.name)
            self._check_taken(plan.invoice_ids, plan)
            payer = self.env["property.dunning.payer"]._ensure(
                {(plan.partner_id.id, plan.estate_id.id)})[
                    (plan.partner_id.id, plan.estate_id.id)]
            plan._write_service({
                "state": "active",
                "activated_on": self.env["property.payment.service"]
                ._local_today(plan.estate_id),
                "activated_by": self.env.uid,
                "return_level_id": payer.level_id.id or False,
            })
            self.browse(plan.id).message_post(body=_("Plan activated."))
        return True

    @api.multi
    def action_cancel(self):
        """Ask for the reason of the cancellation (the cancel wizard)."""
        self.ensure_one()
        self._check_cancel()
        return {
            "type": "ir.actions.act_window",
            "name": _("Cancel the Instalment Plan"),
            "res_model": "property.instalment.plan.cancel",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    @api.multi
    def _check_cancel(self):
        """Who may cancel: a clerk a draft, a manager an active plan."""
        for plan in self:
            if plan.state not in ("draft", "active"):
                self._check_staff()
                raise UserError(_(
                    "Plan %s is over: it stays on record as it ended.")
                    % plan.name)
            self._check_staff(MANAGER_GROUP if plan.state == "active"
                              else USER_GROUP)

    @api.multi
    def _cancel(self, reason):
        """Cancel the plans with ``reason`` (checked by the caller)."""
        self._check_cancel()
        if not (reason or "").strip():
            raise UserError(_("Say why the plan is cancelled."))
        for plan in self:
            plan._write_service({
                "state": "cancelled", "cancel_reason": reason.strip(),
                "cancelled_on": self.env["property.payment.service"]
                ._local_today(plan.sudo().estate_id),
                "cancelled_by": self.env.uid})
        return True

    @api.multi
    def action_take_payment(self):
        """The counter screen with the plan's payer and bills ticked, the
        amount the instalments due ask for: the payment goes through the
        one allocation service, oldest bill first."""
        self.ensure_one()
        self._check_staff()
        self.env["property.payment.service"]._check_cashier()
        if self.state != "active":
            raise UserError(_(
                "Payments by instalment are taken on an active plan."))
        counter = self.env["property.counter.payment"]
        plan = self.sudo()
        values = counter._load_values(plan.partner_id, plan.estate_id)
        screen = counter.create(values)
        bills = plan._open_bills()
        ticked = screen.bill_ids.filtered(
            lambda line: line.invoice_id in bills)
        ticked.write({"to_pay": True})
        due = sum(ticked.mapped("residual"))
        screen.write({
            "ticked": ",".join(str(i) for i in sorted(bills.ids)),
            "amount": min(plan._amount_due_now(), due) or due,
            "query": plan.partner_id.display_name,
        })
        screen._update_preview()
        return {
            "type": "ir.actions.act_window",
            "name": _("Counter"),
            "res_model": "property.counter.payment",
            "res_id": screen.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.multi
    def _open_bills(self):
        """The plan's bills with something left to pay, oldest first."""
        self.ensure_one()
        return self.sudo().invoice_ids.filtered(
            lambda b: b.state == "open" and b.residual > 0).sorted(
                lambda b: (b.date_due or "", b.date_invoice or "", b.id))

    @api.multi
    def _amount_due_now(self):
        """What the plan asks for now: the instalments due by today still
        open, or else the next one."""
        self.ensure_one()
        today = self.env["property.payment.service"]._local_today(
            self.sudo().estate_id)
        lines = self.sudo().line_ids.filtered(lambda line: line.remaining > 0)
        due = lines.filtered(lambda line: line.date_due <= today) or lines[:1]
        return self.currency_id.round(sum(due.mapped("remaining")))

    @api.multi
    def _pay_instalment(self, amount, channel_code, date=None, **kwargs):
        """Take ``amount`` on ``channel_code`` for the plan through the
        allocation service, on the plan's bills oldest first (a billing
        user's act). Returns the receipt."""
        self.ensure_one()
        self._check_staff()
        if self.state != "active":
            raise UserError(_(
                "Payments by instalment are taken on an active plan."))
        bills = self._open_bills()
        if not bills:
            raise UserError(_(
                "The bills of plan %s have nothing left to pay.") % self.name)
        plan = self.sudo()
        return self.env["property.payment.service"]._pay(
            plan.partner_id, amount, channel_code, invoices=bills, date=date,
            estate=plan.estate_id, **kwargs)

    # -- following -------------------------------------------------------------------

    @api.model
    def _cron_follow(self, today=None):
        """Follow every active plan (the scheduler's daily job): ``today``
        (a date or 'YYYY-MM-DD'), default each estate's local day."""
        plans = self.sudo().search([("state", "=", "active")])
        for plan in plans:
            try:
                with self.env.cr.savepoint():
                    plan._follow(today)
            except Exception:  # one plan's failure leaves the others
                plan._log_failure()
        return plans

    @api.multi
    def _log_failure(self):
        _logger.exception("Following instalment plan %s failed", self.id)

    @api.multi
    def _follow(self, today=None):
        """Where each active plan stands on ``today``: the instalments'
        paid and remaining parts; a plan missed is broken (and its payer
        returned to dunning), one paid in full completed."""
        plans = self.sudo().filtered(lambda p: p.state == "active")
        payments = plans._payments()
        for plan in plans:
            day = today or plan.env["property.payment.service"]._local_today(
                plan.estate_id)
            if isinstance(day, str):
                day = fields.Date.from_string(day)
            try:
                status = rules.status(plan._rule_instalments(),
                                      payments.get(plan.id, []), day,
                                      plan.grace_days,
                                      precision=_decimal(
                                          plan.currency_id.rounding))
            except rules.InstalmentRuleError as error:
                raise UserError(plan._rule_message(error))
            plan._apply_status(status, payments.get(plan.id, []), day)
        return True

    @api.multi
    def _rule_instalments(self):
        self.ensure_one()
        return [rules.Instalment(line.number,
                                 fields.Date.from_string(line.date_due),
                                 _decimal(line.amount))
                for line in self.line_ids.sorted("number")]

    @api.multi
    def _payments(self):
        """{plan id: [rules.instalments.Payment]}: what was allocated to the
        plans' bills since they took their totals, from the bills'
        reconciliations on their receivable items, each dated by the
        paying item's date."""
        result = defaultdict(list)
        if not self.ids:
            return result
        self.env.cr.execute("""
            SELECT rel.plan_id, pay.date, SUM(apr.amount)
              FROM property_instalment_plan_invoice_rel rel
              JOIN property_instalment_plan plan ON plan.id = rel.plan_id
              JOIN account_invoice inv ON inv.id = rel.invoice_id
              JOIN account_move_line aml ON aml.move_id = inv.move_id
                                        AND aml.account_id = inv.account_id
              JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
              JOIN account_move_line pay ON pay.id = apr.credit_move_id
             WHERE rel.plan_id = ANY(%s)
               AND apr.id > COALESCE(plan.reconcile_baseline, 0)
             GROUP BY rel.plan_id, pay.date
            HAVING SUM(apr.amount) > 0
             ORDER BY rel.plan_id, pay.date""", (self.ids,))
        for plan_id, day, amount in self.env.cr.fetchall():
            result[plan_id].append(rules.Payment(
                fields.Date.from_string(day), _decimal(amount)))
        return result

    @api.multi
    def _apply_status(self, status, payments, today):
        """Write ``status`` (a ``rules.instalments.PlanStatus`` on
        ``today``) on the plan and its lines."""
        self.ensure_one()
        self._write_lines(status.paid, today)
        vals = {"followed_on": fields.Date.to_string(today),
                "paid_amount": float(status.paid),
                "remaining_amount": float(status.remaining),
                "overdue_amount": float(status.overdue)}
        if status.state == rules.COMPLETED:
            vals.update(state="completed", completed_on=fields.Date.to_string(
                self._completed_on(payments, today)))
        elif status.state == rules.BROKEN:
            line = self.line_ids.filtered(
                lambda line: line.number == status.broken_by)
            vals.update(state="broken", broken_line_id=line.id,
                        broken_on=fields.Date.to_string(status.broken_on))
        self._write_service(vals)
        if status.state == rules.BROKEN:
            self._return_to_dunning()
        elif status.state == rules.COMPLETED:
            self.message_post(body=_("Plan paid in full."))

    @api.multi
    def _write_lines(self, paid, today):
        """Each instalment's paid part, the payments taken in order."""
        left = paid
        grace = timedelta(days=self.grace_days or 0)
        for line in self.line_ids.sorted("number"):
            amount = _decimal(line.amount)
            taken = min(amount, max(left, Decimal(0)))
            left -= taken
            due = fields.Date.from_string(line.date_due)
            if taken >= amount:
                state = "paid"
            elif due >= today:
                state = "open"
            elif due + grace >= today:
                state = "grace"
            else:
                state = "missed"
            vals = {"paid": float(taken), "remaining": float(amount - taken),
                    "state": state}
            if any(line[name] != value for name, value in vals.items()):
                line._service().browse(line.id).write(vals)

    @api.multi
    def _completed_on(self, payments, today):
        """The day the payments reached the plan's total."""
        running = Decimal(0)
        total = _decimal(self.total)
        for payment in sorted(payments):
            if payment.date > today:
                break
            running += payment.amount
            if running >= total:
                return payment.date
        return today

    @api.multi
    def _return_to_dunning(self):
        """The broken plan's payer back in the dunning at the plan's return
        level from the day it broke: the ladder goes on from there."""
        self.ensure_one()
        pair = (self.partner_id.id, self.estate_id.id)
        payer = self.env["property.dunning.payer"]._ensure({pair})[pair]
        line = self.broken_line_id
        reason = _("Instalment plan %(plan)s broken: instalment %(number)s "
                   "due on %(due)s not paid.") % {
                       "plan": self.name, "number": line.number,
                       "due": line.date_due}
        payer._service().browse(payer.id).write({
            "manual_level_id": self.return_level_id.id or False,
            "manual_date": self.broken_on,
            "manual_reason": reason[:250],
        })
        self.message_post(body=reason)

    # -- for the daily run and the late fees ---------------------------------------

    @api.model
    def _good_invoice_ids(self, invoice_ids, today):
        """The bills among ``invoice_ids`` in an active plan accepted by
        ``today`` (a date), in one query."""
        if not invoice_ids:
            return set()
        self.env.cr.execute("""
            SELECT DISTINCT rel.invoice_id
              FROM property_instalment_plan_invoice_rel rel
              JOIN property_instalment_plan plan ON plan.id = rel.plan_id
             WHERE plan.state = 'active' AND rel.invoice_id = ANY(%s)
               AND plan.accepted_on <= %s""",
                            (list(invoice_ids), fields.Date.to_string(today)))
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _follow_for(self, invoice_ids, today):
        """Follow, on ``today``, the active plans of ``invoice_ids`` not
        followed yet that day (so a plan missed yesterday is broken before
        the run reads it)."""
        if not invoice_ids:
            return
        self.env.cr.execute("""
            SELECT DISTINCT plan.id
              FROM property_instalment_plan plan
              JOIN property_instalment_plan_invoice_rel rel
                ON rel.plan_id = plan.id
             WHERE plan.state = 'active' AND rel.invoice_id = ANY(%s)
               AND (plan.followed_on IS NULL OR plan.followed_on < %s)""",
                            (list(invoice_ids), fields.Date.to_string(today)))
        plans = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        if plans:
            plans._follow(today)

    @api.model
    def _plan_periods(self, invoice_ids):
        """{invoice id: [(start, end)]}: the days (both ends included; end
        None: still running) each bill was in a plan in good standing, from
        the owner's acceptance to the day before the plan broke or was
        cancelled, or the day it was paid in full."""
        result = defaultdict(list)
        if not invoice_ids:
            return result
        self.env.cr.execute("""
            SELECT rel.invoice_id, plan.state, plan.accepted_on,
                   plan.broken_on, plan.completed_on, plan.cancelled_on
              FROM property_instalment_plan_invoice_rel rel
              JOIN property_instalment_plan plan ON plan.id = rel.plan_id
             WHERE rel.invoice_id = ANY(%s)
               AND plan.state IN ('active', 'completed', 'broken', 'cancelled')
               AND plan.activated_on IS NOT NULL
             ORDER BY rel.invoice_id, plan.accepted_on, plan.id""",
                            (list(invoice_ids),))
        to_date = fields.Date.from_string
        one_day = timedelta(days=1)
        for invoice_id, state, start, broken, completed, cancelled in \
                self.env.cr.fetchall():
            start = to_date(start)
            end = None
            if state == "broken":
                end = to_date(broken) - one_day
            elif state == "cancelled":
                end = to_date(cancelled) - one_day
            elif state == "completed":
                end = to_date(completed)
            if end is not None and end < start:
                continue
            result[invoice_id].append((start, end))
        return result


class PropertyInstalmentPlanLine(models.Model):
    _name = "property.instalment.plan.line"
    _description = "Instalment"
    _order = "plan_id, number"

    plan_id = fields.Many2one(
        "property.instalment.plan", required=True, readonly=True,
        ondelete="cascade", index=True)
    number = fields.Integer(string="No.", required=True, readonly=True)
    date_due = fields.Date(string="Due", required=True, readonly=True)
    currency_id = fields.Many2one(
        related="plan_id.currency_id", readonly=True)
    amount = fields.Monetary(required=True, readonly=True)
    paid = fields.Monetary(readonly=True)
    remaining = fields.Monetary(readonly=True)
    state = fields.Selection(
        LINE_STATES, required=True, default="open", readonly=True)

    _sql_constraints = [
        ("plan_number_uniq", "unique(plan_id, number)",
         "An instalment's number is unique in its plan."),
        ("amount_positive", "CHECK(amount > 0)",
         "Every instalment has a positive amount."),
    ]

    @api.multi
    def name_get(self):
        return [(line.id, "%s #%s" % (line.plan_id.name, line.number))
                for line in self]

    @api.model
    def create(self, vals):
        if self.env.context.get("property_instalment_service") is not _SERVICE:
            self.check_access_rights("create")
            raise UserError(_(
                "Instalments are made with their plan; they never change."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if self.env.context.get("property_instalment_service") is not _SERVICE:
            self.check_access_rights("write")
            raise UserError(_(
                "Instalments are made with their plan; they never change."))
        return super().write(vals)

    @api.multi
    def unlink(self):
        if self.env.context.get("property_instalment_service") is not _SERVICE:
            self.check_access_rights("unlink")
            raise UserError(_(
                "Instalments are made with their plan; they never change."))
        return super().unlink()

    @api.model
    def _service(self):
        return self.sudo().with_context(property_instalment_service=_SERVICE)


class PropertyDunningRun(models.Model):
    # the run's hook for the plans, kept with them
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "property.dunning.run"

    @api.model
    def _in_plan_invoice_ids(self, invoice_ids, today):
        """Bills in an instalment plan in good standing on ``today``: the
        plans not followed yet today are followed first (a missed one
        breaks), then the bills of the active ones in one query."""
        in_plan = super()._in_plan_invoice_ids(invoice_ids, today)
        plans = self.env["property.instalment.plan"]
        plans._follow_for(invoice_ids, today)
        return set(in_plan) | plans._good_invoice_ids(invoice_ids, today)
