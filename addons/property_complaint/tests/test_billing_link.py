# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bills linked to complaints: disputed (dunning paused) while a linked
complaint is open, not after its closure; visible from the bill."""
from .common_sla import SlaCase


class TestBillingLink(SlaCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls.env["account.invoice"].create({
            "partner_id": cls.owner.id,
            "account_id": cls.owner.property_account_receivable_id.id,
            "type": "out_invoice",
        })

    def test_bill_without_complaint_is_not_paused(self):
        self.assertEqual(self.invoice._property_collection_pause(), (False, ""))
        self.assertEqual(self.invoice.complaint_count, 0)

    def test_open_complaint_pauses_the_bill_until_closed(self):
        complaint = self.complaint_at(
            related_invoice_ids=[(6, 0, self.invoice.ids)])
        self.assertEqual(self.invoice.complaint_ids, complaint)
        self.assertEqual(self.invoice.complaint_count, 1)
        self.assertEqual(self.invoice.complaint_open_count, 1)
        paused, reason = self.invoice._property_collection_pause()
        self.assertTrue(paused)
        self.assertIn(complaint.name, reason)

        complaint.write({"resolution_summary": "Bill corrected."})
        complaint.action_resolve()
        # resolved is not closed: still disputed
        self.assertTrue(self.invoice._property_collection_pause()[0])
        complaint.write({"followup_required": False})
        complaint.action_close()
        self.invoice.invalidate_cache()
        self.assertEqual(self.invoice._property_collection_pause(), (False, ""))
        self.assertEqual(self.invoice.complaint_open_count, 0)
        self.assertEqual(self.invoice.complaint_count, 1)

    def test_reopened_complaint_pauses_again(self):
        complaint = self.complaint_at(resolution_summary="Bill corrected.")
        complaint.write({"related_invoice_ids": [(4, self.invoice.id)]})
        complaint.action_resolve()
        complaint.write({"followup_required": False})
        complaint.action_close()
        self.assertFalse(self.invoice._property_collection_pause()[0])
        complaint.action_reopen()
        self.invoice.invalidate_cache()
        self.assertTrue(self.invoice._property_collection_pause()[0])

    def test_linking_from_the_bill(self):
        complaint = self.complaint_at()
        self.invoice.write({"complaint_ids": [(4, complaint.id)]})
        self.assertEqual(complaint.related_invoice_ids, self.invoice)
        action = self.invoice.action_view_complaints()
        self.assertEqual(
            self.env["property.complaint"].search(action["domain"]), complaint)

    def test_complaint_about_another_bill_does_not_pause(self):
        other = self.invoice.copy()
        self.complaint_at(related_invoice_ids=[(6, 0, other.ids)])
        self.assertFalse(self.invoice._property_collection_pause()[0])
        self.assertTrue(other._property_collection_pause()[0])
