"""The controller's glue to the desktop: automatic presence, do-not-disturb, the calendar, and
"Start on login".

Each is optional (None where not available). Wired together here (do-not-disturb and
meetings drive automatic Busy), started late so D-Bus never delays the first icon, and read
into the menu's state; the controller keeps the sessions and tells them about changes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from tray_app.automatic import Source
from tray_app.ui.calendar_menu import CalendarActions
from tray_app.ui.notifications import couldnt_change_autostart
from tray_app.ui.session_like import SessionLike
from tray_app.ui.view_model import IdleMenuState, Notification

if TYPE_CHECKING:
    from tray_app.calendar.link import CalendarLink
    from tray_app.dnd.desktop import DoNotDisturb
    from tray_app.idle.automatic import AutomaticPresence
    from tray_app.idle.policy import IdlePolicy


class AutostartSwitch(Protocol):
    """What "Start on login" needs of `tray_app.autostart` (one module per system behind it)."""

    def is_enabled(self) -> bool: ...
    def enable(self) -> object: ...
    def disable(self) -> object: ...


log = logging.getLogger(__name__)

# Automatic presence (dbus-fast, looking for idle sources: ~120 ms) starts once every session's
# first read is in and shown, or after this many seconds, so it does not delay the first icon.
IDLE_START_WAIT_SECONDS = 1.0
IDLE_START_AFTER_RENDER_SECONDS = 0.1


class DesktopLinks:
    def __init__(
        self,
        idle: AutomaticPresence | None,  # None: no automatic presence
        dnd: DoNotDisturb | None,  # None: banners never paused
        calendar: CalendarLink | None,  # None: no "Use my calendar"
        changed: Callable[..., None],
        spawn: Callable[..., asyncio.Task],
        notify: Callable[[Notification], None],
    ) -> None:
        self.idle = idle
        if idle is not None:
            idle.on_change = changed
        self.dnd = dnd
        if dnd is not None:
            dnd.on_change = changed
            if idle is not None:
                idle.follow(dnd)  # the person's do-not-disturb: automatic Busy where the server has it
        self.calendar = calendar
        self.calendar_actions: CalendarActions | None = None
        if calendar is not None:
            calendar.on_change = changed
            self.calendar_actions = CalendarActions(calendar, spawn, notify)
            if idle is not None:  # a meeting: automatic Busy where the server has it
                calendar.offer_driver = lambda driver: idle.sources.offer(Source.CALENDAR, driver)
        self._changed = changed

    @property
    def any(self) -> bool:
        return self.idle is not None or self.dnd is not None or self.calendar is not None

    async def start(
        self,
        first_reads_in: asyncio.Event,
        closed: Callable[[], bool],
        sessions: Callable[[], list[SessionLike]],
        any_busy: Callable[[], bool],
    ) -> None:
        """Start automatic presence and do-not-disturb after the first reads are shown (or a
        second at most): both look at D-Bus, which must not delay the first icon."""
        try:
            async with asyncio.timeout(IDLE_START_WAIT_SECONDS):  # (not wait_for: gh-86296)
                await first_reads_in.wait()
            await asyncio.sleep(IDLE_START_AFTER_RENDER_SECONDS)  # the render is queued
        except TimeoutError:
            pass
        if not closed() and self.idle is not None:
            await self.idle.start(sessions)
            self._changed()
        if not closed() and self.dnd is not None:
            await self.dnd.start(any_busy())
            self._changed()
        if not closed() and self.calendar is not None:
            await self.calendar.start()  # the copy kept from last time; the first fetch in the background
            self._changed()

    def menu_state(self) -> tuple[IdleMenuState | None, bool | None]:
        """The automatic presence menu's state and "Pause banners" (None: not offered)."""
        idle = None
        dnd_found = self.dnd is not None and self.dnd.available
        if self.idle is not None:
            idle = IdleMenuState(
                self.idle.available,
                self.idle.current,
                self.idle.policy,
                driving=self.idle.driving(True),
                driving_without_busy=self.idle.driving(False),
                busy_when_dnd=self.dnd.busy_when_on if dnd_found else None,
            )
        pause_banners = self.dnd.enabled if dnd_found else None
        return idle, pause_banners

    def set_idle_policy(self, policy: IdlePolicy) -> None:
        if self.idle is not None:
            self.idle.set_policy(policy)
        self._changed()

    def toggle_pause_banners(self) -> None:
        if self.dnd is not None:
            self.dnd.toggle()
        self._changed()

    def toggle_busy_when_dnd(self) -> None:
        if self.dnd is not None:
            self.dnd.toggle_busy_when_on()
        self._changed()

    async def close(self) -> None:
        if self.idle is not None:
            await self.idle.close()
        if self.dnd is not None:
            await self.dnd.close()
        if self.calendar is not None:
            await self.calendar.close()


class StartOnLogin:
    """ "Start on login" as last read: reading it touches the disk (or the registry), so a
    render uses this; it is read again at start, on the toggle and when the menu opens."""

    def __init__(
        self,
        autostart: AutostartSwitch | None,  # the tray_app.autostart module; None where not available
        changed: Callable[..., None],
        notify: Callable[[Notification], None],
    ) -> None:
        self._autostart = autostart
        self._changed = changed
        self._notify = notify
        self._cache: bool | None = None
        self._read = False

    def enabled(self) -> bool | None:
        """The cached state (see `reload`)."""
        if not self._read:
            self.reload()
        return self._cache

    def reload(self) -> bool | None:
        """Read it again (it may have been changed outside the applet)."""
        self._read = True
        if self._autostart is None:
            self._cache = None
            return None
        try:
            self._cache = bool(self._autostart.is_enabled())
        except Exception as e:  # a broken autostart must not break the menu
            log.warning("autostart check failed: %s", e)
            self._cache = None
        return self._cache

    def toggle(self) -> None:
        if self._autostart is None:
            return
        try:
            if self._autostart.is_enabled():
                self._autostart.disable()
            else:
                self._autostart.enable()
        except Exception as e:
            self._notify(couldnt_change_autostart(str(e)))
        self.reload()
        self._changed()
