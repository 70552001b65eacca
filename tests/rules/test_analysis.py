"""Complaint analysis figures (property_complaint.rules.analysis)."""
import doctest

import pytest
from hypothesis import given, settings, strategies as st

from property_complaint.rules import analysis
from property_complaint.rules.analysis import Fact


def test_doctests():
    assert doctest.testmod(analysis).failed == 0


# ---------------------------------------------------------------- percentile

@pytest.mark.parametrize("values, share, expected", [
    ([], 0.9, None),
    ([7], 0.9, 7.0),
    ([1, 2], 0.5, 1.5),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1),
    ([10, 1, 5], 0.0, 1.0),
    ([10, 1, 5], 1.0, 10.0),
    ([4, 4, 4, 4], 0.9, 4.0),
    ([0.5, 2.25, 48], 0.9, 38.85),
])
def test_percentile(values, share, expected):
    value = analysis.percentile(values, share)
    if expected is None:
        assert value is None
    else:
        assert value == pytest.approx(expected)


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_percentile_refuses_share_outside_unit_interval(share):
    with pytest.raises(ValueError):
        analysis.percentile([1, 2], share)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1000), min_size=1, max_size=30),
       st.floats(min_value=0, max_value=1))
def test_percentile_lies_between_min_and_max(values, share):
    value = analysis.percentile(values, share)
    assert min(values) - 1e-6 <= value <= max(values) + 1e-6


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1000), min_size=1, max_size=30))
def test_percentile_grows_with_share(values):
    figures = [analysis.percentile(values, s / 10) for s in range(11)]
    assert all(a <= b + 1e-6 for a, b in zip(figures, figures[1:]))


# ------------------------------------------------------------------ summary

def _sample():
    """Five complaints: response met 3 of 4 judged (C5 still running, not
    breached); resolution met 1 of 3 judged (C3 breached while running)."""
    return [
        Fact("C1", category="噪音", estate="GG", team="A", month="2026-03",
             response_hours=0.5, resolution_hours=20, satisfaction=5),
        Fact("C2", category="噪音", estate="GG", team="A", month="2026-03",
             response_hours=2, resolution_hours=60, resolution_breached=True,
             satisfaction=2, repeat=True),
        Fact("C3", category="停车", estate="GG", team="B", month="2026-04",
             response_hours=6, response_breached=True, resolution_breached=True),
        Fact("C4", category="维修", estate="RP", team="B", month="2026-04",
             response_hours=1, satisfaction=4),
        Fact("C5", category="噪音", estate="RP", month="2026-02"),
    ]


def test_summary_figures():
    summary = analysis.summarize(_sample(), "all")
    assert summary.group == "all"
    assert summary.count == 5
    assert (summary.response_judged, summary.response_met) == (4, 3)
    assert summary.response_compliance == pytest.approx(75.0)
    # C1 met, C2 breached (stopped), C3 breached while running, C4/C5 running
    assert (summary.resolution_judged, summary.resolution_met) == (3, 1)
    assert summary.resolution_compliance == pytest.approx(100 / 3)
    # response hours 0.5, 1, 2, 6: average 2.375, p90 at rank 2.7 -> 2 + 0.7 * 4
    assert summary.response_avg == pytest.approx(2.375)
    assert summary.response_p90 == pytest.approx(4.8)
    # resolution hours 20, 60: average 40, p90 = 20 + 0.9 * 40
    assert summary.resolution_avg == pytest.approx(40)
    assert summary.resolution_p90 == pytest.approx(56)
    assert summary.satisfaction_count == 3
    assert summary.satisfaction_avg == pytest.approx(11 / 3)
    assert dict(summary.satisfaction_distribution) == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert summary.repeat_count == 1
    assert summary.repeat_rate == pytest.approx(20.0)


def test_empty_summary_has_no_figures():
    summary = analysis.summarize([])
    assert summary.count == 0
    assert summary.response_compliance is None
    assert summary.resolution_p90 is None
    assert summary.satisfaction_avg is None
    assert summary.repeat_rate is None
    assert list(summary.satisfaction_distribution.values()) == [0] * 5


def test_running_clock_not_breached_is_not_judged():
    summary = analysis.summarize([Fact("open")])
    assert summary.response_judged == 0
    assert summary.response_compliance is None


@pytest.mark.parametrize("score", [0, 6, "5"])
def test_bad_satisfaction_score_is_refused(score):
    with pytest.raises(ValueError):
        analysis.summarize([Fact("C", satisfaction=score)])


# ---------------------------------------------------------------- breakdown

def test_breakdown_by_category_orders_by_count():
    rows = analysis.breakdown(_sample(), analysis.BY_CATEGORY)
    assert [(r.group, r.count) for r in rows] == [
        ("噪音", 3), ("停车", 1), ("维修", 1)]
    noise = rows[0]
    assert noise.response_compliance == pytest.approx(100.0)
    assert noise.repeat_rate == pytest.approx(100 / 3)


def test_breakdown_by_month_is_chronological():
    rows = analysis.breakdown(_sample(), analysis.BY_MONTH)
    assert [r.group for r in rows] == ["2026-02", "2026-03", "2026-04"]


def test_breakdown_puts_unset_last():
    rows = analysis.breakdown(_sample(), analysis.BY_TEAM)
    assert [(r.group, r.count) for r in rows] == [("A", 2), ("B", 2), (None, 1)]


def test_breakdown_refuses_unknown_dimension():
    with pytest.raises(ValueError):
        analysis.breakdown(_sample(), "colour")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.booleans()),
                max_size=25))
def test_breakdown_counts_add_up(items):
    facts = [Fact(i, category=cat, repeat=rep) for i, (cat, rep) in enumerate(items)]
    rows = analysis.breakdown(facts, analysis.BY_CATEGORY)
    assert sum(r.count for r in rows) == len(facts)
    assert sum(r.repeat_count for r in rows) == sum(rep for _c, rep in items)


# -------------------------------------------------------------- root causes

def test_top_root_causes_with_their_corrective_actions():
    facts = [
        Fact(1, root_cause="Pump failure", corrective_action="Replace pump"),
        Fact(2, root_cause=" Pump failure ", corrective_action="Service contract"),
        Fact(3, root_cause="Pump failure", corrective_action="Replace pump"),
        Fact(4, root_cause="Late cleaning", corrective_action="New rota"),
        Fact(5, root_cause="Barking dog", corrective_action=""),
        Fact(6, root_cause="  "),
        Fact(7),
        Fact(8, root_cause="Late cleaning"),
    ]
    causes = analysis.top_root_causes(facts, limit=2)
    assert [(c.root_cause, c.count) for c in causes] == [
        ("Pump failure", 3), ("Late cleaning", 2)]
    assert causes[0].corrective_actions == ["Replace pump", "Service contract"]
    assert causes[0].share == pytest.approx(37.5)
    assert causes[1].corrective_actions == ["New rota"]


def test_no_root_causes():
    assert analysis.top_root_causes([Fact(1), Fact(2)]) == []
