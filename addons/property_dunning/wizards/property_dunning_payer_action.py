# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Staff decisions on a payer in arrears, each with its reason on the
payer's chatter:

- **hold** (reason required) and **release**: the daily run skips a payer
  on hold (``held``);
- **move to a level** by hand (reason required): the run continues from
  that level, its next level coming next; no level sends the payer back to
  the start of the ladder;
- **promise to pay** by a date, or clear the promise: the run skips the
  payer until the date passed (``promised``);
- **write off** arrears (坏账核销, billing managers only, reason required):
  the chosen bills' residuals are written off against the policy's
  write-off account by Odoo's reconciliation with a write-off entry, so the
  bills are paid and the entry's amount is what they owed.

Billing users hold, release, move and note promises; the write-off is a
manager's. The checks run before the service writes (``payer._service()``),
the payer's record rules included."""
from collections import OrderedDict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero, html_escape

from ..models.property_dunning_call import estate_today

USER_GROUP = "property_billing.group_billing_user"
MANAGER_GROUP = "property_billing.group_billing_manager"
HOLD = "hold"
RELEASE = "release"
MOVE = "move"
PROMISE = "promise"
WRITEOFF = "writeoff"
ACTIONS = [
    (HOLD, "Put on hold"),
    (RELEASE, "Release the hold"),
    (MOVE, "Move to a level"),
    (PROMISE, "Promise to pay"),
    (WRITEOFF, "Write arrears off"),
]
REASON_REQUIRED = (HOLD, MOVE, WRITEOFF)


