# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import AccessError


class MailMail(models.Model):
    """Outgoing mail is the company's, not the owners'.

    Odoo 11 gives portal users read, create and write on ``mail.mail``
    (``mail.access_mail_mail_portal``) and no record rule: over RPC an owner
    could send any e-mail from the company's server (``create`` + ``send``,
    or the composer in mass-mail mode) and read or redirect the mail queued
    for others, bill links included. Their own flows make and send mail as
    the superuser (``mail.message._notify`` notifies through sudo'ed partners
    and sends after the commit as the superuser), so share users (portal and
    public) are refused any access of their own; ``sudo()`` keeps working.
    """

    _inherit = "mail.mail"

    @api.model
    def check_access_rights(self, operation, raise_exception=True):
        if self.env.user.share:
            if raise_exception:
                raise AccessError(_(
                    "Portal users cannot read, write or send outgoing e-mail."))
            return False
        return super().check_access_rights(
            operation, raise_exception=raise_exception)

    @api.multi
    def send(self, auto_commit=False, raise_exception=False):
        self.check_access_rights("write")
        return super().send(auto_commit=auto_commit,
                            raise_exception=raise_exception)
