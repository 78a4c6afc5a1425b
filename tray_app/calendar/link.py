"""The applet's side of "Use my calendar": runs the `CalendarSource` for the stored address,
offers its meeting as a driver to the automatic sources (tray_app.automatic, Source.CALENDAR),
and carries out the person's choices (an address or file, whether titles may be shown, off).

A meeting becomes `Driver(Reason.MEETING, BUSY, until=end of the busy stretch, label=title)`,
the title only where the person allowed it. Whether that makes an account Busy (never over a
manual override; only where its server has Busy for automatic presence) is the hub's and the
session's rule, not this module's. Qt-free; never raises into the applet.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import tzinfo
from typing import TYPE_CHECKING

from tray_app.automatic import Driver, Reason
from tray_app.calendar.location import FeedLocation
from tray_app.calendar.problem import FeedProblem
from tray_app.calendar.store import CalendarStore
from tray_app.errors import PresenceTrayError
from tray_app.states import PresenceState

if TYPE_CHECKING:  # aiohttp and icalendar (~0.3 s of imports) load when a calendar runs
    from tray_app.calendar.feed import Feed
    from tray_app.calendar.schedule import Meeting
    from tray_app.calendar.source import CalendarSource

log = logging.getLogger(__name__)


def meeting_driver(meeting: Meeting | None, show_title: bool) -> Driver | None:
    if meeting is None:
        return None
    return Driver(Reason.MEETING, PresenceState.BUSY, until=meeting.end, label=meeting.title if show_title else None)


class CalendarLink:
    def __init__(
        self,
        store: CalendarStore,
        *,
        make_source: Callable[[Feed], CalendarSource] | None = None,
        local: tzinfo | None = None,
    ) -> None:
        self.store = store
        self.on_change: Callable[[], None] = lambda: None  # the menu
        # Where the meeting goes as automatic presence (the hub's offer for Source.CALENDAR).
        self.offer_driver: Callable[[Driver | None], None] = lambda _: None
        self.keyring_error: str | None = None  # the address could not be read at start
        self._make_source = make_source
        self._local = local
        self._source: CalendarSource | None = None
        # One change at a time: the start (after the first reads) and a click on "Use" or
        # "Stop using" in the dialog can come together.
        self._lock = asyncio.Lock()

    # -- what the menu and the hub read -------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self.store.enabled

    @property
    def show_titles(self) -> bool:
        return self.store.show_titles

    @property
    def meeting(self) -> Meeting | None:
        return self._source.meeting if self._source is not None else None

    @property
    def problem(self) -> FeedProblem | None:
        return self._source.problem if self._source is not None else None

    @property
    def source(self) -> CalendarSource | None:
        return self._source

    def driver(self) -> Driver | None:
        return meeting_driver(self.meeting, self.show_titles)

    # -- what the person does -----------------------------------------------------------------

    async def start(self) -> None:
        """Run the stored calendar, if any; never raises (a locked keyring is said in the menu)."""
        async with self._lock:
            if self._source is not None:  # the person chose one meanwhile
                return
            try:
                location = await self.store.location()
            except PresenceTrayError as e:
                self.keyring_error = e.message
                log.warning("the calendar's address cannot be read from the keyring: %s", e.message)
                self.on_change()
                return
            if location is not None:
                await self._run(location)

    async def use(self, location: FeedLocation, show_titles: bool) -> None:
        """The dialog's "Use": kept in the keyring (raises `CredentialStoreError` if it cannot
        be), then fetched at once. The copy kept for an earlier address goes."""
        async with self._lock:
            await self.store.use(location)  # first: if the keyring fails, the old one runs on
            await self._stop_source()
            self.store.cache.clear()
            self.store.set_show_titles(show_titles)
            self.keyring_error = None
            await self._run(location)

    def set_show_titles(self, show: bool) -> None:
        self.store.set_show_titles(show)
        self._offer()
        self.on_change()

    async def stop(self) -> None:
        """ "Stop using my calendar": no more meetings; the address and the copy go."""
        async with self._lock:
            await self._stop_source()
            try:
                await self.store.forget()
            except PresenceTrayError as e:
                log.warning("could not remove the calendar's address from the keyring: %s", e.message)
        self._offer()
        self.on_change()

    async def close(self) -> None:
        async with self._lock:
            await self._stop_source()

    # -- internals ----------------------------------------------------------------------------

    async def _run(self, location: FeedLocation) -> None:
        from tray_app.calendar.feed import Feed  # noqa: PLC0415 (see TYPE_CHECKING above)
        from tray_app.calendar.source import CalendarSource  # noqa: PLC0415

        feed = Feed(location, self.store.cache)
        source = self._make_source(feed) if self._make_source else CalendarSource(feed, local=self._local)
        self._source = source
        source.on_change(self._changed)
        log.info("calendar: reading %s", location.redacted)
        await source.start()
        self._changed()

    async def _stop_source(self) -> None:
        source, self._source = self._source, None
        if source is not None:
            await source.close()

    def _changed(self) -> None:
        self._offer()
        self.on_change()

    def _offer(self) -> None:
        try:
            self.offer_driver(self.driver())
        except Exception:
            log.exception("offering the calendar to automatic presence failed")
