# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Daily closing (日结) of one cashier's counter takings.

One closing per cashier, day and company. Its lines, one per counter
channel, hold the takings the non-void receipts of that cashier and day
expect, the amount counted (cash by hand; the other channels default to what
is expected) and the difference, which needs a reason. Closing computes the
expected takings afresh, freezes them with the receipts they came from and
locks the day against new counter receipts (``_check_day_open``, asked by
the allocation service). A billing manager may reopen a closed day with a
reason, kept in the chatter. A receipt voided after the closing (or written
on the day after it, which the lock prevents at the counter) is listed as a
post-closing change.

Closed closings are guarded in ``write``: only the actions below change
their state, and they pass a context marker that no RPC call can forge.
"""
import datetime
from decimal import Decimal

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from odoo.addons.property_billing.rules.constants import DEFAULT_TZ
from odoo.addons.property_billing.rules.timezones import to_local

from ..rules import closing as rules
from ..rules.channels import CASH, CHANNEL_CODES
from .property_receipt import CHATTER_PREFIXES

MANAGER_GROUP = "property_billing.group_billing_manager"
CASHIER_GROUP = "property_billing.group_billing_user"

# The context marker of the actions' own writes: an object, which JSON-RPC
# and XML-RPC cannot send, so that a caller cannot pass it.
_INTERNAL = object()
_INTERNAL_KEY = "property_cash_closing_internal"

# What the actions alone write on a closing and on its lines.
CLOSING_LOCKED_FIELDS = {"state", "closed_date", "closed_uid", "receipt_ids",
                         "cashier_id", "date", "company_id"}
LINE_USER_FIELDS = {"counted_amount", "reason"}


def _internal(records):
    """``records`` for the actions' own writes (closings and their lines)."""
    return records.with_context(**{_INTERNAL_KEY: _INTERNAL})


def _is_internal(records):
    """Whether ``records`` are written by the actions themselves."""
    return records.env.context.get(_INTERNAL_KEY) is _INTERNAL


def _decimal(value):
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _no_records(commands):
    """True when x2many ``commands`` (from a create) add nothing."""
    for command in commands or ():
        if command[0] == 5 or command[0] == 6 and not command[2]:
            continue
        return False
    return True


