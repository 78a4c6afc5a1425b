"""Desktop notifications through org.freedesktop.Notifications, the server Linux desktops run.

Why not Qt's own: with an XEmbed tray (trayer, stalonetray, older panels) QSystemTrayIcon's
`showMessage` draws Qt's balloon (QBalloonTip). It does not look like the desktop's other
notifications, ignores the desktop's do-not-disturb, and costs memory that stays (measured on
Xvfb with trayer, PySide6 6.11.3, `bench/balloons.py --count 3000`): ~6 KB of malloc in use
per balloon while Qt's pixmap cache fills with pixmaps under a fresh key each time (up to its
10 MiB limit: +17.7 MiB after 3,000 balloons), ~0.9 KB with the 1 MiB cache the applet sets,
and ~0.3 KB per balloon that stays however small the cache. The balloon stays the fallback
where nothing owns (or can be started for) the name. The StatusNotifierItem path sends its
notifications through here too (there a failure is only logged: it has no Qt icon to fall back
on).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from tray_app.dbus.bus import BusUnavailable, connect
from tray_app.dbus.bus import call as call_method

log = logging.getLogger(__name__)

NOTIFICATIONS = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
URGENCY_NORMAL = 1


async def server_present(bus: Any) -> bool:
    """A notification server runs, or the bus can start one (D-Bus activation)."""
    dbus = ("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus")
    if (await call_method(bus, *dbus, "NameHasOwner", "s", [NOTIFICATIONS]))[0]:
        return True
    return NOTIFICATIONS in (await call_method(bus, *dbus, "ListActivatableNames"))[0]


class DesktopNotifications:
    """Sends notifications on one session-bus connection (ours, or one the caller shares)."""

    def __init__(self, bus: Any, app_name: str, *, owns_bus: bool) -> None:
        self.bus = bus
        self.app_name = app_name
        self.sent = 0  # for tests and the soak
        self.failed = 0
        self._owns_bus = owns_bus
        self._pending: set = set()

    @classmethod
    async def connect(cls, app_name: str) -> DesktopNotifications | None:
        """On a connection of our own (dbus-fast is imported here, not at start: ~120 ms); None
        where there is no session bus, no dbus-fast or no notification server (the caller then
        falls back to Qt's balloon)."""
        try:
            bus = await connect()
        except BusUnavailable as e:  # no dbus-fast, no bus address, socket gone, auth refused
            log.info("no session bus for desktop notifications: %s", e)
            return None
        try:
            if await server_present(bus):
                return cls(bus, app_name, owns_bus=True)
            log.info("no notification server on the session bus")
        except Exception as e:
            log.info("couldn't ask the session bus for a notification server: %s", e)
        except BaseException:  # cancelled (the applet quits): the connection is not kept either
            bus.disconnect()
            raise
        bus.disconnect()
        return None

    def show(
        self, title: str, text: str, warning: bool, timeout_ms: int, on_failure: Callable[[], None] | None = None
    ) -> None:
        """Fire and forget: a failing server (one that D-Bus could not start, one gone) is
        logged and `on_failure` called, never raised."""
        from dbus_fast import Variant  # noqa: PLC0415

        body = [
            self.app_name,
            0,
            "dialog-warning" if warning else "dialog-information",
            title,
            text,
            [],
            {"urgency": Variant("y", URGENCY_NORMAL)},
            timeout_ms,
        ]
        self.sent += 1
        task = asyncio.ensure_future(self._notify(body, on_failure))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _notify(self, body: list, on_failure: Callable[[], None] | None) -> None:
        try:
            await call_method(
                self.bus, NOTIFICATIONS, NOTIFICATIONS_PATH, NOTIFICATIONS, "Notify", "susssasa{sv}i", body
            )
        except Exception as e:  # the server could not be started, went away; the bus closed
            self.failed += 1
            log.info("desktop notification not shown: %s", e)
            if on_failure is not None:
                on_failure()

    def close(self) -> None:
        """Now: what is still being sent is cancelled (the applet quits)."""
        for task in list(self._pending):
            task.cancel()
        self._disconnect()

    def close_when_sent(self) -> None:
        """Once what is being sent has its answer (each failure still reaches its `on_failure`)."""
        if not self._pending:
            self._disconnect()
            return
        remaining = set(self._pending)

        def one_done(task: asyncio.Future) -> None:
            remaining.discard(task)
            if not remaining:
                self._disconnect()

        for task in remaining.copy():
            task.add_done_callback(one_done)

    def _disconnect(self) -> None:
        if self._owns_bus:
            try:
                self.bus.disconnect()
            except Exception:
                pass
