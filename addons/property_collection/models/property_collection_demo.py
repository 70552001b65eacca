# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A year of collection history on the demo estates (``make run``).

Built after the demo data, in the order it would have happened, month by
month from twelve months ago to this month:

1. the month is billed by a billing run per estate and posted;
2. the payments dated in the month are taken through the allocation
   service's batch path (``_pay_many``), as the payers behave (below);
3. the estate's dunning policy runs on the 10th, as its scheduler would.

Each unit's payer has a behaviour drawn with the seed: most pay within the
month (WeChat Pay, Alipay, bank transfer, cash, card), some 35 to 80 days
late, a few chronic payers settle everything every four months or so, a
few pay the whole year ahead (advance credit the billing runs then spend);
units not handed over (开发商空置房) are paid by the developer twice a
year, vacant ones now and then. In one building the owners withhold their
fees from five months ago over a lift that is never repaired: a complaint
each, still open.

It covers the buildings of ``SCOPE`` only (about 2,000 bills and 1,300
payments in 91 s on 2 cores): the whole register (2,000 units, 26,000
bills) would take some 20 minutes, where the first ``make run`` may spend
3 minutes on it. A second call finds the history built and does
nothing (``ir.config_parameter`` ``property_collection.demo_history``).
"""
import logging
import random
import time
from datetime import datetime, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.property_billing.rules.constants import (
    DEFAULT_TZ, TRACKING_OFF)

_logger = logging.getLogger(__name__)

MARKER = "property_collection.demo_history"
# (estate code, index of the building in the estate's order)
SCOPE = (("CHHY", 1), ("JXHT", 0))
# the building whose owners withhold their fees, and since how many months
WITHHOLDING = ("CHHY", 1)
WITHHOLD_MONTHS = 5
MONTHS = 12
# behaviour: weight
BEHAVIOURS = (("prompt", 72), ("late", 15), ("chronic", 7), ("annual", 6))
CHANNELS = (("wechat", 34), ("alipay", 22), ("transfer", 18), ("cash", 14),
            ("card", 12))
RUN_HOUR = 9
DUNNING_DAY = 10


def _weighted(rng, choices):
    total = sum(weight for _value, weight in choices)
    pick = rng.uniform(0, total)
    for value, weight in choices:
        pick -= weight
        if pick <= 0:
            return value
    return choices[-1][0]


class PropertyCollectionDemo(models.AbstractModel):
    _name = "property.collection.demo"
    _description = "Collection History Demo Builder"

    @api.model
    def _demo_history(self, seed=42, months=MONTHS, scope=SCOPE,
                      withholding=WITHHOLDING, on_month=None, resume=0):
        """Build the history (see the module) of ``months`` months before
        this one and this one, on the buildings of ``scope`` [(estate code,
        building index)], the owners of ``withholding`` (estate code,
        building index) withholding their fees. ``on_month(count, summary)``,
        when given, is called after each month with the number of months
        built so far (a benchmark commits there and times the reports).
        ``resume``: the number of months an interrupted build committed
        (a benchmark's); the history goes on from the next one, the
        payments those months planned for later being lost.
        Returns a summary dict, or False when it was built before or cannot
        be (no demo estates, no chart of accounts)."""
        if not self.env.user._is_superuser() and not self.env.user.has_group(
                "base.group_system"):
            raise AccessError(_(
                "Only administrators can build the demo history."))
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(MARKER):
            return False
        env = self.env(context=dict(self.env.context, lang="zh_CN",
                                    **TRACKING_OFF))
        builder = self.with_env(env)
        scope = builder._scope(scope)
        if not scope:
            _logger.info("demo history: no demo estates to build it on")
            return False
        if not env["account.journal"].search_count([("type", "=", "sale")]):
            _logger.info("demo history: no chart of accounts, nothing built")
            return False
        started = time.time()
        rng = random.Random(seed)
        estate = scope[0][0]
        today = builder._today(estate)
        first = today.replace(day=1) - relativedelta(months=months)
        building = builder._withholding_building(scope, withholding)
        behaviours = builder._behaviours(scope, rng, building)
        summary = {"bills": 0, "payments": 0, "dunning_runs": 0,
                   "billing_seconds": 0.0, "payment_seconds": 0.0,
                   "dunning_seconds": 0.0}
        schedule = []
        clerk = env.ref("property_billing.user_clerk_demo",
                        raise_if_not_found=False) or env.user
        for index in range(resume, months + 1):
            month = first + relativedelta(months=index)
            clock = time.time()
            bills = builder._bill_month(scope, month)
            summary["billing_seconds"] += time.time() - clock
            summary["bills"] += len(bills)
            schedule += builder._plan_payments(
                bills, behaviours, month, months - index, rng)
            schedule += builder._plan_annual(behaviours, month, index, rng)
            clock = time.time()
            end = min(month + relativedelta(months=1, days=-1), today)
            due = [item for item in schedule if item["date"] <= end]
            schedule = [item for item in schedule if item["date"] > end]
            summary["payments"] += builder._take(clerk, due)
            summary["payment_seconds"] += time.time() - clock
            clock = time.time()
            run_day = month.replace(day=DUNNING_DAY)
            if index >= 2 and run_day <= today:
                for estate, _buildings in scope:
                    builder._dunning_run(estate, run_day)
                    summary["dunning_runs"] += 1
            summary["dunning_seconds"] += time.time() - clock
            if on_month:
                on_month(index + 1, summary)
        builder._withholding_complaints(building, behaviours)
        # the reports' rows of the year, written now rather than by the
        # first reader
        env["property.collection.store"]._refresh()
        params.set_param(MARKER, "seed %s, %d months" % (seed, months))
        summary["seconds"] = time.time() - started
        _logger.info(
            "demo history: %(bills)d bills (%(billing_seconds).0f s), "
            "%(payments)d payments (%(payment_seconds).0f s), "
            "%(dunning_runs)d dunning runs (%(dunning_seconds).0f s), "
            "%(seconds).0f s in all", summary)
        return summary

    # -- the register -------------------------------------------------------------

    @api.model
    def _scope(self, codes):
        """[(estate, buildings)] of ``codes`` [(estate code, building
        index)] that exist."""
        scope = []
        for code, index in codes:
            estate = self.env["property.estate"].search(
                [("code", "=", code)], limit=1)
            buildings = estate.building_ids.sorted(
                lambda b: (b.sequence, b.id))
            if len(buildings) > index:
                scope.append((estate, buildings[index]))
        # one run per estate: its buildings together
        merged = {}
        for estate, building in scope:
            merged.setdefault(estate, self.env["property.building"])
            merged[estate] |= building
        return list(merged.items())

    @api.model
    def _today(self, estate):
        return datetime.now(pytz.timezone(estate.tz or DEFAULT_TZ)).date()

    @api.model
    def _behaviours(self, scope, rng, withholding):
        """{unit: behaviour} for every unit of the scope, in code order; most
        owners of the building ``withholding`` withhold their fees."""
        behaviours = {}
        for _estate, buildings in scope:
            for unit in buildings.mapped("unit_ids").sorted("code"):
                if unit.state == "undelivered":
                    behaviour = "developer"
                elif unit.state == "vacant":
                    behaviour = "vacant"
                else:
                    behaviour = _weighted(rng, BEHAVIOURS)
                if unit.building_id == withholding and \
                        behaviour != "developer" and rng.random() < 0.8:
                    behaviour = "withholds:" + behaviour
                behaviours[unit] = behaviour
        return behaviours

    @api.model
    def _withholding_building(self, scope, withholding):
        if not withholding:
            return self.env["property.building"]
        code, index = withholding
        for estate, buildings in scope:
            if estate.code == code:
                ordered = estate.building_ids.sorted(
                    lambda b: (b.sequence, b.id))
                if len(ordered) > index and ordered[index] in buildings:
                    return ordered[index]
        return self.env["property.building"]

    # -- a month -----------------------------------------------------------------

    @api.model
    def _bill_month(self, scope, month):
        """Bill and post ``month`` for the scope; returns the bills."""
        last = month + relativedelta(months=1, days=-1)
        Run = self.env["property.billing.run"].with_context(
            property_billing_sync=True, **TRACKING_OFF)
        bills = self.env["account.invoice"]
        for estate, buildings in scope:
            run = Run.create({
                "estate_id": estate.id,
                "building_ids": [(6, 0, buildings.ids)],
                "date_from": fields.Date.to_string(month),
                "date_to": fields.Date.to_string(last),
                "invoice_date": fields.Date.to_string(month),
            })
            run.action_preview()
            run.action_generate()
            run.action_post()
            # (advance credit may have paid some already)
            bills |= self.env["account.invoice"].search([
                ("property_billing_run_id", "=", run.id),
                ("state", "in", ("open", "paid"))])
        return bills

    @api.model
    def _plan_payments(self, bills, behaviours, month, months_left, rng):
        """The payments of ``bills`` (of ``month``), as their payers behave:
        [{date, payer, amount, channel, invoices, estate}]. Chronic payers
        and developers pay everything they owe on their day (planned with
        ``invoices`` None: every open bill, oldest first)."""
        plans = []
        for bill in bills.sorted("id"):
            unit = bill.property_unit_id
            behaviour = behaviours.get(unit, "prompt")
            if behaviour.startswith("withholds:"):
                if months_left < WITHHOLD_MONTHS:
                    continue
                behaviour = behaviour.split(":", 1)[1]
            day = None
            if behaviour == "prompt":
                day = month + timedelta(days=rng.randint(2, 26))
            elif behaviour == "late":
                day = month + timedelta(days=rng.randint(35, 80))
            elif behaviour == "vacant" and rng.random() < 0.3:
                day = month + timedelta(days=rng.randint(20, 120))
            if day:
                plans.append({
                    "date": day, "payer": bill.commercial_partner_id,
                    "amount": bill.residual, "invoices": bill,
                    "channel": _weighted(rng, CHANNELS),
                    "estate": unit.estate_id})
        # chronic payers every fourth month, developers in June and
        # December: everything owed that day
        for unit, behaviour in sorted(behaviours.items(),
                                      key=lambda item: item[0].code):
            if behaviour.startswith("withholds:") and \
                    months_left < WITHHOLD_MONTHS:
                continue
            behaviour = behaviour.split(":")[-1]
            pays = ((behaviour == "chronic" and month.month % 4 == 0)
                    or (behaviour == "developer" and month.month in (6, 12)))
            if pays:
                plans.append({
                    "date": month + timedelta(days=rng.randint(5, 20)),
                    "payer": unit.owner_ids[:1] or False, "amount": None,
                    "invoices": None, "channel": "transfer",
                    "estate": unit.estate_id})
        return [plan for plan in plans if plan["payer"]]

    @api.model
    def _plan_annual(self, behaviours, month, index, rng):
        """Payers of the whole year ahead pay twelve months of their first
        bill in the first month: credit the billing runs spend."""
        if index != 0:
            return []
        plans = []
        for unit, behaviour in sorted(behaviours.items(),
                                      key=lambda item: item[0].code):
            if behaviour.split(":")[-1] != "annual" or not unit.owner_ids:
                continue
            bill = self.env["account.invoice"].search([
                ("property_unit_id", "=", unit.id), ("state", "=", "open"),
                ("billing_period", "=", month.strftime("%Y-%m"))], limit=1)
            if bill:
                plans.append({
                    "date": month + timedelta(days=rng.randint(1, 10)),
                    "payer": bill.commercial_partner_id,
                    "amount": bill.amount_total * 12, "invoices": None,
                    "channel": _weighted(rng, CHANNELS),
                    "estate": unit.estate_id})
        return plans

    @api.model
    def _take(self, clerk, plans):
        """Take ``plans`` through the service's batch path, in date order;
        returns how many receipts were written."""
        service = self.env["property.payment.service"].sudo(clerk).with_context(
            **TRACKING_OFF)
        requests = []
        for plan in sorted(plans, key=lambda p: (p["date"], p["payer"].id)):
            invoices = plan["invoices"]
            if invoices is not None:
                invoices = invoices.filtered(lambda inv: inv.state == "open")
                if not invoices:
                    continue
                amount = sum(invoices.mapped("residual"))
            else:
                amount = plan["amount"] or self._owed(
                    plan["payer"], plan["estate"])
            if amount <= 0:
                continue
            request = {
                "payer": plan["payer"], "amount": amount,
                "channel_code": plan["channel"],
                "date": fields.Date.to_string(plan["date"]),
                "estate": plan["estate"],
                "serial": "H%s%06d" % (plan["date"].strftime("%Y%m%d"),
                                       len(requests) + 1),
            }
            if invoices is not None:
                request["invoices"] = invoices
            requests.append(request)
        # one batch: it allocates request after request on the residuals
        # the earlier ones left, in date order
        results = service._pay_many(requests)
        self.env["account.invoice"].invalidate_cache(["residual", "state"])
        return len([r for r in results if not isinstance(r, Exception)])

    @api.model
    def _owed(self, payer, estate):
        bills = self.env["account.invoice"].search([
            ("commercial_partner_id", "=", payer.commercial_partner_id.id),
            ("state", "=", "open"), ("type", "=", "out_invoice"),
            ("property_unit_id.estate_id", "=", estate.id)])
        return sum(bills.mapped("residual"))

    @api.model
    def _dunning_run(self, estate, day):
        policy = self.env["property.dunning.policy"]._policy_for(estate)
        if not policy:
            return False
        tz = pytz.timezone(estate.tz or DEFAULT_TZ)
        self.env["property.dunning.demo"]._demo_run(policy, day, tz)
        return True

    @api.model
    def _withholding_complaints(self, building, behaviours):
        """The withholding owners' complaint about the lift, each still
        open: the arrears they are behind."""
        if not building:
            return
        today = self._today(building.estate_id)
        since = (today.replace(day=1)
                 - relativedelta(months=WITHHOLD_MONTHS)).strftime("%Y-%m")
        Complaint = self.env["property.complaint"]
        for unit in building.unit_ids.sorted("code"):
            if not behaviours.get(unit, "").startswith("withholds:") or \
                    not unit.owner_ids:
                continue
            Complaint.create({
                "partner_id": unit.owner_ids[:1].id, "unit_id": unit.id,
                "description": _(
                    "The lift of %(building)s has been out of service since "
                    "%(since)s and nobody repairs it: I will pay the fees "
                    "once it works.") % {"building": building.name,
                                         "since": since},
            })
