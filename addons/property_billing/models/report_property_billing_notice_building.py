# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError

from .report_property_billing_notice import NOTICE_STATES


class ReportPropertyBillingNoticeBuilding(models.AbstractModel):
    """The batch of billing notices of a building for posting at its
    entrances: one page per unit, in unit order. They are notice-board
    copies: no access token in their QR code, the payer masked (see
    ``_notice_values``). Rendering changes nothing (a GET of the report URL
    may come from any image tag); the ``print`` deliveries are marked sent by
    the "Send Billing Notices" wizard or the deliveries' "Mark as Printed".

    ``data`` may give ``invoice_ids`` (the bills to print) or
    ``billing_period``; without either, the latest period billed in each
    building is printed.
    """

    _name = "report.property_billing.report_billing_notice_building"
    _inherit = "report.property_billing.report_billing_notice"
    _description = "Billing Notices of a Building"

    @api.model
    def get_report_values(self, docids, data=None):
        data = data or {}
        buildings = self.env["property.building"].browse(docids)
        Invoice = self.env["account.invoice"]
        selected = Invoice.browse(data.get("invoice_ids") or [])
        batches = []
        printed = Invoice
        for building in buildings:
            base = [("type", "=", "out_invoice"), ("state", "in", NOTICE_STATES),
                    ("property_unit_id.building_id", "=", building.id)]
            if selected:
                invoices = selected.filtered(
                    lambda inv: inv.property_unit_id.building_id == building
                    and inv.type == "out_invoice" and inv.state in NOTICE_STATES)
            else:
                period = data.get("billing_period") or self._latest_period(
                    building, base)
                invoices = Invoice.search(base + [("billing_period", "=", period)]) \
                    if period else Invoice
            invoices = invoices.sorted(
                lambda inv: (inv.property_unit_id.code or "", inv.id))
            printed |= invoices
            batches.append({
                "building": building,
                "notices": [self._notice_values(inv, board=True)
                            for inv in invoices],
            })
        if not printed:
            raise UserError(_(
                "There is no validated bill to print for %s.")
                % ", ".join(buildings.mapped("name")))
        return {
            "doc_ids": buildings.ids,
            "doc_model": "property.building",
            "docs": buildings,
            "batches": batches,
        }

    @api.model
    def _latest_period(self, building, base):
        latest = self.env["account.invoice"].search(
            base + [("billing_period", "!=", False)],
            order="date_invoice desc, id desc", limit=1)
        return latest.billing_period
