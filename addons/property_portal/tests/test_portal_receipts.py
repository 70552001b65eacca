# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""/my/receipts: the owner's receipts with their lines and PDF; nobody
else's receipt, whatever the id."""
from .common_pages import FORMER_LOGIN, FORMER_PASSWORD, OwnerPagesCase


class TestPortalReceipts(OwnerPagesCase):

    def test_list_shows_own_receipts(self):
        self._login()
        response = self._get("/my/receipts")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn(self.rec["receipt_name"], text)
        self.assertIn("200.00", text)
        self.assertIn('href="/my/receipts/%d"' % self.rec["receipt"], text)
        self.assertNotIn('href="/my/receipts/%d"' % self.rec["other_receipt"],
                         text)
        self.assertNotIn("<table", text)

    def test_detail_shows_amount_lines_and_advance(self):
        self._login()
        response = self._get("/my/receipts/%d" % self.rec["receipt"])
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn(self.rec["receipt_name"], text)
        self.assertIn("200.00", text)
        self.assertIn("168.00", text)   # paid on the December bill
        self.assertIn("32.00", text)    # kept as advance credit
        self.assertIn("Advance credit", text)
        self.assertIn('href="/my/receipts/%d/pdf"' % self.rec["receipt"], text)

    def test_other_missing_and_former_receipts_are_404(self):
        self._login()
        for path in ("/my/receipts/%d" % self.rec["other_receipt"],
                     "/my/receipts/%d/pdf" % self.rec["other_receipt"],
                     "/my/receipts/%d" % self.rec["sold_receipt"],
                     "/my/receipts/987654321"):
            self._assert_refused(self._get(path), "246.00")

    def test_former_owner_no_longer_sees_the_receipt(self):
        self._login(FORMER_LOGIN, FORMER_PASSWORD)
        self.assertNotIn("210.00", self._get("/my/receipts").text)
        self._assert_refused(
            self._get("/my/receipts/%d" % self.rec["sold_receipt"]), "210.00")

    def test_receipt_pdf(self):
        self._login()
        response = self._get("/my/receipts/%d/pdf" % self.rec["receipt"])
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content)

    def test_anonymous_is_sent_to_login(self):
        response = self._get("/my/receipts/%d" % self.rec["receipt"],
                             allow_redirects=False)
        self.assertIn(response.status_code, (301, 302, 303))
        self.assertIn("/web/login", response.headers["Location"])
