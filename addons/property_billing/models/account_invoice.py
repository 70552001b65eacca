# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AccountInvoice(models.Model):
    """A billing notice (缴费通知单) is a customer invoice of one unit, one
    payer and one billing period."""

    _inherit = "account.invoice"

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
