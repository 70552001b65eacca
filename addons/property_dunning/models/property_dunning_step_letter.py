# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The written demand (书面催缴函) of a dunning step: its PDF, how it reached
the payer and the proof of it.

A demand only counts once it reached the payer (the period it gives runs
from its delivery): the step keeps the delivery method, the registered-mail
or tracking number, the delivery date and the proofs (photos, signature
scans: attachments of the step). They are written by the delivery wizard
only, like every other field of a step."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..rules import dunning as rules

LETTER_KINDS = ("demand", "legal")
LETTER_METHODS = [
    ("registered", "Registered mail (挂号信)"),
    ("ems", "EMS"),
    ("hand", "Hand delivery with signature"),
    ("door", "Posted at the door with photo"),
]
# Methods whose proof is a postal number; the others need an attachment.
MAIL_METHODS = ("registered", "ems")
LETTER_REPORT = "property_dunning.report_dunning_letter_action"


class PropertyDunningStep(models.Model):
    _inherit = "property.dunning.step"

    letter_method = fields.Selection(
        LETTER_METHODS, string="Delivered by", readonly=True,
        track_visibility="onchange")
    letter_tracking = fields.Char(
        string="Registered-mail / Tracking No.", readonly=True,
        track_visibility="onchange")
    letter_delivered_on = fields.Date(
        string="Delivered on", readonly=True, track_visibility="onchange")
    letter_recorded_by = fields.Many2one(
        "res.users", string="Delivery Recorded by", readonly=True)
    letter_proof_ids = fields.Many2many(
        "ir.attachment", "property_dunning_step_letter_proof_rel", "step_id",
        "attachment_id", string="Proofs of Delivery", readonly=True,
        help="Photos, signature scans and mail receipts (attachments of the "
             "step).")
    letter_deadline = fields.Date(
        string="Period Ends", compute="_compute_letter_deadline",
        help="The last day of the period the demand gives the payer: the "
             "letter's date to pay by, or as many days after its delivery "
             "when it arrived late (民法典 §944).")
    is_letter = fields.Boolean(compute="_compute_is_letter")

    @api.depends("level_kind", "channels")
    def _compute_is_letter(self):
        for step in self:
            channels = (step.channels or "").split(",")
            step.is_letter = bool(step.level_kind in LETTER_KINDS
                                  and rules.LETTER in channels)

    @api.depends("deadline", "date", "letter_delivered_on")
    def _compute_letter_deadline(self):
        to_date = fields.Date.from_string
        for step in self:
            if not step.deadline:
                step.letter_deadline = False
                continue
            deadline = to_date(step.deadline)
            if step.letter_delivered_on and step.date:
                period = deadline - to_date(step.date)
                deadline = max(deadline,
                               to_date(step.letter_delivered_on) + period)
            step.letter_deadline = fields.Date.to_string(deadline)

    @api.multi
    def _letter_delivery(self):
        """The step's printed-letter delivery (empty when it has none)."""
        self.ensure_one()
        return self.delivery_ids.filtered(
            lambda d: d.channel == rules.LETTER)[:1]

    @api.multi
    def _letter_documented(self):
        """Whether the letter reached the payer with proof on record."""
        self.ensure_one()
        delivery = self._letter_delivery()
        proof = self.letter_tracking or self.letter_proof_ids
        return bool(delivery and delivery.state == "sent"
                    and self.letter_delivered_on and self.letter_method
                    and proof)

    @api.multi
    def _check_letter(self):
        for step in self:
            if step.level_kind not in LETTER_KINDS:
                raise UserError(_(
                    "Step %s is not a formal demand: it has no letter.")
                    % step.name)

    @api.multi
    def action_print_letter(self):
        """The demand letter PDF of the step (billing staff)."""
        self._check_staff()
        self.check_access_rule("read")
        self._check_letter()
        return self.env.ref(LETTER_REPORT).report_action(self)

    @api.multi
    def action_record_letter_delivery(self):
        """Open the wizard recording how the letter reached the payer."""
        self.ensure_one()
        self._check_staff()
        self._check_letter()
        action = self.env.ref(
            "property_dunning.property_dunning_letter_delivery_action").read()[0]
        action["context"] = {"default_step_id": self.id}
        return action

    @api.multi
    def _record_letter_delivery(self, method, day, tracking, attachments,
                                note=None):
        """Keep the delivery of the letter on the step and mark its letter
        delivery done (called by the wizard after its checks)."""
        self.ensure_one()
        delivery = self._letter_delivery()
        attachments.sudo().write({"res_model": self._name,
                                  "res_id": self.id})
        vals = {
            "letter_method": method,
            "letter_tracking": tracking or False,
            "letter_delivered_on": day,
            "letter_recorded_by": self.env.uid,
            "letter_proof_ids": [(4, a.id) for a in attachments],
        }
        self._write_service(vals)
        delivery._mark_done(reference=tracking or False, reason=note or False)
        methods = dict(self._fields["letter_method"]._description_selection(
            self.env))
        self.message_post(body=_(
            "Letter delivered on %(day)s (%(method)s%(tracking)s), "
            "%(proofs)s proof(s) attached.") % {
                "day": day, "method": methods.get(method, method),
                "tracking": (", %s" % tracking) if tracking else "",
                "proofs": len(attachments)})

    # -- the letter's values -------------------------------------------------------

    @api.multi
    def _letter_values(self):
        """What the demand letter prints, in the payer's language (amounts
        are the step's: the figures the payer was asked for that day)."""
        self.ensure_one()
        units = self.line_ids.mapped("unit_id")
        lines = [{
            "number": line.invoice_id.number or "",
            "period": line.billing_period or "",
            "unit": line.unit_id.code or "",
            "date_due": line.date_due or "",
            "days_overdue": line.days_overdue,
            "residual": line.residual,
            "late_fee": line.late_fee,
        } for line in self.line_ids]
        currency = self.currency_id
        residual = currency.round(sum(self.line_ids.mapped("residual")))
        late_fee = currency.round(sum(self.line_ids.mapped("late_fee")))
        estate = self.estate_id
        return {
            "step": self,
            "company": self.company_id,
            "estate": estate,
            "partner": self.partner_id,
            "units": [{"code": unit.code,
                       "building": unit.building_id.name or ""}
                      for unit in units.sorted("code")],
            "paragraphs": [p.strip() for p in (self.body or "").split("\n\n")
                           if p.strip()],
            "lines": lines,
            "residual": residual,
            "late_fee": late_fee,
            "total": currency.round(residual + late_fee),
            "currency": currency,
            "deadline": self.deadline or "",
            "legal": self.level_kind == "legal",
            "service_phone": estate.service_phone or "",
            "bank_name": estate.bank_name or "",
            "bank_account": estate.bank_account or "",
        }
