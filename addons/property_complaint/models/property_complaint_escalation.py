# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SLA clocks and the escalation ladder of complaints (时限与升级).

The complaint keeps its matched policy (``sla_id``), the pauses of its clocks
(``pause_ids``: waiting on the owner) and, refreshed on every change and by
the cron, the figures of its two clocks measured by ``rules.sla`` in the
estate's local time. The cron climbs ``rules.escalation``'s ladder: each step
is posted on the chatter and recorded in ``escalation_done`` so that it is
never taken twice.
"""
import pytz

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.property_billing.rules.constants import DEFAULT_TZ, TRACKING_OFF

from ..rules import escalation as esc_rules
from ..rules import sla as sla_rules

# Changing these re-matches the SLA policy.
POLICY_FIELDS = {"severity", "category_id", "company_id"}
# Changing these moves the clocks.
CLOCK_FIELDS = POLICY_FIELDS | {
    "sla_id", "date_reported", "date_accepted", "date_resolved",
    "sla_resolution_start", "pause_ids", "estate_id", "unit_id"}
BREACHED_STATUSES = (sla_rules.BREACHED, sla_rules.ESCALATED)


class PropertyComplaint(models.Model):
    _inherit = "property.complaint"  # pylint: disable=R8180

    sla_id = fields.Many2one(
        comodel_name="property.complaint.sla", string="SLA Policy",
        ondelete="set null", copy=False, track_visibility="onchange",
        help="Matched on the severity and category when they change; a "
             "manager may choose another policy.")
    pause_ids = fields.One2many(
        comodel_name="property.complaint.pause", inverse_name="complaint_id",
        string="SLA Pauses", copy=False,
        groups="property_complaint.group_complaint_user",
        help="Periods spent waiting on the owner: the time limits do not run.")
    sla_resolution_start = fields.Datetime(
        string="Resolution Clock Start", copy=False, readonly=True,
        help="When the resolution clock (re)started: empty means the "
             "registration; reopening the complaint restarts it.")
    response_deadline = fields.Datetime(
        string="Respond By", copy=False, readonly=True, index=True,
        help="Empty while the complaint waits on the owner.")
    resolution_deadline = fields.Datetime(
        string="Resolve By", copy=False, readonly=True, index=True,
        help="Empty while the complaint waits on the owner.")
    response_status = fields.Selection(
        selection=lambda self: self._selection_sla_status(),
        copy=False, readonly=True)
    resolution_status = fields.Selection(
        selection=lambda self: self._selection_sla_status(),
        copy=False, readonly=True)
    sla_status = fields.Selection(
        selection=lambda self: self._selection_sla_status(),
        string="SLA Status", copy=False, readonly=True, index=True,
        help="The worse of the response and resolution statuses.")
    response_hours = fields.Float(
        string="Response Time (h)", copy=False, readonly=True,
        digits=(16, 2),
        help="Working hours from registration to acceptance (so far, while "
             "not accepted), pauses excluded.")
    resolution_hours = fields.Float(
        string="Resolution Time (h)", copy=False, readonly=True,
        digits=(16, 2),
        help="Working hours from registration (or reopening) to resolution "
             "(so far, while not resolved), pauses excluded.")
    response_breached = fields.Boolean(copy=False, readonly=True)
    resolution_breached = fields.Boolean(copy=False, readonly=True)
    sla_measured_at = fields.Datetime(
        string="SLA Measured On", copy=False, readonly=True)
    escalated = fields.Boolean(
        copy=False, readonly=True, index=True, track_visibility="onchange",
        help="Escalated to the manager, who decides and may reassign.")
    escalation_user_id = fields.Many2one(
        comodel_name="res.users", string="Escalated To", copy=False,
        readonly=True, track_visibility="onchange",
        groups="property_complaint.group_complaint_user")
    date_escalated = fields.Datetime(
        string="Escalated On", copy=False, readonly=True)
    escalation_done = fields.Char(
        string="Escalation Steps Taken", copy=False, readonly=True,
        help="Technical: the steps of the escalation ladder already taken, "
             "as clock:step codes, so that none is repeated.")

    @api.model
    def _selection_sla_status(self):
        labels = {
            sla_rules.OK: _("On time"),
            sla_rules.WARNING: _("Warning"),
            sla_rules.BREACHED: _("Breached"),
            sla_rules.ESCALATED: _("Escalated"),
        }
        return [(code, labels.get(code, label))
                for code, label in sla_rules.STATUSES]

    # -- CRUD --------------------------------------------------------------

    @api.model
    def create(self, vals):
        complaint = super().create(vals)
        if not complaint.sla_id:
            complaint._sla_write({"sla_id": complaint._sla_match().id})
        complaint._sla_refresh()
        return complaint

    @api.multi
    def write(self, vals):
        if self.env.context.get("sla_refreshing"):
            return super().write(vals)
        result = super().write(vals)
        if POLICY_FIELDS & set(vals) and "sla_id" not in vals:
            for complaint in self:
                policy = complaint._sla_match()
                if policy != complaint.sla_id:
                    complaint._sla_write({"sla_id": policy.id})
        if CLOCK_FIELDS & set(vals):
            self._sla_refresh()
        return result

    @api.multi
    def _sla_write(self, vals):
        """Write SLA bookkeeping (computed by the system, whoever triggered
        it: an agent may register a complaint they will not see) without
        re-triggering the refresh."""
        return self.sudo().with_context(sla_refreshing=True, **TRACKING_OFF).write(vals)

    # -- policy and clock ------------------------------------------------------

    @api.multi
    def _sla_match(self):
        self.ensure_one()
        return self.env["property.complaint.sla"].sudo()._match(
            self.severity, self.category_id, company=self.company_id)

    @api.model
    def _sla_now(self):
        """Now, as a naive UTC datetime; tests fix it with the context key
        ``sla_now`` (a datetime or an Odoo datetime string)."""
        now = self.env.context.get("sla_now") or fields.Datetime.now()
        if isinstance(now, str):
            now = fields.Datetime.from_string(now)
        return now

    @api.multi
    def _sla_tz(self):
        self.ensure_one()
        return pytz.timezone(self.sudo().estate_id.tz or DEFAULT_TZ)

    @staticmethod
    def _sla_local(value, tz):
        """A stored UTC datetime (string or datetime) in local time, or None."""
        if not value:
            return None
        if isinstance(value, str):
            value = fields.Datetime.from_string(value)
        return sla_rules.to_local(value, tz)

    @staticmethod
    def _sla_utc(value, tz):
        """A local naive datetime as an Odoo UTC string, False for None."""
        if value is None:
            return False
        return fields.Datetime.to_string(sla_rules.to_utc(value, tz))

    @api.multi
    def _sla_clocks(self, now=None):
        """The response and resolution ``rules.sla.Clock`` measured at ``now``
        (naive UTC; default ``_sla_now()``); [] without a policy."""
        self.ensure_one()
        policy = self.sudo().sla_id
        if not policy:
            return []
        now = now or self._sla_now()
        tz = self._sla_tz()
        calendar = policy._working_calendar(self.severity, tz)
        thresholds = policy._thresholds()
        pauses = [(self._sla_local(pause.date_start, tz),
                   self._sla_local(pause.date_end, tz))
                  for pause in self.sudo().pause_ids]
        local_now = sla_rules.to_local(now, tz)
        start = self._sla_local(self.date_reported, tz)
        resolved = self.date_resolved or (self.is_closed and self.date_closed)
        response = sla_rules.measure(
            sla_rules.RESPONSE, start, local_now, policy.response_hours,
            calendar, pauses, stopped_at=self._sla_local(self.date_accepted, tz),
            thresholds=thresholds)
        resolution = sla_rules.measure(
            sla_rules.RESOLUTION,
            self._sla_local(self.sla_resolution_start, tz) or start, local_now,
            policy.resolution_hours, calendar, pauses,
            stopped_at=self._sla_local(resolved, tz), thresholds=thresholds)
        return [response, resolution]

    @api.multi
    def _sla_values(self, clocks):
        """Stored SLA figures of ``clocks`` (see ``_sla_clocks``)."""
        self.ensure_one()
        if not clocks:
            return {
                "response_deadline": False, "resolution_deadline": False,
                "response_status": False, "resolution_status": False,
                "sla_status": False, "response_hours": 0.0,
                "resolution_hours": 0.0, "response_breached": False,
                "resolution_breached": False,
            }
        tz = self._sla_tz()
        response, resolution = clocks
        return {
            "response_deadline": self._sla_utc(response.deadline, tz),
            "resolution_deadline": self._sla_utc(resolution.deadline, tz),
            "response_status": response.status,
            "resolution_status": resolution.status,
            "sla_status": sla_rules.worst([response.status, resolution.status]),
            "response_hours": round(response.elapsed, 2),
            "resolution_hours": round(resolution.elapsed, 2),
            "response_breached": response.status in BREACHED_STATUSES,
            "resolution_breached": resolution.status in BREACHED_STATUSES,
        }

    @api.multi
    def _sla_refresh(self, now=None):
        """Measure the clocks at ``now`` and store their figures (only the
        changed values are written)."""
        now = now or self._sla_now()
        for complaint in self:
            vals = complaint._sla_values(complaint._sla_clocks(now))
            changed = {}
            for name, value in vals.items():
                current = complaint[name]
                if name.endswith("_hours"):
                    if abs((current or 0.0) - value) >= 0.005:
                        changed[name] = value
                elif (current or False) != (value or False):
                    changed[name] = value
            if changed:
                changed["sla_measured_at"] = fields.Datetime.to_string(now)
                complaint._sla_write(changed)
        return True

    # -- pauses: waiting on the owner -------------------------------------------

    @api.multi
    def _stage_changed(self, previous):
        now = self._sla_now()
        now_str = fields.Datetime.to_string(now)
        waiting = self._stage("waiting_owner")
        reopened = self._stage("reopened")
        Pause = self.env["property.complaint.pause"].sudo()
        for complaint in self:
            old = previous.get(complaint.id)
            new = complaint.stage_id
            if old == new:
                continue
            if new != waiting:
                open_pauses = complaint.sudo().pause_ids.filtered(
                    lambda pause: not pause.date_end)
                if open_pauses:
                    open_pauses.write({"date_end": now_str})
            elif not complaint.sudo().pause_ids.filtered(
                    lambda pause: not pause.date_end):
                Pause.create({"complaint_id": complaint.id,
                              "date_start": now_str,
                              "reason": _("Waiting on the owner")})
            if new == reopened:
                complaint._sla_write({
                    "sla_resolution_start": now_str,
                    "escalation_done": complaint._escalation_encode([
                        pair for pair in complaint._escalation_steps_done()
                        if pair[0] != sla_rules.RESOLUTION]),
                })
        result = super()._stage_changed(previous)
        self._sla_refresh(now)
        return result

    # -- escalation ladder ---------------------------------------------------------

    @api.multi
    def _escalation_steps_done(self):
        """The (clock kind, step) pairs already taken."""
        self.ensure_one()
        pairs = []
        for item in (self.escalation_done or "").split(","):
            kind, _sep, step = item.strip().partition(":")
            if kind and step in esc_rules.LADDER:
                pairs.append((kind, step))
        return pairs

    @staticmethod
    def _escalation_encode(pairs):
        return ",".join("%s:%s" % pair for pair in pairs) or False

    @api.multi
    def _escalation_manager(self):
        """Who takes over an escalated complaint: the estate's manager, else
        the first complaint manager."""
        self.ensure_one()
        manager = self.sudo().estate_id.manager_id
        if manager:
            return manager
        group = self.env.ref("property_complaint.group_complaint_manager")
        users = group.sudo().users.filtered("active").sorted("id")
        return users.filtered(lambda user: user.id != SUPERUSER_ID)[:1] or users[:1]

    @api.multi
    def _escalation_leader(self):
        self.ensure_one()
        return self.sudo().team_id.leader_id or self._escalation_manager()

    @api.multi
    def _schedule_sla_activity(self, user, summary, note, date):
        """A to-do activity for ``user`` on the complaint."""
        self.ensure_one()
        if not user:
            return self.env["mail.activity"]
        return self.env["mail.activity"].sudo().create({
            "res_model_id": self.env["ir.model"]._get(self._name).id,
            "res_id": self.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "user_id": user.id,
            "summary": summary,
            "note": note,
            "date_deadline": fields.Date.to_string(date),
        })

    @api.model
    def _clock_label(self, kind):
        return {sla_rules.RESPONSE: _("response"),
                sla_rules.RESOLUTION: _("resolution")}.get(kind, kind)

    @api.multi
    def _escalation_apply(self, step, now):
        """Take one ``rules.escalation.Step`` at ``now`` (naive UTC)."""
        self.ensure_one()
        tz = self._sla_tz()
        local_now = sla_rules.to_local(now, tz)
        clock = self._clock_label(step.clock)
        due = step.due_at.strftime("%Y-%m-%d %H:%M") if step.due_at else ""
        deadline = self.response_deadline if step.clock == sla_rules.RESPONSE \
            else self.resolution_deadline
        deadline = self._sla_local(deadline, tz)
        deadline = deadline.strftime("%Y-%m-%d %H:%M") if deadline else ""
        params = {"number": self.name, "clock": clock, "due": due,
                  "deadline": deadline}
        vals = {}
        if step.step == esc_rules.WARN_ASSIGNEE:
            user = self.sudo().user_id or self._escalation_leader()
            summary = _("Time limit approaching (%(clock)s)") % params
            body = _("SLA warning: the %(clock)s time limit of complaint "
                     "%(number)s is nearly used up (due %(deadline)s).") % params
        elif step.step == esc_rules.LEADER_ACTIVITY:
            user = self._escalation_leader()
            summary = _("Time limit breached (%(clock)s)") % params
            body = _("SLA breached: the %(clock)s time limit of complaint "
                     "%(number)s passed at %(due)s; the team leader has been "
                     "asked to act.") % params
        else:
            user = self._escalation_manager()
            params["manager"] = user.name or ""
            summary = _("Escalated complaint (%(clock)s)") % params
            body = _("Escalated to %(manager)s: the %(clock)s time limit of "
                     "complaint %(number)s is far exceeded. The manager decides "
                     "and may reassign it.") % params
            vals.update({"escalated": True, "escalation_user_id": user.id,
                         "date_escalated": fields.Datetime.to_string(now)})
        self._schedule_sla_activity(user, summary, body, local_now.date())
        self.sudo().message_post(body=body, subtype="mail.mt_note")
        vals["escalation_done"] = self._escalation_encode(
            self._escalation_steps_done() + [(step.clock, step.step)])
        self._sla_write(vals)
        return True

    @api.multi
    def _sla_escalate(self, now=None):
        """Refresh the clocks and take the escalation steps due at ``now``."""
        now = now or self._sla_now()
        taken = []
        for complaint in self:
            clocks = complaint._sla_clocks(now)
            complaint._sla_write(complaint._sla_values(clocks))
            steps = esc_rules.due_steps(
                clocks, complaint._escalation_steps_done())
            for step in steps:
                complaint._escalation_apply(step, now)
                taken.append((complaint.id, step))
        return taken

    @api.model
    def _cron_escalate(self, now=None):
        """Cron: measure the open complaints and climb the escalation ladder.
        ``now``: naive UTC datetime or string (tests); default: now."""
        if isinstance(now, str):
            now = fields.Datetime.from_string(now)
        now = now or self._sla_now()
        complaints = self.sudo().search([
            ("is_closed", "=", False), ("sla_id", "!=", False)])
        return complaints._sla_escalate(now)

    @api.multi
    def action_escalate(self):
        """Button: escalate to the manager by hand (the lower rungs of the
        running clocks count as climbed). Written as the superuser: the
        caller must be allowed to change the complaints."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        now = self._sla_now()
        for complaint in self:
            if complaint.is_closed:
                raise UserError(_("Complaint %s is closed: it cannot be "
                                  "escalated.") % complaint.name)
            if complaint.escalated:
                continue
            clocks = [clock for clock in complaint._sla_clocks(now)
                      if not clock.stopped]
            kind = clocks[0].kind if clocks else sla_rules.RESOLUTION
            complaint._escalation_apply(
                esc_rules.Step(kind, esc_rules.ESCALATE_MANAGER, None), now)
        return True
