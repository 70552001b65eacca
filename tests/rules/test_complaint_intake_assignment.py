"""Complaint intake and assignment rules (property_complaint.rules.intake,
property_complaint.rules.assignment)."""
import doctest
from datetime import datetime, timedelta
from email.message import Message

import pytest
from hypothesis import given, strategies as st

from property_complaint.rules import assignment, intake

T0 = datetime(2026, 3, 1, 9, 0)


def test_doctests():
    for module in (intake, assignment):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("headers, automatic", [
    ({}, False),
    ({"Auto-Submitted": "auto-replied"}, True),
    ({"Auto-Submitted": "auto-generated"}, True),
    ({"auto-submitted": "Auto-Replied"}, True),
    ({"Auto-Submitted": "no"}, False),
    ({"X-Autoreply": "yes"}, True),
    ({"X-Autorespond": "vacation"}, True),
    ({"X-Auto-Response-Suppress": "All"}, True),
    ({"Precedence": "bulk"}, True),
    ({"Precedence": "list"}, True),
    ({"Precedence": "auto_reply"}, True),
    ({"Precedence": "first-class"}, False),
    ({"From": "MAILER-DAEMON@example.com"}, True),
    ({"From": "Mail System <postmaster@example.com>"}, True),
    ({"From": "Li Si <lisi@example.com>"}, False),
])
def test_is_automatic(headers, automatic):
    assert intake.is_automatic(headers) is automatic


def test_is_automatic_on_email_message():
    message = Message()
    message["From"] = "owner@example.com"
    assert not intake.is_automatic(message)
    message["Auto-Submitted"] = "auto-replied"
    assert intake.is_automatic(message)


@pytest.mark.parametrize("days, repeat", [
    (0, True), (1, True), (29, True), (30, True), (31, False), (-1, False)])
def test_is_repeat_window(days, repeat):
    assert intake.is_repeat(T0, T0 + timedelta(days=days)) is repeat


def test_is_repeat_just_past_window():
    assert not intake.is_repeat(T0, T0 + timedelta(days=30, seconds=1))
    assert not intake.is_repeat(None, T0)


def test_channels_include_hotline_and_email():
    assert {"phone", "counter", "portal", "wechat", "email", "hotline_12345",
            "other"} == set(intake.CHANNEL_CODES)


RULES = [
    assignment.Rule(1, team="building", estate=1, building=11, sequence=10),
    assignment.Rule(2, team="repairs", category=5, sequence=20),
    assignment.Rule(3, team="estate", estate=1, sequence=30),
    assignment.Rule(4, team="default", sequence=99),
]


@pytest.mark.parametrize("facts, team", [
    (assignment.Facts(category=7, parent_category=5, estate=1, building=11),
     "building"),
    (assignment.Facts(category=7, parent_category=5, estate=1, building=12),
     "repairs"),
    (assignment.Facts(category=5, estate=2), "repairs"),
    (assignment.Facts(category=8, parent_category=6, estate=1), "estate"),
    (assignment.Facts(category=8, estate=2), "default"),
    (assignment.Facts(), "default"),
])
def test_first_match(facts, team):
    assert assignment.first_match(RULES, facts).team == team


def test_no_rule_no_match():
    assert assignment.first_match(RULES[:3], assignment.Facts()) is None


def test_sequence_tie_broken_by_key():
    rules = [assignment.Rule(9, team="b"), assignment.Rule(3, team="a")]
    assert assignment.first_match(rules, assignment.Facts()).team == "a"


def test_round_robin_cycle_and_unknown_last():
    members = [4, 7, 9]
    picks, last = [], None
    for _i in range(7):
        last = assignment.round_robin(members, last)
        picks.append(last)
    assert picks == [4, 7, 9, 4, 7, 9, 4]
    assert assignment.round_robin(members, last=42) == 4
    assert assignment.round_robin([], last=4) is None


def test_pick_member_methods():
    assert assignment.pick_member(assignment.MANUAL, [1, 2]) is None
    assert assignment.pick_member(assignment.LEAST_LOADED, [1, 2],
                                  loads={1: 5}) == 2
    assert assignment.pick_member(assignment.ROUND_ROBIN, [1, 2], last=1) == 2


@given(st.lists(st.integers(0, 50), min_size=1, max_size=8, unique=True),
       st.dictionaries(st.integers(0, 50), st.integers(0, 20)))
def test_least_loaded_is_minimal(members, loads):
    chosen = assignment.least_loaded(members, loads)
    assert chosen in members
    assert loads.get(chosen, 0) == min(loads.get(m, 0) for m in members)


@given(st.lists(st.integers(0, 50), min_size=1, max_size=8, unique=True))
def test_round_robin_serves_everyone_once_per_turn(members):
    last, served = None, []
    for _i in members:
        last = assignment.round_robin(members, last)
        served.append(last)
    assert sorted(served) == sorted(members)
