# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The counter (柜台) cashier screen: one search, one amount, one click.

The cashier types a unit code, an estate code and a unit code, an owner's
name or a mobile; the screen shows the payer, the units, the open bills
oldest first with the total due and the payer's advance credit; the cashier
picks the channel (cash by default, card, WeChat Pay, Alipay), the amount
(the total due unless bills are ticked) and, for cash, what the owner handed
over; *Collect* takes the payment through the allocation service
(``property.payment.service._pay_one``, its batch path), prints the receipt
and clears the screen for the next owner.

The screen is a TransientModel, which has no access rights of its own: every
model of it refuses anyone but a cashier in ``check_access_rights``, and every
method that reads the register or bills checks it first, so that neither a
portal owner nor an internal user without billing rights reads other owners'
bills or takes a payment through it over RPC.
"""
from decimal import Decimal

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..rules import allocation, channels, counter

COUNTER_CHANNELS = [code for code, _name in channels.CHANNEL_CODES
                    if channels.is_counter(code)]
RECEIPT_REPORT = "property_payment.action_report_property_receipt"
# Search at most that many units or partners per reading of the query.
SEARCH_LIMIT = 50


def _decimal(value):
    return Decimal(repr(value)) if isinstance(value, float) else \
        Decimal(value or 0)


def _counter_channel_selection(model):
    names = dict(model.env["property.payment.channel"]._fields[
        "code"]._description_selection(model.env))
    return [(code, names.get(code, code)) for code in COUNTER_CHANNELS]


class PropertyCounterMixin(models.AbstractModel):
    """What the counter's transient models share: only cashiers use them."""

    _name = "property.counter.mixin"
    _description = "Counter screen access"

    @api.model
    def _check_cashier(self):
        """AccessError unless the user takes payments (the service's rule)."""
        self.env["property.payment.service"]._check_cashier()

    @api.model
    def check_access_rights(self, operation, raise_exception=True):
        # A TransientModel is open to every user: the counter is not.
        if self.env.uid != SUPERUSER_ID:
            try:
                self._check_cashier()
            except AccessError:
                if raise_exception:
                    raise
                return False
        return super().check_access_rights(
            operation, raise_exception=raise_exception)


