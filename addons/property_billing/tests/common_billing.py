# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Factories for the billing-run tests on top of PropertyCase and the fee
factories: a published per-area standard (2.80 元/m²/月, vacant units 70 %)
that may bill March 2026, and runs over ``cls.estate``."""
from odoo.addons.property_billing.tests.common import PropertyCase
from odoo.addons.property_billing.tests.common_fee import FeeFactoryMixin

SYNC = {"property_billing_sync": True}


class BillingFactoryMixin(FeeFactoryMixin):

    @classmethod
    def _create_run(cls, as_user=None, **overrides):
        """A run of ``cls.estate`` for March 2026, created (and so run) by
        ``as_user`` (default: the test's user)."""
        vals = {
            "estate_id": cls.estate.id,
            "date_from": "2026-03-01",
            "date_to": "2026-03-31",
            "invoice_date": "2026-03-01",
        }
        vals.update(overrides)
        Run = cls.env["property.billing.run"]
        if as_user:
            Run = Run.sudo(as_user)
        return Run.with_context(**SYNC).create(vals)

    @classmethod
    def _create_owned_unit(cls, owner=None, **overrides):
        """A unit of ``cls.building`` owned 100 % by ``owner`` (a new owner by
        default) from 2020-01-01. Returns (unit, owner)."""
        unit = cls._create_unit(**overrides)
        owner = owner or cls._create_owner()
        cls._create_occupancy(unit_id=unit.id, partner_id=owner.id)
        return unit, owner

    @classmethod
    def _sale_tax(cls):
        """A 6 % sale tax, price excluded (VAT on property services)."""
        return cls.env["account.tax"].create({
            "name": "VAT 6%% %d" % cls._next(),
            "amount": 6.0,
            "amount_type": "percent",
            "type_tax_use": "sale",
            "company_id": cls.env.user.company_id.id,
        })


class BillingCase(BillingFactoryMixin, PropertyCase):
    """PropertyCase plus ``cls.fee_item`` (物业管理费, per area) and its
    published standard ``cls.standard`` (2.80, vacant 70 %, due in 15 days)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.property_notice_days = 30
        cls.fee_item = cls._create_fee_item(name="物业管理费")
        cls.standard = cls._publish_standard(cls._create_standard(
            cls.fee_item, vacant_percent=70.0))
        cls.Run = cls.env["property.billing.run"].with_context(**SYNC)
        cls.Invoice = cls.env["account.invoice"]
        cls.Ledger = cls.env["property.billing.line"]

    def _generate(self, run=None, **overrides):
        run = run or self._create_run(**overrides)
        run.with_context(**SYNC).action_generate()
        return run

    def _invoices(self, unit):
        return self.Invoice.search([("property_unit_id", "=", unit.id),
                                    ("state", "!=", "cancel")], order="id")
