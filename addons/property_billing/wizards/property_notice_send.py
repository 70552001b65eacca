# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..rules import delivery as delivery_rules

SEND_NOW_LIMIT = 100


class PropertyNoticeSend(models.TransientModel):
    """Send the billing notices of selected bills, or of a billing run, on
    the chosen channels. Deliveries are queued (one per bill and channel);
    "Send now" tries e-mail, SMS and portal at once (SMS still wait for the
    end of the quiet hours), the printed channel marks the print deliveries
    sent and opens the building batch (rendering it changes nothing)."""

    _name = "property.notice.send"
    _description = "Send Billing Notices"

    billing_run_id = fields.Many2one("property.billing.run")
    invoice_ids = fields.Many2many(
        "account.invoice", string="Bills",
        domain=[("type", "=", "out_invoice"), ("state", "in", ("open", "paid"))])
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    channel_email = fields.Boolean(string="E-mail", default=True)
    channel_sms = fields.Boolean(string="SMS", default=True)
    channel_portal = fields.Boolean(string="Portal", default=True)
    channel_print = fields.Boolean(string="Print for Posting", default=False)
    resend = fields.Boolean(
        help="Send again on channels where the notice was already sent.")
    send_now = fields.Boolean(
        default=True, help="Send now instead of leaving it to the scheduler.")

    @api.model
    def default_get(self, field_names):
        values = super().default_get(field_names)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model == "account.invoice" and ids:
            values["invoice_ids"] = [(6, 0, ids)]
        elif model == "property.billing.run" and ids:
            values["billing_run_id"] = ids[0]
            values["invoice_ids"] = [(6, 0, self._run_invoices(
                self.env[model].browse(ids[0])).ids)]
        if len((values.get("invoice_ids") or [(6, 0, [])])[0][2]) > SEND_NOW_LIMIT:
            # thousands of bills: leave them to the scheduler
            values["send_now"] = False
        return values

    @api.depends("invoice_ids")
    def _compute_invoice_count(self):
        for wizard in self:
            wizard.invoice_count = len(wizard.invoice_ids)

    @api.onchange("billing_run_id")
    def _onchange_billing_run_id(self):
        if self.billing_run_id:
            self.invoice_ids = self._run_invoices(self.billing_run_id)

    @api.model
    def _run_invoices(self, run):
        return run.invoice_ids.filtered(
            lambda inv: inv.type == "out_invoice" and inv.state in ("open", "paid"))

    @api.multi
    def _channels(self):
        self.ensure_one()
        return [code for code, flag in (
            (delivery_rules.EMAIL, self.channel_email),
            (delivery_rules.SMS, self.channel_sms),
            (delivery_rules.PORTAL, self.channel_portal),
            (delivery_rules.PRINT, self.channel_print)) if flag]

    @api.multi
    def action_send(self):
        self.ensure_one()
        # a wizard has no access rights: sending records deliveries of bills
        # the user must be able to see
        self.env["property.notice.delivery"].check_access_rights("create")
        invoices = self.invoice_ids
        invoices.check_access_rights("read")
        invoices.check_access_rule("read")
        if not invoices:
            raise UserError(_("Select at least one validated bill."))
        channels = self._channels()
        if not channels:
            raise UserError(_("Choose at least one channel."))
        Delivery = self.env["property.notice.delivery"]
        deliveries = Delivery._queue(invoices, channels, resend=self.resend)
        if self.send_now:
            deliveries.filtered(
                lambda d: d.state == "queued"
                and d.channel in delivery_rules.SCHEDULED_CHANNELS)._send()
        if delivery_rules.PRINT in channels:
            buildings = invoices.mapped("property_unit_id.building_id")
            if not buildings:
                raise UserError(_(
                    "The selected bills have no building to print a batch for."))
            # this button, not the rendering of the report (a GET any image
            # tag can make), records the notices as printed
            Delivery._mark_printed(invoices)
            return self.env.ref(
                "property_billing.report_billing_notice_building_action"
            ).report_action(buildings, data={"invoice_ids": invoices.ids})
        action = self.env.ref(
            "property_billing.property_notice_delivery_action").read()[0]
        action["domain"] = [("id", "in", deliveries.ids)]
        return action
