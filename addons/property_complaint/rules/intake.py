"""How complaints come in (受理): channels, automatic mail, repeat detection.

Plain Python: no odoo import, the clock is passed in.

Automatic mail
--------------
An e-mail sent by a machine (out-of-office reply, mailing list, bounce, another
helpdesk's acknowledgement) must not become a complaint, or two auto-responders
would open complaints at each other forever. ``is_automatic(headers)`` reads
the standard markers (RFC 3834 ``Auto-Submitted``, ``X-Autoreply`` /
``X-Autorespond``, ``Precedence: bulk|junk|list|auto_reply``,
``X-Auto-Response-Suppress``, a ``mailer-daemon`` / ``postmaster`` sender):

>>> is_automatic({"Auto-Submitted": "auto-replied"})
True
>>> is_automatic({"Auto-Submitted": "no"})
False
>>> is_automatic({"Precedence": "Bulk"})
True
>>> is_automatic({"From": "Zhang San <zhang@example.com>"})
False

Repeat complaints
-----------------
A complaint is a *repeat* when the same unit already complained about the same
category within ``REPEAT_WINDOW_DAYS`` days before it (both ends included):

>>> from datetime import datetime
>>> first = datetime(2026, 3, 1, 9, 0)
>>> is_repeat(first, datetime(2026, 3, 30, 9, 0))
True
>>> is_repeat(first, datetime(2026, 4, 1, 9, 0))
False
"""
from datetime import timedelta

# Intake channels (codes shared with the models).
CHANNELS = [
    ("phone", "Phone"),
    ("counter", "Service Counter"),
    ("portal", "Portal"),
    ("wechat", "WeChat"),
    ("email", "E-mail"),
    ("hotline_12345", "Government Hotline 12345"),
    ("other", "Other"),
]
CHANNEL_CODES = tuple(code for code, _label in CHANNELS)

REPEAT_WINDOW_DAYS = 30

_PRECEDENCE_AUTOMATIC = ("bulk", "junk", "list", "auto_reply")
_DAEMON_SENDERS = ("mailer-daemon", "postmaster")


def _header(headers, name):
    """Case-insensitive header lookup on a dict-like (``email.message`` too)."""
    getter = getattr(headers, "get", None)
    value = getter(name) if getter else None
    if value is None and hasattr(headers, "items"):
        wanted = name.lower()
        for key, val in headers.items():
            if key.lower() == wanted:
                value = val
                break
    return str(value or "").strip().lower()


def is_automatic(headers):
    """True when the mail was sent by a machine, not typed by a person."""
    auto_submitted = _header(headers, "Auto-Submitted")
    if auto_submitted and auto_submitted != "no":
        return True
    if _header(headers, "X-Autoreply") or _header(headers, "X-Autorespond"):
        return True
    if _header(headers, "X-Auto-Response-Suppress") in ("all", "oof", "autoreply"):
        return True
    if _header(headers, "Precedence") in _PRECEDENCE_AUTOMATIC:
        return True
    sender = _header(headers, "From")
    if "<" in sender:
        sender = sender.split("<", 1)[1]
    local_part = sender.split("@", 1)[0].strip(" <>\"")
    return local_part in _DAEMON_SENDERS


def is_repeat(previous_at, reported_at, window_days=REPEAT_WINDOW_DAYS):
    """Is a complaint at ``reported_at`` a repeat of one at ``previous_at``?"""
    if previous_at is None or reported_at is None or previous_at > reported_at:
        return False
    return reported_at - previous_at <= timedelta(days=window_days)


def repeat_window_start(reported_at, window_days=REPEAT_WINDOW_DAYS):
    """The earliest moment an earlier complaint may have to be repeated."""
    return reported_at - timedelta(days=window_days)
