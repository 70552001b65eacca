# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..rules import channels as rules


class PropertyPaymentChannel(models.Model):
    """A way owners pay (缴费渠道), with the journal its money goes to.

    Each company has one channel per code; ``_get`` creates a missing one,
    with a journal of its own, the first time a payment needs it.
    """

    _name = "property.payment.channel"
    _description = "Payment Channel"
    _order = "sequence, id"

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)",
         "A company has one payment channel per kind of payment."),
    ]

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(rules.CHANNEL_CODES, required=True, readonly=True)
    kind = fields.Selection(
        [(rules.COUNTER, "Counter"), (rules.BANK, "Bank"),
         (rules.ONLINE, "Online")],
        compute="_compute_kind", store=True,
        help="Counter channels are taken by a cashier and closed daily.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True,
        default=lambda self: self.env.user.company_id)
    journal_id = fields.Many2one(
        "account.journal", required=True,
        domain="[('type', 'in', ('bank', 'cash')), "
               "('company_id', '=', company_id)]",
        help="The cash or bank journal the payments of this channel are "
             "posted to.")
    gives_change = fields.Boolean(
        compute="_compute_kind", store=True,
        help="Cash: the cashier enters the amount handed over and the "
             "change is computed.")

    @api.depends("code")
    def _compute_kind(self):
        for channel in self:
            channel.kind = rules.KIND.get(channel.code)
            channel.gives_change = channel.code == rules.CASH

    @api.constrains("journal_id", "company_id")
    def _check_journal(self):
        for channel in self:
            if channel.journal_id.company_id != channel.company_id:
                raise UserError(_(
                    "The journal of payment channel %s belongs to another "
                    "company.") % channel.name)
            if channel.journal_id.type not in ("bank", "cash"):
                raise UserError(_(
                    "Payment channel %s needs a bank or cash journal.")
                    % channel.name)

    @api.model
    def _get(self, code, company):
        """The channel ``code`` of ``company``, created with its journal when
        the company has none yet (a private service: callers checked their
        right to take the payment)."""
        if code not in rules.KIND:
            raise UserError(_("Unknown payment channel: %s") % code)
        channel = self.sudo().with_context(active_test=False).search(
            [("code", "=", code), ("company_id", "=", company.id)], limit=1)
        if channel:
            if not channel.active:
                raise UserError(_("Payment channel %s is archived.")
                                % channel.name)
            return channel.sudo(self.env.uid)
        Channel = self.sudo().with_context(lang="en_US")
        english = dict(Channel._fields["code"]._description_selection(
            Channel.env))[code]
        journal = self._channel_journal(code, company, self._label(code))
        channel = Channel.create({
            "name": english, "code": code, "company_id": company.id,
            "journal_id": journal.id,
            "sequence": [c for c, _n in rules.CHANNEL_CODES].index(code)})
        # the name in every installed language, as the code's label reads
        for lang, _name in self.env["res.lang"].get_installed():
            if lang != "en_US":
                channel.with_context(lang=lang).write(
                    {"name": self.with_context(lang=lang)._label(code)})
        return channel.sudo(self.env.uid)

    @api.model
    def _label(self, code):
        """The name of channel ``code`` in the context's language."""
        return dict(self._fields["code"]._description_selection(self.env))[code]

    @api.model
    def _channel_journal(self, code, company, name):
        jtype, jcode = rules.JOURNAL[code]
        Journal = self.env["account.journal"].sudo()
        journal = Journal.search([("code", "=", jcode),
                                  ("company_id", "=", company.id)], limit=1)
        if journal:
            return journal
        if not company.chart_template_id and not Journal.search_count(
                [("company_id", "=", company.id), ("type", "=", jtype)]):
            raise UserError(_(
                "Company %s has no chart of accounts: install one before "
                "taking payments.") % company.name)
        return Journal.create({
            "name": name, "code": jcode, "type": jtype,
            "company_id": company.id,
        })
