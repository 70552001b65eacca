# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class PropertyStatementLineMatch(models.TransientModel):
    """Match one waiting bank transfer by hand: choose the payer and,
    optionally, the bills; the allocation service pays them."""

    _name = "property.statement.line.match"
    _description = "Match a Bank Transfer"

    line_id = fields.Many2one(
        "account.bank.statement.line", string="Bank Transfer", required=True,
        readonly=True, ondelete="cascade")
    date = fields.Date(related="line_id.date", readonly=True)
    amount = fields.Monetary(related="line_id.amount", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", related="line_id.journal_currency_id", readonly=True)
    memo = fields.Char(related="line_id.name", readonly=True)
    counterparty = fields.Char(related="line_id.partner_name", readonly=True)
    counterparty_account = fields.Char(
        related="line_id.property_counterparty_account", readonly=True)
    reason = fields.Text(related="line_id.property_match_reason",
                         readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Payer", required=True,
        domain=[("parent_id", "=", False)])
    invoice_ids = fields.Many2many(
        "account.invoice", string="Bills",
        domain="[('commercial_partner_id', '=', partner_id), "
               "('state', '=', 'open'), ('type', '=', 'out_invoice')]",
        help="The bills this transfer pays, oldest first. Empty: the payer's "
             "open bills oldest first; anything left is advance credit.")

    @api.model
    def create(self, vals):
        # a wizard has no access rights: only matchers make one (its
        # Many2one would show a transfer's name to anyone)
        self.env["account.bank.statement.line"]._property_check_matcher()
        return super().create(vals)

    @api.model
    def default_get(self, fields_list):
        self.env["account.bank.statement.line"]._property_check_matcher()
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "account.bank.statement.line" \
                and context.get("active_id") and "line_id" in fields_list:
            values["line_id"] = context["active_id"]
        return values

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        self.invoice_ids = self.invoice_ids.filtered(
            lambda bill: bill.commercial_partner_id
            == self.partner_id.commercial_partner_id)

    @api.multi
    def action_match(self):
        """Pay the transfer from the chosen payer; returns the receipt."""
        Line = self.env["account.bank.statement.line"]
        Line._property_check_matcher()
        self.ensure_one()
        self.line_id.check_access_rights("read")
        self.line_id.check_access_rule("read")
        # cashiers read statement lines but do not write them: the line is
        # reconciled and written as superuser once the user is known to be
        # a matcher who may read it
        line = self.line_id.sudo()
        receipt = line.property_receipt_id
        if line.journal_entry_ids or (receipt and receipt.state != "void"):
            raise UserError(_(
                "Bank transfer %(line)s is matched already (receipt "
                "%(receipt)s).") % {
                    "line": line.name, "receipt": receipt.name or "-"})
        if line.property_match_state == "ignored" or line.amount <= 0:
            raise UserError(_(
                "Bank statement line %s is money out of the account: it is "
                "not a payment.") % line.name)
        invoices = self.invoice_ids.sorted(lambda bill: (
            bill.date_due or "9999", bill.date_invoice or "9999",
            bill.number or "", bill.id))
        receipt = self.env["property.payment.service"]._pay(
            self.partner_id, line.amount, "transfer",
            invoices=invoices or None, date=line.date,
            serial=line.property_serial or line.ref or None,
            reference=line.ref or None, statement_line=line)
        line._property_write_match(
            "matched", "manual", {"user": self.env.user.name},
            receipt=receipt, partner=self.partner_id.commercial_partner_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "property.receipt",
            "res_id": receipt.id,
            "view_mode": "form",
            "target": "current",
        }
