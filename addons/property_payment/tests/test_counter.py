# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The counter screen (柜台) as the web client drives it: ``default_get``,
``onchange`` on the search box and on the bills, ``create`` when a button is
clicked, then the button's method — all over RPC as the cashier, and refused
to a portal owner and to an internal user without billing rights."""
from lxml import etree

from odoo.exceptions import AccessError, UserError

from .common import PaymentCase

MODEL = "property.counter.payment"


def _plain(value):
    """An onchange value as the web client sends it back on save: many2one
    pairs become ids, x2many commands keep their stored fields."""
    if isinstance(value, (tuple, list)) and len(value) == 2 \
            and isinstance(value[0], int) and isinstance(value[1], str):
        return value[0]
    if isinstance(value, list):
        commands = []
        for command in value:
            command = list(command)
            if command[0] in (0, 1) and isinstance(command[2], dict):
                command[2] = {name: _plain(item)
                              for name, item in command[2].items()}
            commands.append(tuple(command))
        return commands
    return value


class TestCounter(PaymentCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.jan = cls._bill(100.0, "2026-01", lines=[
            ("物业管理费", 70.0), ("电梯费", 30.0)])
        cls.mar = cls._bill(60.0, "2026-03")
        cls.feb = cls._bill(80.5, "2026-02")

    # -- the client ----------------------------------------------------------

    def _open(self, user=None):
        """The values of a new counter screen (the menu's action)."""
        Wizard = self.env[MODEL]
        names = [name for name, field in Wizard._fields.items()
                 if not name.startswith(("create_", "write_", "__"))
                 and name != "id"]
        values = self._rpc(user or self.cashier, MODEL, "default_get", names)
        # the client holds every field of the view, empty when no default
        empty = {"one2many": [], "many2many": [], "float": 0.0,
                 "monetary": 0.0, "integer": 0}
        for name in self.env[MODEL]._onchange_spec():
            if "." not in name and name not in values:
                values[name] = empty.get(Wizard._fields[name].type, False)
        return values

    def _change(self, values, field, user=None, **changes):
        """Type ``changes`` into the screen: the onchange of ``field`` and
        its result merged as the client does; returns (values, warning)."""
        values = dict(values, **changes)
        spec = self.env[MODEL]._onchange_spec()
        result = self._rpc(user or self.cashier, MODEL, "onchange", [],
                           values, field, spec)
        for name, value in result.get("value", {}).items():
            values[name] = _plain(value)
        return values, result.get("warning")

    def _find(self, text, values=None, user=None):
        values, _warning = self._change(
            values if values is not None else self._open(user), "query",
            user=user, query=text)
        return values

    def _save(self, values, user=None):
        """``create`` with what the client sends: the stored fields."""
        Wizard = self.env[MODEL]
        stored = {}
        for name, value in values.items():
            field = Wizard._fields.get(name)
            if not field or not field.store or field.compute or \
                    name in ("id",) or name.startswith(("create_", "write_")):
                continue
            if field.type == "one2many":
                Line = self.env[field.comodel_name]
                value = [
                    (c[0], c[1], {k: v for k, v in c[2].items()
                                  if Line._fields[k].store
                                  and not Line._fields[k].compute})
                    if c[0] in (0, 1) else c for c in value or []]
            stored[name] = value
        return self._rpc(user or self.cashier, MODEL, "create", stored)

    def _collect(self, values, user=None):
        """Click Collect: save, call ``action_collect``; (action, receipt)."""
        user = user or self.cashier
        wizard_id = self._save(values, user)
        action = self._rpc(user, MODEL, "action_collect", [wizard_id])
        wizard = self.env[MODEL].browse(wizard_id)
        return action, wizard, wizard.last_receipt_id

    def _tick(self, values, invoice):
        """Tick the bill ``invoice``: the onchange of the bills."""
        commands = []
        for command in values["bill_ids"]:
            if command[0] == 0 and command[2]["invoice_id"] == invoice.id:
                command = (0, 0, dict(command[2], to_pay=True))
            commands.append(command)
        values, _warning = self._change(values, "bill_ids", bill_ids=commands)
        return values

    def _bills(self, values):
        return [c[2]["invoice_id"] for c in values.get("bill_ids", [])
                if c[0] == 0]

    # -- search --------------------------------------------------------------

    def test_search_by_unit_code_shows_open_bills_oldest_first(self):
        values = self._find(self.unit.code)
        self.assertEqual(values["payer_id"], self.owner.id)
        self.assertEqual(values["estate_id"], self.estate.id)
        self.assertEqual(values["unit_names"], self.unit.code)
        self.assertEqual(self._bills(values),
                         [self.jan.id, self.feb.id, self.mar.id])
        self.assertAlmostEqual(values["total_due"], 240.5)
        self.assertAlmostEqual(values["amount"], 240.5)
        self.assertAlmostEqual(values["advance_balance"], 0.0)
        first = [c[2] for c in values["bill_ids"] if c[0] == 0][0]
        self.assertEqual(first["number"], self.jan.number)
        self.assertEqual(first["period"], "2026-01")
        self.assertEqual(first["fee_items"], "物业管理费, 电梯费")
        self.assertAlmostEqual(first["residual"], 100.0)
        self.assertFalse(values.get("message"))

    def test_search_by_estate_and_unit_code(self):
        other = self._create_estate()
        self._create_unit(estate_id=other.id, code=self.unit.code)
        values = self._find("%s %s" % (self.estate.code.lower(), self.unit.code))
        self.assertEqual(values["payer_id"], self.owner.id)
        self.assertEqual(values["estate_id"], self.estate.id)

    def test_search_by_owner_name_and_by_mobile(self):
        for text in (self.owner.name, self.owner.name.upper(),
                     self.owner.mobile,
                     "%s-%s-%s" % (self.owner.mobile[:3], self.owner.mobile[3:7],
                                   self.owner.mobile[7:])):
            values = self._find(text)
            self.assertEqual(values["payer_id"], self.owner.id, text)
            self.assertEqual(len(self._bills(values)), 3, text)

    def test_several_payers_are_listed_and_one_keystroke_picks_one(self):
        first = self._create_owner(name="Zhang Wei A")
        second = self._create_owner(name="Zhang Wei B")
        for partner in (first, second):
            unit = self._create_unit()
            self._create_occupancy(unit_id=unit.id, partner_id=partner.id)
        self._bill(45.0, "2026-03", partner=second, unit=unit)
        values = self._find("zhang wei")
        self.assertFalse(values["payer_id"])
        candidates = [c[2] for c in values["candidate_ids"] if c[0] == 0]
        self.assertEqual([(c["sequence"], c["partner_id"]) for c in candidates],
                         [(1, first.id), (2, second.id)])
        self.assertIn("2 payers match", values["message"])
        picked = self._find("2", values)
        self.assertEqual(picked["payer_id"], second.id)
        self.assertAlmostEqual(picked["total_due"], 45.0)
        self.assertFalse([c for c in picked.get("candidate_ids", [])
                          if c[0] == 0])
        # or click Take on the first one
        wizard_id = self._save(values)
        wizard = self.env[MODEL].browse(wizard_id)
        candidate = wizard.candidate_ids.filtered(
            lambda c: c.partner_id == first)
        self._rpc(self.cashier, "property.counter.payment.candidate",
                  "action_pick", [candidate.id])
        wizard.invalidate_cache()
        self.assertEqual(wizard.payer_id, first)
        self.assertFalse(wizard.candidate_ids)

    def test_no_match_says_so(self):
        values, warning = self._change(self._open(), "query",
                                       query="9-9-9999 nobody")
        self.assertFalse(values["payer_id"])
        self.assertIn("Nobody found", values["message"])
        self.assertEqual(warning["message"], values["message"])

    # -- collecting ----------------------------------------------------------

    def test_cash_with_change_pays_oldest_first_and_the_last_in_part(self):
        values = self._find(self.unit.code)
        values, _warning = self._change(values, "amount", amount=200.0)
        values, _warning = self._change(values, "tendered", tendered=250.0)
        self.assertAlmostEqual(values["change_amount"], 50.0)
        previews = {c[2]["invoice_id"]: c[2]["preview_amount"]
                    for c in values["bill_ids"] if c[0] == 0}
        self.assertEqual(previews, {self.jan.id: 100.0, self.feb.id: 80.5,
                                    self.mar.id: 19.5})
        action, wizard, receipt = self._collect(values)
        self.assertEqual(receipt.channel_code, "cash")
        self.assertAlmostEqual(receipt.amount, 200.0)
        self.assertAlmostEqual(receipt.tendered_amount, 250.0)
        self.assertAlmostEqual(receipt.change_amount, 50.0)
        self.assertEqual(receipt.cashier_id, self.cashier)
        self.assertEqual(receipt.partner_id, self.owner)
        self.assertEqual((self.jan.state, self.feb.state, self.mar.state),
                         ("paid", "paid", "open"))
        self.assertAlmostEqual(self.mar.residual, 40.5)
        self.assertEqual(
            [(line.invoice_id, line.amount) for line in receipt.line_ids],
            [(self.jan, 70.0), (self.jan, 30.0), (self.feb, 80.5),
             (self.mar, 19.5)])
        # the receipt is printed and the screen is ready for the next owner
        if self.env.ref("property_payment.action_report_property_receipt",
                        raise_if_not_found=False):
            self.assertEqual(action["type"], "ir.actions.report")
            self.assertEqual(action["context"]["active_ids"], [receipt.id])
        else:
            self.assertEqual((action["res_model"], action["res_id"]),
                             ("property.receipt", receipt.id))
        self.assertFalse(wizard.payer_id or wizard.bill_ids or wizard.query)
        self.assertEqual(wizard.channel_code, "cash")
        self.assertIn(receipt.name, wizard.last_message)
        self.assertIn("change", wizard.last_message)

    def test_without_the_receipt_report_the_receipt_opens(self):
        report = self.env.ref(
            "property_payment.action_report_property_receipt",
            raise_if_not_found=False)
        if report:
            self.env["ir.model.data"].search([
                ("module", "=", "property_payment"),
                ("name", "=", "action_report_property_receipt")]).unlink()
            report.unlink()
        action, _wizard, receipt = self._collect(self._find(self.unit.code))
        self.assertEqual(
            (action["type"], action["res_model"], action["res_id"]),
            ("ir.actions.act_window", "property.receipt", receipt.id))

    def test_exact_cash_without_tendered_gives_no_change(self):
        _action, _wizard, receipt = self._collect(self._find(self.unit.code))
        self.assertAlmostEqual(receipt.amount, 240.5)
        self.assertAlmostEqual(receipt.change_amount, 0.0)
        self.assertEqual({self.jan.state, self.feb.state, self.mar.state},
                         {"paid"})

    def test_overpayment_is_advance_credit_shown_next_time(self):
        values = self._find(self.unit.code)
        values, _warning = self._change(values, "amount", amount=300.0)
        self.assertAlmostEqual(values["advance_preview"], 59.5)
        _action, _wizard, receipt = self._collect(values)
        self.assertAlmostEqual(receipt.advance_amount, 59.5)
        self.assertEqual({self.jan.state, self.feb.state, self.mar.state},
                         {"paid"})
        again = self._find(self.owner.mobile)
        self.assertEqual(again["payer_id"], self.owner.id)
        self.assertAlmostEqual(again["advance_balance"], 59.5)
        self.assertEqual(self._bills(again), [])
        self.assertAlmostEqual(again["total_due"], 0.0)
        self.assertIn("no open bill", again["message"])

    def test_ticked_bills_only(self):
        values = self._tick(self._find(self.unit.code), self.mar)
        self.assertAlmostEqual(values["amount"], 60.0)
        _action, _wizard, receipt = self._collect(values)
        self.assertEqual(receipt.line_ids.mapped("invoice_id"), self.mar)
        self.assertEqual((self.jan.state, self.feb.state, self.mar.state),
                         ("open", "open", "paid"))

    def test_card_wechat_alipay_post_to_their_own_journals(self):
        journals = self.env["account.journal"]
        for code in ("cash", "card", "wechat", "alipay"):
            values = self._find(self.unit.code)
            values, _warning = self._change(values, "channel_code",
                                            channel_code=code)
            values["amount"] = 10.0
            _action, _wizard, receipt = self._collect(values)
            channel = self.env["property.payment.channel"]._get(
                code, self.company)
            self.assertEqual(receipt.channel_id, channel)
            self.assertEqual(receipt.payment_id.journal_id, channel.journal_id)
            self.assertEqual(receipt.payment_id.state, "posted")
            self.assertAlmostEqual(receipt.change_amount, 0.0)
            journals |= channel.journal_id
        self.assertEqual(len(journals), 4)
        self.assertAlmostEqual(self.jan.residual, 60.0)

    # -- bad input: a clear message, nothing taken ---------------------------

    def _assert_refused(self, values, message):
        receipts = self.env["property.receipt"].search_count([])
        wizard_id = self._save(values)
        with self.assertRaisesRegex(UserError, message):
            self._rpc(self.cashier, MODEL, "action_collect", [wizard_id])
        self.assertEqual(self.env["property.receipt"].search_count([]),
                         receipts)
        self.assertEqual({self.jan.state, self.feb.state, self.mar.state},
                         {"open"})
        self.assertAlmostEqual(self.jan.residual, 100.0)

    def test_zero_or_negative_amount_is_refused(self):
        for amount in (0.0, -10.0):
            values = dict(self._find(self.unit.code), amount=amount)
            self._assert_refused(values, "more than zero")

    def test_tendered_less_than_amount_is_refused(self):
        values = dict(self._find(self.unit.code), tendered=200.0)
        values, _warning = self._change(values, "tendered")
        self.assertAlmostEqual(values["short_amount"], 40.5)
        self._assert_refused(values, "less than the amount")

    def test_no_payer_is_refused(self):
        self._assert_refused(dict(self._open(), amount=50.0), "Find the payer")

    def test_ticked_bill_no_longer_open_is_refused(self):
        values = self._tick(self._find(self.unit.code), self.feb)
        self.feb.journal_id.update_posted = True
        self.feb.action_invoice_cancel()
        self.assertEqual(self.feb.state, "cancel")
        receipts = self.env["property.receipt"].search_count([])
        wizard_id = self._save(values)
        with self.assertRaisesRegex(UserError, "cancelled"):
            self._rpc(self.cashier, MODEL, "action_collect", [wizard_id])
        self.assertEqual(self.env["property.receipt"].search_count([]),
                         receipts)
        self.assertEqual((self.jan.state, self.mar.state), ("open", "open"))

    def test_ticked_bill_paid_meanwhile_is_refused(self):
        values = self._tick(self._find(self.unit.code), self.jan)
        self._pay(100.0, invoices=self.jan)
        with self.assertRaisesRegex(UserError, "already paid"):
            self._rpc(self.cashier, MODEL, "action_collect",
                      [self._save(values)])
        self.assertAlmostEqual(self.feb.residual, 80.5)

    def test_errors_in_the_users_language(self):
        self._load_lang("zh_CN")
        self.cashier.lang = "zh_CN"
        values, _warning = self._change(self._open(), "query",
                                        query="nobody-at-all")
        self.assertIn("未找到“nobody-at-all”", values["message"])
        with self.assertRaisesRegex(UserError, "请先找到缴费人"):
            self._rpc(self.cashier, MODEL, "action_collect",
                      [self._save(dict(self._open(), amount=10.0))])
        values = dict(self._find(self.unit.code), channel_code="transfer")
        with self.assertRaisesRegex(ValueError, "transfer"):
            # not a counter channel: the screen's selection refuses it
            self._rpc(self.cashier, MODEL, "create", {
                "payer_id": values["payer_id"], "channel_code": "transfer"})

    # -- the screen ------------------------------------------------------------

    def test_menu_opens_the_screen_ready_for_the_keyboard(self):
        action = self.env.ref("property_payment.property_counter_payment_action")
        self.assertEqual((action.res_model, action.target, action.view_mode),
                         (MODEL, "current", "form"))
        menu = self.env.ref("property_payment.property_counter_payment_menu")
        self.assertEqual(menu.parent_id,
                         self.env.ref("property_payment.menu_payment_root"))
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.sudo(self.cashier)._visible_menu_ids())
        employee = self._create_user("employee", [], name="Employee")
        self.assertNotIn(menu.id, Menu.sudo(employee)._visible_menu_ids())
        arch = self._rpc(self.cashier, MODEL, "fields_view_get",
                         action.view_id.id, "form")["arch"]
        form = etree.fromstring(arch)
        query = form.xpath("//field[@name='query']")[0]
        self.assertEqual(query.get("default_focus"), "1")
        keys = {button.get("name"): button.get("accesskey")
                for button in form.xpath("//button[@accesskey]")}
        self.assertEqual(keys, {"action_collect": "k", "action_clear": "r"})
        help_line = " ".join(form.xpath("//ul//li/text()"))
        self.assertIn("Alt+K", help_line)
        self.assertIn("Alt+R", help_line)

    def test_next_owner_clears_the_screen(self):
        wizard_id = self._save(self._find(self.unit.code))
        self._rpc(self.cashier, MODEL, "action_clear", [wizard_id])
        wizard = self.env[MODEL].browse(wizard_id)
        self.assertFalse(wizard.payer_id or wizard.bill_ids or wizard.query)
        self.assertEqual(self.jan.state, "open")

    # -- rights ----------------------------------------------------------------

    def test_portal_owner_and_non_cashier_cannot_use_the_counter(self):
        portal = self._create_portal_user(self.owner)
        employee = self._create_user("employee", [], name="Employee")
        values = self._find(self.unit.code)
        wizard_id = self._save(values)
        candidate = self.env["property.counter.payment.candidate"].sudo(
            self.cashier).create({"wizard_id": wizard_id,
                                  "partner_id": self.owner.id,
                                  "estate_id": self.estate.id})
        bill_line = self.env[MODEL].browse(wizard_id).bill_ids[:1]
        spec = self.env[MODEL]._onchange_spec()
        for user in (portal, employee):
            calls = [
                (MODEL, "default_get", (["query"],)),
                (MODEL, "onchange", ([], dict(values, query=self.unit.code),
                                     "query", spec)),
                (MODEL, "create", ({"query": self.unit.code},)),
                (MODEL, "read", ([wizard_id], ["bill_ids", "total_due"])),
                (MODEL, "search_read", ([], ["payer_id"])),
                (MODEL, "action_collect", ([wizard_id],)),
                (MODEL, "action_clear", ([wizard_id],)),
                ("property.counter.payment.candidate", "action_pick",
                 ([candidate.id],)),
                ("property.counter.payment.bill", "read",
                 ([bill_line.id], ["number", "residual"])),
                ("property.counter.payment.bill", "create",
                 ({"wizard_id": wizard_id, "invoice_id": self.jan.id},)),
            ]
            for model, method, args in calls:
                if method == "default_get":
                    # default values hold nobody's data: allowed, empty
                    self.assertFalse(self._rpc(user, model, method, *args).get(
                        "query"))
                    continue
                with self.assertRaises(AccessError, msg="%s %s" % (
                        user.login, method)):
                    self._rpc(user, model, method, *args)
        self.assertFalse(self.env["property.receipt"].search(
            [("partner_id", "=", self.owner.id)]))
        self.assertEqual(self.jan.state, "open")
