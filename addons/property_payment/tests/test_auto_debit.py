# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Auto-debit (银行代扣) end to end, on OCA's mandates and debit orders: the
month's order from open bills of payers with a valid mandate, the bank's
request file (送盘), its return file (回盘) paying or flagging each bill."""
import base64
from decimal import Decimal

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

from ..rules import debit_files as rules
from .common import PaymentCase

RARE_NAME = "李䶮𠀀"  # gb18030 writes it, gbk cannot


class TestAutoDebit(PaymentCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # mandates already in the database (the demo's) are out of play: the
        # orders of these tests debit only the payers made here
        cls.env["account.banking.mandate"].search(
            [("state", "=", "valid")]).write({"state": "expired"})
        cls.owner.name = RARE_NAME
        cls.mandate = cls._create_mandate(cls.owner, "6222020200112233445")
        cls.march = cls._bill(250.6, "2026-03", due="2026-03-31")
        cls.april = cls._bill(100.0, "2026-04", due="2026-04-30")
        # a second payer whose account has no money
        cls.unit2 = cls._create_unit()
        cls.owner2 = cls._create_owner(name="Zhang Wei")
        cls._create_occupancy(unit_id=cls.unit2.id, partner_id=cls.owner2.id)
        cls.mandate2 = cls._create_mandate(cls.owner2, "6217000010002000300")
        cls.bill2 = cls._bill(180.0, "2026-03", due="2026-03-31",
                              partner=cls.owner2, unit=cls.unit2)
        # a third payer whose mandate is not signed yet: never debited
        cls.unit3 = cls._create_unit()
        cls.owner3 = cls._create_owner(name="Wang Fang")
        cls._create_occupancy(unit_id=cls.unit3.id, partner_id=cls.owner3.id)
        cls.mandate3 = cls._create_mandate(cls.owner3, "6228480010000000001",
                                           validate=False)
        cls.bill3 = cls._bill(99.0, "2026-03", due="2026-03-31",
                              partner=cls.owner3, unit=cls.unit3)
        cls.mode = cls.env["account.payment.mode"]._property_debit_mode(
            cls.company)
        cls.template = cls.mode.property_debit_template_id
        cls.spec = cls.template._spec()
        cls.today = fields.Date.context_today(cls.env["res.users"])

    @classmethod
    def _create_mandate(cls, partner, account, validate=True):
        bank = cls.env["res.partner.bank"].create({
            "acc_number": account, "partner_id": partner.id})
        mandate = cls.env["account.banking.mandate"].create({
            "partner_bank_id": bank.id, "signature_date": "2026-01-15",
            "company_id": cls.company.id})
        if validate:
            mandate.validate()
        return mandate

    # -- helpers ---------------------------------------------------------------------

    def _new_order(self, user=None):
        user = user or self.cashier
        order = self.env["account.payment.order"].sudo(user).create({
            "payment_mode_id": self.mode.id})
        wizard = self.env["account.payment.line.create"].sudo(user).with_context(
            active_model="account.payment.order", active_id=order.id).create(
            {"due_date": "2026-12-31"})
        wizard.populate()
        wizard.create_payment_lines()
        return order

    def _generated_order(self):
        order = self._new_order()
        order.draft2open()
        action = order.open2generated()
        attachment = self.env["ir.attachment"].browse(action["res_id"])
        order.generated2uploaded()
        return order, attachment

    def _line_of(self, order, partner):
        return order.bank_line_ids.filtered(
            lambda line: line.partner_id == partner)

    def _return_file(self, order, answers, batch=None, spec=None):
        """The bank's answer: ``answers`` [(partner, code, reason, serial,
        amount or None for the amount requested)]."""
        lines = []
        for partner, code, reason, serial, amount in answers:
            bank_line = self._line_of(order, partner)
            lines.append(rules.ReturnLine(
                None, None, bank_line.property_debit_seq,
                bank_line.property_debit_agreement, None, None,
                Decimal(amount or repr(bank_line.property_debit_amount)),
                code, reason, serial, "", None, None))
        return rules.render_return(spec or self.spec, batch or order.name,
                                   fields.Date.from_string(self.today), lines)

    def _import(self, data, order=None, user=None):
        wizard = self.env["property.debit.return.import"].sudo(
            user or self.cashier).create({
                "data_file": base64.b64encode(data),
                "filename": "HP_return.txt",
                "order_id": order.id if order else False})
        wizard.action_import()
        return wizard

    def _state(self):
        """What an import may change."""
        return (self.env["property.receipt"].search_count([]),
                self.env["account.payment"].search_count([]),
                self.env["property.debit.failure"].search_count([]),
                self.march.state, self.bill2.state)

    def assertMoney(self, first, second):
        self.assertEqual(float_compare(first, second, precision_digits=2), 0,
                         "%s != %s" % (first, second))

    # -- the month's order -------------------------------------------------------------

    def test_order_from_open_bills_of_payers_with_a_valid_mandate(self):
        order = self._new_order()
        bills = order.payment_line_ids.mapped("move_line_id.invoice_id")
        self.assertEqual(bills, self.march | self.april | self.bill2)
        self.assertNotIn(self.bill3, bills)  # draft mandate: not debited
        line = order.payment_line_ids.filtered(
            lambda pl: pl.move_line_id.invoice_id == self.march)
        self.assertEqual(line.mandate_id, self.mandate)
        self.assertEqual(line.partner_bank_id, self.mandate.partner_bank_id)
        self.assertEqual(line.communication, self.march.number)
        # by hand, the bill of a payer without a valid mandate is refused
        receivable = self.bill3.move_id.line_ids.filtered(
            lambda aml: aml.account_id == self.bill3.account_id)
        with self.assertRaisesRegex(UserError, "no valid auto-debit mandate"):
            receivable.sudo(self.cashier).create_payment_line_from_move_line(
                order)
        # one bank line per payer: the owner's two bills are debited at once
        order.draft2open()
        self.assertEqual(len(order.bank_line_ids), 2)
        self.assertMoney(self._line_of(order, self.owner).amount_currency,
                         350.6)

    def test_bills_waiting_for_the_bank_are_not_added_twice(self):
        self._generated_order()  # uploaded: waiting for the return file
        order = self._new_order()
        self.assertFalse(order.payment_line_ids)
        receivable = self.march.move_id.line_ids.filtered(
            lambda aml: aml.account_id == self.march.account_id)
        with self.assertRaisesRegex(UserError, "not debited twice"):
            receivable.sudo(self.cashier).create_payment_line_from_move_line(
                order)

    def test_confirmed_order_keeps_its_lines(self):
        order = self._new_order()
        order.draft2open()
        with self.assertRaises(UserError):
            order.payment_line_ids[:1].sudo(self.cashier).write(
                {"amount_currency": 1.0})
        with self.assertRaises(UserError):
            order.payment_line_ids[:1].sudo(self.cashier).unlink()

    def test_menu_action_makes_the_mode_once(self):
        Order = self.env["account.payment.order"].sudo(self.cashier)
        action = Order._property_debit_order_action()
        self.assertEqual(action["context"]["default_payment_mode_id"],
                         self.mode.id)
        self.assertFalse(self.mode.generate_move)
        self.assertIn(self.env.ref(
            "property_payment.account_payment_method_property_cn_debit"),
            self.mode.fixed_journal_id.inbound_payment_method_ids)
        before = Order.search(action["domain"])
        order = self._new_order()
        self.assertEqual(Order.search(action["domain"]) - before, order)

    # -- the request file (送盘) ---------------------------------------------------------

    def test_request_file_content_and_encoding(self):
        order, attachment = self._generated_order()
        self.assertEqual(order.state, "uploaded")
        self.assertTrue(attachment.datas_fname.startswith("DK_"))
        data = base64.b64decode(attachment.datas)
        # gb18030, rare characters of the holder's name included
        self.assertIn(RARE_NAME.encode("gb18030"), data)
        request = rules.parse_request(self.spec, data)
        self.assertEqual(request.batch, order.name)
        self.assertEqual((request.count, request.total),
                         (2, Decimal("530.60")))
        by_agreement = {line.agreement: line for line in request.lines}
        mine = by_agreement[self.mandate.unique_mandate_reference]
        self.assertEqual((mine.account, mine.holder, mine.amount),
                         ("6222020200112233445", RARE_NAME,
                          Decimal("350.60")))
        other = by_agreement[self.mandate2.unique_mandate_reference]
        self.assertEqual(other.amount, Decimal("180.00"))
        self.assertEqual({line.seq for line in request.lines}, {1, 2})
        text = data.decode("gb18030")
        self.assertTrue(text.startswith("H|%s|" % order.name))
        self.assertIn("|2|530.60\r\n", text)
        bank_line = self._line_of(order, self.owner)
        self.assertEqual(bank_line.property_debit_state, rules.LINE_PENDING)
        self.assertEqual(bank_line.property_debit_seq, mine.seq)

    def test_request_in_fen_fixed_width_template(self):
        template = self.template.copy({
            "name": "Fixed, fen", "layout": "fixed", "amount_unit": "fen",
            "field_widths": "batch:20 date:8 count:6 total:14 seq:6 "
                            "agreement:20 account:24 holder:40 amount:12 "
                            "reference:16 result:4 reason:30 serial:20",
            "return_detail": "=D,seq,agreement,amount,result,reason,serial"})
        self.mode.sudo().property_debit_template_id = template
        order = self._new_order()
        order.draft2open()
        data = base64.b64decode(self.env["ir.attachment"].browse(
            order.open2generated()["res_id"]).datas)
        records = data.split(b"\r\n")
        self.assertEqual(records[0][-14:], b"00000000053060")
        request = rules.parse_request(template._spec(), data)
        self.assertEqual(request.total, Decimal("530.60"))
        # the bank answers in the same layout, amounts in fen
        order.generated2uploaded()
        answer = self._return_file(order, [
            (self.owner, "0000", "成功", "F1", None),
            (self.owner2, "3008", "余额不足", "", None)],
            spec=template._spec())
        self.assertIn(b"000000035060", answer)
        self._import(answer, order)
        self.assertEqual(self.march.state, "paid")
        self.assertTrue(self.bill2.property_debit_failed)
        self.assertEqual(order.state, "done")

    def test_mandate_no_longer_valid_when_the_file_is_written(self):
        order = self._new_order()
        order.draft2open()
        self.mandate2.cancel()
        with self.assertRaisesRegex(UserError, "no valid mandate"):
            order.open2generated()

    # -- the return file (回盘) ----------------------------------------------------------

    def test_return_file_pays_successes_and_flags_failures(self):
        order, _attachment = self._generated_order()
        data = self._return_file(order, [
            (self.owner, "0000", "成功", "B20261201001", None),
            (self.owner2, "3008", "余额不足", "", None)])
        wizard = self._import(data, order)
        self.assertIn("1 debited, 1 not debited", wizard.summary)
        # the success: both bills paid and reconciled, one receipt
        self.assertEqual(self.march.state, "paid")
        self.assertEqual(self.april.state, "paid")
        line = self._line_of(order, self.owner)
        receipt = line.property_receipt_id
        self.assertEqual(receipt.channel_code, "debit")
        self.assertEqual(receipt.serial, "B20261201001")
        self.assertEqual(receipt.partner_id, self.owner)
        self.assertMoney(receipt.amount, 350.6)
        self.assertEqual(receipt.line_ids.mapped("invoice_id"),
                         self.march | self.april)
        payment = receipt.payment_id
        self.assertEqual(payment.state, "posted")
        self.assertEqual(payment.journal_id, self.env[
            "property.payment.channel"]._get("debit", self.company).journal_id)
        self.assertTrue(all(self.march.move_id.line_ids.filtered(
            lambda aml: aml.account_id == self.march.account_id).mapped(
            "reconciled")))
        self.assertEqual(line.property_debit_state, rules.LINE_PAID)
        self.assertEqual(self.mandate.last_debit_date, self.today)
        self.assertFalse(self.march.property_debit_failed)
        # the failure: the bill still open, flagged for dunning with the reason
        self.assertEqual(self.bill2.state, "open")
        self.assertMoney(self.bill2.residual, 180.0)
        self.assertTrue(self.bill2.property_debit_failed)
        self.assertEqual(self.bill2.property_debit_failure_reason,
                         "3008 余额不足")
        failure = self.bill2.property_debit_failure_ids
        self.assertEqual((failure.code, failure.reason, failure.order_id),
                         ("3008", "余额不足", order))
        flagged = self.env["account.invoice"].search(
            [("property_debit_failed", "=", True),
             ("id", "in", (self.march | self.april | self.bill2).ids)])
        self.assertEqual(flagged, self.bill2)
        self.assertEqual(self._line_of(order, self.owner2).property_debit_state,
                         rules.LINE_FAILED)
        # every line answered: the order is done
        self.assertEqual(order.state, "done")
        # the failed bill goes onto next month's order again
        next_order = self._new_order()
        self.assertEqual(
            next_order.payment_line_ids.mapped("move_line_id.invoice_id"),
            self.bill2)

    def test_second_import_of_the_same_file_adds_nothing(self):
        order, _attachment = self._generated_order()
        data = self._return_file(order, [
            (self.owner, "0000", "成功", "B1", None)])
        self._import(data, order)
        self.assertEqual(order.state, "uploaded")  # one line still pending
        before = self._state()
        with self.assertRaisesRegex(UserError, "imported before"):
            self._import(data, order)
        self.assertEqual(self._state(), before)
        # the rest of the answers, in a second file, completes the order
        self._import(self._return_file(order, [
            (self.owner, "0000", "成功", "B1", None),
            (self.owner2, "3008", "余额不足", "", None)]))
        self.assertEqual(order.state, "done")
        self.assertEqual(self.env["property.receipt"].search_count(
            [("serial", "=", "B1")]), 1)

    def test_unknown_batch_changes_nothing(self):
        order, _attachment = self._generated_order()
        data = self._return_file(order, [
            (self.owner, "0000", "成功", "B1", None)], batch="NOSUCHBATCH")
        before = self._state()
        with self.assertRaisesRegex(UserError, "unknown request"):
            self._import(data)
        with self.assertRaisesRegex(UserError, "not debit order"):
            self._import(data, order)
        self.assertEqual(self._state(), before)
        self.assertEqual(order.state, "uploaded")

    def test_amount_other_than_requested_is_not_paid(self):
        order, _attachment = self._generated_order()
        self._import(self._return_file(order, [
            (self.owner, "0000", "成功", "B1", "350.00")]), order)
        self.assertEqual(self.march.state, "open")
        self.assertFalse(self._line_of(order, self.owner).property_receipt_id)
        self.assertTrue(self.march.property_debit_failed)
        self.assertIn("350.00", self.march.property_debit_failure_reason)

    def test_file_that_does_not_tie_changes_nothing(self):
        order, _attachment = self._generated_order()
        data = self._return_file(order, [
            (self.owner, "0000", "成功", "B1", None),
            (self.owner2, "3008", "余额不足", "", None)])
        text = data.decode("gb18030").replace("|2|530.60", "|2|531.60", 1)
        before = self._state()
        with self.assertRaisesRegex(UserError, "altered"):
            self._import(text.encode("gb18030"), order)
        with self.assertRaisesRegex(UserError, "not written in gb18030"):
            self._import(text.encode("utf-8"), order)
        self.assertEqual(self._state(), before)

    def test_a_line_that_cannot_be_paid_rolls_the_file_back(self):
        order, _attachment = self._generated_order()
        data = self._return_file(order, [
            (self.owner2, "3008", "余额不足", "", None),
            (self.owner, "0000", "成功", "B1", None)])
        self.env["property.payment.channel"]._get(
            "debit", self.company).active = False
        before = self._state()
        with self.assertRaisesRegex(UserError, "Nothing was imported"):
            self._import(data, order)
        self.assertEqual(self._state(), before)
        self.assertFalse(self.bill2.property_debit_failed)
        self.assertEqual(
            set(order.bank_line_ids.mapped("property_debit_state")),
            {rules.LINE_PENDING})

    def test_failure_in_the_users_language(self):
        self._load_lang("zh_CN")
        self.cashier.lang = "zh_CN"
        order, _attachment = self._generated_order()
        data = self._return_file(order, [
            (self.owner, "0000", "成功", "B1", None)], batch="NOSUCHBATCH")
        with self.assertRaisesRegex(UserError, "未知"):
            self._import(data)

    def test_answered_lines_and_failures_are_not_rewritten(self):
        order, _attachment = self._generated_order()
        self._import(self._return_file(order, [
            (self.owner2, "3008", "余额不足", "", None)]), order)
        line = self._line_of(order, self.owner2)
        with self.assertRaises(UserError):
            line.sudo(self.cashier).write(
                {"property_debit_state": rules.LINE_PENDING})
        failure = self.bill2.property_debit_failure_ids
        with self.assertRaises(AccessError):
            failure.sudo(self.manager).write({"state": "resolved"})
        with self.assertRaises(UserError):
            failure.write({"state": "resolved"})  # not even the superuser
        with self.assertRaises(UserError):
            failure.unlink()
        self.assertEqual(failure.state, "open")
        with self.assertRaises(UserError):
            order.sudo(self.manager).action_cancel()
        with self.assertRaisesRegex(UserError, "without the bank's answer"):
            order.sudo(self.cashier).action_done()

    # -- access ------------------------------------------------------------------------

    def test_portal_owner_cannot_do_harm(self):
        portal = self._create_portal_user(self.owner)
        order, attachment = self._generated_order()
        data = self._return_file(order, [
            (self.owner, "0000", "成功", "B1", None)])
        before = self._state()
        with self.assertRaises(AccessError):
            self._rpc(portal, "account.payment.order", "generate_payment_file",
                      [order.id])
        wizard_id = self._rpc(portal, "property.debit.return.import",
                              "create", {"data_file": base64.b64encode(data),
                                         "order_id": order.id})
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.debit.return.import", "action_import",
                      [wizard_id])
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.debit.failure", "create", {
                "invoice_id": self.march.id, "partner_id": self.owner.id,
                "company_id": self.company.id, "date": self.today})
        with self.assertRaises(AccessError):
            self._rpc(portal, "bank.payment.line", "write",
                      [self._line_of(order, self.owner).id],
                      {"communication": "paid"})
        with self.assertRaises(AccessError):
            self._rpc(portal, "account.payment.order", "draft2open",
                      [order.id])
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.debit.bank.template", "write",
                      [self.template.id], {"success_codes": "0000,3008"})
        self.assertEqual(self._state(), before)
        self.assertEqual(order.state, "uploaded")

    def test_billing_users_reach_auto_debit_orders_only(self):
        outbound = self.env["account.payment.mode"].create({
            "name": "Supplier transfers", "company_id": self.company.id,
            "bank_account_link": "variable",
            "payment_method_id": self.env.ref(
                "account.account_payment_method_manual_out").id})
        supplier_order = self.env["account.payment.order"].create({
            "payment_mode_id": outbound.id})
        # refused by the record rule (Odoo 11 reports it through the
        # order's own constraint, which cannot read the new order)
        with self.assertRaises((AccessError, ValidationError)), \
                self.env.cr.savepoint():
            self.env["account.payment.order"].sudo(self.cashier).create({
                "payment_mode_id": outbound.id})
        with self.assertRaises(AccessError):
            supplier_order.sudo(self.cashier).read(["name"])
        self.assertTrue(self._new_order().payment_line_ids)

    def test_accountant_without_billing_rights_cannot_import(self):
        order, _attachment = self._generated_order()
        data = self._return_file(order, [
            (self.owner, "0000", "成功", "B1", None)])
        agent = self._create_user("agent", [], name="Agent")
        with self.assertRaises(AccessError):
            self._import(data, order, user=agent)
        self.assertEqual(self.march.state, "open")

    def test_template_refuses_a_layout_that_cannot_work(self):
        with self.assertRaisesRegex(Exception, "template cannot work"):
            self.template.copy({"return_detail": "seq,amount"})
