# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Late fees (违约金): the figure accrued on a bill as the database holds it
(grace, cap, disputes, part payments), the payer's balance, and levies and
waivers with their approval, invoice and refusals.

The bills are of 1000.00 due 2026-03-31 unless a case says otherwise; the
policy's rate is 万分之三 (0.0003 a day: 0.30 a day on 1000.00)."""
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import DunningCase

DUE = "2026-03-31"


class TestLateFee(DunningCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({
            "late_fee_rate": 0.0003, "late_fee_grace_days": 0,
            "late_fee_cap_ratio": 1.0, "late_fee_cap_amount": 0.0,
            "late_fee_count_from": "grace_end"})
        cls.income = cls.env["account.account"].create({
            "name": "Late fee income", "code": "LF6051",
            "user_type_id": cls.env.ref(
                "account.data_account_type_other_income").id,
            "company_id": cls.company.id})
        cls.product = cls.env["product.product"].create({
            "name": "违约金", "type": "service",
            "property_account_income_id": cls.income.id,
            "taxes_id": [(6, 0, [])]})
        cls.policy.late_fee_product_id = cls.product

    # -- helpers -------------------------------------------------------------

    def _accrued(self, bill, as_of):
        service = self.env["property.late.fee.service"]
        import datetime
        day = datetime.datetime.strptime(as_of, "%Y-%m-%d").date()
        return service._accruals(bill.ids, today=day)[bill.id][1]

    def _question(self, bill, asked, answered=None, closed=None):
        """A bill question asked at ``asked`` (UTC), answered or closed at
        the given UTC moment."""
        question = self.env["property.bill.question"].create({
            "invoice_line_id": bill.invoice_line_ids[0].id,
            "question": "Why this amount?", "date": asked})
        if answered:
            question.write({"state": "answered", "answer": "Checked.",
                            "answer_date": answered})
        if closed:
            question.write({"state": "closed",
                            "dunning_closed_date": closed})
        return question

    def _fee(self, user=None, bills=None, **vals):
        payer = self._ensure_payer()
        vals.setdefault("payer_id", payer.id)
        vals.setdefault("invoice_ids", [(6, 0, (bills or self.bill).ids)])
        vals.setdefault("date", "2026-04-30")
        return self.env["property.late.fee"].sudo(user or self.clerk).create(
            vals)

    def _ensure_payer(self):
        pairs = self.env["property.dunning.payer"]._ensure(
            [(self.owner.id, self.estate.id)])
        return pairs[(self.owner.id, self.estate.id)].sudo(self.env.uid)

    # -- accrual -------------------------------------------------------------

    def test_accrual_table(self):
        """Hand-computed cases through the database."""
        cases = [
            # (name, policy values, as of, expected fee)
            # within 5 grace days (04-01..04-05): nothing
            ("grace, within", {"late_fee_grace_days": 5}, "2026-04-05", 0.0),
            # charged 04-06..04-15 = 10 days x 0.30 = 3.00
            ("grace, after", {"late_fee_grace_days": 5}, "2026-04-15", 3.0),
            # no grace: 04-01..04-30 = 30 days x 0.30 = 9.00
            ("no grace", {}, "2026-04-30", 9.0),
            # 1 % a day: 30 days x 10.00 = 300.00, capped at 10 % = 100.00
            ("cap ratio", {"late_fee_rate": 0.01, "late_fee_cap_ratio": 0.1},
             "2026-04-30", 100.0),
            # same, cap amount 50.00 below the ratio's 100.00
            ("cap amount", {"late_fee_rate": 0.01, "late_fee_cap_ratio": 0.1,
                            "late_fee_cap_amount": 50.0}, "2026-04-30", 50.0),
            # rate 0: no fee at all
            ("no rate", {"late_fee_rate": 0.0}, "2026-04-30", 0.0),
        ]
        bill = self._bill(1000.0, "2026-03", due=DUE)
        base = {"late_fee_rate": 0.0003, "late_fee_grace_days": 0,
                "late_fee_cap_ratio": 1.0, "late_fee_cap_amount": 0.0}
        for name, values, as_of, expected in cases:
            with self.subTest(name):
                self.policy.write(dict(base, **values))
                self.assertEqual(float(self._accrued(bill, as_of).fee),
                                 expected)

    def test_part_payment(self):
        """400.00 paid on 04-10: 04-01..04-10 10 days x 0.30 = 3.00 (the day
        paid still counts), 04-11..04-30 20 days x 600.00 x 0.0003 = 3.60;
        6.60 in all (the lead's approximation would say 30 x 0.18 = 5.40)."""
        bill = self._bill(1000.0, "2026-03", due=DUE)
        self._pay(400.0, invoices=bill, date="2026-04-10")
        accrual = self._accrued(bill, "2026-04-30")
        self.assertEqual(float(accrual.fee), 6.6)
        self.assertEqual(accrual.days, 30)
        self.assertEqual([float(s.principal) for s in accrual.basis],
                         [1000.0, 600.0])

    def test_paid_in_full_stops(self):
        """Paid in full on 04-10: 10 days x 0.30 = 3.00, still 3.00 later."""
        bill = self._bill(1000.0, "2026-03", due=DUE)
        self._pay(1000.0, invoices=bill, date="2026-04-10")
        self.assertEqual(bill.state, "paid")
        self.assertEqual(float(self._accrued(bill, "2026-06-30").fee), 3.0)

    def test_dispute_answered(self):
        """A question asked 04-11 10:00 and answered 04-20 10:00 Shanghai
        (02:00 UTC): 04-11..04-20 free (10 days), 20 days x 0.30 = 6.00."""
        bill = self._bill(1000.0, "2026-03", due=DUE)
        self._question(bill, "2026-04-11 02:00:00",
                       answered="2026-04-20 02:00:00")
        self.assertEqual(float(self._accrued(bill, "2026-04-30").fee), 6.0)

    def test_dispute_local_day(self):
        """Asked 04-10 23:30 UTC is 04-11 07:30 in Shanghai: the dispute
        starts on the local day, 04-11..04-20 free as above: 6.00."""
        bill = self._bill(1000.0, "2026-03", due=DUE)
        self._question(bill, "2026-04-10 23:30:00",
                       answered="2026-04-20 02:00:00")
        self.assertEqual(float(self._accrued(bill, "2026-04-30").fee), 6.0)

    def test_dispute_closed_unanswered(self):
        """Closed without an answer on 04-15 (local): 04-11..04-15 free,
        25 days x 0.30 = 7.50."""
        bill = self._bill(1000.0, "2026-03", due=DUE)
        self._question(bill, "2026-04-11 02:00:00",
                       closed="2026-04-15 02:00:00")
        self.assertEqual(float(self._accrued(bill, "2026-04-30").fee), 7.5)

    def test_question_close_stamps_the_day(self):
        bill = self._bill(1000.0, "2026-03", due=DUE)
        question = self._question(bill, "2026-04-11 02:00:00")
        question.action_close()
        self.assertTrue(question.dunning_closed_date)
        question.action_reopen()
        self.assertFalse(question.dunning_closed_date)

    def test_dispute_open(self):
        """Still open since 04-21: 04-01..04-20 20 days x 0.30 = 6.00, and
        nothing more however long it stays open."""
        bill = self._bill(1000.0, "2026-03", due=DUE)
        self._question(bill, "2026-04-21 02:00:00")
        self.assertEqual(float(self._accrued(bill, "2026-04-30").fee), 6.0)
        self.assertEqual(float(self._accrued(bill, "2026-09-30").fee), 6.0)

    def test_open_complaint(self):
        """A linked complaint reported 04-21, still open: as the question,
        6.00."""
        bill = self._bill(1000.0, "2026-03", due=DUE)
        self.env["property.complaint"].create({
            "partner_id": self.owner.id, "channel": "phone",
            "description": "Nobody cleans the stairs.",
            "category_id": self.env.ref(
                "property_complaint.complaint_category_repair_elevator").id,
            "date_reported": "2026-04-21 02:00:00",
            "related_invoice_ids": [(6, 0, bill.ids)]})
        self.assertEqual(float(self._accrued(bill, "2026-04-30").fee), 6.0)

    def test_plan_period(self):
        """A plan in good standing accepted on 04-11 (still running): only
        04-01..04-10 charged, 10 days x 0.30 = 3.00, whatever the day."""
        if "property.instalment.plan" not in self.env:
            self.skipTest("no instalment plans")
        bill = self._bill(1000.0, "2026-03", due=DUE)
        wizard = self.env["property.instalment.plan.wizard"].sudo(
            self.clerk).create({
                "partner_id": self.owner.id, "estate_id": self.estate.id,
                "invoice_ids": [(6, 0, bill.ids)], "mode": "monthly",
                "count": 3, "first_due": "2026-05-31",
                "accepted_channel": "phone", "accepted_on": "2026-04-11",
                "grace_days": 3})
        plan = self.env["property.instalment.plan"].sudo(self.clerk).browse(
            wizard.action_create()["res_id"])
        plan.action_activate()
        self.assertEqual(float(self._accrued(bill, "2026-04-30").fee), 3.0)
        self.assertEqual(float(self._accrued(bill, "2026-05-20").fee), 3.0)

    def test_invoice_and_payer_figures(self):
        """The bill shows its accrual as of today; the payer's status adds
        up its bills and deducts the done levies and waivers."""
        bill = self._bill(1000.0, "2026-03", due=DUE)
        bill2 = self._bill(500.0, "2026-04", due="2026-04-30")
        service = self.env["property.late.fee.service"]
        accruals = service._accruals((bill | bill2).ids)
        expected = float(accruals[bill.id][1].fee + accruals[bill2.id][1].fee)
        self.assertGreater(bill.property_late_fee_accrued, 9.0)
        # today's accrual varies with the date; the fields hold it rounded
        # to the currency (a float such as 74.10000000000001), so compare
        # them as money, to the cent
        self.assertAlmostEqual(bill.property_late_fee_accrued,
                               float(accruals[bill.id][1].fee), places=2)
        payer = self._ensure_payer()
        self.assertAlmostEqual(payer.late_fee_accrued, expected, places=2)
        self.assertAlmostEqual(payer.late_fee_open, expected, places=2)
        # a waiver of 2.00 (done): waived 2.00, open 2.00 less
        fee = self._fee(kind="waive", amount=2.0, reason="Elderly owner",
                        bills=bill)
        fee.sudo(self.manager).action_approve()
        fee.sudo(self.clerk).action_done()
        payer.invalidate_cache()
        self.assertEqual(payer.late_fee_waived, 2.0)
        self.assertEqual(payer.late_fee_levied, 0.0)
        self.assertAlmostEqual(payer.late_fee_open, expected - 2.0, places=2)

    # -- levies and waivers ----------------------------------------------------

    def test_levy_creates_one_posted_invoice_line(self):
        """Accrued to 04-30: 30 days x 0.30 = 9.00, levied on its own posted
        invoice with one line on the late fee product's income account."""
        self.bill = self._bill(1000.0, "2026-03", due=DUE)
        fee = self._fee()
        self.assertEqual(fee.amount, 9.0)
        self.assertEqual(fee.state, "draft")
        fee.sudo(self.manager).action_approve()
        self.assertEqual(fee.state, "approved")
        self.assertEqual(fee.line_ids.mapped("amount"), [9.0])
        fee.sudo(self.clerk).action_done()
        self.assertEqual(fee.state, "done")
        invoice = fee.fee_invoice_id
        self.assertEqual(invoice.state, "open")
        self.assertEqual(invoice.type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.owner)
        self.assertEqual(invoice.property_unit_id, self.unit)
        self.assertEqual(invoice.amount_total, 9.0)
        self.assertEqual(len(invoice.invoice_line_ids), 1)
        line = invoice.invoice_line_ids
        self.assertEqual(line.product_id, self.product)
        self.assertEqual(line.account_id, self.income)
        self.assertEqual(line.price_subtotal, 9.0)
        self.assertIn(self.bill.number, line.name)
        self.assertIn("2026-04-01..2026-04-30", line.name)
        income = invoice.move_id.line_ids.filtered(
            lambda item: item.account_id == self.income)
        self.assertEqual(income.credit, 9.0)
        # the late fee invoice never accrues a late fee itself
        self.assertEqual(invoice.property_late_fee_id, fee)
        self.assertEqual(invoice.property_late_fee_accrued, 0.0)
        # nothing is left to levy to 04-30
        with self.assertRaises(UserError):
            self._fee()

    def test_levy_without_product(self):
        self.policy.late_fee_product_id = False
        self.bill = self._bill(1000.0, "2026-03", due=DUE)
        fee = self._fee()
        fee.sudo(self.manager).action_approve()
        with self.assertRaises(UserError):
            fee.sudo(self.clerk).action_done()
        self.assertFalse(fee.fee_invoice_id)
        self.assertEqual(fee.state, "approved")

    def test_clerk_cannot_approve(self):
        self.bill = self._bill(1000.0, "2026-03", due=DUE)
        fee = self._fee()
        with self.assertRaises(AccessError):
            fee.sudo(self.clerk).action_approve()
        with self.assertRaises(AccessError):
            fee.sudo(self.clerk).action_refuse()
        self.assertEqual(fee.state, "draft")

    def test_clerk_cannot_write_state(self):
        self.bill = self._bill(1000.0, "2026-03", due=DUE)
        fee = self._fee()
        with self.assertRaises(UserError):
            fee.sudo(self.clerk).write({"state": "done"})
        with self.assertRaises(UserError):
            self._fee(state="approved")
        fee.sudo(self.manager).action_approve()
        with self.assertRaises(UserError):
            fee.sudo(self.clerk).write({"amount": 1.0})
        self.assertEqual(fee.amount, 9.0)

    def test_waiver_needs_reason(self):
        self.bill = self._bill(1000.0, "2026-03", due=DUE)
        with self.assertRaises(ValidationError):
            self._fee(kind="waive", reason="  ")
        fee = self._fee(kind="waive", reason="Hardship: lost the job")
        fee.sudo(self.manager).action_approve()
        fee.sudo(self.clerk).action_done()
        self.assertEqual(fee.state, "done")
        self.assertEqual(fee.amount, 9.0)
        self.assertFalse(fee.fee_invoice_id)
        self.assertFalse(self.env["account.invoice"].search(
            [("property_late_fee_id", "=", fee.id)]))

    def test_refusals_of_the_rule(self):
        """Each refusal a clear UserError; the fee stays a draft."""
        self.bill = self._bill(1000.0, "2026-03", due=DUE)
        # 10.00 is more than the 9.00 open
        fee = self._fee(amount=10.0)
        with self.assertRaises(UserError) as raised:
            fee.sudo(self.manager).action_approve()
        self.assertIn("9.00", str(raised.exception.name))
        self.assertEqual(fee.state, "draft")
        self.assertFalse(fee.line_ids)
        # within the grace nothing is open
        self.policy.late_fee_grace_days = 60
        with self.assertRaises(UserError):
            self._fee()

    def test_never_levied_twice(self):
        """Two drafts of 9.00 each on the same 9.00: the first approval takes
        it, the second is refused; a third of 6.00 after a refusal of the
        first... fits again."""
        self.bill = self._bill(1000.0, "2026-03", due=DUE)
        first = self._fee()
        second = self._fee()
        self.assertEqual((first.amount, second.amount), (9.0, 9.0))
        first.sudo(self.manager).action_approve()
        with self.assertRaises(UserError):
            second.sudo(self.manager).action_approve()
        self.assertEqual(second.state, "draft")
        # what is open once the first is approved: nothing
        self.assertEqual(second.open_amount, 0.0)
        # a part levy of 4.00 then leaves 5.00
        first.sudo(self.manager).action_refuse()
        part = self._fee(amount=4.0)
        part.sudo(self.manager).action_approve()
        part.sudo(self.clerk).action_done()
        rest = self._fee()
        self.assertEqual(rest.amount, 5.0)
        payer = self._ensure_payer()
        self.assertEqual(payer.late_fee_levied, 4.0)

    def test_share_over_bills_oldest_first(self):
        """Two bills to 04-30: the March one 30 days x 0.30 = 9.00, the
        April one (500.00 due 04-15) 15 days x 0.15 = 2.25. A levy of 10.00
        takes 9.00 from March and 1.00 from April."""
        march = self._bill(1000.0, "2026-03", due=DUE)
        april = self._bill(500.0, "2026-04", due="2026-04-15")
        fee = self._fee(bills=march | april, amount=10.0)
        self.assertEqual(fee.accrued_amount, 11.25)
        fee.sudo(self.manager).action_approve()
        self.assertEqual(
            [(line.invoice_id, line.amount) for line in fee.line_ids],
            [(march, 9.0), (april, 1.0)])

    def test_new_fee_takes_the_bills_with_a_fee_open(self):
        """From the payer: the overdue bill, not the one due next year."""
        march = self._bill(1000.0, "2026-03", due=DUE)
        self._bill(1000.0, "2027-01", due="2027-01-31")
        fee = self.env["property.late.fee"].sudo(self.clerk).new(
            {"payer_id": self._ensure_payer().id})
        fee._onchange_payer_id()
        self.assertEqual(fee.invoice_ids, march)

    def test_bills_of_the_payer_only(self):
        other = self._create_owner()
        self.bill = self._bill(1000.0, "2026-03", due=DUE, partner=other)
        with self.assertRaises(ValidationError):
            self._fee()

    def test_portal_over_rpc(self):
        self.bill = self._bill(1000.0, "2026-03", due=DUE)
        portal = self._create_portal_user(self.owner)
        payer = self._ensure_payer()
        with self.assertRaises((AccessError, UserError)):
            self._rpc(portal, "property.late.fee", "create", {
                "payer_id": payer.id, "date": "2026-04-30",
                "invoice_ids": [(6, 0, self.bill.ids)]})
        fee = self._fee()
        for method in ("action_approve", "action_done", "action_refuse",
                       "write"):
            args = [[fee.id]] + ([{"amount": 1.0}] if method == "write" else [])
            with self.subTest(method), \
                    self.assertRaises((AccessError, UserError)):
                self._rpc(portal, "property.late.fee", method, *args)
        self.assertEqual(fee.state, "draft")
        self.assertEqual(fee.amount, 9.0)

    # -- the daily run ------------------------------------------------------------

    def test_run_takes_the_fee_from_the_service(self):
        """The step line's fee counts the part payment from its day: 6.60
        (see test_part_payment), not the residual over all days."""
        bill = self._bill(1000.0, "2026-03", due=DUE)
        self._pay(400.0, invoices=bill, date="2026-04-10")
        self._run("2026-04-30 10:00")
        lines = self.env["property.dunning.step.line"].search(
            [("invoice_id", "=", bill.id)])
        self.assertTrue(lines)
        self.assertEqual(lines[-1].late_fee, 6.6)
