"""Notifications with an XEmbed tray (trayer): where the session runs a notification server
(dunst), they go to it and Qt draws no balloon of its own; where none runs, Qt's balloon shows
them (tray_app/dbus/notifications.py says why). The applet is a real process on Xvfb with a
private session bus, signed in to a real Synapse; another device's change is what it tells of."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.desktop.demo_applet import applet_env, start_demo, stop
from tests.harness.secret_service import PRIVATE_BUS_CONFIG
from tests.harness.server_view import put_override
from tests.harness.xdesktop import (
    geometry,
    has_name,
    icon_window,
    need_tools,
    notifications,
    shot,
    stop_process,
    wait,
    xdotool,
)

pytestmark = [pytest.mark.desktop, pytest.mark.integration]

NOTIFICATIONS = "org.freedesktop.Notifications"
BUS_TOOLS = ["dbus-daemon", "dunst", "dunstctl"]


def _need_bus_tools() -> None:
    need_tools()
    missing = [t for t in BUS_TOOLS if not shutil.which(t)]
    if missing:
        pytest.fail(
            "these tests need " + ", ".join(missing) + " (Debian: dbus dunst; .ci/run installs them)", pytrace=False
        )


def _bus(display: dict[str, str], tmp_path: Path, *, services: bool):
    """A private session bus; `services`: the system's D-Bus service files (so D-Bus can start
    dunst, which is installed, on the first call to org.freedesktop.Notifications), or none.
    No StatusNotifierWatcher on it, so the applet embeds in trayer with Qt's icon. The bus gets
    no DISPLAY: a server it starts cannot show anything, as when a desktop's is broken."""
    if services:
        config = ["--session"]
    else:
        (tmp_path / "bus.conf").write_text(PRIVATE_BUS_CONFIG.format(socket=tmp_path / "bus"))
        config = [f"--config-file={tmp_path / 'bus.conf'}"]
    bus_env = {k: v for k, v in display.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    bus = subprocess.Popen(
        ["dbus-daemon", *config, "--nofork", "--nopidfile", "--print-address=1"],
        env=bus_env,
        stdout=subprocess.PIPE,
        stderr=open(tmp_path / "dbus.log", "wb"),
        text=True,
        start_new_session=True,
    )
    address = bus.stdout.readline().strip()
    if not address.startswith("unix:"):
        stop_process(bus)
        raise AssertionError(f"dbus-daemon gave no address: {(tmp_path / 'dbus.log').read_text()}")
    return bus, dict(display, DBUS_SESSION_BUS_ADDRESS=address)


@pytest.fixture
def session_bus(display, tmp_path):
    _need_bus_tools()
    bus, env = _bus(display, tmp_path, services=True)
    try:
        yield env
    finally:
        stop_process(bus)


@pytest.fixture
def bare_session_bus(display, tmp_path):
    _need_bus_tools()
    bus, env = _bus(display, tmp_path, services=False)
    try:
        yield env
    finally:
        stop_process(bus)


def _start_dunst(env: dict[str, str], tmp_path: Path) -> subprocess.Popen:
    (tmp_path / "dunstrc").write_text("[global]\n    startup_notification = false\n")
    dunst = subprocess.Popen(
        ["dunst", "-config", str(tmp_path / "dunstrc")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "dunst.log", "wb"),
        start_new_session=True,
    )
    wait("the notification server", lambda: has_name(env, NOTIFICATIONS), 15, 0.2)
    return dunst


def _balloons(env) -> list[str]:
    """Our visible windows wider than the tray icon and shorter than a menu: Qt's balloon."""
    found = []
    for wid in xdotool(env, "search", "--onlyvisible", "--class", "presence-tray").split():
        x, y, w, h = geometry(env, wid)
        if w > 100 and h < 200:
            found.append(wid)
    return found


def _changed_elsewhere(env, synapse, user, tmp_path):
    """Start the applet, let another device set Away; returns (applet, log)."""
    log = tmp_path / "applet.log"
    applet = start_demo(applet_env(env, tmp_path), synapse.base_url, log, user=user)
    wait("the icon to embed in trayer", lambda: icon_window(env), 30)
    wait("the first read", lambda: "connected to" in log.read_text(errors="replace"), 30, 0.3)
    put_override(synapse, user, "unavailable")
    return applet, log


def _finish(applet, log: Path) -> None:
    stop(applet)
    text = log.read_text(errors="replace")
    assert applet.returncode == 0, text
    assert "Traceback" not in text, text


def test_with_a_notification_server_the_desktop_shows_it_and_qt_draws_no_balloon(
    session_bus, synapse_override, user_factory, tmp_path
):
    dunst = _start_dunst(session_bus, tmp_path)
    user = user_factory(synapse_override, "xembed-notify")
    applet, log = _changed_elsewhere(session_bus, synapse_override, user, tmp_path)
    try:
        wait("dunst's popup", lambda: xdotool(session_bus, "search", "--onlyvisible", "--class", "dunst"), 90, 0.3)
        shot(session_bus, "notify-01-dunst")
        assert "Presence changed elsewhere" in notifications(session_bus)
        assert _balloons(session_bus) == []
        assert "notifications go to the desktop's notification server" in log.read_text(errors="replace")
    finally:
        _finish(applet, log)
        stop_process(dunst)


def test_without_a_notification_server_qt_shows_its_balloon(bare_session_bus, synapse_override, user_factory, tmp_path):
    assert not has_name(bare_session_bus, NOTIFICATIONS)
    user = user_factory(synapse_override, "xembed-balloon")
    applet, log = _changed_elsewhere(bare_session_bus, synapse_override, user, tmp_path)
    try:
        wait("Qt's balloon", lambda: _balloons(bare_session_bus), 90, 0.5)
        shot(bare_session_bus, "notify-02-qt-balloon")
        assert "no notification server on the session bus" in log.read_text(errors="replace")
    finally:
        _finish(applet, log)


def test_a_server_that_cannot_start_leaves_the_notification_to_qts_balloon(
    session_bus, synapse_override, user_factory, tmp_path
):
    """D-Bus knows a server (dunst's service file) but cannot start it (no display on the bus):
    the notification is not lost."""
    user = user_factory(synapse_override, "xembed-broken")
    applet, log = _changed_elsewhere(session_bus, synapse_override, user, tmp_path)
    try:
        wait("Qt's balloon", lambda: _balloons(session_bus), 90, 0.5)
        shot(session_bus, "notify-03-server-failed-qt-balloon")
        text = log.read_text(errors="replace")
        assert "notifications go to the desktop's notification server" in text, text
    finally:
        _finish(applet, log)


def _dunst_paused(env) -> bool:
    r = subprocess.run(["dunstctl", "is-paused"], env=env, capture_output=True, text=True, timeout=20)
    return r.stdout.strip() == "true"


def test_busy_pauses_dunst_and_its_end_gives_the_banners_back(session_bus, synapse_override, user_factory, tmp_path):
    """The whole applet on dunst: another device sets Busy, the banners pause; Away, they come
    back; Busy again and Quit, they come back too (nobody would give them back later)."""
    dunst = _start_dunst(session_bus, tmp_path)
    user = user_factory(synapse_override, "busy-dnd")
    log = tmp_path / "applet.log"
    applet = start_demo(applet_env(session_bus, tmp_path), synapse_override.base_url, log, user=user)
    try:
        wait("the first read", lambda: "connected to" in log.read_text(errors="replace"), 30, 0.3)
        wait("dunst's switch found", lambda: "do not disturb: dunst" in log.read_text(errors="replace"), 30, 0.3)
        assert not _dunst_paused(session_bus)
        put_override(synapse_override, user, "busy")
        wait("banners paused while Busy", lambda: _dunst_paused(session_bus), 60, 0.3)
        put_override(synapse_override, user, "unavailable")
        wait("banners back after Busy", lambda: not _dunst_paused(session_bus), 60, 0.3)
        put_override(synapse_override, user, "busy")
        wait("banners paused while Busy again", lambda: _dunst_paused(session_bus), 60, 0.3)
    finally:
        _finish(applet, log)
    try:
        assert not _dunst_paused(session_bus), "quitting while Busy left the banners paused"
    finally:
        stop_process(dunst)
