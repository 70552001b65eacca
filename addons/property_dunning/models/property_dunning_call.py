# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The outcome of a dunning phone call (电话沟通记录).

One record per call made on a step of a phone-call level: not reached on
Monday, reached on Tuesday are two records. Each keeps who called and when,
whether the payer was reached, the reason for non-payment (a fixed
taxonomy, for the effectiveness analysis), the notes, the promise to pay
and the complaint or bill question it opened. Records are evidence (of a
legal case too): written by the call outcome wizard only, never changed,
never deleted."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.property_billing.rules.constants import DEFAULT_TZ

# The reasons for non-payment a clerk records (欠费原因).
HARDSHIP = "hardship"
DISSATISFIED = "dissatisfied"
DISPUTES = "disputes"
VACANT = "vacant"
UNREACHABLE = "unreachable"
REFUSES = "refuses"
OTHER = "other"
REASONS = [
    (HARDSHIP, "Financial hardship"),
    (DISSATISFIED, "Dissatisfied with the service"),
    (DISPUTES, "Disputes the bill"),
    (VACANT, "Unit vacant"),
    (UNREACHABLE, "Unreachable"),
    (REFUSES, "Refuses to pay"),
    (OTHER, "Other"),
]
# What can be learnt without reaching the payer (from a neighbour, the
# caretaker): the other reasons need the payer on the phone.
NOT_REACHED_REASONS = (UNREACHABLE, VACANT, OTHER)
_SERVICE = object()


def estate_today(record, estate):
    """Today in ``estate``'s timezone (the day the daily run sees), as the
    string Odoo 11 dates are."""
    return fields.Date.context_today(
        record.with_context(tz=estate.tz or DEFAULT_TZ))


class PropertyDunningCall(models.Model):
    _name = "property.dunning.call"
    _description = "Dunning Call Outcome"
    _order = "date desc, id desc"
    _rec_name = "step_id"

    step_id = fields.Many2one(
        "property.dunning.step", required=True, readonly=True,
        index=True, ondelete="restrict")
    payer_id = fields.Many2one(
        related="step_id.payer_id", store=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        related="step_id.partner_id", string="Payer", store=True,
        readonly=True, index=True)
    estate_id = fields.Many2one(
        related="step_id.estate_id", store=True, readonly=True, index=True)
    company_id = fields.Many2one(
        related="step_id.company_id", store=True, readonly=True, index=True)
    level_id = fields.Many2one(
        related="step_id.level_id", store=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Called by", required=True, readonly=True)
    date = fields.Datetime(string="Called on", required=True, readonly=True)
    reached = fields.Boolean(readonly=True)
    reason = fields.Selection(
        REASONS, string="Reason for Non-payment", required=True,
        readonly=True, index=True)
    notes = fields.Text(readonly=True)
    promise_date = fields.Date(string="Promised to Pay by", readonly=True)
    complaint_id = fields.Many2one(
        "property.complaint", readonly=True,
        ondelete="set null",
        help="The complaint the payer's dissatisfaction was recorded as (or "
             "linked to): the bills pause while it is open.")
    question_id = fields.Many2one(
        "property.bill.question", string="Bill Question", readonly=True,
        ondelete="set null",
        help="The question opened on the bill the payer disputes.")

    @api.model
    def create(self, vals):
        if self.env.context.get("property_dunning_service") is not _SERVICE:
            self.check_access_rights("create")
            raise UserError(_(
                "Call outcomes are recorded with the step's Record Call "
                "Outcome form."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if self.env.context.get("property_dunning_service") is not _SERVICE:
            self.check_access_rights("write")
            raise UserError(_(
                "A call outcome is on record as it was taken: record a new "
                "call instead."))
        return super().write(vals)

    @api.multi
    def unlink(self):
        # pylint: disable=method-required-super
        self.check_access_rights("unlink")
        raise AccessError(_("A call outcome is never deleted."))

    @api.model
    def _create_service(self, vals):
        """Record a call (the wizard, after its checks)."""
        return self.sudo().with_context(
            property_dunning_service=_SERVICE).create(vals)

    @api.multi
    def name_get(self):
        labels = dict(self._fields["reason"]._description_selection(self.env))
        return [(call.id, "%s · %s" % (call.step_id.name or "",
                                       labels.get(call.reason, "")))
                for call in self]
