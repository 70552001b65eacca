# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import uuid

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from odoo.addons.property_billing.rules import privacy
from odoo.addons.queue_job.job import job

from ..rules import intake as intake_rules
from ..rules.sla import NORMAL, SEVERITIES

_logger = logging.getLogger(__name__)

# Shipped stages by short code (XML id ``complaint_stage_<code>``).
STAGE_CODES = ("new", "accepted", "in_progress", "waiting_owner", "resolved",
               "followup", "closed", "reopened")
# A complaint can only be reopened once it was resolved.
REOPENABLE_FROM = ("resolved", "followup", "closed")
# Stages that need a resolution summary.
AFTER_RESOLUTION = ("resolved", "followup", "closed")
# Events the owner is told about, and the stage that triggers each.
OWNER_EVENTS = {"accepted": "accepted", "resolved": "resolved",
                "closed": "closed"}


class PropertyComplaint(models.Model):
    """An owner's complaint (投诉), from intake to closure.

    Stage changes go through ``write``: the flow guards run first
    (``_check_stage_change``), then the dates are stamped and the owner is
    told (``_notify_owner``). Extension points for other modules:
    ``_followup_done()`` (closing needs a completed follow-up),
    ``_stage_changed(previous)`` (after every stage change) and
    ``_prepare_complaint_vals_from_mail(msg_dict)`` (e-mail intake).
    """

    _name = "property.complaint"
    _description = "Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_reported desc, id desc"
    _mail_post_access = "read"

    def _default_stage_id(self):
        return self._stage("new")

    def _default_access_token(self):
        return str(uuid.uuid4())

    name = fields.Char(
        string="Number", required=True, copy=False, readonly=True,
        index=True, default="/",
    )
    subject = fields.Char(
        track_visibility="onchange",
        help="A short title; filled from the description or the e-mail "
             "subject when left empty.",
    )
    channel = fields.Selection(
        selection=lambda self: self._selection_channel(),
        required=True, default="phone", index=True,
        track_visibility="onchange",
        help="How the complaint came in.",
    )
    date_reported = fields.Datetime(
        string="Reported On", required=True, index=True,
        default=fields.Datetime.now, copy=False,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Complainant", index=True,
        track_visibility="onchange", ondelete="restrict",
    )
    partner_mobile = fields.Char(
        related="partner_id.mobile", string="Mobile", readonly=True)
    partner_email = fields.Char(
        related="partner_id.email", string="E-mail", readonly=True)
    currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=True)
    partner_arrears = fields.Monetary(
        string="Complainant's Arrears", compute="_compute_partner_arrears",
        help="What the complainant owes today on posted bills past their due "
             "date, all units together: a complaint raised while in arrears "
             "is followed up with billing.")
    partner_overdue_count = fields.Integer(
        string="Overdue Bills", compute="_compute_partner_arrears")
    unit_id = fields.Many2one(
        comodel_name="property.unit", index=True,
        track_visibility="onchange", ondelete="restrict",
    )
    estate_id = fields.Many2one(
        comodel_name="property.estate", index=True,
        track_visibility="onchange", ondelete="restrict",
    )
    building_id = fields.Many2one(
        comodel_name="property.building", index=True,
        ondelete="restrict",
    )
    category_id = fields.Many2one(
        comodel_name="property.complaint.category",
        index=True, track_visibility="onchange", ondelete="restrict",
    )
    parent_category_id = fields.Many2one(
        comodel_name="property.complaint.category", string="Area",
        compute="_compute_parent_category_id", store=True, index=True,
        help="The first level of the category, for analysis.",
    )
    severity = fields.Selection(
        selection=lambda self: self._selection_severity(),
        required=True, default=NORMAL, index=True,
        track_visibility="onchange",
    )
    description = fields.Text(required=True)
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="property_complaint_attachment_rel",
        column1="complaint_id", column2="attachment_id",
        string="Photos & Files",
    )
    stage_id = fields.Many2one(
        comodel_name="property.complaint.stage",
        required=True, index=True, copy=False,
        default=lambda self: self._default_stage_id(),
        group_expand="_read_group_stage_ids",
        track_visibility="onchange", ondelete="restrict",
    )
    is_closed = fields.Boolean(
        related="stage_id.is_closed", store=True, readonly=True, index=True,
        string="Closed")
    team_id = fields.Many2one(
        comodel_name="property.complaint.team", index=True,
        track_visibility="onchange", ondelete="restrict",
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Assigned To", index=True,
        track_visibility="onchange",
        groups="property_complaint.group_complaint_user",
    )
    related_invoice_ids = fields.Many2many(
        comodel_name="account.invoice",
        relation="property_complaint_invoice_rel",
        column1="complaint_id", column2="invoice_id",
        string="Related Bills",
        help="Bills this complaint is about; while it is open they count as "
             "disputed for dunning.",
    )
    root_cause = fields.Text(
        help="What really caused the problem (fact-based).",
        groups="property_complaint.group_complaint_user")
    corrective_action = fields.Text(
        help="What was changed so that it does not happen again.",
        groups="property_complaint.group_complaint_user")
    resolution_summary = fields.Text(
        help="What was done for the owner; required to resolve the complaint.")
    sensitive = fields.Boolean(
        track_visibility="onchange",
        groups="property_complaint.group_complaint_user",
        help="About a staff member: only complaint managers see it.")
    repeat_of_id = fields.Many2one(
        comodel_name="property.complaint", copy=False,
        readonly=True, ondelete="set null",
        help="The earlier complaint of the same unit and category within "
             "30 days.",
    )
    is_repeat = fields.Boolean(
        string="Repeat", copy=False, readonly=True, index=True,
        help="The same unit complained about the same category within "
             "30 days.",
    )
    repeat_ids = fields.One2many(
        comodel_name="property.complaint", inverse_name="repeat_of_id",
        string="Repeats")
    date_accepted = fields.Datetime(
        string="Accepted On", copy=False, readonly=True)
    date_resolved = fields.Datetime(
        string="Resolved On", copy=False, readonly=True)
    date_closed = fields.Datetime(
        string="Closed On", copy=False, readonly=True)
    reopen_count = fields.Integer(
        string="Reopened", copy=False, readonly=True,
        help="How many times the complaint was reopened.")
    email_from = fields.Char(
        string="E-mail From", copy=False,
        help="Sender of the e-mail that opened the complaint.")
    sender_to_confirm = fields.Boolean(
        string="Sender to Confirm", copy=False, readonly=True, index=True,
        groups="property_complaint.group_complaint_user",
        help="Opened by an e-mail: its sender address proves nothing, so the "
             "complaint has no complainant (and nobody is told anything) "
             "until the service team confirms who sent it.")
    sender_partner_id = fields.Many2one(
        comodel_name="res.partner", string="Sender (Unconfirmed)", copy=False,
        readonly=True, groups="property_complaint.group_complaint_user",
        help="The only contact whose e-mail address is the sender's: confirm "
             "the sender to make them the complainant.")
    access_token = fields.Char(
        copy=False, default=lambda self: self._default_access_token())
    company_id = fields.Many2one(
        comodel_name="res.company", required=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "property.complaint"),
    )
    color = fields.Integer(string="Color Index")

    # -- selections ----------------------------------------------------------

    @api.model
    def _selection_channel(self):
        labels = {
            "phone": _("Phone"),
            "counter": _("Service Counter"),
            "portal": _("Portal"),
            "wechat": _("WeChat"),
            "email": _("E-mail"),
            "hotline_12345": _("Government Hotline 12345"),
            "other": _("Other"),
        }
        return [(code, labels.get(code, label))
                for code, label in intake_rules.CHANNELS]

    @api.model
    def _selection_severity(self):
        labels = {"normal": _("Normal"), "urgent": _("Urgent"),
                  "critical": _("Critical")}
        return [(code, labels.get(code, label)) for code, label in SEVERITIES]

    # -- computes --------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_partner_arrears(self):
        """Overdue open customer invoices of each complainant (sudo: agents
        see the total, not the bills themselves)."""
        partners = self.mapped("partner_id.commercial_partner_id")
        totals = {}
        if partners:
            groups = self.env["account.invoice"].sudo().read_group(
                [("commercial_partner_id", "in", partners.ids),
                 ("type", "=", "out_invoice"), ("state", "=", "open"),
                 ("date_due", "<", fields.Date.context_today(self))],
                ["commercial_partner_id", "residual"], ["commercial_partner_id"])
            totals = {
                group["commercial_partner_id"][0]: (
                    group["residual"], group["commercial_partner_id_count"])
                for group in groups
            }
        for complaint in self:
            amount, count = totals.get(
                complaint.partner_id.commercial_partner_id.id, (0.0, 0))
            complaint.partner_arrears = amount
            complaint.partner_overdue_count = count

    @api.depends("category_id", "category_id.parent_id")
    def _compute_parent_category_id(self):
        for complaint in self:
            category = complaint.category_id
            complaint.parent_category_id = category.parent_id or category

    @api.multi
    def _compute_portal_url(self):
        for complaint in self:
            complaint.portal_url = "/my/complaints/%s" % complaint.id

    @api.model
    def _read_group_stage_ids(self, stages, domain, order):
        """Every active stage is a kanban column, even when empty."""
        return stages.search([], order=order)

    # -- onchanges -------------------------------------------------------------

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and not self.unit_id:
            unit = self._unit_of_partner(self.partner_id)
            if unit:
                self.unit_id = unit

    @api.onchange("unit_id")
    def _onchange_unit_id(self):
        if self.unit_id:
            self.estate_id = self.unit_id.estate_id
            self.building_id = self.unit_id.building_id

    # -- CRUD --------------------------------------------------------------------

    @api.model
    def create(self, vals):
        vals = dict(vals)
        # A complaint about a staff member (sensitive) registered by an agent
        # is created with the flag set, as the superuser (see
        # property_complaint_sensitive.py): nobody but managers is assigned,
        # subscribed or mailed.
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].next_by_code(
                "property.complaint") or "/"
        self._complete_location_vals(vals)
        if not vals.get("subject") and vals.get("description"):
            vals["subject"] = self._subject_from_text(vals["description"])
        complaint = super().create(vals)
        complaint._detect_repeat()
        complaint._auto_assign()
        if complaint.partner_id:
            complaint.sudo().message_subscribe(
                partner_ids=complaint.partner_id.ids)
        complaint._stamp_dates_on_create(vals)
        code = complaint._stage_code()
        if code in OWNER_EVENTS:
            complaint._notify_owner(OWNER_EVENTS[code])
        return complaint

    @api.multi
    def write(self, vals):
        vals = dict(vals)
        if vals.get("unit_id"):
            self._complete_location_vals(vals)
        if "stage_id" not in vals:
            result = super().write(vals)
            if {"unit_id", "category_id", "date_reported"} & set(vals):
                self._detect_repeat()
            return result
        previous = {complaint.id: complaint.stage_id for complaint in self}
        try:
            with self.env.cr.savepoint():
                result = super().write(vals)
                self._check_stage_change(previous)
        except Exception:
            # Nothing written: forget what the aborted write left in the cache.
            self.invalidate_cache()
            raise
        if {"unit_id", "category_id", "date_reported"} & set(vals):
            self._detect_repeat()
        self._stage_changed(previous)
        return result

    # -- location and repeats ------------------------------------------------

    @api.model
    def _unit_of_partner(self, partner):
        """The unit the complainant currently holds, when there is only one."""
        if not partner:
            return self.env["property.unit"]
        partners = partner | partner.commercial_partner_id
        occupancies = self.env["property.occupancy"].sudo().search([
            ("partner_id", "in", partners.ids),
            ("is_current", "=", True),
        ])
        units = occupancies.mapped("unit_id")
        if len(units) == 1:
            return self.env["property.unit"].browse(units.id)
        return self.env["property.unit"]

    @api.model
    def _complete_location_vals(self, vals):
        """Fill unit (when unique), estate and building into ``vals``."""
        if not vals.get("unit_id") and vals.get("partner_id"):
            unit = self._unit_of_partner(
                self.env["res.partner"].browse(vals["partner_id"]))
            if unit:
                vals["unit_id"] = unit.id
        if vals.get("unit_id"):
            unit = self.env["property.unit"].sudo().browse(vals["unit_id"])
            vals["estate_id"] = unit.estate_id.id
            vals["building_id"] = unit.building_id.id
        return vals

    @api.model
    def _subject_from_text(self, text, size=40):
        first_line = (text or "").strip().splitlines()
        first_line = first_line[0].strip() if first_line else ""
        if len(first_line) > size:
            first_line = first_line[:size].rstrip() + "…"
        return first_line

    @api.multi
    def _detect_repeat(self):
        """Link and flag a complaint of the same unit and category made within
        the repeat window before this one."""
        for complaint in self.sudo():
            previous = self.browse()
            if complaint.unit_id and complaint.category_id:
                reported_at = fields.Datetime.from_string(complaint.date_reported)
                window_start = intake_rules.repeat_window_start(reported_at)
                candidates = self.sudo().search([
                    ("id", "!=", complaint.id),
                    ("unit_id", "=", complaint.unit_id.id),
                    ("category_id", "=", complaint.category_id.id),
                    ("date_reported", ">=",
                     fields.Datetime.to_string(window_start)),
                    ("date_reported", "<=", complaint.date_reported),
                ], order="date_reported desc, id desc")
                for candidate in candidates:
                    if candidate.id > complaint.id and \
                            candidate.date_reported == complaint.date_reported:
                        continue
                    if intake_rules.is_repeat(
                            fields.Datetime.from_string(candidate.date_reported),
                            reported_at):
                        previous = candidate
                        break
            if complaint.repeat_of_id != previous or \
                    complaint.is_repeat != bool(previous):
                complaint.sudo().write({
                    "repeat_of_id": previous.id,
                    "is_repeat": bool(previous),
                })

    # -- assignment ----------------------------------------------------------

    @api.multi
    def _auto_assign(self):
        """Team from the assignment rules, then a member of the team."""
        for complaint in self:
            vals = {}
            team = complaint.team_id
            if not team:
                team = self.env["property.complaint.assignment.rule"].sudo(
                )._team_for(complaint)
                if team:
                    vals["team_id"] = team.id
            if team and not complaint.user_id:
                user = team.sudo()._next_member()
                if user:
                    vals["user_id"] = user.id
            if vals:
                complaint.sudo().write(vals)

    @api.multi
    def action_assign(self):
        """Button: (re)apply the assignment rules to unassigned complaints
        (written as the superuser: the caller must be allowed to change
        them)."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        self.filtered(lambda c: not c.user_id)._auto_assign()
        return True

    # -- stages and flow -----------------------------------------------------

    @api.model
    def _stage(self, code):
        return self.env.ref("property_complaint.complaint_stage_%s" % code,
                            raise_if_not_found=False) or \
            self.env["property.complaint.stage"]

    @api.model
    def _stages(self, codes):
        stages = self.env["property.complaint.stage"]
        for code in codes:
            stages |= self._stage(code)
        return stages

    @api.multi
    def _stage_code(self):
        """Short code of the complaint's stage if it is a shipped one."""
        self.ensure_one()
        for code in STAGE_CODES:
            if self.stage_id == self._stage(code):
                return code
        return False

    @api.multi
    def _followup_done(self):
        """Is the follow-up visit (回访) complete? Overridden by the follow-up
        module part; the base has no follow-up to wait for."""
        self.ensure_one()
        return True

    @api.multi
    def _check_can_close(self):
        """Raise unless the complaint may be closed."""
        for complaint in self:
            if not complaint._followup_done():
                raise UserError(_(
                    "Complaint %s cannot be closed before its follow-up "
                    "visit is completed.") % complaint.name)

    @api.multi
    def _check_stage_change(self, previous):
        """Flow guards, with the new values written (``previous``: {id:
        old stage}); raise UserError to refuse the change."""
        for complaint in self:
            old = previous.get(complaint.id)
            new = complaint.stage_id
            if old == new:
                continue
            code = complaint._stage_code()
            if code in AFTER_RESOLUTION and not (
                    complaint.resolution_summary or "").strip():
                raise UserError(_(
                    "Complaint %(number)s needs a resolution summary before "
                    "it can be moved to \"%(stage)s\".") % {
                        "number": complaint.name, "stage": new.name})
            if code == "reopened" and old not in self._stages(REOPENABLE_FROM):
                raise UserError(_(
                    "Complaint %(number)s is \"%(stage)s\": only resolved, "
                    "followed-up or closed complaints can be reopened.") % {
                        "number": complaint.name, "stage": old.name})
            if code == "closed" or (new.is_closed and not old.is_closed):
                complaint._check_can_close()

    @api.multi
    def _stage_changed(self, previous):
        """After a stage change: stamp the dates and tell the owner.
        Override to react to stage changes (call super)."""
        now = fields.Datetime.now()
        for complaint in self:
            old = previous.get(complaint.id)
            if old == complaint.stage_id:
                continue
            code = complaint._stage_code()
            vals = {}
            if code == "accepted" and not complaint.date_accepted:
                vals["date_accepted"] = now
            elif code == "resolved":
                vals["date_resolved"] = now
                if not complaint.date_accepted:
                    vals["date_accepted"] = now
            elif code == "closed" or complaint.stage_id.is_closed:
                vals["date_closed"] = now
            elif code == "reopened":
                vals.update({
                    "date_resolved": False,
                    "date_closed": False,
                    "reopen_count": complaint.reopen_count + 1,
                })
            if vals:
                complaint.sudo().write(vals)
            if code in OWNER_EVENTS:
                complaint._notify_owner(OWNER_EVENTS[code])

    @api.multi
    def _stamp_dates_on_create(self, vals):
        """A complaint registered directly in a later stage (imports, demo)
        gets the dates of the steps it skipped, unless they were given."""
        self.ensure_one()
        code = self._stage_code()
        reached = {
            "date_accepted": ("accepted", "in_progress", "waiting_owner",
                              "resolved", "followup", "closed"),
            "date_resolved": ("resolved", "followup", "closed"),
            "date_closed": ("closed",),
        }
        stamps = {}
        for field_name, codes in reached.items():
            if code in codes and not vals.get(field_name):
                stamps[field_name] = self.date_reported if \
                    field_name == "date_accepted" and code != "accepted" \
                    else fields.Datetime.now()
        if stamps:
            self.sudo().write(stamps)

    @api.multi
    def action_accept(self):
        return self._move_to("accepted")

    @api.multi
    def action_start(self):
        return self._move_to("in_progress")

    @api.multi
    def action_wait_owner(self):
        return self._move_to("waiting_owner")

    @api.multi
    def action_resolve(self):
        return self._move_to("resolved")

    @api.multi
    def action_close(self):
        return self._move_to("closed")

    @api.multi
    def action_reopen(self):
        return self._move_to("reopened")

    @api.multi
    def _move_to(self, code):
        stage = self._stage(code)
        if not stage:
            raise UserError(_("The stage \"%s\" does not exist any more.") % code)
        self.write({"stage_id": stage.id})
        return True

    # -- owner notifications ---------------------------------------------------

    @api.model
    def _owner_templates(self):
        return {
            "accepted": "property_complaint.mail_template_complaint_accepted",
            "resolved": "property_complaint.mail_template_complaint_resolved",
            "closed": "property_complaint.mail_template_complaint_closed",
        }

    @api.multi
    def _notify_owner(self, event):
        """Tell the complainant about ``event`` (accepted, resolved, closed):
        an e-mail from the event's template, in the owner's language, posted on
        the chatter, and an SMS through property_billing's gateway when it is
        available (``_notify_owner_sms``)."""
        xmlid = self._owner_templates().get(event)
        template = xmlid and self.env.ref(xmlid, raise_if_not_found=False)
        # Nothing goes to a complainant taken from an e-mail header before
        # the service team confirms them.
        for complaint in self.filtered(
                lambda c: c.partner_id and not c.sudo().sender_to_confirm):
            if template:
                complaint.with_context(
                    mail_notify_force_send=False,
                ).message_post_with_template(
                    template.id, composition_mode="comment")
            complaint._notify_owner_sms(event)

    @api.multi
    def _sms_text(self, event):
        self.ensure_one()
        texts = {
            "accepted": _("Your complaint %(number)s has been accepted; we "
                          "will keep you informed."),
            "resolved": _("Your complaint %(number)s has been resolved: "
                          "%(summary)s"),
            "closed": _("Your complaint %(number)s is closed. Thank you."),
        }
        return texts[event] % {
            "number": self.name,
            "summary": self.resolution_summary or "",
        }

    @api.multi
    def _notify_owner_sms(self, event):
        """Queue an SMS to the owner (``_job_send_owner_sms``) when the
        owner has a mobile and agreed to SMS; the job runs outside the stage
        change, so a slow or failing provider never blocks it."""
        self.ensure_one()
        partner = self.partner_id
        if "property.sms.gateway" not in self.env or not partner.mobile:
            return False
        if "property_sms_consent" in partner._fields and \
                not partner.property_sms_consent:
            return False
        self.with_delay(description=_("SMS to the owner of complaint %s")
                        % self.name)._job_send_owner_sms(event)
        return True

    @job
    @api.multi
    def _job_send_owner_sms(self, event):
        """Send the SMS of ``event`` through property_billing's gateway and
        record the outcome on the chatter."""
        self.ensure_one()
        partner = self.partner_id
        gateway = self.env["property.sms.gateway"].sudo()._get_gateway(
            self.company_id)
        if not gateway:
            self.message_post(body=_(
                "No SMS gateway is configured: the owner was not sent an "
                "SMS."))
            return False
        text = self.with_context(lang=partner.lang or "en_US")._sms_text(event)
        result = gateway._send_sms(partner.mobile, text)
        # the chatter and the log are read by others: the mobile is masked
        mobile = privacy.mask_mobile(partner.mobile)
        if result.ok:
            self.message_post(body=_("SMS sent to the owner (%(mobile)s): "
                                     "%(text)s") % {"mobile": mobile,
                                                    "text": text})
        else:
            error = privacy.mask_mobiles_in(result.error or "")
            _logger.info("Complaint %s: SMS to %s failed: %s",
                         self.name, mobile, error)
            self.message_post(body=_(
                "SMS to the owner failed (%s): call the owner instead.")
                % error)
        return result.ok

    # -- mail gateway -----------------------------------------------------------

    @api.model
    def _prepare_complaint_vals_from_mail(self, msg_dict):
        """Values of a complaint opened by an e-mail."""
        email_from = msg_dict.get("email_from") or msg_dict.get("from") or ""
        senders = self._mail_sender_partners(email_from)
        body = tools.html2plaintext(msg_dict.get("body") or "").strip()
        subject = msg_dict.get("subject") or ""
        # The From: header proves nothing (no signature is checked): the
        # complaint gets no complainant until the service team confirms one.
        return {
            "subject": subject or self._subject_from_text(body),
            "description": body or subject or _("(empty e-mail)"),
            "channel": "email",
            "partner_id": False,
            "sender_to_confirm": True,
            "sender_partner_id": senders.id if len(senders) == 1 else False,
            "email_from": email_from,
        }

    @api.model
    def _mail_sender_partners(self, email_from):
        """The contacts whose e-mail address is exactly the sender's
        (compared lower-cased, as parsed addresses: no pattern matching);
        contacts of one company count as that company."""
        Partner = self.env["res.partner"].sudo()
        emails = tools.email_split(email_from or "")
        if not emails:
            return Partner
        address = emails[0].strip().lower()
        escaped = address.replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_")
        candidates = Partner.search([
            "|", ("email", "=ilike", escaped),
            ("email", "ilike", "<%s>" % escaped)])
        partners = candidates.filtered(
            lambda partner: [email.strip().lower() for email in
                             tools.email_split(partner.email or "")][:1]
            == [address])
        companies = partners.mapped("commercial_partner_id")
        if len(partners) > 1 and len(companies) == 1:
            return companies
        return partners

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A new e-mail to the complaint alias opens a complaint, with its
        sender to confirm; the e-mail is posted under its sender address, not
        as a contact found from it."""
        vals = self._prepare_complaint_vals_from_mail(msg_dict)
        vals.update(custom_values or {})
        msg_dict["author_id"] = False
        return self.create(vals)

    @api.multi
    def message_update(self, msg_dict, update_vals=None):
        """A reply threads onto the complaint. Its From: header proves
        nothing: it is posted as a known contact only when that contact
        already follows the complaint, and it subscribes nobody."""
        author = msg_dict.get("author_id")
        if author and author not in self.sudo().message_partner_ids.ids:
            msg_dict["author_id"] = False
        return super().message_update(msg_dict, update_vals=update_vals)

    @api.multi
    def action_confirm_sender(self):
        """Button: the service team confirms who sent the e-mail that opened
        the complaint (the complainant chosen on the form, else the contact
        found from the sender address); the complainant then follows the
        complaint and is told about it from now on."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        for complaint in self:
            partner = complaint.partner_id or complaint.sender_partner_id
            if not partner:
                raise UserError(_(
                    "Choose the complainant of complaint %s before confirming "
                    "the sender.") % complaint.name)
            vals = {"partner_id": partner.id, "sender_to_confirm": False}
            if not complaint.unit_id:
                unit = self._unit_of_partner(partner)
                if unit:
                    vals["unit_id"] = unit.id
            complaint.write(vals)
            complaint.message_subscribe(partner_ids=partner.ids)
        return True

    @api.multi
    def message_get_suggested_recipients(self):
        recipients = super().message_get_suggested_recipients()
        for complaint in self.filtered("partner_id"):
            complaint._message_add_suggested_recipient(
                recipients, partner=complaint.partner_id,
                reason=_("Complainant"))
        return recipients
