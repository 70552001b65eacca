"""Delivering billing notices (缴费通知单的送达): channels, quiet hours, retries.

Plain Python over ``datetime``: the caller passes the clock (``now``, a
**naive UTC** datetime as Odoo stores it) and the estate's timezone (any
``tzinfo``; ``pytz`` zones are handled through their ``localize``). Nothing
here reads the clock or imports odoo.

Channels
--------
Every notice goes out on several channels at once, one delivery record per
invoice and channel (``CHANNELS``):

- ``email`` when the payer has an e-mail address;
- ``sms`` when the payer has a mobile number **and** agreed to SMS;
- ``portal`` always (a message on the bill in the owner's portal);
- ``print`` always (the building batch posted at the entrance).

A channel that cannot be used is still recorded, as ``skipped`` with the
reason, so that staff see who could not be reached.

>>> contact = Contact(email="", mobile="138 0000 0001", sms_consent=True)
>>> [(d.channel, d.reason) for d in select_channels(contact)]
[('email', 'no_email'), ('sms', None), ('portal', None), ('print', None)]
>>> unreachable_reasons(Contact(email="", mobile="", sms_consent=False,
...                             unit_state="vacant"))
['no_contact', 'vacant']

Quiet hours (免打扰时段)
----------------------
No SMS between 21:00 and 08:00 local time: a message due in that window waits
until 08:00 (the same day when it is past midnight, else the next day).

>>> from datetime import datetime, timedelta, timezone
>>> shanghai = timezone(timedelta(hours=8))
>>> next_allowed_time(datetime(2026, 3, 10, 14, 0), shanghai)   # 22:00 local
datetime.datetime(2026, 3, 11, 0, 0)
>>> next_allowed_time(datetime(2026, 3, 10, 2, 0), shanghai)    # 10:00 local
datetime.datetime(2026, 3, 10, 2, 0)

Retries (重试)
-------------
A failed attempt is retried after ``base_delay`` × ``factor`` ^ (attempts - 1),
capped at ``max_delay``, until ``max_attempts`` attempts were made; then the
delivery is ``failed`` for good.

>>> policy = RetryPolicy(max_attempts=3, base_delay=timedelta(minutes=5))
>>> [retry_delay(n, policy) for n in (1, 2)]
[datetime.timedelta(seconds=300), datetime.timedelta(seconds=600)]
>>> next_retry_time(3, datetime(2026, 3, 10, 2, 0), policy) is None
True
"""
import re
from datetime import datetime, time, timedelta
from typing import NamedTuple, Optional

from .timezones import to_local, to_utc

EMAIL = "email"
SMS = "sms"
PORTAL = "portal"
PRINT = "print"
CHANNELS = [
    (EMAIL, "E-mail"),
    (SMS, "SMS"),
    (PORTAL, "Portal"),
    (PRINT, "Printed notice"),
]
CHANNEL_CODES = tuple(code for code, _label in CHANNELS)
# Channels sent by the scheduler; ``print`` is done when the batch is printed.
SCHEDULED_CHANNELS = (EMAIL, SMS, PORTAL)

QUEUED = "queued"
SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"
DELIVERY_STATES = [
    (QUEUED, "Queued"),
    (SENT, "Sent"),
    (FAILED, "Failed"),
    (SKIPPED, "Skipped"),
]

# Why a notice did not, or may not, reach its owner ("could not reach").
NO_EMAIL = "no_email"
NO_MOBILE = "no_mobile"
INVALID_MOBILE = "invalid_mobile"
NO_SMS_CONSENT = "no_sms_consent"
NO_CONTACT = "no_contact"
NO_PAYER = "no_payer"
VACANT = "vacant"
NO_GATEWAY = "no_gateway"
SEND_ERROR = "send_error"
MAX_ATTEMPTS = "max_attempts"
REASONS = [
    (NO_EMAIL, "No e-mail address"),
    (NO_MOBILE, "No mobile number"),
    (INVALID_MOBILE, "Invalid mobile number"),
    (NO_SMS_CONSENT, "No consent to SMS"),
    (NO_CONTACT, "Neither mobile nor e-mail"),
    (NO_PAYER, "No payer"),
    (VACANT, "Vacant unit"),
    (NO_GATEWAY, "No SMS gateway configured"),
    (SEND_ERROR, "Sending failed, will retry"),
    (MAX_ATTEMPTS, "Sending failed, no retry left"),
]

QUIET_START = time(21, 0)
QUIET_END = time(8, 0)

