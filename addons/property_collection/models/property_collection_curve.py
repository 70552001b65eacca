# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..rules.collection import CURVE_DAYS
from .property_collection_fact import (
    BILL_FILTER, COLLECTIONS_SQL, DIMENSIONS, TODAY_SQL)

# Each point N of the curve: the bill's amount once N days have passed
# since its date (billed_N), and what was collected on it by then
# (collected_N); both zero before that day.
POINTS_SQL = ",\n".join(
    """CASE WHEN i.date_invoice + %(n)d <= %(today)s
                THEN i.amount_total_signed ELSE 0.0 END AS billed_%(n)d,
           CASE WHEN i.date_invoice + %(n)d <= %(today)s
                THEN COALESCE(c.collected_%(n)d, 0.0) ELSE 0.0
           END AS collected_%(n)d""" % {"n": n, "today": TODAY_SQL}
    for n in CURVE_DAYS)
# the shares: computed per group by read_group (``_ratios``)
SHARES_SQL = ", ".join(
    "NULL::double precision AS share_%d" % n for n in CURVE_DAYS)
COLLECTED_SQL = ",\n".join(
    "sum(c.amount) FILTER (WHERE c.date <= i.date_invoice + %d)"
    " AS collected_%d" % (n, n) for n in CURVE_DAYS)
SELECT_SQL = """
    SELECT i.id, %(dimensions)s, i.date_invoice AS date,
           i.amount_total_signed AS billed,
           %(points)s,
           %(shares)s
      FROM account_invoice i
      JOIN property_unit u ON u.id = i.property_unit_id
      JOIN property_estate e ON e.id = u.estate_id
      LEFT JOIN LATERAL (
          SELECT %(collected)s
            FROM (%(collections)s) c
           WHERE c.invoice_id = i.id) c ON TRUE
     WHERE %(filter)s"""


def curve_select(restrict):
    """The rows of the collection curve, of the bills ``restrict`` (an SQL
    condition on ``i``) allows."""
    return SELECT_SQL % {
        "dimensions": DIMENSIONS, "points": POINTS_SQL, "shares": SHARES_SQL,
        "collected": COLLECTED_SQL, "collections": COLLECTIONS_SQL,
        "filter": "%s AND %s" % (BILL_FILTER, restrict)}


class PropertyCollectionCurve(models.Model):
    """Collection curve (回款曲线): one row per posted bill, with what had
    come in on it 0, 30, 60, 90 and 180 days after its date. Grouped by
    billing period, the shares are the vintages of ``rules.collection``
    (do newer months pay faster?); a point counts only the bills whose day
    has come in the estate's time zone, so a recent month shows no figure
    for the days it has not lived yet."""

    _name = "property.collection.curve"
    _inherit = ["property.collection.bill", "property.collection.ratio",
                "property.collection.stored"]
    _description = "Collection Curve"
    _auto = False
    _order = "date desc, id desc"
    _ratios = {
        "share_%d" % n: ("collected_%d" % n, "billed_%d" % n)
        for n in CURVE_DAYS
    }

    date = fields.Date(string="Bill Date", readonly=True)
    billed = fields.Monetary(readonly=True)
    billed_0 = fields.Monetary(string="Billed (Day 0)", readonly=True)
    billed_30 = fields.Monetary(string="Billed (Day 30)", readonly=True)
    billed_60 = fields.Monetary(string="Billed (Day 60)", readonly=True)
    billed_90 = fields.Monetary(string="Billed (Day 90)", readonly=True)
    billed_180 = fields.Monetary(string="Billed (Day 180)", readonly=True)
    collected_0 = fields.Monetary(string="Collected by Day 0", readonly=True)
    collected_30 = fields.Monetary(string="Collected by Day 30",
                                   readonly=True)
    collected_60 = fields.Monetary(string="Collected by Day 60",
                                   readonly=True)
    collected_90 = fields.Monetary(string="Collected by Day 90",
                                   readonly=True)
    collected_180 = fields.Monetary(string="Collected by Day 180",
                                    readonly=True)
    share_0 = fields.Float(string="Day 0 (%)", readonly=True,
                           group_operator=None)
    share_30 = fields.Float(string="Day 30 (%)", readonly=True,
                            group_operator=None)
    share_60 = fields.Float(string="Day 60 (%)", readonly=True,
                            group_operator=None)
    share_90 = fields.Float(string="Day 90 (%)", readonly=True,
                            group_operator=None)
    share_180 = fields.Float(string="Day 180 (%)", readonly=True,
                             group_operator=None)

    _stored_indexes = (("invoice_id",), ("id",), ("estate_id",),
                       ("billing_period",))

    @api.model
    def _live_select(self, restrict):
        return curve_select(restrict)
