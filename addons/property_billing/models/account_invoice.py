# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

# States whose invoice has a posted journal entry made from its values.
POSTED_STATES = ("open", "paid")
# What a posted bill keeps: its move and number, amounts, accounts, partner,
# dates, journal and terms, and the unit and period the ledger billed.
POSTED_INVOICE_FIELDS = frozenset([
    "type", "partner_id", "commercial_partner_id", "partner_bank_id",
    "account_id", "journal_id", "company_id", "currency_id", "date",
    "date_invoice", "date_due", "payment_term_id", "fiscal_position_id",
    "cash_rounding_id", "move_id", "move_name", "number", "refund_invoice_id",
    "amount_untaxed", "amount_untaxed_signed", "amount_tax", "amount_total",
    "amount_total_signed", "amount_total_company_signed", "residual",
    "residual_signed", "residual_company_signed", "reconciled",
    "property_unit_id", "property_estate_id", "property_building_id",
    "billing_period", "property_period_from", "property_period_to",
    "property_billing_run_id",
])


def changed_fields(records, vals, names):
    """The fields among ``names`` whose value in ``vals`` differs from the
    current value of one of ``records``: rewriting a value as it is changes
    nothing. x2many commands that create or update records count as a change."""
    changed = set()
    for name in set(vals).intersection(names):
        field = records._fields[name]
        value = vals[name]
        if field.type in ("one2many", "many2many"):
            commands = value if isinstance(value, (list, tuple)) else [value]
            if any(isinstance(command, dict) or (
                    isinstance(command, (list, tuple)) and command
                    and command[0] in (0, 1, 2)) for command in commands):
                changed.add(name)
                continue
        for record in records:
            new = field.convert_to_cache(value, record, validate=False)
            old = field.convert_to_cache(record[name], record, validate=False)
            if field.type in ("one2many", "many2many"):
                new, old = set(new), set(old)
            if new != old:
                changed.add(name)
                break
    return changed


def posted_change_error(records, names):
    """The error for a change of ``names`` on a validated invoice (or its
    lines or taxes), naming the fields as the user sees them."""
    return records.env["account.invoice"]._property_posted_change_error(
        records, names)


def check_target_invoice(records, vals):
    """Refuse to attach lines or taxes (``records``) to the invoice that
    ``vals`` names unless it is a draft (``records._check_draft_invoice``)."""
    if vals.get("invoice_id"):
        records._check_draft_invoice(records.env["account.invoice"].browse(
            vals["invoice_id"]))


def check_posted_write(records, vals, names):
    """Refuse a ``write`` of ``vals`` on lines or taxes (``records``) that
    changes one of ``names`` on a validated invoice, or moves them to one."""
    posted = records.filtered(
        lambda rec: rec.invoice_id and rec.invoice_id.state != "draft")
    if posted:
        changed = changed_fields(posted, vals, names)
        if changed:
            raise posted_change_error(records, changed)
    check_target_invoice(records, vals)


