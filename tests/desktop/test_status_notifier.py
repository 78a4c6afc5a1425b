"""The StatusNotifierItem path (KDE Plasma, GNOME with AppIndicator, most Linux panels today).

A private D-Bus session bus with Debian's `status-notifier-watcher` and a real SNI host,
`gtk-sni-tray-standalone`, on Xvfb. The applet (platform xcb) finds the watcher, so Qt publishes
it as a StatusNotifierItem with its menu over com.canonical.dbusmenu. The test is a D-Bus client
(dbus-fast, asyncio) that reads what a panel reads: the item is registered, its properties are
right, no icon name that no theme installs, the pixels show the state, the menu layout has the
states as radio items with mnemonics, and an Event "clicked" on "Away" reaches the real Synapse.
The host's screenshot shows the same icon.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.desktop.demo_applet import applet_env, start_demo, stop
from tests.harness.server_view import override_value, put_override
from tests.harness.xdesktop import (
    CONVERT,
    IMPORT,
    OUT,
    bus_call,
    colour_counts,
    dbus_call,
    has_name,
    notifications,
    stop_process,
    wait,
)

pytestmark = [pytest.mark.desktop, pytest.mark.integration]

TOOLS = [
    "dbus-daemon",
    "Xvfb",
    "status-notifier-watcher",
    "gtk-sni-tray-standalone",
    "dunst",
    "dunstctl",
    IMPORT,
    CONVERT,
]
WATCHER = "org.kde.StatusNotifierWatcher"
ITEM_IFACE = "org.kde.StatusNotifierItem"
MENU_IFACE = "com.canonical.dbusmenu"


def _need_tools() -> None:
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        pytest.fail(
            "StatusNotifier tests need " + ", ".join(missing) + " (Debian: dbus xvfb imagemagick "
            "haskell-status-notifier-item-utils haskell-gtk-sni-tray-utils dunst; .ci/run installs them)",
            pytrace=False,
        )


class SniDesktop:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.env: dict[str, str] = {}
        self.procs: list[subprocess.Popen] = []
        self.watcher: subprocess.Popen | None = None

    def start_watcher(self) -> None:
        self.watcher = subprocess.Popen(
            ["status-notifier-watcher"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.tmp_path / "watcher.log", "ab"),
            start_new_session=True,
        )
        self.procs.append(self.watcher)
        wait("the watcher on the bus", lambda: has_name(self.env, WATCHER), 15, 0.2)

    def stop_watcher(self) -> None:
        stop_process(self.watcher)
        wait("the watcher to leave the bus", lambda: not has_name(self.env, WATCHER), 15, 0.2)


@pytest.fixture
def sni_desktop(tmp_path):
    """Xvfb, a private session bus, the watcher, the SNI host and a notification server (dunst)."""
    _need_tools()
    desk = SniDesktop(tmp_path)
    procs = desk.procs
    try:
        r, w = os.pipe()
        procs.append(
            subprocess.Popen(
                ["Xvfb", "-displayfd", str(w), "-screen", "0", "800x200x24", "-nolisten", "tcp"],
                pass_fds=(w,),
                stdout=subprocess.DEVNULL,
                stderr=open(tmp_path / "xvfb.log", "wb"),
                start_new_session=True,
            )
        )
        os.close(w)
        with os.fdopen(r) as f:
            number = f.readline().strip()
        assert number.isdigit(), (tmp_path / "xvfb.log").read_text()
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=open(tmp_path / "dbus.log", "wb"),
            text=True,
            start_new_session=True,
        )
        procs.append(bus)
        address = bus.stdout.readline().strip()
        assert address.startswith("unix:"), address
        env = dict(os.environ, DISPLAY=f":{number}", DBUS_SESSION_BUS_ADDRESS=address)
        env.pop("WAYLAND_DISPLAY", None)
        desk.env = env
        desk.start_watcher()
        procs.append(
            subprocess.Popen(
                ["gtk-sni-tray-standalone", "--top"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(tmp_path / "host.log", "wb"),
                start_new_session=True,
            )
        )
        wait("the SNI host", lambda: _is_registered_host(env), 15, 0.2)
        (tmp_path / "dunstrc").write_text("[global]\n    startup_notification = false\n")
        procs.append(
            subprocess.Popen(
                ["dunst", "-config", str(tmp_path / "dunstrc")],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(tmp_path / "dunst.log", "wb"),
                start_new_session=True,
            )
        )
        wait("the notification server", lambda: has_name(env, "org.freedesktop.Notifications"), 15, 0.2)
        yield desk
    finally:
        for p in reversed(procs):
            stop_process(p)


async def _get(bus, service: str, path: str, iface: str, prop: str):
    from dbus_fast import Message, MessageType

    reply = await bus.call(
        Message(
            destination=service,
            path=path,
            interface="org.freedesktop.DBus.Properties",
            member="Get",
            signature="ss",
            body=[iface, prop],
        )
    )
    assert reply.message_type is MessageType.METHOD_RETURN, (prop, reply.body)
    return reply.body[0].value


def _is_registered_host(env) -> bool:
    async def probe(bus):
        return await _get(bus, WATCHER, "/StatusNotifierWatcher", WATCHER, "IsStatusNotifierHostRegistered")

    return bus_call(env, probe)


def _items(env) -> list[str]:
    async def probe(bus):
        return list(await _get(bus, WATCHER, "/StatusNotifierWatcher", WATCHER, "RegisteredStatusNotifierItems"))

    return bus_call(env, probe)


def _split(item: str) -> tuple[str, str]:
    """A watcher entry: "service" (path /StatusNotifierItem) or "service/path"."""
    if "/" in item:
        service, _, path = item.partition("/")
        return service, "/" + path
    return item, "/StatusNotifierItem"


def _item_properties(env, item: str) -> dict:
    service, path = _split(item)

    async def read(bus):
        out = {}
        for prop in ("Id", "Title", "Category", "Status", "IconName", "IconPixmap", "ToolTip", "Menu"):
            out[prop] = await _get(bus, service, path, ITEM_IFACE, prop)
        return out

    return bus_call(env, read)


def _pixmap_colours(pixmaps: list) -> dict[str, int]:
    """Blue ("no override") and amber ("away") pixels of the largest ARGB32 pixmap."""
    w, h, data = max(pixmaps, key=lambda p: p[0] * p[1])
    counts = {"blue": 0, "amber": 0, "size": w}
    for i in range(0, len(data), 4):
        a, r, g, b = data[i], data[i + 1], data[i + 2], data[i + 3]  # network byte order ARGB
        if a < 200:
            continue
        if r < 110 and 100 < g < 175 and b > 200:
            counts["blue"] += 1
        if r > 190 and 120 < g < 190 and b < 70:
            counts["amber"] += 1
    return counts


def _scan(png: Path):
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    assert not img.isNull(), png
    for y in range(img.height()):
        for x in range(img.width()):
            c = img.pixelColor(x, y)
            yield x, y, c.red(), c.green(), c.blue()


def _amber_centre(png: Path) -> tuple[int, int]:
    """Where the host draws the away icon (the centre of its amber pixels)."""
    points = [(x, y) for x, y, r, g, b in _scan(png) if r > 190 and 120 < g < 190 and b < 70]
    assert len(points) > 20, (png, len(points))
    return sum(p[0] for p in points) // len(points), sum(p[1] for p in points) // len(points)


def _light_pixels(png: Path) -> int:
    """Near-white pixels: a menu's background (the host's bar and the empty screen are dark)."""
    return sum(1 for _x, _y, r, g, b in _scan(png) if r > 230 and g > 230 and b > 230)


def _layout(env, item: str, menu_path: str):
    service, _ = _split(item)

    async def read(bus):
        await dbus_call(bus, service, menu_path, MENU_IFACE, "AboutToShow", "i", [0])
        return await dbus_call(bus, service, menu_path, MENU_IFACE, "GetLayout", "iias", [0, -1, []])

    _revision, root = bus_call(env, read)
    return root


def _flatten(node) -> list[tuple[int, dict]]:
    ident, props, children = node
    out = [(ident, {k: v.value for k, v in props.items()})]
    for child in children:
        out.extend(_flatten(child.value))
    return out


def _click(env, item: str, menu_path: str, ident: int) -> None:
    from dbus_fast import Variant

    service, _ = _split(item)

    async def go(bus):
        await dbus_call(bus, service, menu_path, MENU_IFACE, "Event", "isvu", [ident, "clicked", Variant("i", 0), 0])

    bus_call(env, go)


def _shot(env, name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    subprocess.run([IMPORT, "-silent", "-window", "root", str(path)], env=env, check=True, timeout=20)
    return path


def test_status_notifier_item_properties_menu_and_a_click(sni_desktop, synapse_override, user_factory, tmp_path):
    env = applet_env(sni_desktop.env, tmp_path)
    user = user_factory(synapse_override, "sni")
    log = tmp_path / "applet.log"
    applet = start_demo(env, synapse_override.base_url, log, user=user)
    try:
        item = wait("the item to register with the watcher", lambda: (_items(env) or [None])[0], 30, 0.3)
        # Connected and read (the tooltip says what others see), no change in flight.
        props = wait(
            "the first read in the tooltip",
            lambda: (lambda p: p if re.search(r"Others see: (Online|Offline)", "".join(p["ToolTip"][2:])) else None)(
                _item_properties(env, item)
            ),
            30,
            0.5,
        )
        colours = _pixmap_colours(props["IconPixmap"])
        assert colours["blue"] > 20 and colours["amber"] == 0, colours
        assert props["Id"] == "presence-tray"
        assert props["Category"] == "ApplicationStatus" and props["Status"] == "Active"
        # No made-up theme names: hosts prefer a name to the pixels and would show a broken icon.
        assert props["IconName"] == "", props["IconName"]
        assert {p[0] for p in props["IconPixmap"]} >= {22, 32}  # several sizes, drawn for each
        # A title a panel can show (Qt's own item says "presence-tray", the application name).
        assert props["Title"] == "Presence Tray", props["Title"]
        tooltip = props["ToolTip"]  # (icon name, pixmaps, title, description)
        # Title and description apart (Qt's own item puts all of it in the title, description "").
        assert tooltip[2] == "Presence Tray", tooltip
        # What others see is this device's automatic presence (Online while the screen is used) or,
        # where idle detection is off, Offline: either way a read from the server.
        assert re.search(r"Others see: (Online|Offline)", tooltip[3]) and user.user_id in tooltip[3], tooltip
        assert colour_counts(_shot(env, "20-sni-host-before"))["blue"] > 20  # the host draws it

        # The menu as a panel sees it: the states are radio items, "No override" on.
        items = _flatten(_layout(env, item, props["Menu"]))
        # The account's header reads as a header: not a thing to click, with the state's icon.
        header = next(p for _, p in items if p.get("label") == user.user_id)
        assert header.get("enabled") is False and header.get("disposition") == "informative", header
        assert header.get("icon-data", b"")[:8] == b"\x89PNG\r\n\x1a\n", header.keys()
        radios = {
            p["label"].replace("_", ""): (i, p.get("toggle-state")) for i, p in items if p.get("toggle-type") == "radio"
        }
        offered = {"Online", "Away", "Offline", "Disabled — share no presence at all", "No override (automatic)"}
        assert offered <= set(radios), radios
        assert radios["No override (automatic)"][1] == 1 and radios["Away"][1] == 0
        # Mnemonics travel as "_" (dbusmenu's marker); every action a keyboard user needs has one.
        labels = [p.get("label", "") for _, p in items if p.get("enabled", True) and p.get("type") != "separator"]
        for wanted in ("Away", "Quit"):
            assert any("_" in l and l.replace("_", "") == wanted for l in labels), labels

        _click(env, item, props["Menu"], radios["Away"][0])
        wait("the server to say unavailable", lambda: override_value(synapse_override, user) == "unavailable", 15, 0.2)
        wait(
            "the away icon on the bus",
            lambda: _pixmap_colours(_item_properties(env, item)["IconPixmap"])["amber"] > 20,
            15,
            0.3,
        )
        after = _flatten(_layout(env, item, props["Menu"]))
        states = {"Online", "Away", "Offline", "Disabled — share no presence at all", "No override (automatic)"}
        checked = [
            p["label"].replace("_", "")
            for _, p in after
            if p.get("toggle-type") == "radio" and p.get("toggle-state") == 1 and p["label"].replace("_", "") in states
        ]
        assert checked == ["Away"], checked
        wait(
            "the host to draw the away icon",
            lambda: colour_counts(_shot(env, "21-sni-host-after"))["amber"] > 20,
            15,
            0.5,
        )

        # A person at the panel: a click on the host's icon opens our menu as the host draws it
        # (GTK, libdbusmenu), and the mnemonic of "Offline" picks it; the server follows.
        x, y = _amber_centre(_shot(env, "22-sni-host-icon"))
        subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "3"], env=env, check=True, timeout=10)
        wait("the host's menu", lambda: _light_pixels(_shot(env, "23-sni-host-menu")) > 10_000, 15, 0.5)
        offline = next(p["label"] for _, p in after if p.get("label", "").replace("_", "") == "Offline")
        key = offline[offline.index("_") + 1].lower()
        subprocess.run(["xdotool", "key", key], env=env, check=True, timeout=10)
        # Offline opens its durations (GTK clicks no item that has a submenu); the first,
        # "Until I change it", by its own mnemonic.
        time.sleep(0.5)
        until_changed = next(p["label"] for _, p in after if p.get("label", "").replace("_", "") == "Until I change it")
        key = until_changed[until_changed.index("_") + 1].lower()
        subprocess.run(["xdotool", "key", key], env=env, check=True, timeout=10)
        wait("the server to say offline", lambda: override_value(synapse_override, user) == "offline", 15, 0.2)
    finally:
        stop(applet)
        shutil.copyfile(log, OUT / "applet-sni.log") if OUT.exists() else None
    text = log.read_text(errors="replace")
    assert applet.returncode == 0, text
    assert "Traceback" not in text, text
    assert "showing a window instead" not in text, text  # the panel's item, not the no-tray window


def test_a_change_elsewhere_is_told_and_a_restarted_watcher_learns_the_item_again(
    sni_desktop, synapse_override, user_factory, tmp_path
):
    env = applet_env(sni_desktop.env, tmp_path)
    user = user_factory(synapse_override, "sni-else")
    log = tmp_path / "applet.log"
    applet = start_demo(env, synapse_override.base_url, log, user=user)
    try:
        item = wait("the item to register with the watcher", lambda: (_items(env) or [None])[0], 30, 0.3)
        wait(
            "the first read in the tooltip",
            lambda: "Override: No override" in _item_properties(env, item)["ToolTip"][3],
            30,
            0.5,
        )

        # Another device sets Away: icon, tooltip and menu follow, and a desktop notification
        # (through the session's notification server) tells of it.
        put_override(synapse_override, user, "unavailable")
        # The tooltip and the icon are two properties, updated one after the other: wait for both.
        props = wait(
            "the tooltip to say Away and the icon to turn amber",
            lambda: (
                lambda p: (
                    p
                    if "Override: Away" in p["ToolTip"][3] and _pixmap_colours(p["IconPixmap"])["amber"] > 20
                    else None
                )
            )(_item_properties(env, item)),
            90,
            0.5,
        )
        assert _pixmap_colours(props["IconPixmap"])["amber"] > 20
        checked = [
            p["label"].replace("_", "")
            for _, p in _flatten(_layout(env, item, props["Menu"]))
            if p.get("toggle-state") == 1
        ]
        assert "Away" in checked, checked
        wait("the notification", lambda: "Presence changed elsewhere" in notifications(env), 15, 0.5)

        # The panel restarts (a new watcher knows no items): the item registers again.
        service = _split(item)[0]
        sni_desktop.stop_watcher()
        sni_desktop.start_watcher()
        wait("the item to register again", lambda: any(_split(i)[0] == service for i in _items(env)), 15, 0.3)
    finally:
        stop(applet)
    text = log.read_text(errors="replace")
    assert applet.returncode == 0, text
    assert "Traceback" not in text, text
