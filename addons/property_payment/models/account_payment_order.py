# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Auto-debit (银行代扣) orders: OCA's debit orders (``account_payment_order``
with mandates from ``account_banking_mandate``), used as they are, with a
Chinese bank's request file (送盘) behind ``generate_payment_file`` and the
return file (回盘) imported by ``property.debit.return.import``.

The order's states stay OCA's: draft (lines added from the open bills of
payers with a valid mandate), open (confirmed: the bank lines, one per payer
and date), generated (request file written), uploaded (sent to the bank),
done (every line answered by a return file). The mode has OCA's transfer
entries off: the money is posted by the allocation service, line by line,
when the bank's return file confirms it.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..rules import allocation
from ..rules import debit_files as rules


class AccountPaymentOrder(models.Model):
    _inherit = "account.payment.order"

    property_is_debit = fields.Boolean(
        compute="_compute_property_is_debit", string="Auto-debit Order")
    property_pending_count = fields.Integer(
        compute="_compute_property_pending_count",
        string="Lines Awaiting the Return File")

    @api.depends("payment_method_id")
    def _compute_property_is_debit(self):
        for order in self:
            order.property_is_debit = (
                order.payment_method_id.code == rules.METHOD_CODE)

    @api.depends("bank_line_ids.property_debit_state")
    def _compute_property_pending_count(self):
        for order in self:
            order.property_pending_count = len(order.bank_line_ids.filtered(
                lambda line: line.property_debit_state == rules.LINE_PENDING))

    # -- guards ------------------------------------------------------------------

    @api.multi
    def unlink(self):
        self._property_check_unanswered("delete")
        return super().unlink()

    @api.multi
    def action_cancel(self):
        self._property_check_unanswered("cancel")
        return super().action_cancel()

    @api.multi
    def action_done_cancel(self):
        self._property_check_unanswered("cancel")
        return super().action_done_cancel()

    @api.multi
    def cancel2draft(self):
        self._property_check_unanswered("cancel")
        return super().cancel2draft()

    @api.multi
    def action_done(self):
        for order in self.filtered("property_is_debit"):
            if order.property_pending_count:
                raise UserError(_(
                    "Debit order %(order)s still has %(count)s lines without "
                    "the bank's answer: import the return file (回盘) first; "
                    "the order is done when every line is answered.") % {
                    "order": order.name,
                    "count": order.property_pending_count})
        return super().action_done()

    @api.multi
    def _property_check_unanswered(self, what):
        """A debit order whose lines the bank answered keeps them: payments
        were taken (or refused) on their strength."""
        for order in self.filtered("property_is_debit"):
            answered = order.bank_line_ids.filtered(
                lambda line: line.property_debit_state in (
                    rules.LINE_PAID, rules.LINE_FAILED))
            if answered:
                if what == "delete":
                    raise UserError(_(
                        "Debit order %s has lines the bank already answered: "
                        "it cannot be deleted.") % order.name)
                raise UserError(_(
                    "Debit order %s has lines the bank already answered: it "
                    "cannot be cancelled or reset.") % order.name)

    # -- the request file (送盘) ---------------------------------------------------

    @api.multi
    def generate_payment_file(self):
        """OCA's hook: (file bytes, file name). For auto-debit orders, the
        request file in the layout of the mode's bank template; each bank
        line gets its sequence in the file, the agreement and the amount
        written, which the return file is matched against."""
        self.ensure_one()
        if not self.property_is_debit:
            return super().generate_payment_file()
        self.check_access_rights("write")
        self.check_access_rule("write")
        return self._property_debit_request_file()

    @api.multi
    def _property_template(self):
        self.ensure_one()
        template = self.payment_mode_id.property_debit_template_id
        if not template:
            raise UserError(_(
                "Payment mode %s has no bank file template: choose one on the "
                "payment mode.") % self.payment_mode_id.name)
        return template

    @api.multi
    def _property_debit_request_file(self):
        self.ensure_one()
        template = self._property_template()
        spec = template._spec()
        currency = self.company_id.currency_id
        file_date = fields.Date.from_string(
            fields.Date.context_today(self))
        lines = []
        values = []
        for seq, bank_line in enumerate(
                self.bank_line_ids.sorted("id"), 1):
            mandate = bank_line.mandate_id
            if not mandate or mandate.state != "valid":
                raise UserError(_(
                    "Bank line %(line)s of %(partner)s has no valid mandate "
                    "(代扣协议): the bank would refuse it. Remove it from the "
                    "order or validate the mandate.") % {
                    "line": bank_line.name,
                    "partner": bank_line.partner_id.display_name})
            if bank_line.currency_id != currency:
                raise UserError(_(
                    "Bank line %s is not in the company's currency.")
                    % bank_line.name)
            bank = mandate.partner_bank_id
            amount = allocation.money(
                bank_line.amount_currency, str(currency.rounding))
            lines.append(rules.RequestLine(
                seq=seq, agreement=mandate.unique_mandate_reference,
                account=bank.acc_number,
                holder=bank.partner_id.name or "",
                amount=amount, reference=bank_line.name))
            values.append((bank_line, {
                "property_debit_seq": seq,
                "property_debit_agreement": mandate.unique_mandate_reference,
                "property_debit_amount": float(amount),
                "property_debit_state": rules.LINE_PENDING,
            }))
        try:
            data = rules.render_request(
                spec, self.name, file_date, lines,
                merchant=template.merchant_code or "")
        except rules.DebitFileError as error:
            raise UserError(template._file_error_message(error))
        for bank_line, vals in values:
            bank_line._property_write_debit(vals)
        return data, template._filename(self.name,
                                        file_date.strftime("%Y%m%d"))

    # -- building the month's order ------------------------------------------------

    @api.model
    def _property_debit_order_action(self):
        """The window action of the company's auto-debit orders (menu), its
        payment mode made the first time."""
        self.check_access_rights("create")
        mode = self.env["account.payment.mode"]._property_debit_mode(
            self.env.user.company_id)
        return {
            "type": "ir.actions.act_window",
            "name": _("Auto-debit Orders"),
            "res_model": "account.payment.order",
            "view_mode": "tree,form",
            "domain": [("payment_method_id.code", "=", rules.METHOD_CODE)],
            "context": {"default_payment_type": "inbound",
                        "default_payment_mode_id": mode.id},
        }
