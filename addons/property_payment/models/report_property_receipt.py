# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from odoo.addons.property_billing.models.report_property_billing_notice import (
    report_values)

from ..rules.amount_words import amount_to_figures

RECEIPT_REPORT = "property_payment.report_receipt"


class ReportPropertyReceipt(models.AbstractModel):
    """Values of the receipt PDF (收款收据), one page per receipt.

    Each page holds the company's full name and the estate, the number and
    the date, the payer and the units (房号, with building and 建筑面积), one
    row per fee item and period, the advance credit (预存) when any, the total
    in figures and in Chinese capitals, the payment method and its serial
    number (流水号), the cashier (收款人) and a framed place for the finance
    seal (财务专用章). A void receipt carries a 作废 VOID stamp with its
    reason; a receipt printed before carries 补打 (reprint) with the count.

    Only what the reader may read is printed: the receipts are checked
    against the reader's access rights and record rules first.
    """

    _name = "report.%s" % RECEIPT_REPORT
    _description = "Receipt Report"

    @api.model
    def get_report_values(self, docids, data=None):
        return report_values(self._readable(docids), "receipts",
                             self._receipt_values)

    # -- helpers -------------------------------------------------------------------

    @api.model
    def _readable(self, docids):
        """The receipts ``docids``, after the reader's rights and rules
        (AccessError otherwise)."""
        receipts = self.env["property.receipt"].browse(docids)
        existing = set(receipts.exists().ids)
        # in the order asked (``exists`` returns them in table order)
        receipts = receipts.browse([rid for rid in receipts.ids
                                    if rid in existing])
        receipts.check_access_rights("read")
        receipts.check_access_rule("read")
        return receipts

    @api.model
    def _count_print(self, docids):
        """One more print of each receipt ``docids`` (PDF renderings): the
        next print is marked 补打. One statement, so that two prints at once
        both count; rights are checked first."""
        receipts = self._readable(docids)
        if not receipts:
            return
        self.env.cr.execute(
            "UPDATE property_receipt SET print_count = "
            "COALESCE(print_count, 0) + 1 WHERE id IN %s",
            (tuple(receipts.ids),))
        receipts.invalidate_cache(["print_count"], receipts.ids)

    @api.model
    def _units(self, receipt):
        """The units on the receipt: those of the bills it paid, otherwise
        (advance credit only) the units the payer occupies in the estate on
        the receipt's date."""
        units = receipt.unit_ids
        if not units:
            occupancies = self.env["property.occupancy"].search([
                ("estate_id", "=", receipt.estate_id.id),
                ("partner_id", "child_of", receipt.partner_id.id),
                ("date_from", "<=", receipt.date),
                "|", ("date_to", "=", False), ("date_to", ">=", receipt.date)])
            units = occupancies.mapped("unit_id").sorted("code")
        return units

    @api.model
    def _receipt_values(self, receipt):
        company = receipt.company_id
        units = [{
            "code": unit.code,
            "building": unit.building_id.name or "",
            "area": "%.2f" % unit.area if unit.area else "",
        } for unit in self._units(receipt)]
        lines = [{
            "name": line.name,
            "unit": line.unit_id.code or "",
            "period": line.period or "",
            "amount": amount_to_figures(line.amount),
        } for line in receipt.line_ids if line.kind != "advance"]
        return {
            "receipt": receipt,
            "company_name": company.name,
            "estate_name": receipt.estate_id.name,
            "payer": receipt.partner_id.name or "",
            "units": units,
            "several_units": len(units) > 1,
            "lines": lines,
            "advance": (amount_to_figures(receipt.advance_amount)
                        if receipt.currency_id.compare_amounts(
                            receipt.advance_amount, 0.0) > 0 else False),
            "total": amount_to_figures(receipt.amount),
            "total_words": receipt.amount_words,
            "tendered": (amount_to_figures(receipt.tendered_amount)
                         if receipt.tendered_amount else False),
            "change": amount_to_figures(receipt.change_amount),
            # the template names the channel (收款方式) from its code
            "channel_code": receipt.channel_code,
            "channel_name": receipt.channel_id.name or "",
            "serial": receipt.serial or "",
            "cashier": receipt.cashier_id.name or "",
            "void": receipt.state == "void",
            "void_reason": receipt.void_reason or "",
            "void_date": receipt.void_date or "",
            "reprint": receipt.print_count > 0,
            "print_number": receipt.print_count + 1,
        }
