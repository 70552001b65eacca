# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dunning policies (催缴方案): the ladder of levels an estate's arrears climb,
the minimum days between two steps, the SMS quiet hours and the late-fee rule
of the contract (违约金)."""
from datetime import time
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import dunning as rules
from ..rules import late_fee as fee_rules
from ..rules.common import RuleError

COUNT_FROM = [
    (fee_rules.FROM_GRACE_END, "From the end of the grace days"),
    (fee_rules.FROM_DUE, "From the due date, once the grace days passed"),
]


def _float_time(value):
    """A float hour of the form (21.5 = 21:30) as a ``datetime.time``."""
    value = value or 0.0
    hours = int(value) % 24
    minutes = int(round((value - int(value)) * 60)) % 60
    return time(hours, minutes)


class PropertyDunningPolicy(models.Model):
    _name = "property.dunning.policy"
    _description = "Dunning Policy"
    _order = "estate_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    estate_id = fields.Many2one(
        "property.estate", index=True, ondelete="restrict",
        help="The estate whose arrears this policy chases. Left empty, it is "
             "the company's default policy, used by every estate without a "
             "policy of its own.")
    level_ids = fields.One2many(
        "property.dunning.level", "policy_id", string="Levels", copy=True)
    min_interval = fields.Integer(
        string="Minimum Days Between Steps", default=3,
        help="A payer never receives two steps closer than this (and never "
             "two on one day).")
    quiet_start = fields.Float(
        string="SMS Quiet Hours From", default=21.0,
        help="Local time from which no SMS is sent (免打扰).")
    quiet_end = fields.Float(string="SMS Quiet Hours Until", default=8.0)
    demand_period_days = fields.Integer(
        string="Period Given by a Demand (days)", default=15,
        help="The reasonable period a formal demand letter (催告) gives the "
             "owner to pay. A legal case can be opened only once it passed "
             "(民法典 §944).")
    limitation_warn_months = fields.Integer(
        string="Warn Before the Limitation Runs Out (months)", default=3)
    late_fee_rate = fields.Float(
        string="Late Fee per Day", digits=(12, 6), default=0.0003,
        help="Share of the overdue principal charged per day as late fee "
             "(违约金), as the contract says: 0.0003 is 万分之三. 0: no fee.")
    late_fee_grace_days = fields.Integer(
        string="Grace Days", default=0,
        help="Days after the due date on which paying costs no late fee.")
    late_fee_count_from = fields.Selection(
        COUNT_FROM, string="Late Fee Runs", required=True,
        default=fee_rules.FROM_GRACE_END)
    late_fee_cap_ratio = fields.Float(
        string="Late Fee Cap (share of the bill)", digits=(12, 4), default=1.0,
        help="The late fee of a bill is never above this share of its "
             "amount (1: never above the bill). 0 or empty: no such cap.")
    late_fee_cap_amount = fields.Monetary(
        string="Late Fee Cap (amount per bill)",
        help="Never above this amount per bill. Empty: no such cap.")
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    late_fee_product_id = fields.Many2one(
        "product.product",
        help="Product of the invoice line a levied late fee is billed on; "
             "its income account is used.")
    writeoff_account_id = fields.Many2one(
        "account.account", string="Write-off Account",
        domain=[("deprecated", "=", False)],
        help="Expense account of arrears written off (坏账).")
    level_count = fields.Integer(compute="_compute_level_count")

    _sql_constraints = [
        ("min_interval_positive", "CHECK(min_interval >= 1)",
         "The minimum days between two steps is at least one."),
        ("demand_period_positive", "CHECK(demand_period_days >= 1)",
         "The period a demand gives is at least one day."),
        ("grace_positive", "CHECK(late_fee_grace_days >= 0)",
         "Grace days cannot be negative."),
    ]

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    @api.constrains("estate_id", "company_id", "active")
    def _check_one_per_estate(self):
        for policy in self.filtered("active"):
            domain = [("id", "!=", policy.id), ("active", "=", True),
                      ("company_id", "=", policy.company_id.id),
                      ("estate_id", "=", policy.estate_id.id or False)]
            if self.search_count(domain):
                if policy.estate_id:
                    raise ValidationError(_(
                        "%s already has an active dunning policy.")
                        % policy.estate_id.display_name)
                raise ValidationError(_(
                    "The company already has an active default dunning "
                    "policy."))
            if policy.estate_id and \
                    policy.estate_id.company_id != policy.company_id:
                raise ValidationError(_(
                    "The estate of a dunning policy belongs to its company."))

    @api.constrains("late_fee_rate", "late_fee_cap_ratio",
                    "late_fee_cap_amount", "late_fee_grace_days")
    def _check_late_fee(self):
        for policy in self:
            try:
                policy._late_fee_rule()
            except RuleError as error:
                raise ValidationError(self._fee_rule_message(error))

    @api.constrains("quiet_start", "quiet_end")
    def _check_quiet_hours(self):
        for policy in self:
            for value in (policy.quiet_start, policy.quiet_end):
                if value < 0 or value >= 24:
                    raise ValidationError(_(
                        "Quiet hours are times of day, from 00:00 to 23:59."))

    # -- the policy as the rules see it ---------------------------------------

    @api.multi
    def _rule_levels(self):
        self.ensure_one()
        return tuple(level._rule_level()
                     for level in self.level_ids.sorted(
                         lambda level: (level.sequence, level.id)))

    @api.multi
    def _rule_policy(self):
        """The ``rules.dunning.Policy`` of this policy (checked)."""
        self.ensure_one()
        policy = rules.Policy(
            self._rule_levels(), self.min_interval,
            _float_time(self.quiet_start), _float_time(self.quiet_end))
        try:
            rules.check_levels(policy.levels)
        except RuleError as error:
            raise ValidationError(self._level_rule_message(error))
        return policy

    @api.multi
    def _late_fee_rule(self):
        """The ``rules.late_fee.LateFeeRule`` of this policy."""
        self.ensure_one()
        return fee_rules.LateFeeRule(
            Decimal(repr(self.late_fee_rate or 0.0)),
            self.late_fee_grace_days or 0,
            cap_ratio=(Decimal(repr(self.late_fee_cap_ratio))
                       if self.late_fee_cap_ratio else None),
            cap_amount=(Decimal(repr(self.late_fee_cap_amount))
                        if self.late_fee_cap_amount else None),
            count_from=self.late_fee_count_from or fee_rules.FROM_GRACE_END)

    @api.model
    def _level_rule_message(self, error):
        params = dict(error.params)
        messages = {
            rules.NO_LEVELS: _("A dunning policy needs at least one level."),
            rules.SEQUENCE_NOT_INCREASING: _(
                "Two levels have the same sequence (%(level)s)."),
            rules.DUPLICATE_CODE: _(
                "The level code %(level)s is used twice in the policy."),
            rules.NEGATIVE_DAYS: _(
                "Level %(level)s: the days cannot be negative."),
            rules.UNKNOWN_BASIS: _("Level %(level)s: unknown basis."),
            rules.NO_CHANNEL: _(
                "Level %(level)s needs at least one channel."),
            rules.UNKNOWN_CHANNEL: _(
                "Level %(level)s: %(channel)s is not a dunning channel. "
                "Cutting water, power, heating or gas is never one (民法典 "
                "§944)."),
        }
        message = messages.get(error.code, _("The dunning policy is invalid."))
        try:
            return message % params
        except (KeyError, TypeError, ValueError):
            return message

    @api.model
    def _fee_rule_message(self, error):
        messages = {
            fee_rules.NEGATIVE_RATE: _("The late fee rate cannot be negative."),
            fee_rules.RATE_TOO_HIGH: _(
                "The late fee rate is per day and below 1 (0.0003 is 万分之三)."),
            fee_rules.NEGATIVE_GRACE: _("Grace days cannot be negative."),
            fee_rules.NEGATIVE_CAP: _("A late fee cap cannot be negative."),
        }
        return messages.get(error.code, _("The late fee rule is invalid."))

    # -- which policy ---------------------------------------------------------

    @api.model
    def _policy_for(self, estate):
        """The active policy chasing ``estate``'s arrears: its own, else its
        company's default; an empty recordset when neither exists."""
        policies = self.sudo().search([
            ("company_id", "=", estate.company_id.id),
            "|", ("estate_id", "=", estate.id), ("estate_id", "=", False)])
        own = policies.filtered(lambda p: p.estate_id == estate)
        return (own or policies)[:1]

    @api.multi
    def _estates(self):
        """The estates this policy chases."""
        self.ensure_one()
        if self.estate_id:
            return self.estate_id
        estates = self.env["property.estate"].sudo().search([
            ("company_id", "=", self.company_id.id)])
        own = self.sudo().search([
            ("company_id", "=", self.company_id.id),
            ("estate_id", "in", estates.ids)]).mapped("estate_id")
        return estates - own

    # -- actions ---------------------------------------------------------------

    @api.multi
    def action_run_now(self):
        """Run the day's dunning for this policy now (a manager's button)."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        runs = self.env["property.dunning.run"]
        for policy in self:
            runs |= runs._run(policy)
        action = self.env.ref(
            "property_dunning.property_dunning_run_action").read()[0]
        action["domain"] = [("id", "in", runs.ids)]
        return action

    @api.model
    def _cron_daily(self, now=None):
        """The daily run over every active policy (the scheduler's job)."""
        runs = self.env["property.dunning.run"]
        for policy in self.sudo().search([]):
            try:
                with self.env.cr.savepoint():
                    runs |= runs._run(policy, now=now)
            except Exception:  # one policy's failure leaves the others
                runs._log_failure(policy)
        return runs
