"""Automatic sources: what makes this device's automatic presence what it is, and which one wins.

Three sources offer a `Driver` (a state, a reason, optionally an end and a label) to one
`AutomaticSources` hub: the desktop's idle and lock (tray_app.idle), the desktop's
do-not-disturb turned on by the person (tray_app.dnd), and a calendar's meetings. `combine`
picks the one that decides (meeting > locked > do not disturb > idle > active; see driver.py
for why), skipping Busy where the account's server has no Busy for automatic presence. A
manual override always wins over all of them (the session enforces that). Qt-free.

For a new source (the calendar): build `Driver(Reason.MEETING, PresenceState.BUSY,
until=event_end, label=title_or_None)` while an event marked busy runs, and hand it to the
applet's hub with `hub.offer(Source.CALENDAR, driver)`; `hub.offer(Source.CALENDAR, None)`
when none runs or the person switched the calendar off. The hub re-decides at `until` by
itself. The tray's hub is `AutomaticPresence.sources` (tray_app.idle.automatic), reached as
`Controller.idle.sources`.
"""

from tray_app.automatic.driver import Driver, Reason, Source, combine, skipped_busy
from tray_app.automatic.hub import AutomaticSources

__all__ = ["AutomaticSources", "Driver", "Reason", "Source", "combine", "skipped_busy"]
