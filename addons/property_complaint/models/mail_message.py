# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

COMPLAINT_MODEL = "property.complaint"


class MailMessage(models.Model):
    """Internal notes of complaints stay internal.

    Odoo 11 hides internal messages from non-employees in ``_search``, but
    ``check_access_rule`` only refuses them the internal *comments*: a note
    posted as a notification (SLA steps, call-back results, SMS outcomes,
    tracked changes of the assignee or the sensitive flag) could be read by
    its id by the complainant. Owners read only the public messages of their
    complaints.
    """

    _inherit = "mail.message"

    @api.multi
    def check_access_rule(self, operation):
        result = super().check_access_rule(operation)
        if self.ids and self.env.uid != SUPERUSER_ID and \
                not self.env.user.has_group("base.group_user"):
            self._check_complaint_public()
        return result

    @api.multi
    def _check_complaint_public(self):
        """Refuse internal messages of complaints (no subtype or an internal
        one) to the current user."""
        self.env.cr.execute("""
            SELECT message.id
              FROM mail_message message
              LEFT JOIN mail_message_subtype subtype
                ON subtype.id = message.subtype_id
             WHERE message.id = ANY(%s)
               AND message.model = %s
               AND (message.subtype_id IS NULL OR subtype.internal IS TRUE)
             LIMIT 1
        """, (list(self.ids), COMPLAINT_MODEL))
        if self.env.cr.fetchone():
            raise AccessError(_(
                "Internal notes of complaints are for the service team only."))
