"""Pick the sources this session offers, at run time.

Idle time, best first: GNOME's Mutter monitor (right on Wayland too), then
org.freedesktop.ScreenSaver (KDE and others), then the X11 extension (X sessions only:
under Wayland it would see XWayland input alone). Lock: every lock source found counts
(logind's LockedHint and the screen saver's ActiveChanged). Windows and macOS have one
source each. Wayland's ext-idle-notify-v1 is not used: no maintained Python binding
(pywayland would need the protocol XML compiled and its own event loop integration).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field

from tray_app.idle import bus as dbus
from tray_app.idle.source import IdleSource, LockSource, SourceUnavailable

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
        from tray_app.idle.windows import WindowsIdle

        return _both(WindowsIdle)
    if sys.platform == "darwin":
        from tray_app.idle.macos import MacIdle

        return _both(MacIdle)
    return await _linux()


def _both(cls) -> Sources:
    try:
        source = cls()
    except Exception as e:
        log.info("idle detection: %s not available (%s)", cls.__name__, e)
        return Sources()
    return Sources(idle=source, locks=[source])


async def _linux() -> Sources:
    from tray_app.idle.freedesktop import FreedesktopScreenSaver
    from tray_app.idle.logind import LogindLock
    from tray_app.idle.mutter import MutterIdleMonitor

    found = Sources()
    try:
        session_bus = await dbus.connect()
    except SourceUnavailable as e:
        log.info("idle detection: %s", e.args[0] if e.args else e)
        session_bus = None
    if session_bus is not None:
        found._buses.append(session_bus)
        for cls in (MutterIdleMonitor, FreedesktopScreenSaver):
            try:
                source = await cls.open(session_bus)
            except Exception as e:
                log.info("idle detection: %s not available (%s)", cls.name, e)
                continue
            if found.idle is None and getattr(source, "has_idle", True):
                found.idle = source
            if hasattr(source, "locked"):
                found.locks.append(source)
    if found.idle is None and os.environ.get("DISPLAY") and os.environ.get("XDG_SESSION_TYPE") != "wayland":
        from tray_app.idle.xscreensaver import XScreenSaverSource

        try:
            found.idle = XScreenSaverSource()
        except Exception as e:
            log.info("idle detection: X11 XScreenSaver not available (%s)", e)
    try:
        system_bus = await dbus.connect(system=True)
        try:
            found.locks.append(await LogindLock.open(system_bus))
        except Exception as e:
            dbus.disconnect(system_bus)
            log.info("idle detection: logind LockedHint not available (%s)", e)
    except SourceUnavailable as e:
        log.info("idle detection: logind LockedHint not available (%s)", e)
    log.info("idle detection: %s", ", ".join(found.names) or "nothing found")
    return found
