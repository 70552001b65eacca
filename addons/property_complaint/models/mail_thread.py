# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, models, tools

from ..rules import intake as intake_rules

_logger = logging.getLogger(__name__)

COMPLAINT_MODEL = "property.complaint"


class MailThread(models.AbstractModel):
    """Keep machine-sent mail out of the complaint pipeline.

    Odoo already drops bounces (``multipart/report``, mailer-daemon) and mails
    whose Message-Id it has seen (loops through the same message). On top of
    that, auto-replies and bulk mail (``rules.intake.is_automatic``) and mails
    sent by one of our own aliases are not routed to ``property.complaint``:
    neither a new complaint nor a message on an existing one.
    """

    _inherit = "mail.thread"

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None,
                      custom_values=None):
        routes = super().message_route(
            message, message_dict, model=model, thread_id=thread_id,
            custom_values=custom_values)
        if not any(route[0] == COMPLAINT_MODEL for route in routes):
            return routes
        reason = self._complaint_mail_ignored(message)
        if not reason:
            return routes
        _logger.info("Mail %s from %s not routed to complaints: %s",
                     message.get("Message-Id"), message.get("From"), reason)
        return [route for route in routes if route[0] != COMPLAINT_MODEL]

    @api.model
    def _complaint_mail_ignored(self, message):
        """Why an incoming mail must not reach complaints (or '')."""
        if intake_rules.is_automatic(message):
            return "automatic reply or bulk mail"
        email_from = tools.decode_message_header(message, "From")
        emails = tools.email_split(email_from)
        if emails:
            local_part, _sep, domain = emails[0].lower().partition("@")
            alias_domain = self.env["ir.config_parameter"].sudo().get_param(
                "mail.catchall.domain")
            if alias_domain and domain == alias_domain.lower():
                aliases = self.env["mail.alias"].sudo().search(
                    [("alias_name", "=", local_part)], limit=1)
                catchall = self.env["ir.config_parameter"].sudo().get_param(
                    "mail.catchall.alias")
                if aliases or local_part == (catchall or "").lower():
                    return "sent by one of our own aliases (mail loop)"
        return ""
