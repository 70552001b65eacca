# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from .property_unit import to_date

# What the notice announced, set when the standards are published: the
# evidence of the publication (公示), never written afterwards.
PUBLISHED_FIELDS = {"estate_id", "standard_ids", "publication_date",
                    "date_start", "company_id"}


class PropertyFeeNotice(models.Model):
    """Publication notice (公示) of fee standards: created when standards are
    published; printed for the notice board and shown to owners on the portal
    while ``is_published``."""

    _name = "property.fee.notice"
    _inherit = ["mail.thread", "portal.mixin"]
    _description = "Fee Standard Publication Notice"
    _order = "publication_date desc, id desc"

    name = fields.Char(required=True)
    estate_id = fields.Many2one(
        "property.estate", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(
        "res.company", related="estate_id.company_id", store=True,
        readonly=True, index=True)
    standard_ids = fields.Many2many(
        "property.fee.standard", "property_fee_notice_standard_rel",
        "notice_id", "standard_id", string="Fee Standards")
    publication_date = fields.Date(required=True, index=True)
    date_start = fields.Date(
        string="Billing Starts", compute="_compute_date_start", store=True,
        help="First day billed under the published standards (after the "
             "notice period).")
    body = fields.Html(
        string="Notice Text", sanitize=True,
        help="Generated at publication; may be completed before printing.")
    is_published = fields.Boolean(
        string="Shown on Portal", default=True, index=True,
        track_visibility="onchange",
        help="Owners of the estate see this notice on the portal.")
    service_phone = fields.Char(related="estate_id.service_phone", readonly=True)

    @api.depends("standard_ids.date_from", "standard_ids.billable_from")
    def _compute_date_start(self):
        for notice in self:
            starts = [s._notice_start() for s in notice.standard_ids
                      if s.date_from]
            notice.date_start = fields.Date.to_string(min(starts)) \
                if starts else False

    @api.multi
    def write(self, vals):
        """The text, the title and the portal flag may change; what was
        published, when and for which standards may not."""
        frozen = PUBLISHED_FIELDS & set(vals)
        if frozen:
            raise UserError(_(
                "Publication notice %s records what was published and when: "
                "publish a new version of the standards instead.")
                % self[:1].display_name)
        return super().write(vals)

    @api.multi
    def _compute_portal_url(self):
        for notice in self:
            notice.portal_url = "/my/fee_notices/%d" % notice.id

    # -- actions ---------------------------------------------------------------

    @api.multi
    def action_print(self):
        # the report action is data of its own: refuse it for notices the
        # caller may not read, as reading them would
        self.check_access_rights("read")
        self.check_access_rule("read")
        return self.env.ref(
            "property_billing.property_fee_notice_report").report_action(self)

    @api.multi
    def action_toggle_published(self):
        for notice in self:
            notice.is_published = not notice.is_published
        return True

    @api.multi
    def action_refresh_body(self):
        self._refresh_body()
        return True

    # -- business methods ---------------------------------------------------------

    @api.multi
    def _standard_rows(self):
        """One dict per standard for the notice text and the PDF."""
        self.ensure_one()
        cycles = dict(self.env["property.fee.standard"]._fields[
            "cycle"]._description_selection(self.env))
        timings = dict(self.env["property.fee.standard"]._fields[
            "timing"]._description_selection(self.env))
        rows = []
        for standard in self.standard_ids.sorted(
                lambda s: (s.item_id.sequence, s.item_id.id, s.id)):
            rows.append({
                "standard": standard,
                "item": standard.item_id.name,
                "scope": standard.scope_text,
                "method": standard._method_text(),
                "start": fields.Date.to_string(standard._notice_start()),
                "end": standard.date_to or "",
                "cycle": "%s, %s" % (cycles.get(standard.cycle, ""),
                                     timings.get(standard.timing, "")),
                "due_days": standard.due_days,
                "legal_basis": standard.legal_basis or "",
                "service_level": standard.service_level or "",
            })
        return rows

    @api.multi
    def _refresh_body(self):
        """(Re)write the notice text from its standards."""
        for notice in self:
            estate = notice.estate_id
            parts = ["<p>%s</p>" % html_escape(_(
                "To the owners and residents of %(estate)s: the following fee "
                "standards are published on %(date)s and apply from the dates "
                "below.") % {"estate": estate.name,
                             "date": notice.publication_date})]
            parts.append("<ul>")
            for row in notice._standard_rows():
                text = _(
                    "%(item)s (%(scope)s): %(method)s; from %(start)s; billed "
                    "%(cycle)s, due %(due)d days after billing.") % {
                        "item": row["item"], "scope": row["scope"],
                        "method": row["method"], "start": row["start"],
                        "cycle": row["cycle"], "due": row["due_days"]}
                if row["legal_basis"]:
                    text += " " + _("Basis: %s") % row["legal_basis"]
                parts.append("<li>%s</li>" % html_escape(text))
            parts.append("</ul>")
            if estate.service_phone:
                parts.append("<p>%s</p>" % html_escape(_(
                    "Questions: call the service centre at %s.")
                    % estate.service_phone))
            notice.body = "".join(parts)

    @api.model
    def _portal_notices(self, estates, today=None):
        """Published notices of ``estates`` for the portal, newest first."""
        domain = [("estate_id", "in", estates.ids), ("is_published", "=", True)]
        if today:
            domain.append(("publication_date", "<=",
                           fields.Date.to_string(to_date(today))))
        return self.search(domain)
