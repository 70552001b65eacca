# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PropertyComplaintPause(models.Model):
    """A stretch of time during which a complaint waited on the owner: its SLA
    clocks do not run (``date_end`` empty while it lasts)."""

    _name = "property.complaint.pause"
    _description = "Complaint SLA Pause"
    _order = "date_start, id"

    complaint_id = fields.Many2one(
        "property.complaint", required=True, index=True,
        ondelete="cascade")
    date_start = fields.Datetime(string="Paused From", required=True)
    date_end = fields.Datetime(
        string="Paused Until", help="Empty while the complaint still waits.")
    reason = fields.Char(help="What the complaint waits for.")

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for pause in self:
            if pause.date_end and pause.date_end < pause.date_start:
                raise ValidationError(_(
                    "A pause of the time limits cannot end before it starts."))
