# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

QUESTION_STATES = [
    ("open", "Open"),
    ("answered", "Answered"),
    ("closed", "Closed"),
]


class PropertyBillQuestion(models.Model):
    """An owner's question about a line of a bill (账单疑问).

    While a question is open, its invoice line is flagged disputed
    (``account.invoice.line.property_disputed``). Staff answer it; when the
    answer corrects the bill, a credit note for the corrected amount is
    created, validated and reconciled with the bill, and linked here so that
    the adjustment stays auditable.
    """

    _name = "property.bill.question"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Bill Question"
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    invoice_line_id = fields.Many2one(
        "account.invoice.line", string="Questioned Line", required=True,
        index=True, ondelete="cascade", track_visibility="onchange")
    invoice_id = fields.Many2one(
        "account.invoice", string="Bill", related="invoice_line_id.invoice_id",
        store=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Asked By", required=True, index=True,
        track_visibility="onchange")
    company_id = fields.Many2one(
        "res.company", related="invoice_line_id.company_id", store=True,
        readonly=True)
    currency_id = fields.Many2one(
        "res.currency", related="invoice_line_id.currency_id", readonly=True)
    line_amount = fields.Monetary(
        string="Line Amount", related="invoice_line_id.price_subtotal",
        readonly=True)
    date = fields.Datetime(
        string="Asked On", required=True, default=fields.Datetime.now)
    question = fields.Text(required=True)
    answer = fields.Text(track_visibility="onchange")
    correction_amount = fields.Monetary(
        string="Correction", track_visibility="onchange",
        help="Untaxed amount to credit on the questioned line when the "
             "answer corrects the bill; 0 when the bill is right.")
    state = fields.Selection(
        QUESTION_STATES, required=True, default="open", index=True,
        track_visibility="onchange", copy=False)
    user_id = fields.Many2one(
        "res.users", string="Answered By", readonly=True, copy=False)
    answer_date = fields.Datetime(string="Answered On", readonly=True, copy=False)
    refund_invoice_id = fields.Many2one(
        "account.invoice", string="Credit Note", readonly=True, copy=False,
        track_visibility="onchange")

    @api.depends("invoice_id.number", "invoice_line_id.name")
    def _compute_name(self):
        for question in self:
            question.name = " · ".join(filter(None, [
                question.invoice_id.number, question.invoice_line_id.name]))

    # -- constraints ---------------------------------------------------------------

    @api.constrains("correction_amount", "invoice_line_id")
    def _check_correction_amount(self):
        for question in self:
            amount = question.correction_amount
            currency = question.invoice_line_id.currency_id
            if amount < 0:
                raise ValidationError(_(
                    "The correction of a bill question cannot be negative."))
            if amount and float_compare(
                    amount, question.invoice_line_id.price_subtotal,
                    precision_rounding=currency.rounding) > 0:
                raise ValidationError(_(
                    "The correction (%(amount)s) cannot exceed the questioned "
                    "line (%(line)s).") % {
                        "amount": amount,
                        "line": question.invoice_line_id.price_subtotal})

    @api.constrains("invoice_line_id")
    def _check_invoice(self):
        for question in self:
            if question.invoice_line_id.invoice_id.type != "out_invoice":
                raise ValidationError(_(
                    "Questions are asked about lines of customer bills."))

    # -- CRUD --------------------------------------------------------------------------

    @api.model
    def create(self, vals):
        if not vals.get("partner_id") and vals.get("invoice_line_id"):
            line = self.env["account.invoice.line"].browse(vals["invoice_line_id"])
            vals["partner_id"] = line.invoice_id.partner_id.id
        question = super().create(vals)
        self._update_disputed(question.invoice_line_id)
        return question

    @api.multi
    def write(self, vals):
        lines = self.mapped("invoice_line_id")
        result = super().write(vals)
        if "state" in vals or "invoice_line_id" in vals:
            self._update_disputed(lines | self.mapped("invoice_line_id"))
        return result

    @api.multi
    def unlink(self):
        lines = self.mapped("invoice_line_id")
        result = super().unlink()
        self.browse()._update_disputed(lines.exists())
        return result

    # -- actions ---------------------------------------------------------------------

    @api.multi
    def action_answer(self):
        """Answer: the line is no longer disputed; a correction amount
        creates, validates and reconciles a credit note."""
        for question in self:
            if question.state != "open":
                raise UserError(_("Only open questions can be answered."))
            if not (question.answer or "").strip():
                raise UserError(_("Write the answer to the owner first."))
            refund = self.env["account.invoice"]
            currency = question.invoice_line_id.currency_id
            if not float_is_zero(question.correction_amount,
                                 precision_rounding=currency.rounding):
                refund = question._create_credit_note()
            question.write({
                "state": "answered",
                "user_id": self.env.uid,
                "answer_date": fields.Datetime.now(),
                "refund_invoice_id": refund.id or False,
            })
            question.invoice_id.message_post(body=_(
                "Question about <b>%(line)s</b> answered: %(answer)s") % {
                    "line": question.invoice_line_id.name,
                    "answer": question.answer},
                subtype="mail.mt_note")
        return True

    @api.multi
    def action_close(self):
        self.write({"state": "closed"})
        return True

    @api.multi
    def action_reopen(self):
        for question in self:
            if question.refund_invoice_id:
                raise UserError(_(
                    "This question was answered with credit note %s: ask a new "
                    "question instead of reopening it.")
                    % question.refund_invoice_id.number)
        self.write({"state": "open", "user_id": False, "answer_date": False})
        return True

    @api.multi
    def action_view_credit_note(self):
        self.ensure_one()
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        action.update(res_id=self.refund_invoice_id.id, views=[(False, "form")],
                      view_mode="form")
        return action

    # -- business methods -------------------------------------------------------------

    @api.model
    def _update_disputed(self, lines):
        """Flag ``lines`` disputed while they have an open question."""
        if not lines:
            return
        open_lines = self.search([("invoice_line_id", "in", lines.ids),
                                  ("state", "=", "open")]).mapped("invoice_line_id")
        for line in lines:
            disputed = line in open_lines
            if line.property_disputed != disputed:
                # the flag is part of the question workflow, not an edit of
                # the (possibly posted) bill by the user
                line.sudo().write({"property_disputed": disputed})

    @api.multi
    def _prepare_credit_line_vals(self, refund):
        self.ensure_one()
        line = self.invoice_line_id
        vals = line.copy_data({
            "invoice_id": refund.id,
            "quantity": 1.0,
            "discount": 0.0,
            "price_unit": self.correction_amount,
            "name": _("Correction of %(line)s (question of %(date)s)") % {
                "line": line.name, "date": self.date[:10]},
        })[0]
        vals["property_disputed"] = False
        return vals

    @api.multi
    def _create_credit_note(self):
        """A validated credit note of ``correction_amount`` on the line's
        product, account and taxes, reconciled with the open bill."""
        self.ensure_one()
        invoice = self.invoice_id
        if invoice.state not in ("open", "paid"):
            raise UserError(_(
                "Bill %s is not validated: correct the draft itself instead of "
                "issuing a credit note.") % (invoice.number or invoice.display_name))
        description = _("Bill question: %s") % self.invoice_line_id.name
        refund = invoice.refund(
            date_invoice=fields.Date.context_today(self),
            description=description, journal_id=invoice.journal_id.id)
        refund.invoice_line_ids.unlink()
        self.env["account.invoice.line"].create(self._prepare_credit_line_vals(refund))
        refund.compute_taxes()
        refund.action_invoice_open()
        if invoice.state == "open":
            moves = invoice.move_id | refund.move_id
            to_reconcile = moves.mapped("line_ids").filtered(
                lambda aml: aml.account_id == invoice.account_id
                and not aml.reconciled)
            to_reconcile.reconcile()
        refund.message_post(body=_(
            "Credit note for the owner's question about <b>%s</b>.")
            % self.invoice_line_id.name, subtype="mail.mt_note")
        return refund
