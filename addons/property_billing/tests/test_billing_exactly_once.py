# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Exactly once, enforced by the database: a unit, fee item and period is
never billed twice — not by a repeated run, not by two runs started at the
same moment in two transactions, not after an interruption."""
import threading
import uuid

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from odoo.addons.property_billing.tests.common import NO_MAIL_CONTEXT
from odoo.addons.property_billing.tests.common_billing import SYNC, BillingCase


class TestLedgerConstraints(BillingCase):

    def _ledger_vals(self, **overrides):
        vals = {"unit_id": self.unit.id, "item_id": self.fee_item.id,
                "date_from": "2026-03-01", "date_to": "2026-03-31",
                "period": "2026-03", "partner_id": self.owner.id}
        vals.update(overrides)
        return vals

    @mute_logger("odoo.sql_db")
    def test_unique_index_refuses_a_second_live_key(self):
        first = self.Ledger.create(self._ledger_vals())
        with self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.Ledger.create(self._ledger_vals())
        # straight SQL does not get around it either
        with self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute("""
                    INSERT INTO property_billing_line
                        (unit_id, item_id, date_from, date_to, state)
                    VALUES (%s, %s, '2026-03-01', '2026-03-31', 'posted')
                """, (self.unit.id, self.fee_item.id))
        # a cancelled entry frees the key
        first.write({"state": "cancelled"})
        second = self.Ledger.create(self._ledger_vals())
        self.assertEqual(second.state, "draft")

    @mute_logger("odoo.sql_db")
    def test_overlapping_periods_refused(self):
        self.Ledger.create(self._ledger_vals())
        with self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.Ledger.create(self._ledger_vals(
                    date_from="2026-03-16", date_to="2026-04-15",
                    period="2026-03-16~2026-04-15"))
        self.Ledger.create(self._ledger_vals(date_from="2026-04-01",
                                             date_to="2026-04-30", period="2026-04"))

    def test_billed_entry_cannot_be_deleted(self):
        run = self._generate()
        from odoo.exceptions import UserError
        with self.assertRaises(UserError):
            run.ledger_ids.unlink()
        with self.assertRaises(UserError):
            run.unlink()


class TestConcurrentRuns(TransactionCase):
    """Two real transactions (two cursors): their data must be committed for
    the other to see it, so this case commits its own estate and removes it
    at the end."""

    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:8].upper()
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, dict(NO_MAIL_CONTEXT))
            data = _Factory(env, self.tag).build()
            cr.commit()  # pylint: disable=invalid-commit
        self.data = data

    def tearDown(self):
        with self._cursor() as cr:
            _Factory.cleanup(cr, self.data)
            cr.commit()  # pylint: disable=invalid-commit
        super().tearDown()

    def _cursor(self):
        return self.registry.cursor()

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, dict(NO_MAIL_CONTEXT, **SYNC))

    def _run(self, env, buildings=None):
        run = env["property.billing.run"].create({
            "estate_id": self.data["estate"], "date_from": "2026-03-01",
            "date_to": "2026-03-31", "invoice_date": "2026-03-01",
            "building_ids": [(6, 0, buildings or [])]})
        self.data["runs"].append(run.id)
        return run

    def _count(self, cr, sql):
        cr.execute(sql, (tuple(self.data["units"]),))
        return cr.fetchone()[0]

    def _live_ledger(self, cr):
        return self._count(cr, """
            SELECT count(*) FROM property_billing_line
            WHERE unit_id IN %s AND state NOT IN ('cancelled', 'refunded')""")

    def _invoices(self, cr):
        return self._count(cr, """
            SELECT count(*) FROM account_invoice
            WHERE property_unit_id IN %s AND state != 'cancel'""")

    @mute_logger("odoo.sql_db")
    def test_second_run_waits_for_nothing_and_bills_nothing(self):
        units = len(self.data["units"])
        with self._cursor() as cr_a, self._cursor() as cr_b:
            run_a = self._run(self._env(cr_a))
            run_a.action_generate()          # billed, not committed yet
            self.assertEqual(self._live_ledger(cr_a), units)
            # B covers an overlapping scope (one building) at the same moment
            run_b = self._run(self._env(cr_b), buildings=[self.data["building"]])
            cr_b.commit()
            run_b.action_generate()
            self.assertEqual(run_b.state, "generated")
            self.assertFalse(run_b.invoice_ids)
            self.assertEqual(set(run_b.issue_ids.mapped("kind")), {"skipped"})
            # the key itself is held by A's uncommitted row: B must wait for it
            cr_b.execute("SET LOCAL lock_timeout = '200ms'")
            with self.assertRaises(psycopg2.OperationalError):
                cr_b.execute("""
                    INSERT INTO property_billing_line
                        (unit_id, item_id, date_from, date_to, state)
                    VALUES (%s, %s, '2026-03-01', '2026-03-31', 'draft')
                """, (self.data["units"][0], self.data["item"]))
            cr_b.rollback()
            cr_a.commit()
            # B resumed after A committed: everything is billed already
            run_b = self._env(cr_b)["property.billing.run"].browse(run_b.id)
            run_b.action_generate()
            self.assertFalse(run_b.invoice_ids)
            with self.assertRaises(psycopg2.IntegrityError):
                cr_b.execute("""
                    INSERT INTO property_billing_line
                        (unit_id, item_id, date_from, date_to, state)
                    VALUES (%s, %s, '2026-03-01', '2026-03-31', 'draft')
                """, (self.data["units"][0], self.data["item"]))
            cr_b.rollback()
        with self._cursor() as cr:
            self.assertEqual(self._live_ledger(cr), units)
            self.assertEqual(self._invoices(cr), units)

    @mute_logger("odoo.sql_db")
    def test_two_runs_started_at_once_in_two_threads(self):
        barrier = threading.Barrier(2)
        errors = []

        def bill():
            try:
                with api.Environment.manage(), self.registry.cursor() as cr:
                    env = self._env(cr)
                    run = self._run(env)
                    cr.commit()  # pylint: disable=invalid-commit
                    barrier.wait(timeout=60)
                    # as Odoo's RPC layer and queue_job do: a concurrency
                    # error rolls everything back and runs it again
                    for _attempt in range(5):
                        try:
                            run.action_generate()
                            cr.commit()  # pylint: disable=invalid-commit
                            break
                        except psycopg2.OperationalError as error:
                            if error.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                                raise
                            cr.rollback()
                            env.clear()
            except Exception as error:  # pylint: disable=broad-except
                errors.append(error)

        threads = [threading.Thread(target=bill) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertEqual(errors, [])
        units = len(self.data["units"])
        with self._cursor() as cr:
            self.assertEqual(self._live_ledger(cr), units)
            self.assertEqual(self._invoices(cr), units)
            cr.execute("""
                SELECT unit_id, count(*) FROM property_billing_line
                WHERE unit_id IN %s GROUP BY unit_id HAVING count(*) > 1
            """, (tuple(self.data["units"]),))
            self.assertEqual(cr.fetchall(), [])


class TestConcurrentPosting(TestConcurrentRuns):
    """Posting takes the journal's gapless sequence: a posting that meets
    another one must start again (as queue_job does with the job), never
    record its invoices as failed."""

    test_second_run_waits_for_nothing_and_bills_nothing = None
    test_two_runs_started_at_once_in_two_threads = None

    @mute_logger("odoo.sql_db")
    def test_posting_after_a_concurrent_number_starts_again(self):
        with self._cursor() as cr:
            run = self._run(self._env(cr))
            run.action_generate()
            cr.commit()  # pylint: disable=invalid-commit
            run_id, journal_id = run.id, run.journal_id.id
        with self._cursor() as cr_a, self._cursor() as cr_b:
            run_b = self._env(cr_b)["property.billing.run"].browse(run_id)
            drafts = run_b.invoice_ids.ids  # B's snapshot starts here
            # meanwhile an accountant validates something in the same journal
            journal = self._env(cr_a)["account.journal"].browse(journal_id)
            journal.sequence_id.with_context(
                ir_sequence_date="2026-03-01").next_by_id()
            cr_a.commit()
            with self.assertRaises(psycopg2.OperationalError) as caught:
                run_b._post_chunk(drafts)
            self.assertIn(caught.exception.pgcode, PG_CONCURRENCY_ERRORS_TO_RETRY)
            cr_b.rollback()
            # the job's next attempt posts them all
            env_b = self._env(cr_b)
            env_b.clear()
            run_b = env_b["property.billing.run"].browse(run_id)
            run_b._post_chunk(drafts)
            cr_b.commit()
            self.assertEqual(set(run_b.invoice_ids.mapped("state")), {"open"})
            self.assertFalse(run_b.issue_ids.filtered(lambda i: i.kind == "error"))
            self.assertEqual(run_b.state, "posted")


class _Factory:
    """Committed data of the concurrency tests, and its removal."""

    def __init__(self, env, tag):
        self.env = env
        self.tag = tag

    def build(self):
        env = self.env
        company = env.user.company_id
        company.property_notice_days = 30
        estate = env["property.estate"].create({
            "name": "Concurrency %s" % self.tag, "code": "C%s" % self.tag})
        buildings = [env["property.building"].create({
            "name": "B%d %s" % (n, self.tag), "code": "B%d" % n,
            "estate_id": estate.id}) for n in (1, 2)]
        account = env["account.account"].search([
            ("company_id", "=", company.id),
            ("user_type_id", "=", env.ref("account.data_account_type_revenue").id)],
            order="code", limit=1)
        product = env["product.product"].create({
            "name": "物业管理费 %s" % self.tag, "type": "service",
            "property_account_income_id": account.id, "taxes_id": [(6, 0, [])]})
        item = env["property.fee.item"].create({
            "name": "物业管理费 %s" % self.tag, "code": "F%s" % self.tag,
            "method": "per_area", "product_id": product.id,
            "account_id": account.id})
        standard = env["property.fee.standard"].create({
            "name": "Std %s" % self.tag, "item_id": item.id,
            "estate_id": estate.id, "rate": 2.80, "cycle": "monthly",
            "timing": "advance", "due_days": 15, "date_from": "2026-01-01",
            "notice_days": 30})
        standard.action_approve()
        standard._publish("2025-11-01")
        units, partners = [], []
        for n in range(6):
            unit = env["property.unit"].create({
                "code": "%s-%d" % (self.tag, n), "estate_id": estate.id,
                "building_id": buildings[n % 2].id, "area": 80.0 + n,
                "state": "occupied", "unit_type": "residential"})
            partner = env["res.partner"].create({"name": "Owner %s %d" % (self.tag, n)})
            env["property.occupancy"].create({
                "unit_id": unit.id, "partner_id": partner.id, "role": "owner",
                "share": 100.0, "date_from": "2020-01-01"})
            units.append(unit.id)
            partners.append(partner.id)
        return {"estate": estate.id, "building": buildings[0].id,
                "buildings": [b.id for b in buildings], "product": product.id,
                "item": item.id, "standard": standard.id, "units": units,
                "partners": partners, "runs": []}

    @staticmethod
    def cleanup(cr, data):
        units = tuple(data["units"])
        statements = [
            ("DELETE FROM account_invoice WHERE property_unit_id IN %s", units),
            ("DELETE FROM property_billing_line WHERE unit_id IN %s", units),
            ("DELETE FROM property_billing_run WHERE estate_id = %s", data["estate"]),
            ("DELETE FROM property_occupancy WHERE unit_id IN %s", units),
            ("DELETE FROM property_unit WHERE id IN %s", units),
            ("DELETE FROM property_fee_notice WHERE estate_id = %s", data["estate"]),
            ("DELETE FROM property_fee_standard WHERE id = %s", data["standard"]),
            ("DELETE FROM property_fee_item WHERE id = %s", data["item"]),
            ("DELETE FROM property_building WHERE estate_id = %s", data["estate"]),
            ("DELETE FROM property_estate WHERE id = %s", data["estate"]),
            ("DELETE FROM res_partner WHERE id IN %s", tuple(data["partners"])),
        ]
        cr.execute("SELECT move_id FROM account_invoice "
                   "WHERE property_unit_id IN %s AND move_id IS NOT NULL", (units,))
        moves = tuple(row[0] for row in cr.fetchall())
        if moves:  # after their invoices (restrict), with their lines (cascade)
            statements.insert(1, ("DELETE FROM account_move WHERE id IN %s", moves))
        for sql, arg in statements:
            cr.execute(sql, (arg,))
