# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The follow-up call (回访) and the owner's satisfaction.

When a complaint is resolved and the sampling rules keep it, a customer-service
agent who is not the assignee gets a call-back activity. The agent records
each call (reached or not, satisfaction 1-5, comment) with "Record call-back":
a satisfied owner closes the complaint, a score of 2 or less reopens it to the
team leader, and after the configured number of unanswered calls the complaint
may be closed without a rating.
"""
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..rules import sla as sla_rules

MAX_ATTEMPTS_PARAM = "property_complaint.followup_max_attempts"
DEFAULT_MAX_ATTEMPTS = 3
DELAY_DAYS_PARAM = "property_complaint.followup_delay_days"
DEFAULT_DELAY_DAYS = 1
# A score at or below this reopens the complaint to the team leader.
REOPEN_SCORE = 2

PENDING, DONE, FAILED = "pending", "done", "failed"


class PropertyComplaint(models.Model):
    _inherit = "property.complaint"  # pylint: disable=R8180

    followup_required = fields.Boolean(
        string="Call-back Required", copy=False, readonly=True,
        help="Set at resolution by the call-back sampling rules.")
    followup_state = fields.Selection(
        selection=lambda self: self._selection_followup_state(),
        string="Call-back", copy=False, readonly=True, index=True,
        track_visibility="onchange")
    followup_user_id = fields.Many2one(
        comodel_name="res.users", string="Call-back Agent", copy=False,
        track_visibility="onchange",
        groups="property_complaint.group_complaint_user",
        help="A customer-service agent other than the assignee.")
    followup_date = fields.Date(
        string="Call Back By", copy=False,
        help="Date the follow-up call is due.")
    followup_reached = fields.Boolean(
        string="Owner Reached", copy=False,
        help="The owner answered the last follow-up call.")
    followup_attempts = fields.Integer(
        string="Call Attempts", copy=False, readonly=True)
    followup_failed_attempts = fields.Integer(
        string="Unanswered Calls", copy=False, readonly=True)
    followup_done_date = fields.Datetime(
        string="Called Back On", copy=False, readonly=True)
    followup_activity_id = fields.Many2one(
        comodel_name="mail.activity", string="Call-back Activity", copy=False,
        readonly=True, ondelete="set null")
    satisfaction = fields.Selection(
        selection=lambda self: self._selection_satisfaction(),
        copy=False, track_visibility="onchange",
        help="The owner's rating of the resolution, 1 (very dissatisfied) "
             "to 5 (very satisfied).")
    satisfaction_comment = fields.Text(
        string="Owner's Comment", copy=False)

    @api.model
    def _selection_followup_state(self):
        return [
            ("none", _("Not required")),
            (PENDING, _("To call")),
            (DONE, _("Done")),
            (FAILED, _("Owner not reached")),
        ]

    @api.model
    def _selection_satisfaction(self):
        return [
            ("1", _("1 - Very dissatisfied")),
            ("2", _("2 - Dissatisfied")),
            ("3", _("3 - Neutral")),
            ("4", _("4 - Satisfied")),
            ("5", _("5 - Very satisfied")),
        ]

    @api.constrains("followup_user_id", "user_id", "followup_state")
    def _check_followup_user(self):
        for complaint in self:
            if complaint.followup_state == PENDING and complaint.followup_user_id \
                    and complaint.followup_user_id == complaint.user_id:
                raise ValidationError(_(
                    "Complaint %s: the follow-up call must be made by someone "
                    "other than the assignee.") % complaint.name)

    # -- closure guard -------------------------------------------------------------

    @api.multi
    def _followup_done(self):
        """Closing needs the call-back done, or enough unanswered calls."""
        self.ensure_one()
        done = super()._followup_done()
        if not self.followup_required:
            return done
        return done and self.followup_state in (DONE, FAILED)

    @api.model
    def _followup_max_attempts(self):
        value = self.env["ir.config_parameter"].sudo().get_param(
            MAX_ATTEMPTS_PARAM, DEFAULT_MAX_ATTEMPTS)
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            return DEFAULT_MAX_ATTEMPTS

    # -- resolution: plan the call-back ----------------------------------------------

    @api.multi
    def _stage_changed(self, previous):
        result = super()._stage_changed(previous)
        resolved = self._stage("resolved")
        reopened = self._stage("reopened")
        for complaint in self:
            old = previous.get(complaint.id)
            if old == complaint.stage_id:
                continue
            if complaint.stage_id == resolved:
                complaint._followup_prepare()
            elif complaint.stage_id == reopened:
                complaint._followup_cancel()
        return result

    @api.multi
    def _followup_agent(self):
        """A customer-service agent for the call-back, never the assignee:
        the complaint users with the fewest calls to make, the members and
        leader of the complaint's team first (they know the case)."""
        self.ensure_one()
        group = self.env.ref("property_complaint.group_complaint_user")
        candidates = group.sudo().users.filtered(
            lambda user: user.active and not user.share
            and user.id != SUPERUSER_ID and user != self.user_id
            and self.company_id in user.company_ids)
        if not candidates:
            return self.env["res.users"]
        loads = {row["followup_user_id"][0]: row["followup_user_id_count"]
                 for row in self.sudo().read_group(
                     [("followup_state", "=", PENDING),
                      ("followup_user_id", "in", candidates.ids)],
                     ["followup_user_id"], ["followup_user_id"])}
        team = self.sudo().team_id.member_ids | self.sudo().team_id.leader_id
        return candidates.sorted(
            lambda user: (user not in team, loads.get(user.id, 0), user.id))[:1]

    @api.multi
    def _followup_prepare(self):
        """At resolution: decide whether to call back and plan the call."""
        Rule = self.env["property.complaint.sampling.rule"].sudo()
        now = self._sla_now()
        delay = self.env["ir.config_parameter"].sudo().get_param(
            DELAY_DAYS_PARAM, DEFAULT_DELAY_DAYS)
        for complaint in self:
            base = {"followup_reached": False, "followup_attempts": 0,
                    "followup_failed_attempts": 0, "followup_done_date": False}
            if not Rule._callback_required(complaint):
                base.update(followup_required=False, followup_state="none")
                complaint.sudo()._sla_write(base)
                continue
            agent = complaint.followup_user_id
            if not agent or agent == complaint.user_id:
                agent = complaint._followup_agent()
            local_today = sla_rules.to_local(now, complaint._sla_tz()).date()
            due = local_today + timedelta(days=int(delay or 0))
            base.update(followup_required=True, followup_state=PENDING,
                        followup_user_id=agent.id,
                        followup_date=fields.Date.to_string(due))
            complaint.sudo()._sla_write(base)
            if agent:
                activity = complaint._schedule_sla_activity(
                    agent, _("Follow-up call (回访)"),
                    _("Call the owner back about complaint %s: was it solved, "
                      "and how satisfied are they (1-5)?") % complaint.name,
                    due)
                complaint.sudo()._sla_write(
                    {"followup_activity_id": activity.id})
            else:
                complaint.sudo().message_post(
                    body=_("No customer-service agent other than the assignee "
                           "is available for the follow-up call: assign one."),
                    subtype="mail.mt_note")

    @api.multi
    def _followup_activities(self):
        return self.sudo().mapped("followup_activity_id").exists()

    @api.multi
    def _followup_cancel(self):
        """Reopened: the call-back plan starts again at the next resolution;
        the last rating stays for the analysis."""
        for complaint in self:
            if complaint.followup_state == PENDING:
                complaint._followup_activities().unlink()
            complaint.sudo()._sla_write({"followup_state": "none",
                                         "followup_required": False})

    # -- actions ------------------------------------------------------------------

    @api.multi
    def action_open_followup(self):
        """Button: the call-back form of the complaint, in a dialog (for
        those who may record the call-back: they change the complaint)."""
        self.ensure_one()
        self.check_access_rights("write")
        self.check_access_rule("write")
        return {
            "type": "ir.actions.act_window",
            "name": _("Record call-back"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "view_id": self.env.ref(
                "property_complaint.property_complaint_view_form_followup").id,
            "target": "new",
        }

    @api.multi
    def action_record_followup(self):
        """Record one follow-up call with the values in the form: reached,
        satisfaction, comment (recorded as the superuser: the caller must be
        allowed to change the complaint)."""
        self.ensure_one()
        self.check_access_rights("write")
        self.check_access_rule("write")
        if self.followup_state != PENDING:
            raise UserError(_("No follow-up call is planned for complaint %s.")
                            % self.name)
        if self.user_id and self.env.uid == self.user_id.id:
            raise UserError(_(
                "Complaint %s: the follow-up call must be made by someone other "
                "than the assignee.") % self.name)
        if self.followup_reached and not self.satisfaction:
            raise UserError(_("Record the owner's satisfaction (1-5) with the "
                              "call to complaint %s.") % self.name)
        now = fields.Datetime.to_string(self._sla_now())
        author = self.env.user.partner_id.id
        complaint = self.sudo()
        if self.followup_reached:
            return complaint._followup_reached(now, author)
        return complaint._followup_not_reached(now, author)

    @api.multi
    def _followup_reached(self, now, author):
        self.ensure_one()
        score = int(self.satisfaction)
        self._sla_write({"followup_state": DONE, "followup_done_date": now,
                         "followup_attempts": self.followup_attempts + 1})
        self._followup_activities().action_feedback(
            feedback=_("Owner reached, satisfaction %s/5.") % score)
        body = _("Follow-up call: owner reached, satisfaction %(score)s/5. "
                 "%(comment)s") % {"score": score,
                                   "comment": self.satisfaction_comment or ""}
        self.message_post(body=body, subtype="mail.mt_note", author_id=author)
        if score <= REOPEN_SCORE:
            return self._followup_reopen(score, author)
        self._move_after_followup("closed")
        return True

    @api.multi
    def _followup_not_reached(self, now, author):
        self.ensure_one()
        failed = self.followup_failed_attempts + 1
        vals = {"followup_attempts": self.followup_attempts + 1,
                "followup_failed_attempts": failed}
        limit = self._followup_max_attempts()
        if failed >= limit:
            vals.update(followup_state=FAILED, followup_done_date=now)
            body = _("Follow-up call %(n)s of %(limit)s: owner not reached. "
                     "The complaint may now be closed without a rating.") % {
                         "n": failed, "limit": limit}
            self._followup_activities().action_feedback(
                feedback=_("Owner not reached after %s calls.") % failed)
        else:
            body = _("Follow-up call %(n)s of %(limit)s: owner not reached; "
                     "call again.") % {"n": failed, "limit": limit}
        self._sla_write(vals)
        self.message_post(body=body, subtype="mail.mt_note", author_id=author)
        self._move_after_followup("followup")
        return True

    @api.multi
    def _move_after_followup(self, code):
        """After a call: a resolved complaint moves to the follow-up stage;
        ``code`` "closed" then closes it."""
        self.ensure_one()
        if self.stage_id == self._stage("resolved"):
            self._move_to("followup")
        if code == "closed" and self.stage_id == self._stage("followup"):
            self._move_to("closed")

    @api.multi
    def _followup_reopen(self, score, author):
        """A low score reopens the complaint to the team leader."""
        self.ensure_one()
        # A sensitive complaint goes back to a manager (see
        # property_complaint_sensitive.py).
        leader = self._sensitive_safe_user(self.team_id.leader_id)
        vals = {"stage_id": self._stage("reopened").id}
        if leader:
            vals["user_id"] = leader.id
        self.write(vals)
        self.message_post(
            body=_("The owner rated the resolution %(score)s/5: the complaint "
                   "is reopened to %(leader)s.") % {
                       "score": score,
                       "leader": leader.name or _("the team")},
            subtype="mail.mt_note", author_id=author)
        if leader:
            self._schedule_sla_activity(
                leader, _("Reopened after a low rating"),
                _("The owner is not satisfied with the resolution of complaint "
                  "%s: handle it again.") % self.name,
                fields.Date.from_string(fields.Date.context_today(self)))
        return True
