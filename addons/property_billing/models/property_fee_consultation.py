# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models

from ..rules.fee_standards import CONSULTATION_OUTCOMES


class PropertyFeeConsultation(models.Model):
    """An owner consultation (业主代表座谈会) on a changed fee standard: it is
    recorded before the new version can be approved."""

    _name = "property.fee.consultation"
    _inherit = ["mail.thread"]
    _description = "Owner Consultation on a Fee Standard"
    _order = "date desc, id desc"

    name = fields.Char(
        string="Subject", required=True,
        default=lambda self: _("Owner consultation"))
    standard_id = fields.Many2one(
        "property.fee.standard", string="Fee Standard", required=True,
        index=True, ondelete="cascade")
    estate_id = fields.Many2one(
        "property.estate", related="standard_id.estate_id", store=True,
        readonly=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    location = fields.Char()
    participants = fields.Text(
        required=True,
        help="Owners' representatives, owners' committee members and staff "
             "who took part.")
    minutes = fields.Html(help="Minutes of the meeting (会议纪要).")
    objections = fields.Text(help="Objections raised by owners and the answers.")
    outcome = fields.Selection(
        CONSULTATION_OUTCOMES, required=True, default="agreed",
        track_visibility="onchange")
    attachment_ids = fields.Many2many(
        "ir.attachment", "property_fee_consultation_attachment_rel",
        "consultation_id", "attachment_id", string="Attachments",
        help="Signed attendance list, scanned minutes, owners' letters...")
    company_id = fields.Many2one(
        "res.company", related="standard_id.company_id", store=True,
        readonly=True)
