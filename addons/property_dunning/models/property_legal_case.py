# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A legal case (诉讼 / 仲裁) against a wilful non-payer, with its evidence.

A case is opened by a billing manager, and only on a documented demand
(催告, 民法典 §944): a demand letter of the payer in the estate that reached
the payer with proof, whose period to pay has passed. It claims the payer's
open bills that such a demand asked for. Its evidence pack is one ZIP: an
index PDF and every notice, proof of delivery, bill, call record and the fee
standard's publication (property_legal_case_evidence.py)."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .property_dunning_step import MANAGER_GROUP

KINDS = [
    ("lawsuit", "Lawsuit (诉讼)"),
    ("arbitration", "Arbitration (仲裁)"),
]
STATES = [
    ("draft", "Draft"),
    ("filed", "Filed"),
    ("closed", "Closed"),
]
OUTCOMES = [
    ("paid", "Paid before a decision"),
    ("settled", "Settled / mediated"),
    ("won", "Judgment or award for the company"),
    ("partial", "Partly upheld"),
    ("dismissed", "Dismissed"),
    ("withdrawn", "Withdrawn"),
]
# What only the case's actions change.
SERVICE_FIELDS = frozenset([
    "state", "demand_step_id", "filed_on", "closed_on", "evidence_attachment_id",
    "evidence_date", "evidence_manifest", "payer_id", "date", "company_id"])
_SERVICE = object()


