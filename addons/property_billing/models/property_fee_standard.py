# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fee standards (收费标准): a versioned rate for a fee item and a scope, with
its lifecycle draft → approved → published → active → closed.

- Approval: billing managers only; a new version of a standard (one with a
  ``previous_standard_id``) needs an owner consultation first.
- Publication (``action_publish``): creates the publication notice
  (``property.fee.notice``), freezes the company's notice period on the
  standard and sets ``billable_from`` = publication date + notice days. When a
  new version is published, its previous version ends the day before the new
  one starts.
- Activation: the daily cron ``_cron_update_states`` moves published standards
  whose ``billable_from`` and start date have come to ``active`` and closes
  those whose end date has passed. Billing does not wait for the cron: it
  accepts published and active standards alike (``_billable_standards``).
- Published/active standards of one fee item may not overlap in scope and
  period.
- Evidence: the state, approval and publication fields (WORKFLOW_FIELDS) are
  written by the actions only (``_write_workflow``), never by a caller, the
  manager and the superuser included; once a standard leaves draft, callers
  change only its name, notes, sample calculator and chatter
  (EDITABLE_FIELDS). Anything else is a new version (``action_new_version``).
"""
import datetime
from decimal import Decimal

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..rules import fee_standards as rules
from ..rules import fees, periods
from ..rules.constants import UNIT_STATES, UNIT_TYPES
from .property_unit import to_date

# Unit type code -> name of the Boolean scope field.
UNIT_TYPE_FIELDS = {code: "unit_type_%s" % code for code, _label in UNIT_TYPES}

# Fields set by the workflow actions only (approve, publish, activate, close,
# new version), through _write_workflow: never by a caller's write, in any
# state and whatever the caller's groups. An approved or published standard
# is the evidence of what was announced to the owners.
WORKFLOW_FIELDS = {
    "state", "publication_date", "notice_id", "approved_uid", "approved_date",
    "closed_date", "billable_from", "version", "previous_standard_id",
}
# What may still change on an approved, published, active or closed standard:
# its title and internal notes, the sample calculator of the form, and the
# chatter (followers, messages, activities). Everything else (rate, tiers,
# scope, dates, notice period, cycle, due days, legal basis, service level...)
# is what was approved and announced: a change is a new version.
EDITABLE_FIELDS = {
    "name", "note", "preview_area", "preview_months", "preview_consumption",
    "preview_used", "preview_unit_state",
}
CHATTER_PREFIXES = ("message_", "activity_", "website_message_")


class PropertyFeeStandard(models.Model):
    _name = "property.fee.standard"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Fee Standard"
    _order = "estate_id, item_id, date_from desc, version desc, id desc"

    # -- fields ----------------------------------------------------------------

    name = fields.Char(required=True, index=True, track_visibility="onchange")
    item_id = fields.Many2one(
        "property.fee.item", string="Fee Item", required=True, index=True,
        ondelete="restrict", track_visibility="onchange")
    method = fields.Selection(related="item_id.method", readonly=True, store=True)
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True, ondelete="restrict",
        track_visibility="onchange")
    building_ids = fields.Many2many(
        "property.building", "property_fee_standard_building_rel",
        "standard_id", "building_id", string="Buildings",
        domain="[('estate_id', '=', estate_id)]",
        help="Buildings this standard applies to; empty = every building of "
             "the estate.")
    unit_type_residential = fields.Boolean(string="Residential")
    unit_type_commercial = fields.Boolean(string="Commercial")
    unit_type_parking = fields.Boolean(string="Parking space")
    unit_type_storage = fields.Boolean(string="Storage room")
    scope_text = fields.Char(
        string="Scope", compute="_compute_scope_text",
        help="Buildings and unit types this standard applies to.")
    rate = fields.Float(
        digits=(12, 4), track_visibility="onchange",
        help="元/m²/month (per m²), 元 per unit per month (fixed), price per "
             "unit of consumption (metered without tiers; apportioned: price "
             "of the shared meter's consumption).")
    tier_ids = fields.One2many(
        "property.fee.standard.tier", "standard_id", string="Tiers", copy=True,
        help="Yearly price tiers (阶梯价) of a metered fee; the last tier has "
             "no upper limit.")
    vacant_percent = fields.Float(
        string="Vacant Units (%)", digits=(5, 2), track_visibility="onchange",
        help="Percentage of the amount billed for units in state vacant, "
             "e.g. 70; 0 = vacant units pay in full.")
    rounding = fields.Float(
        digits=(12, 2), default=0.01,
        help="Each line is rounded half up to a multiple of this amount.")
    cycle = fields.Selection(
        periods.BILLING_CYCLES, string="Billing Cycle", required=True,
        default=periods.MONTHLY, track_visibility="onchange")
    timing = fields.Selection(
        periods.BILLING_TIMINGS, string="Billed", required=True,
        default=periods.IN_ADVANCE, track_visibility="onchange",
        help="In advance: a bill covers the current period (预收). In arrears: "
             "the period before (后收).")
    due_days = fields.Integer(
        default=15, help="Days between the billing date and the due date.")
    date_from = fields.Date(
        string="Effective From", required=True, index=True,
        track_visibility="onchange")
    date_to = fields.Date(
        string="Effective To", index=True, track_visibility="onchange",
        help="Last day included; empty = until replaced.")
    service_level = fields.Text(
        help="Service level (服务等级) the fee pays for, as announced.")
    legal_basis = fields.Text(
        string="Legal / Contract Basis",
        help="Price approval, property service contract or owners' assembly "
             "resolution the standard rests on (收费依据).")
    state = fields.Selection(
        rules.STANDARD_STATES, required=True, default=rules.DRAFT,
        index=True, copy=False, track_visibility="onchange")
    version = fields.Integer(default=1, copy=False, readonly=True)
    previous_standard_id = fields.Many2one(
        "property.fee.standard", string="Previous Version", copy=False,
        readonly=True, ondelete="restrict", index=True)
    next_standard_ids = fields.One2many(
        "property.fee.standard", "previous_standard_id", string="Next Versions")
    consultation_ids = fields.One2many(
        "property.fee.consultation", "standard_id",
        string="Owner Consultations")
    consultation_count = fields.Integer(compute="_compute_consultation_count")
    approved_uid = fields.Many2one(
        "res.users", string="Approved By", copy=False, readonly=True)
    approved_date = fields.Datetime(copy=False, readonly=True)
    publication_date = fields.Date(
        copy=False, readonly=True, index=True, track_visibility="onchange")
    notice_days = fields.Integer(
        string="Notice Period (days)", copy=False,
        default=lambda self: self.env.user.company_id.property_notice_days,
        help="Days between publication and the first day that may be billed; "
             "at least the company's notice period, frozen at publication.")
    billable_from = fields.Date(
        compute="_compute_billable_from", store=True, index=True,
        help="Publication date + notice period: no billing period may start "
             "before this day.")
    notice_id = fields.Many2one(
        "property.fee.notice", string="Publication Notice", copy=False,
        readonly=True, ondelete="set null")
    closed_date = fields.Date(copy=False, readonly=True)
    company_id = fields.Many2one(
        "res.company", related="estate_id.company_id", store=True,
        readonly=True, index=True)
    currency_id = fields.Many2one(
        "res.currency", related="estate_id.company_id.currency_id",
        readonly=True)
    note = fields.Text(string="Notes")

    # Preview of the amount for a sample unit (not stored).
    preview_area = fields.Float(
        string="Sample Area (m²)", digits=(12, 2), default=89.5)
    preview_months = fields.Integer(
        string="Sample Months", default=1)
    preview_consumption = fields.Float(
        string="Sample Consumption", digits=(12, 2), default=20.0)
    preview_used = fields.Float(
        string="Used This Year", digits=(12, 2),
        help="Consumption already billed this year (for tiers).")
    preview_unit_state = fields.Selection(
        UNIT_STATES, string="Sample Unit State", default="occupied")
    preview_amount = fields.Monetary(
        string="Sample Amount", compute="_compute_preview")
    preview_basis = fields.Char(
        string="Sample Basis", compute="_compute_preview")

    # -- computes ------------------------------------------------------------

    @api.depends("publication_date", "notice_days")
    def _compute_billable_from(self):
        for standard in self:
            published = to_date(standard.publication_date)
            standard.billable_from = fields.Date.to_string(
                rules.billable_from(published, standard.notice_days or 0)
            ) if published else False

    @api.multi
    def _compute_consultation_count(self):
        for standard in self:
            standard.consultation_count = len(standard.consultation_ids)

    @api.depends("building_ids", *UNIT_TYPE_FIELDS.values())
    def _compute_scope_text(self):
        labels = {code: self._fields[name].get_description(self.env)["string"]
                  for code, name in UNIT_TYPE_FIELDS.items()}
        for standard in self:
            buildings = ", ".join(standard.building_ids.with_context(
                property_building_short=True).mapped("name")) or _("All buildings")
            types = ", ".join(labels[code] for code in sorted(
                standard._unit_types())) or _("all unit types")
            standard.scope_text = "%s; %s" % (buildings, types)

    @api.depends("rate", "tier_ids.upto", "tier_ids.price", "vacant_percent",
                 "item_id", "preview_area", "preview_months",
                 "preview_consumption", "preview_used", "preview_unit_state")
    def _compute_preview(self):
        for standard in self:
            standard.preview_amount, standard.preview_basis = 0.0, ""
            if not standard.item_id:
                continue
            try:
                line = standard._preview_line()
            except ValueError as error:
                standard.preview_basis = str(error)
                continue
            if line is not None:
                standard.preview_amount = float(line.amount)
                standard.preview_basis = line.basis

    # -- constraints -----------------------------------------------------------

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for standard in self:
            if standard.date_to and standard.date_to < standard.date_from:
                raise ValidationError(_(
                    "Fee standard %(name)s ends on %(end)s, before it starts "
                    "(%(start)s).") % {"name": standard.name,
                                       "end": standard.date_to,
                                       "start": standard.date_from})

    @api.constrains("rate", "vacant_percent", "rounding", "due_days",
                    "notice_days")
    def _check_numbers(self):
        for standard in self:
            if standard.rate < 0:
                raise ValidationError(_(
                    "The rate of fee standard %s cannot be negative.")
                    % standard.name)
            if not 0 <= standard.vacant_percent <= 100:
                raise ValidationError(_(
                    "The vacant-unit percentage of fee standard %s must be "
                    "between 0 and 100.") % standard.name)
            if standard.rounding <= 0:
                raise ValidationError(_(
                    "The rounding of fee standard %s must be greater than 0.")
                    % standard.name)
            if standard.due_days < 0 or standard.notice_days < 0:
                raise ValidationError(_(
                    "Due days and notice days of fee standard %s cannot be "
                    "negative.") % standard.name)

    @api.constrains("building_ids", "estate_id")
    def _check_buildings_estate(self):
        for standard in self:
            strays = standard.building_ids.filtered(
                lambda b: b.estate_id != standard.estate_id)
            if strays:
                raise ValidationError(_(
                    "Fee standard %(name)s is for estate %(estate)s but "
                    "buildings %(buildings)s belong to another estate.") % {
                        "name": standard.name,
                        "estate": standard.estate_id.name,
                        "buildings": ", ".join(strays.mapped("name"))})

    @api.constrains("tier_ids", "item_id")
    def _check_tiers(self):
        for standard in self:
            if not standard.tier_ids:
                continue
            if standard.item_id.method != fees.METERED:
                raise ValidationError(_(
                    "Only metered fees have price tiers (fee standard %s).")
                    % standard.name)
            try:
                fees.split_tiers(0, standard._rules_tiers())
            except ValueError:
                raise ValidationError(_(
                    "The tiers of fee standard %s must have increasing upper "
                    "limits, and only the last one may have no limit (0).")
                    % standard.name)

    @api.constrains("state", "item_id", "estate_id", "building_ids",
                    "date_from", "date_to", *UNIT_TYPE_FIELDS.values())
    def _check_overlap(self):
        for standard in self.filtered(
                lambda s: s.state in rules.BILLING_STATES):
            other = standard._overlapping_standards()[:1]
            if other:
                raise ValidationError(_(
                    "Fee standard %(name)s overlaps the %(state)s standard "
                    "%(other)s (%(other_from)s – %(other_to)s) for the same "
                    "fee item and scope: end one before the other starts or "
                    "narrow their buildings or unit types.") % {
                        "name": standard.display_name,
                        "state": dict(other._fields["state"]._description_selection(
                            self.env))[other.state],
                        "other": other.display_name,
                        "other_from": other.date_from,
                        "other_to": other.date_to or _("open")})

    # -- CRUD ---------------------------------------------------------------------

    @api.model
    def create(self, vals):
        if vals.get("state", rules.DRAFT) != rules.DRAFT:
            raise UserError(_("A new fee standard always starts as a draft."))
        # a new version is a copy that names its previous version
        forged = [name for name in WORKFLOW_FIELDS - {
            "state", "version", "previous_standard_id"} if vals.get(name)]
        if forged:
            self._raise_workflow_fields(vals.get("name") or "")
        return super().create(vals)

    @api.multi
    def write(self, vals):
        """Callers edit drafts; after approval only EDITABLE_FIELDS and the
        chatter. The workflow fields change through the actions only
        (:meth:`_write_workflow`)."""
        if WORKFLOW_FIELDS & set(vals):
            self._raise_workflow_fields(self[:1].display_name or "")
        locked = [name for name in vals if name not in EDITABLE_FIELDS
                  and not name.startswith(CHATTER_PREFIXES)]
        if locked:
            frozen = self.filtered(lambda s: s.state != rules.DRAFT)
            if frozen:
                raise UserError(_(
                    "Fee standard %s is no longer a draft: its rate and scope "
                    "cannot change. Create a new version instead.")
                    % frozen[0].display_name)
        return super().write(vals)

    def _raise_workflow_fields(self, name):
        raise AccessError(_(
            "The state, approval and publication of fee standard %s are "
            "recorded by its actions only (approve, publish, close, new "
            "version): they cannot be written.") % name)

    @api.multi
    def _write_workflow(self, vals):
        """``write`` for the workflow actions, after their own checks (rights,
        transition): the only way the fields of WORKFLOW_FIELDS and those of
        a standard that left draft change."""
        # the guarded write() is skipped on purpose: this is its way in
        # pylint: disable=super-method-mismatch
        return super(PropertyFeeStandard, self).write(vals)

    @api.multi
    def unlink(self):
        if any(standard.state != rules.DRAFT for standard in self):
            raise UserError(_(
                "Only draft fee standards can be deleted; close the others."))
        return super().unlink()

    @api.multi
    def copy(self, default=None):
        default = dict(default or {})
        default.setdefault("name", _("%s (copy)") % self.name)
        return super().copy(default)

    @api.multi
    def name_get(self):
        return [(s.id, "%s v%d" % (s.name, s.version) if s.version > 1
                 else s.name) for s in self]

    # -- workflow -------------------------------------------------------------------

    def _is_manager(self):
        return (self.env.uid == SUPERUSER_ID or self.env.user.has_group(
            "property_billing.group_billing_manager"))

    def _check_workflow_rights(self):
        if not self._is_manager():
            raise AccessError(_(
                "Only billing managers may approve, publish or close fee "
                "standards."))

    def _check_transition(self, new_state):
        for standard in self:
            if not rules.can_move(standard.state, new_state):
                states = dict(self._fields["state"]._description_selection(
                    self.env))
                raise UserError(_(
                    "Fee standard %(name)s is %(state)s: it cannot become "
                    "%(new)s.") % {"name": standard.display_name,
                                   "state": states[standard.state],
                                   "new": states[new_state]})

    @api.multi
    def action_approve(self):
        self._check_workflow_rights()
        self._check_transition(rules.APPROVED)
        for standard in self:
            standard._check_ready_for_approval()
        self._write_workflow({"state": rules.APPROVED,
                              "approved_uid": self.env.uid,
                              "approved_date": fields.Datetime.now()})
        return True

    def _check_ready_for_approval(self):
        self.ensure_one()
        if (self.item_id.method in (fees.PER_AREA, fees.FIXED, fees.APPORTIONED)
                and not self.rate):
            raise UserError(_("Fee standard %s has no rate.") % self.display_name)
        if (self.item_id.method == fees.METERED and not self.rate
                and not self.tier_ids):
            raise UserError(_(
                "The metered fee standard %s needs a price or price tiers.")
                % self.display_name)
        if self.previous_standard_id:
            consultations = self.consultation_ids.sorted(
                lambda c: (c.date, c.id))
            if not consultations:
                raise UserError(_(
                    "Fee standard %s changes a previous standard: record the "
                    "owner consultation (date, participants, minutes, "
                    "objections) before approving it.") % self.display_name)
            if consultations[-1].outcome == "rejected":
                raise UserError(_(
                    "The last owner consultation on fee standard %s rejected "
                    "the change: it cannot be approved.") % self.display_name)

    @api.multi
    def action_reset_to_draft(self):
        self._check_workflow_rights()
        self._check_transition(rules.DRAFT)
        self._write_workflow({"state": rules.DRAFT, "approved_uid": False,
                              "approved_date": False})
        return True

    @api.multi
    def action_publish(self):
        """Publish approved standards today: one notice per estate."""
        return self._publish(fields.Date.context_today(self))

    @api.multi
    def _publish(self, publication_date):
        """Publish ``self`` on ``publication_date`` (string or date).

        Creates one ``property.fee.notice`` per estate listing the standards,
        freezes the company's notice period and ends the previous versions the
        day before the new ones start. Returns the notices.
        """
        self._check_workflow_rights()
        self._check_transition(rules.PUBLISHED)
        day = to_date(publication_date)
        notices = self.env["property.fee.notice"]
        for estate in self.mapped("estate_id"):
            standards = self.filtered(lambda s: s.estate_id == estate)
            for standard in standards:
                standard._end_previous_version()
                standard._write_workflow({
                    "state": rules.PUBLISHED,
                    "publication_date": fields.Date.to_string(day),
                    "notice_days": max(standard.notice_days,
                                       standard.company_id.property_notice_days),
                })
            notice = self.env["property.fee.notice"].create(
                standards._prepare_notice_vals(day))
            standards._write_workflow({"notice_id": notice.id})
            notice._refresh_body()
            notices |= notice
        return notices

    def _end_previous_version(self):
        self.ensure_one()
        previous = self.previous_standard_id
        if not previous or previous.state not in rules.BILLING_STATES:
            return
        start = to_date(self.date_from)
        if to_date(previous.date_from) >= start:
            raise UserError(_(
                "Fee standard %(name)s must start after its previous version "
                "%(previous)s (%(start)s).") % {
                    "name": self.display_name,
                    "previous": previous.display_name,
                    "start": previous.date_from})
        end = start - datetime.timedelta(days=1)
        if not previous.date_to or to_date(previous.date_to) > end:
            previous._write_workflow({"date_to": fields.Date.to_string(end)})
            previous.message_post(body=_(
                "Replaced by version %(version)d from %(start)s.") % {
                    "version": self.version, "start": self.date_from})

    def _prepare_notice_vals(self, publication_date):
        estate = self.mapped("estate_id")
        estate.ensure_one()
        items = ", ".join(self.mapped("item_id.name"))
        return {
            "name": _("Fee standards of %(estate)s: %(items)s") % {
                "estate": estate.name, "items": items},
            "estate_id": estate.id,
            "standard_ids": [(6, 0, self.ids)],
            "publication_date": fields.Date.to_string(publication_date),
            "is_published": True,
        }

    @api.multi
    def action_activate(self):
        """Make published standards active (also done by the daily cron)."""
        self._check_workflow_rights()
        self._check_transition(rules.ACTIVE)
        self._write_workflow({"state": rules.ACTIVE})
        return True

    @api.multi
    def action_close(self):
        """Close published or active standards today."""
        return self._close(fields.Date.context_today(self))

    @api.multi
    def _close(self, day):
        self._check_workflow_rights()
        self._check_transition(rules.CLOSED)
        day = to_date(day)
        for standard in self:
            vals = {"state": rules.CLOSED,
                    "closed_date": fields.Date.to_string(day)}
            if not standard.date_to or to_date(standard.date_to) > day:
                vals["date_to"] = fields.Date.to_string(max(
                    day, to_date(standard.date_from)))
            standard._write_workflow(vals)
        return True

    @api.multi
    def action_new_version(self):
        """A changed standard is a new draft version that records the owner
        consultation before it can be approved."""
        self.ensure_one()
        if self.state not in (rules.PUBLISHED, rules.ACTIVE, rules.CLOSED):
            raise UserError(_(
                "Only a published, active or closed standard gets a new "
                "version; edit the draft instead."))
        latest = max(self.version, *(self.next_standard_ids.mapped("version")
                                     or [0]))
        new = self.copy({
            "name": self.name,
            "previous_standard_id": self.id,
            "version": latest + 1,
            "date_from": fields.Date.context_today(self),
            "date_to": False,
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.multi
    def action_view_consultations(self):
        self.ensure_one()
        action = self.env.ref(
            "property_billing.property_fee_consultation_action").read()[0]
        action["domain"] = [("standard_id", "=", self.id)]
        action["context"] = {"default_standard_id": self.id}
        return action

    @api.model
    def _cron_update_states(self, today=None):
        """Daily: published standards whose notice period is over and whose
        start has come become active; published or active standards whose end
        has passed are closed."""
        day = to_date(today or fields.Date.context_today(self))
        today_s = fields.Date.to_string(day)
        to_activate = self.search([
            ("state", "=", rules.PUBLISHED),
            ("billable_from", "<=", today_s),
            ("date_from", "<=", today_s),
        ])
        to_activate.sudo()._write_workflow({"state": rules.ACTIVE})
        to_close = self.search([
            ("state", "in", list(rules.BILLING_STATES)),
            ("date_to", "<", today_s),
        ])
        for standard in to_close.sudo():
            standard._write_workflow({"state": rules.CLOSED,
                                      "closed_date": today_s})
        return True

    # -- business methods used by billing ---------------------------------------

    @api.multi
    def _unit_types(self):
        """Set of unit type codes in scope; empty = every type."""
        self.ensure_one()
        return {code for code, name in UNIT_TYPE_FIELDS.items() if self[name]}

    @api.multi
    def _applies_to_unit(self, unit):
        """Whether ``unit`` (property.unit) is in this standard's scope."""
        self.ensure_one()
        if unit.estate_id != self.estate_id:
            return False
        return rules.in_scope(unit.building_id.id or None, unit.unit_type,
                              set(self.building_ids.ids), self._unit_types())

    @api.multi
    def _overlapping_standards(self):
        """Published or active standards of the same item and estate whose
        period and scope overlap this one's."""
        self.ensure_one()
        domain = [
            ("id", "!=", self.id),
            ("item_id", "=", self.item_id.id),
            ("estate_id", "=", self.estate_id.id),
            ("state", "in", list(rules.BILLING_STATES)),
            "|", ("date_to", "=", False), ("date_to", ">=", self.date_from),
        ]
        if self.date_to:
            domain.append(("date_from", "<=", self.date_to))
        candidates = self.search(domain)
        mine_b, mine_t = set(self.building_ids.ids), self._unit_types()
        return candidates.filtered(lambda other: rules.scopes_overlap(
            mine_b, mine_t, set(other.building_ids.ids), other._unit_types()))

    @api.model
    def _billable_standards(self, estate, date_from, date_to):
        """Standards of ``estate`` that may bill ``[date_from, date_to]``:
        published or active, effective on some day of the period, and whose
        ``billable_from`` is on or before ``date_from``."""
        start = fields.Date.to_string(to_date(date_from))
        end = fields.Date.to_string(to_date(date_to))
        return self.search([
            ("estate_id", "=", estate.id),
            ("state", "in", list(rules.BILLING_STATES)),
            ("date_from", "<=", end),
            "|", ("date_to", "=", False), ("date_to", ">=", start),
            ("billable_from", "!=", False),
            ("billable_from", "<=", start),
        ])

    @api.multi
    def _check_billable(self, date_from):
        """Raise a UserError when a period starting on ``date_from`` may not be
        billed with these standards (not published, or inside the notice
        period)."""
        day = to_date(date_from)
        for standard in self:
            if standard.state not in rules.BILLING_STATES:
                raise UserError(_(
                    "Fee standard %s is not published: it cannot bill.")
                    % standard.display_name)
            if not rules.is_billable(day, to_date(standard.billable_from)):
                raise UserError(_(
                    "Fee standard %(name)s was published on %(published)s and "
                    "may bill from %(billable)s only (notice period of "
                    "%(days)d days): the period starting %(start)s cannot be "
                    "billed with it.") % {
                        "name": standard.display_name,
                        "published": standard.publication_date,
                        "billable": standard.billable_from,
                        "days": standard.notice_days,
                        "start": fields.Date.to_string(day)})
        return True

    @api.multi
    def _effective_period(self, date_from, date_to):
        """(start, end) ``datetime.date`` of ``[date_from, date_to]`` covered by
        this standard, or None."""
        self.ensure_one()
        return rules.effective_period(
            to_date(self.date_from), to_date(self.date_to),
            to_date(date_from), to_date(date_to))

    @api.multi
    def _rules_tiers(self):
        tiers = self.tier_ids.sorted(lambda t: (not t.upto, t.upto, t.id))
        return tuple(fees.Tier(fees.to_decimal(t.upto) if t.upto else None,
                               fees.to_decimal(t.price)) for t in tiers)

    @api.multi
    def _rules_standard(self):
        """This standard as a ``rules.fees.Standard``."""
        self.ensure_one()
        return fees.Standard(
            method=self.item_id.method,
            rate=fees.to_decimal(self.rate),
            tiers=self._rules_tiers(),
            vacant_percent=(fees.to_decimal(self.vacant_percent)
                            if self.vacant_percent else None),
        )

    @api.multi
    def _rules_precision(self):
        """Rounding step of the lines as a ``Decimal`` (e.g. 0.01)."""
        self.ensure_one()
        return fees.to_decimal(self.rounding or self.currency_id.rounding
                               or 0.01).normalize()

    @api.multi
    def _preview_line(self):
        """``rules.fees.FeeLine`` for the sample unit of the form."""
        self.ensure_one()
        standard = self._rules_standard()
        labels = self.item_id._rules_labels()
        unit = fees.Unit("sample", fees.to_decimal(self.preview_area or 0),
                         self.preview_unit_state or "occupied")
        precision = self._rules_precision()
        if standard.method == fees.APPORTIONED:
            return None
        if standard.method == fees.METERED and not (standard.rate
                                                    or standard.tiers):
            return None
        return fees.line_amount(
            standard, unit, Decimal(max(self.preview_months, 0)),
            consumption=fees.to_decimal(self.preview_consumption or 0),
            billed_this_year=fees.to_decimal(self.preview_used or 0),
            precision=precision, labels=labels)

    @api.multi
    def _method_text(self):
        """The calculation method in words, for the notice."""
        self.ensure_one()
        item = self.item_id
        labels = item._rules_labels()
        rate = fees.format_number(fees.to_decimal(self.rate))
        if item.method == fees.PER_AREA:
            text = _("%(rate)s %(cur)s/m²/%(month)s × building area × months") % {
                "rate": rate, "cur": labels.currency, "month": labels.month}
        elif item.method == fees.FIXED:
            text = _("%(rate)s %(cur)s/%(each)s/%(month)s") % {
                "rate": rate, "cur": labels.currency, "each": labels.each,
                "month": labels.month}
        elif item.method == fees.METERED:
            if self.tier_ids:
                parts = []
                lower = Decimal(0)
                for tier in self._rules_tiers():
                    price = "%s %s/%s" % (fees.format_number(tier.price),
                                          labels.currency, labels.meter)
                    if tier.upto is None:
                        parts.append(_("above %(low)s %(uom)s: %(price)s") % {
                            "low": fees.format_number(lower, 0),
                            "uom": labels.meter, "price": price})
                    else:
                        parts.append(_("%(low)s–%(high)s %(uom)s: %(price)s") % {
                            "low": fees.format_number(lower, 0),
                            "high": fees.format_number(tier.upto, 0),
                            "uom": labels.meter, "price": price})
                        lower = tier.upto
                text = _("consumption × yearly tier price (%s)") % "; ".join(parts)
            else:
                text = _("consumption × %(rate)s %(cur)s/%(uom)s") % {
                    "rate": rate, "cur": labels.currency, "uom": labels.meter}
        else:
            bases = dict(item._fields["apportion_basis"]._description_selection(
                self.env))
            text = _("shared meter consumption × %(rate)s %(cur)s, split over "
                     "the units in scope (%(basis)s), remainders rounded so the "
                     "parts add up to the whole") % {
                         "rate": rate, "cur": labels.currency,
                         "basis": bases.get(item.apportion_basis, "")}
        if self.vacant_percent:
            text += _("; vacant units pay %s") % fees.format_percent(
                fees.to_decimal(self.vacant_percent))
        return text

    @api.multi
    def _notice_start(self):
        """First day announced on the notice: the later of the start and
        ``billable_from``."""
        self.ensure_one()
        start = to_date(self.date_from)
        billable = to_date(self.billable_from)
        return rules.notice_start(start, billable) if billable else start
