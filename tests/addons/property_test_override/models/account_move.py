# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

CERTIFIED = "certified by property_test_override"


class AccountMove(models.Model):
    """What ``l10n_fr_certification`` does in 11.0: something is written
    when an entry is posted, in ``write``."""

    _inherit = "account.move"

    @api.multi
    def write(self, vals):
        if vals.get("state") == "posted":
            vals = dict(vals, narration=CERTIFIED)
        return super(AccountMove, self).write(vals)
