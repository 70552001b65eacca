# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

_logger = logging.getLogger(__name__)

LEDGER_DRAFT = "draft"
LEDGER_POSTED = "posted"
LEDGER_CANCELLED = "cancelled"
LEDGER_REFUNDED = "refunded"
LEDGER_STATES = [
    (LEDGER_DRAFT, "Draft"),
    (LEDGER_POSTED, "Posted"),
    (LEDGER_CANCELLED, "Cancelled"),
    (LEDGER_REFUNDED, "Credited"),
]
# States that no longer hold the unit × item × period key.
FREE_STATES = (LEDGER_CANCELLED, LEDGER_REFUNDED)

ONCE_INDEX = "property_billing_line_once_uniq"
OVERLAP_CONSTRAINT = "property_billing_line_no_overlap"


class PropertyBillingLine(models.Model):
    """The exactly-once ledger: one row per unit × fee item × billing period.

    A partial unique index on (unit, item, first day of the period) over the
    rows that are not cancelled or credited makes a second bill of the same
    unit, item and period impossible in the database itself, whatever runs,
    workers or transactions try it at the same time; where PostgreSQL has
    ``btree_gist``, an exclusion constraint also refuses two live rows whose
    days overlap (a monthly and a quarterly bill of the same fee). The invoice
    lines of every payer of the unit for that period point to the row.

    The ledger changes only through the billing run (:meth:`_create_entries`,
    or the batch's SQL) and the invoice flows that cancel, credit, post or
    delete the bills (:meth:`_sync_state`, :meth:`_sync_posted`): ``create``,
    ``write`` and ``copy`` refuse every caller but the superuser, whatever
    its groups, so that no RPC call can free a billed period for a second
    bill. ``unlink`` removes only freed rows (cancelled or credited).
    """

    _name = "property.billing.line"
    _description = "Billing Ledger Entry"
    _order = "date_from desc, unit_id, item_id, id"
    _rec_name = "period"

    run_id = fields.Many2one(
        "property.billing.run", string="Billing Run", index=True,
        ondelete="restrict", readonly=True)
    unit_id = fields.Many2one(
        "property.unit", required=True, index=True, ondelete="restrict",
        readonly=True)
    estate_id = fields.Many2one(
        "property.estate", related="unit_id.estate_id", store=True, readonly=True,
        index=True)
    item_id = fields.Many2one(
        "property.fee.item", string="Fee Item", required=True, index=True,
        ondelete="restrict", readonly=True)
    standard_id = fields.Many2one(
        "property.fee.standard", string="Fee Standard", ondelete="restrict",
        readonly=True)
    date_from = fields.Date(string="Period From", required=True, readonly=True)
    date_to = fields.Date(string="Period To", required=True, readonly=True)
    period = fields.Char(readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Main Payer", index=True, ondelete="restrict",
        readonly=True)
    invoice_line_id = fields.Many2one(
        "account.invoice.line", string="Main Invoice Line", ondelete="set null",
        readonly=True)
    invoice_line_ids = fields.One2many(
        "account.invoice.line", "property_billing_line_id", string="Invoice Lines",
        readonly=True)
    amount = fields.Monetary(readonly=True, help="Billed for the whole period.")
    currency_id = fields.Many2one(
        "res.currency", related="unit_id.estate_id.company_id.currency_id",
        readonly=True)
    company_id = fields.Many2one(
        "res.company", related="unit_id.company_id", store=True, readonly=True)
    state = fields.Selection(
        LEDGER_STATES, required=True, default=LEDGER_DRAFT, index=True,
        readonly=True)

    @api.model_cr
    def init(self):
        cr = self.env.cr
        cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS property_billing_line_once_uniq
            ON property_billing_line (unit_id, item_id, date_from)
            WHERE state NOT IN ('cancelled', 'refunded')
        """)
        cr.execute("SELECT 1 FROM pg_constraint WHERE conname = %s",
                   (OVERLAP_CONSTRAINT,))
        if cr.fetchone():
            return
        try:
            with cr.savepoint():
                cr.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
                cr.execute("""
                    ALTER TABLE property_billing_line
                    ADD CONSTRAINT property_billing_line_no_overlap EXCLUDE USING gist (
                        unit_id WITH =, item_id WITH =,
                        daterange(date_from, date_to, '[]') WITH &&)
                    WHERE (state NOT IN ('cancelled', 'refunded'))
                """)
        except Exception as error:  # pylint: disable=broad-except
            _logger.warning("btree_gist unavailable, overlapping periods are "
                            "guarded by the unique index only: %s", error)

    @api.multi
    def name_get(self):
        return [(line.id, "%s · %s · %s" % (
            line.unit_id.name, line.item_id.name, line.period or line.date_from))
            for line in self]

    def _check_ledger_caller(self):
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_(
                "The billing ledger is kept by billing runs and by the "
                "invoices they issue: cancel a draft invoice or issue a "
                "credit note to free a billed period."))

    @api.model
    def create(self, vals):
        self._check_ledger_caller()
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._check_ledger_caller()
        return super().write(vals)

    @api.model
    def _create_entries(self, vals_list):
        """Create the ledger rows of ``vals_list`` for a billing run, with the
        caller's access rights and record rules (the run has checked the
        rest). Returns the rows."""
        self.check_access_rights("create")
        entries = self.browse()
        for vals in vals_list:
            # the guarded create() is skipped on purpose: this is its way in
            # pylint: disable=super-method-mismatch
            entries |= super(PropertyBillingLine, self).create(vals)
        return entries

    @api.multi
    def _write_entries(self, vals):
        """``write`` for the flows that keep the ledger (run, invoices), with
        the caller's access rights and record rules."""
        # pylint: disable=super-method-mismatch
        return super(PropertyBillingLine, self).write(vals)

    @api.multi
    def unlink(self):
        if any(line.state not in FREE_STATES for line in self):
            raise UserError(_(
                "A billed period cannot be deleted: cancel its draft invoice or "
                "issue a credit note."))
        return super().unlink()

    @api.model
    def _sync_posted(self, invoices):
        """:meth:`_sync_state` for ``invoices`` just posted (customer invoices,
        no credit note yet): their draft rows are posted once no other
        invoice of theirs is still a draft."""
        if not invoices:
            return
        cr = self.env.cr
        # lookups by id without joins, so that the plans do not depend on
        # statistics (a first big run inserts far more rows than they know of)
        cr.execute("""
            SELECT DISTINCT property_billing_line_id FROM account_invoice_line
            WHERE invoice_id IN %s AND property_billing_line_id IS NOT NULL
        """, (tuple(invoices.ids),))
        entries = {row[0] for row in cr.fetchall()}
        if not entries:
            return
        cr.execute("""
            SELECT property_billing_line_id, invoice_id FROM account_invoice_line
            WHERE property_billing_line_id IN %s
        """, (tuple(entries),))
        invoices_of = {}
        for entry_id, invoice_id in cr.fetchall():
            invoices_of.setdefault(invoice_id, set()).add(entry_id)
        cr.execute("""
            SELECT id FROM account_invoice
            WHERE id IN %s AND type = 'out_invoice' AND state = 'draft'
        """, (tuple(invoices_of),))
        for invoice_id, in cr.fetchall():
            entries -= invoices_of[invoice_id]
        if not entries:
            return
        cr.execute("""
            UPDATE property_billing_line SET state = %s, write_uid = %s,
                write_date = (now() at time zone 'UTC')
            WHERE id IN %s AND state = %s
            RETURNING id
        """, (LEDGER_POSTED, self.env.uid, tuple(entries), LEDGER_DRAFT))
        posted = self.browse([row[0] for row in self.env.cr.fetchall()])
        posted.modified(["state", "write_uid", "write_date"])

    @api.multi
    def _sync_state(self):
        """Follow the invoices: cancelled when every invoice line is gone or
        cancelled, credited when the rest were fully refunded, draft while one
        is draft, else posted. A cancelled or credited row frees its key."""
        if not self:
            return
        # the main invoice line counts even when it no longer points back to
        # the row: a line re-pointed over RPC must not free a billed period
        invoices_of = {line: (line.invoice_line_ids | line.invoice_line_id).mapped(
            "invoice_id").filtered(lambda inv: inv.type == "out_invoice")
            for line in self}
        live = self.env["account.invoice"].union(*invoices_of.values()).filtered(
            lambda inv: inv.state not in ("cancel", "draft"))
        refunded = {}
        if live:
            refunds = self.env["account.invoice"].search([
                ("type", "=", "out_refund"), ("refund_invoice_id", "in", live.ids),
                ("state", "in", ("open", "paid"))])
            for refund in refunds:
                origin = refund.refund_invoice_id.id
                refunded[origin] = refunded.get(origin, 0.0) + refund.amount_total
        to_write = {}
        for line, invoices in invoices_of.items():
            credited = invoices.filtered(
                lambda inv: inv.id in refunded and not inv.currency_id.compare_amounts(
                    refunded[inv.id], inv.amount_total))
            remaining = invoices.filtered(lambda inv: inv.state != "cancel") - credited
            if not remaining:
                state = LEDGER_REFUNDED if credited else LEDGER_CANCELLED
            elif remaining.filtered(lambda inv: inv.state == "draft"):
                state = LEDGER_DRAFT
            else:
                state = LEDGER_POSTED
            if line.state != state:
                to_write[state] = to_write.get(state, self.browse()) | line
        for state, lines in to_write.items():
            lines._write_entries({"state": state})
