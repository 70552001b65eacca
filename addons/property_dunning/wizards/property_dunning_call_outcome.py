# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Record the outcome of a dunning phone call (level 2, 电话沟通).

Opened from a step whose phone call is to be made. Each outcome is kept
(``property.dunning.call``): a payer not reached on Monday and reached on
Tuesday has two. The step's call delivery is done at the **first outcome
where the payer was reached** (not before: a call nobody answered is still
to be made), which closes the step once its other channels are settled.

What the outcome does besides:

- a promise to pay sets the payer's promise date (the run skips the payer
  until it passed);
- "dissatisfied with the service" records a complaint in the complaint
  pipeline, or links the payer's open complaint the clerk picks, to the
  step's bills: they pause while it is open (``_property_collection_pause``);
- "disputes the bill" may open a bill question on one of the step's bills,
  which disputes it (the run leaves it out);
- "hardship" may go on to an instalment plan (``action_record_and_plan``).
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from ..models.property_dunning_call import (
    DISPUTES, DISSATISFIED, HARDSHIP, NOT_REACHED_REASONS, REASONS,
    UNREACHABLE, estate_today)

USER_GROUP = "property_billing.group_billing_user"
PLAN_WIZARD = "property.instalment.plan.wizard"


class PropertyDunningCallOutcome(models.TransientModel):
    _name = "property.dunning.call.outcome"
    _description = "Record a Dunning Call Outcome"

    def _default_step_id(self):
        context = self.env.context
        if context.get("active_model") == "property.dunning.step":
            return context.get("active_id")
        return False

    step_id = fields.Many2one(
        "property.dunning.step", required=True, ondelete="cascade",
        default=lambda self: self._default_step_id())
    partner_id = fields.Many2one(
        related="step_id.partner_id", string="Payer", readonly=True)
    estate_id = fields.Many2one(related="step_id.estate_id", readonly=True)
    currency_id = fields.Many2one(related="step_id.currency_id", readonly=True)
    total = fields.Monetary(related="step_id.total", readonly=True)
    step_invoice_ids = fields.Many2many(
        related="step_id.invoice_ids", string="Bills Chased", readonly=True)
    reached = fields.Boolean(
        string="Payer Reached", default=True,
        help="Untick when nobody answered: the call stays to be made.")
    reason = fields.Selection(REASONS, string="Reason for Non-payment")
    notes = fields.Text()
    promise_date = fields.Date(string="Promises to Pay by")
    complaint_id = fields.Many2one(
        "property.complaint", string="Link to Complaint",
        domain="[('partner_id', '=', partner_id), ('is_closed', '=', False)]",
        help="An open complaint of the payer about the service. Empty: a "
             "new complaint is recorded.")
    complaint_category_id = fields.Many2one(
        "property.complaint.category")
    complaint_description = fields.Text(
        help="What the payer is dissatisfied with (the new complaint's "
             "description; the notes when empty).")
    question_invoice_id = fields.Many2one(
        "account.invoice", string="Disputed Bill",
        domain="[('id', 'in', step_invoice_ids)]")
    question_line_id = fields.Many2one(
        "account.invoice.line", string="Disputed Line",
        domain="[('invoice_id', '=', question_invoice_id)]",
        help="Empty: the bill's first line.")
    question = fields.Text(
        help="What the payer says is wrong with the bill: opens a bill "
             "question, which staff answer.")
    plan_available = fields.Boolean(compute="_compute_plan_available")

    @api.depends("reason")
    def _compute_plan_available(self):
        available = PLAN_WIZARD in self.env
        for wizard in self:
            wizard.plan_available = available

    @api.onchange("reached")
    def _onchange_reached(self):
        if not self.reached:
            self.reason = UNREACHABLE
            self.promise_date = False
        elif self.reason == UNREACHABLE:
            self.reason = False

    @api.onchange("question_invoice_id")
    def _onchange_question_invoice_id(self):
        if self.question_line_id.invoice_id != self.question_invoice_id:
            self.question_line_id = False

    @api.model
    def create(self, vals):
        # a wizard has no access rights: without this check anyone could
        # make one and read a step through its Many2one
        self._check_group()
        return super().create(vals)

    # -- actions -----------------------------------------------------------

    @api.multi
    def action_record(self):
        """Record the outcome; close the form."""
        self.ensure_one()
        self._record()
        return {"type": "ir.actions.act_window_close"}

    @api.multi
    def action_record_and_plan(self):
        """Record a hardship outcome and open the instalment plan form for
        the step's payer, estate and bills."""
        self.ensure_one()
        self._check_group()
        if self.reason != HARDSHIP:
            raise UserError(_(
                "An instalment plan follows a call whose reason is "
                "financial hardship."))
        if PLAN_WIZARD not in self.env:
            raise UserError(_("Instalment plans are not available."))
        call = self._record()
        return self._instalment_plan_action(call)

    # -- checks ------------------------------------------------------------

    @api.model
    def _check_group(self):
        if not self.env.user.has_group(USER_GROUP):
            raise AccessError(_(
                "Only billing staff can record the outcome of a call."))

    @api.multi
    def _check_access(self):
        """The caller is billing staff and may change the step."""
        self._check_group()
        step = self.step_id
        step.check_access_rights("write")
        step.check_access_rule("write")

    @api.multi
    def _check_values(self, delivery):
        """Refuse an outcome that cannot be recorded (nothing written)."""
        step = self.step_id
        if step.state != "open" or not delivery:
            raise UserError(_(
                "Step %s has no phone call to make: its call was recorded "
                "already, or the step was not confirmed, or it is closed.")
                % step.name)
        if not self.reason:
            raise UserError(_("Choose the reason for non-payment."))
        if self.reached and self.reason == UNREACHABLE:
            raise UserError(_(
                "The payer was reached: choose the reason they gave."))
        if not self.reached and self.reason not in NOT_REACHED_REASONS:
            raise UserError(_(
                "The payer was not reached: the reason is unreachable, unit "
                "vacant or other."))
        if self.promise_date:
            if not self.reached:
                raise UserError(_(
                    "Only a payer who was reached can promise to pay."))
            if self.promise_date < estate_today(self, step.estate_id):
                raise UserError(_("The promised date is in the past."))
        if self.reason == DISSATISFIED:
            self._check_complaint()
        if self.reason == DISPUTES:
            self._check_question()

    @api.multi
    def _check_complaint(self):
        complaint = self.complaint_id
        if complaint:
            # the clerk picked it, so the clerk can see it
            complaint.check_access_rights("read")
            complaint.check_access_rule("read")
            complaint = complaint.sudo()
            payer = self.step_id.partner_id.commercial_partner_id
            if complaint.partner_id.commercial_partner_id != payer:
                raise UserError(_(
                    "Complaint %s is not the payer's.") % complaint.name)
            if complaint.is_closed:
                raise UserError(_(
                    "Complaint %s is closed: record a new one.")
                    % complaint.name)
        elif not (self.complaint_description or self.notes or "").strip():
            raise UserError(_(
                "Write what the payer is dissatisfied with: it becomes the "
                "complaint."))

    @api.multi
    def _check_question(self):
        invoice = self.question_invoice_id
        if not invoice:
            if (self.question or "").strip():
                raise UserError(_("Choose the bill the payer disputes."))
            return
        if invoice not in self.step_id.invoice_ids:
            raise UserError(_(
                "Bill %s is not one of the step's bills.")
                % (invoice.number or invoice.display_name))
        if not (self.question or "").strip():
            raise UserError(_(
                "Write what the payer says is wrong with bill %s.")
                % (invoice.number or invoice.display_name))
        line = self.question_line_id
        if line and line.invoice_id != invoice:
            raise UserError(_("The disputed line is not on the bill."))

    # -- recording ---------------------------------------------------------

    @api.multi
    def _record(self):
        """Check and record the outcome; returns the call record."""
        self.ensure_one()
        self._check_access()
        step = self.step_id
        delivery = self._locked_call_delivery()
        self._check_values(delivery)
        complaint = self.env["property.complaint"].browse()
        question = self.env["property.bill.question"].browse()
        if self.reason == DISSATISFIED:
            complaint = self._link_complaint()
        if self.reason == DISPUTES and self.question_invoice_id:
            question = self._open_question()
        call = self.env["property.dunning.call"]._create_service(
            self._prepare_call_vals(complaint, question))
        if self.reached:
            delivery._mark_done(reason=self._delivery_reason())
            self._close_call_activities()
        if self.promise_date:
            step.payer_id._service().write({
                "promise_date": self.promise_date})
        self._post_outcome(call)
        return call

    @api.multi
    def _locked_call_delivery(self):
        """The step's call to make, its row locked: two clerks recording the
        same call at once do not both mark it done."""
        delivery = self.step_id._call_delivery()
        if delivery:
            self.env.cr.execute("""
                SELECT state FROM property_dunning_delivery
                 WHERE id = %s FOR UPDATE""", (delivery.id,))
            row = self.env.cr.fetchone()
            delivery.invalidate_cache(["state"], delivery.ids)
            if not row or row[0] != "todo":
                return delivery.browse()
        return delivery

    @api.multi
    def _prepare_call_vals(self, complaint, question):
        return {
            "step_id": self.step_id.id,
            "user_id": self.env.uid,
            "date": fields.Datetime.now(),
            "reached": self.reached,
            "reason": self.reason,
            "notes": self.notes or False,
            "promise_date": self.promise_date or False,
            "complaint_id": complaint.id or False,
            "question_id": question.id or False,
        }

    @api.multi
    def _reason_label(self):
        return dict(self._fields["reason"]._description_selection(
            self.env)).get(self.reason, self.reason)

    @api.multi
    def _delivery_reason(self):
        return _("Reached: %s") % self._reason_label()

    @api.multi
    def _link_complaint(self):
        """The payer's complaint, with the step's bills linked (sudo: a
        billing clerk need not be in the complaint team; the values are
        ours, not the form's)."""
        step = self.step_id
        complaint = self.complaint_id.sudo()
        if not complaint:
            complaint = self.env["property.complaint"].sudo().create(
                self._prepare_complaint_vals())
        complaint.write({"related_invoice_ids": [
            (4, invoice.id) for invoice in step.invoice_ids]})
        complaint.message_post(
            body=_("Recorded from dunning call %(step)s by %(user)s: the "
                   "bills %(bills)s are paused while this complaint is "
                   "open.") % {
                "step": step.name, "user": self.env.user.name,
                "bills": ", ".join(step.invoice_ids.mapped("number"))},
            subtype="mail.mt_note")
        return complaint

    @api.multi
    def _prepare_complaint_vals(self):
        step = self.step_id
        units = step.line_ids.mapped("unit_id")
        description = (self.complaint_description or "").strip() or \
            (self.notes or "").strip()
        vals = {
            "partner_id": step.partner_id.id,
            "estate_id": step.estate_id.id,
            "company_id": step.company_id.id,
            "channel": "phone",
            "description": description,
            "category_id": self.complaint_category_id.id or False,
        }
        if len(units) == 1:
            vals["unit_id"] = units.id
        return vals

    @api.multi
    def _open_question(self):
        """A bill question on the disputed bill, as the clerk (their rights
        on bill questions apply)."""
        invoice = self.question_invoice_id
        line = self.question_line_id or invoice.invoice_line_ids[:1]
        if not line:
            raise UserError(_("Bill %s has no line to question.")
                            % (invoice.number or invoice.display_name))
        return self.env["property.bill.question"].create({
            "invoice_line_id": line.id,
            "partner_id": invoice.partner_id.id,
            "question": self.question.strip(),
        })

    @api.multi
    def _close_call_activities(self):
        call_type = self.env.ref("mail.mail_activity_data_call",
                                 raise_if_not_found=False)
        activities = self.env["mail.activity"].sudo().search([
            ("res_model", "=", "property.dunning.step"),
            ("res_id", "=", self.step_id.id),
            ("activity_type_id", "=", call_type.id if call_type else False)])
        if activities:
            activities.action_feedback(feedback=self._reason_label())

    @api.multi
    def _post_outcome(self, call):
        lines = [_("Call outcome: %s") % (
            _("reached") if self.reached else _("not reached")),
            _("Reason: %s") % self._reason_label()]
        if self.promise_date:
            lines.append(_("Promises to pay by %s") % self.promise_date)
        if call.complaint_id:
            lines.append(_("Complaint: %s") % call.complaint_id.sudo().name)
        if call.question_id:
            lines.append(_("Bill question: %s") % call.question_id.name)
        if self.notes:
            lines.append(self.notes)
        body = "<br/>".join(html_escape(line) for line in lines)
        self.step_id.message_post(body=body, subtype="mail.mt_note")
        if self.promise_date:
            self.step_id.payer_id.message_post(
                body=html_escape(_(
                    "Promises to pay by %(date)s (call on step %(step)s).") % {
                        "date": self.promise_date,
                        "step": self.step_id.name}),
                subtype="mail.mt_note")

    # -- instalment plans (another part of the add-on) -----------------------

    @api.multi
    def _instalment_plan_action(self, call):
        """The instalment plan form for the step's payer, estate and bills
        (the hook the plans extend with their own defaults)."""
        step = call.step_id
        return {
            "type": "ir.actions.act_window",
            "name": _("Instalment Plan"),
            "res_model": PLAN_WIZARD,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": step.partner_id.id,
                "default_estate_id": step.estate_id.id,
                "default_invoice_ids": [(6, 0, step.invoice_ids.ids)],
                "default_note": call.notes or False,
            },
        }
