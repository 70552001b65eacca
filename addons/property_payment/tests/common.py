# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared base for the payment tests: ``PropertyCase`` (an estate, a unit,
its owner, a clerk and a manager) plus a cashier, an accountant, posted bills
and the allocation service."""
from odoo.addons.property_billing.tests.common import PropertyCase


class PaymentCase(PropertyCase):
    """``PropertyCase`` plus:

    - ``self.cashier`` (billing user) and ``self.accountant`` (Odoo's
      accountant group, no property group);
    - ``self.service``: the allocation service as the cashier;
    - ``_bill(amount, period, due)``: a posted bill of the owner's unit.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier = cls._create_user(
            "cashier", [cls.group_billing_user.id], name="Counter Cashier")
        cls.accountant = cls._create_user(
            "accountant", [cls.env.ref("account.group_account_invoice").id,
                           cls.env.ref("account.group_account_user").id],
            name="Accountant")
        cls.service = cls.env["property.payment.service"].sudo(cls.cashier)

    @classmethod
    def _bill(cls, amount=250.6, period="2026-03", due=None, partner=None,
              unit=None, name="物业管理费", lines=None, date=None):
        """A posted bill of ``unit`` (default the owner's) to ``partner``,
        dated ``date`` (default the period's first day); ``due``
        ('YYYY-MM-DD', default the period's 28th) orders the bills for the
        oldest-first rule; ``lines``: [(name, amount)]."""
        partner = partner or cls.owner
        unit = unit or cls.unit
        account = cls.env["account.account"].search([
            ("company_id", "=", cls.company.id),
            ("user_type_id.type", "=", "other")], limit=1)
        due = due or "%s-28" % period
        invoice = cls.env["account.invoice"].create({
            "partner_id": partner.id, "type": "out_invoice",
            "property_unit_id": unit.id, "billing_period": period,
            "date_invoice": date or "%s-01" % period, "date_due": due,
            "invoice_line_ids": [(0, 0, {
                "name": line_name, "price_unit": line_amount, "quantity": 1.0,
                "account_id": account.id})
                for line_name, line_amount in (lines or [(name, amount)])]})
        invoice.action_invoice_open()
        return invoice

    def _pay(self, amount, channel="cash", user=None, **kwargs):
        """Take ``amount`` from the owner through the service as ``user``
        (default the cashier)."""
        service = self.env["property.payment.service"].sudo(user or self.cashier)
        kwargs.setdefault("estate", self.estate)
        return service._pay(kwargs.pop("payer", self.owner), amount, channel,
                            **kwargs)