class PropertyLegalCase(models.Model):
    _name = "property.legal.case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Legal Case"
    _order = "date desc, id desc"

    name = fields.Char(string="Reference", readonly=True, copy=False,
                       default="/")
    partner_id = fields.Many2one(
        "res.partner", string="Payer", required=True, index=True,
        ondelete="restrict", track_visibility="onchange")
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True,
        help="The estate's company (the claimant).")
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    payer_id = fields.Many2one(
        "property.dunning.payer", string="Dunning Status", readonly=True,
        ondelete="restrict")
    kind = fields.Selection(KINDS, required=True, default="lawsuit",
                            track_visibility="onchange")
    venue = fields.Char(
        string="Court / Arbitration Commission", track_visibility="onchange",
        help="The people's court (人民法院) or the arbitration commission "
             "(仲裁委员会) the case goes to.")
    case_number = fields.Char(
        string="Court Case No.", track_visibility="onchange")
    date = fields.Date(string="Opened on", required=True, readonly=True,
                       default=lambda self: self._today())
    filed_on = fields.Date(readonly=True, track_visibility="onchange")
    closed_on = fields.Date(readonly=True, track_visibility="onchange")
    state = fields.Selection(STATES, required=True, default="draft",
                             readonly=True, track_visibility="onchange")
    demand_step_id = fields.Many2one(
        "property.dunning.step", string="Documented Demand", readonly=True,
        ondelete="restrict",
        help="The demand letter (催告) that reached the payer with proof and "
             "whose period passed (民法典 §944).")
    invoice_ids = fields.Many2many(
        "account.invoice", "property_legal_case_invoice_rel", "case_id",
        "invoice_id", string="Bills Claimed",
        domain="[('type', '=', 'out_invoice'), ('state', '=', 'open'), "
               "('partner_id', '=', partner_id), "
               "('property_estate_id', '=', estate_id)]")
    amount_principal = fields.Monetary(
        string="Arrears Claimed", compute="_compute_amounts", store=True)
    late_fee = fields.Monetary(
        string="Late Fee Claimed", compute="_compute_amounts", store=True,
        help="The late fee the contract provides on the claimed bills, "
             "counted to the day the case was opened.")
    amount_claimed = fields.Monetary(
        string="Total Claimed", compute="_compute_amounts", store=True)
    step_ids = fields.Many2many(
        "property.dunning.step", compute="_compute_step_ids",
        string="Dunning Steps on Record")
    step_count = fields.Integer(compute="_compute_step_ids")
    outcome = fields.Selection(OUTCOMES, track_visibility="onchange")
    outcome_note = fields.Text(string="Outcome Notes")
    note = fields.Text(string="Notes")
    evidence_attachment_id = fields.Many2one(
        "ir.attachment", string="Evidence Pack", readonly=True,
        ondelete="set null")
    evidence_date = fields.Datetime(string="Evidence Exported on",
                                    readonly=True)
    evidence_manifest = fields.Text(readonly=True)

    # -- computes ------------------------------------------------------------------

    @api.depends("invoice_ids", "date")
    def _compute_amounts(self):
        for case in self:
            currency = case.currency_id or case.env.user.company_id.currency_id
            principal = currency.round(sum(case.invoice_ids.mapped("residual")))
            fee = currency.round(case._late_fee_of(case.invoice_ids))
            case.amount_principal = principal
            case.late_fee = fee
            case.amount_claimed = currency.round(principal + fee)

    @api.multi
    def _late_fee_of(self, invoices):
        """The late fee accrued on ``invoices`` by the case's date, under the
        estate's dunning policy (a figure)."""
        self.ensure_one()
        if not invoices or not self.estate_id:
            return 0.0
        policy = self.env["property.dunning.policy"].sudo()._policy_for(
            self.estate_id)
        if not policy:
            return 0.0
        rule = policy._late_fee_rule()
        today = fields.Date.from_string(self.date or fields.Date.today())
        run = self.env["property.dunning.run"]
        return sum(run._bill_fee(rule, {
            "id": invoice.id, "residual": invoice.residual,
            "amount_total": invoice.amount_total,
            "date_due": fields.Date.from_string(invoice.date_due)}, today)
            for invoice in invoices.sudo() if invoice.date_due)

    @api.depends("partner_id", "estate_id")
    def _compute_step_ids(self):
        Step = self.env["property.dunning.step"]
        for case in self:
            steps = Step.browse()
            if case.partner_id and case.estate_id:
                steps = Step.search([
                    ("partner_id", "=", case.partner_id.id),
                    ("estate_id", "=", case.estate_id.id),
                    ("state", "!=", "cancel")], order="date, id")
            case.step_ids = steps
            case.step_count = len(steps)

    # -- constraints ---------------------------------------------------------------

    @api.constrains("invoice_ids", "partner_id", "estate_id")
    def _check_invoices(self):
        for case in self:
            wrong = case.invoice_ids.filtered(
                lambda inv: inv.type != "out_invoice"
                or inv.commercial_partner_id
                != case.partner_id.commercial_partner_id
                or inv.property_estate_id != case.estate_id)
            if wrong:
                raise ValidationError(_(
                    "A case claims bills of its payer in its estate only: %s")
                    % ", ".join(wrong.mapped(lambda i: i.number or str(i.id))))

    # -- the demand before suit ------------------------------------------------------

    @api.model
    def _today(self):
        """Today in the user's timezone (the tests set it)."""
        return fields.Date.context_today(self)

    @api.model
    def _demand_steps(self, partner, estate):
        return self.env["property.dunning.step"].search([
            ("partner_id", "=", partner.id), ("estate_id", "=", estate.id),
            ("level_kind", "=", "demand"), ("state", "!=", "cancel")],
            order="date, id")

    @api.model
    def _documented_demands(self, partner, estate, today=None):
        """The payer's demand letters in the estate that reached the payer
        with proof and whose period passed by ``today``; raises a UserError
        naming what is missing when there is none."""
        today = today or self._today()
        steps = self._demand_steps(partner, estate)
        values = {"payer": partner.display_name, "estate": estate.display_name}
        if not steps:
            raise UserError(_(
                "No formal demand (催告) to %(payer)s in %(estate)s is on "
                "record. A demand letter giving a reasonable period to pay "
                "must come before a lawsuit or arbitration (民法典 §944).")
                % values)
        documented = steps.filtered(lambda s: s._letter_documented())
        if not documented:
            values["steps"] = ", ".join(steps.mapped("name"))
            raise UserError(_(
                "The demand letter %(steps)s to %(payer)s has no recorded "
                "delivery with proof (registered-mail number, signature or "
                "photo). Record its delivery first: a demand counts once it "
                "reached the payer (民法典 §944).") % values)
        passed = documented.filtered(
            lambda s: s.letter_deadline and s.letter_deadline < today)
        if not passed:
            first = documented.sorted("letter_deadline")[0]
            values.update(step=first.name, deadline=first.letter_deadline)
            raise UserError(_(
                "The period the demand %(step)s gives %(payer)s runs until "
                "%(deadline)s. A case can be opened once it has passed "
                "(民法典 §944).") % values)
        return passed

    @api.model
    def _claimable_invoices(self, demands):
        """The open bills the ``demands`` asked for."""
        return demands.mapped("invoice_ids").filtered(
            lambda inv: inv.state == "open" and inv.residual > 0)

    # -- CRUD ----------------------------------------------------------------------

    @api.model
    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_(
                "Only billing managers can open legal cases and export their "
                "evidence."))

    @api.model
    def create(self, vals):
        self._check_manager()
        self.check_access_rights("create")
        partner = self.env["res.partner"].browse(vals.get("partner_id"))
        estate = self.env["property.estate"].browse(vals.get("estate_id"))
        if not partner.exists() or not estate.exists():
            raise UserError(_("A legal case needs its payer and estate."))
        today = self._today()
        demands = self._documented_demands(partner, estate, today)
        claimable = self._claimable_invoices(demands)
        if vals.get("invoice_ids"):
            asked = self._m2m_ids(vals["invoice_ids"])
            missing = self.env["account.invoice"].browse(
                sorted(set(asked) - set(claimable.ids)))
            if missing:
                raise UserError(_(
                    "Only open bills a documented demand asked for can be "
                    "claimed; not: %s") % ", ".join(
                        missing.mapped(lambda i: i.number or str(i.id))))
        else:
            vals["invoice_ids"] = [(6, 0, claimable.ids)]
        if not self._m2m_ids(vals["invoice_ids"]):
            raise UserError(_(
                "The bills the demand asked for are all settled: there is "
                "nothing to claim."))
        payer = self.env["property.dunning.payer"].sudo().search([
            ("partner_id", "=", partner.id), ("estate_id", "=", estate.id)],
            limit=1)
        vals.update(
            name=self.env["ir.sequence"].sudo().next_by_code(
                "property.legal.case") or "/",
            demand_step_id=demands.sorted("letter_deadline")[-1].id,
            payer_id=payer.id or False, state="draft", date=today,
            company_id=estate.company_id.id)
        case = super(PropertyLegalCase, self.with_context(
            property_legal_case_service=_SERVICE)).create(vals)
        # the caller's environment, without the service marker
        return self.browse(case.id)

    @api.model
    def _m2m_ids(self, commands):
        ids = []
        for command in commands or []:
            if command[0] == 6:
                ids = list(command[2])
            elif command[0] == 4:
                ids.append(command[1])
        return ids

    @api.multi
    def write(self, vals):
        if self.env.context.get("property_legal_case_service") is not _SERVICE:
            locked = SERVICE_FIELDS.intersection(vals)
            if locked:
                raise UserError(_(
                    "The state, demand and evidence of a legal case change "
                    "through its actions only."))
            if {"partner_id", "estate_id"}.intersection(vals):
                raise UserError(_(
                    "The payer and estate of a legal case never change: "
                    "open another case."))
            if "invoice_ids" in vals:
                for case in self:
                    if case.state != "draft":
                        raise UserError(_(
                            "The bills of case %s were filed: they no longer "
                            "change.") % case.name)
                    claimable = self._claimable_invoices(
                        self._documented_demands(case.partner_id,
                                                 case.estate_id))
                    new = self.env["account.invoice"].browse(
                        self._resolve_m2m(case, vals["invoice_ids"]))
                    if new - claimable - case.invoice_ids:
                        raise UserError(_(
                            "Only open bills a documented demand asked for "
                            "can be claimed."))
        return super().write(vals)

    @api.model
    def _resolve_m2m(self, case, commands):
        ids = list(case.invoice_ids.ids)
        for command in commands or []:
            if command[0] == 6:
                ids = list(command[2])
            elif command[0] == 4:
                ids.append(command[1])
            elif command[0] in (2, 3):
                ids = [i for i in ids if i != command[1]]
            elif command[0] == 5:
                ids = []
        return ids

    @api.multi
    def _write_service(self, vals):
        return self.with_context(
            property_legal_case_service=_SERVICE).write(vals)

    @api.multi
    def unlink(self):
        self._check_manager()
        if self.filtered(lambda case: case.state != "draft"):
            raise UserError(_(
                "A filed legal case is never deleted: close it with its "
                "outcome."))
        return super().unlink()

    @api.multi
    def copy(self, default=None):
        # pylint: disable=method-required-super
        self.check_access_rights("create")
        raise UserError(_("A legal case cannot be duplicated."))

    # -- actions ---------------------------------------------------------------------

    @api.multi
    def _check_action(self):
        self._check_manager()
        self.check_access_rights("write")
        self.check_access_rule("write")

    @api.multi
    def action_file(self):
        """The case went to the court or the arbitration commission."""
        self._check_action()
        for case in self:
            if case.state != "draft":
                raise UserError(_("Case %s is already filed.") % case.name)
            if not (case.venue or "").strip():
                raise UserError(_(
                    "Enter the court or the arbitration commission of case "
                    "%s first.") % case.name)
            if not case.invoice_ids:
                raise UserError(_("Case %s claims no bill.") % case.name)
            case._write_service({
                "state": "filed",
                "filed_on": fields.Date.context_today(case)})
        return True

    @api.multi
    def action_close(self):
        """The case is over: its outcome and notes are on record."""
        self._check_action()
        for case in self:
            if case.state != "filed":
                raise UserError(_(
                    "Only a filed case can be closed: %s") % case.name)
            if not case.outcome or not (case.outcome_note or "").strip():
                raise UserError(_(
                    "Enter the outcome of case %s and its notes first.")
                    % case.name)
            case._write_service({
                "state": "closed",
                "closed_on": fields.Date.context_today(case)})
        return True

    @api.multi
    def action_open_steps(self):
        self.ensure_one()
        action = self.env.ref(
            "property_dunning.property_dunning_step_action").read()[0]
        action["domain"] = [("id", "in", self.step_ids.ids)]
        action["context"] = {}
        return action
