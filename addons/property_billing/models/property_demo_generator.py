# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Turns ``rules.demo_estate`` data into estates, buildings, units, owners and
occupancies: the demo database's register and the benchmarks' test load; and
the demo data built on it (meters and readings, a posted billing period)."""
import datetime
import logging
import random
import time

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..rules import demo_estate, meter_readings, periods
from ..rules.constants import TRACKING_OFF
from .property_unit import to_date

_logger = logging.getLogger(__name__)

# What the register generator creates (rights checked before anything).
REGISTER_MODELS = (
    "property.estate", "property.building", "property.unit", "res.partner",
    "property.occupancy",
)

FAST_CONTEXT = dict(TRACKING_OFF, no_reset_password=True)

# (code prefix, kind, digits, monthly consumption range) of the demo meters.
DEMO_METERS = [
    ("W", meter_readings.WATER, 5, (4, 25)),
    ("E", meter_readings.ELECTRICITY, 6, (80, 420)),
]


class PropertyDemoGenerator(models.AbstractModel):
    _name = "property.demo.generator"
    _description = "Demo register generator"

    @api.model
    def _generate(
        self, seed=42, units=2000, estates=2, code_prefix="", demo_xmlid=False
    ):
        """Create a deterministic register of ``units`` units in ``estates`` estates.

        Estates whose code already exists in the company are left alone (so a
        second call with the same arguments creates nothing). With ``demo_xmlid``
        the owner returned by the rules as ``demo_owner`` (two units or more, one
        occupied) gets the xml id ``property_billing.demo_owner_partner``.
        Returns {'estate_ids', 'unit_ids', 'partner_ids', 'occupancy_ids',
        'demo_owner_id', 'seconds'}. The user must be allowed to create all of
        it: checked before anything is built.
        """
        self._check_generate_rights(demo_xmlid)
        started = time.time()
        env = self.env(context=dict(self.env.context, **FAST_CONTEXT))
        today = fields.Date.from_string(fields.Date.context_today(self))
        data = demo_estate.generate(
            seed=seed,
            units=units,
            estates=estates,
            today=today,
            code_prefix=code_prefix,
        )
        company = env.user.company_id
        codes = [e["code"] for e in data["estates"]]
        if (
            env["property.estate"]
            .with_context(active_test=False)
            .search_count([("code", "in", codes), ("company_id", "=", company.id)])
        ):
            _logger.info("demo register %s already exists: nothing generated", codes)
            return {
                "estate_ids": [],
                "unit_ids": [],
                "partner_ids": [],
                "occupancy_ids": [],
                "demo_owner_id": False,
                "seconds": 0.0,
            }

        estate_ids = self._create_estates(env, data, company)
        building_ids = self._create_buildings(env, data, estate_ids)
        unit_ids = self._create_units(env, data, estate_ids, building_ids)
        partner_ids = self._create_partners(env, data)
        occupancy_ids = self._create_occupancies(env, data, unit_ids, partner_ids)
        demo_owner_id = (
            partner_ids[data["demo_owner"]] if data["demo_owner"] is not None else False
        )
        if demo_xmlid and demo_owner_id:
            self._set_demo_owner_xmlid(demo_owner_id)
        env["property.unit"].invalidate_cache()
        seconds = time.time() - started
        _logger.info(
            "demo register: %d units, %d partners, %d occupancies in %.1f s",
            len(unit_ids),
            len(partner_ids),
            len(occupancy_ids),
            seconds,
        )
        return {
            "estate_ids": estate_ids,
            "unit_ids": unit_ids,
            "partner_ids": partner_ids,
            "occupancy_ids": occupancy_ids,
            "demo_owner_id": demo_owner_id,
            "seconds": seconds,
        }

    @api.model
    def _check_generate_rights(self, demo_xmlid=False):
        """AccessError unless the user may create every record the generator
        writes (it writes most of them with SQL)."""
        for model in REGISTER_MODELS:
            self.env[model].check_access_rights("create")
        # the xml id is written as superuser, over the module's own data
        if demo_xmlid and not self.env.user.has_group("base.group_system"):
            raise AccessError(_(
                "Only administrators can mark the demo owner of the register."))

    # -- steps (one hook per model, so that a faster path can replace one) ----------

    @api.model
    def _create_estates(self, env, data, company):
        china = env.ref("base.cn", raise_if_not_found=False)
        ids = []
        for estate in data["estates"]:
            ids.append(
                env["property.estate"]
                .create(
                    {
                        "code": estate["code"],
                        "name": estate["name"],
                        "street": estate["street"],
                        "city": estate["city"],
                        "zip": estate["zip"],
                        "country_id": china.id if china else False,
                        "service_phone": estate["service_phone"],
                        "bank_name": estate["bank_name"],
                        "bank_account": estate["bank_account"],
                        "company_id": company.id,
                    }
                )
                .id
            )
        return ids

    @api.model
    def _create_buildings(self, env, data, estate_ids):
        Building = env["property.building"]
        return [
            Building.create(
                {
                    "name": b["name"],
                    "code": b["code"],
                    "sequence": b["sequence"],
                    "floor_count": b["floor_count"],
                    "estate_id": estate_ids[b["estate"]],
                }
            ).id
            for b in data["buildings"]
        ]

    @api.model
    def _create_units(self, env, data, estate_ids, building_ids):
        def vals(unit):
            return {
                "estate_id": estate_ids[unit["estate"]],
                "building_id": (
                    building_ids[unit["building"]]
                    if unit["building"] is not None
                    else None
                ),
                "code": unit["code"],
                "floor": unit["floor"],
                "unit_type": unit["unit_type"],
                "area": unit["area"],
                "inner_area": unit["inner_area"] or 0.0,
                "state": unit["state"],
                "delivery_date": (
                    fields.Date.to_string(unit["delivery_date"])
                    if unit["delivery_date"]
                    else None
                ),
            }

        estates = env["property.estate"].browse(estate_ids)
        code_of = {e.id: e.code for e in estates}
        company_of = {e.id: e.company_id.id for e in estates}
        return self._bulk_create(
            env["property.unit"],
            [vals(u) for u in data["units"]],
            computed=lambda new_id, row: {
                "name": "%s %s" % (code_of[row["estate_id"]], row["code"]),
                "company_id": company_of[row["estate_id"]],
            },
        )

    @api.model
    def _create_partners(self, env, data):
        china = env.ref("base.cn", raise_if_not_found=False)
        # _lang_get() falls back to en_US: ask whether zh_CN itself is loaded
        zh_cn = env["res.lang"].search_count([("code", "=", "zh_CN")])
        lang = "zh_CN" if zh_cn else None
        return self._bulk_create(
            env["res.partner"],
            [
                {
                    "name": p["name"],
                    "mobile": p["mobile"],
                    "email": p["email"] or None,
                    "customer": True,
                    "lang": lang,
                    "country_id": china.id if china else None,
                    "property_contact_channel": p["channel"],
                    "property_sms_consent": p["sms_consent"],
                }
                for p in data["partners"]
            ],
            computed=lambda new_id, row: {
                "display_name": row["name"],
                "commercial_partner_id": new_id,
            },
        )

    @api.model
    def _create_occupancies(self, env, data, unit_ids, partner_ids):
        units = env["property.unit"].browse(unit_ids)
        unit_info = {
            u["id"]: u
            for u in units.read(
                ["estate_id", "building_id", "company_id"], load="_classic_write"
            )
        }

        def related(new_id, row):
            info = unit_info[row["unit_id"]]
            return {
                "estate_id": info["estate_id"],
                "building_id": info["building_id"] or None,
                "company_id": info["company_id"],
            }

        return self._bulk_create(
            env["property.occupancy"],
            [
                {
                    "unit_id": unit_ids[o["unit"]],
                    "partner_id": partner_ids[o["partner"]],
                    "role": o["role"],
                    "share": o["share"],
                    "date_from": fields.Date.to_string(o["date_from"]),
                    "date_to": (
                        fields.Date.to_string(o["date_to"]) if o["date_to"] else None
                    ),
                }
                for o in data["occupancies"]
            ],
            computed=related,
        )

    @api.model
    def _bulk_create(self, model, rows, computed=None):
        """Ids of new ``model`` records with the values ``rows``, written by
        the suite's bulk-write engine (``property.bulk.insert``: defaults,
        one INSERT per table, computed fields in batch, constraints and
        record rules after, the user's rights before).

        ``computed(new_id, row)`` may give the values of stored computed fields
        that the caller knows (e.g. ``display_name``): they are written with the
        row instead of being recomputed.
        """
        if not rows:
            return []
        engine = model.env["property.bulk.insert"]
        # the register's defaults are the same for every record (no sequence)
        return engine._create_records(
            model, rows, computed=computed, shared_defaults=True).ids

    @api.model
    def _set_demo_owner_xmlid(self, partner_id):
        Data = self.env["ir.model.data"].sudo()
        existing = Data.search(
            [("module", "=", "property_billing"), ("name", "=", "demo_owner_partner")]
        )
        if existing:
            existing.write({"res_id": partner_id, "model": "res.partner"})
        else:
            Data.create(
                {
                    "module": "property_billing",
                    "name": "demo_owner_partner",
                    "model": "res.partner",
                    "res_id": partner_id,
                    "noupdate": True,
                }
            )

    # -- demo data on the register (demo/*.xml call these) ---------------------

    @api.model
    def _demo_create_meters(self, estate_codes, seed=42):
        """Demo meters (demo/property_meter_demo.xml): in the first building of
        each estate, a water and an electricity meter per unit plus one shared
        electricity meter, with an initial reading at the end of the third
        month before today and readings at the ends of the last two months.
        Estates that already have meters are left alone."""
        env = self.env(context=dict(self.env.context, **FAST_CONTEXT))
        rng = random.Random(seed)
        today = to_date(fields.Date.context_today(self))
        first_of_month = today.replace(day=1)
        month_ends = []
        for _i in range(3):
            end = first_of_month - datetime.timedelta(days=1)
            month_ends.insert(0, end)
            first_of_month = end.replace(day=1)

        def item(xmlid):
            return env.ref(
                "property_billing.%s" % xmlid, raise_if_not_found=False
            ) or env["property.fee.item"]

        items = {
            meter_readings.WATER: item("fee_item_water_demo"),
            meter_readings.ELECTRICITY: item("fee_item_electricity_demo"),
        }
        shared_item = item("fee_item_shared_utilities_demo")
        Meter, Reading = env["property.meter"], env["property.meter.reading"]
        for estate in env["property.estate"].search(
            [("code", "in", list(estate_codes))]
        ):
            if Meter.with_context(active_test=False).search_count(
                [("estate_id", "=", estate.id)]
            ):
                continue
            building = estate.building_ids.sorted(lambda b: (b.sequence, b.id))[:1]
            units = building.unit_ids.sorted("code")
            plans = []
            for unit in units:
                for prefix, kind, digits, usage in DEMO_METERS:
                    meter = Meter.create(
                        {
                            "code": "%s-%s" % (prefix, unit.code),
                            "kind": kind,
                            "unit_id": unit.id,
                            "estate_id": estate.id,
                            "digits": digits,
                            "item_id": items[kind].id,
                        }
                    )
                    plans.append((meter, usage))
            if units:
                shared = Meter.create(
                    {
                        "code": "E-%s-SHARED" % (building.code or building.id),
                        "kind": meter_readings.ELECTRICITY,
                        "is_shared": True,
                        "estate_id": estate.id,
                        "building_id": building.id,
                        "served_unit_ids": [(6, 0, units.ids)],
                        "digits": 6,
                        "item_id": shared_item.id,
                        "location": _("Stairwell lighting and lifts"),
                    }
                )
                plans.append((shared, (900, 1600)))
            vals_list = []
            for meter, (low, high) in plans:
                value = rng.randint(0, 3000)
                for index, day in enumerate(month_ends):
                    if index:
                        value += rng.randint(low, high)
                    vals_list.append(
                        {
                            "meter_id": meter.id,
                            "date": fields.Date.to_string(day),
                            "value": value,
                            "reading_type": (
                                meter_readings.NORMAL
                                if index
                                else meter_readings.INITIAL
                            ),
                        }
                    )
            Reading._create_readings(vals_list)
        return True

    @api.model
    def _demo_post_previous_month(self, estate_code, building_limit=1):
        """Demo data (demo/property_billing_run_demo.xml): bill and post the
        previous month of the first ``building_limit`` buildings of the estate
        ``estate_code``, each bill in its payer's language."""
        estate = self.env["property.estate"].search(
            [("code", "=", estate_code)], limit=1
        )
        if not estate:
            return False
        sale_journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", estate.company_id.id)],
            limit=1)
        if not sale_journal:
            # a database without a chart of accounts: nothing to bill into
            _logger.info(
                "demo billing run: %s has no sale journal (no chart of "
                "accounts installed), the demo period is not billed",
                estate.company_id.name)
            return False
        # at install, the add-on's translations are loaded after its demo
        # data: load them now, or the payers' bills would read in English
        self._demo_load_translations()
        today = to_date(fields.Date.context_today(self))
        period = periods.previous_period(
            periods.cycle_period(today, periods.MONTHLY), periods.MONTHLY
        )
        buildings = estate.building_ids.sorted(lambda b: (b.sequence, b.id))
        Run = self.env["property.billing.run"].with_context(
            property_billing_sync=True, **TRACKING_OFF
        )
        run = Run.create(
            {
                "estate_id": estate.id,
                "building_ids": [(6, 0, buildings[:building_limit].ids)],
                "date_from": fields.Date.to_string(period.date_from),
                "date_to": fields.Date.to_string(period.date_to),
                "invoice_date": fields.Date.to_string(period.date_from),
            }
        )
        standards, _gated = run._standards()
        if not standards:
            _logger.warning(
                "demo billing run: no billable standard for %s", estate.name
            )
            run.unlink()
            return False
        run.action_preview()
        run.action_generate()
        run.action_post()
        return run.id

    @api.model
    def _demo_load_translations(self):
        """Load property_billing's translations of the installed languages
        (other than English), as the end of its installation will."""
        langs = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        module = self.env["ir.module.module"].search(
            [("name", "=", "property_billing")]
        )
        if langs and module:
            module._update_translations(filter_lang=langs)
