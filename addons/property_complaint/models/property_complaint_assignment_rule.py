# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import assignment as assignment_rules


class PropertyComplaintAssignmentRule(models.Model):
    """Sends new complaints to a team by category, estate and building
    (分派规则). Rules are tried by sequence; the first that matches wins."""

    _name = "property.complaint.assignment.rule"
    _description = "Complaint Assignment Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    team_id = fields.Many2one(
        comodel_name="property.complaint.team", required=True,
        ondelete="cascade")
    category_id = fields.Many2one(
        comodel_name="property.complaint.category",
        ondelete="cascade",
        help="Empty: any category. An area also matches its sub-categories.")
    estate_id = fields.Many2one(
        comodel_name="property.estate", ondelete="cascade",
        help="Empty: any estate.")
    building_id = fields.Many2one(
        comodel_name="property.building",
        ondelete="cascade", help="Empty: any building.")
    company_id = fields.Many2one(
        comodel_name="res.company",
        default=lambda self: self.env["res.company"]._company_default_get(
            "property.complaint.assignment.rule"))

    @api.constrains("estate_id", "building_id")
    def _check_building_estate(self):
        for rule in self:
            if rule.building_id and rule.estate_id and \
                    rule.building_id.estate_id != rule.estate_id:
                raise ValidationError(_(
                    "Building %(building)s is not in estate %(estate)s.") % {
                        "building": rule.building_id.display_name,
                        "estate": rule.estate_id.display_name})

    @api.onchange("building_id")
    def _onchange_building_id(self):
        if self.building_id:
            self.estate_id = self.building_id.estate_id

    @api.multi
    def _to_rule(self):
        self.ensure_one()
        return assignment_rules.Rule(
            key=self.id, team=self.team_id.id,
            category=self.category_id.id or None,
            estate=self.estate_id.id or None,
            building=self.building_id.id or None,
            sequence=self.sequence)

    @api.model
    def _team_for(self, complaint):
        """The team of the first rule matching ``complaint`` (or none)."""
        rules = self.search([("team_id.active", "=", True)])
        facts = assignment_rules.Facts(
            category=complaint.category_id.id or None,
            parent_category=complaint.category_id.parent_id.id or None,
            estate=complaint.estate_id.id or None,
            building=complaint.building_id.id or None)
        match = assignment_rules.first_match(
            [rule._to_rule() for rule in rules], facts)
        return self.env["property.complaint.team"].browse(
            match.team if match else [])
