"""Xfce's notifyd: the `/do-not-disturb` property of the `xfce4-notifyd` channel in xfconf,
read, written and watched on xfconfd's D-Bus interface (what `xfconf-query` uses)."""

from __future__ import annotations

from collections.abc import Callable

from tray_app.dbus import bus as dbus
from tray_app.dbus.bus import BusUnavailable
from tray_app.dnd.switch import CALL_SECONDS, SwitchUnavailable

NAME = "org.xfce.Xfconf"
PATH = "/org/xfce/Xfconf"
IFACE = "org.xfce.Xfconf"
CHANNEL = "xfce4-notifyd"
PROPERTY = "/do-not-disturb"


class XfceSwitch:
    name = "Xfce"

    def __init__(self, bus) -> None:
        self._bus = bus
        self._callbacks: list[Callable[[], None]] = []

    @classmethod
    async def open(cls, bus) -> XfceSwitch:
        self = cls(bus)
        try:
            await dbus.call(bus, NAME, PATH, IFACE, "ListChannels", timeout=CALL_SECONDS)
            await dbus.watch(
                bus, sender=NAME, path=PATH, interface=IFACE, member="PropertyChanged", callback=self._changed
            )
        except BusUnavailable as e:
            raise SwitchUnavailable(str(e)) from None
        return self

    async def paused(self) -> bool:
        try:
            (value,) = await dbus.call(
                self._bus, NAME, PATH, IFACE, "GetProperty", "ss", [CHANNEL, PROPERTY], timeout=CALL_SECONDS
            )
        except BusUnavailable as e:
            if e.error_name == "org.xfce.Xfconf.Error.PropertyNotFound":
                return False  # never set: notifyd's default, banners on
            raise
        return bool(value.value)

    async def set_paused(self, paused: bool) -> None:
        from dbus_fast import Variant  # noqa: PLC0415  (see tray_app.idle.bus.connect)

        await dbus.call(
            self._bus,
            NAME,
            PATH,
            IFACE,
            "SetProperty",
            "ssv",
            [CHANNEL, PROPERTY, Variant("b", paused)],
            timeout=CALL_SECONDS,
        )

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def _changed(self, body: list) -> None:
        if len(body) >= 2 and body[0] == CHANNEL and body[1] == PROPERTY:
            for cb in list(self._callbacks):
                cb()

    async def close(self) -> None:
        self._callbacks.clear()
