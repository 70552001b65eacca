# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The formal demand letter (书面催缴函): its PDF and the record of its
delivery with proof."""
import base64

from odoo.exceptions import AccessError, UserError

from odoo.addons.property_billing.tests.common_pdf import (
    PdfReportMixin, flat_text)

from ..models.property_dunning_level import FORBIDDEN_WORDS
from .common import DunningCase


class DemandLetterMixin(object):
    """A demand step of the owner: bills of 100.00 (due 2026-03-31) and
    50.00 (due 2026-04-20), the owner moved to the call level on
    2026-04-10, the run of 2026-05-06 takes the demand (pay by
    2026-05-21)."""

    def _demand_step(self, confirm=True, reminder=False):
        """``reminder``: the run of 2026-04-05 sends a reminder first."""
        self.bill_march = self._bill(100.0, "2026-03", due="2026-03-31")
        self.bill_april = self._bill(50.0, "2026-04", due="2026-04-20")
        if reminder:
            self._run("2026-04-05 10:00")
            self.env["property.dunning.delivery"]._cron_send(
                now=self._utc("2026-04-05 10:05"))
        Payer = self.env["property.dunning.payer"]
        payer = Payer._ensure({(self.owner.id, self.estate.id)})[
            (self.owner.id, self.estate.id)]
        payer.write({"manual_level_id": self.call.id,
                     "manual_date": "2026-04-10",
                     "manual_reason": "test"})
        self._run("2026-05-06 10:00")
        step = self._steps().filtered(lambda s: s.level_id == self.demand)
        self.assertEqual(step.level_id, self.demand)
        if confirm:
            step.sudo(self.clerk).action_confirm()
        return step

    def _proof(self, user, name="signature.png"):
        """A file uploaded in the delivery wizard by ``user``."""
        return self.env["ir.attachment"].sudo(user).create({
            "name": name, "datas_fname": name,
            "datas": base64.b64encode(b"\x89PNG proof"),
            "res_model": "property.dunning.letter.delivery", "res_id": 0})

    def _record(self, step, user=None, **vals):
        values = {"step_id": step.id, "method": "registered",
                  "tracking": "XA123456789CN",
                  "delivery_date": "2026-05-08"}
        values.update(vals)
        wizard = self.env["property.dunning.letter.delivery"].sudo(
            user or self.clerk).create(values)
        return wizard.action_record()


class TestDemandLetterPdf(PdfReportMixin, DemandLetterMixin, DunningCase):

    def test_letter_states_bills_days_fees_total_and_deadline(self):
        step = self._demand_step()
        self.assertEqual(step.deadline, "2026-05-21")
        march, april = step.line_ids.sorted("date_due")
        self.assertEqual((march.days_overdue, april.days_overdue), (36, 16))
        # 万分之三 a day, no grace: 100 × 0.0003 × 36, 50 × 0.0003 × 16
        self.assertAlmostEqual(march.late_fee, 1.08)
        self.assertAlmostEqual(april.late_fee, 0.24)
        report = self.env.ref("property_dunning.report_dunning_letter_action")
        text = flat_text(self._pdf_text(self._render_pdf(report, step)))
        self.assertIn("书面催缴函", text)
        self.assertIn(step.name, text)
        for number in (self.bill_march.number, self.bill_april.number):
            self.assertIn(number, text)
        for figure in ("100.00", "50.00", "150.00", "1.08", "0.24", "1.32",
                       "151.32", " 36 ", " 16 ", "2026-03-31", "2026-04-20"):
            self.assertIn(figure, text)
        self.assertIn("2026-05-21", text)
        self.assertIn(self.unit.code, text)
        self.assertIn(self.owner.name, text)
        self.assertIn(self.estate.name, text)
        # the lawful path, in respectful words, and services continue
        self.assertIn("调解、仲裁", text)
        self.assertIn("continues to provide all property services", text)
        lowered = text.lower()
        for word in FORBIDDEN_WORDS:
            self.assertNotIn(word, lowered)

    def test_letter_in_the_payers_language(self):
        # the English-only databases have no zh_CN until a test loads it
        self._load_lang("zh_CN")
        self.owner.lang = "zh_CN"
        self.demand.with_context(lang="zh_CN").write({
            "body": "尊敬的{name}:\n\n{units}的物业费共计{total}已逾期,请于"
                    "{deadline}前缴纳。\n\n{company}"})
        step = self._demand_step()
        report = self.env.ref("property_dunning.report_dunning_letter_action")
        text = flat_text(self._pdf_text(self._render_pdf(report, step)))
        self.assertIn("尊敬的%s" % self.owner.name, text)
        self.assertIn("请于2026-05-21前缴纳", text.replace(" ", ""))
        self.assertNotIn("Under the property service contract", text)

    def test_print_button_for_staff_only_and_only_for_demands(self):
        step = self._demand_step()
        action = step.sudo(self.clerk).action_print_letter()
        self.assertEqual(action["report_name"],
                         "property_dunning.report_dunning_letter")
        portal = self._create_portal_user(self.owner)
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.dunning.step", "action_print_letter",
                      [step.id])

    def test_a_reminder_has_no_letter(self):
        self._bill(100.0, "2026-03", due="2026-03-31")
        self._run("2026-04-05 10:00")
        reminder = self._steps()
        self.assertEqual(reminder.level_id, self.reminder)
        self.assertFalse(reminder.is_letter)
        with self.assertRaises(UserError):
            reminder.sudo(self.clerk).action_print_letter()


class TestLetterDelivery(DemandLetterMixin, DunningCase):

    def test_registered_mail_needs_its_number(self):
        step = self._demand_step()
        delivery = step._letter_delivery()
        self.assertEqual(delivery.state, "todo")
        with self.assertRaises(UserError):
            self._record(step, tracking="  ")
        self.assertEqual(delivery.state, "todo")
        self.assertFalse(step.letter_method)
        self.assertEqual(step.state, "open")

    def test_recorded_delivery_marks_the_step_done_with_its_proof(self):
        step = self._demand_step()
        proof = self._proof(self.clerk, "receipt.png")
        self._record(step, attachment_ids=[(6, 0, proof.ids)])
        delivery = step._letter_delivery()
        self.assertEqual(delivery.state, "sent")
        self.assertEqual(delivery.reference, "XA123456789CN")
        self.assertEqual(step.state, "done")
        self.assertEqual(step.letter_method, "registered")
        self.assertEqual(step.letter_tracking, "XA123456789CN")
        self.assertEqual(step.letter_delivered_on, "2026-05-08")
        self.assertEqual(step.letter_recorded_by, self.clerk)
        self.assertEqual(step.letter_proof_ids, proof)
        self.assertEqual((proof.res_model, proof.res_id),
                         ("property.dunning.step", step.id))
        # delivered two days after its date: the period runs two days more
        self.assertEqual(step.letter_deadline, "2026-05-23")
        self.assertTrue(step._letter_documented())
        with self.assertRaises(UserError):
            self._record(step, tracking="XA000000000CN")
        self.assertEqual(step.letter_tracking, "XA123456789CN")

    def test_hand_delivery_needs_the_signature_scan(self):
        step = self._demand_step()
        with self.assertRaises(UserError):
            self._record(step, method="hand", tracking=False)
        self.assertEqual(step._letter_delivery().state, "todo")
        scan = self._proof(self.clerk)
        self._record(step, method="hand", tracking=False,
                     attachment_ids=[(6, 0, scan.ids)])
        self.assertEqual(step.state, "done")
        self.assertEqual(step.letter_method, "hand")
        self.assertTrue(step._letter_documented())

    def test_a_step_to_review_is_confirmed_before_its_delivery(self):
        step = self._demand_step(confirm=False)
        with self.assertRaises(UserError):
            self._record(step)
        self.assertEqual(step._letter_delivery().state, "hold")

    def test_another_users_file_is_no_proof(self):
        step = self._demand_step()
        foreign = self._proof(self.manager, "other.png")
        with self.assertRaises(UserError):
            self._record(step, method="door", tracking=False,
                         attachment_ids=[(6, 0, foreign.ids)])
        self.assertEqual(foreign.res_model, "property.dunning.letter.delivery")
        self.assertFalse(step.letter_method)

    def test_delivery_date_not_before_the_letter_nor_in_the_future(self):
        step = self._demand_step()
        with self.assertRaises(UserError):
            self._record(step, delivery_date="2026-05-01")
        with self.assertRaises(UserError):
            self._record(step, delivery_date="2099-01-01")
        self.assertEqual(step._letter_delivery().state, "todo")

    def test_portal_user_and_accountant_cannot_record_a_delivery(self):
        step = self._demand_step()
        portal = self._create_portal_user(self.owner)
        values = {"step_id": step.id, "method": "registered",
                  "tracking": "XA1", "delivery_date": "2026-05-08"}
        with self.assertRaises((AccessError, UserError)):
            wizard_id = self._rpc(portal, "property.dunning.letter.delivery",
                                  "create", values)
            self._rpc(portal, "property.dunning.letter.delivery",
                      "action_record", [wizard_id])
        wizard = self.env["property.dunning.letter.delivery"].sudo(
            self.accountant).create(values)
        with self.assertRaises(AccessError):
            wizard.action_record()
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.dunning.step",
                      "action_record_letter_delivery", [step.id])
        self.assertEqual(step._letter_delivery().state, "todo")
        self.assertFalse(step.letter_tracking)
