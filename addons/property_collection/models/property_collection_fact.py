# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.property_billing.rules.constants import DEFAULT_TZ

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
# today in the estate's time zone (e: the estate)
TODAY_SQL = "(now() AT TIME ZONE COALESCE(e.tz, '%s'))::date" % DEFAULT_TZ
# the bills analysed: posted customer bills of a unit (i: the bill)
BILL_FILTER = """
    i.type = 'out_invoice' AND i.state IN ('open', 'paid')
    AND i.property_unit_id IS NOT NULL"""
BILLS_TEMPLATE = """
    SELECT i.id, i.company_id, i.currency_id, i.property_unit_id AS unit_id,
           i.commercial_partner_id AS partner_id, i.billing_period,
           i.date_invoice, i.date_due, i.amount_total_signed AS amount,
           i.residual_company_signed AS residual, i.move_id
      FROM account_invoice i
     WHERE %s"""
BILLS_SQL = BILLS_TEMPLATE % BILL_FILTER


def bills_sql(restrict):
    """The bills analysed, restricted by the SQL condition ``restrict``
    on ``i``."""
    return BILLS_TEMPLATE % ("%s AND %s" % (BILL_FILTER, restrict))


# the bill's dimensions, the same in every part of the view (i: the bill,
# u: its unit)
DIMENSIONS = """
    i.id AS invoice_id, i.company_id, i.currency_id, u.estate_id,
    u.building_id, i.property_unit_id AS unit_id, u.unit_type,
    %s AS payer_type, i.commercial_partner_id AS partner_id,
    i.billing_period, i.date_due""" % PAYER_TYPE_SQL
# what was collected on the bills, when and through which channel: the
# bill lines of posted receipts, and advance credit a receipt brought that
# was applied to a bill later (money paid ahead is collected money; credit
# from a credit note is not)
COLLECTIONS_SQL = """
    SELECT rl.invoice_id, r.date, rl.amount, r.channel_code,
           rl.invoice_line_id
      FROM property_receipt_line rl
      JOIN property_receipt r ON r.id = rl.receipt_id
     WHERE rl.kind = 'bill' AND r.state = 'posted'
    UNION ALL
    SELECT a.invoice_id, a.date, a.amount, 'advance', NULL
      FROM property_advance_entry a
     WHERE a.kind = 'applied' AND a.state = 'done'
       AND a.receipt_id IS NOT NULL AND a.invoice_id IS NOT NULL"""
# what was collected on the bill i
RECEIPTED_SQL = """
    COALESCE((SELECT sum(c.amount) FROM (%s) c
               WHERE c.invoice_id = i.id), 0.0)""" % COLLECTIONS_SQL
