# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The collection reports' rows, kept up to date incrementally.

The collection analysis, the collection curve and the arrears recovery are
tables, not views: each holds the rows its live query (a view named
``<table>_live``, the definition) gives, per bill. What changes a bill's
rows marks the bill in ``property_collection_dirty``, by PostgreSQL
triggers, so that every writer counts, the ORM and the batch paths' SQL
alike:

- the bill itself (posted, paid, cancelled, its residual, its payer...);
- a receipt line paying it, its receipt posted or voided;
- advance credit applied to it;
- its unit's state, type, estate or building, its estate's time zone.

Before a report is read (``_where_calc``: search, read_group, the exports)
and before the dashboard's figures, ``_refresh`` takes the marked bills and
writes their rows again from the live queries, in the reader's transaction:
what it reads is what the journal items say. Time moves some rows too: a
curve point counts once its day has come, and an unpaid bill owes arrears
every new month; the refresh of a new day marks the bills whose day it is.
The cost of a report is then that of reading its table, whatever the size
of the history; the cost of a payment or a bill, a row in the queue.

Two readers refreshing at once share the marks (``SKIP LOCKED``); a reader
whose marks a refresh committed after its transaction began reads the rows
as its transaction sees them, as it reads the journal items. A scheduled
action refreshes every quarter of an hour, so that the first reader after a
billing run seldom waits for it.
"""
import logging

import psycopg2
from psycopg2 import sql

from odoo import api, models

from ..rules.collection import CURVE_DAYS

_logger = logging.getLogger(__name__)

DIRTY_TABLE = "property_collection_dirty"
STATE_TABLE = "property_collection_refresh"
# the models whose rows are stored, in the order of their refresh
STORED_MODELS = ("property.collection.fact", "property.collection.curve",
                 "property.arrears.recovery")
RESTRICT = "__RESTRICT__"
# the marks no other refresh holds (a bill marked twice, each mark taken by
# one refresh, waits for the first one's commit)
TAKE_MARKS = """
    DELETE FROM %(dirty)s WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM %(dirty)s FOR UPDATE SKIP LOCKED))
    RETURNING invoice_id""" % {"dirty": DIRTY_TABLE}
# (another refresh holding it does the day's marking)
READ_STATE = ("SELECT last_day, current_date FROM %s FOR UPDATE SKIP LOCKED"
              % STATE_TABLE)
WRITE_STATE = "UPDATE %s SET last_day = current_date" % STATE_TABLE
# what marks a bill: (table, trigger function body, events, condition)
BILL_STATES = "('open', 'paid')"
# a row that refers to a bill (invoice_id) marks it, and the bill it
# referred to before
MARK_ROW_INVOICE = """
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.invoice_id IS NOT NULL THEN
            INSERT INTO %(dirty)s VALUES (OLD.invoice_id);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.invoice_id IS NOT NULL
           AND (TG_OP = 'INSERT'
                OR NEW.invoice_id IS DISTINCT FROM OLD.invoice_id) THEN
            INSERT INTO %(dirty)s VALUES (NEW.invoice_id);
        END IF;"""
TRIGGERS = [
    ("account_invoice", """
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.type = 'out_invoice'
           AND OLD.state IN %(states)s THEN
            INSERT INTO %(dirty)s VALUES (OLD.id);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.type = 'out_invoice'
           AND NEW.state IN %(states)s
           AND (TG_OP = 'INSERT' OR OLD.state NOT IN %(states)s
                OR OLD.type <> 'out_invoice') THEN
            INSERT INTO %(dirty)s VALUES (NEW.id);
        END IF;""",
     "INSERT OR DELETE OR UPDATE OF state, type, residual_company_signed, "
     "amount_total_signed, property_unit_id, commercial_partner_id, "
     "billing_period, date_invoice, date_due, move_id, company_id, "
     "currency_id"),
    ("property_receipt_line", MARK_ROW_INVOICE,
     "INSERT OR DELETE OR UPDATE OF invoice_id, amount, kind, "
     "invoice_line_id, receipt_id"),
    ("property_receipt", """
        INSERT INTO %(dirty)s
             SELECT invoice_id FROM property_receipt_line
              WHERE receipt_id = NEW.id AND invoice_id IS NOT NULL;""",
     "UPDATE OF state, date, channel_code"),
    ("property_advance_entry", MARK_ROW_INVOICE,
     "INSERT OR DELETE OR UPDATE OF invoice_id, amount, kind, state, date, "
     "receipt_id"),
    ("property_unit", """
        IF (NEW.state, NEW.unit_type, NEW.estate_id, NEW.building_id)
           IS DISTINCT FROM
           (OLD.state, OLD.unit_type, OLD.estate_id, OLD.building_id) THEN
            INSERT INTO %(dirty)s
                 SELECT id FROM account_invoice
                  WHERE property_unit_id = NEW.id
                    AND type = 'out_invoice' AND state IN %(states)s;
        END IF;""",
     "UPDATE OF state, unit_type, estate_id, building_id"),
    ("property_estate", """
        IF NEW.tz IS DISTINCT FROM OLD.tz THEN
            INSERT INTO %(dirty)s
                 SELECT i.id FROM account_invoice i
                   JOIN property_unit u ON u.id = i.property_unit_id
                  WHERE u.estate_id = NEW.id
                    AND i.type = 'out_invoice' AND i.state IN %(states)s;
        END IF;""",
     "UPDATE OF tz"),
]


def drop_relation(cr, name):
    """Drop the view or table ``name``, whichever it is."""
    cr.execute("SELECT relkind FROM pg_class WHERE relname = %s "
               "AND relkind IN ('r', 'v')", [name])
    row = cr.fetchone()
    if row:
        cr.execute(sql.SQL("DROP {} {} CASCADE").format(
            sql.SQL("TABLE" if row[0] == "r" else "VIEW"),
            sql.Identifier(name)))


def _trigger_sql(table, body, events):
    """(function, drop trigger, create trigger) of ``table``'s marking."""
    name = "property_collection_mark_%s" % table
    function = """
        CREATE OR REPLACE FUNCTION %(name)s() RETURNS trigger AS $$
        BEGIN
            %(body)s
            RETURN NULL;
        END $$ LANGUAGE plpgsql""" % {
        "name": name,
        "body": body % {"dirty": DIRTY_TABLE, "states": BILL_STATES}}
    drop = 'DROP TRIGGER IF EXISTS %s ON "%s"' % (name, table)
    create = ('CREATE TRIGGER %s AFTER %s ON "%s" FOR EACH ROW '
              'EXECUTE PROCEDURE %s()' % (name, events, table, name))
    return function, drop, create


