"""What an owner may do with complaints on the portal
(property_portal.rules.complaints)."""
import doctest
from datetime import datetime, timedelta

import pytest
from hypothesis import given, strategies as st

from property_portal.rules import complaints
from property_portal.rules.complaints import (
    BAD_NAME, DAILY_LIMIT, EMPTY, NOT_AN_IMAGE, REQUIRED, TOO_BIG, TOO_LONG,
    TOO_MANY, TOO_SHORT, can_rate, can_reopen, check_photo, check_photo_count,
    check_text, complaints_left, parse_score, reopen_deadline, sniff_image)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
NOW = datetime(2026, 3, 2, 9, 0)


def test_doctests():
    assert doctest.testmod(complaints).failed == 0


@pytest.mark.parametrize("data, kind", [
    (JPEG, "jpeg"),
    (PNG, "png"),
    (WEBP, "webp"),
    (b"GIF89a" + b"\x00" * 32, None),
    (b"%PDF-1.4" + b"\x00" * 32, None),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", None),
    (b"<html><script>alert(1)</script></html>", None),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),  # a RIFF that is no WebP
    (b"\xff\xd8", None),  # cut short
    (b"", None),
])
def test_type_is_read_from_the_content(data, kind):
    assert sniff_image(data) == kind


@pytest.mark.parametrize("filename, data, expected", [
    ("door.jpg", JPEG, None),
    ("DOOR.JPEG", JPEG, None),
    ("leak.png", PNG, None),
    ("leak.webp", WEBP, None),
    # a name without extension is judged by its content alone
    ("camera-upload", JPEG, None),
    # the browser's name does not matter when the content is right...
    ("photo.png", JPEG, None),
    # ...but an executable or page name is refused whatever it holds
    ("shell.php", JPEG, BAD_NAME),
    ("page.html", PNG, BAD_NAME),
    ("image.svg", PNG, BAD_NAME),
    # a renamed file is refused by its content
    ("invoice.jpg", b"%PDF-1.4" + b"\x00" * 32, NOT_AN_IMAGE),
    ("anim.gif", b"GIF89a" + b"\x00" * 32, NOT_AN_IMAGE),
    ("empty.jpg", b"", EMPTY),
])
def test_check_photo(filename, data, expected):
    assert check_photo(filename, data) == expected


def test_size_limit_is_inclusive():
    limit = len(JPEG)
    assert check_photo("a.jpg", JPEG, max_bytes=limit) is None
    assert check_photo("a.jpg", JPEG + b"\x00", max_bytes=limit) == TOO_BIG
    # the default: 5 MB
    big = JPEG + b"\x00" * (5 * 1024 * 1024)
    assert check_photo("a.jpg", big) == TOO_BIG


@pytest.mark.parametrize("count, expected", [
    (0, None), (1, None), (5, None), (6, TOO_MANY)])
def test_photo_count(count, expected):
    assert check_photo_count(count) == expected


@pytest.mark.parametrize("hours_ago, left", [
    ([], DAILY_LIMIT),
    ([1], 4),
    ([1, 2, 3, 4, 5], 0),
    ([1, 2, 3, 4, 5, 6], 0),  # never negative
    # exactly 24 hours ago has left the window; 23:59 has not
    ([24, 1, 2, 3, 4], 1),
    ([23.99, 1, 2, 3, 4], 0),
    # a reported date in the future (clock skew) does not count
    ([-1, 1, 2, 3, 4], 1),
])
def test_complaints_left(hours_ago, left):
    times = [NOW - timedelta(hours=h) for h in hours_ago]
    assert complaints_left(times, NOW) == left


@given(st.lists(st.integers(min_value=0, max_value=48 * 60), max_size=12))
def test_left_never_grows_with_more_complaints(minutes_ago):
    times = [NOW - timedelta(minutes=m) for m in minutes_ago]
    left = complaints_left(times, NOW)
    assert 0 <= left <= DAILY_LIMIT
    assert complaints_left(times + [NOW], NOW) <= left


@pytest.mark.parametrize("text, kwargs, expected", [
    ("", {}, REQUIRED),
    ("   \n", {}, REQUIRED),
    ("", {"required": False}, None),
    ("Leak", {"min_len": 5}, TOO_SHORT),
    ("  Leak!  ", {"min_len": 5}, None),
    ("x" * 4001, {}, TOO_LONG),
    ("x" * 4000, {}, None),
])
def test_check_text(text, kwargs, expected):
    assert check_text(text, **kwargs) == expected


@pytest.mark.parametrize("value, score", [
    ("1", 1), ("5", 5), (" 3 ", 3), (4, 4),
    ("0", None), ("6", None), ("-1", None), ("3.5", None), ("five", None),
    ("", None), (None, None)])
def test_parse_score(value, score):
    assert parse_score(value) == score


@pytest.mark.parametrize("stage, followup, expected", [
    ("resolved", "none", True),
    ("resolved", "pending", True),
    ("followup", "failed", True),  # not reached by phone: may rate here
    ("closed", "none", True),
    ("closed", "done", False),  # rated already (call-back or portal)
    ("new", "none", False),
    ("in_progress", "none", False),
    ("reopened", "none", False),
    (False, "none", False),
])
def test_can_rate(stage, followup, expected):
    assert can_rate(stage, followup) is expected


RESOLVED = datetime(2026, 3, 1, 9, 0)


@pytest.mark.parametrize("stage, now, expected", [
    ("resolved", RESOLVED, True),
    ("followup", RESOLVED + timedelta(days=3), True),
    ("closed", RESOLVED + timedelta(days=7), True),
    ("closed", RESOLVED + timedelta(days=7, seconds=1), False),
    ("resolved", RESOLVED + timedelta(days=30), False),
    ("in_progress", RESOLVED + timedelta(days=1), False),
    ("reopened", RESOLVED + timedelta(days=1), False),
    ("new", RESOLVED, False),
])
def test_can_reopen(stage, now, expected):
    assert can_reopen(stage, RESOLVED, now) is expected


def test_never_resolved_is_never_reopened():
    assert reopen_deadline(None) is None
    assert can_reopen("closed", None, NOW) is False


@given(st.integers(min_value=0, max_value=60 * 24 * 30))
def test_reopen_window_is_seven_days(minutes):
    now = RESOLVED + timedelta(minutes=minutes)
    assert can_reopen("resolved", RESOLVED, now) is (minutes <= 7 * 24 * 60)
