# Copyright 2026 Property Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date
from decimal import Decimal

from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.property_billing.rules import fees
from odoo.addons.property_billing.tests.common_fee import FeeCase


class TestFeeStandardLifecycle(FeeCase):

    def test_lifecycle_draft_to_closed(self):
        standard = self._create_standard()
        self.assertEqual(standard.state, "draft")
        standard.sudo(self.manager).action_approve()
        self.assertEqual(standard.state, "approved")
        self.assertEqual(standard.approved_uid, self.manager)
        notices = standard.sudo(self.manager)._publish("2025-11-01")
        self.assertEqual(standard.state, "published")
        self.assertEqual(standard.publication_date, "2025-11-01")
        self.assertEqual(standard.notice_days, 30)
        self.assertEqual(standard.billable_from, "2025-12-01")
        self.assertEqual(len(notices), 1)
        self.assertEqual(standard.notice_id, notices)
        self.assertEqual(notices.estate_id, self.estate)
        self.assertTrue(notices.is_published)
        self.assertIn("物业管理费", notices.body)
        standard.sudo(self.manager).action_activate()
        self.assertEqual(standard.state, "active")
        standard.sudo(self.manager)._close("2026-06-30")
        self.assertEqual(standard.state, "closed")
        self.assertEqual(standard.date_to, "2026-06-30")
        self.assertEqual(standard.closed_date, "2026-06-30")

    def test_clerk_creates_drafts_but_cannot_approve_publish_or_close(self):
        standard = self.Standard.sudo(self.clerk).create({
            "name": "物业管理费 2026", "item_id": self.fee_item.id,
            "estate_id": self.estate.id, "rate": 2.80,
            "date_from": "2026-01-01"})
        standard.write({"rate": 3.10})  # a clerk edits drafts
        self.assertEqual(standard.notice_days, 30)
        with self.assertRaises(AccessError):
            standard.action_approve()
        with self.assertRaises(AccessError):
            standard.write({"state": "approved"})
        self.assertEqual(standard.state, "draft")
        standard.sudo(self.manager).action_approve()
        with self.assertRaises(AccessError):
            standard._publish("2025-11-01")
        self.assertEqual(standard.state, "approved")
        standard.sudo(self.manager)._publish("2025-11-01")
        with self.assertRaises(AccessError):
            standard.action_close()
        self.assertEqual(standard.state, "published")

    def test_clerk_cannot_edit_fee_items(self):
        with self.assertRaises(AccessError):
            self.fee_item.sudo(self.clerk).write({"name": "Other"})
        self.assertEqual(self.fee_item.sudo(self.clerk).name, "物业管理费")

    def test_state_guards(self):
        standard = self._create_standard()
        with self.assertRaises(UserError):
            standard._publish("2025-11-01")  # not approved yet
        with self.assertRaises(UserError):
            standard.action_activate()
        standard.action_approve()
        with self.assertRaises(UserError):
            standard.action_approve()
        with self.assertRaises(UserError):
            standard.action_close()
        self.assertEqual(standard.state, "approved")
        with self.assertRaises(UserError):
            self.Standard.create({
                "name": "x", "item_id": self.fee_item.id,
                "estate_id": self.estate.id, "date_from": "2026-01-01",
                "state": "published"})

    def test_approval_needs_a_rate(self):
        standard = self._create_standard(rate=0.0)
        with self.assertRaises(UserError):
            standard.action_approve()
        self.assertEqual(standard.state, "draft")

    def test_rate_and_scope_frozen_after_approval(self):
        water = self._create_fee_item(name="水费", method="metered")
        standard = self._create_standard(
            water, rate=0.0, tier_ids=[(0, 0, {"upto": 180, "price": 3.45}),
                                       (0, 0, {"upto": 0, "price": 7.72})])
        self._publish_standard(standard)
        with self.assertRaises(UserError):
            standard.write({"rate": 5.0})
        with self.assertRaises(UserError):
            standard.tier_ids[0].write({"price": 1.0})
        with self.assertRaises(UserError):
            standard.write({"building_ids": [(6, 0, [self.building.id])]})
        with self.assertRaises(UserError):
            standard.unlink()
        self.assertEqual(standard.tier_ids.sorted("upto").mapped("price"),
                         [7.72, 3.45])

    def test_company_notice_period_is_configurable(self):
        self.company.property_notice_days = 10
        standard = self._publish_standard(self._create_standard(notice_days=0))
        self.assertEqual(standard.notice_days, 10)
        self.assertEqual(standard.billable_from, "2025-11-11")
        # a standard may ask for a longer notice than the company's minimum
        self.company.property_notice_days = 30
        longer = self._publish_standard(self._create_standard(
            self._create_fee_item(), notice_days=45))
        self.assertEqual(longer.billable_from, "2025-12-16")
        with self.assertRaises(ValidationError):
            self.company.property_notice_days = -1

    def test_cron_activates_after_notice_period_and_closes_after_end(self):
        standard = self._publish_standard(self._create_standard(
            date_from="2025-12-01", date_to="2026-03-31"))
        self.Standard._cron_update_states(today="2025-11-30")
        self.assertEqual(standard.state, "published")
        self.Standard._cron_update_states(today="2025-12-01")
        self.assertEqual(standard.state, "active")
        self.Standard._cron_update_states(today="2026-03-31")
        self.assertEqual(standard.state, "active")
        self.Standard._cron_update_states(today="2026-04-01")
        self.assertEqual(standard.state, "closed")
        self.assertEqual(standard.closed_date, "2026-04-01")


