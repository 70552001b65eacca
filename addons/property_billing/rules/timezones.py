"""The suite's one timezone helper: naive UTC datetimes, as Odoo stores them,
to and from the wall clock of an estate's timezone.

Plain Python: ``tz`` is any ``tzinfo`` (stdlib ``zoneinfo``/``timezone`` or
``pytz``, whose zones are applied with ``localize``: ``replace(tzinfo=...)``
would use their first historical offset, LMT +08:06 for Asia/Shanghai).
Used by the notice delivery rules (quiet hours) and by property_complaint's
SLA clock.

>>> from datetime import datetime, timedelta, timezone
>>> shanghai = timezone(timedelta(hours=8))
>>> to_local(datetime(2026, 3, 6, 9), shanghai)
datetime.datetime(2026, 3, 6, 17, 0)
>>> to_utc(datetime(2026, 3, 6, 17), shanghai)
datetime.datetime(2026, 3, 6, 9, 0)
"""
from datetime import datetime, timezone


def _check_naive(moment, what):
    if not isinstance(moment, datetime):
        raise TypeError("%s must be a datetime, not %r" % (what, moment))
    if moment.tzinfo is not None:
        raise ValueError("%s must be a naive datetime" % what)
    return moment


def localize(local_naive, tz):
    """The naive wall-clock ``local_naive`` of ``tz`` as an aware datetime."""
    _check_naive(local_naive, "the local time")
    localize_ = getattr(tz, "localize", None)
    if localize_ is not None:  # pytz
        return localize_(local_naive)
    return local_naive.replace(tzinfo=tz)


def to_local(utc_naive, tz):
    """A naive UTC datetime in the local time of ``tz``, naive."""
    moment = _check_naive(utc_naive, "the UTC time").replace(tzinfo=timezone.utc)
    return moment.astimezone(tz).replace(tzinfo=None)


def to_utc(local_naive, tz):
    """A naive local datetime of ``tz`` as naive UTC (for ``fields.Datetime``)."""
    return localize(local_naive, tz).astimezone(timezone.utc).replace(tzinfo=None)


__all__ = ["localize", "to_local", "to_utc"]
