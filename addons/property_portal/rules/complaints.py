"""What an owner may do with complaints on the portal, as pure functions.

No odoo import; the caller passes the clock (naive UTC datetimes, as Odoo
stores them) and the files' bytes.

Photos
------
Up to ``MAX_PHOTOS`` photos a form, each at most ``MAX_PHOTO_BYTES``. The
type is read from the content (the magic bytes), not from the name or the
browser's content type; a name, when it has an extension, must be an image
one too:

>>> sniff_image(b"\\xff\\xd8\\xff\\xe0" + b"0" * 16)
'jpeg'
>>> sniff_image(b"\\x89PNG\\r\\n\\x1a\\n" + b"0" * 16)
'png'
>>> sniff_image(b"RIFF\\x10\\x00\\x00\\x00WEBPVP8 ")
'webp'
>>> sniff_image(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
True
>>> check_photo("door.jpg", b"\\xff\\xd8\\xff\\xe0" + b"0" * 16)
>>> check_photo("door.jpg", b"GIF89a" + b"0" * 16)
'not_an_image'
>>> check_photo("door.php", b"\\xff\\xd8\\xff\\xe0" + b"0" * 16)
'bad_name'
>>> check_photo("big.png", b"\\x89PNG\\r\\n\\x1a\\n" + b"0" * 100, max_bytes=50)
'too_big'

Flood limit
-----------
An owner files at most ``DAILY_LIMIT`` complaints on the portal in any 24
hours (a rolling day: no time zone to agree on, no midnight burst):

>>> from datetime import datetime, timedelta
>>> now = datetime(2026, 3, 2, 9, 0)
>>> earlier = [now - timedelta(hours=h) for h in (1, 2, 3, 4)]
>>> complaints_left(earlier, now)
1
>>> complaints_left(earlier + [now - timedelta(hours=23)], now)
0
>>> complaints_left(earlier + [now - timedelta(hours=25)], now)
1

Rating and reopening
--------------------
A complaint is rated once it is resolved (resolved, followed up or closed),
once per resolution: a completed follow-up (the call-back survey answered,
on the phone or here) is the rating. It is reopened by the owner within
``REOPEN_DAYS`` days of its resolution:

>>> can_rate("resolved", "pending"), can_rate("closed", "done")
(True, False)
>>> can_rate("in_progress", "none")
False
>>> resolved = datetime(2026, 3, 1, 9, 0)
>>> can_reopen("resolved", resolved, resolved + timedelta(days=7))
True
>>> can_reopen("closed", resolved, resolved + timedelta(days=7, seconds=1))
False
>>> can_reopen("in_progress", resolved, resolved)
False
"""
import os
from datetime import timedelta

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024
DAILY_LIMIT = 5
DAILY_WINDOW = timedelta(days=1)
REOPEN_DAYS = 7
DESCRIPTION_MIN = 5
DESCRIPTION_MAX = 4000
COMMENT_MAX = 2000
SCORES = (1, 2, 3, 4, 5)

# Stage codes (property_complaint's shipped stages).
RATEABLE_STAGES = ("resolved", "followup", "closed")
REOPENABLE_STAGES = ("resolved", "followup", "closed")
# The follow-up state of a complaint whose call-back survey was answered.
FOLLOWUP_DONE = "done"

JPEG, PNG, WEBP = "jpeg", "png", "webp"
MIMETYPES = {JPEG: "image/jpeg", PNG: "image/png", WEBP: "image/webp"}
EXTENSIONS = {
    ".jpg": JPEG, ".jpeg": JPEG, ".jpe": JPEG, ".jfif": JPEG,
    ".png": PNG, ".webp": WEBP,
}

# Refusal codes (the controller words them).
EMPTY = "empty"
TOO_BIG = "too_big"
NOT_AN_IMAGE = "not_an_image"
BAD_NAME = "bad_name"
TOO_MANY = "too_many"
REQUIRED = "required"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
INVALID = "invalid"


def sniff_image(data):
    """The image type of ``data`` from its first bytes (``jpeg``, ``png``,
    ``webp``), None for anything else."""
    head = bytes(data[:16])
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def check_photo(filename, data, max_bytes=MAX_PHOTO_BYTES):
    """None when the photo may be kept, else the refusal code."""
    if not data:
        return EMPTY
    if len(data) > max_bytes:
        return TOO_BIG
    kind = sniff_image(data)
    if kind is None:
        return NOT_AN_IMAGE
    extension = os.path.splitext(filename or "")[1].lower()
    if extension and extension not in EXTENSIONS:
        return BAD_NAME
    return None


def check_photo_count(count, max_count=MAX_PHOTOS):
    """None, or ``TOO_MANY`` when more than ``max_count`` photos came."""
    return TOO_MANY if count > max_count else None


def complaints_left(reported_at, now, limit=DAILY_LIMIT, window=DAILY_WINDOW):
    """How many complaints the owner may still file now, given when their
    earlier portal complaints were reported (datetimes)."""
    start = now - window
    recent = [moment for moment in reported_at if start < moment <= now]
    return max(limit - len(recent), 0)


def check_text(text, required=True, min_len=0, max_len=DESCRIPTION_MAX):
    """None, or the refusal code of a free text (stripped)."""
    text = (text or "").strip()
    if not text:
        return REQUIRED if required else None
    if len(text) < min_len:
        return TOO_SHORT
    if len(text) > max_len:
        return TOO_LONG
    return None


def parse_score(value):
    """The rating 1-5 from the form, or None when it is not one.

    >>> parse_score("4"), parse_score("0"), parse_score("4.5"), parse_score(None)
    (4, None, None, None)
    """
    try:
        score = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return score if score in SCORES else None


def can_rate(stage_code, followup_state):
    """May the owner rate the resolution now?"""
    return stage_code in RATEABLE_STAGES and followup_state != FOLLOWUP_DONE


def reopen_deadline(resolved_at, days=REOPEN_DAYS):
    """The last moment the owner may reopen a complaint resolved at
    ``resolved_at`` (None when it was never resolved)."""
    if resolved_at is None:
        return None
    return resolved_at + timedelta(days=days)


def can_reopen(stage_code, resolved_at, now, days=REOPEN_DAYS):
    """May the owner reopen the complaint now?"""
    deadline = reopen_deadline(resolved_at, days)
    return bool(stage_code in REOPENABLE_STAGES and deadline is not None
                and resolved_at <= now <= deadline)
