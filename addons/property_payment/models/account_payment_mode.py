# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..rules import debit_files as rules

DEFAULT_TEMPLATE = "property_payment.property_debit_bank_template_default"
METHOD = "property_payment.account_payment_method_property_cn_debit"


class AccountPaymentMode(models.Model):
    _inherit = "account.payment.mode"

    property_debit_template_id = fields.Many2one(
        "property.debit.bank.template", string="Bank File Template",
        ondelete="restrict",
        help="Auto-debit (代扣): the layout of the bank's request and return "
             "files.")

    @api.model
    def _property_debit_mode(self, company):
        """The auto-debit payment mode of ``company``, created the first
        time: bound to the journal of the ``debit`` payment channel, with the
        default bank template, and without OCA's transfer entries
        (``generate_move`` off: the money is posted by the allocation
        service when the bank's return file confirms it).

        A private service: the caller checked that the user may build debit
        orders."""
        method = self.env.ref(METHOD)
        channel = self.env["property.payment.channel"]._get("debit", company)
        journal = channel.sudo().journal_id
        Mode = self.sudo().with_context(active_test=False)
        mode = Mode.search([
            ("payment_method_id", "=", method.id),
            ("company_id", "=", company.id),
            ("fixed_journal_id", "=", journal.id)], limit=1)
        if mode:
            if not mode.active:
                raise UserError(_(
                    "The auto-debit payment mode %s is archived.") % mode.name)
            return mode.sudo(self.env.uid)
        if method not in journal.inbound_payment_method_ids:
            journal.write({"inbound_payment_method_ids": [(4, method.id)]})
        template = self.env.ref(DEFAULT_TEMPLATE, raise_if_not_found=False)
        if not template or not template.active:
            template = self.env["property.debit.bank.template"].sudo().search(
                ["|", ("company_id", "=", company.id),
                 ("company_id", "=", False)], limit=1)
        mode = Mode.create({
            "name": _("Auto-debit (代扣)"),
            "company_id": company.id,
            "payment_method_id": method.id,
            "bank_account_link": "fixed",
            "fixed_journal_id": journal.id,
            "payment_order_ok": True,
            "default_payment_mode": "any",
            "default_invoice": True,
            "default_target_move": "posted",
            "default_date_type": "due",
            "default_date_prefered": "due",
            "group_lines": True,
            "generate_move": False,
            "offsetting_account": False,
            "move_option": False,
            "property_debit_template_id": template.id,
        })
        return mode.sudo(self.env.uid)

    @api.multi
    def _property_is_debit(self):
        self.ensure_one()
        return self.payment_method_id.code == rules.METHOD_CODE
