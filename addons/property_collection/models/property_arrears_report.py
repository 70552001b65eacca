# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

from odoo.addons.property_dunning.models.property_dunning_call import (
    REASONS)
from odoo.addons.property_dunning.models.property_dunning_payer import (
    LIMITATION_STATES)

from ..rules.collection import BUCKETS, NOT_DUE
from .property_collection_fact import BILLS_SQL, PAYER_TYPE_SQL, TODAY_SQL

BUCKET_SELECTION = [
    (NOT_DUE, "Not Yet Due"),
    ("0-30", "1-30 Days"),
    ("31-90", "31-90 Days"),
    ("91-180", "91-180 Days"),
    ("181-365", "181-365 Days"),
    ("365+", "Over a Year"),
]


def bucket_sql(days):
    """The bucket of ``rules.collection.ageing_bucket`` in SQL, for the
    expression ``days`` (days past the due date)."""
    cases = []
    for code, first, last in BUCKETS:
        if last is None:
            cases.append("WHEN %s >= %d THEN '%s'" % (days, first, code))
        else:
            cases.append("WHEN %s BETWEEN %d AND %d THEN '%s'"
                         % (days, first, last, code))
    return "CASE %s ELSE '%s' END" % (" ".join(cases), NOT_DUE)


# days past the due date today in the estate's zone (e: the estate)
DAYS_SQL = "GREATEST(%s - b.date_due, 0)" % TODAY_SQL
VIEW_SQL = """
    CREATE OR REPLACE VIEW property_arrears_report AS (
    WITH bill AS (%(bills)s)
    SELECT b.id, b.id AS invoice_id, b.company_id, b.currency_id,
           u.estate_id, u.building_id, b.unit_id, u.unit_type,
           %(payer_type)s AS payer_type, b.partner_id,
           b.billing_period, b.date_due,
           %(days)s AS days_overdue,
           %(bucket)s AS bucket,
           EXISTS (
               SELECT 1 FROM property_complaint c
                 JOIN res_partner cp ON cp.id = c.partner_id
                WHERE cp.commercial_partner_id = b.partner_id
                  AND NOT COALESCE(c.is_closed, FALSE)
           ) AS open_complaint,
           dp.level_id AS dunning_level_id,
           dp.limitation_state, dp.limitation_expiry,
           (SELECT c.reason FROM property_dunning_call c
             WHERE c.payer_id = dp.id
             ORDER BY c.date DESC, c.id DESC LIMIT 1) AS dunning_reason,
           b.amount AS billed, b.residual AS outstanding, 1 AS nbr
      FROM bill b
      JOIN property_unit u ON u.id = b.unit_id
      JOIN property_estate e ON e.id = u.estate_id
      LEFT JOIN property_dunning_payer dp
        ON dp.partner_id = b.partner_id AND dp.estate_id = u.estate_id
     WHERE b.residual > 0 AND b.date_due IS NOT NULL
    )""" % {"bills": BILLS_SQL, "payer_type": PAYER_TYPE_SQL,
            "days": DAYS_SQL, "bucket": bucket_sql(DAYS_SQL)}


class PropertyArrearsReport(models.Model):
    """Arrears ageing (欠费账龄) today: one row per bill that still owes
    something, with its days past due in the estate's time zone, its
    ageing bucket (``rules.collection``), its payer type and whether the
    payer has an open complaint (arrears that may be a protest)."""

    _name = "property.arrears.report"
    _inherit = "property.collection.bill"
    _description = "Arrears Ageing"
    _auto = False
    _order = "days_overdue desc, id"

    days_overdue = fields.Integer(readonly=True, group_operator="max")
    bucket = fields.Selection(BUCKET_SELECTION, string="Ageing",
                              readonly=True)
    open_complaint = fields.Boolean(
        readonly=True,
        help="The payer has a complaint that is not closed.")
    dunning_level_id = fields.Many2one(
        "property.dunning.level", readonly=True,
        help="The level the payer's dunning has reached in the estate.")
    dunning_reason = fields.Selection(
        REASONS, string="Reason for Non-payment", readonly=True,
        help="The reason recorded on the payer's last dunning call.")
    limitation_state = fields.Selection(
        LIMITATION_STATES, string="Limitation", readonly=True,
        help="Where the 3-year limitation period of the payer's oldest "
             "arrears stands (民法典 §188).")
    limitation_expiry = fields.Date(string="Limitation Runs Out",
                                    readonly=True)
    billed = fields.Monetary(readonly=True)
    outstanding = fields.Monetary(readonly=True)
    nbr = fields.Integer(string="# Bills", readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(VIEW_SQL)
