# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime
import html
import logging
from collections import OrderedDict, defaultdict

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

from odoo.addons.queue_job.job import job

from ..rules import billing, fees, periods
from ..rules.constants import TRACKING_OFF
from .property_billing_line import FREE_STATES, LEDGER_DRAFT
from .property_unit import to_date

_logger = logging.getLogger(__name__)

CHANNEL = "root.property_billing"
# Posting takes the journal's gapless sequence: one chunk at a time (give
# this channel a capacity of 1 in the server's [queue_job] channels).
POST_CHANNEL = "root.property_billing.post"
CHUNK_SIZE = 500
POST_CHUNK_SIZE = 500
POST_BATCH_SIZE = 5
# First key of pg_try_advisory_xact_lock(key1, unit_id): "billing run" units.
LOCK_KEY = 0x50424C  # 'PBL'
ONE_DAY = datetime.timedelta(days=1)

# Runs write without mail tracking (the batch path is the ORM's equivalent
# with tracking off): one context for both paths.
FAST_CONTEXT = TRACKING_OFF

# Fields only action_preview writes (through _write_preview).
PREVIEW_FIELDS = ("preview_line_count", "preview_amount", "preview_html")

RUN_STATES = [
    ("draft", "Draft"),
    ("generating", "Generating"),
    ("generated", "Generated"),
    ("posted", "Posted"),
    ("cancelled", "Cancelled"),
]


def _retry_later(error):
    """A concurrency error (lock, serialization): the whole job must run again
    (queue_job postpones it, Odoo's RPC layer retries a request), never be
    recorded as a unit's or invoice's error."""
    return (isinstance(error, psycopg2.OperationalError)
            and error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY)


def _error_text(error):
    """The text of ``error`` for the people reading the run: the message of
    an Odoo exception, else the exception's class and text."""
    text = getattr(error, "name", None)
    if isinstance(text, str) and text:
        return text
    return str(error) or type(error).__name__


