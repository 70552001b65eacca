# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo users read Chinese only where the database has zh_CN: the demo
data installs into a database with English only (OCA CI, most companies)."""
from .common import PropertyCase


class TestDemoUserLanguage(PropertyCase):

    def test_language_not_loaded_leaves_the_user_as_is(self):
        Lang = self.env["res.lang"].with_context(active_test=False)
        self.assertFalse(Lang.search([("code", "=", "xx_XX")]))
        self.assertTrue(self.clerk._property_demo_set_lang("xx_XX"))
        self.assertEqual(self.clerk.lang, "en_US")

    def test_loaded_language_is_given_to_the_users(self):
        self._load_lang("zh_CN")
        users = self.clerk | self.manager
        users._property_demo_set_lang("zh_CN")
        self.assertEqual(users.mapped("lang"), ["zh_CN", "zh_CN"])
        self.assertEqual(self.clerk.partner_id.lang, "zh_CN")
