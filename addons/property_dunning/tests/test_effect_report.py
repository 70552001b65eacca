# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dunning effectiveness: the report's rows against the steps the run took
and the payments taken after them, and the Excel export."""
import base64
import io
import re

from openpyxl import load_workbook

from odoo.exceptions import AccessError, ValidationError

from .common import DunningCase

# the reminders go out on 2026-05-06, the calls on 2026-05-20
REMINDER_DAY = "2026-05-06 10:00"
CALL_DAY = "2026-05-20 10:00"


class TestEffectReport(DunningCase):
    """Four payers with one bill each, due 2026-04-30, reminded on 05-06:

    - the owner pays 300 on 05-13, the 7th day (paid within 7 days);
    - B pays 200 on 05-25: day 19 of the reminder, day 5 of the call;
    - C pays 50 of 150 on 05-08 and nothing more;
    - D pays 120 on 06-06: day 31 of the reminder, day 17 of the call.

    B, C and D get a call step on 05-20 (the owner has paid by then).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.units = {cls.owner: cls.unit}
        cls.payer_b = cls._payer_with_unit()
        cls.payer_c = cls._payer_with_unit()
        cls.payer_d = cls._payer_with_unit()

    @classmethod
    def _payer_with_unit(cls):
        owner = cls._create_owner()
        unit = cls._create_unit()
        cls._create_occupancy(unit_id=unit.id, partner_id=owner.id)
        cls.units[owner] = unit
        return owner

    def _owner_bill(self, partner, amount):
        return self._bill(amount, "2026-04", due="2026-04-30", partner=partner,
                          unit=self.units[partner])

    def _pay_bill(self, partner, amount, bill, day):
        return self._pay(amount, payer=partner, invoices=bill, date=day)

    def _scenario(self):
        bills = {
            "a": self._owner_bill(self.owner, 300.0),
            "b": self._owner_bill(self.payer_b, 200.0),
            "c": self._owner_bill(self.payer_c, 150.0),
            "d": self._owner_bill(self.payer_d, 120.0),
        }
        self._run(REMINDER_DAY)
        self._pay_bill(self.owner, 300.0, bills["a"], "2026-05-13")
        self._pay_bill(self.payer_c, 50.0, bills["c"], "2026-05-08")
        self._run(CALL_DAY)
        self._pay_bill(self.payer_b, 200.0, bills["b"], "2026-05-25")
        self._pay_bill(self.payer_d, 120.0, bills["d"], "2026-06-06")
        return bills

    def _rows(self, level=None, user=None):
        Report = self.env["property.dunning.effect.report"]
        if user:
            Report = Report.sudo(user)
        domain = [("estate_id", "=", self.estate.id)]
        if level:
            domain.append(("level_id", "=", level.id))
        return {row.partner_id: row for row in Report.search(domain)}

    def _figures(self, row):
        return (row.total, row.recovered_7, row.recovered_30, row.paid_7,
                row.paid_30)

    def _record_call(self, step, reason, when, reached=True):
        if "property.dunning.call" not in self.env:
            self.skipTest("the call outcome model is not installed")
        return self.env["property.dunning.call"]._create_service({
            "step_id": step.id, "user_id": self.clerk.id, "date": when,
            "reached": reached, "reason": reason})

    # -- the report --------------------------------------------------------------

    def test_reminder_rows_recovered_within_7_and_30_days(self):
        self._scenario()
        rows = self._rows(self.reminder)
        self.assertEqual(len(rows), 4)
        self.assertEqual(self._figures(rows[self.owner]),
                         (300.0, 300.0, 300.0, 1, 1))
        self.assertEqual(self._figures(rows[self.payer_b]),
                         (200.0, 0.0, 200.0, 0, 1))
        # part paid: recovered, but the payer did not clear the step
        self.assertEqual(self._figures(rows[self.payer_c]),
                         (150.0, 50.0, 50.0, 0, 0))
        # paid on the 31st day: too late for the reminder
        self.assertEqual(self._figures(rows[self.payer_d]),
                         (120.0, 0.0, 0.0, 0, 0))
        row = rows[self.owner]
        self.assertEqual(row.step_id, self._steps()[:1])
        self.assertEqual((row.date, row.estate_id, row.payer_count,
                          row.step_count, row.bill_count),
                         ("2026-05-06", self.estate, 1, 1, 1))
        self.assertEqual(rows[self.payer_b].paid_30_rate, 100.0)
        self.assertEqual(rows[self.payer_b].paid_7_rate, 0.0)

    def test_call_rows_count_what_followed_the_call(self):
        self._scenario()
        rows = self._rows(self.call)
        # the owner had paid before the calls: no call step
        self.assertEqual(set(rows), {self.payer_b, self.payer_c, self.payer_d})
        # B's payment on 05-25 counts for the reminder (30 days) and the call
        self.assertEqual(self._figures(rows[self.payer_b]),
                         (200.0, 200.0, 200.0, 1, 1))
        # the call chased what C still owed
        self.assertEqual(self._figures(rows[self.payer_c]),
                         (100.0, 0.0, 0.0, 0, 0))
        self.assertEqual(self._figures(rows[self.payer_d]),
                         (120.0, 0.0, 120.0, 0, 1))

    def test_pivot_measures_per_level(self):
        self._scenario()
        groups = self.env["property.dunning.effect.report"].sudo(
            self.clerk).read_group(
            [("estate_id", "=", self.estate.id)],
            ["level_id", "payer_count", "paid_7", "paid_30", "total", "recovered_7",
             "recovered_30", "paid_30_rate"], ["level_id"])
        figures = {group["level_id"][0]: (
            group["payer_count"], group["paid_7"], group["paid_30"],
            group["total"], group["recovered_7"], group["recovered_30"],
            round(group["paid_30_rate"], 1)) for group in groups}
        self.assertEqual(figures, {
            self.reminder.id: (4, 1, 2, 770.0, 350.0, 550.0, 50.0),
            self.call.id: (3, 1, 2, 420.0, 200.0, 320.0, 66.7),
        })

    def test_cancelled_step_is_not_reported(self):
        self._scenario()
        step = self._steps(self.payer_c).filtered(
            lambda s: s.level_id == self.call)
        step.sudo(self.clerk).write({"note": "Agreed to pay at the counter."})
        step.sudo(self.clerk).action_cancel()
        self.assertEqual(set(self._rows(self.call)),
                         {self.payer_b, self.payer_d})

    def test_payment_taken_before_the_step_is_not_recovered_by_it(self):
        bill = self._owner_bill(self.owner, 100.0)
        self._pay_bill(self.owner, 40.0, bill, "2026-05-06")
        self._run(REMINDER_DAY)
        step = self._steps()
        self.assertEqual(step.total, 60.0)
        # the morning's payment was written before the run (another
        # transaction in real life; one test transaction here)
        self.env.cr.execute("""
            UPDATE account_partial_reconcile
               SET create_date = %s::timestamp - interval '1 hour'
             WHERE debit_move_id IN (SELECT id FROM account_move_line
                                      WHERE move_id = %s)""",
                            (step.create_date, bill.move_id.id))
        self._pay_bill(self.owner, 20.0, bill, "2026-05-07")
        row = self._rows()[self.owner]
        self.assertEqual(self._figures(row), (60.0, 20.0, 20.0, 0, 0))

    def test_recovered_never_exceeds_what_the_step_chased(self):
        bill = self._owner_bill(self.owner, 100.0)
        self._pay_bill(self.owner, 40.0, bill, "2026-05-06")
        self._run(REMINDER_DAY)
        # the payment of the same day, whenever written, cannot make the
        # step recover more than the 60 it chased
        self._pay_bill(self.owner, 60.0, bill, "2026-05-07")
        row = self._rows()[self.owner]
        self.assertEqual(self._figures(row), (60.0, 60.0, 60.0, 1, 1))

    def test_reason_of_the_latest_call(self):
        self._scenario()
        calls = {partner: self._steps(partner).filtered(
            lambda s: s.level_id == self.call)
            for partner in (self.payer_b, self.payer_c, self.payer_d)}
        self._record_call(calls[self.payer_b], "unreachable",
                          "2026-05-20 03:00:00", reached=False)
        self._record_call(calls[self.payer_b], "other", "2026-05-21 03:00:00")
        self._record_call(calls[self.payer_c], "hardship",
                          "2026-05-20 04:00:00")
        rows = self._rows(self.call)
        self.assertEqual(rows[self.payer_b].reason, "other")
        self.assertEqual(rows[self.payer_c].reason, "hardship")
        self.assertFalse(rows[self.payer_d].reason)
        self.assertFalse(self._rows(self.reminder)[self.payer_b].reason)

    # -- rights --------------------------------------------------------------------

    def test_portal_owner_cannot_read_the_report(self):
        self._scenario()
        portal = self._create_portal_user(self.owner)
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.dunning.effect.report", "search_read",
                      [], ["total", "recovered_30"])
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.dunning.effect.report", "read_group",
                      [], ["total"], ["level_id"])

    def test_portal_owner_cannot_export(self):
        self._scenario()
        portal = self._create_portal_user(self.owner)
        wizard_id = self._rpc(
            portal, "property.dunning.effect.export", "create",
            {"date_from": "2026-05-01", "date_to": "2026-06-30"})
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.dunning.effect.export",
                      "action_export", [wizard_id])
        self.assertFalse(self.env["ir.attachment"].search([
            ("res_model", "=", "property.dunning.effect.export"),
            ("res_id", "=", wizard_id)]))

    def test_accountant_reads_but_does_not_export(self):
        self._scenario()
        rows = self._rows(self.reminder, user=self.accountant)
        self.assertEqual(len(rows), 4)
        wizard = self.env["property.dunning.effect.export"].sudo(
            self.accountant).create({"date_from": "2026-05-01",
                                     "date_to": "2026-06-30"})
        with self.assertRaises(AccessError):
            wizard.action_export()

    def test_export_refuses_a_period_ending_before_it_starts(self):
        with self.assertRaises(ValidationError):
            self.env["property.dunning.effect.export"].sudo(self.clerk).create(
                {"date_from": "2026-06-01", "date_to": "2026-05-01"})

    # -- the Excel export ----------------------------------------------------------

    def _export(self, date_from, date_to, estate=None):
        wizard = self.env["property.dunning.effect.export"].sudo(
            self.clerk).create({
                "date_from": date_from, "date_to": date_to,
                "estate_id": (estate or self.estate).id})
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment_id = int(re.match(r"/web/content/(\d+)\?download=true$",
                                     action["url"]).group(1))
        attachment = self.env["ir.attachment"].sudo(self.clerk).browse(
            attachment_id)
        self.assertTrue(attachment.datas_fname.endswith(".xlsx"))
        return load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))

    @staticmethod
    def _values(sheet):
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def _level_name(self, level):
        return level.with_context(lang="zh_CN").name

    def test_export_per_level_with_chinese_headers(self):
        self._scenario()
        book = self._export("2026-05-01", "2026-06-30")
        self.assertEqual(book.sheetnames, ["按催缴等级", "未缴原因", "说明"])
        rows = self._values(book["按催缴等级"])
        self.assertEqual(rows[0], [
            "催缴方案", "催缴等级", "触达户数", "7日内缴清", "7日缴清率(%)",
            "30日内缴清", "30日缴清率(%)", "催缴金额", "7日内回款金额",
            "回款金额", "回款率(%)"])
        policy = self.policy.with_context(lang="zh_CN").name
        self.assertEqual(rows[1:], [
            [policy, self._level_name(self.reminder), 4, 1, 25.0, 2, 50.0,
             770.0, 350.0, 550.0, 71.4],
            [policy, self._level_name(self.call), 3, 1, 33.3, 2, 66.7,
             420.0, 200.0, 320.0, 76.2],
            ["合计", None, 7, 2, 28.6, 4, 57.1, 1190.0, 550.0, 870.0, 73.1],
        ])
        notes = self._values(book["说明"])
        self.assertEqual(notes[0], ["统计期间", "2026-05-01 至 2026-06-30"])
        self.assertEqual(notes[1], ["小区", self.estate.name])

    def test_export_keeps_the_period_and_the_estate(self):
        self._scenario()
        rows = self._values(self._export("2026-05-01", "2026-05-10")["按催缴等级"])
        self.assertEqual([row[1:4] for row in rows[1:]], [
            [self._level_name(self.reminder), 4, 1], [None, 4, 1]])
        other = self._create_estate()
        rows = self._values(self._export("2026-05-01", "2026-06-30",
                                         estate=other)["按催缴等级"])
        self.assertEqual(rows[1:], [
            ["合计", None, 0, 0, None, 0, None, 0.0, 0.0, 0.0, None]])

    def test_export_lists_the_reasons_recorded(self):
        self._scenario()
        for partner, reason in ((self.payer_b, "refuses"),
                                (self.payer_c, "hardship"),
                                (self.payer_d, "refuses")):
            step = self._steps(partner).filtered(
                lambda s: s.level_id == self.call)
            self._record_call(step, reason, "2026-05-20 03:00:00")
        rows = self._values(self._export("2026-05-01", "2026-06-30")["未缴原因"])
        labels = dict(self.env["property.dunning.call"].with_context(
            lang="zh_CN")._fields["reason"]._description_selection(
            self.env(context={"lang": "zh_CN"})))
        policy = self.policy.with_context(lang="zh_CN").name
        call = self._level_name(self.call)
        self.assertEqual(rows, [
            ["催缴方案", "催缴等级", "未缴原因", "记录次数"],
            [policy, call, labels["refuses"], 2],
            [policy, call, labels["hardship"], 1],
        ])