def ensure_queue(cr):
    """The queue of marked bills, the refresh's state and the triggers that
    fill the queue (idempotent)."""
    queries = [
        "CREATE TABLE IF NOT EXISTS %s (invoice_id integer NOT NULL)"
        % DIRTY_TABLE,
        "CREATE TABLE IF NOT EXISTS %s (last_day date)" % STATE_TABLE,
        "INSERT INTO %(state)s SELECT current_date WHERE NOT EXISTS "
        "(SELECT 1 FROM %(state)s)" % {"state": STATE_TABLE},
    ]
    for table, body, events in TRIGGERS:
        queries.extend(_trigger_sql(table, body, events))
    for query in queries:
        cr.execute(query)


def drop_queue(cr):
    """The triggers, their functions, the queue and the refresh's state
    (the module's uninstallation)."""
    queries = []
    for table, body, events in TRIGGERS:
        _function, drop, _create = _trigger_sql(table, body, events)
        queries += [drop, "DROP FUNCTION IF EXISTS property_collection_mark_"
                    "%s()" % table]
    queries.append("DROP TABLE IF EXISTS %s, %s" % (DIRTY_TABLE, STATE_TABLE))
    for query in queries:
        cr.execute(query)
    for model in STORED_MODELS:
        drop_relation(cr, "%s_live" % model.replace(".", "_"))


