# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import sampling as sampling_rules
from ..rules.sla import SEVERITIES


class PropertyComplaintSamplingRule(models.Model):
    """Which resolved complaints get a follow-up call (回访抽样).

    The first active rule (by sequence) whose scope matches a complaint
    decides: the complaint is called back when it falls in the rule's
    ``percent`` sample. The sample is drawn from the complaint's number
    (``rules.sampling``), so the same complaint is always in or out. A
    complaint matched by no rule is always called back.
    """

    _name = "property.complaint.sampling.rule"
    _description = "Complaint Call-back Sampling Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    percent = fields.Float(
        string="Call Back (%)", required=True, default=100.0,
        help="Share of the matching complaints that get a follow-up call: "
             "100 = every one, 20 = one in five (drawn from the number).")
    severity = fields.Selection(
        SEVERITIES, help="Empty: any severity.")
    category_id = fields.Many2one(
        "property.complaint.category", ondelete="cascade",
        help="Empty: any category; a main category covers its "
             "sub-categories.")
    estate_id = fields.Many2one(
        "property.estate", ondelete="cascade",
        help="Empty: every estate.")
    channel = fields.Char(
        help="Technical code of an intake channel (phone, portal, ...); "
             "empty: any channel.")
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id)

    @api.constrains("percent")
    def _check_percent(self):
        for rule in self:
            if not 0 <= rule.percent <= 100:
                raise ValidationError(_(
                    "The call-back share of the sampling rule '%s' must lie "
                    "between 0 and 100 %%.") % rule.name)

    @api.multi
    def _matches(self, complaint):
        self.ensure_one()
        if self.company_id and self.company_id != complaint.company_id:
            return False
        if self.severity and self.severity != complaint.severity:
            return False
        if self.estate_id and self.estate_id != complaint.estate_id:
            return False
        if self.channel and self.channel != complaint.channel:
            return False
        if self.category_id:
            category = complaint.category_id
            if self.category_id not in (category | category.parent_id):
                return False
        return True

    @api.model
    def _callback_required(self, complaint):
        """Whether ``complaint`` gets a follow-up call."""
        for rule in self.search([]):
            if rule._matches(complaint):
                return sampling_rules.sampled(complaint.name, rule.percent)
        return True
