"""Find the do-not-disturb switch of the notification server this session runs.

The server names itself (GetServerInformation); each name has one switch. Windows and macOS
are not covered: neither offers a public API that lets another program read or set Focus
Assist / Focus (Windows keeps it in undocumented WNF state; macOS gives an app only its own
Focus filter), so the setting is hidden there.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any

from tray_app.dbus import bus as dbus
from tray_app.dbus.bus import BusUnavailable
from tray_app.dnd.switch import CALL_SECONDS, BannerSwitch, SwitchUnavailable

log = logging.getLogger(__name__)

NOTIFICATIONS = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


def _switch_class(server_name: str) -> Any:
    from tray_app.dnd.dunst import DunstSwitch  # noqa: PLC0415
    from tray_app.dnd.gnome import GnomeSwitch  # noqa: PLC0415
    from tray_app.dnd.plasma import PlasmaSwitch  # noqa: PLC0415
    from tray_app.dnd.xfce import XfceSwitch  # noqa: PLC0415

    return {
        "dunst": DunstSwitch,
        "gnome-shell": GnomeSwitch,
        "Plasma": PlasmaSwitch,
        "Xfce Notify Daemon": XfceSwitch,
    }.get(server_name)


@dataclass
class ChosenSwitch:
    switch: BannerSwitch
    bus: Any

    async def close(self) -> None:
        await self.switch.close()
        dbus.disconnect(self.bus)


async def choose_switch() -> ChosenSwitch | None:
    """Never raises: None where this desktop has no switch we can use."""
    if not sys.platform.startswith("linux"):
        log.info("do not disturb: not available on %s", sys.platform)
        return None
    try:
        bus = await dbus.connect()
    except BusUnavailable as e:
        log.info("do not disturb: %s", e)
        return None
    try:
        (running,) = await dbus.call(
            bus,
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "NameHasOwner",
            "s",
            [NOTIFICATIONS],
            timeout=CALL_SECONDS,
        )
        if not running:  # asking would start a notification server through D-Bus activation
            raise SwitchUnavailable("no notification server is running")
        name, *_ = await dbus.call(
            bus, NOTIFICATIONS, PATH, NOTIFICATIONS, "GetServerInformation", timeout=CALL_SECONDS
        )
        cls = _switch_class(str(name))
        if cls is None:
            raise SwitchUnavailable(f"the notification server {name!r} has no switch we know")
        switch = await cls.open(bus)
    except (BusUnavailable, SwitchUnavailable) as e:
        log.info("do not disturb: %s", e)
        dbus.disconnect(bus)
        return None
    except BaseException as e:  # a fault, or shutdown cancelling the search: drop the connection
        dbus.disconnect(bus)
        if not isinstance(e, Exception):
            raise
        log.warning("do not disturb: looking for a switch failed", exc_info=True)
        return None
    log.info("do not disturb: %s", switch.name)
    return ChosenSwitch(switch, bus)