class PropertyDunningPayerAction(models.TransientModel):
    _name = "property.dunning.payer.action"
    _description = "Staff Action on a Payer in Arrears"

    def _default_payer_id(self):
        context = self.env.context
        if context.get("active_model") == "property.dunning.payer":
            return context.get("active_id")
        return False

    payer_id = fields.Many2one(
        "property.dunning.payer", required=True,
        ondelete="cascade", default=lambda self: self._default_payer_id())
    partner_id = fields.Many2one(
        related="payer_id.partner_id", readonly=True)
    estate_id = fields.Many2one(related="payer_id.estate_id", readonly=True)
    currency_id = fields.Many2one(
        related="payer_id.currency_id", readonly=True)
    action = fields.Selection(ACTIONS, required=True, default=HOLD)
    reason = fields.Text()
    policy_id = fields.Many2one(
        "property.dunning.policy", compute="_compute_policy_id")
    level_id = fields.Many2one(
        "property.dunning.level", string="Move to Level",
        domain="[('policy_id', '=', policy_id)]",
        help="Empty: back to the start (the first level comes next).")
    promise_date = fields.Date(
        string="Promised to Pay by",
        help="Empty: the promise is cleared.")
    invoice_ids = fields.Many2many(
        "account.invoice", "property_dunning_payer_action_invoice_rel",
        "wizard_id", "invoice_id", string="Bills to Write Off",
        domain="[('partner_id', '=', partner_id), "
               "('property_estate_id', '=', estate_id), "
               "('type', '=', 'out_invoice'), ('state', '=', 'open')]")
    writeoff_amount = fields.Monetary(
        string="Amount Written Off", compute="_compute_writeoff_amount")

    @api.depends("payer_id")
    def _compute_policy_id(self):
        for wizard in self:
            wizard.policy_id = wizard._policy()

    @api.depends("invoice_ids")
    def _compute_writeoff_amount(self):
        for wizard in self:
            wizard.writeoff_amount = sum(wizard.invoice_ids.mapped("residual"))

    @api.onchange("action", "payer_id")
    def _onchange_action(self):
        payer = self.payer_id
        if self.action == PROMISE:
            self.promise_date = payer.promise_date
        if self.action == MOVE and not self.level_id:
            self.level_id = payer.level_id
        if self.action == WRITEOFF and not self.invoice_ids and payer:
            self.invoice_ids = self._open_bills()

    @api.model
    def create(self, vals):
        # a wizard has no access rights: without this check anyone could
        # make one and read a payer through its Many2one
        self._check_group(vals.get("action"))
        return super().create(vals)

    # -- actions -----------------------------------------------------------

    @api.multi
    def action_apply(self):
        """Apply the chosen action, its reason on the payer's chatter."""
        # the caller's group first: a wizard has no access rights
        self._check_group(self[:1].action)
        self.ensure_one()
        self._check_access()
        reason = (self.reason or "").strip()
        if self.action in REASON_REQUIRED and not reason:
            raise UserError(_("Give the reason of this decision: it stays on "
                              "the payer's record."))
        getattr(self, "_apply_%s" % self.action)(reason)
        return {"type": "ir.actions.act_window_close"}

    # -- checks ------------------------------------------------------------

    @api.model
    def _check_group(self, action):
        if action == WRITEOFF:
            if not self.env.user.has_group(MANAGER_GROUP):
                raise AccessError(_(
                    "Only a billing manager can write arrears off."))
        elif not self.env.user.has_group(USER_GROUP):
            raise AccessError(_(
                "Only billing staff can act on a payer in arrears."))

    @api.multi
    def _check_access(self):
        """The caller's group for the action, and their rights on the
        payer (record rules included)."""
        self._check_group(self.action)
        payer = self.payer_id
        payer.check_access_rights("write")
        payer.check_access_rule("write")

    @api.multi
    def _policy(self):
        payer = self.payer_id.sudo()
        if not payer:
            return self.env["property.dunning.policy"]
        return payer.policy_id or \
            self.env["property.dunning.policy"]._policy_for(payer.estate_id)

    @api.multi
    def _today(self):
        return estate_today(self, self.payer_id.estate_id)

    @api.multi
    def _open_bills(self):
        """The payer's open bills in the estate, something still due."""
        payer = self.payer_id
        return self.env["account.invoice"].search([
            ("partner_id", "=", payer.partner_id.id),
            ("property_estate_id", "=", payer.estate_id.id),
            ("type", "=", "out_invoice"), ("state", "=", "open"),
            ("residual", ">", 0)], order="date_due, id")

    # -- the actions ----------------------------------------------------------

    @api.multi
    def _service_payer(self):
        return self.payer_id._service().browse(self.payer_id.id)

    @api.multi
    def _post(self, title, reason, details=None):
        parts = [html_escape(title)]
        if details:
            parts.append(html_escape(details))
        if reason:
            parts.append(html_escape(_("Reason: %s") % reason))
        self.payer_id.message_post(body="<br/>".join(parts),
                                   subtype="mail.mt_note")

    @api.multi
    def _apply_hold(self, reason):
        if self.payer_id.held:
            raise UserError(_("%s is already on hold.")
                            % self.payer_id.display_name)
        self._service_payer().write({"held": True, "hold_reason": reason})
        self._post(_("Put on hold: the daily run skips this payer."), reason)

    @api.multi
    def _apply_release(self, reason):
        if not self.payer_id.held:
            raise UserError(_("%s is not on hold.")
                            % self.payer_id.display_name)
        self._service_payer().write({"held": False, "hold_reason": False})
        self._post(_("Hold released: the daily run chases this payer "
                     "again."), reason)

    @api.multi
    def _apply_move(self, reason):
        level = self.level_id
        policy = self._policy()
        if level and level.policy_id != policy:
            raise UserError(_(
                "Level %(level)s is not a level of the payer's policy "
                "%(policy)s.") % {"level": level.display_name,
                                  "policy": policy.display_name})
        self._service_payer().write({
            "manual_level_id": level.id or False,
            "manual_date": self._today(),
            "manual_reason": reason,
        })
        if level:
            title = _("Moved to level %s by hand: the next run continues "
                      "from there.") % level.name
        else:
            title = _("Moved back to the start: the next run begins with "
                      "the first level.")
        self._post(title, reason)

    @api.multi
    def _apply_promise(self, reason):
        payer = self.payer_id
        if self.promise_date:
            if self.promise_date < self._today():
                raise UserError(_("The promised date is in the past."))
            self._service_payer().write({"promise_date": self.promise_date})
            title = _("Promises to pay by %s: the daily run waits until "
                      "then.") % self.promise_date
        else:
            if not payer.promise_date:
                raise UserError(_("%s has no promise to pay to clear.")
                                % payer.display_name)
            self._service_payer().write({"promise_date": False})
            title = _("Promise to pay of %s cleared.") % payer.promise_date
        self._post(title, reason)

    # -- write-off ----------------------------------------------------------------

    @api.multi
    def _apply_writeoff(self, reason):
        invoices = self.invoice_ids
        self._check_writeoff(invoices)
        policy = self._policy().sudo()
        account = policy.writeoff_account_id
        journal = self._writeoff_journal()
        invoices = invoices.sudo()
        residuals = {invoice.id: invoice.residual for invoice in invoices}
        currency = self.payer_id.sudo().currency_id
        expected = currency.round(sum(residuals.values()))
        moves = self._reconcile_writeoff(invoices, account, journal, reason)
        written = currency.round(sum(moves.mapped("line_ids").filtered(
            lambda line: line.account_id == account).mapped("balance")))
        if float_compare(written, expected,
                         precision_rounding=currency.rounding) or \
                invoices.filtered(lambda invoice: invoice.state != "paid"):
            raise UserError(_(
                "The write-off did not settle the bills: nothing was "
                "written off."))
        details = "; ".join("%s %s" % (invoice.number, residuals[invoice.id])
                            for invoice in invoices)
        self._post(_("Arrears written off: %(amount)s on %(account)s "
                     "(entries %(moves)s).") % {
            "amount": expected, "account": account.display_name,
            "moves": ", ".join(moves.mapped("name"))}, reason, details)
        for invoice in invoices:
            invoice.message_post(body=html_escape(_(
                "Written off (%(amount)s): %(reason)s") % {
                    "amount": residuals[invoice.id], "reason": reason}),
                subtype="mail.mt_note")
        return moves

    @api.multi
    def _check_writeoff(self, invoices):
        """Refuse a write-off that cannot be done (nothing written)."""
        policy = self._policy().sudo()
        if not policy.writeoff_account_id:
            raise UserError(_(
                "Set the write-off account of the dunning policy %s first.")
                % (policy.display_name or self.payer_id.estate_id.display_name))
        if not invoices:
            raise UserError(_("Choose the bills to write off."))
        invoices.check_access_rights("read")
        invoices.check_access_rule("read")
        payer = self.payer_id.sudo()
        for invoice in invoices.sudo():
            label = invoice.number or invoice.display_name
            if invoice.partner_id != payer.partner_id or \
                    invoice.property_estate_id != payer.estate_id or \
                    invoice.type != "out_invoice":
                raise UserError(_(
                    "Bill %s is not a bill of this payer in this estate.")
                    % label)
            if invoice.state != "open" or float_is_zero(
                    invoice.residual,
                    precision_rounding=invoice.currency_id.rounding):
                raise UserError(_(
                    "Bill %s is not open: there is nothing to write off.")
                    % label)
            if invoice.currency_id != invoice.company_id.currency_id:
                raise UserError(_(
                    "Bill %s is in a foreign currency: write it off in "
                    "accounting.") % label)
        if policy.writeoff_account_id.company_id != payer.company_id:
            raise UserError(_(
                "The write-off account belongs to another company."))

    @api.multi
    def _writeoff_journal(self):
        company = self.payer_id.sudo().company_id
        journal = self.env["account.journal"].sudo().search([
            ("type", "=", "general"), ("company_id", "=", company.id)],
            order="sequence, id", limit=1)
        if not journal:
            raise UserError(_(
                "The company has no miscellaneous journal for the "
                "write-off entry."))
        return journal

    @api.multi
    def _reconcile_writeoff(self, invoices, account, journal, reason):
        """Odoo's reconciliation of the bills' open receivable items with a
        write-off entry per receivable account; returns the entries."""
        by_account = OrderedDict()
        for invoice in invoices:
            items = invoice.move_id.line_ids.filtered(
                lambda line: (not line.reconciled
                              and line.account_id == invoice.account_id))
            by_account.setdefault(invoice.account_id, items.browse())
            by_account[invoice.account_id] |= items
        label = _("Write-off: %s") % reason
        moves = self.env["account.move"].sudo()
        for items in by_account.values():
            writeoff = items.with_context(
                date_p=self._today(), comment=label[:64]).reconcile(
                    writeoff_acc_id=account, writeoff_journal_id=journal)
            if writeoff is not True:
                moves |= writeoff.mapped("move_id")
        return moves
