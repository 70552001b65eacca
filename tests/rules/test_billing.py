"""Planning a billing run (property_billing.rules.billing)."""
import doctest
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from property_billing.rules import billing, fees
from property_billing.rules.billing import (
    Consumption, PlanStandard, PlanUnit, SharedCost, plan)
from property_billing.rules.fees import Standard, Tier
from property_billing.rules.periods import Period

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
MGMT = PlanStandard("s-mgmt", "mgmt", Standard(fees.PER_AREA, D("2.80"),
                                               vacant_percent=D("70")))
PARKING = PlanStandard("s-park", "park", Standard(fees.FIXED, D("150")),
                       unit_keys=frozenset({"P1"}),
                       labels=fees.DEFAULT_LABELS._replace(each="车位"))
WATER = PlanStandard("s-water", "water", Standard(
    fees.METERED, tiers=(Tier(D(180), D("3.45")), Tier(D(260), D("4.83")),
                         Tier(None, D("7.72")))))
SHARED = PlanStandard("s-shared", "shared", Standard(fees.APPORTIONED))


def whole(partner, share=100.0, period=MARCH):
    return [(period.date_from, period.date_to, [(partner, share)])]


def test_doctests():
    assert doctest.testmod(billing).failed == 0


@pytest.mark.parametrize("state, amount, basis", [
    ("occupied", "250.60", "89.50 m² × 2.80 元/m²/月 × 1 月"),
    ("vacant", "175.42", "89.50 m² × 2.80 元/m²/月 × 1 月 × 70% (空置)"),
    ("decorating", "250.60", "89.50 m² × 2.80 元/m²/月 × 1 月"),
])
def test_per_area_and_vacant_discount(state, amount, basis):
    result = plan([PlanUnit("U1", D("89.50"), state)], {"U1": whole("Li")},
                  [MGMT], MARCH)
    assert [(pl.partner, pl.item, pl.amount, pl.basis) for pl in result.lines] == [
        ("Li", "mgmt", D(amount), basis)]
    assert result.problems == []


def test_owner_change_mid_month_each_payer_billed_own_days():
    segments = {"U1": [(date(2026, 3, 1), date(2026, 3, 15), [("Li", 100.0)]),
                       (date(2026, 3, 16), date(2026, 3, 31), [("Wang", 100.0)])]}
    result = plan([PlanUnit("U1", D("89.50"))], segments, [MGMT], MARCH)
    assert [(pl.partner, pl.date_from, pl.date_to, pl.amount)
            for pl in result.lines] == [
        ("Li", date(2026, 3, 1), date(2026, 3, 15), D("121.26")),
        ("Wang", date(2026, 3, 16), date(2026, 3, 31), D("129.34"))]
    assert sum(pl.amount for pl in result.lines) == D("250.60")
    assert result.lines[0].basis == (
        "89.50 m² × 2.80 元/m²/月 × 1 月 = 250.60 元; "
        "250.60 元 × 15 天 ÷ 31 天 (2026-03-01~2026-03-15)")
    assert list(result.by_invoice()) == [("U1", "Li"), ("U1", "Wang")]


def test_co_owners_share_the_line():
    segments = {"U1": whole(None)}
    segments["U1"][0] = (MARCH.date_from, MARCH.date_to, [("Li", 50.0), ("Wang", 50.0)])
    result = plan([PlanUnit("U1", D("89.50"))], segments, [MGMT], MARCH)
    assert [(pl.partner, pl.amount) for pl in result.lines] == [
        ("Li", D("125.30")), ("Wang", D("125.30"))]
    assert result.lines[0].basis.endswith("× 50%")


def test_no_payer_and_partial_no_payer():
    units = [PlanUnit("U1", D("100")), PlanUnit("U2", D("100"))]
    segments = {"U1": [(MARCH.date_from, MARCH.date_to, [])],
                "U2": [(date(2026, 3, 1), date(2026, 3, 10), []),
                       (date(2026, 3, 11), date(2026, 3, 31), [("Li", 100.0)])]}
    result = plan(units, segments, [MGMT], MARCH)
    assert [(pl.unit, pl.amount) for pl in result.lines] == [("U2", D("189.68"))]
    assert [(p.code, p.unit, p.detail) for p in result.problems] == [
        (billing.NO_PAYER, "U1", "2026-03-01~2026-03-31"),
        (billing.NO_PAYER, "U2", "2026-03-01~2026-03-10")]


def test_unit_without_segments_has_no_payer():
    result = plan([PlanUnit("U1", D("100"))], {}, [MGMT], MARCH)
    assert result.lines == []
    assert [p.code for p in result.problems] == [billing.NO_PAYER]


def test_scope_of_a_standard():
    units = [PlanUnit("U1", D("89.50")), PlanUnit("P1", D("12"), unit_type="parking")]
    segments = {"U1": whole("Li"), "P1": whole("Li")}
    result = plan(units, segments, [MGMT, PARKING], MARCH)
    assert [(pl.unit, pl.item, pl.amount) for pl in result.lines] == [
        ("U1", "mgmt", D("250.60")), ("P1", "mgmt", D("33.60")),
        ("P1", "park", D("150.00"))]
    assert result.lines[2].basis == "150.00 元/车位/月 × 1 月"
    assert result.totals_by_item() == {"mgmt": D("284.20"), "park": D("150.00")}
    assert list(result.by_invoice()) == [("U1", "Li"), ("P1", "Li")]
    assert result.total == D("434.20")


