"""The do-not-disturb switches against the real services Debian has, on a private session bus:
dunst (on Xvfb), GNOME's key in a real dconf through gsettings, Xfce's in a real xfconfd.
KDE Plasma's notification inhibition, and the GNOME and Xfce notification servers' names, come
from a stand-in on that bus (`StandInNotifications`), named as such: Plasma's server is not in
Debian without the whole desktop.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest
from dbus_fast import PropertyAccess
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, dbus_property, method

from tests.support.private_bus import run as _run
from tests.support.private_bus import until as _until
from tray_app.dnd.busy_link import BusyPausesBanners
from tray_app.dnd.chooser import choose_switch

pytestmark = [pytest.mark.desktop, pytest.mark.integration]


class StandInNotifications(ServiceInterface):
    """A stand-in notification server: it names itself as the desktop's would, and keeps
    inhibitions as Plasma's does (Inhibit → cookie, UnInhibit, the Inhibited property)."""

    def __init__(self, server_name: str) -> None:
        super().__init__("org.freedesktop.Notifications")
        self.server_name = server_name
        self.cookies: set[int] = set()
        self.own_dnd = False  # Plasma's own "Do not disturb"
        self._next = 1

    @method()
    def GetServerInformation(self) -> "ssss":  # noqa: N802
        return [self.server_name, "stand-in", "0", "1.2"]

    @method()
    def Inhibit(self, desktop_entry: "s", reason: "s", hints: "a{sv}") -> "u":  # noqa: N802
        cookie, self._next = self._next, self._next + 1
        self.cookies.add(cookie)
        self._announce()
        return cookie

    @method()
    def UnInhibit(self, cookie: "u"):  # noqa: N802
        self.cookies.discard(cookie)
        self._announce()

    @dbus_property(access=PropertyAccess.READ)
    def Inhibited(self) -> "b":  # noqa: N802
        return bool(self.cookies) or self.own_dnd

    def set_own_dnd(self, on: bool) -> None:
        self.own_dnd = on
        self._announce()

    def _announce(self) -> None:
        self.emit_properties_changed({"Inhibited": bool(self.cookies) or self.own_dnd})


async def _stand_in(name: str) -> tuple[MessageBus, StandInNotifications]:
    bus = await MessageBus().connect()
    server = StandInNotifications(name)
    bus.export("/org/freedesktop/Notifications", server)
    await bus.request_name("org.freedesktop.Notifications")
    return bus, server


async def _gone(bus: MessageBus) -> None:
    bus.disconnect()
    await bus.wait_for_disconnect()


async def _exercise(switch_name: str, paused, person_sets) -> None:
    """The same story on every switch: Busy pauses, its end resumes, the person's own
    switch is told, and a pause the person made survives Busy."""
    chosen = await choose_switch()
    assert chosen is not None and chosen.switch.name == switch_name
    told: list[bool] = []
    link = BusyPausesBanners(chosen.switch, on_person_dnd=told.append)
    try:
        await link.start(busy=False)
        assert not await paused()
        await link.set_busy(True)
        await _until("banners paused by Busy", paused)
        await link.set_busy(False)
        await _until("banners back after Busy", lambda: _not(paused))
        await person_sets(True)
        await _until("the person's do-not-disturb told", lambda: told == [True])
        await link.set_busy(True)
        await link.set_busy(False)
        assert await paused(), "a pause the person made was undone"
        await person_sets(False)
        await _until("the person's do-not-disturb off told", lambda: told == [True, False])
        await link.set_busy(True)
        await _until("banners paused by Busy", paused)
    finally:
        await link.close()
        await chosen.close()
    assert not await paused(), "quitting left banners paused"


async def _not(probe) -> bool:
    return not await probe()


def test_dunst(bus_env, tmp_path) -> None:
    (tmp_path / "dunstrc").write_text("[global]\n    startup_notification = false\n")
    dunst = subprocess.Popen(
        ["dunst", "-config", str(tmp_path / "dunstrc")],
        env=bus_env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "dunst.log", "wb"),
        start_new_session=True,
    )

    async def paused() -> bool:
        return _run(bus_env, "dunstctl", "is-paused") == "true"

    async def person_sets(on: bool) -> None:
        _run(bus_env, "dunstctl", "set-paused", "true" if on else "false")

    async def main() -> None:
        await _until(
            "dunst on the bus",
            lambda: subprocess.run(["dunstctl", "is-paused"], env=bus_env, capture_output=True).returncode == 0,
        )
        await _exercise("dunst", paused, person_sets)

    try:
        asyncio.run(main())
    finally:
        dunst.terminate()
        dunst.wait(10)


def test_gnome_in_a_real_dconf(bus_env) -> None:
    key = ("org.gnome.desktop.notifications", "show-banners")

    async def paused() -> bool:
        return _run(bus_env, "gsettings", "get", *key) == "false"

    async def person_sets(on: bool) -> None:
        _run(bus_env, "gsettings", "set", *key, "false" if on else "true")

    async def main() -> None:
        stand_in, _ = await _stand_in("gnome-shell")
        try:
            await _exercise("GNOME", paused, person_sets)
        finally:
            await _gone(stand_in)

    asyncio.run(main())
    assert (Path(bus_env["XDG_CONFIG_HOME"]) / "dconf" / "user").exists(), "the writes did not reach dconf"


def test_xfce_in_a_real_xfconfd(bus_env) -> None:
    prop = ("-c", "xfce4-notifyd", "-p", "/do-not-disturb")

    async def paused() -> bool:
        r = subprocess.run(["xfconf-query", *prop], env=bus_env, capture_output=True, text=True, timeout=20)
        return r.returncode == 0 and r.stdout.strip() == "true"

    async def person_sets(on: bool) -> None:
        _run(bus_env, "xfconf-query", *prop, "-n", "-t", "bool", "-s", "true" if on else "false")

    async def main() -> None:
        stand_in, _ = await _stand_in("Xfce Notify Daemon")
        try:
            await _exercise("Xfce", paused, person_sets)
        finally:
            await _gone(stand_in)

    asyncio.run(main())


def test_plasma_inhibition_on_a_stand_in(bus_env) -> None:
    async def main() -> None:
        stand_in, server = await _stand_in("Plasma")

        async def paused() -> bool:
            return bool(server.cookies) or server.own_dnd

        async def person_sets(on: bool) -> None:
            server.set_own_dnd(on)

        try:
            await _exercise("KDE Plasma", paused, person_sets)
            assert server.cookies == set(), "an inhibition was left behind"
        finally:
            await _gone(stand_in)

    asyncio.run(main())


def test_no_notification_server_means_no_switch(bus_env) -> None:
    async def main() -> None:
        assert await choose_switch() is None

    asyncio.run(main())
