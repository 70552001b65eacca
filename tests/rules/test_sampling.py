"""Call-back sampling (property_complaint.rules.sampling)."""
import doctest

import pytest

from property_complaint.rules import sampling


def test_doctests():
    assert doctest.testmod(sampling).failed == 0


@pytest.mark.parametrize("percent", [0, 20, 50, 100])
def test_sample_size_is_close_to_percent(percent):
    keys = ["TS2026%06d" % n for n in range(5000)]
    share = 100.0 * sum(sampling.sampled(k, percent) for k in keys) / len(keys)
    assert abs(share - percent) < 2.0


def test_sampling_is_deterministic_and_nested():
    keys = ["TS2026%06d" % n for n in range(500)]
    small = {k for k in keys if sampling.sampled(k, 20)}
    again = {k for k in keys if sampling.sampled(k, 20)}
    large = {k for k in keys if sampling.sampled(k, 60)}
    assert small == again
    assert small <= large


def test_salt_draws_another_sample():
    keys = ["TS2026%06d" % n for n in range(500)]
    first = {k for k in keys if sampling.sampled(k, 30, salt="rule-1")}
    second = {k for k in keys if sampling.sampled(k, 30, salt="rule-2")}
    assert first != second


@pytest.mark.parametrize("percent", [-1, 100.5])
def test_percent_outside_range_is_refused(percent):
    with pytest.raises(ValueError):
        sampling.sampled("X", percent)
