# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The log of advance credit (预存明细): where each credit came from and
which bills it paid.

Written only by the allocation service (``_keep_advance`` when a payment
leaves credit, ``_apply_advance`` when credit pays a bill, ``_void_advance``
when the receipt is voided). The accounting itself is Odoo's: the payment,
the reconciliations and, with an advance receipts account, the entries in
``move_id``; the log lets the accountant follow one credit through them.
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class PropertyAdvanceEntry(models.Model):
    _name = "property.advance.entry"
    _description = "Advance Credit Entry"
    _order = "date desc, id desc"

    kind = fields.Selection(
        [("kept", "Credit Kept"), ("applied", "Applied to Bill")],
        required=True, readonly=True, index=True)
    mode = fields.Selection(
        [("receivable", "On the Receivable"),
         ("account", "On the Advance Receipts Account")],
        required=True, readonly=True,
        help="Where the credit is kept: as a credit on the owner's receivable "
             "or on the advance receipts account (预收账款).")
    state = fields.Selection(
        [("done", "Done"), ("reversed", "Reversed")], default="done",
        required=True, readonly=True, index=True,
        help="Reversed: the receipt that brought the credit was voided.")
    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Payer", required=True, readonly=True,
        index=True, ondelete="restrict")
    amount = fields.Monetary(required=True, readonly=True)
    receipt_id = fields.Many2one(
        "property.receipt", readonly=True, index=True, ondelete="restrict",
        help="The receipt of the payment the credit came from.")
    invoice_id = fields.Many2one(
        "account.invoice", string="Bill", readonly=True, index=True,
        ondelete="restrict", help="The bill the credit paid.")
    credit_line_id = fields.Many2one(
        "account.move.line", string="Credit Item", readonly=True, index=True,
        ondelete="restrict",
        help="The journal item holding the credit: the payment's receivable "
             "line or the credit on the advance receipts account.")
    move_id = fields.Many2one(
        "account.move", string="Journal Entry", readonly=True,
        ondelete="restrict",
        help="The entry moving the credit to or from the advance receipts "
             "account.")
    reversal_move_id = fields.Many2one(
        "account.move", string="Reversal Entry", readonly=True,
        ondelete="restrict")

    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        raise AccessError(_(
            "Advance credit entries are written by the payment service."))

    @api.model
    def _create_service(self, vals):
        """``create`` for the payment service: the only way in."""
        # pylint: disable=super-method-mismatch
        return super(PropertyAdvanceEntry, self).create(vals)

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        self.check_access_rights("write")
        raise UserError(_(
            "An advance credit entry is never edited: void the receipt "
            "instead."))

    @api.multi
    def _write_service(self, vals):
        """``write`` for the payment service (voiding a receipt)."""
        # pylint: disable=super-method-mismatch
        return super(PropertyAdvanceEntry, self).write(vals)

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        self.check_access_rights("unlink")
        raise UserError(_("An advance credit entry is never deleted."))
