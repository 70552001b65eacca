# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Advance credit (预存) per payer and in total at a date, for accountants
and billing managers."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

REPORT_GROUPS = ("account.group_account_user",
                 "property_billing.group_billing_manager")


class PropertyAdvanceReport(models.TransientModel):
    _name = "property.advance.report"
    _description = "Advance Credit Balances"

    date = fields.Date(
        required=True, default=fields.Date.context_today,
        help="The balances at the end of this day.")
    company_id = fields.Many2one(
        "res.company", required=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True)
    line_ids = fields.One2many(
        "property.advance.report.line", "report_id", readonly=True)
    total = fields.Monetary(
        string="Total Advance Credit", readonly=True)

    @api.model
    def _check_report_access(self):
        if not any(self.env.user.has_group(group) for group in REPORT_GROUPS):
            raise AccessError(_(
                "Only accountants and billing managers see the advance "
                "credit balances."))

    @api.model
    def create(self, vals):
        self._check_report_access()
        return super().create(vals)

    @api.multi
    def action_open(self):
        """Compute the balances at the report's date and list them."""
        self._check_report_access()
        self.ensure_one()
        self._compute_lines()
        action = self.env.ref(
            "property_payment.property_advance_report_line_action").read()[0]
        action["domain"] = [("report_id", "=", self.id)]
        action["display_name"] = action["name"] = _(
            "Advance Credit at %s") % self.date
        return action

    @api.multi
    def _compute_lines(self):
        self.ensure_one()
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(_("You cannot see the books of %s.")
                              % self.company_id.name)
        balances = self.env["property.payment.service"]._advance_balances(
            self.company_id, date=self.date)
        self.line_ids.unlink()
        Line = self.env["property.advance.report.line"]
        total = 0.0
        for partner_id, (receivable, on_account) in sorted(balances.items()):
            Line.create({
                "report_id": self.id, "partner_id": partner_id,
                "receivable_credit": receivable,
                "account_credit": on_account,
                "balance": receivable + on_account,
            })
            total += receivable + on_account
        self.total = self.currency_id.round(total)
        return balances


class PropertyAdvanceReportLine(models.TransientModel):
    _name = "property.advance.report.line"
    _description = "Advance Credit Balance"
    _order = "balance desc, id"

    report_id = fields.Many2one(
        "property.advance.report", required=True, ondelete="cascade",
        index=True)
    date = fields.Date(related="report_id.date", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", related="report_id.currency_id", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Payer", readonly=True)
    receivable_credit = fields.Monetary(
        string="On the Receivable", readonly=True,
        help="Credit left on the payer's receivable (overpayments).")
    account_credit = fields.Monetary(
        string="On the Advance Account", readonly=True,
        help="The payer's credit balance on the advance receipts account "
             "(预收账款).")
    balance = fields.Monetary(string="Advance Credit", readonly=True)

    @api.model
    def create(self, vals):
        # the payer's name is read with sudo: lines are the report's only
        self.env["property.advance.report"]._check_report_access()
        return super().create(vals)
