# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The owner's SMS about their complaint: the chatter and the log, which
agents and administrators read, show the mobile masked (138****8001)."""
import logging

from odoo.addons.property_billing.tests.sms_stub import SmsStubMixin
from odoo.addons.property_complaint.tests.common_complaint import ComplaintCase

MODEL_LOGGER = "odoo.addons.property_complaint.models.property_complaint"
MOBILE = "13800138001"
MASKED = "138****8001"


class TestComplaintSms(SmsStubMixin, ComplaintCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the test's gateway is the company's first
        cls.env["property.sms.gateway"].search([]).write({"active": False})
        cls.env["property.sms.gateway"].create({
            "name": "Complaint SMS test", "provider": "http_json",
            "url": cls.stub.url, "api_key": "stub-key", "timeout": 5.0,
            "max_attempts": 1, "retry_delay": 5, "sequence": 0})
        cls.owner.write({"mobile": MOBILE})
        cls.complaint = cls._create_complaint()

    def _last_message(self):
        return self.complaint.message_ids.sorted("id")[-1].body

    def test_sent_sms_masks_the_mobile_on_the_chatter(self):
        self.assertTrue(self.complaint._job_send_owner_sms("accepted"))
        self.assertEqual([m["to"] for m in self.stub.messages], [MOBILE])
        body = self._last_message()
        self.assertIn(MASKED, body)
        self.assertIn(self.complaint.name, body)
        self.assertNotIn(MOBILE, body)

    def test_failed_sms_masks_the_mobile_on_the_chatter_and_log(self):
        self.stub.fail_next(5)
        self.stub.error_text = "no route to %s" % MOBILE
        # a number, not "INFO": Odoo names its level 25 INFO
        with self.assertLogs(MODEL_LOGGER, level=logging.INFO) as logs:
            self.assertFalse(self.complaint._job_send_owner_sms("accepted"))
        body = self._last_message()
        self.assertIn("call the owner", body)
        self.assertNotIn(MOBILE, body)
        self.assertTrue(any(MASKED in line for line in logs.output))
        self.assertFalse([line for line in logs.output if MOBILE in line])
