# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The run's batch path gives exactly the records of Odoo's own path
(``account.invoice.create`` + ``action_invoice_open``)."""
import re

from odoo.addons.property_billing.tests.common_billing import SYNC, BillingCase

INVOICE_FIELDS = [
    "type", "state", "partner_id", "commercial_partner_id", "account_id",
    "journal_id", "company_id", "currency_id", "payment_term_id",
    "fiscal_position_id", "partner_bank_id", "date_invoice", "date_due", "date",
    "name", "amount_untaxed", "amount_tax", "amount_total", "residual",
    "residual_signed", "residual_company_signed", "amount_total_signed",
    "amount_untaxed_signed", "amount_total_company_signed", "reconciled",
    "reference", "comment", "user_id",
]
LINE_FIELDS = [
    "name", "product_id", "account_id", "quantity", "price_unit", "discount",
    "uom_id", "invoice_line_tax_ids", "price_subtotal", "price_total",
    "price_subtotal_signed", "account_analytic_id", "partner_id", "currency_id",
]
TAX_FIELDS = ["name", "tax_id", "account_id", "amount", "base", "manual",
              "sequence", "amount_total"]
MOVE_FIELDS = ["journal_id", "date", "ref", "state", "partner_id", "amount",
               "company_id", "currency_id", "narration"]
MOVE_LINE_FIELDS = [
    "name", "account_id", "partner_id", "debit", "credit", "balance",
    "amount_currency", "currency_id", "quantity", "product_id", "product_uom_id",
    "tax_ids", "tax_line_id", "date", "date_maturity", "journal_id",
    "amount_residual", "reconciled", "analytic_account_id", "company_id",
    "user_type_id",
]


def _value(record, name):
    value = record[name]
    if hasattr(value, "_name"):
        return tuple(sorted(value.ids))
    if isinstance(value, float):
        return round(value, 6)
    return value


class TestBillingEquivalence(BillingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax = cls._sale_tax()
        cls.fee_item.tax_ids = [(6, 0, cls.tax.ids)]
        cls.payment_term = cls.env.ref("account.account_payment_term_15days")

    def _orm_invoice(self, partner, unit):
        """The same bill, the way a clerk's code would create it."""
        item = self.fee_item
        invoice = self.Invoice.create({
            "partner_id": partner.id,
            "type": "out_invoice",
            "journal_id": self.env["account.journal"].search(
                [("type", "=", "sale"), ("company_id", "=", self.company.id)],
                limit=1).id,
            "date_invoice": "2026-03-01",
            "date_due": "2026-03-16",
            "name": "%s 2026-03" % unit.name,
            "origin": "manual",
            "invoice_line_ids": [(0, 0, {
                "name": "%s 2026-03" % item.name,
                "product_id": item.product_id.id,
                "uom_id": item.product_id.uom_id.id,
                "account_id": item.account_id.id,
                "quantity": 1.0,
                "price_unit": 250.60,
                "invoice_line_tax_ids": [(6, 0, item.tax_ids.ids)],
            })],
        })
        invoice.action_invoice_open()
        return invoice

    def _assert_same(self, run_record, orm_record, names, what):
        for name in names:
            self.assertEqual(_value(run_record, name), _value(orm_record, name),
                             "%s.%s differs" % (what, name))

    def _assert_equivalent(self, run_invoice, orm_invoice):
        self._assert_same(run_invoice, orm_invoice, INVOICE_FIELDS, "invoice")
        self.assertEqual(len(run_invoice.invoice_line_ids),
                         len(orm_invoice.invoice_line_ids))
        for mine, theirs in zip(run_invoice.invoice_line_ids,
                                orm_invoice.invoice_line_ids):
            self._assert_same(mine, theirs, LINE_FIELDS, "invoice line")
        self.assertEqual(len(run_invoice.tax_line_ids), len(orm_invoice.tax_line_ids))
        for mine, theirs in zip(run_invoice.tax_line_ids, orm_invoice.tax_line_ids):
            self._assert_same(mine, theirs, TAX_FIELDS, "tax line")
        self._assert_same(run_invoice.move_id, orm_invoice.move_id, MOVE_FIELDS,
                          "move")

        def key(line):
            return (line.account_id.code, line.debit, line.credit, line.name)

        mine = run_invoice.move_id.line_ids.sorted(key)
        theirs = orm_invoice.move_id.line_ids.sorted(key)
        self.assertEqual(len(mine), len(theirs))
        for mine_line, their_line in zip(mine, theirs):
            self._assert_same(mine_line, their_line, MOVE_LINE_FIELDS, "move line")
            self.assertEqual(mine_line.invoice_id, run_invoice)
        # same sequence: same format, consecutive numbers
        self.assertEqual(re.sub(r"\d+$", "", run_invoice.number),
                         re.sub(r"\d+$", "", orm_invoice.number))
        self.assertEqual(run_invoice.move_id.name, run_invoice.number)
        self.assertEqual(run_invoice.move_name, run_invoice.number)
        # same followers (Odoo subscribes the customer on validation)
        self.assertEqual(run_invoice.message_partner_ids,
                         orm_invoice.message_partner_ids)
        self.assertEqual(
            [(f.partner_id, f.subtype_ids) for f in run_invoice.message_follower_ids],
            [(f.partner_id, f.subtype_ids) for f in orm_invoice.message_follower_ids])

    def test_run_invoice_equals_orm_invoice(self):
        run = self._generate()
        run.with_context(**SYNC).action_post()
        run_invoice = run.invoice_ids
        orm_invoice = self._orm_invoice(self.owner, self.unit)
        self.assertEqual(run_invoice.origin, run.name)
        self.assertAlmostEqual(run_invoice.amount_tax, 15.04)
        self.assertAlmostEqual(run_invoice.amount_total, 265.64)
        self._assert_equivalent(run_invoice, orm_invoice)
        self.assertEqual(int(orm_invoice.number[-4:]),
                         int(run_invoice.number[-4:]) + 1)

    def test_with_payment_term_and_many_invoices(self):
        self.owner.property_payment_term_id = self.payment_term
        units = self.unit
        for _i in range(4):
            units |= self._create_owned_unit(owner=self.owner)[0]
        run = self._generate()
        run.with_context(**SYNC).action_post()
        self.assertEqual(len(run.invoice_ids), 5)
        numbers = sorted(run.invoice_ids.mapped("number"))
        self.assertEqual(len(set(numbers)), 5)
        for run_invoice in run.invoice_ids:
            orm_invoice = self._orm_invoice(self.owner, run_invoice.property_unit_id)
            self.assertEqual(run_invoice.payment_term_id, self.payment_term)
            self._assert_equivalent(run_invoice, orm_invoice)
