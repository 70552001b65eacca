# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import pytz

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import sla as sla_rules


class PropertyComplaintSla(models.Model):
    """A time-limit policy (时限): response and resolution targets of the
    complaints of a severity and a category, in working hours of a calendar.

    The policy of a complaint is the most specific one (``rules.sla.
    match_policy``): exact severity before any severity, then the complaint's
    category before its parent category before any category, then sequence.
    """

    _name = "property.complaint.sla"
    _description = "Complaint SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id,
        help="Empty: the policy applies to every company.")
    severity = fields.Selection(
        sla_rules.SEVERITIES,
        help="Empty: complaints of any severity.")
    category_id = fields.Many2one(
        "property.complaint.category", ondelete="cascade",
        help="Empty: any category. A main category also covers its "
             "sub-categories, unless a policy names the sub-category.")
    response_hours = fields.Float(
        string="Response Target (h)", required=True, default=4.0,
        help="Working hours from registration to the first response "
             "(acceptance).")
    resolution_hours = fields.Float(
        string="Resolution Target (h)", required=True, default=48.0,
        help="Working hours from registration to the resolution.")
    calendar_id = fields.Many2one(
        "resource.calendar", string="Working Hours",
        help="The hours the clocks run in, with its global leaves as "
             "holidays. Empty, or a critical complaint: around the clock "
             "(24/7).")
    warning_share = fields.Float(
        string="Warning at", default=0.75,
        help="Share of the target at which the assignee is warned "
             "(0.75 = 75 %).")
    escalation_share = fields.Float(
        string="Escalate at", default=1.5,
        help="Share of the target past which the complaint is escalated to "
             "the manager (1.5 = 150 %). At 100 % the team leader gets an "
             "activity.")
    note = fields.Text(translate=True)

    @api.constrains("response_hours", "resolution_hours")
    def _check_targets(self):
        for policy in self:
            if policy.response_hours <= 0 or policy.resolution_hours <= 0:
                raise ValidationError(_(
                    "The response and resolution targets of the SLA policy "
                    "'%s' must be positive numbers of hours.") % policy.name)

    @api.constrains("warning_share", "escalation_share")
    def _check_shares(self):
        for policy in self:
            if not 0 < policy.warning_share < 1 < policy.escalation_share:
                raise ValidationError(_(
                    "SLA policy '%s': the warning share must lie between 0 and "
                    "1 (e.g. 0.75) and the escalation share be above 1 "
                    "(e.g. 1.5).") % policy.name)

    # -------------------------------------------------------------- matching

    @api.model
    def _match(self, severity, category=None, company=None):
        """The policy of a complaint of ``severity`` and ``category`` (a
        property.complaint.category record or None), or an empty recordset."""
        company = company or self.env.user.company_id
        policies = self.search([
            "|", ("company_id", "=", False), ("company_id", "=", company.id)])
        candidates = [
            sla_rules.Policy(policy.id, policy.severity or None,
                             policy.category_id.id or None, policy.sequence)
            for policy in policies
        ]
        category = category or self.env["property.complaint.category"]
        match = sla_rules.match_policy(
            candidates, severity, category.id or None,
            category.parent_id.id or None)
        return self.browse(match.key) if match else self.browse()

    # ------------------------------------------------------------ the clock

    @api.multi
    def _thresholds(self):
        self.ensure_one()
        return sla_rules.Thresholds(self.warning_share, self.escalation_share)

    @api.multi
    def _working_calendar(self, severity, tz):
        """The ``rules.sla.WorkingCalendar`` of a complaint of ``severity``
        under this policy; holidays are the days touched by the calendar's
        global leaves, in their own timezone or else ``tz``."""
        self.ensure_one()
        if severity == sla_rules.CRITICAL or not self.calendar_id:
            return sla_rules.ALWAYS
        return self._calendar_rules(self.calendar_id, tz)

    @api.model
    def _calendar_rules(self, calendar, tz):
        """A resource.calendar as a ``rules.sla.WorkingCalendar``."""
        intervals = [
            (int(att.dayofweek), att.hour_from, min(att.hour_to, 24.0))
            for att in calendar.attendance_ids
            if not att.date_from and not att.date_to
        ]
        holidays = set()
        for leave in calendar.global_leave_ids:
            leave_tz = pytz.timezone(leave.tz) if leave.tz else tz
            start = sla_rules.to_local(
                fields.Datetime.from_string(leave.date_from), leave_tz).date()
            end = sla_rules.to_local(
                fields.Datetime.from_string(leave.date_to), leave_tz).date()
            day = start
            while day <= end:
                holidays.add(day)
                day += sla_rules.ONE_DAY
        if not intervals:
            return sla_rules.ALWAYS
        return sla_rules.working_calendar(
            intervals, holidays=holidays, name=calendar.name)
