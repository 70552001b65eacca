# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models

from ..rules import assignment as assignment_rules


class PropertyComplaintTeam(models.Model):
    """A team handling complaints (处理小组): members, a leader, and how new
    complaints are shared out among the members."""

    _name = "property.complaint.team"
    _description = "Complaint Team"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    leader_id = fields.Many2one(
        comodel_name="res.users", string="Team Leader",
        track_visibility="onchange",
        help="Gets escalations and reopened complaints; sees the team's "
             "complaints.")
    member_ids = fields.Many2many(
        comodel_name="res.users", relation="property_complaint_team_user_rel",
        column1="team_id", column2="user_id", string="Members",
        help="Complaints of the team are assigned to these users.")
    assignment_method = fields.Selection(
        selection=lambda self: self._selection_assignment_method(),
        required=True, default=assignment_rules.ROUND_ROBIN,
        track_visibility="onchange",
        help="Round-robin: each member in turn. Least loaded: the member with "
             "the fewest open complaints. Manual: the leader assigns.")
    last_assigned_user_id = fields.Many2one(
        comodel_name="res.users", string="Last Assigned", readonly=True,
        copy=False, help="The member served last by round-robin.")
    estate_ids = fields.Many2many(
        comodel_name="property.estate", string="Estates",
        help="Estates this team serves (information).")
    complaint_ids = fields.One2many(
        comodel_name="property.complaint", inverse_name="team_id",
        string="Complaints")
    open_complaint_count = fields.Integer(
        string="Open Complaints", compute="_compute_open_complaint_count")
    company_id = fields.Many2one(
        comodel_name="res.company",
        default=lambda self: self.env["res.company"]._company_default_get(
            "property.complaint.team"))
    description = fields.Text(translate=True)

    @api.model
    def _selection_assignment_method(self):
        labels = {
            assignment_rules.ROUND_ROBIN: _("Round-robin"),
            assignment_rules.LEAST_LOADED: _("Least loaded"),
            assignment_rules.MANUAL: _("Manual (leader assigns)"),
        }
        return [(code, labels.get(code, label))
                for code, label in assignment_rules.ASSIGNMENT_METHODS]

    @api.multi
    def _compute_open_complaint_count(self):
        data = self.env["property.complaint"].read_group(
            [("team_id", "in", self.ids), ("is_closed", "=", False)],
            ["team_id"], ["team_id"])
        counts = {row["team_id"][0]: row["team_id_count"] for row in data}
        for team in self:
            team.open_complaint_count = counts.get(team.id, 0)

    @api.multi
    def _member_loads(self):
        """{user id: number of open complaints assigned to them}."""
        self.ensure_one()
        members = self.member_ids.filtered("active")
        data = self.env["property.complaint"].sudo().read_group(
            [("user_id", "in", members.ids), ("is_closed", "=", False)],
            ["user_id"], ["user_id"])
        return {row["user_id"][0]: row["user_id_count"] for row in data}

    @api.multi
    def _next_member(self):
        """The member who gets the next complaint, per the team's method
        (round-robin moves on ``last_assigned_user_id``)."""
        self.ensure_one()
        members = self.member_ids.filtered("active").sorted("id")
        if not members:
            return self.env["res.users"]
        loads = {}
        if self.assignment_method == assignment_rules.LEAST_LOADED:
            loads = self._member_loads()
        user_id = assignment_rules.pick_member(
            self.assignment_method, members.ids,
            last=self.last_assigned_user_id.id, loads=loads)
        user = self.env["res.users"].browse(user_id or [])
        if user and self.assignment_method == assignment_rules.ROUND_ROBIN:
            self.write({"last_assigned_user_id": user.id})
        return user

    @api.multi
    def action_view_complaints(self):
        self.ensure_one()
        action = self.env.ref(
            "property_complaint.property_complaint_action").read()[0]
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id,
                             "search_default_filter_open": 1}
        return action
