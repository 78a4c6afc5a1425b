"""GNOME: org.gnome.Mutter.IdleMonitor's `GetIdletime` (milliseconds) on the session bus.

Works on GNOME under both X11 and Wayland. (Mutter also offers idle watches, but they need
a watch per threshold; reading every few seconds is simpler and cheap.)
"""

from __future__ import annotations

from tray_app.dbus import bus as dbus

NAME = "org.gnome.Mutter.IdleMonitor"
PATH = "/org/gnome/Mutter/IdleMonitor/Core"
IFACE = "org.gnome.Mutter.IdleMonitor"


class MutterIdleMonitor:
    name = "org.gnome.Mutter.IdleMonitor"

    def __init__(self, bus) -> None:
        self._bus = bus

    @classmethod
    async def open(cls, bus) -> MutterIdleMonitor:
        self = cls(bus)
        await self.idle_seconds()  # BusUnavailable if GNOME's compositor is not there
        return self

    async def idle_seconds(self) -> float:
        (ms,) = await dbus.call(self._bus, NAME, PATH, IFACE, "GetIdletime")
        return int(ms) / 1000.0

    async def close(self) -> None:
        pass
