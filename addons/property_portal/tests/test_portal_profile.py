# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""/my/profile: mobile, e-mail, preferred channel and SMS consent, with the
messages next to the fields; nothing saved while one is wrong."""
from .common_pages import OwnerPagesCase


class TestPortalProfile(OwnerPagesCase):

    def _partner(self):
        def read(env):
            return env["res.partner"].browse(self.rec["owner"]).read(
                ["name", "mobile", "email", "property_contact_channel",
                 "property_sms_consent"])[0]
        return self._with_env(read)

    def _submit(self, **values):
        csrf = self._csrf(self._get("/my/profile").text)
        data = {"csrf_token": csrf, "mobile": "13800000001",
                "email": "li@example.com", "property_contact_channel": "sms",
                "property_sms_consent": "1"}
        data.update(values)
        data = {key: value for key, value in data.items() if value is not None}
        return self._post("/my/profile", data, allow_redirects=False)

    def test_form_shows_current_values(self):
        self._login()
        text = self._get("/my/profile").text
        self.assertIn('value="13800000001"', text)
        self.assertRegex(text, r'<option value="sms" selected')
        self.assertRegex(text, r'name="property_sms_consent" value="1" '
                               r'checked')

    def test_invalid_values_are_shown_next_to_their_fields(self):
        self._login()
        response = self._submit(mobile="12ab", email="not-an-email")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("Please enter a valid mobile number", text)
        self.assertIn("Please enter a valid e-mail address", text)
        self.assertIn('value="12ab"', text)  # what was typed is kept
        self.assertEqual(self._partner()["mobile"], "13800000001")
        self.assertFalse(self._partner()["email"])

    def test_sms_needs_consent_and_email_needs_an_address(self):
        self._login()
        text = self._submit(property_sms_consent=None).text
        self.assertIn("To receive SMS, please tick your consent.", text)
        text = self._submit(property_contact_channel="email", email="").text
        self.assertIn("E-mail needs your e-mail address.", text)
        text = self._submit(property_contact_channel="carrier-pigeon").text
        self.assertIn("Please choose how we should contact you.", text)
        self.assertTrue(self._partner()["property_sms_consent"])
        self.assertEqual(self._partner()["property_contact_channel"], "sms")

    def test_valid_values_are_saved_and_nothing_else(self):
        self._login()
        response = self._submit(
            mobile="139 0000 0002", email="li@example.com",
            property_contact_channel="email", property_sms_consent=None,
            name="Someone Else")
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/my/profile?saved=1", response.headers["Location"])
        partner = self._partner()
        self.assertEqual(partner["mobile"], "139 0000 0002")
        self.assertEqual(partner["email"], "li@example.com")
        self.assertEqual(partner["property_contact_channel"], "email")
        self.assertFalse(partner["property_sms_consent"])
        self.assertEqual(partner["name"], "Pages Owner Li")
        self.assertIn("Your contact details were saved.",
                      self._get("/my/profile?saved=1").text)

    def test_profile_needs_the_csrf_token(self):
        self._login()
        response = self._post("/my/profile", {
            "mobile": "13900000009", "property_contact_channel": "sms"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._partner()["mobile"], "13800000001")
