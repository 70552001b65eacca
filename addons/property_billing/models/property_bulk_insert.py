# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The suite's one bulk-write engine: records created and updated with one
statement per table, with what ``create`` and ``write`` do around the rows.

``create`` writes one record at a time: an INSERT, a search per dependent
computed field and an UPDATE per recomputed value. This engine keeps the
ORM's values and checks and changes only how the rows are written:

- defaults (``_add_missing_default_values``), conversion to columns, many2many
  links and one2many children (``(0, 0, vals)``);
- stored computed fields the caller already knows are written with the rows;
  the others are computed by their own compute methods, in dependency order,
  one UPDATE per table and field group;
- the Python constraints and the record rules are checked afterwards, as
  ``create`` checks them; the access rights of the caller first, before any
  row is written.

What it refuses (:class:`BatchUnsupported`, before anything is written):
fields that only ``create`` handles (inherited, with an inverse, translated
in another language, one2many commands other than ``(0, 0, vals)``). What it
skips: per-record ``create``/``write`` overrides (mail tracking, default
avatars) and company-dependent defaults (properties equal to the company's
default, which ``create`` would not store either). The invoice batch
(``property.invoice.batch``) and the demo generator use it; a model whose
``create`` does more must check that itself (see the invoice batch's guard).
"""
from collections import OrderedDict

from psycopg2.extras import execute_values

from odoo import _, api, models
from odoo.exceptions import MissingError, ValidationError
from odoo.tools import float_repr

MAGIC = ("id", "create_uid", "write_uid", "create_date", "write_date")
# the context marker of ``_deferred()``: an object no RPC call can send
_DEFERRED = object()
PAGE_SIZE = 1000


class BatchUnsupported(Exception):
    """The bulk path cannot reproduce the ORM's for these values or this
    configuration: the caller uses the ORM."""


def addon_of(cls):
    """The add-on defining ``cls``, a class of a model's registry chain (the
    ORM's base class reports itself as "odoo.models")."""
    module = cls.__module__
    if module.startswith("odoo.addons."):
        return module.split(".")[2]
    return module


class PropertyBulkInsert(models.AbstractModel):
    _name = "property.bulk.insert"
    _description = "Bulk writes"

    # -- entry points ---------------------------------------------------------

    @api.model
    def _create_records(self, model, vals_list, computed=None,
                        shared_defaults=False):
        """``model.create`` for each of ``vals_list``, in one batch (for the
        models with no ``create`` override, or whose override the caller
        reproduces); ``computed``, ``shared_defaults``: see
        :meth:`_create_rows`."""
        model.check_access_rights("create")
        with self.env.norecompute():
            created = []
            records = self._create_rows(model, vals_list, created, computed=computed,
                                        shared_defaults=shared_defaults)
        self._finish(created)
        return records

    @api.model
    def _write_values(self, records, values):
        """``write`` of ``values`` ({id: {field: value}}, the same fields for
        every id) on ``records`` in one statement, after the caller's access
        rights and record rules."""
        if not values:
            return
        records.check_access_rights("write")
        self._update_rows(records, values)

    # -- guard ----------------------------------------------------------------

    @api.model
    def _overrides_of(self, checked, known):
        """``model.method (addon)`` of every definition of the methods of
        ``checked`` ({model: methods}) in the models' registry class chains
        that ``known(model, method, addon)`` does not accept: what a batch
        that reproduces those methods instead of calling them cannot
        reproduce."""
        found = []
        for model in sorted(checked):
            for method in checked[model]:
                for cls in type(self.env[model]).__mro__:
                    addon = addon_of(cls)
                    if method in vars(cls) and not known(model, method, addon):
                        found.append("%s.%s (%s)" % (model, method, addon))
        return found

    # -- create ---------------------------------------------------------------

    @api.model
    def _hold_by_construction(self):
        """(model, constraint method name) of the constraints that hold by
        construction on what the caller writes: not run again."""
        return frozenset()

    @api.model
    def _create_rows(self, model, vals_list, created, computed=None,
                     shared_defaults=False):
        """INSERT the records of ``vals_list`` in one statement, their
        many2many links and their one2many children (``(0, 0, vals)``), and
        mark what ``create`` marks. ``computed`` ({field: value} per record,
        the same fields for all, or a function of the new id and the values
        giving it) gives stored computed fields already known; the others are
        left to :meth:`_finish`. With ``shared_defaults`` the defaults are
        computed once per set of given fields (for models whose defaults do
        not differ from record to record: no sequence, no token). Appends
        ``(records, field names, computed)`` to ``created``."""
        if not vals_list:
            return model.browse()
        model.check_access_rights("create")
        cr = self.env.cr
        cr.execute("SELECT nextval(%s) FROM generate_series(1, %s)",
                   (model._sequence, len(vals_list)))
        ids = [row_id for row_id, in cr.fetchall()]
        if callable(computed):
            computed = [computed(new_id, vals)
                        for new_id, vals in zip(ids, vals_list)]
        rows, links, defaults = [], [], {}
        for index, given in enumerate(vals_list):
            if shared_defaults:
                key = frozenset(given)
                if key not in defaults:
                    defaults[key] = {
                        name: value for name, value in
                        model._add_missing_default_values(dict(given)).items()
                        if name not in given}
                vals = dict(defaults[key], **given)
            else:
                vals = model._add_missing_default_values(dict(given))
            row, x2many = self._column_values(model, vals, given)
            if computed:
                row.update(self._computed_columns(model, vals, computed[index]))
            rows.append(row)
            links.append(x2many)
        columns = sorted({name for row in rows for name in row})
        now = "(now() at time zone 'UTC')"
        template = "(%s)" % ", ".join(
            ["%s"] + [model._fields[name].column_format for name in columns]
            + ["%s", "%s", now, now])
        execute_values(
            cr, 'INSERT INTO "%s" (%s) VALUES %%s' % (model._table, ", ".join(
                '"%s"' % name for name in ["id"] + columns + list(MAGIC[1:]))),
            [[row_id] + [row.get(name) for name in columns]
             + [self.env.uid, self.env.uid] for row_id, row in zip(ids, rows)],
            template=template, page_size=PAGE_SIZE)
        records = model.browse(ids)
        records.modified(records._fields)
        names = set(columns)
        for record, x2many in zip(records, links):
            for name, commands in x2many.items():
                names.add(name)
                field = model._fields[name]
                if field.type == "many2many":
                    self._link_many2many(record, field, commands)
        # children after the parents, in the parents' order (as create does)
        by_field = OrderedDict()
        for record, x2many in zip(records, links):
            for name, commands in x2many.items():
                field = model._fields[name]
                if field.type != "one2many":
                    continue
                for command in commands:
                    child = dict(command[2], **{field.inverse_name: record.id})
                    by_field.setdefault(name, []).append(child)
        created.append((records, names - set(computed[0] if computed else ()),
                        computed))
        for name, child_vals in by_field.items():
            comodel = model.env[model._fields[name].comodel_name]
            self._create_rows(comodel, child_vals, created)
        return records

    @api.model
    def _column_values(self, model, vals, given=None):
        """Column values of ``vals`` as ``_create`` converts them, and the
        x2many commands apart; refuses what only ``create`` handles.
        Company-dependent values that are defaults only (not in ``given``)
        are the company's default property: ``create`` stores nothing."""
        given = vals if given is None else given
        row, x2many = {}, {}
        for name, field in model._fields.items():
            if field.type == "boolean" and field.store and name not in vals:
                vals[name] = False
        for name, value in vals.items():
            field = model._fields.get(name)
            if field is None or name in MAGIC:
                raise BatchUnsupported("unknown field %s.%s" % (model._name, name))
            if field.company_dependent and name not in given:
                continue
            if field.inherited or field.inverse or (
                    field.translate is True and self.env.lang not in (None, "en_US")):
                raise BatchUnsupported("field %s.%s" % (model._name, name))
            if field.type in ("one2many", "many2many"):
                commands = [c for c in (value or []) if c]
                if field.type == "one2many" and any(c[0] != 0 for c in commands):
                    raise BatchUnsupported("one2many command on %s" % name)
                if field.type == "many2many" and any(
                        c[0] not in (4, 6) for c in commands):
                    raise BatchUnsupported("many2many command on %s" % name)
                if commands:
                    x2many[name] = commands
                continue
            if not (field.store and field.column_type):
                continue
            if hasattr(field, "selection") and value:
                model._check_selection_field_value(name, value)
            row[name] = field.convert_to_column(value, model, vals)
        return row, x2many

    @api.model
    def _computed_columns(self, model, vals, values):
        """Columns of precomputed stored computed ``values``, converted as
        the ORM's recomputation writes them (Monetary rounded in the
        currency of the record)."""
        context = dict(vals, **values)
        columns = {}
        for name, value in values.items():
            field = model._fields[name]
            if not (field.compute and field.store):
                raise BatchUnsupported("%s.%s is not computed" % (model._name, name))
            if field.column_type:
                columns[name] = field.convert_to_column(value, model, context)
        return columns

    @staticmethod
    def _stored_group(records, name):
        """The stored fields computed by the same method as ``name``."""
        field = records._fields[name]
        return [f for f in records._field_computed[field] if f.store]

    @api.model
    def _mark_computed(self, records, names):
        """Mark the stored computed fields ``names`` (whole groups) computed
        on ``records``: the ORM will not compute them again."""
        for name in names:
            for field in self._stored_group(records, name):
                records._recompute_done(field)

    @api.model
    def _computed_done(self, records, computed):
        """Mark the precomputed fields computed, so that the ORM does not
        compute them again: it reads them from the rows when needed."""
        names = set(computed[0])
        for name in names:
            group = [f.name for f in self._stored_group(records, name)]
            if not names.issuperset(group):
                raise BatchUnsupported("incomplete group %s" % group)
        self._mark_computed(records, names)
        records.invalidate_cache(list(names), records.ids)

    @api.model
    def _link_many2many(self, record, field, commands):
        ids = list(OrderedDict.fromkeys(self._command_ids(commands)))
        if ids:
            execute_values(
                self.env.cr,
                'INSERT INTO "%s" ("%s", "%s") VALUES %%s ON CONFLICT DO NOTHING'
                % (field.relation, field.column1, field.column2),
                [(record.id, other) for other in ids])

    @staticmethod
    def _command_ids(commands):
        ids = []
        for command in commands or []:
            if command[0] == 6:
                ids = list(command[2])
            elif command[0] == 4:
                ids.append(command[1])
        return ids

    @api.model
    def _finish(self, created):
        """Compute every stored computed field the new rows touch, then check
        the constraints and the record rules, as ``create`` does. In a
        ``_deferred_recompute()`` block, the fields are computed at its end
        (or when read), once for all the rows written in it."""
        for records, _names, computed in created:
            if computed:
                self._computed_done(records, computed)
        if self.env.context.get("property_bulk_deferred") is not _DEFERRED:
            self._recompute()
        for records, names, computed in created:
            self._validate(records, names | set(computed[0] if computed else ()))
            records.check_access_rule("create")

    @api.model
    def _validate(self, records, names):
        """``_validate_fields``, but for the constraints that hold by
        construction (they would read back every row just written)."""
        if records._constraints:
            return records._validate_fields(names)
        skip = self._hold_by_construction()
        for check in records._constraint_methods:
            if (records._name, check.__name__) in skip:
                continue
            if set(check._constrains) & names:
                try:
                    check(records)
                except ValidationError:
                    raise
                except Exception as error:
                    raise ValidationError(_(
                        "Error while validating constraint\n\n%s") % error)
        return True

    # -- computed fields and updates -----------------------------------------

    @api.model
    def _deferred(self):
        """This engine, computing the stored computed fields of what it
        writes only when they are read or when :meth:`_recompute` is called
        (a batch whose steps touch the same records computes them once)."""
        return self.with_context(property_bulk_deferred=_DEFERRED)

    @api.model
    def _recompute(self):
        """``BaseModel.recompute`` (same fields, same order, same compute
        methods) writing each field group of a batch with one UPDATE instead
        of one per distinct value."""
        env = self.env
        while env.has_todo():
            field, records = env.get_todo()
            computed = self._stored_group(records, field.name)
            values = OrderedDict()
            for record in records:
                try:
                    vals = {f.name: record[f.name] for f in computed}
                except MissingError:
                    continue
                values[record.id] = record._convert_to_write(vals)
            with env.norecompute():
                self._update_rows(records.browse(list(values)), values)
            for computed_field in computed:
                records._recompute_done(computed_field)

    @api.model
    def _column_converters(self, records, stored, names):
        """``field.convert_to_column(value, record, values)`` of each of
        ``stored`` on ``records``. A Monetary field rounds to its record's
        currency: read for all the records in one query (stored currency
        fields not among ``names``; the others through the ORM), then each
        value converted as ``Monetary.convert_to_column`` converts it."""
        model = records.browse()
        converters = []
        currencies = {}
        for name in stored:
            field = model._fields[name]
            currency_field = model._fields.get(field.currency_field or "") \
                if field.type == "monetary" else None
            if not currency_field \
                    or currency_field.name in names \
                    or not (currency_field.store and currency_field.column_type) \
                    or self.env.field_todo(currency_field) & records:
                # (a currency still to compute is not in the rows yet)
                converters.append(field.convert_to_column)
                if field.type == "monetary" and currency_field:
                    records.mapped(currency_field.name)  # read at once
                continue
            if currency_field.name not in currencies:
                currencies[currency_field.name] = self._currencies_of(
                    records, currency_field)
            converters.append(self._monetary_converter(
                currencies[currency_field.name]))
        return converters

    @api.model
    def _currencies_of(self, records, currency_field):
        """{record id: res.currency} of the stored ``currency_field``."""
        self.env.cr.execute('SELECT id, "%s" FROM "%s" WHERE id IN %%s' % (
            currency_field.name, records._table), (tuple(records.ids),))
        Currency = self.env["res.currency"]
        found = {}
        result = {}
        for record_id, currency_id in self.env.cr.fetchall():
            if currency_id and currency_id not in found:
                found[currency_id] = Currency.browse(currency_id)
            result[record_id] = found.get(currency_id, Currency)
        return result

    @staticmethod
    def _monetary_converter(currencies):
        def convert(value, record, _values=None):
            currency = currencies.get(record.id)
            value = float(value or 0.0)
            if currency:
                return float_repr(currency.round(value), currency.decimal_places)
            return value
        return convert

    @api.model
    def _cache_rows(self, records, stored, rows):
        """The columns of ``rows`` ([id, value...] in the order of
        ``stored``) in the cache of ``records``, as ``_read_from_database``
        caches what it reads."""
        if not records:
            return
        first = records[:1]
        cache = self.env.cache._data
        for position, name in enumerate(stored, 1):
            field = records._fields[name]
            key = field.cache_key(first)
            data = cache[field]
            for record, row in zip(records, rows):
                data[record.id][key] = field.convert_to_cache(
                    row[position], record, validate=False)

    @api.model
    def _update_rows(self, records, values):
        """``_write`` of ``values`` ({id: {field: value}}, the same fields for
        every id) on ``records`` in one statement: the record rules are
        checked, the access rights are the caller's business (as ``_write``,
        which the ORM's recomputation uses)."""
        if not values:
            return
        model = records.browse()
        names = list(next(iter(values.values())))
        records.modified(names + ["write_date", "write_uid"])
        # computed fields written here are computed: the values are final
        self._mark_computed(records, [
            name for name in names
            if model._fields[name].compute and model._fields[name].store
            and set(names).issuperset(
                f.name for f in self._stored_group(model, name))])
        stored = [name for name in names
                  if model._fields[name].store and model._fields[name].column_type]
        if stored:
            records.check_access_rule("write")
            template = "(%%s, %s)" % ", ".join(
                "%%s::%s" % model._fields[name].column_type[1] for name in stored)
            converters = self._column_converters(records, stored, names)
            rows = [[record.id] + [
                convert(values[record.id][name], record, values[record.id])
                for name, convert in zip(stored, converters)]
                for record in records]
            cr = self.env.cr
            execute_values(cr, """
                UPDATE "%(table)s" AS t SET %(sets)s, write_uid = %(uid)s,
                    write_date = (now() at time zone 'UTC')
                FROM (VALUES %%s) AS v(id, %(columns)s) WHERE t.id = v.id
            """ % {
                "table": model._table, "uid": int(self.env.uid),
                "sets": ", ".join('"%s" = v."%s"' % (n, n) for n in stored),
                "columns": ", ".join('"%s"' % name for name in stored),
            }, rows, template=template, page_size=PAGE_SIZE)
            # keep in cache what the database now holds (Monetary rounded)
            # rather than reading whole rows back at the next access
            self._cache_rows(records, stored, rows)
        self._validate(records, set(names))
