# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Published fee standards and their notices (公示) on the portal: those of
the owner's estate only, published only."""
from .common_owner_services import FORMER, OwnerServicesCase


class TestPortalFeeNotices(OwnerServicesCase):

    def _create_more(self, env):
        rec = self.rec
        account = env["account.account"].search([
            ("company_id", "=", rec["company"]),
            ("user_type_id", "=", env.ref(
                "account.data_account_type_revenue").id)], limit=1)
        product = env["product.product"].create({
            "name": "Portal management fee", "type": "service",
            "property_account_income_id": account.id,
            "taxes_id": [(6, 0, [])]})
        item = env["property.fee.item"].create({
            "name": "Portal management fee", "code": "PMF", "method": "per_area",
            "product_id": product.id, "account_id": account.id})
        parking = env["property.fee.item"].create({
            "name": "Portal parking fee", "code": "PPF", "method": "fixed",
            "product_id": product.id, "account_id": account.id})
        Standard = env["property.fee.standard"]

        def standard(estate, name, rate, fee_item=item):
            return Standard.create({
                "name": name, "item_id": fee_item.id, "estate_id": rec[estate],
                "rate": rate, "cycle": "monthly", "timing": "advance",
                "due_days": 15, "date_from": "2026-01-01", "notice_days": 30,
                "legal_basis": "Service contract art. 12"})

        published = standard("estate", "Our published standard", 2.80)
        published.action_approve()
        notice = published._publish("2025-11-01")
        draft = standard("estate", "Our draft standard", 7.77, parking)
        withdrawn_std = standard("estate", "Withdrawn standard", 2.10, parking)
        withdrawn_std.action_approve()
        # a notice of another estate, and one taken off the portal
        far = standard("other_estate", "Faraway standard", 9.19)
        far.action_approve()
        far_notice = far._publish("2025-11-01")
        withdrawn = withdrawn_std._publish("2025-11-02")
        withdrawn.write({"is_published": False})
        rec.update({"notice": notice.id, "notice_name": notice.name,
                    "far_notice": far_notice.id, "withdrawn": withdrawn.id,
                    "draft": draft.name})

    def test_owner_sees_published_notices_and_standards_of_own_estate(self):
        self._login()
        page = self._get("/my/fee_notices")
        self.assertEqual(page.status_code, 200)
        self.assertIn("/my/fee_notices/%d" % self.rec["notice"], page.text)
        self.assertIn("Portal management fee", page.text)
        self.assertIn("2.8", page.text)  # the rate in the method text
        self.assertNotIn("/my/fee_notices/%d" % self.rec["far_notice"], page.text)
        self.assertNotIn("/my/fee_notices/%d" % self.rec["withdrawn"], page.text)
        self.assertNotIn("7.77", page.text)  # the draft's rate
        self.assertNotIn("9.19", page.text)  # the other estate's
        detail = self._get("/my/fee_notices/%d" % self.rec["notice"])
        self.assertEqual(detail.status_code, 200)
        self.assertIn("Service contract art. 12", detail.text)
        self.assertIn("o_property_fee_notice_row", detail.text)
        home = self._get("/my/home")
        self.assertIn("/my/fee_notices", home.text)

    def test_other_estate_unpublished_and_missing_notices_are_not_found(self):
        self._login()
        for notice_id in (self.rec["far_notice"], self.rec["withdrawn"],
                          self.rec["far_notice"] + 1000):
            self.assertNotFound(self._get("/my/fee_notices/%d" % notice_id))

    def test_former_owner_sees_no_notice(self):
        self._login(FORMER)
        page = self._get("/my/fee_notices")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("/my/fee_notices/%d" % self.rec["notice"], page.text)
        self.assertNotFound(self._get("/my/fee_notices/%d" % self.rec["notice"]))
