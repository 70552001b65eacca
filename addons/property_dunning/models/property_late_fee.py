# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Levying or waiving a late fee (违约金的收取与减免).

A late fee accrues as a figure (``property.late.fee.service``). Staff turn it
into money or forgive it with a ``property.late.fee``: a levy or a waiver of
one payer in one estate, over one or more of their bills, for an amount that
defaults to what is open on them (accrued, less what was levied, waived or
approved already).

draft → approved (a billing manager) → done, or refused:

- on approval the amount is checked against what is open, with the payer's
  status locked, and shared out over the bills, oldest first (the lines):
  approved amounts count as taken, so two approvals at once cannot act on the
  same fee;
- done, a levy has its own posted invoice to the payer for the bills' unit,
  with one line on the policy's late fee product at the levied amount; a
  waiver (which needs a reason) only records the amount forgiven: the fee was
  never in the books.
"""
from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..rules import late_fee as fee_rules
from ..rules.common import CENT, RuleError

KINDS = [(fee_rules.LEVY, "Levy"), (fee_rules.WAIVE, "Waiver")]
STATES = [("draft", "Draft"), ("approved", "Approved"), ("done", "Done"),
          ("refused", "Refused")]
# the states whose amounts are taken from what is open
TAKEN_STATES = ("approved", "done")
# what staff may change on a draft
DRAFT_FIELDS = {"kind", "payer_id", "invoice_ids", "date", "amount", "reason",
                "note"}
# what staff may give on creation besides
CREATE_FIELDS = DRAFT_FIELDS | {"company_id"}
CHATTER_PREFIXES = ("message_", "activity_", "website_message_")
MANAGER_GROUP = "property_billing.group_billing_manager"
_SERVICE = object()


class PropertyLateFee(models.Model):
    _name = "property.late.fee"
    _inherit = ["mail.thread"]
    _description = "Late Fee Levy or Waiver"
    _order = "id desc"

    kind = fields.Selection(
        KINDS, required=True, default=fee_rules.LEVY, readonly=True,
        states={"draft": [("readonly", False)]}, track_visibility="onchange")
    payer_id = fields.Many2one(
        "property.dunning.payer", required=True, index=True,
        readonly=True, states={"draft": [("readonly", False)]},
        ondelete="restrict")
    partner_id = fields.Many2one(
        related="payer_id.partner_id", store=True, readonly=True, index=True)
    estate_id = fields.Many2one(
        related="payer_id.estate_id", store=True, readonly=True, index=True)
    # not related: the company rule applies while the record is created,
    # before the stored related fields are computed
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    invoice_ids = fields.Many2many(
        "account.invoice", "property_late_fee_invoice_rel", "fee_id",
        "invoice_id", string="Bills", required=True, readonly=True,
        states={"draft": [("readonly", False)]},
        domain="[('partner_id', '=', partner_id), "
               "('property_estate_id', '=', estate_id), "
               "('type', '=', 'out_invoice'), ('state', 'in', ('open', 'paid')),"
               " ('property_late_fee_id', '=', False)]",
        help="The payer's bills whose accrued late fee is levied or waived.")
    date = fields.Date(
        string="Accrued up to", required=True, readonly=True,
        states={"draft": [("readonly", False)]},
        default=lambda self: fields.Date.context_today(self),
        help="The day up to which the late fee is counted.")
    amount = fields.Monetary(
        readonly=True, states={"draft": [("readonly", False)]},
        track_visibility="onchange",
        help="Left empty, everything open on the bills.")
    reason = fields.Text(
        readonly=True, states={"draft": [("readonly", False)]},
        track_visibility="onchange",
        help="Why the fee is waived (required for a waiver) or levied.")
    note = fields.Text()
    state = fields.Selection(
        STATES, required=True, default="draft", readonly=True, index=True,
        track_visibility="onchange")
    approved_uid = fields.Many2one(
        "res.users", string="Approved by", readonly=True, copy=False)
    approved_date = fields.Datetime(
        string="Approved on", readonly=True, copy=False)
    fee_invoice_id = fields.Many2one(
        "account.invoice", string="Late Fee Invoice", readonly=True,
        copy=False, ondelete="restrict")
    line_ids = fields.One2many(
        "property.late.fee.line", "fee_id", string="Per Bill", readonly=True)
    accrued_amount = fields.Monetary(
        string="Accrued", compute="_compute_open_amount",
        help="What the bills accrued up to the date.")
    open_amount = fields.Monetary(
        string="Open", compute="_compute_open_amount",
        help="Accrued, less what other levies and waivers took.")

    _sql_constraints = [
        ("amount_not_negative", "CHECK(amount IS NULL OR amount >= 0)",
         "A late fee amount cannot be negative."),
    ]

    # -- computes -------------------------------------------------------------

    @api.depends("invoice_ids", "date", "payer_id")
    def _compute_open_amount(self):
        for fee in self:
            if not fee.invoice_ids or not fee.date:
                fee.accrued_amount = fee.open_amount = 0.0
                continue
            own = [fee.id] if isinstance(fee.id, int) else []
            opens = fee._bill_opens(exclude_ids=own)
            fee.accrued_amount = float(sum(
                (accrued for accrued, _open in opens.values()), Decimal(0)))
            fee.open_amount = float(sum(
                (open_ for _accrued, open_ in opens.values()), Decimal(0)))

    # -- constraints ------------------------------------------------------------

    @api.constrains("invoice_ids", "payer_id")
    def _check_bills(self):
        # sudo: the stored related company is computed after the constraints
        for fee in self.sudo():
            for invoice in fee.invoice_ids:
                if invoice.partner_id != fee.payer_id.partner_id or \
                        invoice.property_estate_id != fee.payer_id.estate_id:
                    raise ValidationError(_(
                        "Bill %s is not a bill of the payer in this estate.")
                        % (invoice.number or invoice.display_name))
                if invoice.type != "out_invoice" or \
                        invoice.state not in ("open", "paid") or \
                        invoice.property_late_fee_id:
                    raise ValidationError(_(
                        "Bill %s accrues no late fee: only validated bills "
                        "do, never a late fee itself.")
                        % (invoice.number or invoice.display_name))
            if len(fee.invoice_ids.mapped("property_unit_id")) > 1:
                raise ValidationError(_(
                    "The bills of one late fee are of one unit: make one late "
                    "fee per unit."))

    @api.constrains("kind", "reason")
    def _check_reason(self):
        for fee in self.sudo():
            if fee.kind == fee_rules.WAIVE and not (fee.reason or "").strip():
                raise ValidationError(_("A waiver needs a reason."))

    @api.constrains("date")
    def _check_date(self):
        for fee in self.sudo():
            if fee.date > fields.Date.context_today(fee):
                raise ValidationError(_(
                    "A late fee is counted up to today at the latest."))

    @api.onchange("payer_id")
    def _onchange_payer_id(self):
        """The payer's bills with a late fee still open, one unit: the
        oldest's."""
        if not self.payer_id:
            return
        service = self.env["property.late.fee.service"]
        payer = self.payer_id
        ids = service._payer_bill_ids(
            {(payer.partner_id.id, payer.estate_id.id)}).get(
                (payer.partner_id.id, payer.estate_id.id), [])
        accruals = service._accruals(ids)
        taken = service._acted_amounts(ids, TAKEN_STATES)
        open_ids = [
            i for i in ids if i in accruals
            and accruals[i][1].fee > sum(taken[i].values(), Decimal(0))]
        bills = self.env["account.invoice"].browse(open_ids)
        unit = bills[:1].property_unit_id
        self.invoice_ids = bills.filtered(
            lambda bill: bill.property_unit_id == unit)

    # -- CRUD ------------------------------------------------------------------

    @api.model
    def create(self, vals):
        locked = set(vals) - CREATE_FIELDS
        if self.env.context.get("property_late_fee_service") is not _SERVICE \
                and [name for name in locked
                     if not name.startswith(CHATTER_PREFIXES)]:
            raise UserError(_(
                "A late fee is created as a draft; its approval and levy go "
                "through its buttons."))
        if vals.get("payer_id"):
            payer = self.env["property.dunning.payer"].browse(vals["payer_id"])
            vals = dict(vals, company_id=payer.company_id.id)
        fee = super().create(vals)
        if not fee.amount:
            # default: everything open on the bills (refused when nothing is)
            amount = fee._checked_amount(fee._open_total(exclude_ids=[fee.id]),
                                         None)
            fee._service_write({"amount": float(amount)})
        return fee

    @api.multi
    def write(self, vals):
        if self.env.context.get("property_late_fee_service") is not _SERVICE:
            names = [name for name in vals
                     if not name.startswith(CHATTER_PREFIXES)]
            if set(names) - DRAFT_FIELDS - {"note"}:
                raise UserError(_(
                    "A late fee is approved, levied and refused through its "
                    "buttons."))
            if any(name != "note" for name in names) and \
                    self.filtered(lambda fee: fee.state != "draft"):
                raise UserError(_(
                    "Only a draft late fee can be changed; refuse it and make "
                    "a new one."))
        if vals.get("payer_id"):
            payer = self.env["property.dunning.payer"].browse(vals["payer_id"])
            vals = dict(vals, company_id=payer.company_id.id)
        return super().write(vals)

    @api.multi
    def unlink(self):
        if self.filtered(lambda fee: fee.state not in ("draft", "refused")):
            raise UserError(_(
                "An approved or done late fee is kept on record."))
        return super().unlink()

    @api.multi
    def name_get(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        return [(fee.id, "%s %s %s" % (
            labels.get(fee.kind, fee.kind), fee.partner_id.display_name or "",
            fee.date or "")) for fee in self]

    # -- actions -----------------------------------------------------------------

    @api.multi
    def action_approve(self):
        """A billing manager approves: the amount is checked against what is
        open (the payer locked) and shared out over the bills."""
        self._check_manager()
        for fee in self:
            fee._lock_payer()
            if fee.state != "draft":
                raise UserError(_("Only a draft late fee can be approved."))
            opens = fee._bill_opens(exclude_ids=[fee.id])
            total = sum((open_ for _accrued, open_ in opens.values()),
                        Decimal(0))
            amount = fee._checked_amount(total, fee.amount)
            fee._service_write({
                "state": "approved", "amount": float(amount),
                "approved_uid": self.env.uid,
                "approved_date": fields.Datetime.now(),
                "line_ids": [(5, 0, 0)] + [
                    (0, 0, vals) for vals in fee._share(opens, amount)],
            })
        return True

    @api.multi
    def action_done(self):
        """Levy (its own invoice) or record the waiver of an approved late
        fee, once more checked against what is open."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        if not self.env.user.has_group("property_billing.group_billing_user"):
            raise AccessError(_("Only billing staff levy late fees."))
        for fee in self:
            fee._lock_payer()
            if fee.state != "approved":
                raise UserError(_(
                    "A late fee is levied or waived once a manager approved "
                    "it."))
            total = fee._open_total(exclude_ids=[fee.id])
            fee._checked_amount(total, fee.amount)
            vals = {"state": "done"}
            if fee.kind == fee_rules.LEVY:
                vals["fee_invoice_id"] = fee._create_fee_invoice().id
            fee._service_write(vals)
        return True

    @api.multi
    def action_refuse(self):
        self._check_manager()
        for fee in self:
            if fee.state not in ("draft", "approved"):
                raise UserError(_(
                    "Only a draft or approved late fee can be refused."))
        self._service_write({"state": "refused"})
        return True

    @api.multi
    def action_view_invoice(self):
        self.ensure_one()
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        action["views"] = [(self.env.ref("account.invoice_form").id, "form")]
        action["res_id"] = self.fee_invoice_id.id
        return action

    # -- business methods -------------------------------------------------------

    @api.multi
    def _check_manager(self):
        self.check_access_rights("write")
        self.check_access_rule("write")
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_(
                "Only a billing manager approves or refuses late fees."))

    @api.multi
    def _service_write(self, vals):
        return self.sudo().with_context(
            property_late_fee_service=_SERVICE).write(vals)

    @api.multi
    def _lock_payer(self):
        """Lock the payer's status until the transaction ends. The row is
        updated, not only selected: under Odoo's repeatable-read transactions
        another approval or levy of the same payer then waits, fails to
        serialize once this one commits and is retried by the server on a
        fresh snapshot, where it sees this one's amounts."""
        self.ensure_one()
        self.env.cr.execute("""
            UPDATE property_dunning_payer
               SET write_date = (now() AT TIME ZONE 'UTC')
             WHERE id = %s""", (self.sudo().payer_id.id,))
        self.invalidate_cache()

    @api.multi
    def _precision(self):
        self.ensure_one()
        rounding = self.sudo().company_id.currency_id.rounding
        return Decimal(repr(rounding)) if rounding else CENT

    @api.multi
    def _bill_opens(self, exclude_ids=()):
        """{invoice id: (accrued, open)} of the bills, oldest due first:
        open is what the approved and done levies and waivers other than
        ``exclude_ids`` left."""
        self.ensure_one()
        service = self.env["property.late.fee.service"]
        policy = self.sudo().payer_id.policy_id or \
            self.env["property.dunning.policy"]._policy_for(
                self.sudo().estate_id)
        invoice_ids = self.sudo().invoice_ids.sorted(
            lambda inv: (inv.date_due or "", inv.id)).ids
        accruals = service._accruals(
            invoice_ids, today=fields.Date.from_string(self.date),
            policy=policy or None)
        taken = service._acted_amounts(invoice_ids, TAKEN_STATES, exclude_ids)
        precision = self._precision()
        result = {}
        for invoice_id in invoice_ids:
            if invoice_id not in accruals:
                continue
            fee = accruals[invoice_id][1].fee
            balance = fee_rules.balance(
                fee, taken[invoice_id][fee_rules.LEVY],
                taken[invoice_id][fee_rules.WAIVE], precision)
            result[invoice_id] = (balance.accrued, balance.open)
        return result

    @api.multi
    def _open_total(self, exclude_ids=()):
        return sum((open_ for _accrued, open_ in
                    self._bill_opens(exclude_ids).values()), Decimal(0))

    @api.multi
    def _checked_amount(self, open_total, amount):
        """``rules.late_fee.action_amount``, its refusals as UserErrors."""
        self.ensure_one()
        try:
            return fee_rules.action_amount(
                open_total, Decimal(repr(amount)) if amount else None,
                kind=self.kind, reason=self.reason,
                precision=self._precision())
        except RuleError as error:
            raise UserError(self._rule_message(error))

    @api.model
    def _rule_message(self, error):
        params = dict(error.params)
        messages = {
            fee_rules.REASON_REQUIRED: _("A waiver needs a reason."),
            fee_rules.NOTHING_OPEN: _(
                "No late fee is open on these bills: nothing accrued, or it "
                "was levied or waived already."),
            fee_rules.NOT_POSITIVE: _("The amount must be above zero."),
            fee_rules.EXCEEDS_OPEN: _(
                "%(amount)s is more than the late fee open on these bills "
                "(%(open)s)."),
            fee_rules.UNKNOWN_ACTION: _("A late fee is levied or waived."),
        }
        message = messages.get(error.code, _("This late fee cannot be made."))
        try:
            return message % params
        except (KeyError, TypeError, ValueError):
            return message

    @api.model
    def _share(self, opens, amount):
        """The lines: ``amount`` over the bills' open fees, oldest first."""
        lines = []
        left = amount
        for invoice_id, (accrued, open_) in opens.items():
            part = min(left, open_)
            if part <= 0:
                continue
            lines.append({"invoice_id": invoice_id, "accrued": float(accrued),
                          "amount": float(part)})
            left -= part
        return lines

    @api.multi
    def _fee_line_name(self):
        """"Late fee INV/2026/0001 2026-03-01..2026-05-06": the bills and the
        days charged."""
        self.ensure_one()
        bills = self.sudo().line_ids.mapped("invoice_id") or \
            self.sudo().invoice_ids
        accruals = self.env["property.late.fee.service"]._accruals(
            bills.ids, today=fields.Date.from_string(self.date),
            policy=self.sudo().payer_id.policy_id or None)
        starts = [segment.start for _row, accrual in accruals.values()
                  for segment in accrual.basis if segment.paused is None]
        period = self.date
        if starts:
            period = "%s..%s" % (min(starts), self.date)
        return _("Late fee %(bills)s %(period)s") % {
            "bills": ", ".join(bill.number or str(bill.id)
                               for bill in bills.sorted("id")),
            "period": period}

    @api.multi
    def _prepare_fee_invoice_vals(self):
        self.ensure_one()
        fee = self.sudo()
        policy = fee.payer_id.policy_id or \
            self.env["property.dunning.policy"]._policy_for(fee.estate_id)
        product = policy.late_fee_product_id
        if not product:
            raise UserError(_(
                "Set the late fee product of dunning policy %s before "
                "levying late fees.") % (policy.display_name or ""))
        account = product.property_account_income_id or \
            product.categ_id.property_account_income_categ_id
        if not account:
            raise UserError(_(
                "The late fee product %s has no income account.")
                % product.display_name)
        journal = self.env["account.journal"].sudo().search([
            ("type", "=", "sale"), ("company_id", "=", fee.company_id.id)],
            limit=1)
        if not journal:
            raise UserError(_("The company has no sales journal."))
        bills = fee.line_ids.mapped("invoice_id") or fee.invoice_ids
        unit = bills.mapped("property_unit_id")[:1]
        return {
            "partner_id": fee.partner_id.id, "type": "out_invoice",
            "company_id": fee.company_id.id, "journal_id": journal.id,
            "currency_id": fee.currency_id.id,
            "property_unit_id": unit.id,
            "date_invoice": fields.Date.context_today(self),
            "property_late_fee_id": fee.id,
            "origin": ", ".join(bill.number or "" for bill in bills),
            "invoice_line_ids": [(0, 0, {
                "name": fee.with_context(
                    lang=fee.partner_id.lang or self.env.lang)._fee_line_name(),
                "product_id": product.id,
                "account_id": account.id, "quantity": 1.0,
                "price_unit": fee.currency_id.round(fee.amount),
                "invoice_line_tax_ids": [(6, 0, [])],
            })],
        }

    @api.multi
    def _create_fee_invoice(self):
        """The levy's own invoice, validated."""
        self.ensure_one()
        invoice = self.env["account.invoice"].sudo().create(
            self._prepare_fee_invoice_vals())
        invoice.action_invoice_open()
        return invoice


class PropertyLateFeeLine(models.Model):
    _name = "property.late.fee.line"
    _description = "Late Fee per Bill"
    _order = "fee_id, id"

    fee_id = fields.Many2one(
        "property.late.fee", required=True, index=True, readonly=True,
        ondelete="cascade")
    invoice_id = fields.Many2one(
        "account.invoice", string="Bill", required=True, index=True,
        readonly=True, ondelete="restrict")
    currency_id = fields.Many2one(
        related="fee_id.currency_id", readonly=True)
    accrued = fields.Monetary(
        readonly=True, help="What the bill had accrued on approval.")
    amount = fields.Monetary(readonly=True)

    @api.model
    def create(self, vals):
        if self.env.context.get("property_late_fee_service") is not _SERVICE:
            self.check_access_rights("create")
            raise UserError(_(
                "The late fee's lines are made by its approval."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if self.env.context.get("property_late_fee_service") is not _SERVICE:
            self.check_access_rights("write")
            raise UserError(_(
                "The late fee's lines are made by its approval."))
        return super().write(vals)