class AccountInvoice(models.Model):
    """A billing notice (缴费通知单) is a customer invoice of one unit, one
    payer and one billing period."""

    _inherit = "account.invoice"

    # the payer's bills (the counter, the allocation service's lock, the
    # portal, dunning) are searched by it: indexed
    commercial_partner_id = fields.Many2one(index=True)
    property_unit_id = fields.Many2one(
        "property.unit", string="Unit", index=True, ondelete="restrict",
        readonly=True, states={"draft": [("readonly", False)]},
        track_visibility="onchange")
    property_estate_id = fields.Many2one(
        "property.estate", string="Estate", related="property_unit_id.estate_id",
        store=True, readonly=True, index=True)
    property_building_id = fields.Many2one(
        "property.building", string="Building",
        related="property_unit_id.building_id", store=True, readonly=True,
        index=True)
    billing_period = fields.Char(
        index=True, readonly=True, states={"draft": [("readonly", False)]},
        help="Billing period code: 2026-03 (month), 2026-Q1 (quarter), 2026 "
             "(year) or 2026-03-16~2026-04-15.")
    property_period_from = fields.Date(
        string="Period From", readonly=True,
        states={"draft": [("readonly", False)]})
    property_period_to = fields.Date(
        string="Period To", readonly=True,
        states={"draft": [("readonly", False)]})
    property_billing_run_id = fields.Many2one(
        "property.billing.run", string="Billing Run", index=True,
        ondelete="set null", readonly=True, copy=False)
    property_billing_line_ids = fields.Many2many(
        "property.billing.line", string="Billing Ledger",
        compute="_compute_property_billing_line_ids",
        help="Exactly-once ledger entries (unit × fee item × period) billed "
             "by this invoice.")

    @api.multi
    def _compute_property_billing_line_ids(self):
        for invoice in self:
            invoice.property_billing_line_ids = invoice.invoice_line_ids.mapped(
                "property_billing_line_id")

    # -- a validated invoice keeps what its journal entry was made from ---------
    # ``readonly`` binds only the web client: ``write`` refuses what a caller
    # changes over RPC. Odoo's flows (validate, cancel, reset to draft,
    # reconciliation through ``_write``, credit notes) change nothing refused
    # here, so no caller is exempt, the superuser included.

    @api.model
    def create(self, vals):
        if vals.get("state", "draft") != "draft":
            raise UserError(_(
                "An invoice is created as a draft and validated with its "
                "Validate button."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if "state" in vals:
            self._check_state_change(vals)
        posted = self.filtered(lambda inv: inv.state in POSTED_STATES)
        if posted:
            names = changed_fields(posted, vals, POSTED_INVOICE_FIELDS)
            if vals.get("state") == "cancel" and not vals.get("move_id", True):
                # action_cancel detaches the entry, then cancels and deletes it
                names.discard("move_id")
            if names:
                raise posted_change_error(self, names)
        return super().write(vals)

    @api.model
    def _property_posted_change_error(self, records, names):
        """See :func:`posted_change_error`. A method, so that ``_()`` finds
        the user's language through ``self`` also over XML-RPC, which sends
        no context."""
        lang = self.env.lang or self.env.user.lang
        env = records.with_context(lang=lang).env
        labels = sorted(records._fields[name].get_description(env)["string"]
                        for name in names)
        return UserError(_(
            "A validated invoice keeps its amounts, accounts, taxes, partner, "
            "dates and billing ledger: %s cannot be changed. Cancel the "
            "invoice and reset it to draft, or issue a credit note.")
            % ", ".join(labels))

    @api.multi
    def _check_state_change(self, vals):
        """Refuse a state that Odoo's own flows would not give the invoice:
        validated with its journal entry, paid when reconciled, cancelled
        with its entry detached and no payment, draft again only once
        cancelled."""
        new = vals["state"]
        state_field = self._fields["state"]
        for invoice in self:
            old = invoice.state
            if new == old:
                continue
            if new == "draft":
                allowed = old == "cancel"
            elif new == "open":
                # validated: with the entry action_move_create made for it
                move = invoice.move_id
                if vals.get("move_id"):
                    move = move.browse(vals["move_id"])
                own_entry = invoice.id in move.sudo().line_ids.mapped(
                    "invoice_id").ids
                allowed = (old == "draft" and own_entry) or (
                    old == "paid" and not invoice.reconciled)
            elif new == "paid":
                allowed = old == "open" and invoice.reconciled
            elif new == "cancel":
                allowed = old == "draft" or (
                    "move_id" in vals and not vals["move_id"]
                    and not invoice.payment_move_line_ids)
            else:
                # a state of another add-on: its own flow decides
                allowed = True
            if not allowed:
                raise UserError(_(
                    "%(invoice)s cannot go from %(old)s to %(new)s this way: "
                    "use its buttons (Validate, Register Payment, Cancel, "
                    "Reset to Draft) or issue a credit note.") % {
                    "invoice": invoice.display_name,
                    "old": state_field.convert_to_export(old, invoice),
                    "new": state_field.convert_to_export(new, invoice)})

    # -- extension points --------------------------------------------------------

    @api.multi
    def _property_collection_pause(self):
        """(paused, reason): is dunning of this bill paused, and why.

        The base answers (False, ''); property_complaint pauses bills whose
        owner has an open service complaint about them.
        """
        self.ensure_one()
        return False, ""

    @api.model
    def _get_refund_copy_fields(self):
        return super()._get_refund_copy_fields() + [
            "property_unit_id", "billing_period", "property_period_from",
            "property_period_to"]

    @api.model
    def _refund_cleanup_lines(self, lines):
        result = super()._refund_cleanup_lines(lines)
        for command in result:
            if len(command) == 3 and isinstance(command[2], dict):
                command[2].pop("property_billing_line_id", None)
        return result

    # -- the ledger follows the invoice -----------------------------------------

    @api.multi
    def _property_ledger(self):
        return self.mapped("invoice_line_ids.property_billing_line_id")

    @api.multi
    def invoice_validate(self):
        result = super().invoice_validate()
        # a full credit note frees unit × item × period for a new bill
        origins = self.filtered(lambda inv: inv.type == "out_refund").mapped(
            "refund_invoice_id")
        (self | origins)._property_ledger()._sync_state()
        return result

    @api.multi
    def action_cancel(self):
        result = super().action_cancel()
        self._property_ledger()._sync_state()
        return result

    @api.multi
    def unlink(self):
        ledger = self._property_ledger()
        result = super().unlink()
        ledger.exists()._sync_state()
        return result