# The parts are joined to the bills each on its own (no common table
# expression): PostgreSQL then estimates every part from its own tables,
# and a misestimate does not price a report's query high enough for JIT
# compilation, which costs more than the query.
SELECT_SQL = """
    SELECT f.*, f.billed - f.collected - f.other_settled AS outstanding,
           NULL::double precision AS collection_rate
      FROM (
        SELECT l.id * 5 AS id, 'billed'::varchar AS kind,
               i.date_invoice AS date, l.property_fee_item_id AS fee_item_id,
               NULL::varchar AS channel_code, %(dimensions)s,
               l.price_total AS billed, 0.0 AS collected,
               0.0 AS other_settled
          FROM account_invoice_line l
          JOIN account_invoice i ON i.id = l.invoice_id
          JOIN property_unit u ON u.id = i.property_unit_id
         WHERE %(filter)s
        UNION ALL
        -- what the lines leave of the bill's total (a tax rounded on the
        -- bill, not per line)
        SELECT i.id * 5 + 3, 'billed', i.date_invoice, NULL, NULL,
               %(dimensions)s,
               i.amount_total_signed - sum(l.price_total), 0.0, 0.0
          FROM account_invoice i
          JOIN account_invoice_line l ON l.invoice_id = i.id
          JOIN property_unit u ON u.id = i.property_unit_id
         WHERE %(filter)s
         GROUP BY i.id, u.id
        HAVING i.amount_total_signed <> sum(l.price_total)
        UNION ALL
        SELECT rl.id * 5 + 1, 'collected', r.date, il.property_fee_item_id,
               r.channel_code, %(dimensions)s, 0.0, rl.amount, 0.0
          FROM property_receipt_line rl
          JOIN property_receipt r ON r.id = rl.receipt_id
          JOIN account_invoice i ON i.id = rl.invoice_id
          JOIN property_unit u ON u.id = i.property_unit_id
          LEFT JOIN account_invoice_line il ON il.id = rl.invoice_line_id
         WHERE rl.kind = 'bill' AND r.state = 'posted' AND %(filter)s
        UNION ALL
        -- advance credit a receipt brought, applied to the bill later
        SELECT a.id * 5 + 4, 'collected', a.date, NULL, 'advance', %(dimensions)s,
               0.0, a.amount, 0.0
          FROM property_advance_entry a
          JOIN account_invoice i ON i.id = a.invoice_id
          JOIN property_unit u ON u.id = i.property_unit_id
         WHERE a.kind = 'applied' AND a.state = 'done'
           AND a.receipt_id IS NOT NULL AND %(filter)s
        UNION ALL
        -- what settled the bill otherwise, on the last reconciliation's
        -- date
        SELECT o.id * 5 + 2, 'other',
               COALESCE((SELECT max(p.max_date)
                           FROM account_move_line ml
                           JOIN account_partial_reconcile p
                             ON p.debit_move_id = ml.id
                          WHERE ml.move_id = o.move_id), o.date_invoice),
               NULL, NULL, o.invoice_id, o.company_id, o.currency_id,
               o.estate_id, o.building_id, o.unit_id, o.unit_type,
               o.payer_type, o.partner_id, o.billing_period, o.date_due,
               0.0, 0.0, o.other_settled
          FROM (
            SELECT i.id, i.move_id, i.date_invoice, %(dimensions)s,
                   i.amount_total_signed - i.residual_company_signed
                       - %(receipted)s AS other_settled
              FROM account_invoice i
              JOIN property_unit u ON u.id = i.property_unit_id
             WHERE %(filter)s
               AND i.amount_total_signed <> i.residual_company_signed
          ) o
         WHERE o.other_settled <> 0
      ) f"""


def fact_select(restrict):
    """The rows of the collection analysis, of the bills ``restrict``
    (an SQL condition on ``i``) allows."""
    return SELECT_SQL % {
        "dimensions": DIMENSIONS, "receipted": RECEIPTED_SQL,
        "filter": "%s AND %s" % (BILL_FILTER, restrict)}


class PropertyCollectionBill(models.AbstractModel):
    """The dimensions of a bill that both reports group by."""

    _name = "property.collection.bill"
    _description = "Collection Report Bill Dimensions"

    invoice_id = fields.Many2one("account.invoice", string="Bill",
                                 readonly=True)
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
    billing_period = fields.Char(readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)


class PropertyCollectionFact(models.Model):
    """Collection analysis (收缴分析): what was billed and what came in, as
    facts dated by when they happened, for pivot and graph views.

    One row per billed line of a posted bill (``billed``, on the bill's
    date, by fee item), one per line of a posted receipt paying a bill
    (``collected``, on the receipt's date, by fee item and channel), and one
    per bill for what settled it otherwise (``other``: a credit note, an
    accountant's reconciliation, a voided receipt's reversal, on the last
    reconciliation's date). On every bill, billed less collected less other
    is its residual, exactly as the journal items say. The rows are stored
    and kept up to date bill by bill (``property.collection.store``).

    Filtered on the date up to a day, the rows give the figures as of that
    day (``rules.collection``): a period's collection rate (当期收缴率) is
    its collected over its billed, which the grouped rows compute themselves
    (``collection_rate``).
    """

    _name = "property.collection.fact"
    _inherit = ["property.collection.bill", "property.collection.ratio",
                "property.collection.stored"]
    _description = "Collection Analysis"
    _auto = False
    _order = "date desc, id desc"
    _ratios = {"collection_rate": ("collected", "billed")}

    kind = fields.Selection(KINDS, readonly=True)
    date = fields.Date(readonly=True)
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

    _stored_indexes = (("invoice_id",), ("id",), ("estate_id", "date"),
                       ("estate_id", "billing_period"), ("date",))

    @api.model
    def _live_select(self, restrict):
        return fact_select(restrict)
