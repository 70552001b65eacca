# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Turns ``rules.demo_estate`` data into estates, buildings, units, owners and
occupancies: the demo database's register and the benchmarks' test load."""
import logging
import time

from psycopg2.extras import execute_values

from odoo import api, fields, models

from ..rules import demo_estate

_logger = logging.getLogger(__name__)

CHUNK = 5000

FAST_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}


class PropertyDemoGenerator(models.AbstractModel):
    _name = "property.demo.generator"
    _description = "Demo register generator"

    @api.model
    def generate(
        self, seed=42, units=2000, estates=2, code_prefix="", demo_xmlid=False
    ):
        """Create a deterministic register of ``units`` units in ``estates`` estates.

        Estates whose code already exists in the company are left alone (so a
        second call with the same arguments creates nothing). With ``demo_xmlid``
        the owner returned by the rules as ``demo_owner`` (two units or more, one
        occupied) gets the xml id ``property_billing.demo_owner_partner``.
        Returns {'estate_ids', 'unit_ids', 'partner_ids', 'occupancy_ids',
        'demo_owner_id', 'seconds'}.
        """
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
        lang = "zh_CN" if env["res.lang"]._lang_get("zh_CN") else None
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
        """Ids of new ``model`` records with the values ``rows`` (same keys in each).

        ``computed(new_id, row)`` may give the values of stored computed fields
        that the caller knows (e.g. ``display_name``): they are written with the
        row instead of being recomputed one UPDATE per record.

        The first record goes through ``create()``, so every default, override and
        constraint of every installed module applies to it. The others copy its
        stored columns in one ``INSERT .. SELECT`` per chunk with their own values;
        then their stored computed fields are recomputed in batch and their Python
        constraints checked, as ``create()`` would. What is skipped: per-record
        ``create()`` overrides (mail tracking, default avatars, company-dependent
        properties equal to the company default).
        """
        if not rows:
            return []
        first = model.create(
            {k: (v if v is not None else False) for k, v in rows[0].items()}
        )
        rest = rows[1:]
        if not rest:
            return [first.id]
        cr = self.env.cr
        cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            ("%s_id_seq" % model._table, len(rest)),
        )
        ids = [row[0] for row in cr.fetchall()]
        if computed:
            rest = [
                dict(row, **computed(new_id, row)) for new_id, row in zip(ids, rest)
            ]
        keys = sorted(rest[0])
        fields_ = model._fields
        columns = [
            name
            for name, field in fields_.items()
            if field.store and field.column_type and name != "id"
        ]
        copied = [name for name in columns if name not in keys]
        query = (
            'INSERT INTO "{table}" (id, {keys}, {copied}) '
            "SELECT v.id, {casts}, {tcopied} "
            'FROM "{table}" t, (VALUES %s) AS v(id, {keys}) '
            "WHERE t.id = {first}".format(
                table=model._table,
                keys=", ".join('"%s"' % k for k in keys),
                copied=", ".join('"%s"' % c for c in copied),
                casts=", ".join(
                    'v."%s"::%s' % (k, fields_[k].column_type[1]) for k in keys
                ),
                tcopied=", ".join('t."%s"' % c for c in copied),
                first=first.id,
            )
        )
        values = [[new_id] + [row[k] for k in keys] for new_id, row in zip(ids, rest)]
        for start in range(0, len(values), CHUNK):
            execute_values(cr, query, values[start : start + CHUNK], page_size=CHUNK)
        records = model.browse(ids)
        records.invalidate_cache()
        for field in fields_.values():
            if field.store and field.compute and field.name not in keys:
                self.env.add_todo(field, records)
        model.recompute()
        records._validate_fields(rows[0])
        return [first.id] + ids

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
