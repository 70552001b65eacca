# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.multi
    def _property_demo_set_lang(self, lang):
        """Give these (demo) users ``lang`` when it is loaded in the database.

        The suite's demo users read Chinese where the database has zh_CN; in a
        database with English only (OCA CI, most existing companies) they keep
        the language they were created with instead of failing the install.
        Called from the add-ons' demo data only.
        """
        if self.env["res.lang"].search_count([("code", "=", lang)]):
            self.write({"lang": lang})
        return True
