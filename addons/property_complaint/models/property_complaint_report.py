# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

from ..rules.sla import SEVERITIES, STATUSES


class PropertyComplaintReport(models.Model):
    """Complaint analysis (投诉分析) for pivot and graph views: one row per
    complaint with measures averaged by the views.

    The percentages are averages of 0/100 values per complaint, so that a
    pivot cell shows the share of its group: SLA compliance counts only the
    complaints judged on that clock (stopped or already breached; NULL
    otherwise), exactly as ``rules.analysis`` defines it.
    """

    _name = "property.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _rec_name = "name"
    _order = "date_reported desc"

    name = fields.Char(string="Number", readonly=True)
    date_reported = fields.Datetime(string="Reported On", readonly=True)
    category_id = fields.Many2one(
        "property.complaint.category", readonly=True)
    parent_category_id = fields.Many2one(
        "property.complaint.category", string="Area", readonly=True)
    estate_id = fields.Many2one(
        "property.estate", readonly=True)
    building_id = fields.Many2one(
        "property.building", readonly=True)
    unit_id = fields.Many2one("property.unit", readonly=True)
    team_id = fields.Many2one(
        "property.complaint.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned To", readonly=True)
    stage_id = fields.Many2one(
        "property.complaint.stage", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    channel = fields.Char(readonly=True)
    sla_status = fields.Selection(STATUSES, string="SLA Status", readonly=True)
    satisfaction = fields.Selection(
        [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")],
        readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    is_repeat = fields.Boolean(string="Repeat", readonly=True)
    escalated = fields.Boolean(readonly=True)
    sensitive = fields.Boolean(readonly=True)
    nbr = fields.Integer(string="# Complaints", readonly=True)
    repeat_rate = fields.Float(
        string="Repeat Rate (%)", readonly=True, group_operator="avg")
    escalation_rate = fields.Float(
        string="Escalation Rate (%)", readonly=True, group_operator="avg")
    response_compliance = fields.Float(
        string="Response On Time (%)", readonly=True, group_operator="avg")
    resolution_compliance = fields.Float(
        string="Resolution On Time (%)", readonly=True, group_operator="avg")
    response_hours = fields.Float(
        string="Response Time (h)", readonly=True, group_operator="avg")
    resolution_hours = fields.Float(
        string="Resolution Time (h)", readonly=True, group_operator="avg")
    satisfaction_score = fields.Float(
        string="Satisfaction", readonly=True, group_operator="avg")

    def _select(self):
        return """
            SELECT
                c.id AS id,
                c.name AS name,
                c.date_reported AS date_reported,
                c.category_id AS category_id,
                c.parent_category_id AS parent_category_id,
                c.estate_id AS estate_id,
                c.building_id AS building_id,
                c.unit_id AS unit_id,
                c.team_id AS team_id,
                c.user_id AS user_id,
                c.stage_id AS stage_id,
                c.company_id AS company_id,
                c.severity AS severity,
                c.channel AS channel,
                c.sla_status AS sla_status,
                c.satisfaction AS satisfaction,
                COALESCE(c.is_closed, FALSE) AS is_closed,
                COALESCE(c.is_repeat, FALSE) AS is_repeat,
                COALESCE(c.escalated, FALSE) AS escalated,
                COALESCE(c.sensitive, FALSE) AS sensitive,
                1 AS nbr,
                CASE WHEN c.is_repeat THEN 100.0 ELSE 0.0 END AS repeat_rate,
                CASE WHEN c.escalated THEN 100.0 ELSE 0.0 END
                    AS escalation_rate,
                CASE
                    WHEN c.sla_id IS NULL THEN NULL
                    WHEN c.response_breached THEN 0.0
                    WHEN c.date_accepted IS NOT NULL THEN 100.0
                END AS response_compliance,
                CASE
                    WHEN c.sla_id IS NULL THEN NULL
                    WHEN c.resolution_breached THEN 0.0
                    WHEN c.date_resolved IS NOT NULL THEN 100.0
                END AS resolution_compliance,
                CASE WHEN c.date_accepted IS NOT NULL AND c.sla_id IS NOT NULL
                     THEN c.response_hours END AS response_hours,
                CASE WHEN c.date_resolved IS NOT NULL AND c.sla_id IS NOT NULL
                     THEN c.resolution_hours END AS resolution_hours,
                CASE WHEN c.satisfaction IS NOT NULL
                     THEN c.satisfaction::numeric END AS satisfaction_score
        """

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW %s AS (
                %s
                FROM property_complaint c
            )""" % (self._table, self._select()))
