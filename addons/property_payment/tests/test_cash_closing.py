# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Daily closing (日结): expected takings per counter channel, the counted
cash and its difference with a reason, the closed day locked against new
counter receipts, reopening by a manager, and who may see and close what."""
import datetime

import pytz
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from odoo.addons.property_payment.tests.common import PaymentCase

DAY = "2026-03-10"
MODEL = "property.cash.closing"


class TestCashClosing(PaymentCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_cashier = cls._create_user(
            "cashier2", [cls.group_billing_user.id], name="Second Cashier")
        cls.portal = cls._create_portal_user(cls.owner)
        cls._bill(250.60, period="2026-02")
        cls._bill(300.00, period="2026-03")

    def _day(self):
        """The cashier's day: cash 100.00 and 50.50, WeChat 80.00, a WeChat
        receipt of 30.00 voided by the manager, and a bank transfer."""
        self._pay(100.0, "cash", date=DAY, tendered=100.0)
        self._pay(50.5, "cash", date=DAY)
        self._pay(80.0, "wechat", date=DAY)
        voided = self._pay(30.0, "wechat", date=DAY)
        voided.sudo(self.manager).action_void("scanned twice")
        self._pay(40.0, "transfer", date=DAY, serial="T-1")

    def _closing(self, user=None, day=DAY):
        return self.env[MODEL].sudo(user or self.cashier).create({"date": day})

    def _line(self, closing, code):
        return closing.line_ids.filtered(lambda line: line.channel_code == code)

    def _close_short_by_ten(self):
        """The day, closed with cash counted 10.00 short, and a reason."""
        self._day()
        closing = self._closing()
        self._line(closing, "cash").write(
            {"counted_amount": 140.5, "reason": "10 yuan note missing"})
        closing.action_close()
        return closing

    # -- expected takings --------------------------------------------------------

    def test_expected_takings_per_counter_channel(self):
        self._day()
        closing = self._closing()
        takings = {line.channel_code: (line.expected_count,
                                       round(line.expected_amount, 2))
                   for line in closing.line_ids}
        self.assertEqual(takings["cash"], (2, 150.5))
        self.assertEqual(takings["wechat"], (1, 80.0))
        self.assertNotIn("transfer", takings)
        self.assertEqual(closing.state, "draft")
        self.assertAlmostEqual(closing.expected_amount, 230.5)
        # WeChat defaults to what is expected; cash must be counted
        self.assertAlmostEqual(self._line(closing, "wechat").counted_amount, 80.0)
        self.assertFalse(self._line(closing, "cash").counted_entered)

    def test_other_cashier_and_other_day_are_not_counted(self):
        self._day()
        self._pay(70.0, "cash", date=DAY, user=self.other_cashier)
        self._pay(20.0, "cash", date="2026-03-11")
        closing = self._closing()
        self.assertAlmostEqual(self._line(closing, "cash").expected_amount, 150.5)
        theirs = self._closing(self.other_cashier)
        self.assertAlmostEqual(self._line(theirs, "cash").expected_amount, 70.0)

    # -- differences ---------------------------------------------------------------

    def test_cash_short_by_ten_needs_a_reason(self):
        self._day()
        closing = self._closing()
        cash = self._line(closing, "cash")
        cash.write({"counted_amount": 140.5})
        self.assertAlmostEqual(cash.difference, -10.0)
        with self.assertRaisesRegex(UserError, "Give the reason"):
            closing.action_close()
        self.assertEqual(closing.state, "draft")
        cash.write({"reason": "10 yuan note missing"})
        closing.action_close()
        self.assertEqual(closing.state, "closed")
        self.assertAlmostEqual(closing.difference_amount, -10.0)
        self.assertAlmostEqual(closing.counted_amount, 220.5)
        self.assertEqual(cash.reason, "10 yuan note missing")
        self.assertEqual(len(closing.receipt_ids), 3)
        self.assertEqual(closing.closed_uid, self.cashier)

    def test_cash_taken_but_not_counted_is_refused(self):
        self._day()
        closing = self._closing()
        with self.assertRaisesRegex(UserError, "count the cash"):
            closing.action_close()
        self.assertEqual(closing.state, "draft")

    def test_negative_count_is_refused(self):
        self._day()
        closing = self._closing()
        with self.assertRaises(UserError):
            self._line(closing, "cash").write({"counted_amount": -1.0})

    def test_reason_in_the_users_language(self):
        self._load_lang("zh_CN")
        self._day()
        closing = self._closing().with_context(lang="zh_CN")
        self._line(closing, "cash").write({"counted_amount": 140.5})
        with self.assertRaises(UserError) as caught:
            closing.action_close()
        self.assertIn("原因", caught.exception.name)

    def test_closing_counts_the_takings_of_the_moment(self):
        self._day()
        closing = self._closing()
        self._line(closing, "cash").write({"counted_amount": 200.5})
        self._pay(50.0, "cash", date=DAY)      # after the closing was opened
        closing.action_close()
        cash = self._line(closing, "cash")
        self.assertEqual(cash.expected_count, 3)
        self.assertAlmostEqual(cash.expected_amount, 200.5)
        self.assertAlmostEqual(cash.difference, 0.0)
        self.assertEqual(len(closing.receipt_ids), 4)

    # -- the closed day ------------------------------------------------------------

    def test_closed_day_refuses_counter_receipts_not_transfers(self):
        closing = self._close_short_by_ten()
        with self.assertRaisesRegex(UserError, "is closed"):
            self._pay(10.0, "cash", date=DAY)
        with self.assertRaisesRegex(UserError, "is closed"):
            self._pay(10.0, "wechat", date=DAY)
        receipt = self._pay(10.0, "transfer", date=DAY, serial="T-2")
        self.assertEqual(receipt.state, "posted")
        # the next day and the other cashier are open
        self._pay(10.0, "cash", date="2026-03-11")
        self._pay(10.0, "cash", date=DAY, user=self.other_cashier)
        self.assertAlmostEqual(closing.expected_amount, 230.5)

    def test_closed_closing_cannot_be_edited(self):
        closing = self._close_short_by_ten()
        cash = self._line(closing, "cash")
        for records, vals in [
                (cash, {"counted_amount": 150.5}), (cash, {"reason": "x"}),
                (cash, {"expected_amount": 0.0}), (closing, {"note": "x"}),
                (closing, {"state": "draft"}), (closing, {"date": "2026-03-11"})]:
            with self.assertRaises(UserError):
                records.write(vals)
        with self.assertRaises(UserError):
            closing.unlink()
        with self.assertRaises(UserError):
            closing.action_close()
        manager_view = closing.sudo(self.manager)
        with self.assertRaises(UserError):
            manager_view.write({"state": "draft"})
        self.assertEqual(closing.state, "closed")
        self.assertAlmostEqual(cash.counted_amount, 140.5)

    def test_state_and_takings_are_set_by_the_actions_only(self):
        self._day()
        closing = self._closing()
        cash = self._line(closing, "cash")
        with self.assertRaises(UserError):
            closing.write({"state": "closed"})
        with self.assertRaises(UserError):
            cash.write({"expected_amount": 0.0})
        with self.assertRaises(UserError):
            self._rpc(self.cashier, MODEL, "write", [closing.id],
                      {"state": "closed"})
        with self.assertRaises(UserError):
            self._rpc(self.cashier, MODEL, "create",
                      {"date": "2026-03-12", "state": "closed"})
        # the form's own edit of a line goes through
        self._rpc(self.cashier, MODEL, "write", [closing.id], {
            "line_ids": [[1, cash.id, {"counted_amount": 150.5}]]})
        self.assertAlmostEqual(cash.counted_amount, 150.5)
        with self.assertRaises(UserError):
            self._rpc(self.cashier, MODEL, "write", [closing.id], {
                "line_ids": [[2, cash.id, False]]})
        self.assertEqual(closing.state, "draft")

    def test_one_closing_per_cashier_day_and_company(self):
        self._closing()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), \
                self.env.cr.savepoint():
            self._closing()

    def test_voided_after_closing_is_a_post_closing_change(self):
        self._day()
        late = self._pay(20.0, "cash", date=DAY)
        closing = self._closing()
        self._line(closing, "cash").write({"counted_amount": 170.5})
        closing.action_close()
        self.assertFalse(closing.voided_after_ids)
        late.sudo(self.manager).action_void("wrong payer")
        closing.invalidate_cache()
        self.assertEqual(closing.voided_after_ids, late)
        self.assertEqual(closing.post_closing_change_count, 1)
        # the frozen takings stay what was closed
        self.assertAlmostEqual(self._line(closing, "cash").expected_amount, 170.5)

    # -- reopening -------------------------------------------------------------------

    def test_manager_reopens_with_a_reason(self):
        closing = self._close_short_by_ten()
        with self.assertRaises(AccessError):
            closing.action_reopen("I miscounted")
        as_manager = closing.sudo(self.manager)
        with self.assertRaises(UserError):
            as_manager.action_reopen("  ")
        wizard = self.env["property.cash.closing.reopen"].sudo(
            self.manager).create({"closing_id": closing.id,
                                  "reason": "note found in the drawer"})
        wizard.action_confirm()
        self.assertEqual(closing.state, "draft")
        self.assertTrue(any("note found in the drawer" in (message.body or "")
                            for message in closing.message_ids))
        # the day is open again for the counter, and closes again
        self._pay(10.0, "cash", date=DAY)
        self._line(closing, "cash").write({"counted_amount": 160.5,
                                           "reason": ""})
        closing.action_close()
        self.assertAlmostEqual(self._line(closing, "cash").expected_amount, 160.5)
        self.assertEqual(closing.state, "closed")

    # -- who ---------------------------------------------------------------------------

    def test_cashier_cannot_see_or_close_another_cashiers_day(self):
        self._day()
        closing = self._closing()
        self._line(closing, "cash").write({"counted_amount": 150.5})
        other = self.other_cashier
        self.assertFalse(self._rpc(other, MODEL, "search", []))
        for method, args in [("read", [[closing.id], ["state"]]),
                             ("action_close", [[closing.id]]),
                             ("action_refresh", [[closing.id]])]:
            with self.assertRaises(AccessError):
                self._rpc(other, MODEL, method, *args)
        with self.assertRaises(AccessError):
            self._rpc(other, MODEL, "create",
                      {"date": "2026-03-12", "cashier_id": self.cashier.id})
        with self.assertRaises(AccessError):
            self._rpc(other, "property.cash.closing.line", "write",
                      [self._line(closing, "cash").id], {"counted_amount": 1.0})
        self.assertEqual(closing.state, "draft")
        # a manager sees and closes any cashier's day
        self._rpc(self.manager, MODEL, "action_close", [closing.id])
        self.assertEqual(closing.state, "closed")
        # an accountant reads it and changes nothing
        self.assertEqual(self._rpc(self.accountant, MODEL, "read", [closing.id],
                                   ["state"])[0]["state"], "closed")
        with self.assertRaises(AccessError):
            self._rpc(self.accountant, MODEL, "action_reopen", [closing.id],
                      "because")

    def test_closings_of_another_company_are_not_seen(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        theirs = self.env[MODEL].create({
            "date": DAY, "company_id": other_company.id,
            "cashier_id": self.cashier.id})
        mine = self._closing()
        self.assertEqual(self.env[MODEL].sudo(self.cashier).search([]), mine)
        self.assertNotIn(theirs, self.env[MODEL].sudo(self.manager).search([]))

    def test_portal_owner_cannot_read_or_close(self):
        self._day()
        closing = self._closing()
        for method, args in [
                ("search_read", [[]]),
                ("read", [[closing.id], ["state"]]),
                ("create", [{"date": "2026-03-12"}]),
                ("action_close", [[closing.id]]),
                ("action_refresh", [[closing.id]]),
                ("action_reopen", [[closing.id], "reason"]),
                ("action_close_my_day", []),
                ("_check_day_open", [])]:
            with self.assertRaises(AccessError, msg=method):
                self._rpc(self.portal, MODEL, method, *args)
        with self.assertRaises(AccessError):
            self._rpc(self.portal, "property.cash.closing.line", "search_read",
                      [])
        self.assertEqual(closing.state, "draft")
        # the reopen wizard is refused from its creation on (its Many2one
        # would show the closing's name), and so is its action
        self._line(closing, "cash").write({"counted_amount": 150.5})
        closing.action_close()
        with self.assertRaises(AccessError):
            self._rpc(self.portal, "property.cash.closing.reopen",
                      "create", {"closing_id": closing.id, "reason": "x"})
        wizard = self.env["property.cash.closing.reopen"].create(
            {"closing_id": closing.id, "reason": "x"})
        with self.assertRaises(AccessError):
            self._rpc(self.portal, "property.cash.closing.reopen",
                      "action_confirm", [wizard.id])
        self.assertEqual(closing.state, "closed")

    # -- close my day ---------------------------------------------------------------

    def test_close_my_day_opens_todays_closing(self):
        tz = pytz.timezone(self.estate.tz or "Asia/Shanghai")
        today = pytz.utc.localize(datetime.datetime.utcnow()).astimezone(tz)
        action = self._rpc(self.cashier, MODEL, "action_close_my_day")
        closing = self.env[MODEL].browse(action["res_id"])
        self.assertEqual(closing.cashier_id, self.cashier)
        self.assertEqual(closing.date, fields.Date.to_string(today.date()))
        again = self._rpc(self.cashier, MODEL, "action_close_my_day")
        self.assertEqual(again["res_id"], closing.id)
        other = self._rpc(self.other_cashier, MODEL, "action_close_my_day")
        self.assertNotEqual(other["res_id"], closing.id)
