"""Feeds the desktop's idle and lock state, with the other automatic sources, to every
signed-in session.

The tray owns one of these: it picks the sources, runs the monitor, applies the person's
policy, offers the result to `sources` (the hub of tray_app.automatic, where do-not-disturb and
a calendar offer theirs too) and hands each session the state of the driver that decides for
it (`Session.set_automatic`): Busy only where that session's server has Busy for automatic
presence (`SessionState.automatic_busy`). The session carries it on its sync only while no
override is set; an account the person left out (`IdlePolicy.off_for`) is handed None (neutral).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from tray_app.automatic import AutomaticSources, Driver, Source
from tray_app.idle.chooser import Sources, choose_sources
from tray_app.idle.monitor import MIN_POLL_SECONDS, IdleMonitor
from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy, desktop_driver
from tray_app.idle.source import IdleReading

log = logging.getLogger(__name__)

CHECKING = AutoPresence(None, AutoReason.OFF)


class AutomaticPresence:
    def __init__(
        self,
        settings: Any,
        *,
        choose: Callable[[], Awaitable[Sources]] = choose_sources,
        poll_seconds: float = MIN_POLL_SECONDS,
        sources: AutomaticSources | None = None,
    ) -> None:
        self.settings = settings
        # Every automatic source's driver (this one's is the desktop's); a change of any
        # re-decides each session's automatic presence.
        self.sources = sources if sources is not None else AutomaticSources()
        self.sources.on_change = self._hand_out
        self.policy = IdlePolicy.from_settings(settings)
        self.current: AutoPresence = CHECKING
        self.available: bool | None = None  # None: not looked yet
        self.on_change: Callable[[], None] = lambda: None
        self._choose = choose
        self._poll_seconds = poll_seconds
        self._sessions: Callable[[], Iterable[Any]] = lambda: ()
        self._sources: Sources | None = None
        self._monitor: IdleMonitor | None = None
        self._task: asyncio.Task[Any] | None = None
        self._reading = IdleReading()
        # What each account's server was last known to have (automatic Busy), by user ID.
        self._busy_seen: dict[str, bool] = {}

    async def start(self, sessions: Callable[[], Iterable[Any]]) -> None:
        """Look for sources once; never raises (nothing found: say so, stay neutral)."""
        self._sessions = sessions
        try:
            self._sources = await self._choose()
        except Exception:
            log.exception("looking for idle sources failed")
            self._sources = Sources()
        self.available = self._sources.available
        if not self.available:
            self._update()
            return
        self._monitor = IdleMonitor(
            self._sources, self._poll_seconds, next_read_in=lambda reading: self.policy.next_read_in(reading)
        )
        self._monitor.subscribe(self._on_reading)
        self._task = asyncio.get_running_loop().create_task(self._monitor.run())

    def _on_reading(self, reading: IdleReading) -> None:
        self._reading = reading
        self._update()

    def _update(self) -> None:
        new = self.policy.decide(self._reading, available=bool(self.available))
        changed = new != self.current
        if (new.state != self.current.state or new.reason != self.current.reason) and (
            new.reason is not AutoReason.UNAVAILABLE  # the idle chooser's one line says so
        ):
            log.info("%s", new.text)  # "Automatic: Away (idle 7 min)"
        self.current = new
        before = self.sources.drivers()
        self.sources.offer(Source.DESKTOP, desktop_driver(new))  # hands out (and tells) when it changed
        if self.sources.drivers() == before:
            self._hand_out(tell=changed)  # (a policy change may still differ per account)

    def _hand_out(self, tell: bool = True) -> None:
        """Every session its automatic presence anew (a source's driver changed)."""
        for session in list(self._sessions()):
            self.apply(session)
        if tell:
            self.on_change()

    def follow(self, dnd: Any) -> None:
        """Take the person's do-not-disturb (tray_app.dnd.desktop.DoNotDisturb) as a source."""
        dnd.offer_driver = lambda driver: self.sources.offer(Source.DO_NOT_DISTURB, driver)
        self.sources.offer(Source.DO_NOT_DISTURB, dnd.driver())

    def driving(self, busy: bool) -> Driver | None:
        """The driver that decides for an account whose server has (or lacks) automatic Busy."""
        return self.sources.driving(busy=busy)

    def apply(self, session: Any) -> None:
        """Hand one session the current automatic presence (also for a fresh sign-in)."""
        if self.available is None:
            return
        set_automatic = getattr(session, "set_automatic", None)
        if set_automatic is None:
            return
        state_now = getattr(session, "state", None)
        user_id = getattr(state_now, "user_id", None)
        busy = getattr(state_now, "automatic_busy", False) is True
        if isinstance(user_id, str):
            self._busy_seen[user_id] = busy
        state = None
        if self.policy.applies_to(user_id):  # else off for this account
            driver = self.driving(busy)
            state = driver.state if driver is not None else None
        try:
            set_automatic(state)
        except Exception:
            log.exception("handing automatic presence to a session failed")

    def server_known(self, session: Any) -> None:
        """A session's state changed: hand it its automatic presence again where what its
        server has (automatic Busy) is new to us (detected, or changed on a reconnect)."""
        state_now = getattr(session, "state", None)
        user_id = getattr(state_now, "user_id", None)
        busy = getattr(state_now, "automatic_busy", False) is True
        if isinstance(user_id, str) and self._busy_seen.get(user_id) != busy:
            self.apply(session)

    def set_policy(self, policy: IdlePolicy) -> None:
        """A menu choice: saved to the settings file, applied at once."""
        self.policy = policy
        try:
            policy.save(self.settings)
        except Exception as e:  # unwritable settings: the choice holds for this run
            log.warning("could not save the idle settings: %s", e)
        self._update()

    async def close(self) -> None:
        self.sources.close()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._sources is not None:
            await self._sources.close()
