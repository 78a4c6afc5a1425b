"""dunst: the `paused` property of `org.dunstproject.cmd0` (what `dunstctl set-paused` sets),
which dunst announces with PropertiesChanged."""

from __future__ import annotations

from collections.abc import Callable

from tray_app.dbus import bus as dbus
from tray_app.dbus.bus import BusUnavailable
from tray_app.dnd.switch import CALL_SECONDS, SwitchUnavailable

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
IFACE = "org.dunstproject.cmd0"
PROPERTIES = "org.freedesktop.DBus.Properties"


class DunstSwitch:
    name = "dunst"

    def __init__(self, bus) -> None:
        self._bus = bus
        self._callbacks: list[Callable[[], None]] = []

    @classmethod
    async def open(cls, bus) -> DunstSwitch:
        self = cls(bus)
        try:
            await self.paused()
            await dbus.watch(
                bus, sender=NAME, path=PATH, interface=PROPERTIES, member="PropertiesChanged", callback=self._changed
            )
        except BusUnavailable as e:
            raise SwitchUnavailable(str(e)) from None
        return self

    async def paused(self) -> bool:
        (value,) = await dbus.call(
            self._bus, NAME, PATH, PROPERTIES, "Get", "ss", [IFACE, "paused"], timeout=CALL_SECONDS
        )
        return bool(value.value)

    async def set_paused(self, paused: bool) -> None:
        from dbus_fast import Variant  # noqa: PLC0415  (see tray_app.idle.bus.connect)

        await dbus.call(
            self._bus,
            NAME,
            PATH,
            PROPERTIES,
            "Set",
            "ssv",
            [IFACE, "paused", Variant("b", paused)],
            timeout=CALL_SECONDS,
        )

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def _changed(self, body: list) -> None:
        if body and body[0] == IFACE:
            for cb in list(self._callbacks):
                cb()

    async def close(self) -> None:
        self._callbacks.clear()
