"""org.freedesktop.ScreenSaver on the session bus (KDE Plasma, Xfce, LXQt and others).

`GetSessionIdleTime` gives the idle time (milliseconds in KDE's implementation, the one
that matters), `GetActive` and the `ActiveChanged` signal tell whether the screen saver /
locker is up, which we take as "locked".
"""

from __future__ import annotations

from collections.abc import Callable

from tray_app.dbus import bus as dbus
from tray_app.dbus.bus import BusUnavailable

NAME = "org.freedesktop.ScreenSaver"
PATH = "/org/freedesktop/ScreenSaver"
IFACE = "org.freedesktop.ScreenSaver"


class FreedesktopScreenSaver:
    name = "org.freedesktop.ScreenSaver"

    def __init__(self, bus) -> None:
        self._bus = bus
        self._callbacks: list[Callable[[], None]] = []
        self._has_idle = True

    @classmethod
    async def open(cls, bus) -> FreedesktopScreenSaver:
        self = cls(bus)
        await self.locked()  # BusUnavailable if nobody owns the name
        try:
            await self.idle_seconds()
        except BusUnavailable:
            self._has_idle = False  # some implementations only have the lock half
        await dbus.watch(
            bus, sender=NAME, path=PATH, interface=IFACE, member="ActiveChanged", callback=lambda body: self._changed()
        )
        return self

    @property
    def has_idle(self) -> bool:
        return self._has_idle

    async def idle_seconds(self) -> float:
        (ms,) = await dbus.call(self._bus, NAME, PATH, IFACE, "GetSessionIdleTime")
        return int(ms) / 1000.0

    async def locked(self) -> bool:
        (active,) = await dbus.call(self._bus, NAME, PATH, IFACE, "GetActive")
        return bool(active)

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def _changed(self) -> None:
        for cb in list(self._callbacks):
            cb()

    async def close(self) -> None:
        self._callbacks.clear()
