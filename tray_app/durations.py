"""How long the next override lasts, and how much of a running one is left.

Pure functions (no Qt, no clock of their own): the tray passes "now" in, so the
tests can pin any moment, including the days the clocks change.

The core persists the resulting `until` and clears the override when it passes;
the UI only turns the user's choice into that end time.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from tray_app.translation import translate

# "Until tomorrow morning" ends at the next occurrence of this local wall-clock time.
MORNING = time(8, 0)


class Duration(enum.Enum):
    UNTIL_CHANGED = "until_changed"
    MINUTES_30 = "30m"
    HOUR_1 = "1h"
    HOURS_4 = "4h"
    TOMORROW_MORNING = "tomorrow_morning"

    @property
    def label(self) -> str:
        return _LABELS[self]()


# Plural forms through the translator ("1 hour", "4 hours"; other languages have other rules).
_LABELS = {
    Duration.UNTIL_CHANGED: lambda: translate("Duration", "Until I change it"),
    Duration.MINUTES_30: lambda: translate("Duration", "%n minute(s)", None, 30),
    Duration.HOUR_1: lambda: translate("Duration", "%n hour(s)", None, 1),
    Duration.HOURS_4: lambda: translate("Duration", "%n hour(s)", None, 4),
    Duration.TOMORROW_MORNING: lambda: translate("Duration", "Until tomorrow morning"),
}

_FIXED = {
    Duration.MINUTES_30: timedelta(minutes=30),
    Duration.HOUR_1: timedelta(hours=1),
    Duration.HOURS_4: timedelta(hours=4),
}


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware (e.g. datetime.now(timezone.utc))")


def _local_wall_time(day: date, at: time, tz: tzinfo | None) -> datetime:
    """`day` at `at` on the local clock, as an aware datetime.

    With `tz` (a zoneinfo.ZoneInfo, say) the zone's rules decide; without it the
    system's local zone does (via the C library, DST included).
    """
    naive = datetime.combine(day, at)
    if tz is not None:
        return naive.replace(tzinfo=tz)
    return naive.astimezone()  # a naive datetime is taken as system local time


def next_morning(now: datetime, tz: tzinfo | None = None, at: time = MORNING) -> datetime:
    """The next `at` (08:00) local time strictly after `now`, in UTC.

    At 23:00 that is 08:00 the next day; at 02:00 it is 08:00 the same day (the
    user's "tomorrow morning" after a late night); at exactly 08:00 it is the
    next day's.
    """
    _require_aware(now)
    local_now = now.astimezone(tz) if tz is not None else now.astimezone()
    candidate = _local_wall_time(local_now.date(), at, tz)
    if candidate.astimezone(UTC) <= now.astimezone(UTC):
        candidate = _local_wall_time(local_now.date() + timedelta(days=1), at, tz)
    return candidate.astimezone(UTC)


def until_for(duration: Duration, now: datetime, tz: tzinfo | None = None) -> datetime | None:
    """When an override chosen at `now` with `duration` ends (aware UTC), or None for no end."""
    _require_aware(now)
    if duration is Duration.UNTIL_CHANGED:
        return None
    if duration is Duration.TOMORROW_MORNING:
        return next_morning(now, tz)
    # Fixed spans are elapsed time, not wall-clock time: 1 hour is 3600 s even across a DST change.
    return now.astimezone(UTC) + _FIXED[duration]


def remaining(until: datetime | None, now: datetime) -> timedelta | None:
    """Time left until `until` (never negative), or None when there is no end."""
    if until is None:
        return None
    _require_aware(now)
    _require_aware(until)
    left = until - now
    return left if left > timedelta(0) else timedelta(0)


def format_remaining(left: timedelta) -> str:
    """A short, human figure: "less than a minute", "23 min", "1 h 05 min", "9 h"."""
    seconds = int(left.total_seconds())
    if seconds < 60:
        return translate("Duration", "less than a minute")
    # Round up: with 59.5 minutes left, "60 min" reads better than "59 min" (the end is still later).
    minutes = (seconds + 59) // 60
    if minutes < 60:
        return translate("Duration", "{minutes} min").format(minutes=minutes)
    hours, mins = divmod(minutes, 60)
    if mins == 0:
        return translate("Duration", "{hours} h").format(hours=hours)
    return translate("Duration", "{hours} h {minutes} min").format(hours=hours, minutes=f"{mins:02d}")


def format_end(until: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """When it ends, on the local clock: "14:05", or "tomorrow 08:00", or "Mon 12 Jan 09:30"."""
    _require_aware(now)
    local_until = until.astimezone(tz) if tz is not None else until.astimezone()
    local_now = now.astimezone(tz) if tz is not None else now.astimezone()
    clock = local_until.strftime("%H:%M")
    days = (local_until.date() - local_now.date()).days
    if days == 0:
        return clock
    if days == 1:
        return translate("Duration", "tomorrow {time}").format(time=clock)
    return local_until.strftime("%a %d %b ") + clock


def describe_remaining(until: datetime | None, now: datetime, tz: tzinfo | None = None) -> str | None:
    """The menu's line for a running timed override: "ends in 23 min (14:05)"; None if untimed."""
    left = remaining(until, now)
    if left is None:
        return None
    assert until is not None
    return translate("Duration", "ends in {left} ({end})").format(
        left=format_remaining(left), end=format_end(until, now, tz)
    )
