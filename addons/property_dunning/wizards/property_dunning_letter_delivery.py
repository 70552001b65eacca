# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Record how a demand letter reached the payer (送达), with its proof.

Registered mail (挂号信) and EMS need their number; a hand delivery needs
the signature scan, a letter posted at the door its photo (attachments,
which then belong to the step). The step's letter delivery is done."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.property_dunning_step import USER_GROUP
from ..models.property_dunning_step_letter import (LETTER_KINDS,
                                                   LETTER_METHODS,
                                                   MAIL_METHODS)


class PropertyDunningLetterDelivery(models.TransientModel):
    _name = "property.dunning.letter.delivery"
    _description = "Record the Delivery of a Demand Letter"

    step_id = fields.Many2one(
        "property.dunning.step", required=True, ondelete="cascade")
    method = fields.Selection(
        LETTER_METHODS, string="Delivered by", required=True,
        default="registered")
    tracking = fields.Char(
        string="Registered-mail / Tracking No.",
        help="The number on the post office's receipt; required for "
             "registered mail and EMS.")
    delivery_date = fields.Date(
        required=True, default=fields.Date.context_today)
    attachment_ids = fields.Many2many(
        "ir.attachment", "property_dunning_letter_delivery_attachment_rel",
        "wizard_id", "attachment_id", string="Proofs",
        help="Photo of the letter at the door, scan of the signature or of "
             "the mail receipt.")
    note = fields.Char()

    @api.multi
    def _check_user(self):
        if not self.env.user.has_group(USER_GROUP):
            raise AccessError(_(
                "Only billing staff can record the delivery of a letter."))

    @api.multi
    def _check_values(self):
        self.ensure_one()
        step = self.step_id
        step.check_access_rights("write")
        step.check_access_rule("write")
        if step.level_kind not in LETTER_KINDS:
            raise UserError(_(
                "Step %s is not a formal demand: it has no letter.")
                % step.name)
        delivery = step._letter_delivery()
        if not delivery:
            raise UserError(_(
                "Step %s has no printed letter among its channels.")
                % step.name)
        if delivery.state == "sent":
            raise UserError(_(
                "The delivery of the letter of step %s is already recorded.")
                % step.name)
        if delivery.state != "todo":
            raise UserError(_(
                "The letter of step %s is not ready to go out: confirm the "
                "step first.") % step.name)
        tracking = (self.tracking or "").strip()
        if self.method in MAIL_METHODS and not tracking:
            raise UserError(_(
                "Enter the registered-mail or EMS number: it is the proof "
                "that the letter was sent."))
        if self.method not in MAIL_METHODS and not self.attachment_ids:
            raise UserError(_(
                "Attach the proof of delivery: the signature scan for a hand "
                "delivery, the photo for a letter posted at the door."))
        if self.delivery_date < step.date:
            raise UserError(_(
                "The letter cannot be delivered before its date (%s).")
                % step.date)
        if self.delivery_date > fields.Date.context_today(self):
            raise UserError(_("The delivery date cannot be in the future."))
        foreign = self.attachment_ids.sudo().filtered(
            lambda a: a.create_uid != self.env.user
            or (a.res_id and a.res_model != self._name))
        if foreign:
            raise UserError(_(
                "Only files uploaded here can be the proofs of delivery."))
        return tracking

    @api.multi
    def action_record(self):
        self.ensure_one()
        self._check_user()
        tracking = self._check_values()
        self.step_id._record_letter_delivery(
            self.method, self.delivery_date, tracking,
            self.attachment_ids, note=self.note)
        return {"type": "ir.actions.act_window_close"}