class TestFeeStandardVersions(FeeCase):

    def _consult(self, standard, outcome="agreed"):
        return self.env["property.fee.consultation"].create({
            "standard_id": standard.id,
            "date": "2026-04-20",
            "participants": "业主代表 张三、李四；物业 王经理",
            "minutes": "<p>讨论物业费调整</p>",
            "objections": "部分业主认为涨幅过大",
            "outcome": outcome,
            "attachment_ids": [(0, 0, {
                "name": "签到表.txt", "datas_fname": "签到表.txt",
                "datas": "562e5a6a"})],
        })

    def test_new_version_needs_consultation_and_ends_the_previous(self):
        old = self._publish_standard(self._create_standard())
        action = old.action_new_version()
        new = self.Standard.browse(action["res_id"])
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.previous_standard_id, old)
        self.assertEqual(new.version, 2)
        self.assertEqual(new.display_name, "%s v2" % old.name)
        new.write({"rate": 3.20, "date_from": "2026-07-01"})
        with self.assertRaisesRegex(UserError, "consultation"):
            new.action_approve()
        self.assertEqual(new.state, "draft")
        self._consult(new, outcome="rejected")
        with self.assertRaises(UserError):
            new.action_approve()
        consultation = self._consult(new, outcome="amended")
        consultation.date = "2026-04-21"
        self.assertEqual(len(consultation.attachment_ids), 1)
        new.action_approve()
        new._publish("2026-05-01")
        self.assertEqual(new.state, "published")
        self.assertEqual(new.billable_from, "2026-05-31")
        self.assertEqual(old.date_to, "2026-06-30")
        self.assertEqual(old.state, "published")

    def test_new_version_must_start_after_the_previous(self):
        old = self._publish_standard(self._create_standard())
        new = self.Standard.browse(old.action_new_version()["res_id"])
        new.write({"date_from": "2026-01-01"})
        self._consult(new)
        new.action_approve()
        with self.assertRaises(UserError):
            new._publish("2026-05-01")
        self.assertEqual(new.state, "approved")
        self.assertFalse(old.date_to)

    def test_new_version_only_from_published_standards(self):
        with self.assertRaises(UserError):
            self._create_standard().action_new_version()


