# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The complainant's arrears are shown on the complaint (MISSION B1: a
complaint raised while in arrears must reach billing's attention)."""
from datetime import date, timedelta

from odoo import fields

from .common_complaint import ComplaintCase


class TestComplaintArrears(ComplaintCase):

    @classmethod
    def _open_invoice(cls, amount, due):
        account = cls.env["account.account"].search([
            ("company_id", "=", cls.company.id),
            ("user_type_id", "=", cls.env.ref(
                "account.data_account_type_revenue").id),
        ], limit=1)
        invoice = cls.env["account.invoice"].create({
            "partner_id": cls.owner.id,
            "type": "out_invoice",
            "date_invoice": fields.Date.to_string(due - timedelta(days=15)),
            "date_due": fields.Date.to_string(due),
            "invoice_line_ids": [(0, 0, {
                "name": "物业管理费 2026-01",
                "account_id": account.id,
                "quantity": 1,
                "price_unit": amount,
            })],
        })
        invoice.action_invoice_open()
        # action_invoice_open recomputes date_due from the payment term
        invoice.date_due = fields.Date.to_string(due)
        return invoice

    def test_overdue_bills_are_summed_and_future_ones_ignored(self):
        today = date.today()
        self._open_invoice(250.60, today - timedelta(days=40))
        self._open_invoice(100.00, today - timedelta(days=1))
        self._open_invoice(999.00, today + timedelta(days=10))
        complaint = self._create_complaint()
        self.assertAlmostEqual(complaint.partner_arrears, 350.60, places=2)
        self.assertEqual(complaint.partner_overdue_count, 2)

    def test_agent_sees_the_total_without_invoice_rights(self):
        self._open_invoice(88.00, date.today() - timedelta(days=5))
        complaint = self._create_complaint(team_id=self.team.id)
        as_agent = complaint.sudo(self.agent)
        as_agent.invalidate_cache()
        self.assertAlmostEqual(as_agent.partner_arrears, 88.00, places=2)

    def test_no_arrears_for_an_owner_who_paid(self):
        complaint = self._create_complaint()
        self.assertEqual(complaint.partner_arrears, 0.0)
        self.assertEqual(complaint.partner_overdue_count, 0)
