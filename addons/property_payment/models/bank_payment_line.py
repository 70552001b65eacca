# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..rules import debit_files as rules

# What the request file wrote and the bank answered: written by the request
# file and the return import only.
DEBIT_FIELDS = frozenset([
    "property_debit_seq", "property_debit_agreement", "property_debit_amount",
    "property_debit_state", "property_debit_code", "property_debit_reason",
    "property_debit_date", "property_debit_serial", "property_receipt_id",
])


class BankPaymentLine(models.Model):
    """A line of an auto-debit request file (one payer, one amount), and the
    bank's answer to it."""

    _inherit = "bank.payment.line"

    property_debit_seq = fields.Integer(
        string="Sequence in the File", readonly=True, copy=False)
    property_debit_agreement = fields.Char(
        string="Agreement Number", readonly=True, copy=False,
        help="The mandate's reference (协议号) written in the request file.")
    property_debit_amount = fields.Monetary(
        string="Amount Requested", readonly=True, copy=False,
        currency_field="currency_id")
    property_debit_state = fields.Selection(
        rules.LINE_STATES, string="Debit Result", readonly=True, copy=False)
    property_debit_code = fields.Char(
        string="Bank Result Code", readonly=True, copy=False)
    property_debit_reason = fields.Char(
        string="Bank Reason", readonly=True, copy=False)
    property_debit_date = fields.Date(
        string="Debit Date", readonly=True, copy=False)
    property_debit_serial = fields.Char(
        string="Bank Serial Number", readonly=True, copy=False,
        help="The bank's serial number of the debit (流水号).")
    property_receipt_id = fields.Many2one(
        "property.receipt", string="Receipt", readonly=True, copy=False)

    @api.multi
    def write(self, vals):
        self.check_access_rights("write")
        if DEBIT_FIELDS.intersection(vals):
            raise UserError(_(
                "The result of an auto-debit line is written by the bank's "
                "return file only."))
        return super().write(vals)

    @api.multi
    def unlink(self):
        self.check_access_rights("unlink")
        if self.filtered(lambda line: line.property_debit_state in (
                rules.LINE_PAID, rules.LINE_FAILED)):
            raise UserError(_(
                "An auto-debit line the bank answered cannot be deleted."))
        return super().unlink()

    @api.multi
    def _property_write_debit(self, vals):
        """``write`` for the request file and the return import, after their
        own checks: the only way the debit fields change."""
        # pylint: disable=super-method-mismatch
        return super(BankPaymentLine, self).write(vals)

    @api.multi
    def _property_invoices(self):
        """The bills this line debits."""
        return self.mapped("payment_line_ids.move_line_id.invoice_id")
