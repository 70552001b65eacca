# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A step's phone calls: the outcomes recorded on it, and whether its call
is still to be made (the Record Call Outcome button)."""
from odoo import api, fields, models

from ..rules import dunning as rules


class PropertyDunningStep(models.Model):
    # kept apart from property_dunning_step.py (the step itself) on purpose:
    # the call outcomes are their own part of the add-on
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "property.dunning.step"

    call_ids = fields.One2many(
        "property.dunning.call", "step_id", string="Calls", readonly=True)
    call_count = fields.Integer(compute="_compute_call_todo")
    call_todo = fields.Boolean(
        string="Call to Make", compute="_compute_call_todo",
        help="The step's phone call waits for its outcome.")

    @api.depends("delivery_ids.state", "call_ids")
    def _compute_call_todo(self):
        for step in self:
            step.call_count = len(step.call_ids)
            step.call_todo = any(
                delivery.channel == rules.CALL and delivery.state == "todo"
                for delivery in step.delivery_ids)

    @api.multi
    def _call_delivery(self):
        """The step's phone-call delivery waiting for its outcome (sudo), or
        an empty recordset."""
        self.ensure_one()
        return self.sudo().delivery_ids.filtered(
            lambda d: d.channel == rules.CALL and d.state == "todo")
