# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A level (催缴等级) of a dunning policy: when it runs, on which channels,
with which words, and whether staff review its steps first.

There is no channel that cuts a service (停水停电): the channels are the five
of ``rules.dunning.CHANNELS`` and nothing else (民法典 §944)."""
import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..rules import dunning as rules

BASES = [
    (rules.DUE, "After the oldest bill's due date"),
    (rules.PREVIOUS, "After the previous step"),
]
KINDS = [
    ("reminder", "Reminder"),
    ("call", "Phone call"),
    ("demand", "Formal demand (催告)"),
    ("legal", "Legal escalation"),
]
CHANNEL_FIELDS = (
    (rules.SMS, "use_sms"),
    (rules.EMAIL, "use_email"),
    (rules.PORTAL, "use_portal"),
    (rules.CALL, "use_call"),
    (rules.LETTER, "use_letter"),
)
# The placeholders a level's texts may use, filled in by the step.
PLACEHOLDERS = ("name", "estate", "units", "total", "bills", "oldest_due",
                "days_overdue", "deadline", "phone", "url", "company")
PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")
# Words a respectful dunning text never uses (the templates never threaten;
# services are never cut: 民法典 §944).
FORBIDDEN_WORDS = ("停水", "停电", "停暖", "停气", "断水", "断电", "限电",
                   "cut off", "disconnect", "shut off")


class PropertyDunningLevel(models.Model):
    _name = "property.dunning.level"
    _description = "Dunning Level"
    _order = "policy_id, sequence, id"

    policy_id = fields.Many2one(
        "property.dunning.policy", required=True, ondelete="cascade",
        index=True)
    company_id = fields.Many2one(
        related="policy_id.company_id", store=True, readonly=True)
    sequence = fields.Integer(required=True, default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(
        KINDS, required=True, default="reminder",
        help="A formal demand (催告) gives the owner the policy's period to "
             "pay; a legal case needs one on record whose period passed.")
    days = fields.Integer(required=True, default=0)
    basis = fields.Selection(BASES, required=True, default=rules.DUE)
    use_sms = fields.Boolean(string="SMS")
    use_email = fields.Boolean(string="E-mail")
    use_portal = fields.Boolean(string="Portal Message")
    use_call = fields.Boolean(string="Phone Call Task")
    use_letter = fields.Boolean(string="Printed Letter")
    automatic = fields.Boolean(
        default=True,
        help="Steps of an automatic level are sent by the daily run; the "
             "others wait for a clerk to review them.")
    subject = fields.Char(translate=True)
    sms_text = fields.Text(
        string="SMS Text", translate=True,
        help="Placeholders: {name} {estate} {units} {total} {bills} "
             "{oldest_due} {days_overdue} {deadline} {phone} {url} {company}.")
    body = fields.Text(
        string="Message", translate=True,
        help="The e-mail, portal message or letter text; same placeholders.")

    _sql_constraints = [
        ("code_uniq", "unique(policy_id, code)",
         "A level code is used once per policy."),
        ("days_positive", "CHECK(days >= 0)",
         "The days of a level cannot be negative."),
    ]

    @api.multi
    def _channels(self):
        self.ensure_one()
        return tuple(code for code, name in CHANNEL_FIELDS if self[name])

    @api.multi
    def _rule_level(self):
        self.ensure_one()
        return rules.Level(self.sequence, self.code, self.days, self.basis,
                           self._channels(), self.automatic)

    @api.constrains("use_sms", "use_email", "use_portal", "use_call",
                    "use_letter", "sequence", "days", "basis")
    def _check_policy(self):
        for policy in self.mapped("policy_id"):
            policy._rule_policy()

    @api.constrains("sms_text", "body", "subject")
    def _check_texts(self):
        for level in self:
            for field in ("subject", "sms_text", "body"):
                # every translation is checked, not only the user's
                for text in level._translations(field):
                    level._check_text(text)

    @api.multi
    def _translations(self, field):
        self.ensure_one()
        texts = [self[field] or ""]
        self.env.cr.execute("""
            SELECT value FROM ir_translation
             WHERE name = %s AND res_id = %s AND type = 'model'""",
                            ("%s,%s" % (self._name, field), self.id))
        texts += [row[0] or "" for row in self.env.cr.fetchall()]
        return texts

    @api.model
    def _check_text(self, text):
        lowered = (text or "").lower()
        for word in FORBIDDEN_WORDS:
            if word in lowered:
                raise ValidationError(_(
                    "A dunning text never threatens to cut a service "
                    "(\"%s\"): a property-service company may not cut water, "
                    "power, heating or gas to force payment (民法典 §944).")
                    % word)
        for key in PLACEHOLDER_RE.findall(text or ""):
            if key not in PLACEHOLDERS:
                raise ValidationError(_(
                    "Unknown placeholder {%(key)s}: use one of %(known)s.") % {
                        "key": key,
                        "known": " ".join("{%s}" % k for k in PLACEHOLDERS)})

    @api.model
    def _render(self, text, values):
        """``text`` with its placeholders replaced by ``values`` (strings);
        nothing else of the text is interpreted."""
        return PLACEHOLDER_RE.sub(
            lambda match: str(values.get(match.group(1), match.group(0))),
            text or "")
