"""GNOME: the `show-banners` key of `org.gnome.desktop.notifications` (GNOME Shell's "Do Not
Disturb" switch turns it off).

The key lives in dconf: its writer service on the session bus announces each change (the
Writer's Notify signal), and `gsettings` reads and writes it as every GNOME program does
(GSettings reads dconf's database file directly, so there is no D-Bus read to call). The
`gsettings` runs are short and happen only at a change.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable

from tray_app.dbus import bus as dbus
from tray_app.dbus.bus import BusUnavailable
from tray_app.dnd.switch import CALL_SECONDS, SwitchUnavailable

SCHEMA = "org.gnome.desktop.notifications"
KEY = "show-banners"
DCONF = "ca.desrt.dconf"
DCONF_PATH = "/ca/desrt/dconf/Writer/user"
DCONF_IFACE = "ca.desrt.dconf.Writer"
DCONF_KEY = "/org/gnome/desktop/notifications/show-banners"


async def _gsettings(*args: str) -> str:
    try:
        proc = await asyncio.create_subprocess_exec(
            "gsettings", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
    except OSError as e:
        raise SwitchUnavailable(f"gsettings: {e}") from None
    try:
        async with asyncio.timeout(CALL_SECONDS):
            out, err = await proc.communicate()
    except TimeoutError:  # dconf hung: never leave it running
        proc.kill()
        await proc.wait()
        raise SwitchUnavailable(f"gsettings {args[0]}: no answer in {CALL_SECONDS:.0f} s") from None
    except asyncio.CancelledError:  # shutdown: the child watcher reaps it
        proc.kill()
        raise
    if proc.returncode != 0:
        raise SwitchUnavailable(f"gsettings {args[0]}: {err.decode(errors='replace').strip()}")
    return out.decode().strip()


class GnomeSwitch:
    name = "GNOME"

    def __init__(self, bus) -> None:
        self._bus = bus
        self._callbacks: list[Callable[[], None]] = []

    @classmethod
    async def open(cls, bus) -> GnomeSwitch:
        if shutil.which("gsettings") is None:
            raise SwitchUnavailable("gsettings is not installed")
        self = cls(bus)
        await self.paused()  # SwitchUnavailable where the schema is missing
        try:
            await dbus.watch(
                bus, sender=DCONF, path=DCONF_PATH, interface=DCONF_IFACE, member="Notify", callback=self._changed
            )
        except BusUnavailable as e:
            raise SwitchUnavailable(str(e)) from None
        return self

    async def paused(self) -> bool:
        return await _gsettings("get", SCHEMA, KEY) == "false"

    async def set_paused(self, paused: bool) -> None:
        await _gsettings("set", SCHEMA, KEY, "false" if paused else "true")

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def _changed(self, body: list) -> None:
        prefix = body[0] if body else ""
        keys = body[1] if len(body) > 1 else [""]
        if any((prefix + k).startswith(DCONF_KEY) or DCONF_KEY.startswith(prefix + k) for k in keys or [""]):
            for cb in list(self._callbacks):
                cb()

    async def close(self) -> None:
        self._callbacks.clear()
