# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Owner questions about a bill line (账单疑问): the line is disputed while
the question is open; a correction is a credit note linked to the question."""
from odoo.exceptions import UserError, ValidationError

from odoo.addons.property_billing.tests.common_notice import NoticeCase


class TestBillQuestion(NoticeCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Question = cls.env["property.bill.question"]
        cls.line = cls.invoice.invoice_line_ids.filtered(
            lambda line: line.name == "公摊水电费")

    def _ask(self, **overrides):
        vals = {"invoice_line_id": self.line.id,
                "question": "为什么公摊水电费比上月高?"}
        vals.update(overrides)
        return self.Question.create(vals)

    def test_open_question_flags_the_line_disputed(self):
        question = self._ask()
        self.assertEqual(question.invoice_id, self.invoice)
        self.assertEqual(question.partner_id, self.owner)
        self.assertEqual(question.state, "open")
        self.assertTrue(self.line.property_disputed)
        other = self.invoice.invoice_line_ids - self.line
        self.assertFalse(other.property_disputed)

    def test_answer_without_correction_clears_the_flag(self):
        question = self._ask()
        question.answer = "公摊按建筑面积分摊, 本月电梯维修用电增加。"
        question.action_answer()
        self.assertEqual(question.state, "answered")
        self.assertEqual(question.user_id, self.env.user)
        self.assertFalse(question.refund_invoice_id)
        self.assertFalse(self.line.property_disputed)
        self.assertEqual(self.invoice.residual, 262.90)

    def test_answer_with_correction_creates_linked_credit_note(self):
        question = self._ask()
        question.write({"answer": "抄表错误, 退还 2.30 元。",
                        "correction_amount": 2.30})
        question.action_answer()
        refund = question.refund_invoice_id
        self.assertTrue(refund)
        self.assertEqual(refund.type, "out_refund")
        self.assertEqual(refund.state, "paid")  # fully used against the bill
        self.assertEqual(refund.refund_invoice_id, self.invoice)
        self.assertEqual(refund.partner_id, self.owner)
        self.assertAlmostEqual(refund.amount_total, 2.30)
        self.assertEqual(len(refund.invoice_line_ids), 1)
        credit_line = refund.invoice_line_ids
        self.assertEqual(credit_line.account_id, self.line.account_id)
        self.assertFalse(credit_line.property_disputed)
        self.assertAlmostEqual(self.invoice.residual, 260.60)
        self.assertFalse(self.line.property_disputed)
        # the bill itself is never changed after posting
        self.assertAlmostEqual(self.invoice.amount_total, 262.90)
        self.assertAlmostEqual(self.line.price_subtotal, 12.30)

    def test_two_questions_keep_the_line_disputed_until_both_answered(self):
        first, second = self._ask(), self._ask(question="Another one")
        first.answer = "OK"
        first.action_answer()
        self.assertTrue(self.line.property_disputed)
        second.answer = "OK"
        second.action_answer()
        self.assertFalse(self.line.property_disputed)
        second.action_reopen()
        self.assertTrue(self.line.property_disputed)
        second.unlink()
        self.assertFalse(self.line.property_disputed)

    def test_answer_needs_text_and_an_open_question(self):
        question = self._ask()
        with self.assertRaises(UserError):
            question.action_answer()
        self.assertTrue(self.line.property_disputed)
        question.answer = "OK"
        question.action_answer()
        with self.assertRaises(UserError):
            question.action_answer()

    def test_correction_cannot_exceed_the_line_nor_be_negative(self):
        with self.assertRaises(ValidationError):
            self._ask(correction_amount=12.31)
        with self.assertRaises(ValidationError):
            self._ask(correction_amount=-1.0)

    def test_correction_of_draft_bill_is_refused(self):
        draft = self._create_bill(post=False)
        question = self._ask(invoice_line_id=draft.invoice_line_ids[0].id,
                             answer="OK", correction_amount=1.0)
        with self.assertRaises(UserError):
            question.action_answer()
        self.assertEqual(question.state, "open")

    def test_question_answered_with_credit_note_cannot_be_reopened(self):
        question = self._ask(answer="OK", correction_amount=1.0)
        question.action_answer()
        with self.assertRaises(UserError):
            question.action_reopen()
