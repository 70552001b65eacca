# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The reminders (催缴) and instalment plans (分期) addressed to the owner.

Owners have no access rights on dunning steps and plans (their notes, call
records and reviews are the staff's): the pages read them as the superuser,
filtered first on the user's commercial partner (the payer) and on the
estates where the user holds a unit today. Shown are the steps that went
out to the payer (confirmed, at least one delivery done, or a formal demand
with its letter) and the plans agreed (neither draft nor cancelled). The
demand letter is the dunning module's own report, for those steps only.
"""
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.property_dunning.models.property_dunning_step_letter import (
    LETTER_REPORT,
)

from .portal import PropertyCustomerPortal

SHOWN_STEP_STATES = ("open", "done")
SHOWN_PLAN_STATES = ("active", "completed", "broken")


class PropertyDunningPortal(PropertyCustomerPortal):

    def _dunning_domain(self):
        """The payer's records in the estates of today's occupancies."""
        occupancies = self._get_property_occupancies()
        if not occupancies:
            return [("id", "=", 0)]
        partner = self._get_property_partner()
        return [("partner_id", "child_of", [partner.id]),
                ("estate_id", "in", occupancies.mapped("unit_id.estate_id").ids)]

    def _reminder_steps(self):
        Step = request.env["property.dunning.step"].sudo()
        steps = Step.search(self._dunning_domain() + [
            ("state", "in", SHOWN_STEP_STATES)], order="date desc, id desc")
        return steps.filtered(
            lambda step: step.is_letter or step.delivery_ids.filtered(
                lambda delivery: delivery.state == "sent"))

    def _plans(self):
        Plan = request.env["property.instalment.plan"].sudo()
        return Plan.search(self._dunning_domain() + [
            ("state", "in", SHOWN_PLAN_STATES)])

    def _property_home_counts(self):
        values = super()._property_home_counts()
        if request.env.user.has_group("base.group_portal"):
            values["reminder_count"] = len(self._reminder_steps())
            values["plan_count"] = len(self._plans())
        return values

    # -- reminders ---------------------------------------------------------------

    @http.route(["/my/reminders"], type="http", auth="user", website=True)
    def portal_my_reminders(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "reminder",
            "steps": self._reminder_steps(),
        })
        return request.render("property_portal.portal_my_reminders", values)

    @http.route(["/my/reminders/<int:step_id>/letter"], type="http",
                auth="user", website=True)
    def portal_reminder_letter(self, step_id, **kw):
        step = self._reminder_steps().filtered(
            lambda s: s.id == step_id and s.is_letter)
        if not step:
            raise NotFound()
        return self._property_pdf_response(
            LETTER_REPORT, step, "%s.pdf" % (
                step.name or str(step.id)).replace("/", "-"), inline=True)

    # -- instalment plans --------------------------------------------------------

    @http.route(["/my/plans"], type="http", auth="user", website=True)
    def portal_my_plans(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "plan",
            "plans": self._plans(),
        })
        return request.render("property_portal.portal_my_plans", values)

    @http.route(["/my/plans/<int:plan_id>"], type="http", auth="user",
                website=True)
    def portal_plan_page(self, plan_id, **kw):
        plan = self._plans().filtered(lambda p: p.id == plan_id)
        if not plan:
            raise NotFound()
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "plan",
            "plan": plan,
        })
        return request.render("property_portal.portal_plan_page", values)
