# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Import of units and owners from a CSV or Excel register (one row per unit).

Every row is checked first (``rules.register_import`` plus the estate codes
against the database); only a file without a single error is imported, in one
savepoint, and importing the same file again changes nothing.
"""
import base64
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html_escape

from ..rules import register_import as rules
from ..rules.constants import TRACKING_OFF

TEMPLATE_URL = "/property_billing/static/description/register_import_template.csv"


def _to_string(day):
    return fields.Date.to_string(day) if day else False


class PropertyRegisterImport(models.TransientModel):
    _name = "property.register.import"
    _inherit = "property.batch.wizard.mixin"
    _wizard_rights = tuple(
        (model, operation)
        for model in ("property.unit", "property.building", "property.occupancy",
                      "res.partner")
        for operation in ("create", "write"))
    _description = "Import units and owners"

    data_file = fields.Binary(string="File", help="CSV (UTF-8 or GBK), XLSX or XLS.")
    filename = fields.Char()
    state = fields.Selection(
        [("draft", "Choose a file"), ("error", "Errors found"), ("done", "Imported")],
        default="draft",
        readonly=True,
    )
    result_html = fields.Html(string="Result", readonly=True, sanitize=False)
    error_count = fields.Integer(readonly=True)
    unit_created_count = fields.Integer(string="Units created", readonly=True)
    unit_updated_count = fields.Integer(string="Units updated", readonly=True)
    building_created_count = fields.Integer(string="Buildings created", readonly=True)
    owner_created_count = fields.Integer(string="Owners created", readonly=True)
    occupancy_created_count = fields.Integer(
        string="Occupancies created", readonly=True
    )

    # -- actions ---------------------------------------------------------------

    def _wizard_title(self):
        return _("Import units and owners")

    @api.multi
    def action_download_template(self):
        self._check_wizard_rights()
        return {"type": "ir.actions.act_url", "url": TEMPLATE_URL, "target": "new"}

    @api.multi
    def action_import(self):
        """Check every row; import all of them, or none and list the errors."""
        self.ensure_one()
        # a wizard has no access rights of its own: check what the import
        # writes before the file is even read
        self._check_wizard_rights()
        if not self.data_file:
            raise UserError(_("Choose a CSV or Excel file to import."))
        today = fields.Date.from_string(fields.Date.context_today(self))
        try:
            table = rules.read_table(
                base64.b64decode(self.data_file), self.filename or ""
            )
        except rules.ImportFileError as error:
            raise UserError(self._error_message(error.code, error.params))
        result = rules.parse_table(table, today)
        errors = list(result.errors)
        estates = self._find_estates(result.rows, errors)
        if not errors:
            errors = self._check_owner_changes(result.rows, estates)
        if not errors:
            try:
                with self.env.cr.savepoint():
                    counts = self._import_rows(result.rows, estates)
            except _RowError as failure:
                self.env.invalidate_all()
                errors = [(failure.row, "database", {"message": failure.message})]
        if errors:
            self.write(
                {
                    "state": "error",
                    "error_count": len(errors),
                    "result_html": self._errors_html(
                        [(row, self._error_message(code, params))
                         for row, code, params in errors]),
                }
            )
        else:
            counts["state"] = "done"
            counts["error_count"] = 0
            counts["result_html"] = self._summary_html(counts)
            self.write(counts)
        return self._reopen()

    @api.multi
    def action_retry(self):
        self._check_wizard_rights()
        self.write(
            {
                "state": "draft",
                "result_html": False,
                "error_count": 0,
                "data_file": False,
                "filename": False,
            }
        )
        return self._reopen()

    # -- checks against the database ------------------------------------------------

    def _find_estates(self, rows, errors):
        """{code: property.estate} of the user's company; unknown codes -> errors."""
        codes = {row.estate_code for row in rows}
        estates = self.env["property.estate"].search(
            [
                ("code", "in", list(codes)),
                ("company_id", "=", self.env.user.company_id.id),
            ]
        )
        by_code = {estate.code: estate for estate in estates}
        for row in rows:
            if row.estate_code not in by_code:
                errors.append((row.row, "unknown_estate", {"code": row.estate_code}))
        errors.sort(key=lambda e: e[0])
        return by_code

    def _check_owner_changes(self, rows, estates):
        """An owner in the file replaces the unit's other current owners from his
        start date; that is impossible when one of them started on or after it."""
        errors = []
        units = self._existing_units(rows, estates)
        for row in rows:
            unit = units.get((row.estate_code, row.unit["code"]))
            if not unit or not row.owner:
                continue
            start = _to_string(row.owner["date_from"])
            for occupancy in unit.occupancy_ids:
                if (
                    occupancy.role != "owner"
                    or occupancy.date_to
                    and occupancy.date_to < start
                ):
                    continue
                if self._same_person(occupancy.partner_id, row.owner):
                    continue
                if occupancy.date_from >= start:
                    errors.append(
                        (
                            row.row,
                            "owner_conflict",
                            {
                                "owner": occupancy.partner_id.name,
                                "date": occupancy.date_from,
                                "since": start,
                            },
                        )
                    )
        return errors

    def _existing_units(self, rows, estates):
        codes = {row.unit["code"] for row in rows}
        units = (
            self.env["property.unit"]
            .with_context(active_test=False)
            .search(
                [
                    ("estate_id", "in", [e.id for e in estates.values()]),
                    ("code", "in", list(codes)),
                ]
            )
        )
        return {(u.estate_id.code, u.code): u for u in units}

    @staticmethod
    def _same_person(partner, owner):
        if (
            owner.get("mobile")
            and rules.normalize_mobile(partner.mobile or "") == owner["mobile"]
        ):
            return True
        if owner.get("email") and (partner.email or "").lower() == owner["email"]:
            return True
        return (
            not owner.get("mobile")
            and not owner.get("email")
            and partner.name == owner["name"]
        )

    # -- import ---------------------------------------------------------------------

    def _import_rows(self, rows, estates):
        env = self.env(context=dict(self.env.context, **TRACKING_OFF))
        Unit = env["property.unit"].with_context(active_test=False)
        counts = dict.fromkeys(
            [
                "unit_created_count",
                "unit_updated_count",
                "building_created_count",
                "owner_created_count",
                "occupancy_created_count",
            ],
            0,
        )
        buildings = self._buildings(env, rows, estates, counts)
        units = {
            key: unit.with_env(env)
            for key, unit in self._existing_units(rows, estates).items()
        }
        partners = _PartnerFinder(env, rows)
        for row in rows:
            try:
                estate = estates[row.estate_code]
                vals = self._prepare_unit_vals(row, estate, buildings)
                unit = units.get((row.estate_code, row.unit["code"]))
                if unit:
                    changed = {k: v for k, v in vals.items() if _differs(unit[k], v)}
                    if changed:
                        unit.write(changed)
                        counts["unit_updated_count"] += 1
                else:
                    unit = Unit.create(vals)
                    counts["unit_created_count"] += 1
                if row.owner:
                    partner, created = partners.get_or_create(
                        row.owner, self._owner_by_name(unit, row.owner)
                    )
                    counts["owner_created_count"] += created
                    counts["occupancy_created_count"] += self._ensure_owner(
                        unit, partner, row.owner
                    )
            except (ValidationError, UserError) as error:
                raise _RowError(row.row, error.name)
        return counts

    def _buildings(self, env, rows, estates, counts):
        """{(estate code, building name): property.building}, creating missing ones."""
        Building = env["property.building"].with_context(active_test=False)
        wanted = {(row.estate_code, row.building) for row in rows if row.building}
        found = Building.search(
            [
                ("estate_id", "in", [e.id for e in estates.values()]),
                ("name", "in", list({name for _code, name in wanted})),
            ]
        )
        result = {(b.estate_id.code, b.name): b for b in found}
        for code, name in sorted(wanted):
            if (code, name) not in result:
                result[(code, name)] = Building.create(
                    {"name": name, "estate_id": estates[code].id}
                )
                counts["building_created_count"] += 1
        return result

    def _prepare_unit_vals(self, row, estate, buildings):
        vals = {"estate_id": estate.id}
        for key, value in row.unit.items():
            vals[key] = _to_string(value) if isinstance(value, datetime.date) else value
        if row.building:
            vals["building_id"] = buildings[(row.estate_code, row.building)].id
        return vals

    @staticmethod
    def _owner_by_name(unit, owner):
        """For an owner given by name only: the unit's owner of that name, if any."""
        if owner.get("mobile") or owner.get("email"):
            return None
        start = _to_string(owner["date_from"])
        matches = unit.occupancy_ids.filtered(
            lambda o: o.role == "owner"
            and o.partner_id.name == owner["name"]
            and (not o.date_to or o.date_to >= start)
        )
        return matches[:1].partner_id or None

    def _ensure_owner(self, unit, partner, owner):
        """Make ``partner`` owner of ``unit`` from ``owner['date_from']`` unless he
        already is; other owners still in force then end the day before.
        Returns the number of occupancies created (0 or 1)."""
        start = _to_string(owner["date_from"])
        owner_occupancies = unit.occupancy_ids.filtered(lambda o: o.role == "owner")
        for occupancy in owner_occupancies:
            if occupancy.partner_id == partner and (
                not occupancy.date_to or occupancy.date_to >= start
            ):
                return 0
        day_before = _to_string(owner["date_from"] - datetime.timedelta(days=1))
        for occupancy in owner_occupancies:
            if not occupancy.date_to or occupancy.date_to >= start:
                occupancy.date_to = day_before
        unit.env["property.occupancy"].create(
            {
                "unit_id": unit.id,
                "partner_id": partner.id,
                "role": "owner",
                "share": 100.0,
                "date_from": start,
            }
        )
        unit.invalidate_cache(["occupancy_ids"], unit.ids)
        return 1

    # -- messages ---------------------------------------------------------------------

    def _error_message(self, code, params):
        """The translated sentence of an error code (see rules.register_import)."""
        messages = {
            "bad_file_type": _("'%(filename)s' is not a CSV, XLSX or XLS file."),
            "bad_spreadsheet": _(
                "The Excel file cannot be read; save it again as XLSX or "
                "CSV and retry."
            ),
            "bad_encoding": _("The CSV file is neither UTF-8 nor GBK text."),
            "empty_file": _("The file is empty."),
            "file_too_large": _(
                "The file is too large: at most %(limit)s can be imported at "
                "once. Split it into several files."
            ),
            "too_many_rows": _(
                "The file has more than %(limit)s rows. Split it into several "
                "files."
            ),
            "too_many_columns": _(
                "Row %(row)s has more than %(limit)s columns. Remove the "
                "columns that are not imported."
            ),
            "cell_too_long": _(
                "Row %(row)s, column %(column)s holds more than %(limit)s "
                "characters."
            ),
            "bad_csv": _(
                "Row %(row)s of the CSV file cannot be read: a cell holds more "
                "than %(limit)s characters or a quote is not closed."
            ),
            "nul_byte": _(
                "Row %(row)s holds a NUL character: this is not a text file. "
                "Save the sheet again as CSV or XLSX."
            ),
            "missing_column": _(
                "Required column '%(column)s' is missing from the header."
            ),
            "duplicate_column": _("Column '%(column)s' appears twice in the header."),
            "empty_estate_code": _("The estate code is empty."),
            "unknown_estate": _(
                "There is no estate with code '%(code)s' in your company."
            ),
            "empty_unit_code": _("The unit code is empty."),
            "duplicate_unit_code": _(
                "Unit code '%(code)s' already appears in row " "%(first_row)s."
            ),
            "bad_area": _(
                "The building area must be a number greater than 0 "
                "(got '%(value)s')."
            ),
            "bad_inner_area": _(
                "The inner area must be a number greater than 0 " "(got '%(value)s')."
            ),
            "inner_area_too_large": _(
                "The inner area (%(inner_area)s) is larger than the "
                "building area (%(area)s)."
            ),
            "bad_floor": _("The floor must be a whole number (got '%(value)s')."),
            "unknown_unit_type": _(
                "Unknown unit type '%(value)s' (use 住宅, 商铺, 车位, "
                "储藏室 or residential, commercial, parking, storage)."
            ),
            "unknown_state": _(
                "Unknown state '%(value)s' (use 未交付, 空置, 已入住, 装修中 "
                "or undelivered, vacant, occupied, decorating)."
            ),
            "bad_date": _(
                "'%(value)s' in column '%(column)s' is not a date (use " "YYYY-MM-DD)."
            ),
            "bad_mobile": _(
                "'%(value)s' is not a mobile number (11 digits starting "
                "with 1, optionally +86)."
            ),
            "bad_email": _("'%(value)s' is not an e-mail address."),
            "unknown_channel": _("Unknown contact channel '%(value)s'."),
            "bad_boolean": _(
                "'%(value)s' in column '%(column)s' must be yes or no " "(是/否, 1/0)."
            ),
            "owner_name_missing": _(
                "Owner details (%(columns)s) are filled in but the "
                "owner name is empty."
            ),
            "owner_conflict": _(
                "The unit already has owner %(owner)s since %(date)s, "
                "not before the new owner's start %(since)s."
            ),
        }
        if code == "database":
            return params.get("message", "")
        return self._format_message(messages.get(code), params) or code

    def _summary_html(self, counts):
        items = [
            (_("Units created"), counts["unit_created_count"]),
            (_("Units updated"), counts["unit_updated_count"]),
            (_("Buildings created"), counts["building_created_count"]),
            (_("Owners created"), counts["owner_created_count"]),
            (_("Occupancies created"), counts["occupancy_created_count"]),
        ]
        return "<p><strong>%s</strong></p><ul>%s</ul>" % (
            html_escape(_("Import finished.")),
            "".join("<li>%s: %s</li>" % (html_escape(label), n) for label, n in items),
        )