class PropertyCounterPayment(models.TransientModel):
    _name = "property.counter.payment"
    _inherit = "property.counter.mixin"
    _description = "Counter"

    query = fields.Char(
        string="Find",
        help="A unit code (3-2-1502), an estate code and a unit code "
             "(GG 3-2-1502), an owner's name or a mobile. When several "
             "payers match, type the number of the one to take.")
    message = fields.Char(readonly=True)
    candidate_ids = fields.One2many(
        "property.counter.payment.candidate", "wizard_id",
        string="Matching Payers")
    payer_id = fields.Many2one("res.partner", readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    company_id = fields.Many2one(
        "res.company", readonly=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True)
    payer_mobile = fields.Char(
        string="Mobile", compute="_compute_payer_info")
    unit_names = fields.Char(string="Units", compute="_compute_payer_info")
    advance_balance = fields.Monetary(
        string="Advance Credit", compute="_compute_payer_info",
        help="What the payer paid ahead (预存) and no bill has taken yet.")
    bill_ids = fields.One2many(
        "property.counter.payment.bill", "wizard_id", string="Open Bills")
    bill_count = fields.Integer(compute="_compute_total_due")
    total_due = fields.Monetary(
        compute="_compute_total_due",
        help="What the payer's open bills in this estate still owe.")
    channel_code = fields.Selection(
        _counter_channel_selection, string="Channel", required=True,
        default=channels.CASH)
    amount = fields.Monetary(
        help="What the payer pays now: the total due, or the ticked bills. "
             "More than the bills owe is kept as advance credit (预存).")
    tendered = fields.Monetary(
        string="Cash Tendered",
        help="The cash the owner handed over; empty means exactly the "
             "amount.")
    change_amount = fields.Monetary(
        string="Change", compute="_compute_change")
    short_amount = fields.Monetary(
        string="Still Missing", compute="_compute_change",
        help="The cash tendered is less than the amount by this much.")
    ticked = fields.Char(
        readonly=True,
        help="The ids of the ticked bills when the amount was last set from "
             "them: a change of the ticks sets the amount again, a change of "
             "the amount does not undo it.")
    paid_preview = fields.Monetary(string="To Bills", readonly=True)
    advance_preview = fields.Monetary(
        string="To Advance Credit", readonly=True,
        help="The part of the amount that the bills do not take.")
    last_receipt_id = fields.Many2one("property.receipt", readonly=True)
    last_message = fields.Char(readonly=True)

    # -- computes ----------------------------------------------------------

    @api.depends("payer_id", "estate_id")
    def _compute_payer_info(self):
        for wizard in self:
            wizard.unit_names = wizard.payer_mobile = False
            wizard.advance_balance = 0.0
            if not wizard.payer_id:
                continue
            wizard._check_cashier()
            units = wizard._payer_units(wizard.payer_id, wizard.estate_id)
            wizard.unit_names = ", ".join(units.mapped("code"))
            wizard.payer_mobile = wizard.payer_id.mobile or \
                wizard.payer_id.phone
            wizard.advance_balance = wizard._advance_balance(
                wizard.payer_id, wizard.company_id or wizard.estate_id.company_id)

    @api.depends("bill_ids.residual")
    def _compute_total_due(self):
        for wizard in self:
            wizard.bill_count = len(wizard.bill_ids)
            wizard.total_due = sum(wizard.bill_ids.mapped("residual"))

    @api.depends("amount", "tendered", "channel_code")
    def _compute_change(self):
        for wizard in self:
            preview = counter.preview(
                [], _decimal(wizard.amount), wizard.channel_code,
                _decimal(wizard.tendered))
            wizard.change_amount = float(preview.change or 0)
            wizard.short_amount = 0.0 if preview.change is not None else \
                wizard.currency_id.round(wizard.amount - wizard.tendered)

    # -- onchanges -------------------------------------------------------------

    @api.onchange("query")
    def _onchange_query(self):
        """Find the payer: load them when one matches, list them when
        several do (typing a number then picks one), say so when none."""
        self._check_cashier()
        text = counter.normalize(self.query)
        index = counter.pick_index(text, len(self.candidate_ids))
        if index is not None:
            candidate = self.candidate_ids.sorted("sequence")[index]
            self.update(self._load_values(candidate.partner_id,
                                          candidate.estate_id))
            self.query = candidate.label
            # (the new bills' onchange, which follows, shows the preview)
            return
        queries = counter.parse_query(text)
        if queries[0].kind == counter.EMPTY:
            return
        found = self._find(queries)
        if len(found) == 1:
            partner, estate = found[0]
            self.update(self._load_values(partner, estate))
            return
        self.update(self._load_values(False, False))
        if not found:
            self.message = _(
                "Nobody found for \"%s\": check the unit code (e.g. "
                "3-2-1502), the name or the mobile.") % text
            return {"warning": {"title": _("Nobody found"),
                                "message": self.message}}
        shown = found[:counter.MAX_CANDIDATES]
        self.candidate_ids = [(5,)] + [
            (0, 0, {"sequence": number, "partner_id": partner.id,
                    "estate_id": estate.id})
            for number, (partner, estate) in enumerate(shown, 1)]
        if len(found) > len(shown):
            self.message = _(
                "%(count)s payers match; the first %(shown)s are listed: type "
                "the number of the one to take, or search more precisely.") % {
                    "count": len(found), "shown": len(shown)}
        else:
            self.message = _(
                "%s payers match: type the number of the one to take (or "
                "click Take).") % len(found)

    @api.onchange("bill_ids")
    def _onchange_bill_ids(self):
        """Ticking bills makes the amount theirs; no tick: the total due."""
        ticked = self.bill_ids.filtered("to_pay")
        key = ",".join(str(bill_id) for bill_id in
                       sorted(ticked.mapped("invoice_id").ids))
        if key != (self.ticked or ""):
            self.ticked = key
            self.amount = sum((ticked or self.bill_ids).mapped("residual"))
        self._update_preview()

    @api.onchange("amount", "channel_code")
    def _onchange_amount(self):
        self._update_preview()

    def _update_preview(self):
        """Show what the amount would pay on each bill, and what would be
        advance credit."""
        ticked = self.bill_ids.filtered("to_pay")
        preview = counter.preview(
            [line._rule_bill() for line in self.bill_ids],
            _decimal(self.amount), self.channel_code,
            chosen=[line.invoice_id.id for line in ticked] if ticked else None)
        for line in self.bill_ids:
            line.preview_amount = float(
                preview.lines.get(line.invoice_id.id, 0))
        self.paid_preview = float(preview.paid)
        self.advance_preview = float(preview.advance)

    # -- finding payers ----------------------------------------------------------

    def _find(self, queries):
        """[(res.partner, property.estate)] for the first reading of the
        query that finds anyone, in a stable order."""
        for query in queries:
            if query.kind == counter.UNIT:
                found = self._from_units(self._search_units(query.value))
            elif query.kind == counter.ESTATE_UNIT:
                estates = self.env["property.estate"].search(
                    [("code", "=ilike", query.estate)])
                found = self._from_units(self._search_units(
                    query.value, estates)) if estates else []
            elif query.kind == counter.MOBILE:
                found = self._from_partners(self._search_partners(
                    ["|", ("mobile", "ilike", query.value),
                     ("phone", "ilike", query.value)]))
            else:
                found = self._from_partners(self._search_partners(
                    [("name", "ilike", query.value)]))
            if found:
                return found
        return []

    def _search_units(self, code, estates=None):
        Unit = self.env["property.unit"]
        domain = [("estate_id", "in", estates.ids)] if estates else []
        # as typed first (the code's index), then in any case
        units = Unit.search(domain + [("code", "=", code)],
                            limit=SEARCH_LIMIT) or \
            Unit.search(domain + [("code", "=ilike", code)],
                        limit=SEARCH_LIMIT)
        if not units and code.isdigit():
            # a room number alone: 1502 finds 3-2-1502, 5-1-1502...
            units = Unit.search(domain + [("code", "=ilike", "%-" + code)],
                                limit=SEARCH_LIMIT)
        return units

    def _search_partners(self, domain):
        """Partners matching ``domain`` who hold or pay for a unit, or owe
        a bill (the register's people, not every contact)."""
        # the partners matching the domain are few, the register's
        # occupancies and bills many: the partners first, then theirs (a
        # common name: the first thousand, of which the screen lists some)
        partners = self.env["res.partner"].search(domain,
                                                  limit=SEARCH_LIMIT * 20)
        if not partners:
            return partners
        holders = self.env["property.occupancy"].search([
            ("partner_id", "in", partners.ids),
            ("role", "in", ("owner", "payer"))],
            limit=SEARCH_LIMIT * 4).mapped("partner_id")[:SEARCH_LIMIT]
        debtors = self.env["account.invoice"].search([
            ("type", "=", "out_invoice"), ("state", "=", "open"),
            ("company_id", "=", self._company().id),
            ("commercial_partner_id", "in",
             partners.mapped("commercial_partner_id").ids)],
            limit=SEARCH_LIMIT).mapped("commercial_partner_id")
        return (holders | debtors).mapped("commercial_partner_id")

    def _from_units(self, units):
        """Who pays for ``units`` today and who owes their open bills."""
        found = []
        company = self._company()
        units = units.filtered(lambda unit: unit.company_id == company)
        bills = self.env["account.invoice"].search([
            ("property_unit_id", "in", units.ids), ("state", "=", "open"),
            ("type", "=", "out_invoice")]) if units else []
        debtors = {}
        for bill in bills:
            debtors.setdefault(bill.property_unit_id.id, []).append(
                bill.commercial_partner_id)
        for unit in units.sorted(lambda u: (u.estate_id.name, u.code)):
            payers = unit.payer_id.commercial_partner_id | \
                self.env["res.partner"].concat(*debtors.get(unit.id, []))
            for partner in payers:
                if (partner, unit.estate_id) not in found:
                    found.append((partner, unit.estate_id))
        return found

    def _from_partners(self, partners):
        """(partner, estate) for each estate where ``partners`` hold a unit
        today or owe a bill."""
        company = self._company()
        current = partners._current_property_units()
        bills = self.env["account.invoice"].read_group([
            ("commercial_partner_id", "in", partners.ids),
            ("state", "=", "open"), ("type", "=", "out_invoice"),
            ("company_id", "=", company.id),
            ("property_estate_id", "!=", False)],
            ["commercial_partner_id", "property_estate_id"],
            ["commercial_partner_id", "property_estate_id"], lazy=False) \
            if partners else []
        owing = {}
        for group in bills:
            owing.setdefault(group["commercial_partner_id"][0], set()).add(
                group["property_estate_id"][0])
        found = []
        Estate = self.env["property.estate"]
        for partner in partners.sorted(lambda p: (p.name or "", p.id)):
            units = current.get(partner.id, self.env["property.unit"])
            estates = units.filtered(
                lambda unit: unit.company_id == company).mapped("estate_id")
            estates |= Estate.browse(sorted(owing.get(partner.id, ())))
            for estate in estates.sorted(lambda e: (e.name, e.id)):
                found.append((partner, estate))
        return found

    def _company(self):
        return self.company_id or self.env.user.company_id

    # -- loading a payer ---------------------------------------------------------

    def _load_values(self, partner, estate):
        """The screen's values for ``partner``'s open bills in ``estate``
        (none: an empty screen)."""
        values = {
            "payer_id": partner.id if partner else False,
            "estate_id": estate.id if estate else False,
            "candidate_ids": [(5,)],
            "bill_ids": [(5,)],
            "message": False,
            "ticked": False,
            "amount": 0.0,
            "tendered": 0.0,
            "paid_preview": 0.0,
            "advance_preview": 0.0,
        }
        if not partner:
            return values
        company = estate.company_id if estate else self._company()
        values["company_id"] = company.id
        bills = self.env["property.payment.service"]._open_bills(
            partner.commercial_partner_id, company, estate)
        values["bill_ids"] += [(0, 0, {"sequence": number, "invoice_id": bill.id})
                               for number, bill in enumerate(bills, 1)]
        values["amount"] = company.currency_id.round(
            sum(bills.mapped("residual")))
        if not bills:
            values["message"] = _(
                "%s has no open bill: an amount taken now is kept as "
                "advance credit.") % partner.display_name
        return values

    def _payer_units(self, partner, estate):
        units = partner._current_property_units().get(
            partner.id, self.env["property.unit"])
        if estate:
            units = units.filtered(lambda unit: unit.estate_id == estate)
        return units.sorted("code")

    @api.model
    def _advance_balance(self, partner, company):
        """The payer's advance credit: what was paid and no bill has taken
        yet, on the receivable and, when the company keeps advance payments
        apart, on its advance-receipts account (the service's
        ``_keep_advance``)."""
        if not partner:
            return 0.0
        self.env["account.move.line"].check_access_rights("read")
        self.env.cr.execute("""
            SELECT COALESCE(-SUM(aml.amount_residual), 0)
              FROM account_move_line aml
              JOIN account_account acc ON acc.id = aml.account_id
             WHERE aml.partner_id IN (
                       SELECT id FROM res_partner WHERE id = %(partner)s
                           OR commercial_partner_id = %(partner)s)
               AND aml.company_id = %(company)s
               AND acc.internal_type = 'receivable'
               AND aml.reconciled IS NOT TRUE
               AND aml.amount_residual < 0
        """, {"partner": partner.commercial_partner_id.id,
              "company": company.id})
        on_receivable = self.env.cr.fetchone()[0] or 0.0
        # with an advance-receipts account (预收账款), the credit is kept there
        on_account = 0.0
        if company.property_advance_account_id:
            payer = partner.commercial_partner_id
            on_account = self.env["property.payment.service"]._advance_balances(
                company, partner_ids=[payer.id]).get(payer.id, (0.0, 0.0))[1]
        return company.currency_id.round(on_receivable + on_account)

    # -- actions -----------------------------------------------------------------

    @api.multi
    def action_collect(self):
        """Take the payment, print its receipt, clear the screen."""
        self.ensure_one()
        self._check_cashier()
        if not self.payer_id:
            raise UserError(_(
                "Find the payer first: type a unit code, an owner's name or "
                "a mobile in the search box."))
        ticked = self.bill_ids.filtered("to_pay").mapped("invoice_id")
        tendered = self.tendered if self.channel_code == channels.CASH \
            and self.tendered else None
        service = self.env["property.payment.service"]
        try:
            counter.check_collect(_decimal(self.amount), self.channel_code,
                                  _decimal(tendered) if tendered else None)
        except allocation.PaymentRuleError as error:
            raise UserError(self._rule_message(error))
        if self.channel_code == channels.CASH and tendered is None:
            tendered = self.amount  # exact cash
        with self.env.cr.savepoint():
            receipt = service._pay_one(
                self.payer_id, self.amount, self.channel_code,
                invoices=ticked or None, tendered=tendered,
                estate=self.estate_id or None)
        self._reset(receipt)
        return self._print_action(receipt)

    @api.multi
    def action_clear(self):
        """An empty screen for the next owner."""
        self._check_cashier()
        self.write(dict(self._load_values(False, False), query=False,
                        channel_code=channels.CASH, last_message=False))
        return True

    def _rule_message(self, error):
        if error.code == counter.NOT_COUNTER:
            return _("%s is not a counter channel: take cash, bank card, "
                     "WeChat Pay or Alipay here.") % error.params.get("channel")
        return self.env["property.payment.service"]._rule_message(error)

    def _reset(self, receipt):
        currency = receipt.currency_id
        if receipt.change_amount:
            text = _("Receipt %(number)s: %(amount)s received from %(payer)s, "
                     "change %(change)s.")
        else:
            text = _("Receipt %(number)s: %(amount)s received from %(payer)s.")
        message = text % {
            "number": receipt.name, "payer": receipt.partner_id.display_name,
            "amount": "%s %.2f" % (currency.symbol or "", receipt.amount),
            "change": "%s %.2f" % (currency.symbol or "",
                                   receipt.change_amount)}
        # the screen's own lines go at once (a transient model's rows: no
        # rule, default or attachment refers to them)
        for model in ("property.counter.payment.bill",
                      "property.counter.payment.candidate"):
            self.env.cr.execute('DELETE FROM "%s" WHERE wizard_id IN %%s'
                                % self.env[model]._table, [tuple(self.ids)])
        self.invalidate_cache(["bill_ids", "candidate_ids"], self.ids)
        values = self._load_values(False, False)
        del values["bill_ids"], values["candidate_ids"]
        self.write(dict(values, query=False, channel_code=channels.CASH,
                        last_receipt_id=receipt.id, last_message=message))

    def _print_action(self, receipt):
        """The receipt's PDF; its form when the report is not installed."""
        report = self.env.ref(RECEIPT_REPORT, raise_if_not_found=False)
        if report:
            return report.report_action(receipt)
        return {
            "type": "ir.actions.act_window",
            "res_model": "property.receipt",
            "res_id": receipt.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Receipt"),
        }


class PropertyCounterPaymentCandidate(models.TransientModel):
    """A payer the search found, when it found several."""

    _name = "property.counter.payment.candidate"
    _inherit = "property.counter.mixin"
    _description = "Counter: matching payer"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "property.counter.payment", required=True, ondelete="cascade")
    sequence = fields.Integer(string="No.")
    partner_id = fields.Many2one("res.partner", string="Payer", readonly=True)
    estate_id = fields.Many2one("property.estate", readonly=True)
    label = fields.Char(compute="_compute_info")
    mobile = fields.Char(compute="_compute_info")
    unit_names = fields.Char(string="Units", compute="_compute_info")

    @api.depends("partner_id", "estate_id")
    def _compute_info(self):
        wizard = self.env["property.counter.payment"]
        for candidate in self:
            candidate.label = candidate.mobile = candidate.unit_names = False
            if not candidate.partner_id:
                continue
            candidate._check_cashier()
            units = wizard._payer_units(
                candidate.partner_id, candidate.estate_id)
            candidate.unit_names = ", ".join(units.mapped("code"))
            candidate.mobile = candidate.partner_id.mobile or \
                candidate.partner_id.phone
            candidate.label = " ".join(part for part in (
                candidate.estate_id.code, units[:1].code,
                candidate.partner_id.name) if part)

    @api.multi
    def action_pick(self):
        """Take this payer (the Take button of the list)."""
        self.ensure_one()
        self._check_cashier()
        wizard = self.wizard_id
        partner, estate, label = self.partner_id, self.estate_id, self.label
        wizard.write(dict(wizard._load_values(partner, estate), query=label))
        wizard._update_preview()
        return True


