# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""/my/bills: the owner's bills as cards, a bill with its calculation basis,
arrears and questions, its notice PDF; nobody else's bill, whatever the id."""
from .common_pages import FORMER_LOGIN, FORMER_PASSWORD, OwnerPagesCase


class TestPortalBills(OwnerPagesCase):

    def _questions(self, invoice_key):
        def count(env):
            return env["property.bill.question"].search_count(
                [("invoice_id", "=", self.rec[invoice_key])])
        return self._with_env(count)

    def test_list_shows_own_bills_as_cards(self):
        self._login()
        response = self._get("/my/bills")
        self.assertEqual(response.status_code, 200)
        text = response.text
        for period in ("2026-03", "2026-04", "2025-12"):
            self.assertIn(period, text)
        self.assertIn("262.90", text)
        self.assertIn("o_property_bill_card", text)
        self.assertNotIn("<table", text)
        self.assertNotIn("Neighbour fee", text)
        self.assertNotIn("2019-12", text)
        self.assertIn('href="/my/bills/%d"' % self.rec["march"], text)
        self.assertNotIn('href="/my/bills/%d"' % self.rec["other"], text)

    def test_filters_unpaid_paid_year_unit(self):
        self._login()
        unpaid = self._get("/my/bills?filterby=unpaid").text
        self.assertIn("2026-03", unpaid)
        self.assertNotIn("2025-12", unpaid)
        paid = self._get("/my/bills?filterby=paid").text
        self.assertIn("2025-12", paid)
        self.assertNotIn("2026-04", paid)
        year = self._get("/my/bills?year=2025").text
        self.assertIn("2025-12", year)
        self.assertNotIn("2026-03", year)
        unit = self._get("/my/bills?unit=%d" % self.rec["unit_b"]).text
        self.assertIn("2025-12", unit)
        self.assertNotIn("2026-03", unit)

    def test_pay_all_overdue_link(self):
        self._login()
        text = self._get("/my/bills").text
        self.assertIn("Pay all overdue (2)", text)
        self.assertIn('href="/my/pay"', text)

    def test_detail_shows_basis_amounts_arrears_and_pay(self):
        self._login()
        response = self._get("/my/bills/%d" % self.rec["april"])
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("89.50 m² × 2.80 元/m²/月 × 1 月", text)
        self.assertIn("250.60", text)
        # the March bill is still open: the previous arrears
        self.assertIn("Earlier bills not paid yet", text)
        self.assertIn("262.90", text)
        self.assertIn('href="/my/pay?bills=%d"' % self.rec["april"], text)
        self.assertIn('href="/my/bills/%d/pdf"' % self.rec["april"], text)
        self.assertIn("021-6666-0001", text)

    def test_paid_bill_has_no_pay_button(self):
        self._login()
        text = self._get("/my/bills/%d" % self.rec["unit_b_bill"]).text
        self.assertIn("168.00", text)
        self.assertNotIn("/my/pay?bills=", text)

    def test_other_owners_and_missing_bills_are_404(self):
        self._login()
        for key in ("other", "sold"):
            self._assert_refused(
                self._get("/my/bills/%d" % self.rec[key]), "fee")
            self._assert_refused(
                self._get("/my/bills/%d/pdf" % self.rec[key]))
        self._assert_refused(self._get("/my/bills/987654321"))

    def test_former_owner_sees_no_bill_of_the_sold_unit(self):
        self._login(FORMER_LOGIN, FORMER_PASSWORD)
        self.assertNotIn("2019-12", self._get("/my/bills").text)
        self._assert_refused(
            self._get("/my/bills/%d" % self.rec["sold"]), "Former fee")

    def _token(self, key):
        """The access token of the bill ``key`` (the SMS's and QR's link)."""
        def token(env):
            invoice = env["account.invoice"].browse(self.rec[key])
            invoice._generate_access_token()
            return invoice.access_token
        return self._with_env(token)

    def test_access_token(self):
        good = self._token("march")
        path = "/my/bills/%d" % self.rec["march"]
        response = self._get("%s?access_token=%s" % (path, good))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Management fee", response.text)
        self.assertNotIn("/my/pay?bills=", response.text)
        self._assert_refused(
            self._get("%s?access_token=%s" % (path, "x" * len(good))),
            "Management fee")
        # the token of one bill opens no other
        self._assert_refused(self._get("/my/bills/%d?access_token=%s" % (
            self.rec["other"], good)), "Neighbour fee")
        self._assert_refused(self._get(path), "Management fee")

    def test_odoo_invoice_links_open_the_bill_pages(self):
        """The links of notices, SMS and reminders (Odoo's /my/invoices)."""
        good = self._token("march")
        march = self.rec["march"]
        # signed out, from an SMS: the bill page, with its token
        response = self._get("/my/invoices/%d?access_token=%s" % (march, good))
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my/bills/%d" % march, response.url)
        self.assertIn("Management fee", response.text)
        # a wrong token or another owner's bill: refused as before
        self._assert_refused(self._get("/my/invoices/%d?access_token=%s" % (
            march, "x" * len(good)), allow_redirects=False), "Management fee")
        self._login()
        response = self._get("/my/invoices/%d" % march)
        self.assertIn("/my/bills/%d" % march, response.url)
        self.assertIn("Management fee", response.text)
        for path in ("/my/invoices/%d" % self.rec["other"],
                     "/my/invoices/987654321"):
            response = self._get(path)
            self.assertNotIn("/my/bills/", response.url)
            self.assertNotIn("Neighbour fee", response.text)
        response = self._get("/my/invoices")
        self.assertIn("/my/bills", response.url)

    def test_notice_pdf(self):
        self._login()
        response = self._get("/my/bills/%d/pdf" % self.rec["march"])
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content)

    def test_question_errors_are_shown_and_nothing_saved(self):
        self._login()
        path = "/my/bills/%d" % self.rec["march"]
        csrf = self._csrf(self._get(path).text)
        response = self._post(path + "/question", {
            "csrf_token": csrf, "line_id": str(self.rec["march_line"]),
            "question": "   "})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Please write your question.", response.text)
        self.assertIn("has-error", response.text)
        # a line of another owner's bill is no line of this bill
        response = self._post(path + "/question", {
            "csrf_token": csrf, "line_id": str(self.rec["other_line"]),
            "question": "Why?"})
        self.assertIn("Please choose the line you ask about.", response.text)
        self.assertIn("Why?", response.text)  # the text typed is kept
        self.assertEqual(self._questions("march"), 0)
        self.assertEqual(self._questions("other"), 0)

    def test_question_is_sent_and_its_status_shown(self):
        self._login()
        path = "/my/bills/%d" % self.rec["march"]
        csrf = self._csrf(self._get(path).text)
        response = self._post(path + "/question", {
            "csrf_token": csrf, "line_id": str(self.rec["march_line"]),
            "question": "Why is the management fee this high?"},
            allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(self._questions("march"), 1)
        text = self._get(path + "?sent=1").text
        self.assertIn("your question was sent", text)
        self.assertIn("Why is the management fee this high?", text)
        self.assertIn("Questioned", text)

        def answer(env):
            question = env["property.bill.question"].search(
                [("invoice_id", "=", self.rec["march"])])
            self.assertEqual(question.partner_id.id, self.rec["owner"])
            question.write({"answer": "The rate of the estate: 2.80 per m²."})
            question.action_answer()
        self._with_env(answer)
        text = self._get(path).text
        self.assertIn("The rate of the estate: 2.80 per m².", text)
        self.assertIn("Answered", text)

    def test_question_on_another_owners_bill_is_refused(self):
        self._login()
        csrf = self._csrf(self._get("/my/bills/%d" % self.rec["march"]).text)
        response = self._post("/my/bills/%d/question" % self.rec["other"], {
            "csrf_token": csrf, "line_id": str(self.rec["other_line"]),
            "question": "Mine now?"})
        self._assert_refused(response, "Neighbour fee")
        self.assertEqual(self._questions("other"), 0)

    def test_question_needs_the_csrf_token(self):
        self._login()
        response = self._post("/my/bills/%d/question" % self.rec["march"], {
            "line_id": str(self.rec["march_line"]), "question": "Forged?"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._questions("march"), 0)