class PropertyBillingRun(models.Model):
    """A billing run (计费批次): one estate (optionally some buildings) and one
    period, previewed, generated into one draft invoice per unit × payer, then
    posted. Units are billed in chunks run by queue_job; the exactly-once
    ledger (property.billing.line) guarantees a unit, fee item and period is
    billed once, whatever is repeated, resumed or run concurrently."""

    _name = "property.billing.run"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Billing Run"
    _order = "date_from desc, id desc"

    name = fields.Char(
        required=True, copy=False, default="/", readonly=True,
        states={"draft": [("readonly", False)]}, track_visibility="onchange")
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True, ondelete="restrict",
        readonly=True, states={"draft": [("readonly", False)]},
        track_visibility="onchange")
    building_ids = fields.Many2many(
        "property.building", string="Buildings", readonly=True,
        states={"draft": [("readonly", False)]},
        domain="[('estate_id', '=', estate_id)]",
        help="Empty = every building of the estate (and units without one).")
    date_from = fields.Date(
        string="Period From", required=True, readonly=True,
        states={"draft": [("readonly", False)]}, track_visibility="onchange")
    date_to = fields.Date(
        string="Period To", required=True, readonly=True,
        states={"draft": [("readonly", False)]}, track_visibility="onchange")
    billing_period = fields.Char(
        compute="_compute_billing_period", store=True, index=True)
    invoice_date = fields.Date(
        required=True, readonly=True, states={"draft": [("readonly", False)]},
        default=fields.Date.context_today)
    journal_id = fields.Many2one(
        "account.journal", required=True, readonly=True,
        states={"draft": [("readonly", False)]},
        domain="[('type', '=', 'sale'), ('company_id', '=', company_id)]",
        default=lambda self: self._default_journal())
    company_id = fields.Many2one(
        "res.company", related="estate_id.company_id", store=True,
        readonly=True)
    currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", readonly=True)
    state = fields.Selection(
        RUN_STATES, required=True, default="draft", readonly=True, copy=False,
        index=True, track_visibility="onchange")
    unit_count = fields.Integer(
        string="Units", readonly=True, copy=False,
        help="Units in the scope of the run.")
    unit_done_count = fields.Integer(
        string="Units Done", compute="_compute_progress")
    unit_error_count = fields.Integer(
        string="Units in Error", compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress")
    chunk_ids = fields.One2many(
        "property.billing.run.chunk", "run_id", string="Chunks", readonly=True)
    fallback_warning = fields.Text(
        string="Slow Path", compute="_compute_fallback_warning",
        help="Set when chunks of the run could not be written in one batch "
             "and went through the ORM, record by record: the reason, for the "
             "administrator to look at.")
    post_when_generated = fields.Boolean(
        readonly=True, states={"draft": [("readonly", False)]},
        help="Post each chunk's invoices as soon as they are generated (in the "
             "channel root.property_billing.post, one chunk at a time), rather "
             "than after a review of the drafts.")
    preview_line_count = fields.Integer(readonly=True, copy=False)
    preview_amount = fields.Monetary(readonly=True, copy=False)
    # computed by action_preview only (see write()): every value in it is
    # escaped, and it is sanitised again when stored
    preview_html = fields.Html(
        string="Preview", readonly=True, copy=False, sanitize=True)
    issue_ids = fields.One2many(
        "property.billing.run.issue", "run_id", string="Problems", readonly=True)
    issue_count = fields.Integer(compute="_compute_counts")
    invoice_ids = fields.One2many(
        "account.invoice", "property_billing_run_id", string="Invoices",
        readonly=True)
    invoice_count = fields.Integer(compute="_compute_counts")
    amount_total = fields.Monetary(compute="_compute_counts")
    ledger_ids = fields.One2many(
        "property.billing.line", "run_id", string="Billing Ledger", readonly=True)
    note = fields.Text(string="Notes")

    # -- defaults and computes ---------------------------------------------------

    @api.model
    def _default_journal(self):
        company = self.env.user.company_id
        return self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)

    @api.depends("date_from", "date_to")
    def _compute_billing_period(self):
        for run in self:
            if run.date_from and run.date_to and run.date_from <= run.date_to:
                run.billing_period = periods.period_code(run._period())
            else:
                run.billing_period = False

    @api.depends("unit_count", "chunk_ids.unit_count", "chunk_ids.error_count")
    def _compute_progress(self):
        for run in self:
            chunks = run.chunk_ids.filtered(lambda chunk: chunk.kind == "generate")
            run.unit_done_count = sum(chunks.mapped("unit_count"))
            run.unit_error_count = sum(chunks.mapped("error_count"))
            # a resumed run may count a unit twice while old jobs still run
            run.progress = (min(100.0, 100.0 * run.unit_done_count / run.unit_count)
                            if run.unit_count else 0.0)

    @api.multi
    def _compute_counts(self):
        for run in self:
            invoices = run.invoice_ids.filtered(lambda inv: inv.state != "cancel")
            run.invoice_count = len(invoices)
            run.amount_total = sum(invoices.mapped("amount_total"))
            run.issue_count = len(run.issue_ids)

    @api.depends("chunk_ids.fallback_reason")
    def _compute_fallback_warning(self):
        for run in self:
            slow = run.chunk_ids.filtered("fallback_reason")
            if not slow:
                run.fallback_warning = False
                continue
            reasons = list(OrderedDict.fromkeys(slow.mapped("fallback_reason")))
            run.fallback_warning = _(
                "%(count)d of %(total)d chunks could not be written in one batch "
                "and went through the ORM, record by record (about 40 times "
                "slower). Reason: %(reason)s") % {
                    "count": len(slow), "total": len(run.chunk_ids),
                    "reason": "; ".join(reasons[:3])}

    # -- constraints -------------------------------------------------------------------

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for run in self:
            if run.date_to < run.date_from:
                raise ValidationError(_(
                    "The billing period of run %(run)s ends on %(end)s, before "
                    "it starts on %(start)s.") % {
                        "run": run.name, "end": run.date_to,
                        "start": run.date_from})

    @api.constrains("estate_id", "building_ids")
    def _check_buildings(self):
        for run in self:
            strays = run.building_ids.filtered(
                lambda b: b.estate_id != run.estate_id)
            if strays:
                raise ValidationError(_(
                    "Buildings %(buildings)s do not belong to estate "
                    "%(estate)s.") % {"buildings": ", ".join(strays.mapped("name")),
                                      "estate": run.estate_id.name})

    # -- CRUD --------------------------------------------------------------------------

    @api.model
    def _check_computed_vals(self, vals):
        """The preview is what action_preview computed: refuse values for it
        from anyone (``readonly`` binds only the web client)."""
        written = sorted(set(vals) & set(PREVIEW_FIELDS))
        if written:
            raise UserError(_(
                "The preview of a billing run is computed by its Preview "
                "button and cannot be written (%s).") % ", ".join(written))

    @api.model
    def create(self, vals):
        self._check_computed_vals(vals)
        run = super().create(vals)
        if run.name == "/":
            run.name = "%s %s" % (run.estate_id.code, run.billing_period)
        return run

    @api.multi
    def write(self, vals):
        self._check_computed_vals(vals)
        return super().write(vals)

    @api.multi
    def _write_preview(self, vals):
        """Store what action_preview computed (the one writer of the
        preview fields)."""
        # the guarded write() is skipped on purpose: this is its way in
        # pylint: disable=super-method-mismatch
        return super(PropertyBillingRun, self).write(vals)

    @api.multi
    def unlink(self):
        if self.mapped("ledger_ids").filtered(
                lambda line: line.state not in FREE_STATES):
            raise UserError(_(
                "A billing run with invoices cannot be deleted: cancel its "
                "drafts first (posted bills are corrected by credit notes)."))
        self.mapped("issue_ids").unlink()
        self.mapped("ledger_ids").unlink()
        return super().unlink()

    # -- helpers -----------------------------------------------------------------------

    @api.multi
    def _check_run_access(self):
        """The run's actions read and write through SQL (ledger keys, locks,
        the invoice batch): they start with the caller's right to change
        these runs, as access rights and record rules say."""
        self.check_access_rights("write")
        self.check_access_rule("write")

    @api.multi
    def _period(self):
        self.ensure_one()
        return periods.make_period(to_date(self.date_from), to_date(self.date_to))

    @api.multi
    def _scope_domain(self):
        self.ensure_one()
        domain = [("estate_id", "=", self.estate_id.id)]
        if self.building_ids:
            domain.append(("building_id", "in", self.building_ids.ids))
        return domain

    @api.multi
    def _scope_units(self):
        self.ensure_one()
        return self.env["property.unit"].search(self._scope_domain(), order="id")

    @api.multi
    def _standards(self):
        """(billable standards, standards not billable yet) of the period."""
        self.ensure_one()
        Standard = self.env["property.fee.standard"]
        billable = Standard._billable_standards(
            self.estate_id, self.date_from, self.date_to)
        candidates = Standard.search([
            ("estate_id", "=", self.estate_id.id),
            ("state", "in", ("published", "active")),
            ("date_from", "<=", self.date_to),
            "|", ("date_to", "=", False), ("date_to", ">=", self.date_from),
        ])
        return billable, candidates - billable

    @api.multi
    def _plan_standards(self, standards, gated, units, lang=None):
        """[billing.PlanStandard] of ``standards`` (and the gated ones, which
        the plan reports as not billable) for ``units``, their bases worded in
        ``lang`` (default: the context's language)."""
        self.ensure_one()
        period = self._period()
        result = []
        for standard in standards | gated:
            keys = frozenset(unit.id for unit in units
                             if standard._applies_to_unit(unit))
            effective = standard._effective_period(period.date_from, period.date_to)
            billable_from = to_date(standard.billable_from)
            if standard in gated:
                billable_from = billable_from or datetime.date.max
            result.append(billing.PlanStandard(
                standard.id, standard.item_id.id, standard._rules_standard(),
                unit_keys=keys, billable_from=billable_from,
                apportion_basis=standard.item_id.apportion_basis or fees.BY_AREA,
                labels=standard.item_id.with_context(
                    lang=lang or self.env.lang)._rules_labels(),
                period=periods.Period(*effective) if effective else None))
        return [s for s in result if s.period is not None or s.billable_from]

    @api.multi
    def _meters_for(self, item, domain):
        Meter = self.env["property.meter"]
        kind = [("item_id", "=", item.id)]
        if item.meter_kind:
            kind = ["|", ("item_id", "=", item.id), "&", ("item_id", "=", False),
                    ("kind", "=", item.meter_kind)]
        return Meter.search(domain + kind)

    @api.model
    def _read_in_period(self, readings, boundary):
        """Whether ``readings`` hold one dated after ``boundary`` (the day
        before the period): else the meter was not read for the period."""
        boundary = fields.Date.to_string(boundary)
        return bool(readings) and any(r.date > boundary for r in readings)

    @api.multi
    def _consumptions(self, standards, units):
        """{(item id, unit id): billing.Consumption} of the private meters of
        ``units`` for the metered items, from the readings of the period."""
        self.ensure_one()
        period = self._period()
        boundary = period.date_from - ONE_DAY
        result = {}
        items = standards.mapped("item_id").filtered(
            lambda item: item.method == fees.METERED)
        for item in items:
            meters = self._meters_for(item, [("unit_id", "in", units.ids),
                                             ("is_shared", "=", False)])
            if not meters:
                continue
            consumption = meters._consumption_between(boundary, period.date_to)
            if period.date_from.month == 1 and period.date_from.day == 1:
                before = {}
            else:
                before = meters._consumption_in_year_before(boundary)
            for meter in meters:
                total, readings = consumption.get(meter.id, (None, None))
                if not self._read_in_period(readings, boundary):
                    continue  # no reading in the period: missing
                key = (item.id, meter.unit_id.id)
                previous = result.get(key, billing.Consumption(
                    fees.to_decimal(0), fees.to_decimal(0)))
                result[key] = billing.Consumption(
                    previous.quantity + fees.to_decimal(total),
                    previous.billed_this_year
                    + fees.to_decimal(before.get(meter.id, 0)))
        return result

    @api.multi
    def _shared_costs(self, standards):
        """[billing.SharedCost] of the shared meters of the apportioned items:
        consumption of the period × the standard's rate, over the served units
        the standard applies to (every one of them, inside the run or not)."""
        self.ensure_one()
        period = self._period()
        result = []
        for standard in standards.filtered(
                lambda s: s.item_id.method == fees.APPORTIONED):
            meters = self._meters_for(standard.item_id, [
                ("estate_id", "=", self.estate_id.id), ("is_shared", "=", True)])
            if not meters:
                continue
            consumption = meters._consumption_between(
                period.date_from - ONE_DAY, period.date_to)
            for meter in meters:
                total, readings = consumption.get(meter.id, (None, None))
                if not self._read_in_period(readings, period.date_from - ONE_DAY):
                    continue
                served = meter.served_unit_ids or self.env["property.unit"].search(
                    [("estate_id", "=", self.estate_id.id)])
                served = served.filtered(standard._applies_to_unit)
                if not served:
                    continue
                amount = fees.round_money(
                    fees.to_decimal(total) * fees.to_decimal(standard.rate))
                result.append(billing.SharedCost(
                    standard.id, amount,
                    tuple((unit.id, fees.to_decimal(unit.area)) for unit in served)))
        return result

    @api.multi
    def _payer_langs(self, partner_ids):
        """{partner id: language} of the bills of these payers: the payer's
        own language, else the estate's, else the company's (installed
        languages only; en_US as the last resort). Whoever starts the run and
        whichever worker runs its jobs, a payer reads the same words."""
        self.ensure_one()
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        fallback = next(
            (lang for lang in (self.estate_id.lang, self.company_id.partner_id.lang)
             if lang in installed), "en_US")
        partners = self.env["res.partner"].browse(list(set(partner_ids)))
        return {partner.id: partner.lang if partner.lang in installed else fallback
                for partner in partners}

    @api.multi
    def _units_by_lang(self, units, segments, langs):
        """OrderedDict {language: units} of the languages each unit is billed
        in (one per payer language; a unit without payer, which has no line,
        goes with the first language)."""
        by_lang = OrderedDict()
        for lang in sorted(set(langs.values())):
            by_lang[lang] = []
        if not by_lang:
            by_lang[self.env.lang or "en_US"] = []
        first = next(iter(by_lang))
        for unit in units:
            unit_langs = {
                langs[partner] for _start, _end, payers in segments.get(unit.id, [])
                for partner, _share in payers} or {first}
            for lang in unit_langs:
                by_lang[lang].append(unit.id)
        return OrderedDict((lang, units.browse(ids)) for lang, ids in by_lang.items())

    @api.multi
    def _plan(self, units):
        """The ``billing.Plan`` of ``units`` (property.unit) for this run, the
        basis of each line in the language of its payer (``_payer_langs``):
        the units are planned once per language of their payers."""
        self.ensure_one()
        period = self._period()
        standards, gated = self._standards()
        segments = units._payer_segments_by_unit(period.date_from, period.date_to)
        langs = self._payer_langs([
            partner for unit_segments in segments.values()
            for _start, _end, payers in unit_segments for partner, _share in payers])
        consumptions = self._consumptions(standards, units)
        shared_costs = self._shared_costs(standards)
        precision = fees.to_decimal(self.currency_id.rounding or 0.01).normalize()
        order = {unit.id: index for index, unit in enumerate(units)}
        lines, problems, seen = [], [], set()
        for lang, lang_units in self._units_by_lang(units, segments, langs).items():
            plan_units = [billing.PlanUnit(
                unit.id, fees.to_decimal(unit.area), unit.state, unit.unit_type,
                unit.building_id.id, unit.code) for unit in lang_units]
            plan = billing.plan(
                plan_units, segments,
                self._plan_standards(standards, gated, lang_units, lang=lang),
                period, consumptions=consumptions, shared_costs=shared_costs,
                precision=precision)
            lines.extend(line for line in plan.lines
                         if langs.get(line.partner, lang) == lang)
            # a unit planned in two languages reports its problems once
            problems.extend(problem for problem in plan.problems
                            if problem.unit not in seen)
            seen.update(lang_units.ids)
            seen.add(None)
        lines.sort(key=lambda line: order[line.unit])
        return billing.Plan(lines, problems)

    # -- problems ----------------------------------------------------------------------

    @api.model
    def _problem_message(self, problem):
        Standard = self.env["property.fee.standard"]
        Item = self.env["property.fee.item"]
        if problem.code == billing.NO_PAYER:
            return _("No payer (owner or payer occupancy) for %s: these days "
                     "are not billed.") % problem.detail
        if problem.code == billing.MISSING_READING:
            return _("No meter reading of %s in the period: the fee is not "
                     "billed.") % Item.browse(problem.item).display_name
        if problem.code == billing.NOT_BILLABLE:
            standard = Standard.browse(problem.standard)
            return _("Fee standard %(name)s may bill from %(day)s only "
                     "(publication and notice period): not billed.") % {
                         "name": standard.display_name,
                         "day": standard.billable_from or _("its publication")}
        return _("Cannot compute the fee: %s") % self._fee_error_text(
            problem.detail)

    @api.model
    def _fee_error_text(self, error):
        """A ``rules.fees.FeeError`` in the user's language (other errors as
        they are)."""
        if not isinstance(error, fees.FeeError):
            return error
        messages = {
            "negative": _("%(name)s must not be negative (%(value)s)."),
            "no_tier": _("the metered standard has no price tier."),
            "last_tier_limited": _("the last price tier must have no upper "
                                   "limit."),
            "tiers_not_increasing": _("the tier limits must increase "
                                      "(%(upto)s after %(previous)s)."),
            "price_or_tiers": _("the standard needs either a price or tiers."),
            "zero_weight": _("the units to share %(total)s over have no area."),
            "no_unit": _("no unit to share the cost over."),
            "no_consumption": _("a metered fee needs the consumption."),
        }
        template = messages.get(error.code)
        if template is None:
            return str(error)
        return template % error.params

    @api.multi
    def _record_problems(self, problems):
        """Record ``problems`` (billing.Problem) as the run's issues, in one
        INSERT (a run over a register whose meters were read only lately
        meets hundreds of them)."""
        self.ensure_one()
        Issue = self.env["property.billing.run.issue"]
        vals_list, related = [], []
        units = self.env["property.unit"]
        for problem in problems:
            unit = units.browse(problem.unit or ())
            vals_list.append({
                "run_id": self.id,
                "kind": problem.code,
                "unit_id": unit.id,
                "item_id": problem.item or False,
                "standard_id": problem.standard or False,
                "message": self._problem_message(problem),
            })
            related.append({"building_id": unit.building_id.id})
        if vals_list:
            self.env["property.bulk.insert"]._create_records(
                Issue, vals_list, computed=related, shared_defaults=True)

    # -- actions -----------------------------------------------------------------------

    @api.multi
    def action_preview(self):
        """Compute what the run would bill, without writing any invoice."""
        self.ensure_one()
        self._check_run_access()
        if self.state != "draft":
            raise UserError(_("Only a draft run can be previewed."))
        units = self._scope_units()
        plan = self._plan(units)
        self.issue_ids.unlink()
        self._record_problems(plan.problems)
        billed = self._billed_keys(units)
        missing = self.env["property.meter"]._missing_readings(
            self.estate_id, self.date_from, self.date_to,
            buildings=self.building_ids or None)
        for meter in missing:
            self.env["property.billing.run.issue"].create({
                "run_id": self.id, "kind": billing.MISSING_READING,
                "unit_id": meter.unit_id.id, "item_id": meter.item_id.id,
                "message": _("Meter %s has no reading in the period.")
                % meter.display_name})
        self._write_preview({
            "unit_count": len(units),
            "preview_line_count": len(plan.lines),
            "preview_amount": float(plan.total),
            "preview_html": self._preview_html(units, plan, billed),
        })
        return True

    @api.multi
    def _preview_html(self, units, plan, billed):
        Item = self.env["property.fee.item"]
        currency = self.currency_id
        rows = []
        for item_id, total in plan.totals_by_item().items():
            count = len([pl for pl in plan.lines if pl.item == item_id])
            rows.append("<tr><td>%s</td><td class='text-right'>%d</td>"
                        "<td class='text-right'>%s</td></tr>" % (
                            html.escape(Item.browse(item_id).display_name), count,
                            html.escape("%.2f %s" % (total, currency.symbol or ""))))
        already = len({key[0] for key in billed})
        lines = plan.lines[:50]
        names = dict((u.id, u.display_name) for u in units.filtered(
            lambda u: u.id in {pl.unit for pl in lines}))
        partners = {p.id: p.display_name for p in self.env["res.partner"].browse(
            list({pl.partner for pl in lines}))}
        detail = "".join(
            "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
            "<td class='text-right'>%.2f</td></tr>" % (
                html.escape(names.get(pl.unit, "")),
                html.escape(partners.get(pl.partner, "")),
                html.escape(Item.browse(pl.item).display_name),
                html.escape(pl.basis), pl.amount) for pl in lines)
        return (
            "<p>%(units)s</p><table class='table table-condensed'><thead><tr>"
            "<th>%(item)s</th><th>%(lines)s</th><th>%(total)s</th></tr></thead>"
            "<tbody>%(rows)s</tbody></table><p>%(first)s</p>"
            "<table class='table table-condensed'><thead><tr><th>%(unit)s</th>"
            "<th>%(payer)s</th><th>%(item)s</th><th>%(basis)s</th>"
            "<th>%(amount)s</th></tr></thead><tbody>%(detail)s</tbody></table>"
        ) % {
            "units": html.escape(_("%(units)d units, %(lines)d lines, "
                                   "%(problems)d problems; %(billed)d units "
                                   "already billed for this period.") % {
                "units": len(units), "lines": len(plan.lines),
                "problems": len(plan.problems), "billed": already}),
            "item": html.escape(_("Fee item")), "lines": html.escape(_("Lines")),
            "total": html.escape(_("Total")), "rows": "".join(rows),
            "first": html.escape(_("First lines:")), "unit": html.escape(_("Unit")),
            "payer": html.escape(_("Payer")), "basis": html.escape(_("Basis")),
            "amount": html.escape(_("Amount")), "detail": detail,
        }

    @api.multi
    def action_generate(self):
        """Cut the units into chunks and bill them through queue_job (or now,
        with the context key ``property_billing_sync``). Also resumes an
        interrupted run: units already billed are skipped."""
        self.ensure_one()
        self._check_run_access()
        if self.state not in ("draft", "generating", "generated"):
            raise UserError(_("Only a draft or generating run can generate."))
        standards, _gated = self._standards()
        if not standards:
            raise UserError(_(
                "No published fee standard of estate %(estate)s may bill the "
                "period %(period)s.") % {"estate": self.estate_id.name,
                                         "period": self.billing_period})
        standards._check_billable(self.date_from)
        units = self._scope_units()
        self.issue_ids.unlink()
        # the chunks are the run's own progress log (clerks only add to it):
        # restarting the count is the run's, whose rights were checked above
        self.chunk_ids.filtered(
            lambda chunk: chunk.kind == "generate").sudo().unlink()
        self.write({"state": "generating", "unit_count": len(units)})
        sync = self.env.context.get("property_billing_sync")
        for start in range(0, len(units), CHUNK_SIZE):
            chunk = units[start:start + CHUNK_SIZE].ids
            if sync:
                self._generate_chunk(chunk)
            else:
                self.with_delay(
                    channel=CHANNEL,
                    description=_("Billing run %(run)s: units %(first)d-%(last)d")
                    % {"run": self.name, "first": start + 1,
                       "last": start + len(chunk)})._generate_chunk(chunk)
        if not units:
            self.state = "generated"
        return True

    @api.multi
    def _billed_keys(self, units):
        """{(unit id, item id)} already billed (by any run) for this period."""
        self.ensure_one()
        if not units:
            return set()
        self.env.cr.execute("""
            SELECT unit_id, item_id FROM property_billing_line
            WHERE unit_id IN %s AND date_from <= %s AND date_to >= %s
              AND state NOT IN %s
        """, (tuple(units.ids), self.date_to, self.date_from, FREE_STATES))
        return set(self.env.cr.fetchall())

    @api.model
    def _lock_unit(self, unit_id):
        """Take the transaction-level advisory lock of a unit, without waiting:
        False when another transaction (run, worker) is billing it now."""
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)",
                            (LOCK_KEY, unit_id))
        return self.env.cr.fetchone()[0]

    @job(default_channel=CHANNEL)
    @api.multi
    def _generate_chunk(self, unit_ids):
        """Bill ``unit_ids`` in one batch (property.invoice.batch); when the
        batch cannot be written, unit by unit through the ORM, one savepoint
        each, so that one unit's error never stops the others. Units locked
        by another transaction or already billed for the period are skipped;
        a concurrency error fails the job, which queue_job runs again. The
        chunk records itself (property.billing.run.chunk) and, for a run that
        posts when generated, queues the posting of its invoices."""
        self.ensure_one()
        run = self.with_context(**FAST_CONTEXT)
        units = run.env["property.unit"].browse(unit_ids).exists()
        plan = run._plan(units)
        problems_by_unit = run._record_general_problems(plan)
        locked = run._lock_units(units)
        todo = run._units_to_bill(locked, plan, problems_by_unit)
        cache = {}
        errors, fallback = 0, False
        if todo:
            fallback = run._bill_units(todo, cache)
            if fallback:
                errors = run._bill_units_one_by_one(todo, cache)
        invoices = run._chunk_invoices(todo)
        run._close_chunk(len(units), errors, invoices, fallback)
        return len(units)

    @api.multi
    def _record_general_problems(self, plan):
        """Record the problems of ``plan`` that concern no unit (once per run)
        and return the others, {unit id: [billing.Problem]}."""
        self.ensure_one()
        problems_by_unit = {}
        for problem in plan.problems:
            problems_by_unit.setdefault(problem.unit, []).append(problem)
        general = problems_by_unit.pop(None, [])
        existing = self.issue_ids.filtered(lambda i: not i.unit_id).mapped("message")
        self._record_problems(p for p in general
                              if self._problem_message(p) not in existing)
        return problems_by_unit

    @api.multi
    def _lock_units(self, units):
        """The units of ``units`` this transaction could lock; the others,
        being billed by another transaction right now, are recorded as
        skipped (a resumed run bills them)."""
        self.ensure_one()
        Issue = self.env["property.billing.run.issue"]
        locked = []
        for unit in units:
            if self._lock_unit(unit.id):
                locked.append(unit.id)
                continue
            Issue.create({
                "run_id": self.id, "unit_id": unit.id, "kind": "skipped",
                "message": _("Skipped: another run is billing this unit right "
                             "now; run again to resume.")})
        return units.browse(locked)

    @api.multi
    def _units_to_bill(self, units, plan, problems_by_unit):
        """OrderedDict {unit: [billing.PlannedLine]} of the lines of ``plan``
        for ``units`` not billed yet for the period (by any run); records the
        problems of these units."""
        self.ensure_one()
        lines_by_unit = OrderedDict()
        for line in plan.lines:
            lines_by_unit.setdefault(line.unit, []).append(line)
        billed = self._billed_keys(units)
        todo = OrderedDict()
        self._record_problems(
            problem for unit in units
            for problem in problems_by_unit.get(unit.id, []))
        for unit in units:
            lines = [pl for pl in lines_by_unit.get(unit.id, [])
                     if (unit.id, pl.item) not in billed]
            if lines:
                todo[unit] = lines
        return todo

    @api.multi
    def _bill_units_one_by_one(self, todo, cache):
        """Bill the units of ``todo`` through the ORM, one savepoint each: a
        unit's error is recorded on the run and the others go on. Returns
        the number of units in error."""
        self.ensure_one()
        Issue = self.env["property.billing.run.issue"]
        errors = 0
        for unit, lines in todo.items():
            try:
                with self.env.cr.savepoint():
                    self._bill_unit(unit, lines, cache)
            except Exception as error:  # pylint: disable=broad-except
                if _retry_later(error):
                    raise
                self.env.clear()  # the savepoint rolled back what the cache holds
                errors += 1
                _logger.info("billing run %s: unit %s failed: %s",
                             self.id, unit.id, error)
                Issue.create({
                    "run_id": self.id, "unit_id": unit.id, "kind": "error",
                    "message": _("Not billed: %s") % _error_text(error)})
        return errors

    @api.multi
    def _close_chunk(self, unit_count, errors, invoices, fallback=False):
        """Record the chunk (property.billing.run.chunk), close the generation
        when every unit is done and, for a run that posts when generated,
        post the chunk's invoices (queued, or now when synchronous)."""
        self.ensure_one()
        self.env["property.billing.run.chunk"].create({
            "run_id": self.id, "kind": "generate", "unit_count": unit_count,
            "error_count": errors, "invoice_count": len(invoices),
            "fallback_reason": fallback or False})
        self.invalidate_cache(["chunk_ids", "unit_done_count"], self.ids)
        # the chunk that sees every unit done closes the generation (chunks
        # finishing at the same moment may each miss the other: posting
        # closes it then)
        if self.state == "generating" and self.unit_done_count >= self.unit_count:
            self.state = "generated"
        if self.post_when_generated and invoices:
            if self.env.context.get("property_billing_sync"):
                self._post_chunk(invoices.ids)
            else:
                self.with_delay(channel=POST_CHANNEL, description=_(
                    "Billing run %s: post invoices") % self.name)._post_chunk(
                    invoices.ids)

    @api.multi
    def _chunk_invoices(self, todo):
        """The draft invoices of this run for the units of ``todo``."""
        if not todo:
            return self.env["account.invoice"]
        return self.env["account.invoice"].search([
            ("property_billing_run_id", "=", self.id), ("state", "=", "draft"),
            ("property_unit_id", "in", [unit.id for unit in todo])], order="id")

    # -- invoices ----------------------------------------------------------------------

    @api.multi
    def _prefetch_partner_invoice_vals(self, partner_ids, cache):
        """Fill ``cache`` with the partner values of :meth:`_partner_invoice_vals`
        for many partners at once, for the common case that gives the same
        result as the onchange: an individual (no parent, no contacts, so its
        own delivery address) with a receivable account. Fiscal positions found
        by region are looked up once per country, state, zip and VAT."""
        todo = [pid for pid in set(partner_ids) if ("partner", pid) not in cache]
        if not todo:
            return
        company, journal = self.company_id, self.journal_id
        currency = journal.currency_id or company.currency_id
        Fpos = self.env["account.fiscal.position"]
        partners = self.env["res.partner"].browse(todo)
        in_company = partners.with_context(force_company=company.id)
        for partner, p in zip(partners, in_company):
            if (partner.parent_id or partner.child_ids
                    or not p.property_account_receivable_id):
                continue  # the onchange itself, in _partner_invoice_vals
            if partner.property_account_position_id:
                fpos_id = partner.property_account_position_id.id
            else:
                region = ("fpos", partner.country_id.id, partner.state_id.id,
                          partner.zip, bool(partner.vat))
                if region not in cache:
                    cache[region] = Fpos.get_fiscal_position(
                        partner.id, delivery_id=partner.id)
                fpos_id = cache[region]
            cache["partner", partner.id] = {
                "account_id": p.property_account_receivable_id.id,
                "payment_term_id": p.property_payment_term_id.id,
                "fiscal_position_id": fpos_id,
                "partner_bank_id": self._default_partner_bank(cache),
                "currency_id": currency.id,
            }

    @api.multi
    def _default_partner_bank(self, cache):
        if "bank" not in cache:
            cache["bank"] = self.env["account.invoice"].with_context(
                type="out_invoice", journal_id=self.journal_id.id,
                force_company=self.company_id.id).default_get(
                ["partner_bank_id"]).get("partner_bank_id", False)
        return cache["bank"]

    @api.multi
    def _partner_invoice_vals(self, partner, cache):
        """Invoice fields Odoo's ``create`` would fill through its partner and
        journal onchanges, computed once per partner (same values)."""
        key = ("partner", partner.id)
        if key not in cache:
            company = self.company_id
            journal = self.journal_id
            invoice = self.env["account.invoice"].new({
                "partner_id": partner.id, "type": "out_invoice",
                "company_id": company.id, "journal_id": journal.id})
            invoice._onchange_partner_id()
            invoice._onchange_journal_id()
            cache[key] = {
                "account_id": invoice.account_id.id,
                "payment_term_id": invoice.payment_term_id.id,
                "fiscal_position_id": invoice.fiscal_position_id.id,
                "partner_bank_id": self._default_partner_bank(cache),
                "currency_id": invoice.currency_id.id,
            }
        return dict(cache[key])

    @api.multi
    def _item_line_vals(self, item, fpos, partner, cache):
        key = ("item", item.id, fpos.id)
        if key not in cache:
            account = item._income_account()
            if not account:
                raise UserError(_(
                    "Fee item %s has no income account (set one on the item "
                    "or its product).") % item.display_name)
            taxes = item.tax_ids.filtered(
                lambda tax: tax.company_id == self.company_id)
            if fpos:
                account = fpos.map_account(account)
                taxes = fpos.map_tax(taxes, item.product_id, partner)
            cache[key] = {
                "product_id": item.product_id.id,
                "uom_id": item.product_id.uom_id.id,
                "account_id": account.id,
                "invoice_line_tax_ids": [(6, 0, taxes.ids)],
            }
        return dict(cache[key])

    @api.multi
    def _payer_lang(self, partner, cache):
        """The language of ``partner``'s bills (``_payer_langs``), cached."""
        key = ("lang", partner.id)
        if key not in cache:
            cache[key] = self._payer_langs(partner.ids)[partner.id]
        return cache[key]

    @api.multi
    def _invoice_name(self, unit):
        """The invoice's reference, in the context's language."""
        self.ensure_one()
        return _("%(unit)s %(period)s") % {
            "unit": unit.name, "period": self.billing_period}

    @api.multi
    def _prepare_invoice_vals(self, unit, partner, lines, cache):
        """Values of the invoice of ``unit`` for ``partner`` with planned
        ``lines`` (rules.billing.PlannedLine): fee lines, basis and period."""
        self.ensure_one()
        lang = self._payer_lang(partner, cache)
        Item = self.env["property.fee.item"].with_context(lang=lang)
        Standard = self.env["property.fee.standard"]
        vals = self._partner_invoice_vals(partner, cache)
        fpos = self.env["account.fiscal.position"].browse(vals["fiscal_position_id"])
        due_days = max([Standard.browse(pl.standard).due_days or 0
                        for pl in lines] or [0])
        invoice_date = to_date(self.invoice_date)
        vals.update({
            "type": "out_invoice",
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "journal_id": self.journal_id.id,
            "date_invoice": self.invoice_date,
            "date_due": fields.Date.to_string(
                invoice_date + datetime.timedelta(days=due_days)),
            "origin": self.name,
            "name": self.with_context(lang=lang)._invoice_name(unit),
            "property_unit_id": unit.id,
            "billing_period": self.billing_period,
            "property_period_from": self.date_from,
            "property_period_to": self.date_to,
            "property_billing_run_id": self.id,
            "invoice_line_ids": [],
        })
        for sequence, line in enumerate(lines, 1):
            item = Item.browse(line.item)
            line_vals = self._item_line_vals(item, fpos, partner, cache)
            period = periods.Period(line.date_from, line.date_to)
            line_vals.update({
                "sequence": sequence,
                "name": "%s %s" % (item.name, periods.period_code(period)),
                "quantity": 1.0,
                "price_unit": float(line.amount),
                "property_fee_item_id": item.id,
                "property_fee_standard_id": line.standard,
                "property_basis": line.basis,
                "property_period_from": fields.Date.to_string(line.date_from),
                "property_period_to": fields.Date.to_string(line.date_to),
            })
            vals["invoice_line_ids"].append((0, 0, line_vals))
        return vals

    @api.multi
    def _ledger_vals(self, unit, lines):
        """{item id: values} of the ledger rows (property.billing.line) that
        claim ``unit`` × item × period for ``lines``."""
        by_item = OrderedDict()
        for line in lines:
            by_item.setdefault(line.item, []).append(line)
        return OrderedDict((item_id, {
            "run_id": self.id,
            "unit_id": unit.id,
            "item_id": item_id,
            "standard_id": item_lines[0].standard,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "period": self.billing_period,
            "partner_id": item_lines[0].partner,
            "amount": float(sum(pl.amount for pl in item_lines)),
            "state": LEDGER_DRAFT,
        }) for item_id, item_lines in by_item.items())

    @api.multi
    def _unit_invoice_vals(self, unit, lines, ledger_ids, cache):
        """Values of the invoices of ``unit``: one per payer, each line
        pointing to its ledger row (``ledger_ids``: {item id: row id})."""
        by_partner = OrderedDict()
        for line in lines:
            by_partner.setdefault(line.partner, []).append(line)
        result = []
        for partner_id, partner_lines in by_partner.items():
            vals = self._prepare_invoice_vals(
                unit, self.env["res.partner"].browse(partner_id), partner_lines, cache)
            for command, line in zip(vals["invoice_line_ids"], partner_lines):
                command[2]["property_billing_line_id"] = ledger_ids[line.item]
            result.append(vals)
        return result

    @api.model
    def _link_ledger(self, invoices):
        """Point each ledger row to its first invoice line."""
        self.env.cr.execute("""
            SELECT DISTINCT ON (property_billing_line_id) property_billing_line_id, id
            FROM account_invoice_line
            WHERE invoice_id IN %s AND property_billing_line_id IS NOT NULL
            ORDER BY property_billing_line_id, id
        """, (tuple(invoices.ids) or (0,),))
        values = OrderedDict((entry_id, {"invoice_line_id": line_id})
                             for entry_id, line_id in self.env.cr.fetchall())
        Ledger = self.env["property.billing.line"]
        self.env["property.invoice.batch"]._write_values(
            Ledger.browse(list(values)), values)

    @api.multi
    def _bill_unit(self, unit, lines, cache):
        """Claim the ledger keys of ``unit`` (the unique index refuses a key
        billed elsewhere: the savepoint of the caller rolls the unit back),
        then create one draft invoice per payer, through the ORM."""
        Ledger = self.env["property.billing.line"]
        ledger_ids = OrderedDict(
            (item_id, Ledger._create_entries([vals]).id)
            for item_id, vals in self._ledger_vals(unit, lines).items())
        invoices = self.env["account.invoice"]
        for vals in self._unit_invoice_vals(unit, lines, ledger_ids, cache):
            invoices |= invoices.create(vals)
        self._link_ledger(invoices)
        return invoices

    @api.multi
    def _bill_units(self, todo, cache):
        """Bill the units of ``todo`` ({unit: planned lines}) in one batch
        (property.invoice.batch). Returns False when done, else why the batch
        could not be written (a key billed concurrently, a configuration the
        batch does not reproduce, a unit's error), nothing being written: the
        caller then bills the units through the ORM, about 40 times slower,
        and shows the reason on the run."""
        batch = self.env["property.invoice.batch"]
        Ledger = self.env["property.billing.line"]
        try:
            with self.env.cr.savepoint():
                keys, ledger_vals, related = [], [], []
                for unit, lines in todo.items():
                    for item_id, vals in self._ledger_vals(unit, lines).items():
                        keys.append((unit.id, item_id))
                        ledger_vals.append(vals)
                        related.append({"estate_id": unit.estate_id.id,
                                        "company_id": unit.company_id.id})
                self._prefetch_partner_invoice_vals(
                    [line.partner for lines in todo.values() for line in lines], cache)
                ledger = batch._create_records(Ledger, ledger_vals, computed=related)
                ledger_ids = defaultdict(dict)
                for (unit_id, item_id), entry_id in zip(keys, ledger.ids):
                    ledger_ids[unit_id][item_id] = entry_id
                invoice_vals = []
                for unit, lines in todo.items():
                    invoice_vals.extend(self._unit_invoice_vals(
                        unit, lines, ledger_ids[unit.id], cache))
                self._link_ledger(batch._create_invoices(invoice_vals))
            return False
        except Exception as error:  # pylint: disable=broad-except
            if _retry_later(error):
                raise
            self.env.clear()
            reason = _error_text(error)
            _logger.warning(
                "billing run %s: the invoice batch could not be written, %d "
                "units are billed one by one through the ORM (much slower): %s",
                self.id, len(todo), reason)
            return reason

    @api.multi
    def action_post(self):
        """Validate the run's draft invoices, in chunks through queue_job (or
        now with ``property_billing_sync``)."""
        self.ensure_one()
        self._check_run_access()
        if self.state not in ("generated", "generating", "posted"):
            raise UserError(_("Generate the invoices before posting them."))
        drafts = self.invoice_ids.filtered(lambda inv: inv.state == "draft")
        sync = self.env.context.get("property_billing_sync")
        for start in range(0, len(drafts), POST_CHUNK_SIZE):
            chunk = drafts[start:start + POST_CHUNK_SIZE].ids
            if sync:
                self._post_chunk(chunk)
            else:
                self.with_delay(channel=POST_CHANNEL, description=_(
                    "Billing run %s: post invoices") % self.name)._post_chunk(chunk)
        if sync or not drafts:
            self.state = "posted"
        return True

    @job(default_channel=POST_CHANNEL)
    @api.multi
    def _post_chunk(self, invoice_ids):
        """Validate draft invoices as Odoo's ``action_invoice_open`` does (same
        moves, numbers and residuals), in one batch (property.invoice.batch)
        without per-record mail tracking; when the batch cannot be written,
        through the ORM, one by one on an error so that the others post."""
        self.ensure_one()
        invoices = self.env["account.invoice"].with_context(
            **FAST_CONTEXT).browse(invoice_ids).filtered(
            lambda inv: inv.state == "draft")
        fallback = False
        try:
            with self.env.cr.savepoint():
                self.env["property.invoice.batch"].with_context(
                    **FAST_CONTEXT)._post_invoices(invoices)
        except Exception as error:  # pylint: disable=broad-except
            if _retry_later(error):
                raise
            self.env.clear()
            fallback = _error_text(error)
            _logger.warning(
                "billing run %s: the posting batch could not be written, %d "
                "invoices are posted through the ORM (much slower): %s",
                self.id, len(invoices), fallback)
            self._post_invoices(invoices.browse(invoices.ids))
        self.env["property.billing.run.chunk"].create({
            "run_id": self.id, "kind": "post", "invoice_count": len(invoices),
            "fallback_reason": fallback})
        self.invalidate_cache(["chunk_ids", "unit_done_count"], self.ids)
        generated = self.state == "generated" or (
            self.state == "generating" and self.unit_done_count >= self.unit_count)
        if generated and not self.env["account.invoice"].search_count([
                ("property_billing_run_id", "=", self.id), ("state", "=", "draft")]):
            self.state = "posted"
        return len(invoices)

    @api.multi
    def _post_invoices(self, invoices):
        """``action_invoice_open`` on small batches with a fresh cache each:
        Odoo's validation recomputes over every invoice in its prefetch, so its
        cost per invoice grows with the batch (measured here: 7 invoices/s in
        batches of 5, 2 per second in batches of 40)."""
        self.env["property.invoice.batch"]._subscribe_customers(invoices)
        ids = invoices.ids
        for start in range(0, len(ids), POST_BATCH_SIZE):
            # browse() afresh: a slice would share the prefetch of the whole
            # chunk, and Odoo would read and recompute all of it every time
            self._post_batch(invoices.browse(ids[start:start + POST_BATCH_SIZE]))
            invoices.invalidate_cache()

    @api.multi
    def _post_batch(self, invoices):
        Issue = self.env["property.billing.run.issue"]
        try:
            with self.env.cr.savepoint():
                invoices.action_invoice_open()
            return
        except Exception as error:  # pylint: disable=broad-except
            if _retry_later(error):
                raise
            self.env.clear()
        for invoice in invoices:
            try:
                with self.env.cr.savepoint():
                    invoice.action_invoice_open()
            except Exception as error:  # pylint: disable=broad-except
                if _retry_later(error):
                    raise
                self.env.clear()
                Issue.create({
                    "run_id": self.id, "unit_id": invoice.property_unit_id.id,
                    "kind": "error", "message": _("Not posted: %s") % (
                        getattr(error, "name", None) or str(error))})

    @api.multi
    def action_cancel_drafts(self):
        """Cancel the run's draft invoices: their keys are free again."""
        self.ensure_one()
        self._check_run_access()
        drafts = self.invoice_ids.filtered(lambda inv: inv.state == "draft")
        drafts.with_context(**FAST_CONTEXT).action_invoice_cancel()
        if not self.invoice_ids.filtered(lambda inv: inv.state in ("open", "paid")):
            self.state = "cancelled"
        return True

    @api.multi
    def action_refund(self):
        """Open Odoo's credit note wizard on the run's posted invoices: posted
        bills are corrected only through credit notes."""
        self.ensure_one()
        posted = self.invoice_ids.filtered(lambda inv: inv.state == "open")
        if not posted:
            raise UserError(_("The run has no open invoice to credit."))
        action = self.env.ref("account.action_account_invoice_refund").read()[0]
        action["context"] = {"active_model": "account.invoice",
                             "active_ids": posted.ids, "active_id": posted[0].id}
        return action

    @api.multi
    def action_reset_to_draft(self):
        self.ensure_one()
        self._check_run_access()
        if self.invoice_ids.filtered(lambda inv: inv.state != "cancel"):
            raise UserError(_("Cancel the run's invoices first."))
        self.chunk_ids.sudo().unlink()  # the run's progress log, rights checked
        self.write({"state": "draft"})
        return True

    @api.multi
    def action_view_invoices(self):
        self.ensure_one()
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        action["domain"] = [("property_billing_run_id", "=", self.id)]
        action["context"] = {"default_type": "out_invoice", "type": "out_invoice"}
        return action

    @api.multi
    def action_view_issues(self):
        self.ensure_one()
        action = self.env.ref(
            "property_billing.property_billing_run_issue_action").read()[0]
        action["domain"] = [("run_id", "=", self.id)]
        return action
