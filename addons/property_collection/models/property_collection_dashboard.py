# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime
import json

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models, tools

from ..rules.collection import (
    BUCKET_CODES, CURVE_DAYS, DUNNING_WINDOW, NOT_DUE, share)
from .property_arrears_report import bucket_sql
from .property_collection_fact import BILL_FILTER

GRAPH_MONTHS = 12
CURVE_MONTHS = 6
WORST_BUILDINGS = 3
# the dunning steps the card judges: those of the last 120 days whose 30
# days (rules.collection.DUNNING_WINDOW) have passed
DUNNING_DAYS = 120


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
        if self:
            self.env["property.collection.store"]._refresh()
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
        return dict(self._complaint_arrears(), **{
            "overdue": sum(bucket["amount"] for bucket in buckets),
            "buckets": buckets,
            "worst_buildings": worst,
        })

    def _complaint_arrears(self):
        """The payers in arrears today with an open complaint, and what
        they owe past due."""
        self.env.cr.execute("""
            SELECT count(DISTINCT partner_id), COALESCE(sum(outstanding), 0)
              FROM property_arrears_report
             WHERE estate_id = %s AND bucket != %s AND open_complaint""",
                            [self.estate_id.id, NOT_DUE])
        payers, amount = self.env.cr.fetchone()
        return {"complaint_payers": payers,
                "complaint_arrears": float(amount)}

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

    # -- the monthly management report (月度收缴报告) --------------------------

    @staticmethod
    def _period_bounds(period):
        """(first day, last day) of the billing period ``period``."""
        first = datetime.date(int(period[:4]), int(period[5:7]), 1)
        return first, first + relativedelta(months=1, days=-1)

    def _previous_period(self):
        """The billing period before the estate's current one."""
        return (self._today().replace(day=1)
                - relativedelta(months=1)).strftime("%Y-%m")

    def _monthly_figures(self, period):
        """The figures of the monthly report of ``period`` ('YYYY-MM'), as
        of its last day (today while it runs): its collection rate against
        the month before and the same month last year (each as of its own
        last day), by building and by fee item; the arrears recovery; the
        ageing at the end of the month; the takings by channel; the dunning
        steps of the month by level; the curves of the last six months;
        the payers in arrears with an open complaint today."""
        self.ensure_one()
        self.env["property.collection.store"]._refresh()
        first, last = self._period_bounds(period)
        today = self._today()
        as_of = min(last, today)
        before = first - relativedelta(months=1)
        year_ago = first - relativedelta(years=1)
        ageing = self._ageing_at(as_of)
        by_building = {row["id"]: row["amount"] for row in ageing["buildings"]}
        buildings = self._rates_by("building_id", period, as_of)
        for row in buildings:
            row["overdue"] = by_building.pop(row["id"], 0.0)
        for building in self.env["property.building"].browse(
                list(by_building)):
            buildings.append({"id": building.id, "name": building.name,
                              "billed": 0.0, "collected": 0.0, "rate": None,
                              "overdue": by_building[building.id]})
        self.env.cr.execute("""
            SELECT COALESCE(sum(arrears), 0), COALESCE(sum(recovered), 0)
              FROM property_arrears_recovery
             WHERE estate_id = %s AND period = %s""",
                            [self.estate_id.id, period])
        arrears, recovered = self.env.cr.fetchone()
        recovery = share(recovered, arrears)
        return {
            "period": period, "first": first, "last": last, "as_of": as_of,
            "current": self._rate(period, as_of),
            "last_month": self._rate(before.strftime("%Y-%m"),
                                     self._period_bounds(
                                         before.strftime("%Y-%m"))[1]),
            "last_year": self._rate(year_ago.strftime("%Y-%m"),
                                    self._period_bounds(
                                        year_ago.strftime("%Y-%m"))[1]),
            "recovery": (float(arrears), float(recovered),
                         float(recovery * 100) if recovery is not None
                         else None),
            "buildings": sorted(buildings, key=lambda row: row["name"]),
            "fee_items": self._rates_by("fee_item_id", period, as_of),
            "ageing": ageing["buckets"],
            "overdue": sum(bucket["amount"] for bucket in ageing["buckets"]),
            "channels": self._takings_by_channel(first, as_of),
            "dunning": self._dunning_by_level(first, last),
            "curve": self._curve_rows(first),
            "complaints": self._complaint_arrears(),
        }

    def _rates_by(self, column, period, as_of):
        """[{id, name, billed, collected, rate}] of ``period`` as of
        ``as_of`` by ``column`` of the collection facts (a many2one; None
        for the rows without one)."""
        # the column comes from the code, never from the caller
        self.env.cr.execute("""
            SELECT f.%(column)s, sum(f.billed), sum(f.collected)
              FROM property_collection_fact f
             WHERE f.estate_id = %%s AND f.billing_period = %%s
               AND f.date <= %%s
             GROUP BY f.%(column)s""" % {"column": column},
                            [self.estate_id.id, period, as_of])
        sums = self.env.cr.fetchall()
        model = self.env["property.collection.fact"]._fields[
            column].comodel_name
        names = dict(self.env[model].browse(
            [row[0] for row in sums if row[0]]).name_get())
        rows = []
        for record_id, billed, collected in sums:
            rate = share(collected, billed)
            rows.append({
                "id": record_id, "name": names.get(record_id) or _("Other"),
                "billed": float(billed), "collected": float(collected),
                "rate": float(rate * 100) if rate is not None else None})
        return sorted(rows, key=lambda row: (-row["billed"], row["name"]))

    def _ageing_at(self, as_of):
        """What the estate's bills owed past due at the end of ``as_of``, by
        the journal items' reconciliations up to that day: by ageing bucket
        and by building. At the end of a month that has ended, the stored
        arrears recovery holds it (what each bill owed the morning after);
        otherwise it is read from the journal items."""
        next_day = as_of + datetime.timedelta(days=1)
        if next_day.day == 1 and next_day <= self._today():
            self.env["property.collection.store"]._refresh()
            self.env.cr.execute("""
                WITH x AS (SELECT %%s::date AS as_of)
                SELECT %(bucket)s, r.building_id, sum(r.arrears)
                  FROM property_arrears_recovery r CROSS JOIN x
                 WHERE r.estate_id = %%s AND r.month = %%s
                   AND r.date_due < x.as_of
                 GROUP BY 1, 2""" % {
                "bucket": bucket_sql("(x.as_of - r.date_due)")},
                [as_of, self.estate_id.id, next_day])
        else:
            self._ageing_from_journal(as_of)
        return self._ageing_result(self.env.cr.fetchall())

    def _ageing_from_journal(self, as_of):
        days = "(x.as_of - i.date_due)"
        query = """
            WITH x AS (SELECT %%s::date AS as_of)
            SELECT owed.bucket, owed.building_id, sum(owed.amount)
              FROM (
                SELECT %(bucket)s AS bucket, u.building_id,
                       i.amount_total_signed - COALESCE((
                           SELECT sum(p.amount)
                             FROM account_move_line ml
                             JOIN account_partial_reconcile p
                               ON p.debit_move_id = ml.id
                            WHERE ml.move_id = i.move_id
                              AND p.max_date <= x.as_of), 0) AS amount
                  FROM account_invoice i
                  JOIN property_unit u ON u.id = i.property_unit_id
                 CROSS JOIN x
                 WHERE u.estate_id = %%s AND %(filter)s AND i.date_due < x.as_of
                   AND i.date_invoice <= x.as_of
              ) owed
             WHERE owed.amount > 0
             GROUP BY owed.bucket, owed.building_id""" % {
            "bucket": bucket_sql(days), "filter": BILL_FILTER}
        self.env.cr.execute(query, [as_of, self.estate_id.id])

    def _ageing_result(self, rows):
        by_bucket, by_building = {}, {}
        for bucket, building_id, amount in rows:
            by_bucket[bucket] = by_bucket.get(bucket, 0.0) + float(amount)
            by_building[building_id] = by_building.get(
                building_id, 0.0) + float(amount)
        labels = dict(self.env["property.arrears.report"].fields_get(
            ["bucket"])["bucket"]["selection"])
        return {
            "buckets": [{"code": code, "label": labels[code],
                         "amount": by_bucket.get(code, 0.0)}
                        for code in BUCKET_CODES if code != NOT_DUE],
            "buildings": [{"id": building_id, "amount": amount}
                          for building_id, amount in by_building.items()],
        }

    def _takings_by_channel(self, first, last):
        """[{channel, receipts, amount}]: the posted receipts of the estate
        dated from ``first`` to ``last``, by channel."""
        self.env.cr.execute("""
            SELECT channel_code, count(*), sum(amount)
              FROM property_receipt
             WHERE estate_id = %s AND state = 'posted'
               AND date BETWEEN %s AND %s
             GROUP BY channel_code ORDER BY sum(amount) DESC""",
                            [self.estate_id.id, first, last])
        rows = self.env.cr.fetchall()
        # (the labels' translations are read with the same cursor)
        labels = dict(self.env["property.receipt"].fields_get(
            ["channel_code"])["channel_code"]["selection"])
        return [{"channel": labels.get(code, code), "receipts": count,
                 "amount": float(amount)}
                for code, count, amount in rows]

    def _dunning_by_level(self, first, last):
        """[{level, steps, chased, recovered, rate}]: the dunning steps of
        the estate dated in the month, by level, with what came in within
        30 days of each (the effectiveness report's figures)."""
        self.env.cr.execute("""
            SELECT level_id, count(*), sum(total), sum(recovered_30)
              FROM property_dunning_effect_report
             WHERE estate_id = %s AND date BETWEEN %s AND %s
             GROUP BY level_id, level_sequence
             ORDER BY level_sequence, level_id""",
                            [self.estate_id.id, first, last])
        rows = self.env.cr.fetchall()
        names = dict(self.env["property.dunning.level"].browse(
            [row[0] for row in rows]).name_get())
        result = []
        for level_id, steps, chased, recovered in rows:
            rate = share(recovered, chased)
            result.append({
                "level": names.get(level_id, ""), "steps": steps,
                "chased": float(chased), "recovered": float(recovered),
                "rate": float(rate * 100) if rate is not None else None})
        return result

    def _curve_rows(self, first):
        """[{period, billed, shares}] of the six billing periods up to the
        one starting on ``first``: the share collected 0 to 180 days after
        the bills' date (None for the days not come yet)."""
        periods = [(first - relativedelta(months=n)).strftime("%Y-%m")
                   for n in reversed(range(CURVE_MONTHS))]
        groups = self.env["property.collection.curve"].read_group(
            [("estate_id", "=", self.estate_id.id),
             ("billing_period", "in", periods)],
            ["billing_period", "billed"] + [
                "share_%d" % n for n in CURVE_DAYS],
            ["billing_period"], orderby="billing_period")
        return [{"period": group["billing_period"],
                 "billed": group["billed"],
                 "shares": [group["share_%d" % n]
                            if group["share_%d" % n] is not False else None
                            for n in CURVE_DAYS]}
                for group in groups]

    @api.multi
    def action_print_report(self):
        """The monthly report's form, for this estate."""
        self.ensure_one()
        action = self.env.ref(
            "property_collection.property_collection_monthly_action").read()[0]
        action["context"] = {"default_estate_ids": [(6, 0, self.estate_id.ids)]}
        return action
