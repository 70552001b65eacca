# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class PropertyComplaintStage(models.Model):
    """A step of the complaint pipeline (受理, 处理中, 回访, 关闭 ...)."""

    _name = "property.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Folded stages are collapsed in the kanban view of complaints.",
    )
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Complaints in this stage are finished: their time limits stop "
             "and they no longer count as open.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
