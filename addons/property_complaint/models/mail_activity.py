# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError

COMPLAINT_MODEL = "property.complaint"


class MailActivity(models.Model):
    """Activities on a sensitive complaint go to complaint managers only."""

    _inherit = "mail.activity"

    @api.model
    def create(self, vals):
        activity = super().create(vals)
        activity._check_sensitive_complaint()
        return activity

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if "user_id" in vals or "res_id" in vals:
            self._check_sensitive_complaint()
        return result

    @api.multi
    def _check_sensitive_complaint(self):
        Complaint = self.env[COMPLAINT_MODEL].sudo()
        for activity in self.sudo().filtered(
                lambda act: act.res_model == COMPLAINT_MODEL and act.user_id):
            complaint = Complaint.browse(activity.res_id).exists()
            if complaint.sensitive and \
                    not Complaint._is_complaint_manager(activity.user_id):
                raise UserError(_(
                    "A complaint about a staff member is handled by complaint "
                    "managers only: %s cannot get an activity on it.")
                    % activity.user_id.name)
