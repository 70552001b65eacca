# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Sensitive complaints (about a staff member): complaint managers only,
end to end.

The flag is set when the complaint is created, before anything is assigned,
subscribed or mailed. Of the staff, only complaint managers are ever its
assignee, call-back agent, follower or activity owner; the complainant keeps
following it. Flagging a complaint later removes the other staff from it and
hands their part over to a manager.
"""
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import UserError

from .property_complaint_chatter import referenced_ids

MANAGER_GROUP = "property_complaint.group_complaint_manager"


class PropertyComplaint(models.Model):
    _inherit = "property.complaint"  # pylint: disable=R8180

    # -- who may take part --------------------------------------------------------

    @api.model
    def _complaint_managers(self):
        """Active complaint managers, people before the superuser."""
        group = self.env.ref(MANAGER_GROUP)
        users = group.sudo().users.filtered("active").sorted("id")
        return users.filtered(lambda user: user.id != SUPERUSER_ID) | \
            users.filtered(lambda user: user.id == SUPERUSER_ID)

    @api.model
    def _is_complaint_manager(self, user):
        return bool(user) and user.sudo().has_group(MANAGER_GROUP)

    @api.multi
    def _sensitive_safe_user(self, user):
        """``user`` if they may take part in this complaint, else the manager
        who takes their place (the estate's manager when they manage
        complaints, else the first complaint manager)."""
        self.ensure_one()
        if not self.sudo().sensitive or not user or \
                self._is_complaint_manager(user):
            return user
        manager = self.sudo().estate_id.manager_id
        if self._is_complaint_manager(manager):
            return manager
        return self._complaint_managers()[:1]

    @api.model
    def _staff_outside_managers(self, partners):
        """The ``partners`` that are internal users but no complaint
        managers."""
        users = self.env["res.users"].sudo().search([
            ("partner_id", "in", partners.ids), ("share", "=", False)])
        staff = users.filtered(lambda user: not self._is_complaint_manager(user))
        return staff.mapped("partner_id")

    # -- CRUD ----------------------------------------------------------------------

    @api.model
    def create(self, vals):
        if not vals.get("sensitive"):
            return super().create(vals)
        self._check_sensitive_assignees(vals)
        if self._is_complaint_manager(self.env.user):
            return super().create(vals)
        # An agent registers a complaint about a staff member: the flag is
        # there from the start; the agent neither follows nor sees it after.
        self.check_access_rights("create")
        complaint = super(PropertyComplaint, self.sudo().with_context(
            mail_create_nosubscribe=True,
            complaint_acting_uid=self.env.uid)).create(vals)
        self.env.cr.execute(
            "UPDATE property_complaint SET create_uid = %s WHERE id = %s",
            (self.env.uid, complaint.id))
        complaint.invalidate_cache(["create_uid"])
        return self.browse(complaint.id)

    @api.multi
    def write(self, vals):
        if "user_id" in vals or "followup_user_id" in vals:
            for complaint in self:
                if vals.get("sensitive") or (
                        "sensitive" not in vals and complaint.sudo().sensitive):
                    complaint._check_sensitive_assignees(vals)
        flagged = self.browse()
        if vals.get("sensitive"):
            flagged = self.filtered(lambda c: not c.sudo().sensitive)
        if flagged and self.env.uid != SUPERUSER_ID and \
                not self._is_complaint_manager(self.env.user):
            # An agent flags a complaint about a colleague: once written they
            # no longer see it, so the rest of the write (tracking, the
            # hand-over to a manager) runs as the superuser.
            self.check_access_rights("write")
            self.check_access_rule("write")
            result = super(PropertyComplaint, self.sudo().with_context(
                complaint_acting_uid=self.env.uid)).write(vals)
        else:
            result = super().write(vals)
        if flagged:
            flagged._sensitive_restrict()
        return result

    @api.model
    def _check_sensitive_assignees(self, vals):
        users = self.env["res.users"].sudo().browse([
            vals[name] for name in ("user_id", "followup_user_id")
            if vals.get(name)])
        for user in users:
            if not self._is_complaint_manager(user):
                raise UserError(_(
                    "A complaint about a staff member is handled by complaint "
                    "managers only: %s cannot be assigned to it.") % user.name)

    @api.multi
    def _sensitive_restrict(self):
        """The complaints became sensitive: staff other than complaint
        managers stop following them, their activities and assignments go
        to a manager."""
        Activity = self.env["mail.activity"].sudo()
        for complaint in self.sudo():
            staff = complaint._staff_outside_managers(
                complaint.message_partner_ids)
            if staff:
                complaint.message_unsubscribe(partner_ids=staff.ids)
            if complaint.message_channel_ids:
                complaint.message_unsubscribe(
                    channel_ids=complaint.message_channel_ids.ids)
            vals = {}
            if complaint.user_id and \
                    not self._is_complaint_manager(complaint.user_id):
                vals["user_id"] = complaint._sensitive_safe_user(
                    complaint.user_id).id
            agent = complaint.followup_user_id
            if agent and not self._is_complaint_manager(agent):
                vals["followup_user_id"] = False
            if vals:
                complaint.with_context(
                    mail_auto_subscribe_no_notify=True).write(vals)
            if "followup_user_id" in vals and \
                    complaint.followup_state == "pending":
                replacement = complaint._followup_agent()
                if replacement:
                    complaint.write({"followup_user_id": replacement.id})
            activities = Activity.search([
                ("res_model", "=", complaint._name),
                ("res_id", "=", complaint.id)])
            for activity in activities:
                user = complaint._sensitive_safe_user(activity.user_id)
                if user != activity.user_id:
                    activity.write({"user_id": user.id})

    # -- followers, messages, activities, assignment ------------------------------

    @api.multi
    def message_subscribe(self, partner_ids=None, channel_ids=None,
                          subtype_ids=None, force=True):
        sensitive = self.sudo().filtered("sensitive")
        if sensitive and partner_ids:
            staff = self._staff_outside_managers(
                self.env["res.partner"].browse(partner_ids))
            partner_ids = [pid for pid in partner_ids if pid not in staff.ids]
        if sensitive:
            channel_ids = []
        return super().message_subscribe(
            partner_ids=partner_ids, channel_ids=channel_ids,
            subtype_ids=subtype_ids, force=force)

    @api.multi
    @api.returns("self", lambda value: value.id)
    def message_post(self, body="", subject=None, message_type="notification",
                     subtype=None, parent_id=False, attachments=None,
                     content_subtype="html", **kwargs):
        if self.ids and kwargs.get("partner_ids") and \
                self.sudo().filtered("sensitive"):
            kwargs["partner_ids"] = self._sensitive_recipients(
                kwargs["partner_ids"])
        return super().message_post(
            body=body, subject=subject, message_type=message_type,
            subtype=subtype, parent_id=parent_id, attachments=attachments,
            content_subtype=content_subtype, **kwargs)

    @api.model
    def _sensitive_recipients(self, partner_ids):
        """``partner_ids`` (ids or (4, id) / (6, 0, ids) commands) without the
        staff who are no complaint managers."""
        ids = referenced_ids(partner_ids)
        staff = self._staff_outside_managers(self.env["res.partner"].browse(ids))
        return [pid for pid in ids if pid not in staff.ids]

    @api.multi
    def _schedule_sla_activity(self, user, summary, note, date):
        self.ensure_one()
        return super()._schedule_sla_activity(
            self._sensitive_safe_user(user), summary, note, date)

    @api.multi
    def _escalation_leader(self):
        self.ensure_one()
        return self._sensitive_safe_user(super()._escalation_leader())

    @api.multi
    def _escalation_manager(self):
        self.ensure_one()
        return self._sensitive_safe_user(super()._escalation_manager())

    @api.multi
    def _followup_agent(self):
        """A sensitive complaint is called back by a complaint manager other
        than the assignee."""
        self.ensure_one()
        if not self.sudo().sensitive:
            return super()._followup_agent()
        managers = self._complaint_managers().filtered(
            lambda user: user != self.user_id and not user.share
            and self.company_id in user.company_ids)
        people = managers.filtered(lambda user: user.id != SUPERUSER_ID)
        return (people or managers)[:1]

    @api.multi
    def _auto_assign(self):
        """Sensitive complaints get a team from the rules but go to the team
        leader only when they manage complaints, else to a manager."""
        normal = self.filtered(lambda complaint: not complaint.sudo().sensitive)
        result = super(PropertyComplaint, normal)._auto_assign()
        Rule = self.env["property.complaint.assignment.rule"].sudo()
        for complaint in (self - normal).sudo():
            vals = {}
            team = complaint.team_id or Rule._team_for(complaint)
            if team and not complaint.team_id:
                vals["team_id"] = team.id
            if not complaint.user_id:
                user = complaint._sensitive_safe_user(
                    team.leader_id or complaint._complaint_managers()[:1])
                if user:
                    vals["user_id"] = user.id
            if vals:
                complaint.write(vals)
        return result
