# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A dunning step (催缴记录): one per payer and day, covering all the payer's
overdue bills that may be chased, at one level, on one or more channels.

Steps are written by the daily run only. A step of an automatic level goes
out at once; the others wait for a clerk's review (``action_confirm``). A
phone call's step is done when its outcome is recorded, a letter's when its
delivery and proof are. Steps stay on record: they are cancelled, never
deleted, and their amounts never change (the evidence of a legal case)."""
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import formatLang

from .property_dunning_payer import CHATTER_PREFIXES

STATES = [
    ("review", "To Review"),
    ("open", "In Progress"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
USER_GROUP = "property_billing.group_billing_user"
MANAGER_GROUP = "property_billing.group_billing_manager"
# What staff may change on a step directly: its notes and chatter. The rest
# changes through the actions and wizards, which pass the service marker.
EDITABLE_FIELDS = frozenset(["note"])
_SERVICE = object()


class PropertyDunningStep(models.Model):
    _name = "property.dunning.step"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Dunning Step"
    _order = "date desc, id desc"

    name = fields.Char(string="Reference", readonly=True, index=True,
                       copy=False)
    payer_id = fields.Many2one(
        "property.dunning.payer", required=True, readonly=True, index=True,
        ondelete="restrict")
    partner_id = fields.Many2one(
        "res.partner", string="Payer", required=True, readonly=True,
        index=True)
    estate_id = fields.Many2one(
        "property.estate", required=True, readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    policy_id = fields.Many2one(
        "property.dunning.policy", readonly=True, ondelete="set null")
    level_id = fields.Many2one(
        "property.dunning.level", required=True, readonly=True,
        ondelete="restrict", index=True)
    level_kind = fields.Selection(
        related="level_id.kind", store=True, readonly=True)
    level_sequence = fields.Integer(readonly=True)
    run_id = fields.Many2one(
        "property.dunning.run", readonly=True, ondelete="set null")
    date = fields.Date(required=True, readonly=True, index=True)
    state = fields.Selection(
        STATES, required=True, default="review", readonly=True, index=True,
        track_visibility="onchange")
    line_ids = fields.One2many(
        "property.dunning.step.line", "step_id", string="Bills",
        readonly=True)
    invoice_ids = fields.Many2many(
        "account.invoice", "property_dunning_step_invoice_rel", "step_id",
        "invoice_id", string="Bills Chased", readonly=True)
    total = fields.Monetary(string="Amount Chased", readonly=True)
    oldest_due = fields.Date(string="Oldest Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True)
    channels = fields.Char(readonly=True)
    left_out = fields.Text(
        string="Channels Left Out", readonly=True,
        help="Channels of the level that could not reach the payer, and why.")
    excluded = fields.Text(
        string="Bills Left Out", readonly=True,
        help="Overdue bills not chased by this step (disputed, in a plan).")
    delivery_ids = fields.One2many(
        "property.dunning.delivery", "step_id", string="Deliveries",
        readonly=True)
    subject = fields.Char(readonly=True)
    sms_text = fields.Text(string="SMS Text", readonly=True)
    body = fields.Text(string="Message", readonly=True)
    deadline = fields.Date(
        string="Pay by", readonly=True,
        help="The period a formal demand gives the owner ends on this day.")
    confirmed_by = fields.Many2one("res.users", readonly=True)
    confirmed_on = fields.Datetime(readonly=True)
    note = fields.Text(string="Notes")

    _sql_constraints = [
        ("payer_date_uniq", "unique(payer_id, date)",
         "A payer gets one dunning step a day."),
    ]

    # -- guards ------------------------------------------------------------------

    @api.model
    def create(self, vals):
        # pylint: disable=method-required-super
        raise AccessError(_(
            "Dunning steps are written by the daily run; they are not "
            "created by hand."))

    @api.model
    def _service(self):
        return self.sudo().with_context(property_dunning_service=_SERVICE)

    @api.model
    def _create_service(self, vals):
        # pylint: disable=super-method-mismatch
        return super(PropertyDunningStep, self._service()).create(vals)

    @api.multi
    def write(self, vals):
        if self.env.context.get("property_dunning_service") is not _SERVICE:
            locked = [name for name in vals if name not in EDITABLE_FIELDS
                      and not name.startswith(CHATTER_PREFIXES)]
            if locked:
                self.check_access_rights("write")
                raise UserError(_(
                    "A dunning step is evidence: it changes only through its "
                    "actions (confirm, record the call, record the "
                    "delivery, cancel)."))
        return super().write(vals)

    @api.multi
    def _write_service(self, vals):
        return self.with_context(property_dunning_service=_SERVICE).write(vals)

    @api.multi
    def unlink(self):
        # pylint: disable=method-required-super
        self.check_access_rights("unlink")
        raise UserError(_(
            "A dunning step is never deleted: cancel it with a reason."))

    @api.multi
    def copy(self, default=None):
        # pylint: disable=method-required-super
        self.check_access_rights("create")
        raise UserError(_("A dunning step cannot be duplicated."))

    # -- actions ---------------------------------------------------------------

    @api.multi
    def _check_staff(self, group=USER_GROUP):
        if not self.env.user.has_group(group):
            raise AccessError(_("Only billing staff can act on dunning steps."))
        self.check_access_rights("write")
        self.check_access_rule("write")

    @api.multi
    def action_confirm(self):
        """A clerk reviewed the step: it goes out on its channels."""
        self._check_staff()
        wrong = self.filtered(lambda step: step.state != "review")
        if wrong:
            raise UserError(_("Only steps to review can be confirmed: %s")
                            % ", ".join(wrong.mapped("name")))
        now = fields.Datetime.now()
        for step in self:
            step._write_service({"state": "open", "confirmed_by": self.env.uid,
                                 "confirmed_on": now})
            step.delivery_ids._release()
        self.mapped("delivery_ids")._send_due()
        self._update_done()
        return True

    @api.multi
    def action_cancel(self):
        """Cancel steps that were not sent (with the reason in the notes)."""
        self._check_staff()
        for step in self:
            if step.state not in ("review", "open"):
                raise UserError(_("Step %s is already closed.") % step.name)
            if step.delivery_ids.filtered(lambda d: d.state == "sent"):
                raise UserError(_(
                    "Step %s went out already: it stays on record.")
                    % step.name)
            if not (step.note or "").strip():
                raise UserError(_(
                    "Write in the notes why step %s is cancelled.") % step.name)
            step._write_service({"state": "cancel"})
            step.delivery_ids._cancel()
            step.payer_id._refresh_last_step()
        return True

    @api.multi
    def _update_done(self):
        """Steps in progress whose deliveries are all settled are done."""
        for step in self.filtered(lambda s: s.state == "open"):
            if all(d.state in ("sent", "failed", "skipped", "cancel")
                   for d in step.delivery_ids):
                step._write_service({"state": "done"})

    # -- texts -------------------------------------------------------------------

    @api.multi
    def _text_values(self, base_url=None, units=None):
        """The placeholders' values of the step's texts, in the payer's
        language (the amount formatted as the language writes it);
        ``units`` (codes, bill count) when the caller read them already."""
        self.ensure_one()
        partner = self.partner_id
        lang_env = self.with_context(lang=partner.lang or self.env.lang).env
        if units is None:
            units = (self.line_ids.mapped("unit_id").mapped("code"),
                     len(self.line_ids))
        if base_url is None:
            base_url = self.env["ir.config_parameter"].sudo().get_param(
                "web.base.url", "")
        return {
            "name": partner.name or "",
            "estate": self.estate_id.name or "",
            "units": "、".join(units[0]),
            "total": formatLang(lang_env, self.total,
                                currency_obj=self.company_id.currency_id),
            "bills": str(units[1]),
            "oldest_due": self.oldest_due or "",
            "days_overdue": str(self.days_overdue),
            "deadline": self.deadline or "",
            "phone": self.estate_id.service_phone or "",
            "url": "%s/my/invoices" % base_url.rstrip("/"),
            "company": self.company_id.name or "",
        }

    @api.multi
    def _render_texts(self):
        """Subject, SMS and message of each step, in the payer's language:
        the levels read once per language, the texts written in one
        statement."""
        Level = self.env["property.dunning.level"]
        base_url = self.env["ir.config_parameter"].sudo().get_param(
            "web.base.url", "")
        self.env.cr.execute("""
            SELECT l.step_id, array_agg(DISTINCT u.code), count(l.id)
              FROM property_dunning_step_line l
              LEFT JOIN property_unit u ON u.id = l.unit_id
             WHERE l.step_id = ANY(%s) GROUP BY l.step_id""", (self.ids,))
        units = {step_id: ([code for code in sorted(codes) if code], count)
                 for step_id, codes, count in self.env.cr.fetchall()}
        langs = {partner.id: partner.lang
                 for partner in self.mapped("partner_id")}
        by_lang = defaultdict(list)
        for step in self:
            by_lang[langs[step.partner_id.id] or self.env.lang].append(step)
        texts = {}
        for lang, steps in by_lang.items():
            levels = Level.with_context(lang=lang).browse(
                list({step.level_id.id for step in steps}))
            words = {level.id: (level.subject, level.sms_text, level.body)
                     for level in levels}
            for step in steps:
                values = step._text_values(base_url,
                                           units.get(step.id, ([], 0)))
                subject, sms, body = words[step.level_id.id]
                texts[step.id] = {
                    "subject": Level._render(subject, values),
                    "sms_text": Level._render(sms, values),
                    "body": Level._render(body, values),
                }
        self.env["property.bulk.insert"]._write_values(
            self._service().browse(list(texts)), texts)


class PropertyDunningStepLine(models.Model):
    """A bill chased by a step, with what was due on it that day (kept as it
    was: the evidence of what the owner was asked)."""

    _name = "property.dunning.step.line"
    _description = "Dunning Step Bill"
    _order = "step_id, date_due, id"

    step_id = fields.Many2one(
        "property.dunning.step", required=True, ondelete="cascade",
        index=True, readonly=True)
    invoice_id = fields.Many2one(
        "account.invoice", string="Bill", required=True, readonly=True,
        index=True, ondelete="restrict")
    unit_id = fields.Many2one("property.unit", readonly=True)
    billing_period = fields.Char(readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True)
    amount_total = fields.Monetary(string="Billed", readonly=True)
    residual = fields.Monetary(string="Due", readonly=True)
    late_fee = fields.Monetary(
        string="Late Fee Accrued", readonly=True,
        help="The late fee the contract allows on this bill that day; a "
             "figure, not billed unless a manager levies it.")
    currency_id = fields.Many2one(
        related="step_id.currency_id", readonly=True)

    @api.model
    def create(self, vals):
        if self.env.context.get("property_dunning_service") is not _SERVICE:
            raise AccessError(_(
                "Dunning steps are written by the daily run; they are not "
                "created by hand."))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if self.env.context.get("property_dunning_service") is not _SERVICE:
            self.check_access_rights("write")
            raise UserError(_("The bills of a dunning step never change."))
        return super().write(vals)

    @api.multi
    def unlink(self):
        if self.env.context.get("property_dunning_service") is not _SERVICE:
            self.check_access_rights("unlink")
            raise UserError(_("The bills of a dunning step never change."))
        return super().unlink()
