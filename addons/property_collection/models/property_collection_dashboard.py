# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models, tools

from ..rules.collection import BUCKET_CODES, NOT_DUE, share

GRAPH_MONTHS = 12
WORST_BUILDINGS = 3
# the dunning steps the card judges: those of the last 120 days whose 30
# days have passed
DUNNING_DAYS = 120
DUNNING_WINDOW = 30


class PropertyCollectionDashboard(models.Model):
    """The collection dashboard (收缴看板): one card per estate, in the style
    of Odoo's accounting dashboard. Staff only (the estates themselves are
    readable by their owners on the portal, their figures are not)."""

    _name = "property.collection.dashboard"
    _description = "Collection Dashboard"
    _auto = False
    _order = "name, id"

    name = fields.Char(readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    color = fields.Integer(readonly=True)
    dashboard_data = fields.Text(compute="_compute_dashboard")
    graph_data = fields.Text(compute="_compute_dashboard")

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW property_collection_dashboard AS (
                SELECT e.id, e.name, e.id AS estate_id, e.company_id,
                       c.currency_id, 0 AS color
                  FROM property_estate e
                  JOIN res_company c ON c.id = e.company_id
                 WHERE e.active
            )""")

    def _today(self):
        """Today in the estate's time zone (as a date)."""
        return fields.Date.from_string(
            self.env["property.payment.service"]._local_today(self.estate_id))

    def _rate(self, period, as_of):
        """(billed, collected, rate in %) of ``period`` as of ``as_of``."""
        self.env.cr.execute("""
            SELECT COALESCE(sum(billed), 0), COALESCE(sum(collected), 0)
              FROM property_collection_fact
             WHERE estate_id = %s AND billing_period = %s AND date <= %s""",
                            [self.estate_id.id, period, as_of])
        billed, collected = self.env.cr.fetchone()
        rate = share(collected, billed)
        return float(billed), float(collected), (
            float(rate * 100) if rate is not None else None)

    @api.depends("estate_id")
    def _compute_dashboard(self):
        for card in self:
            today = card._today()
            current = today.strftime("%Y-%m")
            month_ago = today - relativedelta(months=1)
            year_ago = today - relativedelta(years=1)
            billed, collected, rate = card._rate(current, today)
            figures = {
                "period": current,
                "billed": billed,
                "collected": collected,
                "rate": rate,
                # the same point in their month
                "rate_last_month": card._rate(
                    month_ago.strftime("%Y-%m"), month_ago)[2],
                "rate_last_year": card._rate(
                    year_ago.strftime("%Y-%m"), year_ago)[2],
                "takings_today": card._takings(today),
            }
            figures.update(card._arrears())
            figures.update(card._dunning(today))
            figures["advance_credit"] = card._advance_credit()
            card.dashboard_data = json.dumps(figures)
            card.graph_data = json.dumps(card._graph(today))

    def _takings(self, day):
        """The money the estate's posted receipts took on ``day`` (bills and
        advance credit alike)."""
        self.env.cr.execute("""
            SELECT COALESCE(sum(amount), 0) FROM property_receipt
             WHERE estate_id = %s AND state = 'posted' AND date = %s""",
                            [self.estate_id.id, day])
        return float(self.env.cr.fetchone()[0])

    def _arrears(self):
        """Overdue arrears by ageing bucket, the worst buildings and the
        payers in arrears with an open complaint."""
        cr = self.env.cr
        cr.execute("""
            SELECT bucket, sum(outstanding) FROM property_arrears_report
             WHERE estate_id = %s AND bucket != %s GROUP BY bucket""",
                   [self.estate_id.id, NOT_DUE])
        by_bucket = dict(cr.fetchall())
        # the labels in the user's language
        labels = dict(self.env["property.arrears.report"].fields_get(
            ["bucket"])["bucket"]["selection"])
        buckets = [{"code": code, "label": labels[code],
                    "amount": float(by_bucket.get(code) or 0.0)}
                   for code in BUCKET_CODES if code != NOT_DUE]
        cr.execute("""
            SELECT b.id, b.name, sum(a.outstanding)
              FROM property_arrears_report a
              JOIN property_building b ON b.id = a.building_id
             WHERE a.estate_id = %s AND a.bucket != %s
             GROUP BY b.id, b.name ORDER BY 3 DESC, b.name LIMIT %s""",
                   [self.estate_id.id, NOT_DUE, WORST_BUILDINGS])
        worst = [{"id": row[0], "name": row[1], "amount": float(row[2])}
                 for row in cr.fetchall()]
        cr.execute("""
            SELECT count(DISTINCT partner_id), COALESCE(sum(outstanding), 0)
              FROM property_arrears_report
             WHERE estate_id = %s AND bucket != %s AND open_complaint""",
                   [self.estate_id.id, NOT_DUE])
        payers, amount = cr.fetchone()
        return {
            "overdue": sum(bucket["amount"] for bucket in buckets),
            "buckets": buckets,
            "worst_buildings": worst,
            "complaint_payers": payers,
            "complaint_arrears": float(amount),
        }

    def _dunning(self, today):
        """What the dunning steps of the last months chased and recovered
        in their 30 days (the dunning effectiveness report's figures)."""
        self.env.cr.execute("""
            SELECT count(*), COALESCE(sum(total), 0),
                   COALESCE(sum(recovered_30), 0)
              FROM property_dunning_effect_report
             WHERE estate_id = %s AND date > %s AND date <= %s""", [
            self.estate_id.id, today - relativedelta(days=DUNNING_DAYS),
            today - relativedelta(days=DUNNING_WINDOW)])
        steps, chased, recovered = self.env.cr.fetchone()
        rate = share(recovered, chased)
        return {
            "dunning_steps": steps,
            "dunning_chased": float(chased),
            "dunning_recovered": float(recovered),
            "dunning_rate": float(rate * 100) if rate is not None else None,
        }

    def _advance_credit(self):
        """The advance credit (预存) the estate's receipts brought that is
        not spent yet."""
        self.env.cr.execute("""
            SELECT COALESCE(sum(CASE WHEN a.kind = 'kept' THEN a.amount
                                     ELSE -a.amount END), 0)
              FROM property_advance_entry a
              JOIN property_receipt r ON r.id = a.receipt_id
             WHERE r.estate_id = %s AND a.state = 'done'""",
                            [self.estate_id.id])
        return float(self.env.cr.fetchone()[0])

    def _graph(self, today):
        """The collection rate of the last 12 billing periods as of today,
        for the card's bar chart (Odoo's ``dashboard_graph`` widget)."""
        first = today - relativedelta(months=GRAPH_MONTHS - 1)
        periods = [(first + relativedelta(months=n)).strftime("%Y-%m")
                   for n in range(GRAPH_MONTHS)]
        self.env.cr.execute("""
            SELECT billing_period, sum(billed), sum(collected)
              FROM property_collection_fact
             WHERE estate_id = %s AND billing_period IN %s AND date <= %s
             GROUP BY billing_period""",
                            [self.estate_id.id, tuple(periods), today])
        sums = {period: (billed, collected)
                for period, billed, collected in self.env.cr.fetchall()}
        values = []
        for period in periods:
            billed, collected = sums.get(period, (0, 0))
            rate = share(collected, billed)
            values.append({
                # the month (the bars are in order, the last one now)
                "label": period[5:],
                "value": float(rate * 100) if rate is not None else 0.0,
                "type": "past" if period < today.strftime("%Y-%m")
                else "present"})
        return [{"values": values, "key": _("Collection Rate (%)")}]

    # -- the figures' reports (they open what the user may read anyway) ------

    def _report_action(self, xmlid, domain=None, context=None):
        self.ensure_one()
        action = self.env.ref(xmlid).read()[0]
        action["domain"] = [("estate_id", "=", self.estate_id.id)] + (
            domain or [])
        action["context"] = dict(context or {})
        action["display_name"] = "%s: %s" % (action["name"], self.name)
        return action

    @api.multi
    def action_open_collection(self):
        return self._report_action(
            "property_collection.property_collection_fact_action",
            context={"search_default_this_year": 1})

    @api.multi
    def action_open_arrears(self):
        return self._report_action(
            "property_collection.property_arrears_report_action",
            [("bucket", "!=", NOT_DUE)])

    @api.multi
    def action_open_complaint_arrears(self):
        return self._report_action(
            "property_collection.property_arrears_report_action",
            [("bucket", "!=", NOT_DUE), ("open_complaint", "=", True)])

    @api.multi
    def action_open_dunning(self):
        return self._report_action(
            "property_dunning.property_dunning_effect_report_action")

    @api.multi
    def action_open_recovery(self):
        return self._report_action(
            "property_collection.property_arrears_recovery_action",
            context={"search_default_last_year": 1})

    @api.multi
    def action_open_curve(self):
        return self._report_action(
            "property_collection.property_collection_curve_action",
            context={"search_default_last_year": 1})

    @api.multi
    def action_open_takings(self):
        return self._report_action(
            "property_payment.property_receipt_action",
            [("state", "=", "posted"),
             ("date", "=", fields.Date.to_string(self._today()))],
            {"group_by": ["channel_code"]})
