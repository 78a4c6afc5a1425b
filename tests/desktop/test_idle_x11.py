"""Idle detection on a real X server (Xvfb): the XScreenSaver source and the tray behind it.

xdotool's input goes through the X server like a person's, so the extension's idle
counter really grows while nobody touches anything and really drops after a pointer move.
"""

from __future__ import annotations

import asyncio
import subprocess

import pytest

from tests.desktop.demo_applet import applet_env, start_demo, stop
from tests.harness.xdesktop import wait
from tray_app.idle.xscreensaver import XScreenSaverSource

pytestmark = [pytest.mark.desktop]


def _move_pointer(env, x: int) -> None:
    subprocess.run(["xdotool", "mousemove", str(x), "300"], env=env, check=True, timeout=10)


def test_idle_time_grows_and_resets_with_input(display):
    source = XScreenSaverSource(display["DISPLAY"])
    try:
        read = lambda: asyncio.run(source.idle_seconds())  # noqa: E731
        _move_pointer(display, 100)
        first = read()
        grown = wait("idle time to grow past 1.5 s", lambda: (lambda v: v if v >= 1.5 else None)(read()), 30)
        assert grown > first
        _move_pointer(display, 400)
        after = read()
        assert after < grown and after < 1.5, (grown, after)
    finally:
        asyncio.run(source.close())


def test_no_display_is_not_available():
    from tray_app.idle.source import SourceUnavailable

    with pytest.raises(SourceUnavailable):
        XScreenSaverSource(":987")  # no such X server


@pytest.mark.integration
def test_the_tray_goes_away_when_idle_and_back_on_input(display, synapse_override, user_factory, tmp_path):
    env = dict(display)
    user = user_factory(synapse_override, "desk")
    watcher = user_factory(synapse_override, "watch")
    room = synapse_override.create_room(user.access_token, invite=[watcher.user_id])
    synapse_override.join_room(watcher.access_token, room)
    others_see = lambda: synapse_override.get_presence(watcher.access_token, user.user_id)["presence"]  # noqa: E731
    env = applet_env(
        env,
        tmp_path,
        # No session bus and no system bus here: the X11 source is the one chosen.
        DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path / 'no-session-bus'}",
        DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={tmp_path / 'no-system-bus'}",
    )
    log = tmp_path / "applet.log"
    moves = iter(range(10_000))

    def active_and_online() -> bool:
        # Input keeps coming: the threshold (6 s) is shorter than the gate between automatic
        # changes (30 s), so one move alone is forgotten when the gate opens; and the X server's
        # idle counter runs from its own start, so a slow start of the applet reads "away" first.
        _move_pointer(display, 300 + next(moves) % 2 * 200)
        return others_see() == "online"

    _move_pointer(display, 200)
    applet = start_demo(env, synapse_override.base_url, log, user=user, args=("--away-after-minutes", "0.1"))
    try:
        wait("the tray's device to say online", active_and_online, 90, 0.5)
        # 6 s without input, then the 30 s gate and the sync spacing: away.
        wait("away after the idle threshold", lambda: others_see() == "unavailable", 120, 0.5)
        # Back at the computer.
        wait("online again after input", active_and_online, 120, 0.5)
    finally:
        stop(applet, 20)
    text = log.read_text(errors="replace")
    assert "idle detection: X11 XScreenSaver" in text, text
    assert "automatic presence: Automatic: Away" in text, text
    assert "Traceback" not in text, text
