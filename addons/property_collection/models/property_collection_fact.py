# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

from ..rules.collection import PAYER_TYPES

PAYER_TYPE_SELECTION = list(zip(PAYER_TYPES, [
    "Resident", "Commercial", "Vacant", "Developer-held"]))
KINDS = [
    ("billed", "Billed"),
    ("collected", "Collected"),
    ("other", "Other Settlement"),
]
# the payer type of ``rules.collection.payer_type``, in SQL (u: the unit)
PAYER_TYPE_SQL = """
    CASE WHEN u.state = 'undelivered' THEN 'developer'
         WHEN u.state = 'vacant' THEN 'vacant'
         WHEN u.unit_type = 'commercial' THEN 'commercial'
         ELSE 'resident' END"""
# the bills analysed: posted customer bills of a unit
BILLS_SQL = """
    SELECT i.id, i.company_id, i.currency_id, i.property_unit_id AS unit_id,
           i.commercial_partner_id AS partner_id, i.billing_period,
           i.date_invoice, i.date_due, i.amount_total_signed AS amount,
           i.residual_company_signed AS residual, i.move_id
      FROM account_invoice i
     WHERE i.type = 'out_invoice' AND i.state IN ('open', 'paid')
       AND i.property_unit_id IS NOT NULL"""


VIEW_SQL = """
        CREATE OR REPLACE VIEW property_collection_fact AS (
        WITH bill AS (%(bills)s),
        receipted AS (
            SELECT rl.invoice_id, sum(rl.amount) AS amount
              FROM property_receipt_line rl
              JOIN property_receipt r ON r.id = rl.receipt_id
             WHERE rl.kind = 'bill' AND r.state = 'posted'
               AND rl.invoice_id IN (SELECT id FROM bill)
             GROUP BY rl.invoice_id
        ),
        reconciled AS (
            SELECT b.id AS invoice_id, max(p.max_date) AS date
              FROM bill b
              JOIN account_move_line ml ON ml.move_id = b.move_id
              JOIN account_account a ON a.id = ml.account_id
                   AND a.internal_type = 'receivable'
              JOIN account_partial_reconcile p ON p.debit_move_id = ml.id
             GROUP BY b.id
        ),
        facts AS (
            SELECT l.id * 4 AS id, 'billed' AS kind,
                   b.date_invoice AS date, b.id AS invoice_id,
                   l.property_fee_item_id AS fee_item_id,
                   NULL::varchar AS channel_code,
                   l.price_total AS billed, 0.0 AS collected,
                   0.0 AS other_settled
              FROM bill b
              JOIN account_invoice_line l ON l.invoice_id = b.id
            UNION ALL
            -- what the lines leave of the bill's total (a tax rounded
            -- on the bill, not per line)
            SELECT b.id * 4 + 3, 'billed', b.date_invoice, b.id, NULL,
                   NULL, b.amount - sum(l.price_total), 0.0, 0.0
              FROM bill b
              JOIN account_invoice_line l ON l.invoice_id = b.id
             GROUP BY b.id, b.date_invoice, b.amount
            HAVING b.amount <> sum(l.price_total)
            UNION ALL
            SELECT rl.id * 4 + 1, 'collected', r.date, b.id,
                   il.property_fee_item_id, r.channel_code,
                   0.0, rl.amount, 0.0
              FROM property_receipt_line rl
              JOIN property_receipt r ON r.id = rl.receipt_id
              JOIN bill b ON b.id = rl.invoice_id
              LEFT JOIN account_invoice_line il
                     ON il.id = rl.invoice_line_id
             WHERE rl.kind = 'bill' AND r.state = 'posted'
            UNION ALL
            SELECT b.id * 4 + 2, 'other',
                   COALESCE(rc.date, b.date_invoice), b.id, NULL, NULL,
                   0.0, 0.0,
                   b.amount - b.residual - COALESCE(rd.amount, 0.0)
              FROM bill b
              LEFT JOIN receipted rd ON rd.invoice_id = b.id
              LEFT JOIN reconciled rc ON rc.invoice_id = b.id
             WHERE b.amount - b.residual - COALESCE(rd.amount, 0.0) <> 0
        )
        SELECT f.id, f.kind, f.date, f.invoice_id, f.fee_item_id,
               f.channel_code, b.company_id, b.currency_id,
               u.estate_id, u.building_id, b.unit_id, u.unit_type,
               %(payer_type)s AS payer_type,
               b.partner_id, b.billing_period, b.date_due,
               f.billed, f.collected, f.other_settled,
               f.billed - f.collected - f.other_settled AS outstanding,
               NULL::double precision AS collection_rate
          FROM facts f
          JOIN bill b ON b.id = f.invoice_id
          JOIN property_unit u ON u.id = b.unit_id
        )""" % {"bills": BILLS_SQL, "payer_type": PAYER_TYPE_SQL}


class PropertyCollectionFact(models.Model):
    """Collection analysis (收缴分析): what was billed and what came in, as
    facts dated by when they happened, for pivot and graph views.

    One row per billed line of a posted bill (``billed``, on the bill's
    date, by fee item), one per line of a posted receipt paying a bill
    (``collected``, on the receipt's date, by fee item and channel), and one
    per bill for what settled it otherwise (``other``: a credit note, an
    accountant's reconciliation, a voided receipt's reversal, on the last
    reconciliation's date). On every bill, billed less collected less other
    is its residual, exactly as the journal items say.

    Filtered on the date up to a day, the rows give the figures as of that
    day (``rules.collection``): a period's collection rate (当期收缴率) is
    its collected over its billed, which the grouped rows compute themselves
    (``collection_rate``).
    """

    _name = "property.collection.fact"
    _description = "Collection Analysis"
    _auto = False
    _order = "date desc, id desc"

    kind = fields.Selection(KINDS, readonly=True)
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    building_id = fields.Many2one("property.building", readonly=True)
    unit_id = fields.Many2one("property.unit", readonly=True)
    unit_type = fields.Selection(
        lambda self: self.env["property.unit"]._fields[
            "unit_type"].selection, readonly=True)
    payer_type = fields.Selection(PAYER_TYPE_SELECTION, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Payer", readonly=True)
    invoice_id = fields.Many2one("account.invoice", string="Bill",
                                 readonly=True)
    billing_period = fields.Char(readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    fee_item_id = fields.Many2one("property.fee.item", readonly=True)
    channel_code = fields.Char(string="Channel", readonly=True)
    billed = fields.Monetary(readonly=True)
    collected = fields.Monetary(readonly=True)
    other_settled = fields.Monetary(string="Settled Otherwise", readonly=True)
    outstanding = fields.Monetary(
        readonly=True, help="Billed less collected less settled otherwise.")
    collection_rate = fields.Float(
        string="Collection Rate (%)", readonly=True, group_operator=None,
        help="Collected ÷ billed of the rows grouped.")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(VIEW_SQL)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """The collection rate of each group: its collected over its billed
        (a rate is not a sum of rates)."""
        wanted = "collection_rate" in fields or any(
            spec.split(":")[0] == "collection_rate" for spec in fields)
        if wanted:
            fields = [spec for spec in fields
                      if spec.split(":")[0] != "collection_rate"]
            fields = list(set(fields) | {"billed", "collected"})
        groups = super().read_group(
            domain, fields, groupby, offset=offset, limit=limit,
            orderby=orderby, lazy=lazy)
        if wanted:
            for group in groups:
                billed = group.get("billed") or 0.0
                group["collection_rate"] = (
                    100.0 * (group.get("collected") or 0.0) / billed
                    if billed else False)
        return groups
