# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where a payer stands in the dunning of one estate (催缴状态).

One record per payer and estate, kept by the daily run: the level reached,
the last step, and why the last run took no step (shown to staff). Staff
hold a payer, move one to a level by hand, note a promise to pay; a manager
writes arrears off. Those changes go through the wizards' checks: the fields
below are written by the service only (``write`` refuses the others)."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..rules import dunning as rules
from ..rules import limitation as limitation_rules

DECISIONS = [
    ("step", "Step taken"),
    (rules.HELD, "On hold"),
    (rules.NOTHING_OVERDUE, "Nothing overdue"),
    (rules.ALL_DISPUTED, "Every overdue bill is disputed"),
    (rules.ALL_IN_PLAN, "In an instalment plan in good standing"),
    (rules.PROMISED, "Promised to pay"),
    (rules.MIN_INTERVAL, "Too soon after the last step"),
    (rules.NOT_DUE, "Next level not due yet"),
    (rules.TOP_LEVEL, "At the last level"),
    (rules.QUIET_HOURS, "SMS quiet hours"),
    (rules.UNREACHABLE, "Unreachable"),
]
LIMITATION_STATES = [
    (limitation_rules.RUNNING, "Running"),
    (limitation_rules.WARN, "Runs out soon"),
    (limitation_rules.EXPIRED, "Run out"),
]
# What a caller may change directly: the chatter.
CHATTER_PREFIXES = ("message_", "activity_", "website_message_")
_SERVICE = object()


class PropertyDunningPayer(models.Model):
    _name = "property.dunning.payer"
    _inherit = ["mail.thread"]
    _description = "Payer Dunning Status"
    _order = "estate_id, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Payer", required=True, index=True,
        readonly=True, ondelete="restrict")
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True, readonly=True,
        ondelete="restrict")
    company_id = fields.Many2one(
        related="estate_id.company_id", store=True, readonly=True, index=True)
    policy_id = fields.Many2one(
        "property.dunning.policy", readonly=True, ondelete="set null")
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    step_ids = fields.One2many(
        "property.dunning.step", "payer_id", string="Steps", readonly=True)
    last_step_id = fields.Many2one(
        "property.dunning.step", readonly=True, ondelete="set null")
    level_id = fields.Many2one(
        "property.dunning.level", string="Level Reached", readonly=True,
        ondelete="set null",
        help="The level of the last step, or the one staff moved the payer "
             "to.")
    held = fields.Boolean(
        string="On Hold", readonly=True, track_visibility="onchange")
    hold_reason = fields.Char(readonly=True, track_visibility="onchange")
    promise_date = fields.Date(
        string="Promised to Pay by", readonly=True,
        track_visibility="onchange")
    manual_level_id = fields.Many2one(
        "property.dunning.level", string="Moved to Level", readonly=True,
        ondelete="set null")
    manual_date = fields.Date(string="Moved on", readonly=True)
    manual_reason = fields.Char(string="Reason of the Move", readonly=True)
    decision = fields.Selection(
        DECISIONS, string="Last Run", readonly=True, index=True)
    decision_note = fields.Char(string="Details", readonly=True)
    decision_date = fields.Date(string="Last Run on", readonly=True)
    overdue_amount = fields.Monetary(
        string="Overdue", readonly=True,
        help="What the payer owed past due at the last run.")
    overdue_count = fields.Integer(string="Overdue Bills", readonly=True)
    oldest_due = fields.Date(string="Oldest Due Date", readonly=True)
    limitation_expiry = fields.Date(
        string="Limitation Runs Out", readonly=True, index=True,
        help="The day the 3-year limitation period (民法典 §188) of the "
             "payer's oldest arrears runs out, each documented demand "
             "restarting it (§195).")
    limitation_state = fields.Selection(
        LIMITATION_STATES, string="Limitation", readonly=True, index=True)

    _sql_constraints = [
        ("partner_estate_uniq", "unique(partner_id, estate_id)",
         "A payer has one dunning status per estate."),
    ]

    @api.model
    def create(self, vals):
        if self.env.context.get("property_dunning_service") is not _SERVICE:
            self.check_access_rights("create")
            raise UserError(_(
                "Dunning statuses are kept by the daily run; they are not "
                "created by hand."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if self.env.context.get("property_dunning_service") is not _SERVICE:
            locked = [name for name in vals
                      if not name.startswith(CHATTER_PREFIXES)]
            if locked:
                self.check_access_rights("write")
                raise UserError(_(
                    "A payer's dunning status changes through its actions "
                    "(hold, move to a level, promise to pay), which keep "
                    "the reason."))
        return super().write(vals)

    @api.multi
    def unlink(self):
        # pylint: disable=method-required-super
        self.check_access_rights("unlink")
        raise UserError(_("A payer's dunning status is never deleted."))

    @api.model
    def _service(self):
        """The model for the dunning service's own writes (after its
        checks)."""
        return self.sudo().with_context(property_dunning_service=_SERVICE)

    @api.model
    def _ensure(self, pairs):
        """The statuses of (partner id, estate id) ``pairs``, created when
        missing; a dict pair → record (sudo)."""
        service = self._service()
        pairs = set(pairs)
        found = {}
        if pairs:
            partners = list({p for p, e in pairs})
            estates = list({e for p, e in pairs})
            self.env.cr.execute("""
                SELECT id, partner_id, estate_id FROM property_dunning_payer
                 WHERE partner_id = ANY(%s) AND estate_id = ANY(%s)""",
                                (partners, estates))
            for rid, partner, estate in self.env.cr.fetchall():
                if (partner, estate) in pairs:
                    found[(partner, estate)] = rid
        missing = sorted(pairs - set(found))
        if missing:
            # the payer's create refuses callers; this is the service's own
            created = self.env["property.bulk.insert"]._create_records(
                service, [{"partner_id": partner, "estate_id": estate}
                          for partner, estate in missing],
                shared_defaults=True)
            for record, pair in zip(created, missing):
                found[pair] = record.id
        # one recordset, so that the statuses read their fields together
        records = {record.id: record
                   for record in service.browse(list(found.values()))}
        return {pair: records[rid] for pair, rid in found.items()}

    # -- actions (through wizards, which check the reason) -------------------

    @api.multi
    def action_view_steps(self):
        self.ensure_one()
        action = self.env.ref(
            "property_dunning.property_dunning_step_action").read()[0]
        action["domain"] = [("payer_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.multi
    def _refresh_last_step(self):
        """The last step not cancelled, and its level, after a cancellation."""
        for payer in self:
            step = self.env["property.dunning.step"].sudo().search([
                ("payer_id", "=", payer.id), ("state", "!=", "cancel")],
                order="date desc, id desc", limit=1)
            payer._service().browse(payer.id).write({
                "last_step_id": step.id or False,
                "level_id": step.level_id.id or False})
