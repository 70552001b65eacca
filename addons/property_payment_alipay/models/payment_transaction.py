# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

# the base's service context: the only way to change a portal payment's
# state besides _property_confirm (see property_portal)
from odoo.addons.property_portal.models.payment_transaction import _service


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    @api.multi
    def _alipay_closed(self):
        """Alipay closed the trade unpaid (timeout): cancel ``self`` unless
        it was paid meanwhile (under the same row lock as the payment)."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT state FROM payment_transaction WHERE id = %s FOR UPDATE",
            [self.id])
        state = self.env.cr.fetchone()[0]
        self.invalidate_cache()
        if state in ("draft", "pending") and not self.sudo().property_receipt_id:
            _service(self.sudo()).write({"state": "cancel",
                                         "property_qr_text": False})
            return True
        return False
