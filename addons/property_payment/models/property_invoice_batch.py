# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The invoice batch of property_billing with OCA's payment add-ons, which
this add-on depends on.

Their overrides of ``account.invoice.create`` fill the payment mode
(account_payment_partner: the partner's customer payment mode) and the
direct-debit mandate (account_banking_mandate: the partner's first valid
mandate when the payment mode's method requires one) from the partner and
payment mode onchanges, when the values do not give them. The batch fills
them the same way, in the order the registry chains those overrides, and
declares these two overrides reproduced (and nothing else of these
add-ons), so that billing runs keep writing their invoices in batches.

The rest of what these add-ons change on the batch's path the batch honours
as it is: ``line_get_convert``, which the batch calls, copies the payment
mode, the mandate (customer invoices) and the partner's bank account (vendor
bills, account_payment_order) to the receivable item; their constraints on
invoices and journal items run with the others; their new fields on
invoices, entries and items are plain columns or computed and not stored.
``tests/test_billing_batch_oca.py`` compares both paths column by column.
"""
from odoo import _, api, models
from odoo.exceptions import ValidationError

from odoo.addons.property_billing.models.property_bulk_insert import (
    addon_of as _addon_of)

# What the create override of each add-on does: for each onchange, in the
# order it calls them, the fields it takes from the onchange when the values
# do not give them (and the onchange gives a value).
CREATE_ONCHANGES = {
    "account_payment_partner": (
        ("_onchange_partner_id", ("payment_mode_id",)),
    ),
    "account_banking_mandate": (
        ("_onchange_partner_id", ("mandate_id",)),
        ("_onchange_payment_mode_id", ("mandate_id",)),
    ),
}
REPRODUCED = frozenset(
    ("account.invoice", "create", addon) for addon in CREATE_ONCHANGES)
# account_banking_mandate's constraint on journal items (a mandate of the
# item's company), which reads back every item written: checked here in one
# query on the new items instead, with its message
ITEM_MANDATE_CHECK = ("account.move.line", "_check_company_constrains")


class PropertyInvoiceBatch(models.AbstractModel):
    _inherit = "property.invoice.batch"

    @api.model
    def _known_override(self, model, method, addon):
        return ((model, method, addon) in REPRODUCED
                or super()._known_override(model, method, addon))

    @api.model
    def _invoice_onchanges(self, Invoice, vals):
        """What the create overrides of CREATE_ONCHANGES add, then the
        account's."""
        return super()._invoice_onchanges(
            Invoice, self._payment_onchanges(Invoice, vals))

    @api.model
    def _payment_onchanges(self, Invoice, vals):
        """``vals`` with the values the create overrides of CREATE_ONCHANGES
        add, each seeing what the one before it added (the first of the
        registry's class chain runs first)."""
        vals = dict(vals)
        for cls in type(Invoice).__mro__:
            if "create" in vars(cls):
                for method, names in CREATE_ONCHANGES.get(_addon_of(cls), ()):
                    self._fill_from_onchange(Invoice, vals, method, names)
        return vals

    @api.model
    def _fill_from_onchange(self, Invoice, vals, method, names):
        """Add to ``vals`` the fields ``names`` it lacks, from ``method``
        run on a new invoice of ``vals``, as those create overrides do."""
        if all(name in vals for name in names):
            return
        invoice = Invoice.new(vals)
        getattr(invoice, method)()
        for name in names:
            if name not in vals and invoice[name]:
                vals[name] = invoice._fields[name].convert_to_write(
                    invoice[name], invoice)

    # -- account_banking_mandate's constraint on journal items ----------------

    @api.model
    def _item_mandate_check_is_oca(self):
        """Whether the journal items' ``_check_company_constrains`` is
        account_banking_mandate's own (no other add-on's override)."""
        model, method = ITEM_MANDATE_CHECK
        owners = {_addon_of(cls) for cls in type(self.env[model]).__mro__
                  if method in vars(cls)}
        return owners == {"account_banking_mandate"}

    @api.model
    def _hold_by_construction(self):
        skip = super()._hold_by_construction()
        if self._item_mandate_check_is_oca():
            skip = skip | {ITEM_MANDATE_CHECK}
        return skip

    @api.model
    def _create_moves(self, invoices):
        result = super()._create_moves(invoices)
        if result[0] and self._item_mandate_check_is_oca():
            self._check_item_mandates(result[0])
        return result

    @api.model
    def _check_item_mandates(self, moves):
        """account_banking_mandate's ``_check_company_constrains`` on the
        items of ``moves``: an item's mandate of a company is of the item's
        company."""
        self.env.cr.execute("""
            SELECT line.id FROM account_move_line line
            JOIN account_banking_mandate mandate ON mandate.id = line.mandate_id
            WHERE line.move_id IN %s AND mandate.company_id IS NOT NULL
              AND mandate.company_id != line.company_id
            ORDER BY line.id LIMIT 1
        """, (tuple(moves.ids),))
        row = self.env.cr.fetchone()
        if row:
            line = self.env["account.move.line"].browse(row[0])
            raise ValidationError(_(
                "The item %(item)s of journal %(journal)s has a different "
                "company than that of the linked mandate %(mandate)s.") % {
                "item": line.name, "journal": line.move_id.name,
                "mandate": line.mandate_id.display_name})
