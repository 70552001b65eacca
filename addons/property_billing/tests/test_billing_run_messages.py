# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A fee that cannot be computed is reported on the run in the user's
language, not in the English of the pure rules."""
from odoo.addons.property_billing.rules import billing, fees

from .common import PropertyCase


class TestFeeErrorMessages(PropertyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_lang("zh_CN")

    def _message(self, lang, error):
        problem = billing.Problem(billing.INVALID, None, None, None, error)
        return self.env["property.billing.run"].with_context(
            lang=lang)._problem_message(problem)

    def test_fee_error_in_chinese_and_english(self):
        with self.assertRaises(fees.FeeError) as caught:
            fees.line_amount(
                fees.Standard(fees.METERED, rate=3),
                fees.Unit("U1", 89.5), 1, consumption=None)
        error = caught.exception
        self.assertEqual(error.code, "no_consumption")
        self.assertEqual(
            self._message("zh_CN", error), "无法计算费用：计量收费需要用量。")
        self.assertEqual(
            self._message("en_US", error),
            "Cannot compute the fee: a metered fee needs the consumption.")

    def test_parameters_survive_translation(self):
        error = fees.FeeError(
            "zero_weight", "cannot allocate %(total)s over a zero total weight",
            total="100.00")
        self.assertIn("100.00", self._message("zh_CN", error))
        self.assertIn("分摊", self._message("zh_CN", error))
