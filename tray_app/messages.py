"""The status message apart from the state (Qt-free): its presets, the recent messages kept per
account, and when "Clear after" ends it.

Pure functions: "now" and the time zone are passed in, so tests pin any moment.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta, tzinfo

from tray_app.translation import translate

RECENT_LIMIT = 5  # recent messages kept per account (the dialog lists them)
MAX_LENGTH = 200  # a status line, not a letter; keeps menus and tooltips readable


def presets() -> tuple[str, ...]:
    """A few messages offered as they are, in the user's language."""
    return (
        translate("Message", "In a meeting"),
        translate("Message", "Commuting"),
        translate("Message", "Out sick"),
        translate("Message", "On holiday"),
        translate("Message", "Focusing"),
    )


def remember_recent(recent: Sequence[str], msg: str, limit: int = RECENT_LIMIT) -> tuple[str, ...]:
    """`recent` (newest first) with `msg` in front: once, trimmed, at most `limit`; an empty
    message changes nothing."""
    msg = msg.strip()
    if not msg:
        return tuple(recent)[:limit]
    return (msg, *(m for m in recent if m != msg))[:limit]


def recent_choices(recent: Iterable[str], offered: Iterable[str]) -> tuple[str, ...]:
    """The recent messages the dialog lists beside the presets (a preset is not listed twice)."""
    skip = set(offered)
    return tuple(m for m in recent if m and m not in skip)


class ClearAfter(enum.Enum):
    NEVER = "never"
    MINUTES_30 = "30m"
    HOUR_1 = "1h"
    TODAY = "today"
    THIS_WEEK = "week"

    @property
    def label(self) -> str:
        return _LABELS[self]()


_LABELS = {
    ClearAfter.NEVER: lambda: translate("ClearAfter", "Don't clear"),
    ClearAfter.MINUTES_30: lambda: translate("ClearAfter", "%n minute(s)", None, 30),
    ClearAfter.HOUR_1: lambda: translate("ClearAfter", "%n hour(s)", None, 1),
    ClearAfter.TODAY: lambda: translate("ClearAfter", "Today"),
    ClearAfter.THIS_WEEK: lambda: translate("ClearAfter", "This week"),
}

_FIXED = {ClearAfter.MINUTES_30: timedelta(minutes=30), ClearAfter.HOUR_1: timedelta(hours=1)}


def message_until(choice: ClearAfter, now: datetime, tz: tzinfo | None = None) -> datetime | None:
    """When a message set `now` with `choice` clears itself (UTC), None: never. "Today" ends at
    the next local midnight, "This week" at the local midnight that starts next Monday."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if choice is ClearAfter.NEVER:
        return None
    if choice in _FIXED:
        return (now + _FIXED[choice]).astimezone(UTC)
    local = now.astimezone(tz) if tz is not None else now.astimezone()
    days = 1 if choice is ClearAfter.TODAY else 7 - local.weekday()
    midnight = datetime.combine(local.date() + timedelta(days=days), time(0, 0))
    # With `tz` its rules decide; without it the system's zone does (a naive time is local).
    return (midnight.replace(tzinfo=tz) if tz is not None else midnight.astimezone()).astimezone(UTC)
