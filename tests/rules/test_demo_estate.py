"""The demo estate generator (property_billing.rules.demo_estate)."""

import collections
import datetime
import doctest
import re

import pytest
from hypothesis import given, settings, strategies as st

from property_billing.rules import demo_estate as de
from property_billing.rules.constants import CONTACT_CHANNELS, UNIT_STATES, UNIT_TYPES

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture(scope="module")
def data():
    return de.generate(seed=42, units=2000, estates=2, today=TODAY)


def owners_on(data, unit_index, day, role="owner"):
    return [
        o["partner"]
        for o in data["occupancies"]
        if o["unit"] == unit_index
        and o["role"] == role
        and o["date_from"] <= day
        and (o["date_to"] is None or o["date_to"] >= day)
    ]


def test_doctests():
    assert doctest.testmod(de).failed == 0


def test_same_seed_gives_same_data_and_another_seed_differs():
    first = de.generate(seed=7, units=300, today=TODAY)
    assert de.generate(seed=7, units=300, today=TODAY) == first
    other = de.generate(seed=8, units=300, today=TODAY)
    assert [p["name"] for p in other["partners"]] != [
        p["name"] for p in first["partners"]
    ]


def test_two_estates_with_chinese_names_shanghai_addresses_and_about_ten_buildings(
    data,
):
    assert [(e["code"], e["name"]) for e in data["estates"]] == [
        ("CHHY", "翠湖花园"),
        ("JXHT", "锦绣华庭"),
    ]
    assert all(e["city"] == "上海市" for e in data["estates"])
    per_estate = collections.Counter(b["estate"] for b in data["buildings"])
    assert sorted(per_estate) == [0, 1] and all(
        8 <= n <= 12 for n in per_estate.values()
    )


@pytest.mark.parametrize("units, estates", [(1, 1), (37, 3), (2000, 2), (10000, 2)])
def test_exact_unit_count_and_unique_codes_per_estate(units, estates):
    result = de.generate(seed=3, units=units, estates=estates, today=TODAY)
    assert len(result["units"]) == units
    keys = [(u["estate"], u["code"]) for u in result["units"]]
    assert len(set(keys)) == units
    assert len({e["code"] for e in result["estates"]}) == estates


def test_unit_codes_and_values_are_plausible(data):
    types = {code for code, _ in UNIT_TYPES}
    states = {code for code, _ in UNIT_STATES}
    for unit in data["units"]:
        assert unit["unit_type"] in types and unit["state"] in states
        if unit["unit_type"] == "residential":
            assert re.match(r"^\d+-\d-\d+\d{2}$", unit["code"]), unit["code"]
            assert 60 <= unit["area"] <= 180 and unit["floor"] >= 2
            assert int(unit["code"].split("-")[2][:-2]) == unit["floor"]
        elif unit["unit_type"] == "commercial":
            assert unit["floor"] == 1 and unit["building"] is not None
        elif unit["unit_type"] == "parking":
            assert unit["code"].startswith("P-") and unit["area"] == 12.5
            assert unit["building"] is None
        else:
            assert unit["code"].startswith("C-") and unit["area"] < 20
        if unit["inner_area"] is not None:
            assert 0 < unit["inner_area"] < unit["area"]
        assert (unit["delivery_date"] is None) == (unit["state"] == "undelivered")


def test_mix_of_types_and_states(data):
    types = collections.Counter(u["unit_type"] for u in data["units"])
    states = collections.Counter(u["state"] for u in data["units"])
    assert set(types) == {"residential", "commercial", "parking", "storage"}
    assert set(states) == {"occupied", "vacant", "decorating", "undelivered"}
    assert states["occupied"] > len(data["units"]) / 2
    assert types["residential"] > len(data["units"]) / 2