class _RowError(Exception):
    def __init__(self, row, message):
        super().__init__(message)
        self.row = row
        self.message = message


def _differs(current, value):
    if isinstance(current, models.BaseModel):
        return current.id != value
    if isinstance(value, float):
        return abs((current or 0.0) - value) > 0.005
    return (current or False) != (value or False)


class _PartnerFinder(object):
    """Owners by mobile (then e-mail), loaded in two searches; created when absent."""

    def __init__(self, env, rows):
        self.env = env
        self.Partner = env["res.partner"].with_context(active_test=False)
        owners = [row.owner for row in rows if row.owner]
        mobiles = {o["mobile"] for o in owners if o.get("mobile")}
        emails = {o["email"] for o in owners if o.get("email")}
        self.by_mobile, self.by_email = {}, {}
        if mobiles:
            spellings = set()
            for mobile in mobiles:
                spellings.update(_mobile_spellings(mobile))
            for partner in self.Partner.search(
                [("mobile", "in", list(spellings))], order="id"
            ):
                self.by_mobile.setdefault(
                    rules.normalize_mobile(partner.mobile), partner
                )
        if emails:
            for partner in self.Partner.search(
                [("email", "in", list(emails))], order="id"
            ):
                self.by_email.setdefault(partner.email.lower(), partner)
        # name-only owners: matched among the unit's owners, else within the file
        self.by_name = {}

    def get_or_create(self, owner, same_name=None):
        """(res.partner, 1 if created else 0); known partners get the file's
        channel and consent when given. An owner without mobile and e-mail is
        ``same_name`` (an owner of the unit with that name) if given."""
        partner = (owner.get("mobile") and self.by_mobile.get(owner["mobile"])) or (
            owner.get("email") and self.by_email.get(owner["email"])
        )
        if not partner and not owner.get("mobile") and not owner.get("email"):
            partner = same_name or self.by_name.get(owner["name"])
        vals = {}
        if owner.get("channel"):
            vals["property_contact_channel"] = owner["channel"]
        if "sms_consent" in owner:
            vals["property_sms_consent"] = owner["sms_consent"]
        if partner:
            changed = {k: v for k, v in vals.items() if partner[k] != v}
            if owner.get("mobile") and not partner.mobile:
                changed["mobile"] = owner["mobile"]
            if owner.get("email") and not partner.email:
                changed["email"] = owner["email"]
            if changed:
                partner.write(changed)
            created = 0
        else:
            vals.update(
                {
                    "name": owner["name"],
                    "mobile": owner.get("mobile") or False,
                    "email": owner.get("email") or False,
                    "customer": True,
                }
            )
            partner = self.Partner.create(vals)
            created = 1
        if owner.get("mobile"):
            self.by_mobile[owner["mobile"]] = partner
        if owner.get("email"):
            self.by_email.setdefault(owner["email"], partner)
        if not owner.get("mobile") and not owner.get("email"):
            self.by_name[owner["name"]] = partner
        return partner, created


def _mobile_spellings(mobile):
    """Ways a stored mobile may be written: 13800138000, +8613800138000,
    +86 13800138000, 138 0013 8000, 138-0013-8000, +86 138 0013 8000."""
    spaced = "%s %s %s" % (mobile[:3], mobile[3:7], mobile[7:])
    dashed = "%s-%s-%s" % (mobile[:3], mobile[3:7], mobile[7:])
    return {
        mobile,
        "+86" + mobile,
        "+86 " + mobile,
        "86" + mobile,
        spaced,
        dashed,
        "+86 " + spaced,
        "+86 " + dashed,
        "0086" + mobile,
    }
