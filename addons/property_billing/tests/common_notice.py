# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Factories for the billing-notice tests: validated bills of a unit built
directly as ``account.invoice`` records (one line per fee with its basis),
an SMS gateway, fixed clocks."""
from datetime import datetime

from odoo.addons.property_billing.tests.common import PropertyCase
from odoo.addons.property_billing.tests.common_fee import FeeFactoryMixin

BASIS = "89.50 m² × 2.80 元/m²/月 × 1 月"


def utc(text):
    """'2026-03-10 14:00' -> naive UTC datetime (the clock passed in)."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


class NoticeCase(FeeFactoryMixin, PropertyCase):
    """PropertyCase with bank details on the estate, an income account and
    ``cls.invoice``: the validated March 2026 bill of ``cls.unit`` for
    ``cls.owner`` (物业管理费 250.60 + 公摊水电费 12.30, due 2026-03-16)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.estate.write({
            "name": "绿园小区 %s" % cls.estate.code,
            "bank_name": "中国工商银行上海分行",
            "bank_account": "6222 0210 0101 2345 678",
            "tz": "Asia/Shanghai",
        })
        cls.owner.write({"name": "张三 %d" % cls._next()})
        cls.income_account = cls._income_account()
        cls.Delivery = cls.env["property.notice.delivery"]
        cls.invoice = cls._create_bill()

    @classmethod
    def _create_bill(cls, unit=None, partner=None, period="2026-03",
                     date_invoice="2026-03-01", date_due="2026-03-16",
                     lines=None, post=True):
        unit = unit or cls.unit
        partner = partner or cls.owner
        if lines is None:
            lines = [("物业管理费", BASIS, 250.60),
                     ("公摊水电费", "12.30 元 × 100.00% (公摊)", 12.30)]
        invoice = cls.env["account.invoice"].create({
            "partner_id": partner.id,
            "type": "out_invoice",
            "date_invoice": date_invoice,
            "date_due": date_due,
            "property_unit_id": unit.id,
            "billing_period": period,
            "property_period_from": "%s-01" % period,
            "invoice_line_ids": [(0, 0, {
                "name": name,
                "property_basis": basis,
                "account_id": cls.income_account.id,
                "quantity": 1.0,
                "price_unit": amount,
            }) for name, basis, amount in lines],
        })
        if post:
            invoice.action_invoice_open()
        return invoice

    @classmethod
    def _create_gateway(cls, url, **overrides):
        vals = {
            "name": "Test gateway %d" % cls._next(),
            "provider": "http_json",
            "url": url,
            "api_key": "stub-key",
            "sign": "【绿园物业】",
            "timeout": 5.0,
            "max_attempts": 3,
            "retry_delay": 5,
            "sequence": 0,
        }
        vals.update(overrides)
        return cls.env["property.sms.gateway"].create(vals)
