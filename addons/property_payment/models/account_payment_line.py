# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError


class AccountPaymentLine(models.Model):
    """The bills of an auto-debit order change only while it is a draft: the
    confirmed order's bank lines, the request file and the bank's answer are
    made from them."""

    _inherit = "account.payment.line"

    @api.model
    def create(self, vals):
        order = self.env["account.payment.order"].browse(vals.get("order_id"))
        if order.property_is_debit and order.state != "draft":
            raise UserError(self._property_locked_message(order))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._property_check_draft()
        if vals.get("order_id"):
            order = self.env["account.payment.order"].browse(vals["order_id"])
            if order.property_is_debit and order.state != "draft":
                raise UserError(self._property_locked_message(order))
        return super().write(vals)

    @api.multi
    def unlink(self):
        self._property_check_draft()
        return super().unlink()

    @api.multi
    def _property_check_draft(self):
        for order in self.mapped("order_id"):
            if order.property_is_debit and order.state != "draft":
                raise UserError(self._property_locked_message(order))

    @api.model
    def _property_locked_message(self, order):
        return _(
            "Debit order %s is confirmed: its lines no longer change (reset "
            "it to draft before the file is sent to the bank).") % order.name
