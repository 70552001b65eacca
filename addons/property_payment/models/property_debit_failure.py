# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

OPEN = "open"
RESOLVED = "resolved"


class PropertyDebitFailure(models.Model):
    """A bill the bank did not debit (余额不足, 账户异常...), with the bank's
    code and reason: written by the return-file import, read by dunning
    (``account.invoice.property_debit_failed``). Resolved when a later
    debit of the bill succeeds."""

    _name = "property.debit.failure"
    _description = "Auto-debit Failure"
    _order = "date desc, id desc"
    _rec_name = "invoice_id"

    invoice_id = fields.Many2one(
        "account.invoice", string="Bill", required=True, readonly=True,
        index=True, ondelete="restrict")
    partner_id = fields.Many2one(
        "res.partner", string="Payer", required=True, readonly=True,
        index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    order_id = fields.Many2one(
        "account.payment.order", string="Debit Order", readonly=True,
        ondelete="restrict")
    bank_line_id = fields.Many2one(
        "bank.payment.line", readonly=True,
        ondelete="set null")
    mandate_id = fields.Many2one(
        "account.banking.mandate", readonly=True)
    date = fields.Date(required=True, readonly=True)
    amount = fields.Monetary(string="Amount Requested", readonly=True)
    code = fields.Char(string="Bank Result Code", readonly=True)
    reason = fields.Char(readonly=True,
                         help="The bank's reason, as its return file gives "
                              "it.")
    state = fields.Selection(
        [(OPEN, "Open"), (RESOLVED, "Resolved")], required=True,
        default=OPEN, readonly=True,
        help="Resolved once a later debit of the bill succeeded.")

    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        raise AccessError(_(
            "Auto-debit failures are recorded by the import of the bank's "
            "return file."))

    @api.model
    def _create_service(self, vals):
        """``create`` for the return import: the only way in."""
        # pylint: disable=super-method-mismatch
        return super(PropertyDebitFailure, self).create(vals)

    @api.multi
    def write(self, vals):  # pylint: disable=method-required-super
        self.check_access_rights("write")
        raise UserError(_(
            "An auto-debit failure records what the bank answered: it is "
            "not edited."))

    @api.multi
    def _write_service(self, vals):
        # pylint: disable=super-method-mismatch
        return super(PropertyDebitFailure, self).write(vals)

    @api.multi
    def unlink(self):  # pylint: disable=method-required-super
        self.check_access_rights("unlink")
        raise UserError(_(
            "An auto-debit failure records what the bank answered: it is "
            "not deleted."))

    @api.multi
    def copy(self, default=None):  # pylint: disable=method-required-super
        self.check_access_rights("create")
        raise UserError(_("An auto-debit failure cannot be duplicated."))
