# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which bills go onto an auto-debit order (account.move.line of account,
extended for auto-debit; the file name says which part it holds)."""
from odoo import _, api, models
from odoo.exceptions import UserError

# the states of a payment line whose bill waits for the bank: an order being
# built, confirmed, written or sent and not yet answered
BUSY_STATES = ("draft", "open", "generated", "uploaded")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.multi
    def create_payment_line_from_move_line(self, payment_order):
        """OCA's way onto an order, from its wizard and from the invoice's
        button. Auto-debit orders take only open bills of payers with a
        valid mandate that no other order debits already."""
        self.env["account.payment.line"].check_access_rights("create")
        if payment_order.property_is_debit:
            self._property_check_debit_lines(payment_order)
        return super().create_payment_line_from_move_line(payment_order)

    @api.multi
    def _prepare_payment_line_vals(self, payment_order):
        vals = super()._prepare_payment_line_vals(payment_order)
        if payment_order.property_is_debit:
            mandate = self._property_debit_mandate(payment_order.company_id)
            vals.update({
                "mandate_id": mandate.id,
                "partner_bank_id": mandate.partner_bank_id.id,
                "communication": self.invoice_id.number or vals.get(
                    "communication"),
            })
        return vals

    @api.multi
    def _property_debit_mandate(self, company):
        """The mandate that debits this bill: the bill's own if valid, else
        the payer's first valid mandate in ``company``."""
        self.ensure_one()
        mandate = self.mandate_id
        if (mandate.state == "valid" and mandate.company_id == company
                and mandate.partner_id.commercial_partner_id
                == self.partner_id.commercial_partner_id):
            return mandate
        return self.env["account.banking.mandate"].search([
            ("state", "=", "valid"), ("company_id", "=", company.id),
            ("partner_id", "child_of", self.partner_id.commercial_partner_id.id),
        ], order="signature_date desc, id desc", limit=1)

    @api.model
    def _property_debit_domain(self, company):
        """What the OCA wizard adds for an auto-debit order of ``company``:
        bills (customer invoices) of payers with a valid mandate, not already
        on an order that waits for the bank."""
        mandates = self.env["account.banking.mandate"].search([
            ("state", "=", "valid"), ("company_id", "=", company.id)])
        payers = mandates.mapped("partner_id.commercial_partner_id")
        return [
            ("partner_id", "in", payers.ids),
            ("invoice_id.type", "=", "out_invoice"),
            ("invoice_id.state", "=", "open"),
            ("id", "not in", self._property_busy_line_ids()),
        ]

    @api.model
    def _property_busy_line_ids(self):
        """Journal items on a payment order that is not done or cancelled:
        OCA proposes again those of uploaded orders, which for auto-debit
        would debit a bill twice before the bank answered."""
        self.env["account.payment.line"].check_access_rights("read")
        self.env.cr.execute("""
            SELECT DISTINCT move_line_id FROM account_payment_line
             WHERE move_line_id IS NOT NULL AND state IN %s""",
                            (BUSY_STATES,))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.multi
    def _property_check_debit_lines(self, order):
        if order.state != "draft":
            raise UserError(_(
                "Debit order %s is confirmed: bills are added to a draft "
                "order.") % order.name)
        busy = set(self._property_busy_line_ids())
        for line in self:
            invoice = line.invoice_id
            label = invoice.number or line.move_id.name
            if (invoice.type != "out_invoice" or invoice.state != "open"
                    or line.reconciled or line.company_id != order.company_id
                    or line.account_id.internal_type != "receivable"
                    or line.debit <= 0):
                raise UserError(_(
                    "%s is not an open bill of this company: it cannot be "
                    "debited.") % label)
            if line.id in busy:
                raise UserError(_(
                    "Bill %s is already on a debit order waiting for the "
                    "bank: it is not debited twice.") % label)
            if not line._property_debit_mandate(order.company_id):
                raise UserError(_(
                    "%(payer)s has no valid auto-debit mandate (代扣协议): "
                    "bill %(bill)s cannot be debited.") % {
                    "payer": line.partner_id.display_name, "bill": label})