_MOBILE_RE = re.compile(r"^\+?\d{6,15}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Contact(NamedTuple):
    """What we know about a payer (and the unit) to pick channels."""

    email: Optional[str] = None
    mobile: Optional[str] = None
    sms_consent: bool = False
    unit_state: Optional[str] = None
    has_payer: bool = True


class ChannelDecision(NamedTuple):
    channel: str
    reason: Optional[str]  # None: use the channel; else skip it for this reason

    @property
    def usable(self):
        return self.reason is None


class RetryPolicy(NamedTuple):
    max_attempts: int = 4
    base_delay: timedelta = timedelta(minutes=5)
    factor: int = 2
    max_delay: timedelta = timedelta(hours=6)


DEFAULT_RETRY = RetryPolicy()


# -- contact data --------------------------------------------------------------

def normalize_mobile(value):
    """Digits of a phone number (keeps a leading ``+``): '138 0000-0001' ->
    '13800000001'; '' when empty."""
    if not value:
        return ""
    text = str(value).strip()
    plus = "+" if text.startswith("+") else ""
    digits = re.sub(r"\D", "", text)
    return plus + digits if digits else ""


def is_valid_mobile(value):
    """A plausible mobile number once normalized (6 to 15 digits).

    >>> is_valid_mobile("+86 138-0000-0001"), is_valid_mobile("n/a")
    (True, False)
    """
    return bool(_MOBILE_RE.match(normalize_mobile(value)))


def is_valid_email(value):
    return bool(value) and bool(_EMAIL_RE.match(str(value).strip()))


def select_channels(contact, channels=CHANNEL_CODES):
    """One ``ChannelDecision`` per requested channel, in ``channels`` order."""
    decisions = []
    for channel in channels:
        if channel not in CHANNEL_CODES:
            raise ValueError("Unknown delivery channel: %r" % (channel,))
        reason = None
        if channel in (EMAIL, SMS) and not contact.has_payer:
            reason = NO_PAYER
        elif channel == EMAIL and not is_valid_email(contact.email):
            reason = NO_EMAIL
        elif channel == SMS:
            if not contact.mobile:
                reason = NO_MOBILE
            elif not is_valid_mobile(contact.mobile):
                reason = INVALID_MOBILE
            elif not contact.sms_consent:
                reason = NO_SMS_CONSENT
        decisions.append(ChannelDecision(channel, reason))
    return decisions


def unreachable_reasons(contact):
    """Why staff should follow this owner up by hand ([] = reachable).

    No payer, neither a (valid) mobile nor an e-mail, a vacant unit.
    """
    reasons = []
    if not contact.has_payer:
        reasons.append(NO_PAYER)
    elif not is_valid_email(contact.email) and not is_valid_mobile(contact.mobile):
        reasons.append(NO_CONTACT)
    if contact.unit_state == VACANT:
        reasons.append(VACANT)
    return reasons


# -- quiet hours ---------------------------------------------------------------

def in_quiet_hours(local_time, start=QUIET_START, end=QUIET_END):
    """Whether a local wall-clock ``time`` falls in [start, end) (may wrap
    over midnight)."""
    if start == end:
        return False
    if start < end:
        return start <= local_time < end
    return local_time >= start or local_time < end


def next_allowed_time(now_utc, tz, start=QUIET_START, end=QUIET_END):
    """The first moment at or after ``now_utc`` outside the quiet hours of
    ``tz`` (naive UTC in, naive UTC out)."""
    local = to_local(now_utc, tz)
    if not in_quiet_hours(local.time(), start, end):
        return now_utc
    day = local.date()
    if local.time() >= end:
        day += timedelta(days=1)  # evening: the quiet hours end tomorrow
    return to_utc(datetime.combine(day, end), tz)


# -- retries -------------------------------------------------------------------

def retry_delay(attempts, policy=DEFAULT_RETRY):
    """Wait after the ``attempts``-th failed attempt (``attempts`` >= 1)."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    delay = policy.base_delay
    for _step in range(attempts - 1):
        if delay >= policy.max_delay:
            break
        delay *= policy.factor
    return min(delay, policy.max_delay)


def next_retry_time(attempts, now_utc, policy=DEFAULT_RETRY):
    """When to try again after ``attempts`` failed attempts, or ``None`` when
    no attempt is left (naive UTC)."""
    if attempts >= policy.max_attempts:
        return None
    return now_utc + retry_delay(attempts, policy)


def schedule_retry(attempts, now_utc, tz, policy=DEFAULT_RETRY, quiet=True,
                   start=QUIET_START, end=QUIET_END):
    """``next_retry_time`` moved out of the quiet hours when ``quiet``."""
    when = next_retry_time(attempts, now_utc, policy)
    if when is None or not quiet:
        return when
    return next_allowed_time(when, tz, start, end)
