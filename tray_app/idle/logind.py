"""systemd-logind's `LockedHint` of our login session, on the system bus.

Desktops that lock through logind (GNOME, KDE, most lockers via `loginctl lock-session`)
set it; `PropertiesChanged` tells us when it changes. No system bus or no logind session
(containers, CI) means the source is simply not available.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from tray_app.dbus import bus as dbus
from tray_app.dbus.bus import BusUnavailable

NAME = "org.freedesktop.login1"
MANAGER = "/org/freedesktop/login1"
SESSION_IFACE = "org.freedesktop.login1.Session"
PROPS = "org.freedesktop.DBus.Properties"


class LogindLock:
    name = "logind LockedHint"

    def __init__(self, bus, path: str) -> None:
        self._bus = bus
        self._path = path
        self._callbacks: list[Callable[[], None]] = []

    @classmethod
    async def open(cls, bus) -> LogindLock:
        try:
            (path,) = await dbus.call(
                bus, NAME, MANAGER, "org.freedesktop.login1.Manager", "GetSessionByPID", "u", [os.getpid()]
            )
        except BusUnavailable:
            # Started outside the login session's process tree (a systemd user unit): logind's
            # "auto" alias still answers for the caller's session; the 5 s poll reads it.
            path = MANAGER + "/session/auto"
        self = cls(bus, path)
        await self.locked()
        await dbus.watch(
            bus, sender=NAME, path=path, interface=PROPS, member="PropertiesChanged", callback=self._properties_changed
        )
        return self

    async def locked(self) -> bool:
        (variant,) = await dbus.call(self._bus, NAME, self._path, PROPS, "Get", "ss", [SESSION_IFACE, "LockedHint"])
        return bool(variant.value)

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def _properties_changed(self, body: list) -> None:
        if body and body[0] == SESSION_IFACE:
            for cb in list(self._callbacks):
                cb()

    async def close(self) -> None:
        self._callbacks.clear()
        dbus.disconnect(self._bus)
