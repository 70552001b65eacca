# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bank transfers (转账): a bank's statement file imported through Odoo's
statement import with our mapping, deduplicated by the bank serial number,
auto-matched and paid through the allocation service; the rest matched by
hand."""
import base64
import datetime
import io
from unittest import mock

import openpyxl

from odoo.exceptions import AccessError, UserError

from .common import PaymentCase

HEADER = ["交易日期", "借方发生额", "贷方发生额", "对方户名", "对方账号",
          "摘要", "流水号"]
PREAMBLE = [["账号", "1002 0000 9999"], ["户名", "翠湖物业"]]
FOOTER = [["合计", "", "", "", "", "", ""]]


def statement_file(rows, encoding="gb18030"):
    lines = [",".join(row) for row in PREAMBLE + [HEADER] + rows + FOOTER]
    return "\r\n".join(lines).encode(encoding)


class TestStatementImport(PaymentCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.january = cls._bill(100.0, "2026-01")
        cls.february = cls._bill(120.0, "2026-02")
        cls.owner2 = cls._create_owner(name="Second Owner")
        cls.unit2 = cls._create_unit()
        cls._create_occupancy(unit_id=cls.unit2.id, partner_id=cls.owner2.id)
        cls.bill2 = cls._bill(80.0, "2026-01", partner=cls.owner2,
                              unit=cls.unit2)
        cls.env["res.partner.bank"].create({
            "acc_number": "6222 0200 0000 0002", "partner_id": cls.owner2.id})
        # a name gbk cannot encode (CJK extension A)
        cls.rare = cls._create_owner(name="王䶮")
        cls.unit3 = cls._create_unit()
        cls._create_occupancy(unit_id=cls.unit3.id, partner_id=cls.rare.id)
        cls.bill3 = cls._bill(55.5, "2026-01", partner=cls.rare,
                              unit=cls.unit3)
        # two namesakes with bills of the same amount
        cls.namesakes = cls.env["res.partner"]
        for _n in range(2):
            partner = cls._create_owner(name="李四")
            unit = cls._create_unit()
            cls._create_occupancy(unit_id=unit.id, partner_id=partner.id)
            cls._bill(66.0, "2026-01", partner=partner, unit=unit)
            cls.namesakes |= partner
        cls.mapping = cls.env["property.bank.statement.mapping"].create({
            "name": "Test bank", "company_id": cls.company.id,
            "skip_header": 2, "skip_footer": 1,
            "date_column": "交易日期", "debit_column": "借方发生额",
            "credit_column": "贷方发生额", "name_column": "对方户名",
            "account_column": "对方账号", "memo_column": "摘要",
            "serial_column": "流水号", "date_formats": "%Y%m%d\n%Y-%m-%d",
        })
        cls.rows = [
            ["20260305", "", "100.00", "Someone", "",
             "物业费 %s" % cls.january.number.lower(), "SN1"],
            ["20260305", "", "80.00", "Second Owner", "6222020000000002",
             "转账", "SN2"],
            ["20260306", "", "55.50", "王䶮", "", "", "SN3"],
            ["20260306", "35.00", "", "某银行", "",
             "手续费 %s" % cls.february.number, "SN4"],
            ["20260307", "", "66.00", "李四", "", "", "SN5"],
            ["20260307", "", "10.00", "陌生人", "", "转账", "SN6"],
        ]

    # -- helpers ---------------------------------------------------------------

    def _import(self, data, user=None, filename="statement.csv", mapping=None,
                lang="en_US"):
        """Import ``data`` as ``user`` (default the accountant) in ``lang``,
        as a request of that user would."""
        wizard = self.env["account.bank.statement.import"].sudo(
            user or self.accountant).with_context(lang=lang).create({
                "data_file": base64.b64encode(data),
                "filename": filename,
                "property_mapping_id": (mapping or self.mapping).id,
            })
        return wizard.import_file()

    def _lines(self):
        return self.env["account.bank.statement.line"].search(
            [("property_serial", "like", "SN")])

    def _line(self, serial):
        return self._lines().filtered(lambda line: line.property_serial == serial)

    def _counts(self):
        return (self.env["account.bank.statement"].search_count([]),
                self.env["account.bank.statement.line"].search_count([]),
                self.env["property.receipt"].search_count([]),
                self.env["account.payment"].search_count([]))

    # -- import and auto-matching --------------------------------------------

    def test_import_matches_pays_and_reconciles(self):
        action = self._import(statement_file(self.rows))
        lines = self._lines()
        self.assertEqual(len(lines), 6)
        self.assertEqual(len(lines.mapped("statement_id")), 1)
        self.assertIn("notifications", action["context"])
        by_serial = {line.property_serial: line for line in lines}
        states = {serial: line.property_match_state
                  for serial, line in by_serial.items()}
        self.assertEqual(states, {
            "SN1": "matched", "SN2": "matched", "SN3": "matched",
            "SN4": "ignored", "SN5": "ambiguous", "SN6": "unmatched"})
        # by the bill number in the memo
        self.assertEqual(self.january.state, "paid")
        self.assertEqual(self.february.state, "open")
        receipt = by_serial["SN1"].property_receipt_id
        self.assertEqual(receipt.serial, "SN1")
        self.assertEqual(receipt.channel_code, "transfer")
        self.assertEqual(receipt.statement_line_id, by_serial["SN1"])
        self.assertEqual(receipt.partner_id, self.owner)
        self.assertEqual(receipt.line_ids.mapped("invoice_id"), self.january)
        self.assertEqual(receipt.payment_id.state in ("posted", "reconciled"),
                         True)
        self.assertEqual(receipt.payment_id.journal_id,
                         by_serial["SN1"].journal_id)
        self.assertTrue(by_serial["SN1"].journal_entry_ids,
                        "the statement line is reconciled with the payment")
        receivable = self.january.move_id.line_ids.filtered(
            lambda aml: aml.account_id == self.january.account_id)
        self.assertTrue(receivable.reconciled)
        # by the registered account, and by name and amount (rare character)
        self.assertEqual(self.bill2.state, "paid")
        self.assertEqual(by_serial["SN2"].property_receipt_id.partner_id,
                         self.owner2)
        self.assertEqual(self.bill3.state, "paid")
        self.assertEqual(by_serial["SN3"].partner_name, "王䶮")
        self.assertIn("Matched by the payer's name 王䶮",
                      by_serial["SN3"].property_match_reason)
        # waiting lines: not reconciled, no receipt, with the reason
        for serial in ("SN4", "SN5", "SN6"):
            self.assertFalse(by_serial[serial].journal_entry_ids)
            self.assertFalse(by_serial[serial].property_receipt_id)
        self.assertIn("Several payers named 李四",
                      by_serial["SN5"].property_match_reason)
        self.assertIn("identify a payer",
                      by_serial["SN6"].property_match_reason)
        # the tie-out: receipts = payments = statement lines matched
        receipts = lines.mapped("property_receipt_id")
        self.assertAlmostEqual(sum(receipts.mapped("amount")), 235.5)
        self.assertAlmostEqual(
            sum(receipts.mapped("payment_id").mapped("amount")), 235.5)

    def test_rare_character_name_survives_gb18030(self):
        with self.assertRaises(UnicodeEncodeError):
            "王䶮".encode("gbk")
        rows = [["20260306", "", "55.50", "王䶮", "", "", "SN3"],
                ["20260306", "", "1.00", "𠀀先生", "", "", "SN9"]]
        self._import(statement_file(rows))
        self.assertEqual(self._line("SN3").partner_name, "王䶮")
        self.assertEqual(self._line("SN9").partner_name, "𠀀先生")
        self.assertEqual(self.bill3.state, "paid")

    def test_xlsx_export_built_with_openpyxl(self):
        book = openpyxl.Workbook()
        sheet = book.active
        for row in PREAMBLE + [HEADER]:
            sheet.append(row)
        sheet.append([datetime.datetime(2026, 3, 5, 9, 30), None, 100.0,
                      "Someone", None, self.january.number, "SX1"])
        sheet.append([datetime.date(2026, 3, 6), None, 55.5, "王䶮", None,
                      None, 20260306001])
        sheet.append(FOOTER[0])
        out = io.BytesIO()
        book.save(out)
        self._import(out.getvalue(), filename="对账单.xlsx")
        lines = self.env["account.bank.statement.line"].search(
            [("property_serial", "in", ("SX1", "20260306001"))])
        self.assertEqual(sorted(lines.mapped("property_match_state")),
                         ["matched", "matched"])
        self.assertEqual(self.january.state, "paid")
        self.assertEqual(self.bill3.state, "paid")

    def test_second_import_of_the_same_file_adds_nothing_and_says_so(self):
        data = statement_file(self.rows)
        self._import(data)
        before = self._counts()
        with self.assertRaisesRegex(UserError, "was imported before"):
            self._import(data)
        self.assertEqual(self._counts(), before)

    def test_overlapping_file_adds_only_the_new_lines(self):
        self._import(statement_file(self.rows[:4]))
        before = self._counts()
        later = self.rows[2:] + [
            ["20260308", "", "120.00", "X", "",
             "%s" % self.february.number, "SN7"]]
        self._import(statement_file(later))
        self.assertEqual(len(self._lines()), 7)
        self.assertEqual(len(self._lines().filtered(
            lambda line: line.property_serial == "SN3")), 1)
        self.assertEqual(self._counts()[2], before[2] + 1,
                         "one new receipt: SN7's, SN3 is not paid twice")
        self.assertEqual(self.february.state, "paid")
        self.assertEqual(self._line("SN7").property_match_state, "matched")

    def test_overlap_is_announced_with_the_lines_it_skipped(self):
        self._import(statement_file(self.rows[:4]))
        action = self._import(statement_file(self.rows[2:]))
        skipped = [note for note in action["context"]["notifications"]
                   if note["details"]["model"] == "account.bank.statement.line"
                   and "already been imported" in note["message"]]
        self.assertEqual(len(skipped), 1)
        self.assertIn("2 transactions", skipped[0]["message"])
        self.assertEqual(
            sorted(self.env["account.bank.statement.line"].browse(
                skipped[0]["details"]["ids"]).mapped("property_serial")),
            ["SN3", "SN4"])

    def test_lines_written_in_bulk_equal_the_cores(self):
        """The lines the import writes in one statement hold what the
        core's create writes (its path when another add-on overrides the
        lines' create)."""
        fields_ = ["name", "date", "amount", "partner_name", "ref",
                   "unique_import_id", "journal_id", "company_id", "sequence",
                   "property_serial", "property_counterparty_account",
                   "journal_currency_id", "statement_id"]

        def import_lines(serial_prefix):
            rows = [row[:6] + [serial_prefix + row[6]] for row in self.rows
                    if row[2]]  # money in, not matched: the same bills twice
            rows = [row[:5] + ["预存"] + row[6:] for row in rows]
            action = self._import(statement_file(rows))
            statement = self.env["account.bank.statement"].browse(
                action["context"]["statement_ids"])
            lines = statement.line_ids.sorted("id")
            values = lines.read(fields_)
            for vals in values:
                vals.pop("id")
                vals["ref"] = vals["ref"][len(serial_prefix):]
                vals["property_serial"] = vals["property_serial"][
                    len(serial_prefix):]
                # the bank's serial is in the id: SN1, not BSN1
                vals["unique_import_id"] = vals["unique_import_id"].replace(
                    serial_prefix + "SN", "SN")
                vals["statement_id"] = bool(vals["statement_id"])
            return values, statement

        bulk, bulk_statement = import_lines("B")
        Wizard = type(self.env["account.bank.statement.import"])
        with mock.patch.object(Wizard, "_property_line_overrides",
                               return_value=["account.bank.statement.line."
                                             "create (some_addon)"]):
            core, core_statement = import_lines("C")
        self.assertEqual(bulk, core)
        self.assertEqual(len(bulk), 5)
        # the statements' totals counted their lines
        for statement in (bulk_statement, core_statement):
            self.assertEqual(statement.total_entry_encoding,
                             100.0 + 80.0 + 55.5 + 66.0 + 10.0)
            self.assertEqual(statement.balance_end, statement.balance_start
                             + statement.total_entry_encoding)

    def test_foreign_override_of_the_lines_is_detected(self):
        wizard = self.env["account.bank.statement.import"]
        self.assertEqual(wizard._property_line_overrides(), [])
        with mock.patch(
                "odoo.addons.property_billing.models.property_bulk_insert."
                "addon_of", side_effect=lambda cls: "some_addon"
                if cls.__module__.endswith("account_bank_statement")
                else "account"):
            self.assertIn("account.bank.statement.line.create (some_addon)",
                          wizard._property_line_overrides())

    def test_memo_naming_a_paid_bill_does_not_pay_it_twice(self):
        rows = [self.rows[0], list(self.rows[0])]
        rows[1][6] = "SN1B"
        self._import(statement_file(rows))
        self.assertEqual(self.january.state, "paid")
        second = self._line("SN1B")
        self.assertEqual(second.property_match_state, "matched")
        self.assertEqual(second.property_receipt_id.line_ids.mapped(
            "invoice_id"), self.february, "the next open bill instead")

    def test_two_transfers_of_one_payer_each_pay_the_bill_they_name(self):
        """Matched and paid in one batch: the later line (January) does not
        wait for the earlier one (February), nor take its bill."""
        rows = [
            ["20260305", "", "120.00", "Someone", "",
             "物业费 %s" % self.february.number, "SN7"],
            ["20260305", "", "100.00", "Someone", "",
             "物业费 %s" % self.january.number, "SN8"],
            # then a transfer of the same payer by name and amount: it is
            # matched on what the two before it left (nothing: unmatched)
            ["20260306", "", "220.00", self.owner.name, "", "", "SN9"],
        ]
        self._import(statement_file(rows))
        self.assertEqual((self.january.state, self.february.state),
                         ("paid", "paid"))
        self.assertEqual(self._line("SN7").property_receipt_id.line_ids.mapped(
            "invoice_id"), self.february)
        self.assertEqual(self._line("SN8").property_receipt_id.line_ids.mapped(
            "invoice_id"), self.january)
        last = self._line("SN9")
        self.assertEqual(last.property_match_state, "unmatched")
        self.assertFalse(last.property_receipt_id)

    # -- bad files -----------------------------------------------------------

    def test_malformed_files_are_refused_and_change_nothing(self):
        before = self._counts()
        bad = [list(row) for row in self.rows]
        bad[1][2] = "8O.00"
        with self.assertRaisesRegex(UserError, r"Row 5: 8O\.00 in column "
                                               r"贷方发生额 is not an amount"):
            self._import(statement_file(bad))
        bad = [list(row) for row in self.rows]
        bad[0][0] = "2026-13-45"
        with self.assertRaisesRegex(UserError, "Row 4: 2026-13-45 .* not a "
                                               "date"):
            self._import(statement_file(bad))
        with self.assertRaisesRegex(UserError, "UTF-8 text but the mapping "
                                               "reads gb18030"):
            self._import(statement_file(self.rows, "utf-8"))
        with self.assertRaisesRegex(UserError, "spreadsheet cannot be read"):
            self._import(b"PK\x03\x04broken", filename="statement.xlsx")
        wrong = self.mapping.copy({"serial_column": "交易流水号"})
        with self.assertRaisesRegex(UserError, "Row 3 should be the header but "
                                               "has no column 交易流水号"):
            self._import(statement_file(self.rows), mapping=wrong)
        self.assertEqual(self._counts(), before)
        self.assertEqual(self.january.state, "open")

    def test_error_messages_in_chinese(self):
        self._load_lang("zh_CN")
        bad = [list(row) for row in self.rows]
        bad[1][2] = "8O.00"
        with self.assertRaisesRegex(
                UserError, "银行文件未导入.*第 5 行：“贷方发生额”列的 8O.00 "
                           "不是金额"):
            self._import(statement_file(bad), lang="zh_CN")
        with self.assertRaisesRegex(UserError, "按银行流水号"):
            data = statement_file(self.rows[3:4])
            self._import(data)
            self._import(data, lang="zh_CN")
        self._import(statement_file(self.rows[4:5]))
        line = self._line("SN5").with_context(lang="zh_CN")
        self.assertIn("多个名为 李四 的缴费人", line.property_match_reason)

    def test_mapping_that_cannot_read_anything_is_refused(self):
        with self.assertRaisesRegex(Exception, "amount column or debit"):
            self.env["property.bank.statement.mapping"].create({
                "name": "No amount", "date_column": "日期"})

    # -- manual matching -------------------------------------------------------

    def _match_wizard(self, line, user, **vals):
        Wizard = self.env["property.statement.line.match"].sudo(user)
        vals.setdefault("partner_id", self.owner.id)
        vals["line_id"] = line.id
        return Wizard.create(vals)

    def test_cashier_matches_an_unmatched_line_by_hand(self):
        self._import(statement_file(self.rows))
        line = self._line("SN6")
        wizard = self._match_wizard(line, self.cashier, invoice_ids=[
            (6, 0, self.february.ids)])
        self.assertIn("identify a payer", wizard.reason)
        action = wizard.action_match()
        receipt = self.env["property.receipt"].browse(action["res_id"])
        self.assertEqual(receipt.cashier_id, self.cashier)
        self.assertEqual(receipt.serial, "SN6")
        self.assertEqual(line.property_match_state, "matched")
        self.assertEqual(line.property_receipt_id, receipt)
        self.assertTrue(line.journal_entry_ids)
        self.assertAlmostEqual(self.february.residual, 110.0)
        self.assertIn("by hand", line.property_match_reason)
        # matched once: a second attempt is refused and changes nothing
        before = self._counts()
        with self.assertRaisesRegex(UserError, "matched already"):
            self._match_wizard(line, self.cashier).action_match()
        self.assertEqual(self._counts(), before)

    def test_ambiguous_line_matched_by_hand_to_one_namesake(self):
        self._import(statement_file(self.rows))
        line = self._line("SN5")
        namesake = self.namesakes[1]
        self._match_wizard(line, self.accountant,
                           partner_id=namesake.id).action_match()
        self.assertEqual(line.property_receipt_id.partner_id, namesake)
        bills = self.env["account.invoice"].search(
            [("partner_id", "in", self.namesakes.ids)])
        self.assertEqual(sorted(bills.mapped("state")), ["open", "paid"])

    def test_voided_receipt_puts_the_transfer_back_to_match(self):
        self._import(statement_file(self.rows))
        line = self._line("SN1")
        Line = self.env["account.bank.statement.line"]
        waiting = Line.search(Line._property_waiting_domain())
        self.assertNotIn(line, waiting)
        line.property_receipt_id.sudo(self.manager).action_void("wrong owner")
        self.assertEqual(self.january.state, "open")
        self.assertIn(line, Line.search(Line._property_waiting_domain()))
        self.assertEqual(line.property_match_state, "unmatched")
        self.assertIn("voided", line.property_match_reason)
        self._match_wizard(line, self.cashier,
                           partner_id=self.owner2.id).action_match()
        self.assertEqual(line.property_receipt_id.partner_id, self.owner2)
        self.assertAlmostEqual(line.property_receipt_id.advance_amount, 100.0,
                               msg="owner2 owes nothing: advance credit")
        self.assertEqual(line.property_receipt_id.state, "posted")
        self.assertEqual(self.january.state, "open", "not paid twice")

    def test_debit_lines_are_never_matched(self):
        self._import(statement_file(self.rows))
        line = self._line("SN4")
        self.assertEqual(line.property_match_state, "ignored")
        self.assertEqual(self.february.state, "open",
                         "money out naming a bill pays nothing")
        with self.assertRaisesRegex(UserError, "money out"):
            self._match_wizard(line, self.cashier).action_match()
        self.assertFalse(line.property_receipt_id)

    def test_matching_state_is_guarded_in_write(self):
        self._import(statement_file(self.rows))
        line = self._line("SN6")
        with self.assertRaises(UserError):
            line.sudo(self.accountant).write(
                {"property_match_state": "matched"})
        self.assertEqual(line.property_match_state, "unmatched")

    # -- rights ------------------------------------------------------------------

    def test_portal_owner_can_neither_import_nor_match(self):
        portal = self._create_portal_user(self.owner)
        data = base64.b64encode(statement_file(self.rows)).decode()

        def import_as_portal():
            wizard_id = self._rpc(
                portal, "account.bank.statement.import", "create",
                {"data_file": data, "filename": "s.csv",
                 "property_mapping_id": self.mapping.id})
            self._rpc(portal, "account.bank.statement.import", "import_file",
                      [wizard_id])

        with self.assertRaises(AccessError):
            import_as_portal()
        self.assertFalse(self._lines())
        self._import(statement_file(self.rows))
        line = self._line("SN6")

        def match_as_portal():
            match_id = self._rpc(
                portal, "property.statement.line.match", "create",
                {"line_id": line.id, "partner_id": self.owner.id})
            self._rpc(portal, "property.statement.line.match",
                      "action_match", [match_id])

        with self.assertRaises(AccessError):
            match_as_portal()
        with self.assertRaises(AccessError):
            self._rpc(portal, "property.bank.statement.mapping", "read",
                      [self.mapping.id], ["name"])
        self.assertEqual(line.property_match_state, "unmatched")
        self.assertEqual(self.february.state, "open")

    def test_cashier_cannot_import_statements(self):
        with self.assertRaises(AccessError):
            self._import(statement_file(self.rows), user=self.cashier)