class PropertyCounterPaymentBill(models.TransientModel):
    """An open bill of the payer on the counter screen. What it shows is
    read from the bill itself; only the tick and the preview are the
    screen's."""

    _name = "property.counter.payment.bill"
    _inherit = "property.counter.mixin"
    _description = "Counter: open bill"
    _order = "sequence, id"

    wizard_id = fields.Many2one(
        "property.counter.payment", required=True, ondelete="cascade")
    sequence = fields.Integer()
    invoice_id = fields.Many2one("account.invoice", string="Bill",
                                 readonly=True)
    to_pay = fields.Boolean(
        string="Pay", help="Tick bills to pay only those.")
    currency_id = fields.Many2one(related="wizard_id.currency_id",
                                  readonly=True)
    number = fields.Char(compute="_compute_bill")
    period = fields.Char(compute="_compute_bill")
    fee_items = fields.Char(compute="_compute_bill")
    unit_code = fields.Char(string="Unit", compute="_compute_bill")
    date_due = fields.Date(string="Due", compute="_compute_bill")
    amount_total = fields.Monetary(string="Amount", compute="_compute_bill")
    residual = fields.Monetary(string="Due Now", compute="_compute_bill")
    preview_amount = fields.Monetary(
        string="This Payment", readonly=True,
        help="What the amount being taken pays on this bill.")

    @api.depends("invoice_id")
    def _compute_bill(self):
        service = self.env["property.payment.service"]
        for line in self:
            bill = line.invoice_id
            line.number = line.period = line.fee_items = False
            line.unit_code = line.date_due = False
            line.amount_total = line.residual = 0.0
            if not bill:
                continue
            line._check_cashier()
            line.number = bill.number
            line.period = service._period_label(bill)
            line.fee_items = ", ".join(
                name for name in bill.invoice_line_ids.mapped("name") if name)
            line.unit_code = bill.property_unit_id.code
            line.date_due = bill.date_due
            line.amount_total = bill.amount_total
            line.residual = bill.residual

    def _rule_bill(self):
        bill = self.invoice_id
        return allocation.Bill(
            bill.id, _decimal(self.residual),
            fields.Date.from_string(bill.date_due),
            fields.Date.from_string(bill.date_invoice), bill.number or "")
