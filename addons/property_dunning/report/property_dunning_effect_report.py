# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dunning effectiveness (催缴效果分析): one row per dunning step that was not
cancelled, with what the step chased and what came back after it.

What counts as recovered by a step, exactly:

- a payment (a journal item of an ``account.payment``) reconciled with the
  receivable item of one of the step's bills, so neither a credit note nor a
  write-off recovers anything;
- reconciled on the step's day or later, and at most 7 (30) days after it:
  the reconciliation's date (``max_date``, the later of the bill's and the
  payment's dates) from the step's date to the step's date + 7 (+ 30);
- reconciled after the step was written (a payment taken earlier that day
  already lowered what the step chased);
- per bill never more than what the step chased on it, so a step never
  recovers more than its total.

A payment within the window of two steps (a reminder, then a call on the
same bills) counts for both: each level is judged on what followed it.
"Paid within 7 (30) days" means the payer cleared everything the step
chased in that window. The windows of recent steps are still running.
"""
from odoo import api, fields, models, tools
from odoo.tools.sql import column_exists, table_exists

from ..models.property_dunning_level import KINDS

WINDOWS = (7, 30)
# the call outcome model (another part of the add-on) and its fields
CALL_MODEL = "property.dunning.call"
CALL_TABLE = "property_dunning_call"


class PropertyDunningEffectReport(models.Model):
    _name = "property.dunning.effect.report"
    _description = "Dunning Effectiveness"
    _auto = False
    _rec_name = "step_id"
    _order = "date desc, id desc"

    step_id = fields.Many2one("property.dunning.step", readonly=True)
    date = fields.Date(readonly=True)
    level_id = fields.Many2one("property.dunning.level", readonly=True)
    level_kind = fields.Selection(KINDS, string="Kind of Level", readonly=True)
    level_sequence = fields.Integer(readonly=True, group_operator="max")
    policy_id = fields.Many2one("property.dunning.policy", readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Payer", readonly=True)
    payer_id = fields.Many2one(
        "property.dunning.payer", string="Dunning Status", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    state = fields.Selection(
        [("review", "To Review"), ("open", "In Progress"), ("done", "Done")],
        string="Step State", readonly=True)
    reason = fields.Selection(
        selection="_selection_reason", string="Reason Recorded",
        readonly=True,
        help="The reason for non-payment recorded by the call of the step.")
    step_count = fields.Integer(string="# Steps", readonly=True)
    payer_count = fields.Integer(
        string="Payers Reached", readonly=True,
        help="One per step: a payer gets one step per level round.")
    bill_count = fields.Integer(string="# Bills Chased", readonly=True)
    days_overdue = fields.Integer(readonly=True, group_operator="avg")
    total = fields.Monetary(string="Amount Chased", readonly=True)
    recovered_7 = fields.Monetary(
        string="Recovered in 7 Days", readonly=True)
    recovered_30 = fields.Monetary(
        string="Recovered in 30 Days", readonly=True)
    paid_7 = fields.Integer(
        string="Paid in 7 Days", readonly=True,
        help="Payers who cleared what the step chased within 7 days.")
    paid_30 = fields.Integer(
        string="Paid in 30 Days", readonly=True,
        help="Payers who cleared what the step chased within 30 days.")
    paid_7_rate = fields.Float(
        string="Paid in 7 Days (%)", readonly=True, group_operator="avg")
    paid_30_rate = fields.Float(
        string="Paid in 30 Days (%)", readonly=True, group_operator="avg")

    @api.model
    def _selection_reason(self):
        """The call outcome's reasons, when the call model is installed."""
        if CALL_MODEL not in self.env:
            return []
        field = self.env[CALL_MODEL]._fields.get("reason")
        if not field or field.type != "selection":
            return []
        return field._description_selection(self.env)

    # -- the view ----------------------------------------------------------------

    @api.model
    def _has_call_reasons(self):
        cr = self.env.cr
        return (CALL_MODEL in self.env and table_exists(cr, CALL_TABLE)
                and column_exists(cr, CALL_TABLE, "reason")
                and column_exists(cr, CALL_TABLE, "step_id")
                and column_exists(cr, CALL_TABLE, "date"))

    @api.model
    def _reason_sql(self):
        """The reason recorded by the latest call of step ``s``."""
        if not self._has_call_reasons():
            return "NULL::varchar"
        return """(SELECT call.reason FROM %s call
                    WHERE call.step_id = s.id AND call.reason IS NOT NULL
                    ORDER BY call.date DESC, call.id DESC LIMIT 1)""" % CALL_TABLE

    @api.model
    def _recovered_sql(self):
        """Per step: what its bills recovered in each window (capped per
        bill at what the step chased on it)."""
        windows = ",\n".join(
            "COALESCE(SUM(apr.amount) FILTER ("
            "WHERE apr.max_date <= s.date + %d), 0) AS paid_%d" % (days, days)
            for days in WINDOWS)
        capped = ",\n".join(
            "SUM(LEAST(line.residual, paid.paid_%d)) AS recovered_%d"
            % (days, days) for days in WINDOWS)
        return """
            SELECT line.step_id, count(*) AS bill_count, %(capped)s
              FROM property_dunning_step_line line
              JOIN property_dunning_step s ON s.id = line.step_id
              LEFT JOIN LATERAL (
                    SELECT %(windows)s
                      FROM account_invoice inv
                      JOIN account_move_line bill
                        ON bill.move_id = inv.move_id
                       AND bill.account_id = inv.account_id
                      JOIN account_partial_reconcile apr
                        ON apr.debit_move_id = bill.id
                      JOIN account_move_line pay
                        ON pay.id = apr.credit_move_id
                     WHERE inv.id = line.invoice_id
                       AND pay.payment_id IS NOT NULL
                       AND apr.max_date >= s.date
                       AND apr.max_date <= s.date + %(longest)d
                       AND apr.create_date >= s.create_date) paid ON TRUE
             WHERE s.state != 'cancel'
             GROUP BY line.step_id""" % {
            "capped": capped, "windows": windows, "longest": max(WINDOWS)}

    @api.model
    def _select_sql(self):
        paid = ",\n".join("""
                CASE WHEN s.total - COALESCE(r.recovered_%(d)d, 0) < 0.005
                     THEN 1 ELSE 0 END AS paid_%(d)d,
                CASE WHEN s.total - COALESCE(r.recovered_%(d)d, 0) < 0.005
                     THEN 100.0 ELSE 0.0 END AS paid_%(d)d_rate,
                LEAST(s.total, COALESCE(r.recovered_%(d)d, 0))
                    AS recovered_%(d)d""" % {"d": days} for days in WINDOWS)
        return """
            SELECT
                s.id AS id,
                s.id AS step_id,
                s.date AS date,
                s.level_id AS level_id,
                s.level_kind AS level_kind,
                s.level_sequence AS level_sequence,
                s.policy_id AS policy_id,
                s.estate_id AS estate_id,
                s.partner_id AS partner_id,
                s.payer_id AS payer_id,
                s.company_id AS company_id,
                company.currency_id AS currency_id,
                s.state AS state,
                %(reason)s AS reason,
                1 AS step_count,
                1 AS payer_count,
                COALESCE(r.bill_count, 0) AS bill_count,
                s.days_overdue AS days_overdue,
                s.total AS total,
                %(paid)s
              FROM property_dunning_step s
              JOIN res_company company ON company.id = s.company_id
              LEFT JOIN (%(recovered)s) r ON r.step_id = s.id
             WHERE s.state != 'cancel'""" % {
            "reason": self._reason_sql(), "paid": paid,
            "recovered": self._recovered_sql()}

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s)" % (
            self._table, self._select_sql()))
