"""'Use my calendar': an iCalendar feed's meetings make this device's automatic presence Busy.

Qt-free, one concern per module:
- `feed`: fetching the address or local file (conditional requests, the last good copy on disk,
  the address never in a log line or an error);
- `schedule`: which events count as busy, recurring ones expanded by `recurring-ical-events`,
  and the meeting running at a moment (overlapping and touching ones merged);
- `source`: the running piece (`CalendarSource`: `meeting`, `problem`, `on_change`);
- `store`: the address in the keyring, the person's choices in settings;
- `words`: the menu's line for a failing feed.
"""

from tray_app.calendar.feed import BadFeedLocation, Feed, FeedCache, FeedError, FeedLocation
from tray_app.calendar.schedule import Meeting
from tray_app.calendar.source import CalendarSource, FeedProblem, ProblemKind
from tray_app.calendar.store import CalendarStore

__all__ = [
    "BadFeedLocation",
    "CalendarSource",
    "CalendarStore",
    "Feed",
    "FeedCache",
    "FeedError",
    "FeedLocation",
    "FeedProblem",
    "Meeting",
    "ProblemKind",
]