class TestFeeStandardOverlap(FeeCase):

    def test_overlap_refused_with_the_other_standard_named(self):
        first = self._publish_standard(self._create_standard(name="旧标准"))
        second = self._create_standard(name="新标准", date_from="2026-06-01")
        second.action_approve()
        with self.assertRaisesRegex(ValidationError, "旧标准"):
            second._publish("2026-03-01")
        self.assertEqual(first.state, "published")

    def test_overlap_allowed_for_disjoint_periods_buildings_and_types(self):
        self._publish_standard(self._create_standard(
            date_to="2026-05-31", unit_type_residential=True,
            building_ids=[(6, 0, [self.building.id])]))
        other_building = self._create_building()
        later = self._create_standard(  # same scope, next period
            date_from="2026-06-01", unit_type_residential=True,
            building_ids=[(6, 0, [self.building.id])])
        parking = self._create_standard(unit_type_parking=True)  # other type
        elsewhere = self._create_standard(  # other building
            unit_type_residential=True, building_ids=[(6, 0, [other_building.id])])
        for standard in (later, parking, elsewhere):
            self._publish_standard(standard)
            self.assertEqual(standard.state, "published")
        # but all residential units of all buildings overlap the first one
        clash = self._create_standard(unit_type_residential=True,
                                      date_from="2026-03-01", date_to="2026-03-31")
        clash.action_approve()
        with self.assertRaises(ValidationError):
            clash._publish("2025-11-01")

    def test_other_items_and_closed_standards_do_not_overlap(self):
        first = self._publish_standard(self._create_standard())
        self._publish_standard(self._create_standard(self._create_fee_item()))
        first._close("2026-01-31")
        self._publish_standard(self._create_standard(date_from="2026-02-01"))
        self.assertEqual(first.state, "closed")