class PropertyCashClosing(models.Model):
    """Daily closing (日结) of one cashier's counter takings."""

    _name = "property.cash.closing"
    _inherit = ["mail.thread"]
    _description = "Daily Closing"
    _order = "date desc, id desc"

    _sql_constraints = [
        ("cashier_date_company_uniq", "unique(cashier_id, date, company_id)",
         "A cashier closes each day once per company."),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    cashier_id = fields.Many2one(
        "res.users", required=True, index=True,
        ondelete="restrict", default=lambda self: self.env.user,
        track_visibility="onchange")
    date = fields.Date(
        required=True, index=True,
        default=lambda self: self._local_today(self.env.user.company_id),
        help="The counter day (in the estates' timezone).")
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True)
    state = fields.Selection(
        rules.STATES, default=rules.DRAFT, required=True, readonly=True,
        index=True, track_visibility="onchange")
    line_ids = fields.One2many(
        "property.cash.closing.line", "closing_id", string="Channels",
        copy=False)
    receipt_ids = fields.Many2many(
        "property.receipt", "property_cash_closing_receipt_rel", "closing_id",
        "receipt_id", string="Receipts Counted", readonly=True, copy=False,
        help="The receipts whose takings the closing counted, frozen when "
             "the day was closed.")
    expected_amount = fields.Monetary(
        string="Expected", compute="_compute_totals", store=True)
    counted_amount = fields.Monetary(
        string="Counted", compute="_compute_totals", store=True)
    difference_amount = fields.Monetary(
        string="Difference", compute="_compute_totals", store=True)
    closed_date = fields.Datetime(string="Closed on", readonly=True, copy=False)
    closed_uid = fields.Many2one(
        "res.users", string="Closed by", readonly=True, copy=False)
    note = fields.Text()
    voided_after_ids = fields.Many2many(
        "property.receipt", string="Voided after Closing",
        compute="_compute_post_closing",
        help="Receipts the closing counted that were voided since.")
    added_after_ids = fields.Many2many(
        "property.receipt", string="Written after Closing",
        compute="_compute_post_closing",
        help="Counter receipts of the day that the closing did not count.")
    post_closing_change_count = fields.Integer(
        string="Post-closing Changes", compute="_compute_post_closing")

    @api.depends("cashier_id", "date")
    def _compute_name(self):
        for closing in self:
            closing.name = "%s %s" % (closing.date or "",
                                      closing.cashier_id.name or "")

    @api.depends("line_ids.expected_amount", "line_ids.counted_amount")
    def _compute_totals(self):
        for closing in self:
            lines = closing.line_ids
            closing.expected_amount = sum(lines.mapped("expected_amount"))
            closing.counted_amount = sum(lines.mapped("counted_amount"))
            closing.difference_amount = sum(lines.mapped("difference"))

    @api.multi
    def _compute_post_closing(self):
        Receipt = self.env["property.receipt"]
        for closing in self:
            voided = added = Receipt
            if closing.state == rules.CLOSED:
                current = closing.sudo()._day_receipts(all_states=True)
                changes = rules.post_closing_changes(
                    closing.sudo().receipt_ids.ids,
                    {r.id: r.state == "void" for r in current})
                voided = Receipt.browse(
                    [c.key for c in changes if c.kind == rules.VOIDED_AFTER])
                added = Receipt.browse(
                    [c.key for c in changes if c.kind == rules.ADDED_AFTER])
            closing.voided_after_ids = voided
            closing.added_after_ids = added
            closing.post_closing_change_count = len(voided) + len(added)

    # -- CRUD and guards ---------------------------------------------------------

    @api.model
    def create(self, vals):
        if vals.get("state", rules.DRAFT) != rules.DRAFT or any(
                vals.get(name) for name in ("closed_date", "closed_uid")) or any(
                not _no_records(vals.get(name))
                for name in ("receipt_ids", "line_ids")):
            raise UserError(_(
                "A daily closing starts open and empty: its channels are "
                "filled from the receipts and it is closed with Close the "
                "Day."))
        closing = super().create(vals)
        if closing.cashier_id != self.env.user:
            self._check_manager(_("Only a billing manager opens the daily "
                                  "closing of another cashier."))
        closing._refresh_expected()
        return closing

    @api.multi
    def write(self, vals):
        if not _is_internal(self):
            user_fields = [name for name in vals
                           if not name.startswith(CHATTER_PREFIXES)]
            if user_fields and any(c.state == rules.CLOSED for c in self):
                raise UserError(_(
                    "The day is closed: its closing can no longer be changed. "
                    "A billing manager can reopen it with a reason."))
            locked = CLOSING_LOCKED_FIELDS.intersection(vals)
            if "line_ids" in vals and not self._line_updates_only(
                    vals["line_ids"]):
                locked.add("line_ids")
            if locked:
                raise UserError(_(
                    "The cashier, day, channels and state of a daily closing "
                    "are set by its actions (%s).") % ", ".join(sorted(locked)))
        return super().write(vals)

    @api.multi
    def _line_updates_only(self, commands):
        """The form's commands on the lines: updates (then guarded by the
        lines' ``write``) and links of the closings' own lines, nothing else."""
        own = set(self.mapped("line_ids").ids)
        for command in commands or ():
            if command[0] not in (1, 4) or command[1] not in own:
                return False
        return True

    @api.multi
    def unlink(self):
        if any(closing.state == rules.CLOSED for closing in self):
            raise UserError(_("A closed day cannot be deleted."))
        _internal(self.mapped("line_ids")).unlink()
        return super().unlink()

    @api.multi
    def copy(self, default=None):
        # pylint: disable=method-required-super
        self.check_access_rights("create")
        raise UserError(_("A daily closing cannot be duplicated."))

    # -- actions -----------------------------------------------------------------

    @api.model
    def action_close_my_day(self):
        """Open the current user's closing of today (in the estates'
        timezone), created when missing: the cashier's "Close my day"."""
        self.check_access_rights("create")
        company = self.env.user.company_id
        day = self._local_today(company)
        closing = self.search([
            ("cashier_id", "=", self.env.uid), ("date", "=", day),
            ("company_id", "=", company.id)], limit=1)
        if not closing:
            closing = self.create({"cashier_id": self.env.uid, "date": day,
                                   "company_id": company.id})
        elif closing.state == rules.DRAFT:
            closing._refresh_expected()
        return {
            "type": "ir.actions.act_window",
            "name": _("Close My Day"),
            "res_model": self._name,
            "res_id": closing.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.multi
    def action_refresh(self):
        """Recompute the expected takings of open closings from the receipts."""
        self._check_own()
        for closing in self:
            if closing.state != rules.DRAFT:
                raise UserError(_("The day is closed: its takings are frozen."))
        self._refresh_expected()
        return True

    @api.multi
    def action_close(self):
        """Close the day: the expected takings afresh, each difference with its
        reason, frozen with the receipts they came from; new counter receipts
        of the cashier on this day are refused from now on."""
        self._check_own()
        for closing in self:
            with self.env.cr.savepoint():
                closing._lock()
                if closing.state != rules.DRAFT:
                    raise UserError(_("The day %s is already closed.")
                                    % closing.name)
                receipts = closing._refresh_expected()
                closing._check_lines()
                _internal(closing).write({
                    "state": rules.CLOSED,
                    "closed_date": fields.Datetime.now(),
                    "closed_uid": self.env.uid,
                    "receipt_ids": [(6, 0, receipts.ids)],
                })
                closing.message_post(body=_(
                    "Day closed: expected %(expected)s, counted %(counted)s, "
                    "difference %(difference)s.") % {
                        "expected": closing.expected_amount,
                        "counted": closing.counted_amount,
                        "difference": closing.difference_amount})
        return True

    @api.multi
    def action_reopen(self, reason):
        """Reopen closed days with ``reason`` (billing managers only); the
        reason is kept in the chatter."""
        self._check_manager(_("Only a billing manager can reopen a closed day."))
        self.check_access_rights("write")
        self.check_access_rule("write")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason why the day is reopened."))
        for closing in self:
            if closing.state != rules.CLOSED:
                raise UserError(_("The day %s is not closed.") % closing.name)
        for closing in self:
            closing._lock()
            _internal(closing).write({
                "state": rules.DRAFT, "closed_date": False, "closed_uid": False})
            closing.message_post(body=_("Day reopened: %s") % reason)
        return True

    # -- services ------------------------------------------------------------------

    @api.model
    def _check_day_open(self, cashier, day, company):
        """Refuse a new counter receipt of ``cashier`` on a closed ``day``."""
        closing = self.sudo().search([
            ("cashier_id", "=", cashier.id), ("date", "=", day),
            ("company_id", "=", company.id), ("state", "=", rules.CLOSED)],
            limit=1)
        if closing:
            raise UserError(_(
                "The counter day %(day)s of %(cashier)s is closed: no new "
                "counter receipt can be written on it. A billing manager can "
                "reopen the day.") % {"day": day, "cashier": cashier.name})

    @api.multi
    def _check_manager(self, message):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(message)

    @api.multi
    def _check_own(self):
        """Cashiers act on their own closings, billing managers on all."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        if self.env.user.has_group(MANAGER_GROUP):
            return
        if any(closing.cashier_id != self.env.user for closing in self):
            raise AccessError(_(
                "Only the cashier or a billing manager can close a cashier's "
                "day."))

    @api.multi
    def _lock(self):
        """Lock the closing's row: two sessions never close (or reopen) the
        same day at once."""
        self.env.cr.execute(
            "SELECT id FROM property_cash_closing WHERE id IN %s FOR UPDATE",
            (tuple(self.ids),))
        self.invalidate_cache()

    @api.multi
    def _day_receipts(self, all_states=False):
        """The counter receipts of the closing's cashier, day and company."""
        self.ensure_one()
        domain = [("cashier_id", "=", self.cashier_id.id),
                  ("date", "=", self.date),
                  ("company_id", "=", self.company_id.id),
                  ("channel_id.kind", "=", "counter")]
        if not all_states:
            domain.append(("state", "=", "posted"))
        return self.env["property.receipt"].sudo().search(domain, order="id")

    @api.multi
    def _refresh_expected(self):
        """Write the expected takings of each counter channel from the
        receipts (open closings only); the counted amount of a channel other
        than cash follows the expected one until the cashier enters it.
        Returns the receipts counted (of the last closing)."""
        Receipt = self.env["property.receipt"].sudo()
        receipts = Receipt
        for closing in self:
            if closing.state != rules.DRAFT:
                continue
            receipts = closing._day_receipts()
            currency = closing.company_id.currency_id
            takings = rules.expected_takings(
                [(r.channel_code, _decimal(r.amount), False) for r in receipts],
                precision=_decimal(currency.rounding))
            channels = self.env["property.payment.channel"].sudo().with_context(
                active_test=False).search([
                    ("company_id", "=", closing.company_id.id),
                    ("kind", "=", "counter")])
            by_code = {channel.code: channel for channel in channels}
            lines = {line.channel_code: line for line in closing.line_ids}
            Line = _internal(self.env["property.cash.closing.line"].sudo())
            for taking in takings:
                channel = by_code.get(taking.code)
                line = lines.get(taking.code)
                if channel is None and line is None:
                    continue
                vals = {"expected_count": taking.count,
                        "expected_amount": float(taking.amount)}
                counted = rules.default_counted(taking.code, taking.amount)
                if line is None or not line.counted_entered:
                    vals["counted_amount"] = float(counted or 0)
                if line is None:
                    vals.update(closing_id=closing.id, channel_id=channel.id,
                                sequence=channel.sequence)
                    Line.create(vals)
                else:
                    _internal(line.sudo()).write(vals)
            closing.invalidate_cache()
        return receipts

    @api.multi
    def _check_lines(self):
        self.ensure_one()
        currency = self.company_id.currency_id
        lines = [rules.ClosingLine(
            line.channel_code, _decimal(line.expected_amount),
            _decimal(line.counted_amount)
            if line.counted_entered or line.channel_code != CASH else None,
            line.reason) for line in self.line_ids]
        try:
            rules.check_lines(lines, precision=_decimal(currency.rounding))
        except rules.ClosingError as error:
            raise UserError(self._error_message(error))

    @api.model
    def _error_message(self, error):
        params = dict(error.params)
        names = dict(self.env["property.cash.closing.line"]._fields[
            "channel_code"]._description_selection(self.env))
        params["channel"] = names.get(params.get("channel"), params.get("channel"))
        if error.code == rules.REASON_REQUIRED:
            return _("%(channel)s: the counted amount differs from the "
                     "expected takings by %(difference)s. Give the reason "
                     "for the difference.") % params
        if error.code == rules.NOT_COUNTED:
            return _("%(channel)s: count the cash (%(expected)s expected) "
                     "and enter the counted amount.") % params
        if error.code == rules.NEGATIVE_COUNT:
            return _("%(channel)s: a counted amount cannot be negative "
                     "(%(counted)s).") % params
        return error.code

    @api.model
    def _local_today(self, company):
        """Today in the timezone of the company's estates (the first one's),
        else the user's, else China's."""
        estate = self.env["property.estate"].sudo().search(
            [("company_id", "=", company.id)], order="id", limit=1)
        name = estate.tz or self.env.user.tz or DEFAULT_TZ
        try:
            tz = pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            tz = pytz.timezone(DEFAULT_TZ)
        return fields.Date.to_string(
            to_local(datetime.datetime.utcnow(), tz).date())


class PropertyCashClosingLine(models.Model):
    """One counter channel of a daily closing."""

    _name = "property.cash.closing.line"
    _description = "Daily Closing Line"
    _order = "closing_id, sequence, id"

    _sql_constraints = [
        ("closing_channel_uniq", "unique(closing_id, channel_id)",
         "A daily closing has one line per channel."),
    ]

    closing_id = fields.Many2one(
        "property.cash.closing", required=True, index=True, ondelete="cascade",
        readonly=True)
    channel_id = fields.Many2one(
        "property.payment.channel", required=True, readonly=True,
        ondelete="restrict")
    channel_code = fields.Selection(
        CHANNEL_CODES, related="channel_id.code", store=True, readonly=True,
        string="Channel Code")
    sequence = fields.Integer(readonly=True)
    state = fields.Selection(related="closing_id.state", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", related="closing_id.currency_id", readonly=True)
    expected_count = fields.Integer(
        string="Receipts", readonly=True,
        help="The number of non-void receipts of the cashier, day and channel.")
    expected_amount = fields.Monetary(
        string="Expected", readonly=True,
        help="The takings the non-void receipts of the cashier, day and "
             "channel add up to.")
    counted_amount = fields.Monetary(
        string="Counted",
        help="Cash: what was counted by hand. Other channels: the "
             "terminal's total, the expected takings unless changed.")
    counted_entered = fields.Boolean(
        string="Counted by Hand", readonly=True,
        help="The cashier entered the counted amount.")
    difference = fields.Monetary(
        compute="_compute_difference", store=True,
        help="Counted minus expected: negative when the till is short.")
    reason = fields.Char(help="Why the counted amount differs from the "
                              "expected takings (required for a difference).")

    @api.depends("expected_amount", "counted_amount")
    def _compute_difference(self):
        for line in self:
            line.difference = line.currency_id.round(
                line.counted_amount - line.expected_amount) \
                if line.currency_id else line.counted_amount - line.expected_amount

    @api.model
    def create(self, vals):
        if not _is_internal(self):
            self.check_access_rights("create")
            raise UserError(_(
                "The channels of a daily closing come from the receipts: "
                "they cannot be added by hand."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if not _is_internal(self):
            if any(line.closing_id.state != rules.DRAFT for line in self):
                raise UserError(_(
                    "The day is closed: its closing can no longer be changed. "
                    "A billing manager can reopen it with a reason."))
            locked = set(vals) - LINE_USER_FIELDS
            if locked:
                raise UserError(_(
                    "Only the counted amount and the reason of a daily "
                    "closing's channel can be entered (%s).")
                    % ", ".join(sorted(locked)))
            self.mapped("closing_id")._check_own()
            if "counted_amount" in vals:
                for line in self:
                    if float_compare(vals["counted_amount"] or 0.0, 0.0,
                                     precision_rounding=line.currency_id.rounding
                                     or 0.01) < 0:
                        raise UserError(_(
                            "A counted amount cannot be negative (%s).")
                            % vals["counted_amount"])
                vals = dict(vals, counted_entered=True)
        return super().write(vals)

    @api.multi
    def unlink(self):
        if not _is_internal(self):
            self.check_access_rights("unlink")
            raise UserError(_(
                "The channels of a daily closing come from the receipts: "
                "they cannot be removed by hand."))
        return super().unlink()