def test_every_delivered_unit_has_exactly_one_owner_today_and_undelivered_none(data):
    for index, unit in enumerate(data["units"]):
        expected = 0 if unit["state"] == "undelivered" else 1
        assert len(owners_on(data, index, TODAY)) == expected, unit["code"]


def test_owner_periods_of_a_unit_never_overlap(data):
    by_unit = collections.defaultdict(list)
    for occ in data["occupancies"]:
        if occ["role"] == "owner":
            by_unit[occ["unit"]].append(occ)
    for periods in by_unit.values():
        periods.sort(key=lambda o: o["date_from"])
        for before, after in zip(periods, periods[1:]):
            assert (
                before["date_to"] is not None and before["date_to"] < after["date_from"]
            )
        for occ in periods:
            assert occ["date_to"] is None or occ["date_to"] >= occ["date_from"]


def test_some_owners_changed_in_the_last_year_and_some_tenants(data):
    ended = [o for o in data["occupancies"] if o["role"] == "owner" and o["date_to"]]
    assert ended
    year_ago = TODAY - datetime.timedelta(days=365)
    assert all(year_ago <= o["date_to"] < TODAY for o in ended)
    assert any(o["role"] == "tenant" for o in data["occupancies"])


def test_some_owners_hold_two_or_three_units(data):
    counts = collections.Counter(
        o["partner"]
        for o in data["occupancies"]
        if o["role"] == "owner" and o["date_to"] is None
    )
    assert counts.most_common(1)[0][1] >= 2
    assert sum(1 for n in counts.values() if n in (2, 3)) > 20


def test_people_have_chinese_names_unique_mobiles_and_valid_channels(data):
    channels = {code for code, _ in CONTACT_CHANNELS}
    partners = data["partners"]
    assert len({p["mobile"] for p in partners}) == len(partners)
    for person in partners:
        assert re.match(r"^1[358]\d{9}$", person["mobile"])
        assert 2 <= len(person["name"]) <= 3 and person["name"][0] in de.SURNAMES
        assert person["channel"] in channels
        assert person["channel"] != "email" or person["email"]
    assert any(p["email"] for p in partners) and not all(p["email"] for p in partners)
    consents = {p["sms_consent"] for p in partners}
    assert consents == {True, False}


def test_demo_owner_has_two_units_one_occupied(data):
    owner = data["demo_owner"]
    assert owner is not None
    owned = [
        o["unit"]
        for o in data["occupancies"]
        if o["partner"] == owner and o["role"] == "owner" and o["date_to"] is None
    ]
    assert len(owned) >= 2
    assert any(data["units"][u]["state"] == "occupied" for u in owned)


def test_code_prefix_changes_only_estate_codes():
    plain = de.generate(seed=5, units=100, today=TODAY)
    prefixed = de.generate(seed=5, units=100, today=TODAY, code_prefix="T-")
    assert [e["code"] for e in prefixed["estates"]] == ["T-CHHY", "T-JXHT"]
    assert prefixed["units"] == plain["units"]


def test_more_estates_than_names_get_distinct_codes():
    result = de.generate(seed=1, units=100, estates=len(de.ESTATES) + 2, today=TODAY)
    assert len({e["code"] for e in result["estates"]}) == len(de.ESTATES) + 2


@pytest.mark.parametrize("units, estates", [(0, 1), (10, 0)])
def test_nonsense_sizes_are_refused(units, estates):
    with pytest.raises(ValueError):
        de.generate(seed=1, units=units, estates=estates)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=400),
    st.integers(min_value=1, max_value=4),
)
def test_any_seed_and_size_keeps_the_register_consistent(seed, units, estates):
    result = de.generate(seed=seed, units=units, estates=estates, today=TODAY)
    assert len(result["units"]) == units
    assert len({(u["estate"], u["code"]) for u in result["units"]}) == units
    for index, unit in enumerate(result["units"]):
        expected = 0 if unit["state"] == "undelivered" else 1
        assert len(owners_on(result, index, TODAY)) == expected