class TestFeeStandardBilling(FeeCase):

    def test_publication_gate(self):
        standard = self._publish_standard(self._create_standard(
            date_from="2025-11-01"))  # published 2025-11-01, 30 days
        with self.assertRaisesRegex(UserError, "2025-12-01"):
            standard._check_billable("2025-11-30")
        self.assertTrue(standard._check_billable("2025-12-01"))
        Standard = self.Standard
        self.assertFalse(Standard._billable_standards(
            self.estate, "2025-11-01", "2025-11-30"))
        self.assertEqual(Standard._billable_standards(
            self.estate, "2025-12-01", "2025-12-31"), standard)

    def test_draft_and_approved_standards_do_not_bill(self):
        standard = self._create_standard()
        with self.assertRaises(UserError):
            standard._check_billable("2026-03-01")
        standard.action_approve()
        with self.assertRaises(UserError):
            standard._check_billable("2026-03-01")
        self.assertFalse(self.Standard._billable_standards(
            self.estate, "2026-03-01", "2026-03-31"))

    def test_billable_standards_by_period_and_estate(self):
        standard = self._publish_standard(self._create_standard(
            date_from="2026-01-01", date_to="2026-03-15"))
        self._publish_standard(self._create_standard(
            estate_id=self._create_estate().id))
        billable = self.Standard._billable_standards
        self.assertEqual(billable(self.estate, "2026-03-01", "2026-03-31"),
                         standard)
        self.assertFalse(billable(self.estate, "2026-04-01", "2026-04-30"))
        self.assertEqual(standard._effective_period("2026-03-01", "2026-03-31"),
                         (date(2026, 3, 1), date(2026, 3, 15)))

    def test_scope_selects_units(self):
        tower = self._create_building()
        home = self.unit
        parking = self._create_unit(unit_type="parking", area=12.5,
                                    inner_area=0.0, building_id=tower.id)
        shop = self._create_unit(unit_type="commercial", building_id=tower.id)
        parking_fee = self._create_fee_item(name="停车费", method="fixed",
                                            each_label="车位")
        all_units = self._publish_standard(self._create_standard())
        in_tower = self._publish_standard(self._create_standard(
            self._create_fee_item(), building_ids=[(6, 0, [tower.id])]))
        spaces = self._publish_standard(self._create_standard(
            parking_fee, rate=300.0, unit_type_parking=True))
        applies = {
            standard: [u for u in (home, parking, shop)
                       if standard._applies_to_unit(u)]
            for standard in (all_units, in_tower, spaces)}
        self.assertEqual(applies[all_units], [home, parking, shop])
        self.assertEqual(applies[in_tower], [parking, shop])
        self.assertEqual(applies[spaces], [parking])
        other_estate_unit = self._create_unit(estate_id=self._create_estate().id)
        self.assertFalse(all_units._applies_to_unit(other_estate_unit))
        self.assertEqual(
            self.Standard._billable_standards(self.estate, "2026-03-01",
                                              "2026-03-31"),
            all_units | in_tower | spaces)

    def test_rules_standard_and_preview(self):
        standard = self._create_standard(rate=2.80, vacant_percent=70.0)
        rules_standard = standard._rules_standard()
        self.assertEqual(rules_standard, fees.Standard(
            "per_area", Decimal("2.8"), (), Decimal("70.0")))
        line = fees.line_amount(rules_standard,
                                fees.Unit("u", Decimal("89.50")), 1)
        self.assertEqual(line.amount, Decimal("250.60"))
        standard.write({"preview_area": 89.5, "preview_months": 1,
                        "preview_unit_state": "vacant"})
        self.assertAlmostEqual(standard.preview_amount, 175.42)
        self.assertIn("89.50 m² × 2.80", standard.preview_basis)
        self.assertIn("70%", standard.preview_basis)

    def test_rules_standard_with_tiers(self):
        water = self._create_fee_item(name="水费", method="metered")
        standard = self._create_standard(water, rate=0.0, tier_ids=[
            (0, 0, {"sequence": 3, "upto": 0, "price": 7.72}),
            (0, 0, {"sequence": 1, "upto": 180, "price": 3.45}),
            (0, 0, {"sequence": 2, "upto": 260, "price": 4.83}),
        ])
        rules_standard = standard._rules_standard()
        self.assertEqual(rules_standard.tiers, (
            fees.Tier(Decimal("180.0"), Decimal("3.45")),
            fees.Tier(Decimal("260.0"), Decimal("4.83")),
            fees.Tier(None, Decimal("7.72"))))
        line = fees.line_amount(rules_standard, fees.Unit("u", Decimal(90)), 1,
                                consumption=Decimal(20),
                                billed_this_year=Decimal(168))
        self.assertEqual(line.amount, Decimal("80.04"))
        standard.write({"preview_consumption": 20, "preview_used": 168})
        self.assertAlmostEqual(standard.preview_amount, 80.04)
        self.assertIn("m³", standard.preview_basis)
        self.assertIn("180–260", standard._method_text())

    def test_bad_tiers_refused(self):
        water = self._create_fee_item(name="水费", method="metered")
        with self.assertRaises(ValidationError):
            self._create_standard(water, tier_ids=[
                (0, 0, {"upto": 180, "price": 3.45}),
                (0, 0, {"upto": 260, "price": 4.83})])  # no open last tier
        with self.assertRaises(ValidationError):
            self._create_standard(tier_ids=[  # per_area item has no tiers
                (0, 0, {"upto": 0, "price": 3.45})])

    def test_invalid_values_refused(self):
        with self.assertRaises(ValidationError):
            self._create_standard(vacant_percent=120.0)
        with self.assertRaises(ValidationError):
            self._create_standard(rate=-1.0)
        with self.assertRaises(ValidationError):
            self._create_standard(date_from="2026-03-01", date_to="2026-02-01")
        with self.assertRaises(ValidationError):
            self._create_standard(building_ids=[(6, 0, [self._create_building(
                estate_id=self._create_estate().id).id])])
        with self.assertRaises(ValidationError):
            self._create_fee_item(method="metered", meter_kind=False)

    def test_fee_item_income_account_fallback(self):
        item = self._create_fee_item()
        self.assertEqual(item._income_account(), item.account_id)
        account = item.account_id
        item.account_id = False
        self.assertEqual(item._income_account(), account)  # the product's
