"""Masking and redaction (rules.privacy) for notice boards and SMS errors."""
import doctest

import pytest

from property_billing.rules import privacy


def test_doctests():
    assert doctest.testmod(privacy).failed == 0


@pytest.mark.parametrize("name, masked", [
    ("张三", "张*"),
    ("张三丰", "张**"),
    ("张", "张*"),
    ("  李四 ", "李*"),
    (None, ""),
])
def test_mask_name(name, masked):
    assert privacy.mask_name(name) == masked


@pytest.mark.parametrize("mobile, masked", [
    ("13800138000", "138****8000"),
    ("+86 138-0013-8000", "138****8000"),
    ("008613800138000", "138****8000"),
    ("021-5555-0000", "*******0000"),
    (False, ""),
])
def test_mask_mobile(mobile, masked):
    assert privacy.mask_mobile(mobile) == masked


def test_redact_removes_every_secret_and_full_mobile():
    text = "key=abc123&to=13800138000, again abc123 (+86 139 0013 9000)"
    redacted = privacy.redact(text, ["abc123", None, ""])
    assert "abc123" not in redacted
    assert "13800138000" not in redacted
    assert "138****8000" in redacted
    assert "139****9000" in redacted
