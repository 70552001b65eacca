# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared base for the SLA, escalation, follow-up and analysis tests.

Clocks are fixed: ``self.utc(local)`` turns a wall-clock time of the estate
(Asia/Shanghai, UTC+8) into the naive UTC datetime Odoo stores, and the
complaint methods receive it as ``now`` (or through the context key
``sla_now``). The shipped SLA policies and sampling rules are archived so
that only the policies built here apply.
"""
from datetime import datetime

import pytz

from odoo import fields

from .common_complaint import ComplaintCase

SHANGHAI = pytz.timezone("Asia/Shanghai")
# Friday 2026-03-06 17:00 in Shanghai: the doctest example of rules.sla.
FRI_17 = datetime(2026, 3, 6, 17, 0)


def mon(hour, minute=0):
    """Monday 2026-03-09 at a local wall-clock time."""
    return datetime(2026, 3, 9, hour, minute)


def tue(hour, minute=0):
    return datetime(2026, 3, 10, hour, minute)


class SlaCase(ComplaintCase):
    """``self.office``: Mon-Fri 08:30-12:00 and 13:30-18:00; policies
    ``self.sla_normal`` (4 h / 8 h, office hours), ``self.sla_critical``
    (0.5 h / 4 h, office calendar set but critical runs 24/7); the estate is
    managed by ``self.complaint_manager``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["property.complaint.sla"].search([]).write({"active": False})
        cls.env["property.complaint.sampling.rule"].search([]).write(
            {"active": False})
        cls.estate.write({"tz": "Asia/Shanghai",
                          "manager_id": cls.complaint_manager.id})
        cls.office = cls.env["resource.calendar"].create({
            "name": "Office %d" % cls._next(),
            "attendance_ids": [(5, 0, 0)] + [
                (0, 0, {"name": "Day %d %s" % (day, part), "dayofweek": str(day),
                        "hour_from": start, "hour_to": end})
                for day in range(5)
                for part, start, end in (("am", 8.5, 12.0), ("pm", 13.5, 18.0))
            ],
        })
        cls.Sla = cls.env["property.complaint.sla"]
        cls.sla_normal = cls._create_sla(
            name="Normal", severity="normal", response_hours=4.0,
            resolution_hours=8.0, sequence=20)
        cls.sla_critical = cls._create_sla(
            name="Critical", severity="critical", response_hours=0.5,
            resolution_hours=4.0, sequence=10)

    @classmethod
    def _create_sla(cls, **overrides):
        vals = {
            "name": "SLA %d" % cls._next(),
            "response_hours": 4.0,
            "resolution_hours": 8.0,
            "calendar_id": cls.office.id,
            "warning_share": 0.75,
            "escalation_share": 1.5,
        }
        vals.update(overrides)
        return cls.env["property.complaint.sla"].create(vals)

    @staticmethod
    def utc(local):
        """A local (Shanghai) naive datetime as naive UTC."""
        return SHANGHAI.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    @classmethod
    def utc_str(cls, local):
        return fields.Datetime.to_string(cls.utc(local))

    def local(self, value):
        """An Odoo UTC datetime string as a local naive datetime."""
        if not value:
            return None
        moment = pytz.utc.localize(fields.Datetime.from_string(value))
        return moment.astimezone(SHANGHAI).replace(tzinfo=None)

    def complaint_at(self, reported=FRI_17, **overrides):
        """A complaint reported at the local time ``reported``, assigned to
        ``self.agent`` in ``self.team``, measured at that moment."""
        vals = {
            "partner_id": self.owner.id,
            "description": "The elevator is out of order.",
            "channel": "phone",
            "category_id": self.category_elevator.id,
            "date_reported": self.utc_str(reported),
            "team_id": self.team.id,
            "user_id": self.agent.id,
        }
        vals.update(overrides)
        return self.env["property.complaint"].with_context(
            sla_now=self.utc(reported)).create(vals)

    def at(self, complaint, local):
        """``complaint`` with its clock fixed at the local time ``local``."""
        return complaint.with_context(sla_now=self.utc(local))

    def activities(self, complaint, user=None):
        domain = [("res_model", "=", "property.complaint"),
                  ("res_id", "=", complaint.id)]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)
