"""'Use my calendar': an iCalendar feed's meetings make this device's automatic presence Busy.

Qt-free, one concern per module:
- `location`: the address or file, and its redacted form; `cache`: the last good copy on disk;
- `feed`: fetching it (conditional requests; the address never in a log line or an error);
- `schedule`: which events count as busy, recurring ones expanded by `recurring-ical-events`,
  and the meeting running at a moment (overlapping and touching ones merged);
- `source`: the running piece (`CalendarSource`: `meeting`, `problem`, `on_change`);
  `problem`: a failing feed as plain data;
- `store`: the address in the keyring, the person's choices in settings;
- `link`: the applet's side (the meeting offered to the automatic sources);
- `words`: the menu's line for a failing feed.

Only `feed`, `schedule` and `source` import aiohttp, icalendar and recurring-ical-events; the
applet imports the others at start and those three when a calendar is in use (`link`), so
neither is on the path to the first icon.
"""
