"""KDE Plasma: `Inhibit`/`UnInhibit` on org.freedesktop.Notifications and its `Inhibited`
property (Plasma's own "Do not disturb" and other programs' inhibitions show there too).

An inhibition belongs to the connection that took it: ending it gives the person back exactly
what they had, whatever they set meanwhile. While we hold one, `Inhibited` is true because of
us, so the person's own switch can be told only when we hold none (`paused` says so).
"""

from __future__ import annotations

from collections.abc import Callable

from tray_app.dbus import bus as dbus
from tray_app.dbus.bus import BusUnavailable
from tray_app.dnd.switch import CALL_SECONDS, SwitchUnavailable

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"
PROPERTIES = "org.freedesktop.DBus.Properties"
DESKTOP_ENTRY = "presence-tray"


class PlasmaSwitch:
    name = "KDE Plasma"

    def __init__(self, bus) -> None:
        self._bus = bus
        self._cookie: int | None = None
        self._callbacks: list[Callable[[], None]] = []

    @classmethod
    async def open(cls, bus) -> PlasmaSwitch:
        self = cls(bus)
        try:
            await self._inhibited()
            await dbus.watch(
                bus, sender=NAME, path=PATH, interface=PROPERTIES, member="PropertiesChanged", callback=self._changed
            )
        except BusUnavailable as e:
            raise SwitchUnavailable(str(e)) from None
        return self

    async def _inhibited(self) -> bool:
        (value,) = await dbus.call(
            self._bus, NAME, PATH, PROPERTIES, "Get", "ss", [IFACE, "Inhibited"], timeout=CALL_SECONDS
        )
        return bool(value.value)

    async def paused(self) -> bool:
        return self._cookie is not None or await self._inhibited()

    async def set_paused(self, paused: bool) -> None:
        if paused and self._cookie is None:
            (self._cookie,) = await dbus.call(
                self._bus, NAME, PATH, IFACE, "Inhibit", "ssa{sv}", [DESKTOP_ENTRY, "Busy", {}], timeout=CALL_SECONDS
            )
        elif not paused and self._cookie is not None:
            cookie, self._cookie = self._cookie, None
            await dbus.call(self._bus, NAME, PATH, IFACE, "UnInhibit", "u", [cookie], timeout=CALL_SECONDS)

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def _changed(self, body: list) -> None:
        if body and body[0] == IFACE:
            for cb in list(self._callbacks):
                cb()

    async def close(self) -> None:
        self._callbacks.clear()
