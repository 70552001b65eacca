"""Billing-notice delivery rules (property_billing.rules.delivery)."""
import doctest
from datetime import datetime, time, timedelta

import pytest
import pytz
from hypothesis import given, strategies as st

from property_billing.rules import delivery
from property_billing.rules.delivery import (
    EMAIL, PORTAL, PRINT, SMS, Contact, RetryPolicy)

SHANGHAI = pytz.timezone("Asia/Shanghai")
NEW_YORK = pytz.timezone("America/New_York")


def utc(text):
    """'2026-03-10 14:00' -> naive UTC datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


def shanghai(text):
    """Shanghai wall clock -> naive UTC."""
    local = SHANGHAI.localize(utc(text))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def test_doctests():
    assert doctest.testmod(delivery).failed == 0


# -- quiet hours -------------------------------------------------------------------

@pytest.mark.parametrize("local_now, expected", [
    ("2026-03-10 22:00", "2026-03-11 08:00"),   # evening -> next morning
    ("2026-03-10 21:00", "2026-03-11 08:00"),   # quiet hours start at 21:00
    ("2026-03-10 20:59", "2026-03-10 20:59"),   # just before: send now
    ("2026-03-11 00:30", "2026-03-11 08:00"),   # after midnight: same day
    ("2026-03-11 07:59", "2026-03-11 08:00"),
    ("2026-03-11 08:00", "2026-03-11 08:00"),   # quiet hours end at 08:00
    ("2026-03-11 12:00", "2026-03-11 12:00"),
    ("2026-12-31 23:00", "2027-01-01 08:00"),   # over the new year
])
def test_next_allowed_time_shanghai(local_now, expected):
    assert delivery.next_allowed_time(shanghai(local_now), SHANGHAI) == \
        shanghai(expected)


def test_next_allowed_time_across_dst():
    # 2026-03-08 is the spring-forward day in New York: 08:00 local is EDT
    # (UTC-4) while 22:00 the evening before was EST (UTC-5).
    now = NEW_YORK.localize(datetime(2026, 3, 7, 22, 0)).astimezone(pytz.utc)
    result = delivery.next_allowed_time(now.replace(tzinfo=None), NEW_YORK)
    assert result == datetime(2026, 3, 8, 12, 0)


def test_next_allowed_time_refuses_aware_datetime():
    with pytest.raises(ValueError):
        delivery.next_allowed_time(datetime(2026, 3, 10, tzinfo=pytz.utc), SHANGHAI)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_next_allowed_time_is_never_quiet_nor_early(now):
    result = delivery.next_allowed_time(now, SHANGHAI)
    assert result >= now
    assert result - now <= timedelta(hours=11)
    local = pytz.utc.localize(result).astimezone(SHANGHAI)
    assert not delivery.in_quiet_hours(local.time())


@pytest.mark.parametrize("value, expected", [
    (time(20, 59), False), (time(21, 0), True), (time(23, 59), True),
    (time(0, 0), True), (time(7, 59), True), (time(8, 0), False),
])
def test_in_quiet_hours(value, expected):
    assert delivery.in_quiet_hours(value) is expected


def test_in_quiet_hours_not_wrapping_and_empty():
    assert delivery.in_quiet_hours(time(13), time(12), time(14))
    assert not delivery.in_quiet_hours(time(15), time(12), time(14))
    assert not delivery.in_quiet_hours(time(3), time(8), time(8))


# -- retries -----------------------------------------------------------------------

POLICY = RetryPolicy(max_attempts=4, base_delay=timedelta(minutes=5), factor=2,
                     max_delay=timedelta(minutes=15))


@pytest.mark.parametrize("attempts, minutes", [(1, 5), (2, 10), (3, 15), (9, 15)])
def test_retry_delay_backs_off_and_caps(attempts, minutes):
    assert delivery.retry_delay(attempts, POLICY) == timedelta(minutes=minutes)


def test_retry_delay_needs_a_failed_attempt():
    with pytest.raises(ValueError):
        delivery.retry_delay(0, POLICY)


def test_next_retry_time_stops_at_max_attempts():
    now = utc("2026-03-10 02:00")
    assert delivery.next_retry_time(3, now, POLICY) == utc("2026-03-10 02:15")
    assert delivery.next_retry_time(4, now, POLICY) is None
    assert delivery.next_retry_time(5, now, POLICY) is None


def test_schedule_retry_respects_quiet_hours():
    # fails at 20:58 local, retry in 5 minutes would be 21:03: wait for 08:00
    now = shanghai("2026-03-10 20:58")
    assert delivery.schedule_retry(1, now, SHANGHAI, POLICY) == \
        shanghai("2026-03-11 08:00")
    assert delivery.schedule_retry(1, now, SHANGHAI, POLICY, quiet=False) == \
        shanghai("2026-03-10 21:03")
    assert delivery.schedule_retry(4, now, SHANGHAI, POLICY) is None


@given(st.integers(min_value=1, max_value=50))
def test_retry_delay_never_decreases(attempts):
    assert delivery.retry_delay(attempts + 1, POLICY) >= \
        delivery.retry_delay(attempts, POLICY)


# -- channels ----------------------------------------------------------------------

def decisions(contact, channels=delivery.CHANNEL_CODES):
    return {d.channel: d.reason for d in delivery.select_channels(contact, channels)}


@pytest.mark.parametrize("contact, expected", [
    (Contact("a@example.com", "13800000001", True),
     {EMAIL: None, SMS: None, PORTAL: None, PRINT: None}),
    (Contact("", "13800000001", True),
     {EMAIL: "no_email", SMS: None, PORTAL: None, PRINT: None}),
    (Contact("not-an-email", "", True),
     {EMAIL: "no_email", SMS: "no_mobile", PORTAL: None, PRINT: None}),
    (Contact("a@example.com", "13800000001", False),
     {EMAIL: None, SMS: "no_sms_consent", PORTAL: None, PRINT: None}),
    (Contact("a@example.com", "call me", True),
     {EMAIL: None, SMS: "invalid_mobile", PORTAL: None, PRINT: None}),
    (Contact("a@example.com", "13800000001", True, has_payer=False),
     {EMAIL: "no_payer", SMS: "no_payer", PORTAL: None, PRINT: None}),
])
def test_select_channels(contact, expected):
    assert decisions(contact) == expected


def test_select_channels_keeps_requested_order_and_refuses_unknown():
    result = delivery.select_channels(Contact(), [PRINT, PORTAL])
    assert [d.channel for d in result] == [PRINT, PORTAL]
    assert all(d.usable for d in result)
    with pytest.raises(ValueError):
        delivery.select_channels(Contact(), ["fax"])


@pytest.mark.parametrize("contact, expected", [
    (Contact("a@example.com", "", False), []),
    (Contact("", "13800000001", False), []),
    (Contact("", "", False), ["no_contact"]),
    (Contact("bad", "123", True), ["no_contact"]),
    (Contact("a@example.com", "", False, unit_state="vacant"), ["vacant"]),
    (Contact("", "", False, unit_state="vacant"), ["no_contact", "vacant"]),
    (Contact("", "", False, has_payer=False), ["no_payer"]),
])
def test_unreachable_reasons(contact, expected):
    assert delivery.unreachable_reasons(contact) == expected


@pytest.mark.parametrize("value, expected", [
    ("138 0000-0001", "13800000001"), ("+86 138 0000 0001", "+8613800000001"),
    ("", ""), (None, ""), ("n/a", ""),
])
def test_normalize_mobile(value, expected):
    assert delivery.normalize_mobile(value) == expected


def test_every_reason_has_a_label():
    codes = {code for code, _label in delivery.REASONS}
    for name in ("NO_EMAIL", "NO_MOBILE", "INVALID_MOBILE", "NO_SMS_CONSENT",
                 "NO_CONTACT", "NO_PAYER", "VACANT", "NO_GATEWAY", "SEND_ERROR",
                 "MAX_ATTEMPTS"):
        assert getattr(delivery, name) in codes
