# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA clock of complaints: policy matching, working hours, holidays,
pauses while waiting on the owner, critical complaints around the clock."""
from datetime import datetime

from odoo.exceptions import ValidationError

from .common_sla import FRI_17, SlaCase, mon


class TestSlaClock(SlaCase):

    def test_policy_matched_by_severity_and_parent_category(self):
        complaint = self.complaint_at()
        self.assertEqual(complaint.sla_id, self.sla_normal)
        # a policy for the repair area covers its elevator sub-category
        repair = self._create_sla(name="Repairs", severity="normal",
                                  category_id=self.category_repair.id,
                                  response_hours=2.0)
        self.assertEqual(
            self.Sla._match("normal", self.category_elevator), repair)
        complaint.write({"category_id": self.category_elevator.id,
                         "severity": "urgent"})
        # no policy covers urgent complaints here
        self.assertFalse(complaint.sla_id)
        complaint.write({"severity": "critical"})
        self.assertEqual(complaint.sla_id, self.sla_critical)
        complaint.write({"severity": "normal"})
        self.assertEqual(complaint.sla_id, repair)

    def test_deadlines_in_working_hours(self):
        """Reported Friday 17:00: 1 h left on Friday, then Monday morning."""
        complaint = self.complaint_at()
        # response 4 h: Fri 17-18, Mon 08:30-11:30
        self.assertEqual(self.local(complaint.response_deadline), mon(11, 30))
        # resolution 8 h: Fri 1 h + Mon 3.5 h + 3.5 h from 13:30
        self.assertEqual(self.local(complaint.resolution_deadline), mon(17, 0))
        self.assertEqual(complaint.response_status, "ok")
        # stored as UTC: Monday 11:30 in Shanghai is 03:30 UTC
        self.assertEqual(complaint.response_deadline, "2026-03-09 03:30:00")

        complaint._sla_refresh(self.utc(mon(10, 30)))
        self.assertEqual(complaint.response_status, "warning")
        self.assertAlmostEqual(complaint.response_hours, 3.0)
        self.assertEqual(complaint.sla_status, "warning")

        complaint._sla_refresh(self.utc(mon(14, 0)))
        self.assertEqual(complaint.response_status, "breached")
        self.assertTrue(complaint.response_breached)
        self.assertFalse(complaint.resolution_breached)

    def test_response_clock_stops_at_acceptance(self):
        complaint = self.complaint_at()
        complaint.write({"date_accepted": self.utc_str(mon(9, 30))})
        complaint._sla_refresh(self.utc(mon(16, 0)))
        self.assertAlmostEqual(complaint.response_hours, 2.0)
        self.assertEqual(complaint.response_status, "ok")
        # the resolution clock still runs: 7 h of 8 by Monday 16:00
        self.assertEqual(complaint.resolution_status, "warning")

    def test_holiday_of_the_calendar_is_skipped(self):
        self.env["resource.calendar.leaves"].create({
            "name": "Holiday",
            "calendar_id": self.office.id,
            "date_from": self.utc_str(mon(0, 0)),
            "date_to": self.utc_str(mon(23, 59)),
            "tz": "Asia/Shanghai",
        })
        complaint = self.complaint_at()
        # Monday is off: the remaining 3 h run on Tuesday 08:30-11:30
        self.assertEqual(self.local(complaint.response_deadline),
                         datetime(2026, 3, 10, 11, 30))

    def test_waiting_on_owner_pauses_the_clock(self):
        complaint = self.complaint_at()
        self.at(complaint, mon(9, 0)).action_wait_owner()
        self.assertEqual(len(complaint.pause_ids), 1)
        pause = complaint.pause_ids
        self.assertEqual(self.local(pause.date_start), mon(9, 0))
        self.assertFalse(pause.date_end)
        # while the complaint waits there is no deadline, and time stands still
        self.assertFalse(complaint.response_deadline)
        complaint._sla_refresh(self.utc(mon(17, 0)))
        self.assertAlmostEqual(complaint.response_hours, 1.5)
        self.assertEqual(complaint.response_status, "ok")

        self.at(complaint, mon(11, 0)).action_start()
        self.assertEqual(self.local(pause.date_end), mon(11, 0))
        # two paused hours push the response deadline from 11:30 to 15:00
        self.assertEqual(self.local(complaint.response_deadline), mon(15, 0))
        complaint._sla_refresh(self.utc(mon(14, 0)))
        self.assertAlmostEqual(complaint.response_hours, 3.0)
        self.assertEqual(complaint.response_status, "warning")

    def test_critical_runs_around_the_clock(self):
        saturday_night = datetime(2026, 3, 7, 23, 0)
        complaint = self.complaint_at(saturday_night, severity="critical")
        self.assertEqual(complaint.sla_id, self.sla_critical)
        self.assertEqual(self.local(complaint.response_deadline),
                         datetime(2026, 3, 7, 23, 30))
        self.assertEqual(self.local(complaint.resolution_deadline),
                         datetime(2026, 3, 8, 3, 0))
        complaint._sla_refresh(self.utc(datetime(2026, 3, 8, 1, 0)))
        self.assertEqual(complaint.response_status, "escalated")
        # the same complaint as a normal one waits for Monday's office hours
        normal = self.complaint_at(saturday_night)
        self.assertEqual(self.local(normal.response_deadline), mon(14, 0))

    def test_policy_without_calendar_is_round_the_clock(self):
        self.sla_normal.calendar_id = False
        complaint = self.complaint_at()
        self.assertEqual(self.local(complaint.response_deadline),
                         datetime(2026, 3, 6, 21, 0))

    def test_estate_timezone_is_used(self):
        self.estate.tz = "Asia/Tokyo"
        complaint = self.complaint_at(FRI_17)  # 17:00 in Shanghai = 18:00 Tokyo
        # reported after office hours in Tokyo: 4 h on Monday 08:30-12:00 +
        # 0.5 h from 13:30, Tokyo time = 13:00 in Shanghai
        self.assertEqual(self.local(complaint.response_deadline), mon(13, 0))

    def test_reopen_restarts_the_resolution_clock(self):
        complaint = self.complaint_at()
        complaint.write({"resolution_summary": "Fixed."})
        self.at(complaint, mon(10, 0)).action_resolve()
        complaint.write({"date_resolved": self.utc_str(mon(10, 0)),
                         "date_accepted": self.utc_str(mon(9, 0))})
        self.at(complaint, tue_morning()).action_reopen()
        self.assertEqual(self.local(complaint.sla_resolution_start),
                         tue_morning())
        # 8 h from Tuesday 09:00: 3 h + 4.5 h + 0.5 h on Wednesday
        self.assertEqual(self.local(complaint.resolution_deadline),
                         datetime(2026, 3, 11, 9, 0))

    def test_bad_policy_is_refused(self):
        with self.assertRaises(ValidationError):
            self._create_sla(response_hours=0)
        with self.assertRaises(ValidationError):
            self._create_sla(warning_share=1.2)
        with self.assertRaises(ValidationError):
            self._create_sla(escalation_share=0.9)


def tue_morning():
    return datetime(2026, 3, 10, 9, 0)