class PropertyCollectionStored(models.AbstractModel):
    """A report whose rows are stored in its table and refreshed from its
    live query (``_live_select(restrict)``: the SELECT of its rows, the
    bills restricted by the SQL condition ``restrict`` on ``i.id``)."""

    _name = "property.collection.stored"
    _description = "Collection Report Stored Rows"
    # the table's indexes: column lists
    _stored_indexes = (("invoice_id",), ("id",))

    @api.model
    def _live_select(self, restrict):
        raise NotImplementedError

    @api.model
    def _live_view(self):
        return "%s_live" % self._table

    @api.model_cr
    def init(self):
        """The live view, and the table filled from it."""
        if self._abstract:
            return
        cr = self.env.cr
        ensure_queue(cr)
        drop_relation(cr, self._table)
        drop_relation(cr, self._live_view())
        queries = [
            'CREATE VIEW "%s" AS (%s)' % (
                self._live_view(), self._live_select("TRUE")),
            'CREATE TABLE "%s" AS SELECT * FROM "%s"' % (
                self._table, self._live_view()),
        ] + [
            'CREATE INDEX "%s_%s_index" ON "%s" (%s)' % (
                self._table, "_".join(columns), self._table,
                ", ".join(columns))
            for columns in self._stored_indexes
        ] + ['ANALYZE "%s"' % self._table]
        for query in queries:
            cr.execute(query)

    @api.model
    def _refresh_rows(self, invoice_ids):
        """Write the rows of ``invoice_ids`` again from the live query."""
        cr = self.env.cr
        select = self._live_select(RESTRICT).replace("%", "%%").replace(
            RESTRICT, "i.id = ANY(%(ids)s)")
        delete = 'DELETE FROM "%s" WHERE invoice_id = ANY(%%(ids)s)' \
            % self._table
        insert = 'INSERT INTO "%s" %s' % (self._table, select)
        cr.execute(delete, {"ids": invoice_ids})
        cr.execute(insert, {"ids": invoice_ids})

    @api.model
    def _where_calc(self, domain, active_test=True):
        # every search and read_group reads refreshed rows
        self.env["property.collection.store"]._refresh()
        return super()._where_calc(domain, active_test=active_test)


class PropertyCollectionStore(models.AbstractModel):
    _name = "property.collection.store"
    _description = "Collection Reports Refresh"

    @api.model
    def _refresh(self):
        """Write again the stored rows of the bills marked since the last
        refresh, and of those whose rows the new day changes. Returns how
        many bills were refreshed, or None when a refresh committed since
        this transaction began took them (its rows are not visible to this
        transaction, which reads as it began, as it reads the journal
        items)."""
        cr = self.env.cr
        try:
            with cr.savepoint():
                cr.execute(TAKE_MARKS)
                ids = {row[0] for row in cr.fetchall()}
                ids |= self._marked_by_time()
                if ids:
                    ids = sorted(ids)
                    for model in STORED_MODELS:
                        self.env[model]._refresh_rows(ids)
                return len(ids)
        except psycopg2.extensions.TransactionRollbackError:
            _logger.debug("collection refresh skipped: concurrent refresh")
            return None

    @api.model
    def _cron_refresh(self):
        """The scheduled refresh: the readers after a billing run or a
        statement import find their rows written."""
        count = self._refresh()
        if count:
            _logger.info("collection reports: %d bills refreshed", count)

    @api.model
    def _marked_by_time(self):
        """The bills whose rows a new day changes since the last refresh: a
        curve point whose day has come, a new month of arrears for the
        unpaid bills (a day's margin either side for the estates' time
        zones)."""
        cr = self.env.cr
        cr.execute(READ_STATE)
        row = cr.fetchone()
        last, today = row if row else (None, None)
        if not last or last >= today:
            return set()
        points = " OR ".join(
            "i.date_invoice + %d BETWEEN %%(last)s::date - 1 "
            "AND %%(today)s::date + 1" % n
            for n in CURVE_DAYS)
        query = """
            SELECT i.id FROM account_invoice i
             WHERE i.type = 'out_invoice' AND i.state IN %s
               AND i.property_unit_id IS NOT NULL
               AND ((%s)
                    OR (i.residual_company_signed <> 0
                        AND date_trunc('month', %%(today)s::date + 1)
                            > date_trunc('month', %%(last)s::date - 1)))
        """ % (BILL_STATES, points)
        cr.execute(query, {"last": last, "today": today})
        ids = {row[0] for row in cr.fetchall()}
        cr.execute(WRITE_STATE)
        return ids
