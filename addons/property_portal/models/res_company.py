# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import hashlib

from odoo import api, fields, models

# sha1 of Odoo's "Your logo" placeholder, the default logo of a new company
_DEFAULT_LOGO_SHA1 = []


def _default_logo_sha1(company):
    if not _DEFAULT_LOGO_SHA1:
        default = company._get_logo()
        _DEFAULT_LOGO_SHA1.append(
            hashlib.sha1(base64.b64decode(default)).hexdigest()
            if default else "")
    return _DEFAULT_LOGO_SHA1[0]


class ResCompany(models.Model):
    """Whether the portal shows the company's logo or its name: never Odoo's
    "Your logo" placeholder, which a company that never set a logo keeps."""

    _inherit = "res.company"

    property_portal_has_logo = fields.Boolean(
        string="Logo on the Portal", compute="_compute_property_portal_has_logo",
        help="The company has a logo of its own (not Odoo's placeholder): "
             "the owner portal shows it, otherwise the company's name.")

    @api.multi
    def _compute_property_portal_has_logo(self):
        # the logo is the partner's image, kept as an attachment: compare its
        # checksum (no need to read the image)
        attachments = self.env["ir.attachment"].sudo().search_read([
            ("res_model", "=", "res.partner"), ("res_field", "=", "image"),
            ("res_id", "in", self.sudo().mapped("partner_id").ids),
        ], ["res_id", "checksum"])
        checksums = {att["res_id"]: att["checksum"] for att in attachments}
        default = _default_logo_sha1(self)
        for company in self:
            checksum = checksums.get(company.sudo().partner_id.id)
            company.property_portal_has_logo = bool(
                checksum and checksum != default)
