# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class PropertyOccupancy(models.Model):
    """The partner of an occupancy while it is in force, for the portal
    record rules: an owner reads the units, buildings and estates they hold
    today, not those they sold or left."""

    _inherit = "property.occupancy"

    current_partner_id = fields.Many2one(
        "res.partner", string="Current Holder",
        compute="_compute_current_partner_id",
        search="_search_current_partner_id",
        help="The partner while the occupancy is in force today; empty "
             "before it starts and after it ends.")

    @api.depends("partner_id", "date_from", "date_to")
    def _compute_current_partner_id(self):
        for occupancy in self:
            occupancy.current_partner_id = (
                occupancy.partner_id if occupancy.is_current else False)

    def _search_current_partner_id(self, operator, value):
        """Today's occupancies whose partner matches ``operator`` ``value``
        (one leaf for one occupancy: ``child_of`` and the dates apply to the
        same row). Evaluated at each search, so that record rules, which
        Odoo caches per user, follow the calendar."""
        current = self._search_is_current("=", True)
        if value is False and operator in ("=", "!="):
            return current if operator == "!=" else self._search_is_current(
                "=", False)
        return ["&", ("partner_id", operator, value)] + current
