# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import AccessError, ValidationError

# the longest question the portal form takes
QUESTION_MAX_LENGTH = 2000
QUESTIONABLE_STATES = ("open", "paid")


class PropertyBillQuestion(models.Model):
    _inherit = "property.bill.question"

    @api.model
    def _property_portal_ask(self, partner, line, text):
        """A question of ``partner`` (the owner's commercial partner) about
        ``line``, asked in the owner portal.

        The caller (the portal controller) found ``line`` through the owner's
        own bills; this checks again that the bill is addressed to
        ``partner``, and creates the question as the superuser from these
        three values only: portal users have no rights of their own on
        questions. Raises ``ValidationError`` with a message for the owner.
        """
        line = line.sudo().exists()
        invoice = line.invoice_id
        if not line or invoice.commercial_partner_id != partner or \
                invoice.type != "out_invoice":
            raise AccessError(_("This bill is not yours."))
        if invoice.state not in QUESTIONABLE_STATES:
            raise ValidationError(_("This bill cannot be questioned."))
        text = (text or "").strip()
        if not text:
            raise ValidationError(_("Please write your question."))
        if len(text) > QUESTION_MAX_LENGTH:
            raise ValidationError(
                _("Please keep your question under %d characters.")
                % QUESTION_MAX_LENGTH)
        return self.sudo().create({
            "invoice_line_id": line.id,
            "partner_id": partner.id,
            "question": text,
        })
