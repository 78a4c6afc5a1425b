"""The place every automatic source hands its driver to, and where the applet asks what drives
automatic presence now. Qt-free; the clock is passed in (tests use a fake one).

A source calls `offer(source, driver)` whenever its wish changes, and `offer(source, None)`
when it has none (nothing running, or the person switched that source off: a switched-off
source offers None, so the hub needs no switch of its own). The hub calls `on_change` when
what it holds changed, and again at the moment the earliest `until` among its drivers passes
(so a meeting's end is seen even if its source says nothing then). `driving(busy=...)` is the
driver that decides for an account (`combine`'s rule); the tray hands each session its state
(tray_app.idle.automatic.AutomaticPresence.apply).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from tray_app.automatic.driver import Driver, Source, combine, skipped_busy

log = logging.getLogger(__name__)

# (delay in seconds, callback) -> something with cancel(); asyncio's call_later by default.
Schedule = Callable[[float, Callable[[], None]], asyncio.TimerHandle]


class AutomaticSources:
    def __init__(
        self,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        schedule: Schedule | None = None,
    ) -> None:
        self.clock = clock
        self.on_change: Callable[[], None] = lambda: None
        self._schedule = schedule
        self._drivers: dict[Source, Driver] = {}
        self._timer: asyncio.TimerHandle | None = None

    def offer(self, source: Source, driver: Driver | None) -> None:
        """`source`'s newest wish (None: it has none now). A driver of another source is a
        programming error. Calls `on_change` when it differs from the last one offered."""
        if driver is not None and driver.source is not source:
            raise ValueError(f"a {driver.reason.value} driver offered as {source.value}")
        if self._drivers.get(source) == driver:
            return
        if driver is None:
            self._drivers.pop(source, None)
        else:
            self._drivers[source] = driver
        self._arm()
        self._changed()

    def driver(self, source: Source) -> Driver | None:
        """What `source` offers now (passed ones included: see `driving`)."""
        return self._drivers.get(source)

    def drivers(self) -> tuple[Driver, ...]:
        return tuple(self._drivers.values())

    def driving(self, *, busy: bool) -> Driver | None:
        """The driver that decides now for an account whose server has (`busy`) or lacks Busy
        for automatic presence; None: neutral."""
        return combine(self.drivers(), busy=busy, now=self.clock())

    def skipped_busy(self) -> Driver | None:
        """The Busy driver a server without Busy goes without (for the menu's plain words)."""
        return skipped_busy(self.drivers(), now=self.clock())

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _arm(self) -> None:
        """A wake-up at the earliest end still to come."""
        self.close()
        now = self.clock()
        ends = [d.until for d in self._drivers.values() if d.until is not None and d.until > now]
        if not ends:
            return
        delay = (min(ends) - now).total_seconds()
        schedule = self._schedule
        if schedule is None:
            try:
                schedule = asyncio.get_running_loop().call_later
            except RuntimeError:  # no loop (a plain unit test): the next offer sees the end
                return
        self._timer = schedule(delay, self._ended)

    def _ended(self) -> None:
        self._timer = None
        self._arm()  # (a loop's timer may fire a little early: armed again for what is left)
        self._changed()

    def _changed(self) -> None:
        try:
            self.on_change()
        except Exception:
            log.exception("an automatic-presence subscriber failed")
