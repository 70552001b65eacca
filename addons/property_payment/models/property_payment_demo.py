# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The payments demo (demo/property_payment_demo.xml): money taken on the
posted demo bills of an estate, on every channel, through the add-on's own
entry points, as the demo users would.

- counter (柜台) payments by the cashier in cash (with change), bank card,
  WeChat Pay and Alipay, yesterday and today, a few of them overpaid (advance
  credit, 预存); the demo owner pays twice (part of the bill, then the rest
  and some credit);
- one receipt voided by the manager with a reason, its bill taken again;
- yesterday's counter day closed by the cashier with a small cash
  difference and its reason; today stays open;
- a bank statement (CSV, GB18030, the default mapping) imported by the
  accountant: most lines match (bill number in the memo, unit code,
  registered bank account), a few wait in Transfers to Match with their
  reason (unknown payer, an amount no bill has, bills of two payers) and one
  bank fee is not a payment;
- an auto-debit (代扣): mandates for a few payers, a debit order, its request
  file (送盘) and the bank's return file (回盘) with successes and one
  failure (余额不足).

Deterministic (seeded), and idempotent step by step: a step whose records
exist already is skipped, so a second call creates nothing.
"""
import base64
import datetime
import logging
import random
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.property_billing.rules.constants import TRACKING_OFF

from ..rules import channels
from ..rules import debit_files

_logger = logging.getLogger(__name__)

COUNTER_CHANNELS = (channels.CASH, channels.CARD, channels.WECHAT,
                    channels.ALIPAY)
# how many payers each step takes (the demo estate has about 80)
DEFAULT_SIZES = {
    "counter_yesterday": 8,
    "counter_today": 8,
    "statement_bill": 6,
    "statement_unit": 2,
    "statement_account": 2,
    "debit": 4,
}
# extra money paid ahead by some counter payers (advance credit)
ADVANCES = (Decimal("200.00"), Decimal("500.00"), Decimal("100.00"))
CASH_SHORT = Decimal("10.00")
STATEMENT_MAPPING = "property_payment.property_bank_statement_mapping_cn_default"
STATEMENT_HEADER = ["交易日期", "借方发生额", "贷方发生额", "对方户名", "对方账号",
                    "摘要", "流水号"]
UNKNOWN_PAYER = "王䶮"  # not a payer; gbk cannot write the second character
DEBIT_FAILURE = ("3008", "余额不足")
DEBIT_SUCCESS = ("0000", "成功")
CLOSING_REASON = "找零差错，现金短款 (change miscounted, cash short)"
VOID_REASON = "收款渠道选错，已按微信支付重新收款 (wrong channel: taken " \
              "again as WeChat Pay)"
DEMO_USERS = {
    "cashier": "property_billing.user_clerk_demo",
    "manager": "property_billing.user_manager_demo",
    "accountant": "property_billing.user_accountant_demo",
}
DEMO_OWNER = "property_billing.demo_owner_partner"


def _decimal(value):
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _money(value):
    return "%.2f" % value


class PropertyPaymentDemo(models.AbstractModel):
    _name = "property.payment.demo"
    _description = "Payments demo builder"

    @api.model
    def _demo_payments(self, estate_code, seed=42, users=None, owner_id=None,
                       sizes=None):
        """Build the payments demo on the open bills of the estate
        ``estate_code`` (see the module docstring). ``users`` ({'cashier',
        'manager', 'accountant': user id}) and ``owner_id`` (the demo owner)
        default to the suite's demo records. Returns {step: records made}
        ({} when the estate, its bills or the users are missing)."""
        if not self.env.user._is_superuser() and \
                not self.env.user.has_group("base.group_system"):
            raise AccessError(_("Only administrators build demo data."))
        env = self.env(context=dict(self.env.context, **TRACKING_OFF))
        builder = self.with_env(env)
        estate = env["property.estate"].search(
            [("code", "=", estate_code)], limit=1)
        users = builder._demo_users(users)
        if not estate or not users:
            _logger.info("payments demo: no estate %s or no demo users",
                         estate_code)
            return {}
        owner = env["res.partner"].browse(owner_id) if owner_id else \
            env.ref(DEMO_OWNER, raise_if_not_found=False)
        bills = builder._demo_bills(estate)
        if not bills:
            # no chart of accounts: nothing was billed
            _logger.info("payments demo: %s has no posted bill", estate.name)
            return {}
        builder._demo_load_translations()
        for code in COUNTER_CHANNELS + (channels.TRANSFER, channels.DEBIT):
            # the channels' names in English, the source of their translations
            env["property.payment.channel"].with_context(lang="en_US")._get(
                code, estate.company_id)
        plan = builder._demo_plan(estate, bills, owner, seed,
                                  dict(DEFAULT_SIZES, **(sizes or {})))
        today = fields.Date.from_string(
            env["property.payment.service"]._local_today(estate))
        done = {}
        done["counter"] = builder._demo_counter(estate, plan, users, today)
        done["void"] = builder._demo_void(estate, plan, users, today)
        done["closing"] = builder._demo_closing(estate, users, today)
        done["statement"] = builder._demo_statement(estate, plan, users, today)
        done["debit"] = builder._demo_debit(estate, plan, users, today)
        _logger.info("payments demo of %s: %s", estate.name, {
            step: len(records) for step, records in done.items()})
        return done

    # -- preparation -------------------------------------------------------------

    @api.model
    def _demo_as(self, records, user):
        """``records`` as ``user`` would use them, in the user's language."""
        return records.sudo(user).with_context(lang=user.lang or "en_US")

    @api.model
    def _demo_load_translations(self):
        """Load the add-on's translations of the installed languages, as the
        end of its installation will: the receipts of the demo are written
        in their cashiers' language."""
        Translation = self.env["ir.translation"]
        langs = [code for code, _name in self.env["res.lang"].get_installed()
                 if code != "en_US" and not Translation.search_count(
                     [("module", "=", "property_payment"),
                      ("lang", "=", code)])]
        module = self.env["ir.module.module"].search(
            [("name", "=", "property_payment")])
        if langs and module:
            module._update_translations(filter_lang=langs)

    @api.model
    def _demo_users(self, users):
        """{'cashier', 'manager', 'accountant': res.users} or {} when one is
        missing."""
        found = {}
        for role, xmlid in DEMO_USERS.items():
            user_id = (users or {}).get(role)
            user = self.env["res.users"].browse(user_id) if user_id else \
                self.env.ref(xmlid, raise_if_not_found=False)
            if not user:
                return {}
            found[role] = user
        return found

    @api.model
    def _demo_bills(self, estate):
        """The posted bills of ``estate``, paid or not: the plan is drawn
        from them, so that a second call draws the same payers."""
        return self.env["account.invoice"].search([
            ("property_estate_id", "=", estate.id),
            ("state", "in", ("open", "paid")),
            ("type", "=", "out_invoice")], order="number, id")

    @api.model
    def _demo_plan(self, estate, bills, owner, seed, sizes):
        """The payers of each step, drawn with ``seed`` from the payers of
        the posted ``bills`` (the demo owner apart): the same payers at
        every call. A payer with nothing left to pay is passed over by the
        steps."""
        owner = owner.commercial_partner_id if owner else owner
        payers, unit_payers = [], {}
        for bill in bills:
            payer = bill.commercial_partner_id
            unit_payers.setdefault(bill.property_unit_id, set()).add(payer)
            if payer != owner and payer not in payers:
                payers.append(payer)
        random.Random(seed).shuffle(payers)
        # a unit code in a memo names its payer only when the unit's bills
        # are all that payer's
        alone = {payer for payer in payers if all(
            unit_payers[bill.property_unit_id] == {payer}
            for bill in bills if bill.commercial_partner_id == payer)}
        plan = {"owner": owner if owner and bills.filtered(
            lambda bill: bill.commercial_partner_id == owner) else None}
        for step in ("counter_yesterday", "counter_today", "statement_bill",
                     "statement_unit", "statement_account", "debit"):
            fit = [payer for payer in payers
                   if step != "statement_unit" or payer in alone]
            plan[step] = fit[:sizes[step]]
            payers = [payer for payer in payers if payer not in plan[step]]
        # left open: one whose name comes with an amount none of their bills
        # has, and two whose bills one transfer names together
        plan["open"] = payers
        return plan

    @api.model
    def _demo_due(self, estate, payer):
        """What ``payer`` still owes in ``estate`` (Decimal)."""
        bills = self.env["account.invoice"].search([
            ("commercial_partner_id", "=", payer.id), ("state", "=", "open"),
            ("type", "=", "out_invoice"),
            ("property_estate_id", "=", estate.id)])
        return sum((_decimal(bill.residual) for bill in bills), Decimal(0))

    # -- counter (柜台) ------------------------------------------------------------

    @api.model
    def _demo_counter(self, estate, plan, users, today):
        """Counter receipts of yesterday and today, every counter channel in
        turn, cash with change; the first payers of each day overpay."""
        Receipt = self.env["property.receipt"]
        cashier = users["cashier"]
        if Receipt.search_count([("estate_id", "=", estate.id),
                                 ("cashier_id", "=", cashier.id),
                                 ("channel_id.kind", "=", "counter")]):
            return Receipt
        service = self._demo_as(self.env["property.payment.service"], cashier)
        receipts = Receipt
        yesterday = today - datetime.timedelta(days=1)
        owner = plan["owner"]
        due = self._demo_due(estate, owner) if owner else Decimal(0)
        if due > 0:
            # the demo owner: part of the bill on WeChat yesterday, the rest
            # and some credit in cash today
            part = min(Decimal("100.00"), (due / 2).quantize(Decimal("0.01")))
            receipts |= service._pay(
                owner, float(part), channels.WECHAT, estate=estate,
                date=fields.Date.to_string(yesterday),
                serial="4200000%s0001" % yesterday.strftime("%Y%m%d"))
            amount = due - part + Decimal("100.00")
            receipts |= service._pay(
                owner, float(amount), channels.CASH, estate=estate,
                date=fields.Date.to_string(today),
                tendered=float(self._demo_tendered(amount)))
        for day, key in ((yesterday, "counter_yesterday"),
                         (today, "counter_today")):
            for number, payer in enumerate(plan[key]):
                code = COUNTER_CHANNELS[number % len(COUNTER_CHANNELS)]
                amount = self._demo_due(estate, payer)
                if number < len(ADVANCES) and day == today:
                    amount += ADVANCES[number]
                if amount <= 0:
                    continue
                receipts |= service._pay(
                    payer, float(amount), code, estate=estate,
                    date=fields.Date.to_string(day),
                    serial=self._demo_counter_serial(code, day, number),
                    tendered=float(self._demo_tendered(amount))
                    if code == channels.CASH else None)
        return receipts

    @api.model
    def _demo_tendered(self, amount):
        """The banknotes an owner hands over: the amount rounded up to the
        next 50 yuan (at least one yuan of change)."""
        fifty = Decimal("50")
        return ((amount + 1) / fifty).to_integral_value(
            rounding="ROUND_CEILING") * fifty

    @api.model
    def _demo_counter_serial(self, code, day, number):
        """The terminal's or gateway's serial number (none for cash)."""
        prefix = {channels.CARD: "POS", channels.WECHAT: "4200000",
                  channels.ALIPAY: "2026"}.get(code)
        if not prefix:
            return None
        return "%s%s%04d" % (prefix, day.strftime("%Y%m%d"), number + 2)

    # -- void ------------------------------------------------------------------

    @api.model
    def _demo_void(self, estate, plan, users, today):
        """The manager voids today's first card receipt (the owner paid by
        WeChat); the cashier takes the money again on WeChat."""
        Receipt = self.env["property.receipt"]
        if Receipt.search_count([("estate_id", "=", estate.id),
                                 ("state", "=", "void")]):
            return Receipt
        receipt = Receipt.search([
            ("estate_id", "=", estate.id), ("state", "=", "posted"),
            ("channel_code", "=", channels.CARD),
            ("date", "=", fields.Date.to_string(today)),
            ("cashier_id", "=", users["cashier"].id)], order="id", limit=1)
        if not receipt:
            return Receipt
        self._demo_as(receipt, users["manager"]).action_void(VOID_REASON)
        service = self._demo_as(self.env["property.payment.service"],
                                users["cashier"])
        again = service._pay(
            receipt.partner_id, receipt.amount, channels.WECHAT,
            invoices=receipt.line_ids.mapped("invoice_id") or None,
            estate=estate, date=fields.Date.to_string(today),
            serial="4200000%s9001" % today.strftime("%Y%m%d"))
        return receipt | again

    # -- daily closing (日结) --------------------------------------------------------

    @api.model
    def _demo_closing(self, estate, users, today):
        """Yesterday's closing of the cashier: the cash counted is short by
        ``CASH_SHORT``, with the reason; today stays open."""
        Closing = self.env["property.cash.closing"]
        cashier = users["cashier"]
        if Closing.search_count([("cashier_id", "=", cashier.id),
                                 ("company_id", "=", estate.company_id.id),
                                 ("state", "=", "closed")]):
            return Closing
        yesterday = fields.Date.to_string(today - datetime.timedelta(days=1))
        closing = Closing.search([
            ("cashier_id", "=", cashier.id), ("date", "=", yesterday),
            ("company_id", "=", estate.company_id.id)], limit=1)
        if not closing:
            closing = self._demo_as(Closing, cashier).create({
                "cashier_id": cashier.id, "date": yesterday,
                "company_id": estate.company_id.id})
        closing = self._demo_as(closing, cashier)
        cash = closing.line_ids.filtered(
            lambda line: line.channel_code == channels.CASH)
        if cash:
            counted = max(_decimal(cash.expected_amount) - CASH_SHORT,
                          Decimal(0))
            cash.write({"counted_amount": float(counted),
                        "reason": CLOSING_REASON})
        closing.action_close()
        return closing.sudo()

    # -- bank transfers (转账) ---------------------------------------------------------

    @api.model
    def _demo_statement(self, estate, plan, users, today):
        """A bank statement CSV (GB18030, the default mapping) imported and
        auto-matched by the accountant."""
        Line = self.env["account.bank.statement.line"]
        mapping = self.env.ref(STATEMENT_MAPPING, raise_if_not_found=False)
        prefix = self._demo_serial_prefix(estate)
        if not mapping or Line.search_count(
                [("property_serial", "=like", prefix + "%")]):
            return Line
        rows = self._demo_statement_rows(estate, plan, today, prefix)
        if not rows:
            return Line
        data = self._demo_statement_file(estate, rows)
        accountant = users["accountant"]
        wizard = self._demo_as(
            self.env["account.bank.statement.import"], accountant).create({
                "data_file": base64.b64encode(data),
                "filename": "%s_statement_%s.csv" % (
                    estate.code, today.strftime("%Y%m%d")),
                "property_mapping_id": mapping.id,
            })
        wizard.import_file()
        return Line.search([("property_serial", "=like", prefix + "%")])

    @api.model
    def _demo_serial_prefix(self, estate):
        return "%s-BK" % estate.code

    @api.model
    def _demo_statement_rows(self, estate, plan, today, prefix):
        """[date, debit, credit, name, account, memo, serial] rows."""
        first = max(today.replace(day=1), today - datetime.timedelta(days=3))
        days = [first + datetime.timedelta(days=n)
                for n in range((today - first).days + 1)]
        rows = []

        def add(debit, credit, name, account, memo):
            if not debit and Decimal(credit) <= 0:
                return  # nothing left to pay
            day = days[len(rows) % len(days)]
            rows.append([fields.Date.to_string(day), debit, credit, name,
                         account, memo,
                         "%s%s%04d" % (prefix, day.strftime("%Y%m%d"),
                                       len(rows) + 1)])

        for payer in plan["statement_bill"]:
            bills = self._demo_payer_bills(estate, payer)
            add("", _money(sum(_decimal(b.residual) for b in bills)),
                payer.name, "", "物业费 %s" % " ".join(bills.mapped("number")))
        for payer in plan["statement_unit"]:
            bills = self._demo_payer_bills(estate, payer)
            unit = bills.mapped("property_unit_id")[:1]
            if not unit:
                continue
            add("", _money(sum(_decimal(b.residual) for b in bills)),
                payer.name, "", "%s %s 物业费" % (estate.code, unit.code))
        for number, payer in enumerate(plan["statement_account"]):
            bank = self._demo_bank_account(
                payer, "62220210%04d%07d" % (estate.id, payer.id))
            # the first one pays a year ahead: advance credit
            extra = Decimal("300.00") if not number else Decimal(0)
            add("", _money(self._demo_due(estate, payer) + extra),
                payer.name, bank.acc_number, "转账")
        waiting = plan["open"]
        # an unknown payer
        add("", "150.00", UNKNOWN_PAYER, "6217000099990001", "转账")
        if waiting and self._demo_due(estate, waiting[0]):
            # a payer's name with an amount none of their bills has
            add("", _money(self._demo_due(estate, waiting[0]) + Decimal("0.50")),
                waiting[0].name, "", "缴费")
        if len(waiting) >= 3:
            # one transfer for the bills of two payers
            bills = self._demo_payer_bills(estate, waiting[1])[:1] | \
                self._demo_payer_bills(estate, waiting[2])[:1]
            add("", _money(sum(_decimal(b.residual) for b in bills)),
                waiting[1].name, "",
                "代缴 %s" % " ".join(bills.mapped("number")))
        # the bank's fee: money out, not a payment
        add("5.00", "", "", "", "手续费")
        return rows

    @api.model
    def _demo_payer_bills(self, estate, payer):
        return self.env["account.invoice"].search([
            ("commercial_partner_id", "=", payer.id), ("state", "=", "open"),
            ("type", "=", "out_invoice"),
            ("property_estate_id", "=", estate.id)],
            order="date_due, date_invoice, number, id")

    @api.model
    def _demo_bank_account(self, partner, number):
        Bank = self.env["res.partner.bank"]
        bank = Bank.search([("partner_id", "=", partner.id)], limit=1)
        return bank or Bank.create({"acc_number": number,
                                    "partner_id": partner.id})

    @api.model
    def _demo_statement_file(self, estate, rows):
        """The CSV as a Chinese bank exports it: a preamble, the header,
        the transactions; GB18030."""
        preamble = [["账号", estate.bank_account or ""],
                    ["户名", estate.name]]
        lines = [",".join(row) for row in preamble + [STATEMENT_HEADER] + rows]
        return "\r\n".join(lines).encode("gb18030")

    # -- auto-debit (代扣) ---------------------------------------------------------------

    @api.model
    def _demo_debit(self, estate, plan, users, today):
        """Mandates, a debit order, its request file (送盘) and the bank's
        return file (回盘): every payer debited but the last (余额不足)."""
        Mandate = self.env["account.banking.mandate"]
        payers = plan["debit"]
        if Mandate.search_count(
                [("partner_id", "in", [p.id for p in payers])]):
            return Mandate
        payers = [payer for payer in payers if self._demo_due(estate, payer)]
        if not payers:
            return Mandate
        company = estate.company_id
        for payer in payers:
            bank = self._demo_bank_account(
                payer, "62170000%04d%07d" % (estate.id, payer.id))
            mandate = Mandate.create({
                "partner_bank_id": bank.id,
                "signature_date": fields.Date.to_string(
                    today - datetime.timedelta(days=60)),
                "company_id": company.id})
            mandate.validate()
        cashier = users["cashier"]
        mode = self._demo_as(self.env["account.payment.mode"],
                             cashier)._property_debit_mode(company)
        order = self._demo_as(self.env["account.payment.order"], cashier).create(
            {"payment_mode_id": mode.id})
        # the bills of these payers only: other payers of the company with a
        # mandate are not this demo's
        receivables = self.env["account.move.line"]
        for payer in payers:
            for bill in self._demo_payer_bills(estate, payer):
                receivables |= bill.move_id.line_ids.filtered(
                    lambda aml: aml.account_id == bill.account_id
                    and not aml.reconciled)
        self._demo_as(receivables,
                      cashier).create_payment_line_from_move_line(order)
        if not order.payment_line_ids:
            return order
        order.draft2open()
        order.open2generated()
        order.generated2uploaded()
        template = order._property_template()
        answers = []
        bank_lines = order.bank_line_ids.sorted("property_debit_seq")
        for number, bank_line in enumerate(bank_lines):
            code, reason = DEBIT_FAILURE if number == len(bank_lines) - 1 \
                and len(bank_lines) > 1 else DEBIT_SUCCESS
            answers.append(debit_files.ReturnLine(
                None, None, bank_line.property_debit_seq,
                bank_line.property_debit_agreement, None, None,
                _decimal(bank_line.property_debit_amount), code, reason,
                "DK%s%04d" % (today.strftime("%Y%m%d"), number + 1)
                if code == DEBIT_SUCCESS[0] else "", "", None, None))
        data = debit_files.render_return(template._spec(), order.name, today,
                                         answers)
        self._demo_as(self.env["property.debit.return.import"], cashier).create({
            "data_file": base64.b64encode(data),
            "filename": "HP_%s.txt" % order.name.replace("/", "_"),
            "order_id": order.id,
        }).action_import()
        return order.sudo()
