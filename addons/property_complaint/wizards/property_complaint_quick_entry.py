# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..rules.sla import NORMAL


class PropertyComplaintQuickEntry(models.TransientModel):
    """Phone and counter intake in two fields: who (a mobile number, a name
    or a unit code) and what (the description). Saving registers the
    complaint; unit, estate, team and assignee follow from the rules."""

    _name = "property.complaint.quick.entry"
    _description = "Complaint Quick Entry"

    def _default_channel(self):
        channel = self.env.context.get("default_channel") or \
            self.env.context.get("complaint_channel")
        codes = dict(self.env["property.complaint"]._selection_channel())
        return channel if channel in codes else "phone"

    lookup = fields.Char(
        string="Owner / Unit",
        help="Mobile number, name or unit code (e.g. 3-2-1502).")
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Complainant")
    unit_id = fields.Many2one(comodel_name="property.unit")
    candidate_partner_ids = fields.Many2many(
        comodel_name="res.partner", string="Matching Owners", readonly=True)
    description = fields.Text(required=True)
    channel = fields.Selection(
        selection=lambda self: self.env["property.complaint"]._selection_channel(),
        required=True, default=lambda self: self._default_channel())
    category_id = fields.Many2one(
        comodel_name="property.complaint.category")
    severity = fields.Selection(
        selection=lambda self: self.env["property.complaint"]._selection_severity(),
        required=True, default=NORMAL)

    @api.model
    def _find(self, text):
        """(partners, units) matching a mobile number, a name or a unit code."""
        Partner = self.env["res.partner"]
        Unit = self.env["property.unit"]
        text = (text or "").strip()
        if not text:
            return Partner, Unit
        units = Unit.search(["|", ("code", "=ilike", text),
                             ("name", "=ilike", text)], limit=5)
        # A unit code such as 3-2-0658 is all digits too: when it names a unit
        # exactly, its occupants are meant, not every mobile containing 320658.
        exact_unit = bool(units)
        if not units:
            units = Unit.search(["|", ("code", "ilike", text),
                                 ("name", "ilike", text)], limit=5)
        digits = "".join(ch for ch in text if ch.isdigit())
        if exact_unit:
            partners = Partner
        elif digits and len(digits) >= 4 and len(digits) == len(
                text.replace(" ", "").replace("-", "").lstrip("+")):
            partners = Partner.search(["|", ("mobile", "ilike", digits),
                                       ("phone", "ilike", digits)], limit=10)
        else:
            partners = Partner.search([("name", "ilike", text)], limit=10)
        if units and not partners:
            Occupancy = self.env["property.occupancy"]
            occupancies = Occupancy.search([
                ("unit_id", "in", units.ids), ("is_current", "=", True),
                ("role", "in", ("owner", "tenant", "payer"))])
            partners = occupancies.mapped("partner_id")
        return partners, units

    @api.onchange("lookup")
    def _onchange_lookup(self):
        if not self.lookup:
            return
        partners, units = self._find(self.lookup)
        self.candidate_partner_ids = partners
        if len(units) == 1:
            self.unit_id = units
        if len(partners) == 1:
            self.partner_id = partners
            if not self.unit_id:
                self.unit_id = self.env["property.complaint"]._unit_of_partner(
                    partners)
        if not partners and not units:
            return {"warning": {
                "title": _("Nobody found"),
                "message": _("No owner or unit matches \"%s\". Pick the owner "
                             "by hand or register the complaint without "
                             "one.") % self.lookup,
            }}

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and not self.unit_id:
            self.unit_id = self.env["property.complaint"]._unit_of_partner(
                self.partner_id)

    @api.multi
    def _prepare_complaint_vals(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "unit_id": self.unit_id.id,
            "description": self.description,
            "channel": self.channel,
            "category_id": self.category_id.id,
            "severity": self.severity,
        }

    @api.multi
    def _register_complaint(self):
        self.ensure_one()
        # wizards have no access rights: the caller registers complaints
        self.env["property.complaint"].check_access_rights("create")
        if not (self.description or "").strip():
            raise UserError(_("Describe the complaint before saving it."))
        if not self.partner_id and not self.unit_id and self.lookup:
            partners, units = self._find(self.lookup)
            if len(partners) == 1:
                self.partner_id = partners
            if len(units) == 1:
                self.unit_id = units
        if not self.partner_id and not self.unit_id:
            raise UserError(_(
                "Say who complains: choose the owner or the unit."))
        return self.env["property.complaint"].create(
            self._prepare_complaint_vals())

    @api.multi
    def action_save(self):
        """Register and open the complaint."""
        complaint = self._register_complaint()
        return {
            "type": "ir.actions.act_window",
            "res_model": "property.complaint",
            "res_id": complaint.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.multi
    def action_save_new(self):
        """Register and start the next quick entry (same channel)."""
        complaint = self._register_complaint()
        action = self.env.ref(
            "property_complaint.property_complaint_quick_entry_action").read()[0]
        action["context"] = {"default_channel": self.channel}
        action["name"] = _("Quick Entry (%s registered)") % complaint.name
        return action
