# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Receipts (收据): one per payment, on every channel.

- Numbered without gaps per estate, when written by the allocation service
  (``property.payment.service._pay``): the only way a receipt is created.
- Never deleted and never edited: a manager voids it with a reason
  (``action_void``), which reverses its payment; both stay visible.
"""
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..rules.amount_words import amount_to_chinese_upper
from ..rules.channels import CHANNEL_CODES

# What a caller may still change on a receipt: its chatter. (The print count
# is kept by the report, in SQL, after its rights check.)
EDITABLE_FIELDS = frozenset()
CHATTER_PREFIXES = ("message_", "activity_", "website_message_")


class PropertyReceiptWritten(models.AbstractModel):
    """Receipts and their lines: created by the allocation service only."""

    _name = "property.receipt.written"
    _description = "Written by the Payment Service"

    @api.model
    def create(self, vals):
        # pylint: disable=method-required-super
        raise AccessError(_(
            "Receipts are written when a payment is taken; they cannot be "
            "created by hand."))

    @api.model
    def _create_service(self, vals):
        """``create`` for the allocation service: the only way in."""
        # pylint: disable=super-method-mismatch
        return super(PropertyReceiptWritten, self).create(vals)


class PropertyReceipt(models.Model):
    _name = "property.receipt"
    _inherit = ["property.receipt.written", "mail.thread"]
    _description = "Receipt"
    _order = "date desc, id desc"

    _sql_constraints = [
        ("name_estate_uniq", "unique(estate_id, name)",
         "A receipt number is used once per estate."),
    ]

    name = fields.Char(string="Number", readonly=True, index=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True)
    estate_id = fields.Many2one(
        "property.estate", required=True, readonly=True, index=True,
        ondelete="restrict")
    partner_id = fields.Many2one(
        "res.partner", string="Payer", required=True, readonly=True,
        index=True, ondelete="restrict")
    unit_ids = fields.Many2many(
        "property.unit", string="Units", compute="_compute_unit_ids",
        store=True, readonly=True)
    date = fields.Date(required=True, readonly=True, index=True)
    channel_id = fields.Many2one(
        "property.payment.channel", required=True, readonly=True,
        ondelete="restrict")
    channel_code = fields.Selection(
        CHANNEL_CODES, related="channel_id.code", store=True, readonly=True,
        string="Channel Code")
    serial = fields.Char(
        string="Serial Number", readonly=True, index=True,
        help="The bank's or the payment gateway's serial number of the "
             "payment (流水号).")
    reference = fields.Char(readonly=True)
    cashier_id = fields.Many2one(
        "res.users", required=True, readonly=True,
        index=True, ondelete="restrict")
    payment_id = fields.Many2one(
        "account.payment", readonly=True, index=True, ondelete="restrict")
    statement_line_id = fields.Many2one(
        "account.bank.statement.line", readonly=True, index=True,
        ondelete="restrict")
    currency_id = fields.Many2one(
        "res.currency", required=True, readonly=True)
    amount = fields.Monetary(readonly=True, help="The amount received.")
    allocated_amount = fields.Monetary(
        string="Paid on Bills", readonly=True)
    advance_amount = fields.Monetary(
        string="Advance Credit", readonly=True,
        help="What the bills did not take: kept as the payer's credit (预存) "
             "and applied to the next bills.")
    tendered_amount = fields.Monetary(
        string="Cash Tendered", readonly=True)
    change_amount = fields.Monetary(string="Change", readonly=True)
    amount_words = fields.Char(
        string="Amount in Words", compute="_compute_amount_words",
        help="The total in Chinese capitals (大写金额).")
    line_ids = fields.One2many(
        "property.receipt.line", "receipt_id", readonly=True, copy=False)
    note = fields.Text(readonly=True)
    state = fields.Selection(
        [("posted", "Posted"), ("void", "Void")], default="posted",
        required=True, readonly=True, index=True, track_visibility="onchange")
    void_reason = fields.Text(readonly=True)
    void_date = fields.Date(readonly=True)
    void_uid = fields.Many2one("res.users", string="Voided by", readonly=True)
    reversal_move_id = fields.Many2one(
        "account.move", string="Reversal Entry", readonly=True)
    print_count = fields.Integer(readonly=True, copy=False)

    @api.depends("line_ids.unit_id")
    def _compute_unit_ids(self):
        for receipt in self:
            receipt.unit_ids = receipt.line_ids.mapped("unit_id")

    @api.depends("amount")
    def _compute_amount_words(self):
        for receipt in self:
            # receipts take money in: their amount is never negative
            receipt.amount_words = amount_to_chinese_upper(
                Decimal(str(max(receipt.amount, 0.0))))

    # -- guards ----------------------------------------------------------------

    @api.multi
    def write(self, vals):
        locked = [name for name in vals if name not in EDITABLE_FIELDS
                  and not name.startswith(CHATTER_PREFIXES)]
        if locked:
            raise UserError(_(
                "A receipt is never edited: void it with a reason and take "
                "the payment again."))
        return super().write(vals)

    @api.multi
    def _write_service(self, vals):
        """``write`` for the allocation service and the void action, after
        their own checks: the only way a receipt changes."""
        # pylint: disable=super-method-mismatch
        return super(PropertyReceipt, self).write(vals)

    @api.multi
    def unlink(self):
        # pylint: disable=method-required-super
        self.check_access_rights("unlink")
        raise UserError(_("A receipt is never deleted: void it with a reason."))

    @api.multi
    def copy(self, default=None):
        # pylint: disable=method-required-super
        self.check_access_rights("create")
        raise UserError(_("A receipt cannot be duplicated."))

    # -- actions ---------------------------------------------------------------

    @api.multi
    def action_void(self, reason):
        """Void the receipts with ``reason``: their payments are reversed and
        the bills they paid are open again (billing managers only)."""
        if not self.env.user.has_group("property_billing.group_billing_manager"):
            raise AccessError(_("Only a billing manager can void a receipt."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason why the receipt is void."))
        for receipt in self:
            if receipt.state == "void":
                raise UserError(_("Receipt %s is already void.") % receipt.name)
        service = self.env["property.payment.service"]
        for receipt in self:
            service._void_receipt(receipt, reason)
        return True

    @api.multi
    def action_print(self):
        self.check_access_rights("read")
        self.check_access_rule("read")
        self.ensure_one()
        return self.env.ref(
            "property_payment.action_report_property_receipt").report_action(self)


class PropertyReceiptLine(models.Model):
    _name = "property.receipt.line"
    _inherit = "property.receipt.written"
    _description = "Receipt Line"
    _order = "receipt_id, sequence, id"

    receipt_id = fields.Many2one(
        "property.receipt", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer()
    kind = fields.Selection(
        [("bill", "Bill"), ("advance", "Advance Credit")], required=True,
        default="bill")
    invoice_id = fields.Many2one("account.invoice", string="Bill", index=True)
    invoice_line_id = fields.Many2one("account.invoice.line", string="Bill Line")
    unit_id = fields.Many2one("property.unit", index=True)
    name = fields.Char(string="Fee Item", required=True)
    period = fields.Char(help="The billing period of the fee (所属期间).")
    currency_id = fields.Many2one(related="receipt_id.currency_id", readonly=True)
    amount = fields.Monetary()

    @api.multi
    def write(self, vals):
        # pylint: disable=method-required-super
        self.check_access_rights("write")
        raise UserError(_(
            "A receipt is never edited: void it with a reason and take "
            "the payment again."))

    @api.multi
    def unlink(self):
        # pylint: disable=method-required-super
        self.check_access_rights("unlink")
        raise UserError(_("A receipt is never deleted: void it with a reason."))
