# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    property_advance_account_id = fields.Many2one(
        "account.account", string="Advance Receipts Account",
        domain="[('reconcile', '=', True), ('deprecated', '=', False), "
               "('internal_type', 'not in', ('receivable', 'payable')), "
               "('company_id', '=', id)]",
        help="Where money paid ahead by owners is kept (预收账款). Empty: "
             "it stays as a credit on the owner's receivable. Either way "
             "it pays the owner's next bills, oldest first.")
    property_advance_journal_id = fields.Many2one(
        "account.journal", string="Advance Credit Journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
        help="The miscellaneous journal of the entries that move advance "
             "credit to and from the advance receipts account. Empty: the "
             "company's first miscellaneous journal.")

    @api.constrains("property_advance_account_id")
    def _check_property_advance_account(self):
        for company in self:
            account = company.property_advance_account_id
            if not account:
                continue
            if account.company_id != company:
                raise ValidationError(_(
                    "The advance receipts account must belong to %s.")
                    % company.name)
            if not account.reconcile:
                raise ValidationError(_(
                    "The advance receipts account %s must allow "
                    "reconciliation: each credit is matched with the bills "
                    "it pays.") % account.display_name)
            if account.internal_type in ("receivable", "payable"):
                raise ValidationError(_(
                    "The advance receipts account cannot be a receivable or "
                    "payable account."))

    @api.constrains("property_advance_journal_id")
    def _check_property_advance_journal(self):
        for company in self:
            journal = company.property_advance_journal_id
            if journal and (journal.type != "general"
                            or journal.company_id != company):
                raise ValidationError(_(
                    "The advance credit journal must be a miscellaneous "
                    "journal of %s.") % company.name)
