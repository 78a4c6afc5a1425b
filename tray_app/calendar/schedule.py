"""Which meeting makes the person busy now, from an iCalendar text. No network, no Qt, no clock.

Parsing is `icalendar`'s and the expansion of recurring events (RRULE, RDATE, EXDATE, moved or
cancelled instances by RECURRENCE-ID, VTIMEZONE and X-WR-TIMEZONE) is `recurring-ical-events`':
none of it is written here.

What counts as busy (one rule, `is_busy`):
- an event with TRANSP:TRANSPARENT ("show as free") is not busy;
- an event with STATUS:CANCELLED is not busy (a cancelled instance of a series, too);
- Outlook's X-MICROSOFT-CDO-BUSYSTATUS:FREE is not busy (it writes OPAQUE beside it);
- an all-day event (DTSTART is a date) is not busy unless it says TRANSP:OPAQUE itself:
  RFC 5545's default is OPAQUE, but birthdays, holidays and "working from home" are all-day
  events nobody means as "in a meeting"; one marked busy on purpose (a conference day) is;
- an event of no length is not busy (nothing to be busy during);
- everything else is busy, TENTATIVE included (free/busy calls it BUSY-TENTATIVE).
Who declined an invitation is not known here (the feed does not say which attendee is the
person), so a declined meeting still in the feed counts.

Times: every instance becomes an aware UTC interval. A floating time (no time zone) and an
all-day date are the person's local time (`local`: a tzinfo; None: the system's own, with its
DST rules). Overlapping and touching busy events merge into one stretch, so "until" is the end
of the stretch (14:00-14:30 then 14:30-15:00 is busy until 15:00); the title is the one of the
event that began last among those running.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

import icalendar
import recurring_ical_events

log = logging.getLogger(__name__)

# How far a `Timeline` looks back and ahead of the moment it was made for. Back: an event that
# began before the window but runs into it is still found (`between` returns overlapping ones),
# so a day is plenty. Ahead: the source builds a new timeline at every refresh (minutes).
LOOK_BACK = timedelta(days=1)
LOOK_AHEAD = timedelta(days=3)


class CalendarUnreadable(ValueError):
    """The text is not an iCalendar calendar (HTML, JSON, a login page, a broken file)."""


@dataclass(frozen=True)
class Meeting:
    """A busy stretch running now: `start`/`end` aware (UTC), `title` the running event's
    SUMMARY (None: it has none). Whether the title may be shown is the caller's choice."""

    start: datetime
    end: datetime
    title: str | None = None


@dataclass(frozen=True)
class BusyEvent:
    """One busy instance, in UTC."""

    start: datetime
    end: datetime
    title: str | None


def parse(data: bytes) -> icalendar.Calendar:
    """The calendar in `data`; `CalendarUnreadable` if it is not one."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper()
    if not head.startswith(b"BEGIN:VCALENDAR"):
        raise CalendarUnreadable("not an iCalendar file")
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as e:
        raise CalendarUnreadable(f"not a readable iCalendar file ({type(e).__name__})") from e
    if not calendars:
        raise CalendarUnreadable("no calendar in the file")
    if len(calendars) == 1:
        return calendars[0]
    # Several VCALENDARs in one file (some exports do that): one calendar with all their parts.
    merged = icalendar.Calendar()
    for cal in calendars:
        for part in cal.subcomponents:
            merged.add_component(part)
    return merged


def is_busy(event: icalendar.cal.Component) -> bool:
    """The rule in the module's docstring, for one instance."""
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    if str(event.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper() == "FREE":
        return False
    transp = str(event.get("TRANSP", "")).upper()
    if transp == "TRANSPARENT":
        return False
    start = event.get("DTSTART")
    all_day = start is not None and not isinstance(start.dt, datetime)
    return not (all_day and transp != "OPAQUE")


def _utc(value: date | datetime, local: tzinfo | None) -> datetime:
    if not isinstance(value, datetime):  # a date: its local midnight
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=local) if local is not None else value.astimezone()
    return value.astimezone(UTC)


def busy_events(
    calendar: icalendar.Calendar, start: datetime, end: datetime, *, local: tzinfo | None = None
) -> list[BusyEvent]:
    """Every busy instance that overlaps [start, end), sorted by start."""
    query = recurring_ical_events.of(calendar, skip_bad_series=True)
    out: list[BusyEvent] = []
    for event in query.between(start, end):
        if not is_busy(event):
            continue
        # (the library gives every instance an end; a broken value has no `dt`)
        first, last = getattr(event.get("DTSTART"), "dt", None), getattr(event.get("DTEND"), "dt", None)
        if not isinstance(first, date) or not isinstance(last, date):
            continue
        s, e = _utc(first, local), _utc(last, local)
        if e <= s:
            continue
        summary = event.get("SUMMARY")
        title = str(summary).strip() if summary is not None and str(summary).strip() else None
        out.append(BusyEvent(s, e, title))
    out.sort(key=lambda b: (b.start, b.end))
    return out


class Timeline:
    """The busy events of a window around one moment, with the two questions the source asks:
    the meeting at `now`, and when that answer may next change."""

    def __init__(self, events: list[BusyEvent], window_start: datetime, window_end: datetime) -> None:
        self.events = events
        self.window_start = window_start
        self.window_end = window_end

    @classmethod
    def build(cls, calendar: icalendar.Calendar, now: datetime, *, local: tzinfo | None = None) -> Timeline:
        start, end = now - LOOK_BACK, now + LOOK_AHEAD
        return cls(busy_events(calendar, start, end, local=local), start, end)

    def covers(self, now: datetime) -> bool:
        """Whether `now` is far enough inside the window for the answers to hold."""
        return self.window_start + LOOK_BACK / 2 <= now <= self.window_end - LOOK_AHEAD / 2

    def meeting_at(self, now: datetime) -> Meeting | None:
        running = [e for e in self.events if e.start <= now < e.end]
        if not running:
            return None
        title = max(running, key=lambda e: (e.start, -e.end.timestamp())).title
        start = min(e.start for e in running)
        end = max(e.end for e in running)
        # Stretch out over the events that overlap or touch it, both ways.
        changed = True
        while changed:
            changed = False
            for e in self.events:
                if e.start <= end and e.end > end:
                    end, changed = e.end, True
                if e.end >= start and e.start < start:
                    start, changed = e.start, True
        return Meeting(start, end, title)

    def next_change(self, now: datetime) -> datetime | None:
        """The first event boundary after `now` (the meeting, its title or its end can change
        only there); None: nothing more in the window."""
        later = [t for e in self.events for t in (e.start, e.end) if t > now]
        return min(later) if later else None
