# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii
from collections import OrderedDict
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..rules import debit_files as rules

STATES_ANSWERED = ("generated", "uploaded", "done")


class PropertyDebitReturnImport(models.TransientModel):
    """Import the bank's return file (回盘) of an auto-debit order.

    Each line is matched with the request file's line by the batch number
    (the order's number) and the line's sequence or agreement number.
    Debited lines are paid through the allocation service (channel
    ``debit``, the bank's serial number on the receipt); refused lines are
    recorded with the bank's code and reason and flagged for dunning; a line
    debited for another amount than requested is not taken as a payment.
    Importing a file again adds nothing; a file of an unknown batch, or one
    that does not tie, changes nothing. The order is done when every line is
    answered.
    """

    _name = "property.debit.return.import"
    _description = "Import an Auto-debit Return File"

    order_id = fields.Many2one(
        "account.payment.order", string="Debit Order",
        domain=[("payment_method_id.code", "=", rules.METHOD_CODE),
                ("state", "in", STATES_ANSWERED)],
        help="Leave empty to find the order by the batch number the file "
             "names.")
    template_id = fields.Many2one(
        "property.debit.bank.template", string="Bank File Template",
        help="The layout to read the file with; by default the order's, or "
             "the company's auto-debit template.")
    data_file = fields.Binary(string="Return File", required=True)
    filename = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("done", "Imported")],
                             default="draft", readonly=True)
    summary = fields.Text(readonly=True)

    # -- action ------------------------------------------------------------------

    @api.multi
    def action_import(self):
        """Import the file (billing users and accountants who take
        payments); see the class docstring."""
        self.ensure_one()
        self._check_rights()
        data = self._file_bytes()
        template = self._read_template()
        parsed = self._rule(template, rules.parse_return, template._spec(),
                            data)
        order = self._find_order(parsed)
        order.check_access_rule("write")
        if order._property_template() != template:
            # found by its batch: read with the order's own layout
            template = order._property_template()
            parsed = self._rule(template, rules.parse_return,
                                template._spec(), data)
            self._find_order(parsed)
        try:
            with self.env.cr.savepoint():
                summary = self._apply(order, parsed)
        except Exception:
            # all or nothing, also inside a larger transaction
            self.invalidate_cache()
            raise
        self.write({"state": "done", "summary": summary,
                    "order_id": order.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # -- steps ---------------------------------------------------------------------

    @api.model
    def _check_rights(self):
        self.env["property.payment.service"]._check_cashier()
        self.env["account.payment.order"].check_access_rights("write")
        self.env["bank.payment.line"].check_access_rights("write")

    @api.multi
    def _file_bytes(self):
        try:
            data = base64.b64decode(self.data_file or b"")
        except (binascii.Error, TypeError, ValueError):
            data = b""
        if not data:
            raise UserError(_("Choose the bank's return file (回盘) first."))
        return data

    @api.multi
    def _read_template(self):
        if self.order_id:
            return self.order_id._property_template()
        if self.template_id:
            return self.template_id
        mode = self.env["account.payment.mode"]._property_debit_mode(
            self.env.user.company_id)
        if not mode.property_debit_template_id:
            raise UserError(_(
                "Choose the bank file template to read the file with."))
        return mode.property_debit_template_id

    @api.model
    def _rule(self, template, function, *args):
        try:
            return function(*args)
        except rules.DebitFileError as error:
            raise UserError(template._file_error_message(error))

    @api.multi
    def _find_order(self, parsed):
        order = self.order_id
        if order:
            if parsed.batch and parsed.batch != order.name:
                raise UserError(_(
                    "This return file answers batch %(batch)s, not debit "
                    "order %(order)s: nothing was imported.") % {
                    "batch": parsed.batch, "order": order.name})
        else:
            if not parsed.batch:
                raise UserError(_(
                    "The file names no batch: choose its debit order."))
            order = self.env["account.payment.order"].search([
                ("name", "=", parsed.batch),
                ("payment_method_id.code", "=", rules.METHOD_CODE),
                ("company_id", "=", self.env.user.company_id.id)], limit=1)
            if not order:
                raise UserError(_(
                    "This return file answers batch %s, which is no debit "
                    "order of this company (an unknown request): nothing "
                    "was imported.") % parsed.batch)
        if order.state not in STATES_ANSWERED:
            raise UserError(_(
                "Debit order %(order)s is %(state)s: the bank answers only "
                "an order whose request file was generated.") % {
                "order": order.name,
                "state": dict(order._fields["state"]._description_selection(
                    self.env)).get(order.state)})
        return order

    @api.multi
    def _apply(self, order, parsed):
        """Answer the order's bank lines from ``parsed`` (all or nothing:
        an error on any line rolls the whole file back)."""
        template = order._property_template()
        bank_lines = order.bank_line_ids.filtered("property_debit_seq")
        requested = [rules.Requested(
            line.id, line.property_debit_seq, line.property_debit_agreement,
            Decimal(repr(line.property_debit_amount)))
            for line in bank_lines]
        answered = bank_lines.filtered(
            lambda line: line.property_debit_state in (
                rules.LINE_PAID, rules.LINE_FAILED)).ids
        outcomes = self._rule(template, rules.match_return, requested,
                              parsed.lines, answered)
        counts = dict.fromkeys((rules.PAID, rules.FAILED,
                                rules.AMOUNT_MISMATCH,
                                rules.ALREADY_ANSWERED), 0)
        for outcome in outcomes:
            counts[outcome.status] += 1
        if counts[rules.ALREADY_ANSWERED] == len(outcomes):
            raise UserError(_(
                "Every line of this return file was imported before: "
                "nothing was added."))
        today = fields.Date.context_today(self)
        for outcome in outcomes:
            if outcome.status == rules.ALREADY_ANSWERED:
                continue
            bank_line = bank_lines.browse(outcome.key)
            line = outcome.line
            date = fields.Date.to_string(line.date) if line.date else today
            try:
                if outcome.status == rules.PAID:
                    self._debited(order, bank_line, line, date)
                elif outcome.status == rules.FAILED:
                    self._refused(order, bank_line, line.code, line.reason,
                                  date)
                else:
                    self._refused(
                        order, bank_line, line.code, _(
                            "The bank debited %(found)s instead of the "
                            "%(requested)s requested: not taken as a "
                            "payment, check with the bank.") % {
                            "found": line.amount,
                            "requested": bank_line.property_debit_amount},
                        date)
            except UserError as error:
                raise UserError(_(
                    "Line %(line)s of the return file (%(partner)s): "
                    "%(error)s Nothing was imported.") % {
                    "line": line.line,
                    "partner": bank_line.partner_id.display_name,
                    "error": error.name})
        self._attach(order)
        summary = _(
            "Return file of %(order)s: %(paid)s debited, %(failed)s not "
            "debited, %(mismatch)s debited for another amount (not taken), "
            "%(already)s imported before.") % {
            "order": order.name, "paid": counts[rules.PAID],
            "failed": counts[rules.FAILED],
            "mismatch": counts[rules.AMOUNT_MISMATCH],
            "already": counts[rules.ALREADY_ANSWERED]}
        order.message_post(body=summary)
        if not order.property_pending_count:
            if order.state == "generated":
                order.generated2uploaded()
            if order.state == "uploaded":
                order.action_done()
        return summary

    @api.model
    def _debited(self, order, bank_line, line, date):
        """Pay the bills of ``bank_line`` with what the bank debited: one
        receipt per estate (receipts are numbered per estate); a bill paid
        meanwhile by another channel leaves its share as advance credit."""
        invoices = bank_line._property_invoices()
        serial = line.serial or "%s-%s" % (order.name,
                                           bank_line.property_debit_seq)
        service = self.env["property.payment.service"]
        receipts = self.env["property.receipt"]
        for estate, (amount, bills) in self._by_estate(bank_line).items():
            open_bills = bills.filtered(lambda inv: inv.state == "open")
            receipts |= service._pay_one(
                bank_line.partner_id, amount, "debit",
                invoices=open_bills or None, date=date, serial=serial,
                reference=bank_line.name, estate=estate or None)
        receipt = receipts[:1]
        bank_line._property_write_debit({
            "property_debit_state": rules.LINE_PAID,
            "property_debit_code": line.code,
            "property_debit_reason": line.reason or False,
            "property_debit_date": date,
            "property_debit_serial": serial,
            "property_receipt_id": receipt.id,
        })
        failures = self.env["property.debit.failure"].search([
            ("invoice_id", "in", invoices.ids), ("state", "=", "open")])
        # the user's rights were checked (_check_rights): the failure log is
        # written by this import only
        failures.sudo()._write_service({"state": "resolved"})
        mandate = bank_line.mandate_id
        if mandate and (not mandate.last_debit_date
                        or mandate.last_debit_date < date):
            mandate.write({"last_debit_date": date})

    @api.model
    def _by_estate(self, bank_line):
        """{estate: (amount, bills)} of the payment lines of ``bank_line``;
        the amounts add up to what was requested."""
        groups = OrderedDict()
        currency = bank_line.currency_id
        for payment_line in bank_line.payment_line_ids.sorted("id"):
            invoice = payment_line.move_line_id.invoice_id
            amount, bills = groups.get(
                invoice.property_estate_id,
                (0.0, self.env["account.invoice"]))
            groups[invoice.property_estate_id] = (
                currency.round(amount + payment_line.amount_currency),
                bills | invoice)
        if len(groups) == 1:
            estate = next(iter(groups))
            groups[estate] = (bank_line.property_debit_amount,
                              groups[estate][1])
        return groups

    @api.model
    def _refused(self, order, bank_line, code, reason, date):
        bank_line._property_write_debit({
            "property_debit_state": rules.LINE_FAILED,
            "property_debit_code": code,
            "property_debit_reason": reason or False,
            "property_debit_date": date,
        })
        # the user's rights were checked (_check_rights): the failure log is
        # written by this import only
        Failure = self.env["property.debit.failure"].sudo()
        for payment_line in bank_line.payment_line_ids:
            invoice = payment_line.move_line_id.invoice_id
            if not invoice:
                continue
            Failure._create_service({
                "invoice_id": invoice.id,
                "partner_id": invoice.commercial_partner_id.id,
                "company_id": order.company_id.id,
                "order_id": order.id,
                "bank_line_id": bank_line.id,
                "mandate_id": bank_line.mandate_id.id,
                "date": date,
                "amount": payment_line.amount_currency,
                "code": code,
                "reason": reason,
            })

    @api.multi
    def _attach(self, order):
        self.env["ir.attachment"].create({
            "name": self.filename or _("Return file"),
            "datas_fname": self.filename or "return.txt",
            "datas": self.data_file,
            "res_model": "account.payment.order",
            "res_id": order.id,
        })
