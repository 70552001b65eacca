# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PropertyComplaintCategory(models.Model):
    """What a complaint is about (投诉分类), as a two-level tree.

    The first level is the area (e.g. Repairs), the second the concrete
    subject (e.g. Elevators); analysis groups complaints by either level.
    """

    _name = "property.complaint.category"
    _description = "Complaint Category"
    # Lists show the tree in order: each area followed by its subjects.
    _parent_store = True
    _parent_order = "sequence, id"
    _order = "parent_left"

    name = fields.Char(required=True, translate=True)
    # Not stored: it follows the reader's language (维修 / 电梯 in Chinese).
    complete_name = fields.Char(
        string="Full Name",
        compute="_compute_complete_name",
    )
    parent_id = fields.Many2one(
        comodel_name="property.complaint.category",
        string="Parent Category",
        index=True,
        ondelete="cascade",
    )
    child_ids = fields.One2many(
        comodel_name="property.complaint.category",
        inverse_name="parent_id",
        string="Sub-categories",
    )
    parent_left = fields.Integer(index=True)
    parent_right = fields.Integer(index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = "%s / %s" % (
                    category.parent_id.complete_name, category.name)
            else:
                category.complete_name = category.name

    @api.multi
    def name_get(self):
        return [(category.id, category.complete_name) for category in self]

    @api.constrains("parent_id")
    def _check_parent_id(self):
        """Two levels only: an area and its subjects (no loops either)."""
        for category in self:
            if category.parent_id and (category.parent_id.parent_id
                                       or category.child_ids):
                raise ValidationError(_(
                    "Complaint categories have two levels only: "
                    "\"%(category)s\" cannot be placed under \"%(parent)s\".")
                    % {"category": category.name,
                       "parent": category.parent_id.complete_name})
