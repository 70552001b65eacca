# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Factories for fee items and fee standards on top of PropertyCase.

Other tests (billing runs, notices) may import ``FeeCase`` or call the
factories of ``FeeFactoryMixin`` from their own base.
"""
from odoo.addons.property_billing.tests.common import PropertyCase


class FeeFactoryMixin:
    """Class-level factories; need ``cls.env`` and ``cls.estate``."""

    @classmethod
    def _income_account(cls):
        """An income account of the test company (Chinese chart: 5001...)."""
        Account = cls.env["account.account"]
        income = cls.env.ref("account.data_account_type_revenue")
        account = Account.search([
            ("company_id", "=", cls.env.user.company_id.id),
            ("user_type_id", "=", income.id),
        ], order="code", limit=1)
        if not account:
            account = Account.create({
                "code": "5001%d" % cls._next(),
                "name": "Property service income",
                "user_type_id": income.id,
                "company_id": cls.env.user.company_id.id,
            })
        return account

    @classmethod
    def _create_fee_item(cls, **overrides):
        n = cls._next()
        account = cls._income_account()
        product = cls.env["product.product"].create({
            "name": overrides.get("name", "物业管理费 %d" % n),
            "type": "service",
            "sale_ok": True,
            "purchase_ok": False,
            "property_account_income_id": account.id,
            "taxes_id": [(6, 0, [])],
        })
        vals = {
            "name": "物业管理费 %d" % n,
            "code": "FEE%d" % n,
            "method": "per_area",
            "product_id": product.id,
            "account_id": account.id,
        }
        if overrides.get("method") == "metered":
            vals.update(meter_kind="water", uom_label="m³")
        vals.update(overrides)
        return cls.env["property.fee.item"].create(vals)

    @classmethod
    def _create_standard(cls, item=None, **overrides):
        """A draft standard of ``item`` for ``cls.estate`` from 2026-01-01."""
        item = item or cls.fee_item
        vals = {
            "name": "%s standard %d" % (item.name, cls._next()),
            "item_id": item.id,
            "estate_id": cls.estate.id,
            "rate": 2.80,
            "cycle": "monthly",
            "timing": "advance",
            "due_days": 15,
            "date_from": "2026-01-01",
            "notice_days": 30,
        }
        vals.update(overrides)
        return cls.env["property.fee.standard"].create(vals)

    @classmethod
    def _publish_standard(cls, standard, publication_date="2025-11-01"):
        """Approve and publish ``standard`` (as superuser) on
        ``publication_date``; with the default date and 30 notice days it may
        bill from 2025-12-01. Returns the standard."""
        standard.action_approve()
        standard._publish(publication_date)
        return standard


class FeeCase(FeeFactoryMixin, PropertyCase):
    """PropertyCase plus ``self.fee_item`` (per_area 物业管理费)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.property_notice_days = 30
        cls.Standard = cls.env["property.fee.standard"]
        cls.fee_item = cls._create_fee_item(name="物业管理费")
