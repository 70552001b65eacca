# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import occupancy as occupancy_rules
from ..rules.constants import FULL_SHARE, OCCUPANCY_ROLES
from .property_unit import to_date


class PropertyOccupancy(models.Model):
    """Who holds a unit in which role (owner / tenant / payer), from when to
    when, for which share (业主 / 住户 / 缴费人)."""

    _name = "property.occupancy"
    _description = "Occupancy"
    _order = "unit_id, date_from desc, id desc"

    unit_id = fields.Many2one(
        "property.unit", required=True, index=True,
        ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", required=True, index=True,
        ondelete="restrict")
    role = fields.Selection(
        OCCUPANCY_ROLES, required=True, default="owner", index=True,
        help="Owner: holds the unit and pays unless a payer is set. "
             "Tenant: lives there, never pays. Payer: pays the fees instead "
             "of the owners.")
    share = fields.Float(
        string="Share (%)", digits=(5, 2), required=True, default=FULL_SHARE,
        help="Percentage held or paid by this partner; co-owners split 100 %.")
    date_from = fields.Date(
        string="From", required=True, index=True,
        default=fields.Date.context_today)
    date_to = fields.Date(
        string="To", index=True, help="Last day included; empty = still going.")
    estate_id = fields.Many2one(
        "property.estate", related="unit_id.estate_id", store=True,
        readonly=True, index=True)
    building_id = fields.Many2one(
        "property.building", related="unit_id.building_id", store=True,
        readonly=True)
    company_id = fields.Many2one(
        "res.company", related="unit_id.company_id", store=True,
        readonly=True, index=True)
    is_current = fields.Boolean(
        string="Current", compute="_compute_is_current",
        search="_search_is_current", help="In force today.")
    note = fields.Char(string="Notes")

    # -- computes ------------------------------------------------------------

    @api.depends("date_from", "date_to")
    def _compute_is_current(self):
        today = to_date(fields.Date.context_today(self))
        for occupancy in self:
            occupancy.is_current = bool(occupancy.date_from) and \
                occupancy_rules.in_force(
                    to_date(occupancy.date_from), to_date(occupancy.date_to),
                    today)

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!="):
            raise ValueError(_("Unsupported search on 'Current': %s") % operator)
        today = fields.Date.context_today(self)
        current = ["&", ("date_from", "<=", today),
                   "|", ("date_to", "=", False), ("date_to", ">=", today)]
        if (operator == "=") == bool(value):
            return current
        return ["|", ("date_from", ">", today), ("date_to", "<", today)]

    # -- constraints -----------------------------------------------------------

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for occupancy in self:
            if occupancy.date_to and occupancy.date_to < occupancy.date_from:
                raise ValidationError(_(
                    "The occupancy of %(partner)s in unit %(unit)s ends on "
                    "%(date_to)s, before it starts on %(date_from)s.") % {
                        "partner": occupancy.partner_id.name,
                        "unit": occupancy.unit_id.name,
                        "date_to": occupancy.date_to,
                        "date_from": occupancy.date_from})

    @api.constrains("share")
    def _check_share(self):
        for occupancy in self:
            if not 0 < occupancy.share <= FULL_SHARE:
                raise ValidationError(_(
                    "The share of %(partner)s in unit %(unit)s must be more "
                    "than 0 %% and at most 100 %% (got %(share)s %%).") % {
                        "partner": occupancy.partner_id.name,
                        "unit": occupancy.unit_id.name,
                        "share": occupancy.share})

    @api.constrains("unit_id", "role", "share", "date_from", "date_to")
    def _check_overlap(self):
        # A wrong share or period gets its own, clearer message first.
        self._check_dates()
        self._check_share()
        role_labels = dict(self._fields["role"]._description_selection(self.env))
        for unit, role in {(o.unit_id, o.role) for o in self}:
            siblings = self.search([("unit_id", "=", unit.id), ("role", "=", role)])
            overlap = occupancy_rules.find_overlap(
                occupancy_rules.Period(o.id, to_date(o.date_from),
                                       to_date(o.date_to), o.share)
                for o in siblings)
            if overlap:
                parties = self.browse(overlap.keys)
                raise ValidationError(_(
                    "On %(day)s the %(role)s shares of unit %(unit)s add up to "
                    "%(total)s %%, more than 100 %%: %(parties)s. End the "
                    "previous occupancy before the new one starts, or split "
                    "the shares.") % {
                        "day": fields.Date.to_string(overlap.day),
                        "role": role_labels.get(role, role),
                        "unit": unit.name,
                        "total": "%g" % overlap.total,
                        "parties": "; ".join("%s %g %% (%s - %s)" % (
                            p.partner_id.name, p.share, p.date_from,
                            p.date_to or _("open")) for p in parties)})

    # -- business methods --------------------------------------------------------

    @api.multi
    def name_get(self):
        role_labels = dict(self._fields["role"]._description_selection(self.env))
        return [(o.id, "%s · %s · %s" % (
            o.unit_id.name, role_labels.get(o.role, o.role), o.partner_id.name))
            for o in self]

    @api.multi
    def _to_rule_occupancy(self):
        """This record as a plain ``rules.occupancy.Occupancy``."""
        self.ensure_one()
        return occupancy_rules.Occupancy(
            self.id, self.partner_id.id, self.role, self.share,
            to_date(self.date_from), to_date(self.date_to))
