# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shared base of the dunning tests: ``DunningCase`` (the payment tests'
estate, unit, owner, clerk, manager and cashier) with a policy of its own for
the estate (the default ladder: reminder, call, demand, legal) and a run at a
chosen moment."""
from datetime import datetime

from odoo.addons.property_payment.tests.common import PaymentCase


class DunningCase(PaymentCase):
    """``PaymentCase`` plus:

    - ``self.policy``: the estate's own policy, a copy of the default one
      (levels ``self.reminder``, ``self.call``, ``self.demand``,
      ``self.legal``), minimum interval 3 days, quiet hours 21:00–08:00;
    - the owner reachable by SMS (mobile, consent), e-mail and phone;
    - ``_run(when)``: the policy's run at the local (Asia/Shanghai) moment
      ``when`` ('YYYY-MM-DD HH:MM' or a datetime), as the scheduler does;
    - ``_payer()``: the owner's dunning status in the estate.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.estate.tz = "Asia/Shanghai"
        cls.owner.write({"mobile": "13800000001", "email": "owner@example.com",
                         "phone": "021-50000001",
                         "property_sms_consent": True})
        default = cls.env.ref("property_dunning.policy_default")
        cls.policy = default.copy({
            "name": "Test policy", "estate_id": cls.estate.id,
            "company_id": cls.estate.company_id.id})
        levels = cls.policy.level_ids.sorted("sequence")
        cls.reminder, cls.call, cls.demand, cls.legal = levels

    @classmethod
    def _utc(cls, when):
        """A local Shanghai moment as the naive UTC datetime Odoo uses."""
        if isinstance(when, str):
            when = datetime.strptime(when, "%Y-%m-%d %H:%M")
        import pytz
        local = pytz.timezone("Asia/Shanghai").localize(when)
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _run(self, when):
        return self.env["property.dunning.run"]._run(self.policy,
                                                     now=self._utc(when))

    def _payer(self, partner=None):
        return self.env["property.dunning.payer"].search([
            ("partner_id", "=", (partner or self.owner).id),
            ("estate_id", "=", self.estate.id)])

    def _steps(self, partner=None):
        return self.env["property.dunning.step"].search([
            ("partner_id", "=", (partner or self.owner).id),
            ("estate_id", "=", self.estate.id)], order="date, id")
