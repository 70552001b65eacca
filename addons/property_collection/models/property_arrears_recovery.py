# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .property_collection_fact import (
    COLLECTIONS_SQL, PAYER_TYPE_SQL, TODAY_SQL, bills_sql)

# What the journal items had settled on a bill before a day (b: the bill,
# b.month: the day): its receivable line's reconciliations dated earlier.
SETTLED_BEFORE_SQL = """
    COALESCE((SELECT sum(p.amount)
                FROM account_move_line ml
                JOIN account_partial_reconcile p ON p.debit_move_id = ml.id
               WHERE ml.move_id = b.move_id AND p.max_date < b.month), 0.0)"""
SELECT_SQL = """
    WITH bill AS (
        SELECT b.*, u.estate_id, u.building_id, u.unit_type,
               %(payer_type)s AS payer_type, %(today)s AS today,
               -- the day the bill was settled in full (none while it owes)
               CASE WHEN b.residual = 0 THEN (
                   SELECT max(p.max_date)
                     FROM account_move_line ml
                     JOIN account_partial_reconcile p
                       ON p.debit_move_id = ml.id
                    WHERE ml.move_id = b.move_id) END AS settled_on
          FROM (%(bills)s) b
          JOIN property_unit u ON u.id = b.unit_id
          JOIN property_estate e ON e.id = u.estate_id
         WHERE b.date_due IS NOT NULL
    ), bill_month AS (
        -- each month that began with the bill overdue and not settled
        SELECT b.*, m.month::date AS month
          FROM bill b,
               generate_series(
                   date_trunc('month', b.date_due) + interval '1 month',
                   date_trunc('month', COALESCE(b.settled_on, b.today)),
                   interval '1 month') AS m(month)
    ), owed AS MATERIALIZED (
        SELECT b.*, b.amount - %(settled_before)s AS arrears
          FROM bill_month b
    )
    SELECT o.id::bigint * 1200 + (EXTRACT(year FROM o.month) * 12
               + EXTRACT(month FROM o.month))::integer %% 1200 AS id,
           o.id AS invoice_id, o.company_id, o.currency_id, o.estate_id,
           o.building_id, o.unit_id, o.unit_type, o.payer_type,
           o.partner_id, o.billing_period, o.date_due, o.month,
           to_char(o.month, 'YYYY-MM') AS period,
           o.arrears,
           LEAST(o.arrears, COALESCE((
               SELECT sum(c.amount) FROM (%(collections)s) c
                WHERE c.invoice_id = o.id AND c.date >= o.month
                  AND c.date < o.month + interval '1 month'), 0.0))
               AS recovered,
           NULL::double precision AS recovery_rate
      FROM owed o
     WHERE o.arrears > 0"""


def recovery_select(restrict):
    """The rows of the arrears recovery, of the bills ``restrict`` (an SQL
    condition on ``i``) allows."""
    return SELECT_SQL % {
        "bills": bills_sql(restrict), "payer_type": PAYER_TYPE_SQL,
        "today": TODAY_SQL, "settled_before": SETTLED_BEFORE_SQL,
        "collections": COLLECTIONS_SQL}


class PropertyArrearsRecovery(models.Model):
    """Arrears recovery (清欠率): one row per month and bill that began the
    month overdue and unpaid, with what it owed that morning (by the
    journal items) and what was collected on it during the month (never
    more than it owed). Grouped by month, recovered over arrears is the
    month's recovery rate of ``rules.collection.arrears_recovery``."""

    _name = "property.arrears.recovery"
    _inherit = ["property.collection.bill", "property.collection.ratio",
                "property.collection.stored"]
    _description = "Arrears Recovery"
    _auto = False
    _order = "month desc, id"
    _ratios = {"recovery_rate": ("recovered", "arrears")}

    month = fields.Date(readonly=True, help="The first day of the month.")
    period = fields.Char(string="Month", readonly=True)
    arrears = fields.Monetary(
        string="Arrears at Start", readonly=True,
        help="What the bill still owed on the morning of the month's first "
             "day, past its due date.")
    recovered = fields.Monetary(
        readonly=True, help="Collected on the bill during the month.")
    recovery_rate = fields.Float(
        string="Recovery Rate (%)", readonly=True, group_operator=None,
        help="Recovered ÷ arrears at start of the rows grouped.")

    _stored_indexes = (("invoice_id",), ("id",), ("estate_id", "period"),
                       ("month",))

    @api.model
    def _live_select(self, restrict):
        return recovery_select(restrict)
