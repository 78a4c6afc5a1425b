"""The applet's side of do-not-disturb: finds the desktop's switch once, keeps the person's
choices ("Pause notifications while Busy" and "When do not disturb is on" make automatic
presence Busy, both on unless they turned them off), and hands the link whether any account is
Busy now. The other way, the person's own do-not-disturb (never a pause this applet made for a
Busy override: the link tells only pauses that are not ours) is offered as a driver to the
automatic sources (`offer_driver`, tray_app.automatic). Nothing found: `available` is False and
the menu hides both."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from tray_app.automatic import Driver, Reason
from tray_app.dnd.busy_link import BusyPausesBanners
from tray_app.dnd.chooser import ChosenSwitch, choose_switch
from tray_app.dnd.switch import CALL_SECONDS
from tray_app.states import PresenceState

log = logging.getLogger(__name__)

ENABLED_KEY = "pause_banners_while_busy"
OURS_KEY = "banners_paused_by_us"
BUSY_WHEN_ON_KEY = "busy_when_do_not_disturb"

DO_NOT_DISTURB_DRIVER = Driver(Reason.DO_NOT_DISTURB, PresenceState.BUSY)


class DoNotDisturb:
    def __init__(self, settings: Any, *, choose: Callable[[], Awaitable[ChosenSwitch | None]] = choose_switch) -> None:
        self.settings = settings
        self.available: bool | None = None  # None: not looked yet
        self.on_change: Callable[[], None] = lambda: None
        # Where the person's do-not-disturb goes as automatic presence (the hub's offer for
        # Source.DO_NOT_DISTURB; see tray_app.idle.automatic.AutomaticPresence.follow).
        self.offer_driver: Callable[[Driver | None], None] = lambda _: None
        self.person_dnd = False  # the person's own do-not-disturb is on (not a pause of ours)
        self._choose = choose
        self._chosen: ChosenSwitch | None = None
        self._link: BusyPausesBanners | None = None
        self._busy = False
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def enabled(self) -> bool:
        return self._preference(ENABLED_KEY, True) is not False  # on unless turned off

    @property
    def busy_when_on(self) -> bool:
        """ "When do not disturb is on" (automatic presence Busy): on unless turned off."""
        return self._preference(BUSY_WHEN_ON_KEY, True) is not False

    def driver(self) -> Driver | None:
        """What do-not-disturb asks of automatic presence now."""
        return DO_NOT_DISTURB_DRIVER if self.person_dnd and self.busy_when_on else None

    async def start(self, busy: bool) -> None:
        """Look for the switch once; never raises."""
        self._busy = busy
        try:
            self._chosen = await self._choose()
        except Exception:
            log.exception("looking for the desktop's do-not-disturb failed")
            self._chosen = None
        self.available = self._chosen is not None
        if self._chosen is not None:
            self._link = BusyPausesBanners(
                self._chosen.switch,
                paused_by_us=bool(self._preference(OURS_KEY, False)),
                remember=lambda ours: self._save(OURS_KEY, ours),
                on_person_dnd=self._person_dnd,
            )
            self._link.enabled = self.enabled
            await self._guarded(self._link.start(self._busy))
        self.on_change()

    def set_busy(self, busy: bool) -> None:
        if busy == self._busy:
            return
        self._busy = busy
        if self._link is not None:
            self._spawn(self._link.set_busy(busy))

    def _person_dnd(self, on: bool) -> None:
        log.info(
            "do not disturb turned %s on %s", "on" if on else "off", self._chosen.switch.name if self._chosen else "?"
        )
        self.person_dnd = on
        self._offer()
        self.on_change()

    def _offer(self) -> None:
        try:
            self.offer_driver(self.driver())
        except Exception:
            log.exception("offering do-not-disturb to automatic presence failed")

    def toggle_busy_when_on(self) -> None:
        self._save(BUSY_WHEN_ON_KEY, not self.busy_when_on)
        self._offer()
        self.on_change()

    def toggle(self) -> None:
        enabled = not self.enabled
        self._save(ENABLED_KEY, enabled)
        if self._link is not None:
            self._spawn(self._link.set_enabled(enabled))
        self.on_change()

    async def close(self) -> None:
        if self._tasks:
            _, late = await asyncio.wait(list(self._tasks), timeout=CALL_SECONDS)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._link is not None:
            await self._guarded(self._link.close())
        if self._chosen is not None:
            await self._guarded(self._chosen.close())

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(self._guarded(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, work: Awaitable[None]) -> None:
        try:
            await work
        except Exception as e:  # the desktop's switch went away: presence goes on
            log.warning("do not disturb: %s", e)

    def _preference(self, key: str, default: Any) -> Any:
        try:
            return self.settings.preference(key, default)
        except Exception:
            return default

    def _save(self, key: str, value: Any) -> None:
        try:
            self.settings.set_preference(key, value)
        except Exception as e:  # unwritable settings: the choice holds for this run
            log.warning("could not save %s: %s", key, e)
