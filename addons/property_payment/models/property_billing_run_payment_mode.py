# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Billing runs with OCA's payment add-ons: the payment mode and the
direct-debit mandate of each payer's bills, found once per payer.

A run gives its invoices the fields ``account.invoice.create`` would fill
through the partner onchange, found once per payer (property_billing's
``_partner_invoice_vals``; in bulk for plain payers,
``_prefetch_partner_invoice_vals``). With account_payment_partner and
account_banking_mandate, ``create`` also fills ``payment_mode_id`` and
``mandate_id`` through the partner and payment mode onchanges, on every
invoice: the run adds them to its per-payer values, so that neither the
invoice batch nor ``create`` runs those onchanges again for each bill.

They are found by those add-ons' own onchanges (the batch's
``_payment_onchanges``) once per payer, and in bulk for the payers
prefetched in bulk: the payer's customer payment mode in the run's company
(none for a payer whose invoices are blocked, as the onchange drops such a
partner), and its first valid mandate in that company when the mode's method
needs one. Both only while those onchanges are the ones of ONCHANGE_ADDONS;
with another add-on's override among them, the run leaves the fields out and
every invoice gets them from its own onchanges, as ``create`` does.
"""
from odoo import api, models

from odoo.addons.property_billing.models.property_bulk_insert import (
    addon_of as _addon_of)

PAYMENT_FIELDS = ("payment_mode_id", "mandate_id")
# the onchanges behind the payment fields, and the add-ons whose versions of
# them give the per-payer values found here
ONCHANGES = ("_onchange_partner_id", "_onchange_payment_mode_id", "set_mandate")
ONCHANGE_ADDONS = frozenset(
    ["account", "account_payment_partner", "account_banking_mandate"])


class PropertyBillingRun(models.Model):
    # payment modes per payer, apart from the advance credit of the run
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "property.billing.run"

    @api.model
    def _payment_onchanges_known(self):
        """Whether the onchanges that fill the payment fields are those of
        ONCHANGE_ADDONS only."""
        return all(
            _addon_of(cls) in ONCHANGE_ADDONS
            for cls in type(self.env["account.invoice"]).__mro__
            if any(name in vars(cls) for name in ONCHANGES))

    @api.multi
    def _partner_invoice_vals(self, partner, cache):
        vals = super()._partner_invoice_vals(partner, cache)
        if (any(name not in vals for name in PAYMENT_FIELDS)
                and self._payment_onchanges_known()):
            filled = self.env["property.invoice.batch"]._payment_onchanges(
                self.env["account.invoice"], dict(
                    vals, partner_id=partner.id, type="out_invoice",
                    company_id=self.company_id.id, journal_id=self.journal_id.id))
            payment = {name: filled.get(name, False) for name in PAYMENT_FIELDS}
            cache["partner", partner.id].update(payment)
            vals.update(payment)
        return vals

    @api.multi
    def _prefetch_partner_invoice_vals(self, partner_ids, cache):
        todo = [pid for pid in set(partner_ids) if ("partner", pid) not in cache]
        super()._prefetch_partner_invoice_vals(partner_ids, cache)
        done = [pid for pid in todo if ("partner", pid) in cache]
        if not done or not self._payment_onchanges_known():
            return
        partners = self.env["res.partner"].browse(done).with_context(
            force_company=self.company_id.id)
        for partner in partners:
            mode = partner.customer_payment_mode_id
            if partner.invoice_warn == "block":
                mode = mode.browse()
            mandate = (partner.valid_mandate_id
                       if mode.payment_method_id.mandate_required else None)
            cache["partner", partner.id].update(
                payment_mode_id=mode.id or False,
                mandate_id=mandate.id if mandate else False)