def test_metered_with_tiers_and_missing_reading():
    units = [PlanUnit("U1", D("89.50")), PlanUnit("U2", D("89.50"))]
    segments = {"U1": whole("Li"), "U2": whole("Wang")}
    consumptions = {("water", "U1"): Consumption(D(20), D(168))}
    result = plan(units, segments, [WATER], MARCH, consumptions)
    assert [(pl.unit, pl.amount, pl.basis) for pl in result.lines] == [
        ("U1", D("80.04"), "第1阶梯 12 m³ × 3.45 元/m³ + 第2阶梯 8 m³ × 4.83 元/m³")]
    assert [(p.code, p.unit, p.item, p.standard) for p in result.problems] == [
        (billing.MISSING_READING, "U2", "water", "s-water")]


def test_apportioned_over_units_outside_the_run():
    units = [PlanUnit("U1", D("89.50"))]
    cost = SharedCost("s-shared", D("1000"), (("U1", D("89.50")), ("U9", D("120"))))
    result = plan(units, {"U1": whole("Li")}, [SHARED], MARCH, shared_costs=[cost])
    assert [(pl.unit, pl.amount, pl.basis) for pl in result.lines] == [
        ("U1", D("427.21"), "1000.00 元 × 89.50 m² ÷ 209.50 m²")]


def test_apportioned_two_shared_costs_merge_into_one_line():
    units = [PlanUnit("U1", D("50")), PlanUnit("U2", D("50"))]
    costs = [SharedCost("s-shared", D("10"), (("U1", 1), ("U2", 1))),
             SharedCost("s-shared", D("1.01"), (("U1", 1), ("U2", 1)))]
    standard = SHARED._replace(apportion_basis=fees.EQUALLY)
    result = plan(units, {"U1": whole("Li"), "U2": whole("Wang")}, [standard], MARCH,
                  shared_costs=costs)
    assert [(pl.unit, pl.amount) for pl in result.lines] == [
        ("U1", D("5.51")), ("U2", D("5.50"))]
    assert result.lines[0].basis == "(10.00 元 ÷ 2 户) + (1.01 元 ÷ 2 户)"
    assert result.lines[1].basis == (
        "(10.00 元 ÷ 2 户) + (1.01 元 ÷ 2 户 (尾差 -0.01 元))")


def test_publication_gate():
    gated = MGMT._replace(billable_from=date(2026, 3, 2))
    result = plan([PlanUnit("U1", D("89.50"))], {"U1": whole("Li")}, [gated], MARCH)
    assert result.lines == []
    assert [(p.code, p.standard, p.detail) for p in result.problems] == [
        (billing.NOT_BILLABLE, "s-mgmt", "2026-03-02")]
    ok = MGMT._replace(billable_from=date(2026, 3, 1))
    assert len(plan([PlanUnit("U1", D("89.50"))], {"U1": whole("Li")}, [ok],
                    MARCH).lines) == 1


@given(st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=5,
                unique=True),
       st.decimals(min_value=D("1"), max_value=D("500"), places=2),
       st.sampled_from(["occupied", "vacant"]))
def test_parts_always_sum_to_the_full_amount(cuts, area, state):
    days = sorted(set(cuts) | {0})
    starts = [MARCH.date_from + timedelta(days=d) for d in days]
    segments = []
    for index, start in enumerate(starts):
        end = (starts[index + 1] - timedelta(days=1)) if index + 1 < len(starts) \
            else MARCH.date_to
        segments.append((start, end, [("P%d" % index, 100.0)]))
    result = plan([PlanUnit("U1", area, state)], {"U1": segments}, [MGMT], MARCH)
    full = fees.line_amount(MGMT.standard, fees.Unit("U1", area, state), MARCH).amount
    assert sum(pl.amount for pl in result.lines) == full
    assert all(pl.full_amount == full for pl in result.lines)


def test_new_version_mid_month_bills_each_standard_for_its_days():
    old = MGMT._replace(period=Period(date(2026, 3, 1), date(2026, 3, 15)))
    new = PlanStandard("s-mgmt-2", "mgmt", Standard(fees.PER_AREA, D("3.10")),
                       period=Period(date(2026, 3, 16), date(2026, 3, 31)))
    segments = {"U1": [(date(2026, 3, 1), date(2026, 3, 20), [("Li", 100.0)]),
                       (date(2026, 3, 21), date(2026, 3, 31), [("Wang", 100.0)])]}
    result = plan([PlanUnit("U1", D("100"))], segments, [old, new], MARCH)
    assert [(pl.standard, pl.partner, pl.date_from.day, pl.date_to.day, pl.amount)
            for pl in result.lines] == [
        ("s-mgmt", "Li", 1, 15, D("135.48")),
        ("s-mgmt-2", "Li", 16, 20, D("50.00")),
        ("s-mgmt-2", "Wang", 21, 31, D("110.00"))]
    assert result.lines[0].basis == "100.00 m² × 2.80 元/m²/月 × 15/31 月"
