# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import DunningCase


class TestRunSmoke(DunningCase):

    def test_one_step_covers_the_payers_overdue_bills(self):
        self._bill(100.0, "2026-03", due="2026-03-31")
        self._bill(50.0, "2026-04", due="2026-04-30")
        run = self._run("2026-05-06 10:00")
        step = self._steps()
        self.assertEqual(len(step), 1)
        self.assertEqual(step.level_id, self.reminder)
        self.assertEqual(step.total, 150.0)
        self.assertEqual(len(step.line_ids), 2)
        self.assertIn(step, run.step_ids)
