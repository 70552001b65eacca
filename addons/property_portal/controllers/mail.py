# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http

from odoo.addons.portal.controllers.mail import PortalChatter


class PropertyPortalChatter(PortalChatter):

    @http.route()
    def portal_chatter_post(self, res_model, res_id, message, **kw):
        """Post only the message, whatever else the form carries.

        With a valid access token Odoo 11 posts as the superuser and passes
        every other form field on to ``message_post``: a token holder could
        post an internal note, choose the sender address or notify anyone.
        The owner's own checks (``mail.thread.message_post`` for share users)
        do not apply under sudo, so the controller keeps the token and drops
        the rest: a public comment by the poster, as in the portal's form.
        """
        allowed = {key: kw[key] for key in ("token",) if key in kw}
        return super().portal_chatter_post(res_model, res_id, message, **allowed)
