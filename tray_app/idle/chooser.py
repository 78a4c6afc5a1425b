"""Pick the sources this session offers, at run time.

Idle time, best first: GNOME's Mutter monitor (right on Wayland too), then
org.freedesktop.ScreenSaver (KDE and others), then the X11 extension (X sessions only:
under Wayland it would see XWayland input alone). Lock: every lock source found counts
(logind's LockedHint and the screen saver's ActiveChanged). Windows and macOS have one idle
source and one lock source told by the system (session / distributed notifications), which
polls when registering fails. Wayland's ext-idle-notify-v1 is not used: no maintained Python binding
(pywayland would need the protocol XML compiled and its own event loop integration).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field

from tray_app.dbus import bus as dbus
from tray_app.dbus.bus import BusUnavailable
from tray_app.idle.source import IdleSource, LockSource

log = logging.getLogger(__name__)


@dataclass
class Sources:
    idle: IdleSource | None = None
    locks: list[LockSource] = field(default_factory=list)
    _buses: list = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.idle is not None or bool(self.locks)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(([self.idle.name] if self.idle else []) + [s.name for s in self.locks])

    async def close(self) -> None:
        for s in ([self.idle] if self.idle else []) + self.locks:
            try:
                await s.close()
            except Exception:
                log.debug("closing %s failed", s.name, exc_info=True)
        for b in self._buses:
            dbus.disconnect(b)
        self._buses.clear()


async def choose_sources() -> Sources:
    """Never raises: a source that is missing or broken is just not chosen."""
    if sys.platform == "win32":
        from tray_app.idle.windows import WindowsIdle, WtsLockNotifications

        return await idle_and_notified_lock(WindowsIdle, WtsLockNotifications, "Windows session notifications")
    if sys.platform == "darwin":
        from tray_app.idle.macos import MacIdle, ScreenLockNotifications

        return await idle_and_notified_lock(MacIdle, ScreenLockNotifications, "macOS screen lock notifications")
    return await _linux()


async def idle_and_notified_lock(idle_cls, notifications_cls, lock_name: str) -> Sources:
    """Windows and macOS: the idle source, and the lock told by the system (polled through
    the idle source when the notifications can't be had)."""
    from tray_app.idle.notified_lock import NotifiedLock

    try:
        source = idle_cls()
    except Exception as e:
        log.debug("idle detection: %s not available (%s)", idle_cls.__name__, e)
        log.info("idle detection: none found on this computer")
        return Sources()
    try:
        notifications = notifications_cls()
    except Exception as e:  # the library or a symbol is missing: NotifiedLock polls
        notifications = _Refused(e)
    lock = NotifiedLock(lock_name, notifications, poll=source.locked_now)
    await lock.start()
    log.info("idle detection: %s", ", ".join((source.name, lock.name)))
    return Sources(idle=source, locks=[lock])


class _Refused:
    """Notifications whose platform half could not even be set up."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def register(self, report) -> None:
        raise self.error

    def unregister(self) -> None:
        pass


async def _linux() -> Sources:
    from tray_app.idle.freedesktop import FreedesktopScreenSaver
    from tray_app.idle.logind import LogindLock
    from tray_app.idle.mutter import MutterIdleMonitor

    found = Sources()
    try:
        session_bus = await dbus.connect()
    except BusUnavailable as e:
        log.debug("idle detection: %s", e.args[0] if e.args else e)
        session_bus = None
    if session_bus is not None:
        found._buses.append(session_bus)
        for cls in (MutterIdleMonitor, FreedesktopScreenSaver):
            try:
                source = await cls.open(session_bus)
            except Exception as e:
                log.debug("idle detection: %s not available (%s)", cls.name, e)  # the one line: below
                continue
            if found.idle is None and getattr(source, "has_idle", True):
                found.idle = source
            if hasattr(source, "locked"):
                found.locks.append(source)  # type: ignore[arg-type]  # hasattr above: a LockSource
    if found.idle is None and os.environ.get("DISPLAY") and os.environ.get("XDG_SESSION_TYPE") != "wayland":
        from tray_app.idle.xscreensaver import XScreenSaverSource

        try:
            found.idle = XScreenSaverSource()
        except Exception as e:
            log.debug("idle detection: X11 XScreenSaver not available (%s)", e)
    try:
        system_bus = await dbus.connect(system=True)
        try:
            found.locks.append(await LogindLock.open(system_bus))
        except Exception as e:
            dbus.disconnect(system_bus)
            log.debug("idle detection: logind LockedHint not available (%s)", e)
    except BusUnavailable as e:
        log.debug("idle detection: logind LockedHint not available (%s)", e)
    log.info("idle detection: %s", ", ".join(found.names) or "none found on this desktop")
    return found
