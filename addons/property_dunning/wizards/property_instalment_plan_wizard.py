# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Agreeing an instalment plan with an owner (分期协议), and cancelling one.

The screens are TransientModels, which have no access rights of their own:
each refuses anyone but billing staff in ``check_access_rights``, and its
actions check the user's group again before the plan's service writes."""
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.property_instalment_plan import (ACCEPTANCE_CHANNELS,
                                               USER_GROUP)
from ..rules import instalments as rules

MODES = [
    ("monthly", "Monthly instalments"),
    ("custom", "Dates and amounts of my own"),
]


class PropertyInstalmentPlanAccessMixin(models.AbstractModel):
    """What the plan screens share: only billing staff use them."""

    _name = "property.instalment.plan.access.mixin"
    _description = "Instalment plan screens access"

    @api.model
    def _check_billing_user(self):
        if not self.env.user.has_group(USER_GROUP):
            raise AccessError(_(
                "Only billing staff act on instalment plans."))

    @api.model
    def check_access_rights(self, operation, raise_exception=True):
        # A TransientModel is open to every user: these screens are not.
        if self.env.uid != SUPERUSER_ID:
            try:
                self._check_billing_user()
            except AccessError:
                if raise_exception:
                    raise
                return False
        return super().check_access_rights(
            operation, raise_exception=raise_exception)


class PropertyInstalmentPlanWizard(models.TransientModel):
    _name = "property.instalment.plan.wizard"
    _inherit = "property.instalment.plan.access.mixin"
    _description = "New Instalment Plan"

    partner_id = fields.Many2one("res.partner", string="Payer", required=True)
    estate_id = fields.Many2one("property.estate", required=True)
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.user.company_id.currency_id)
    invoice_ids = fields.Many2many(
        "account.invoice", "property_instalment_plan_wizard_invoice_rel",
        "wizard_id", "invoice_id", string="Overdue Bills",
        domain="[('type', '=', 'out_invoice'), ('state', '=', 'open'), "
               "('commercial_partner_id', '=', partner_id), "
               "('property_estate_id', '=', estate_id)]")
    total = fields.Monetary(compute="_compute_total",
                            help="What the chosen bills owe now.")
    mode = fields.Selection(MODES, string="Instalments", required=True,
                            default="monthly")
    count = fields.Integer(string="Number of Instalments", default=3)
    first_due = fields.Date(string="First Due on")
    line_ids = fields.One2many(
        "property.instalment.plan.wizard.line", "wizard_id",
        string="Instalments of My Own",
        help="Due dates and amounts; leave every amount at zero to split "
             "the total equally over the dates.")
    accepted_channel = fields.Selection(
        ACCEPTANCE_CHANNELS, string="Accepted", required=True,
        default="phone", help="How the owner accepted the plan.")
    accepted_on = fields.Date(
        string="Accepted on", required=True,
        default=lambda self: fields.Date.context_today(self))
    grace_days = fields.Integer(
        default=3, help="Days after a due date by which paying still keeps "
                        "the plan.")
    note = fields.Text(string="Notes")
    preview = fields.Text(compute="_compute_preview", string="Plan")

    @api.model
    def default_get(self, fields_list):
        self._check_billing_user()
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "property.dunning.payer" and \
                context.get("active_id"):
            payer = self.env["property.dunning.payer"].browse(
                context["active_id"])
            values.update(partner_id=payer.partner_id.id,
                          estate_id=payer.estate_id.id)
        if values.get("partner_id") and values.get("estate_id") and \
                "invoice_ids" in fields_list and not values.get("invoice_ids"):
            values["invoice_ids"] = [(6, 0, self._overdue_bills(
                self.env["res.partner"].browse(values["partner_id"]),
                self.env["property.estate"].browse(values["estate_id"]),
                values.get("accepted_on")).ids)]
        return values

    @api.depends("invoice_ids")
    def _compute_total(self):
        for wizard in self:
            wizard.total = sum(wizard.invoice_ids.mapped("residual"))

    @api.depends("invoice_ids", "mode", "count", "first_due", "accepted_on",
                 "line_ids.date_due", "line_ids.amount")
    def _compute_preview(self):
        for wizard in self:
            try:
                instalments = rules.split(**wizard._split_arguments())
            except rules.InstalmentRuleError as error:
                wizard.preview = self.env[
                    "property.instalment.plan"]._rule_message(error)
                continue
            except (TypeError, ValueError):
                wizard.preview = False
                continue
            wizard.preview = "\n".join(
                "%s. %s  %.2f" % (i.number, i.due, i.amount)
                for i in instalments)

    @api.onchange("partner_id", "estate_id")
    def _onchange_payer(self):
        if self.partner_id and self.estate_id:
            self.invoice_ids = self._overdue_bills(
                self.partner_id, self.estate_id, self.accepted_on)
        else:
            self.invoice_ids = False

    @api.model
    def _overdue_bills(self, partner, estate, day=None):
        """The payer's open bills in the estate past their due date on
        ``day`` (default today), oldest first."""
        day = day or fields.Date.context_today(self)
        return self.env["account.invoice"].search([
            ("type", "=", "out_invoice"), ("state", "=", "open"),
            ("residual", ">", 0),
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("property_estate_id", "=", estate.id),
            ("date_due", "<", day)], order="date_due, id")

    def _split_arguments(self):
        """The arguments of ``rules.instalments.split`` for the screen."""
        from_string = fields.Date.from_string
        arguments = {
            "total": self.currency_id.round(self.total) if self.currency_id
            else self.total,
            "start": from_string(self.accepted_on),
        }
        if self.mode == "custom":
            lines = self.line_ids.sorted(
                lambda line: (line.date_due or "", line.id))
            lines = lines.filtered("date_due")
            arguments["dates"] = [from_string(line.date_due) for line in lines]
            if any(lines.mapped("amount")):
                arguments["amounts"] = lines.mapped("amount")
        else:
            arguments.update(count=self.count,
                             first_due=from_string(self.first_due)
                             if self.first_due else None)
        return arguments

    @api.multi
    def action_create(self):
        """Make the plan as agreed (a draft to activate) and show it."""
        self.ensure_one()
        self._check_billing_user()
        if self.mode == "custom":
            lines = self.line_ids.sorted(
                lambda line: (line.date_due or "", line.id))
            if not lines or not all(lines.mapped("date_due")):
                raise UserError(_("Give each instalment its due date."))
            dates = lines.mapped("date_due")
            amounts = lines.mapped("amount") if any(
                lines.mapped("amount")) else None
            count = first_due = None
        else:
            if not self.first_due:
                raise UserError(_("Give the first instalment's due date."))
            dates = amounts = None
            count, first_due = self.count, self.first_due
        plan = self.env["property.instalment.plan"]._make(
            self.partner_id, self.estate_id, self.invoice_ids,
            self.accepted_channel, self.accepted_on, count=count,
            first_due=first_due, dates=dates, amounts=amounts,
            grace_days=self.grace_days, note=self.note)
        return {
            "type": "ir.actions.act_window",
            "name": _("Instalment Plan"),
            "res_model": "property.instalment.plan",
            "res_id": plan.id,
            "view_mode": "form",
            "target": "current",
        }


class PropertyInstalmentPlanWizardLine(models.TransientModel):
    _name = "property.instalment.plan.wizard.line"
    _inherit = "property.instalment.plan.access.mixin"
    _description = "New Instalment Plan: instalment"
    _order = "date_due, id"

    wizard_id = fields.Many2one(
        "property.instalment.plan.wizard", required=True, ondelete="cascade")
    date_due = fields.Date(string="Due", required=True)
    currency_id = fields.Many2one(related="wizard_id.currency_id",
                                  readonly=True)
    amount = fields.Monetary()


class PropertyInstalmentPlanCancel(models.TransientModel):
    _name = "property.instalment.plan.cancel"
    _inherit = "property.instalment.plan.access.mixin"
    _description = "Cancel an Instalment Plan"

    plan_id = fields.Many2one(
        "property.instalment.plan", required=True, ondelete="cascade")
    reason = fields.Char(required=True)

    @api.multi
    def action_confirm(self):
        """Cancel the plan with the reason given (a manager's act once the
        plan is active)."""
        self.ensure_one()
        self._check_billing_user()
        self.plan_id._cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
