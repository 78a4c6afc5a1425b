"""Timed overrides (end, survive a restart, expire while not running) and changes made
elsewhere (the command line) showing up: at once when the menu opens, and by themselves."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.ui.conftest import (
    PRESENCE_WRITE_MS,
    checked_states,
    menu_text,
    no_override_icon,
    override_value,
    put_override,
)
from tray_app.ui.menu import plain_text

pytestmark = [pytest.mark.ui, pytest.mark.integration]

CLI = [str(Path(sys.executable).with_name("presence-tray"))]


def ends_soon_clock(seconds: float):
    """The UI computes the end from its clock; shifting it makes "30 minutes" end in `seconds`."""
    return lambda: datetime.now(UTC) - timedelta(minutes=30) + timedelta(seconds=seconds)


def test_timed_override_ends_by_itself(synapse_override, user_factory, sign_in, applets, qtbot):
    user = user_factory(synapse_override, "timed")
    sign_in(synapse_override, user)
    applet = applets.start(clock=ends_soon_clock(4))
    u = user.user_id
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)

    # Away, for 30 minutes: one click, in the state's own submenu.
    assert plain_text(applet.menu_view.submenus[f"acct:{u}:state:unavailable"].actions()[1].text()) == "30 minutes"
    applet.menu_view.trigger(f"acct:{u}:state:unavailable:for:30m")
    qtbot.waitUntil(lambda: override_value(synapse_override, user) == "unavailable", timeout=PRESENCE_WRITE_MS)
    qtbot.waitUntil(lambda: applet.icon_key == "away", timeout=PRESENCE_WRITE_MS)
    # While it runs, the checked state says when it ends, the menu what follows, and the tooltip
    # how long is left.
    assert menu_text(applet, f"acct:{u}:state:unavailable").startswith("Away — until ")
    assert menu_text(applet, f"acct:{u}:then") == "Then: no override"
    assert "Override: Away, ends in less than a minute" in applet.tray.toolTip()

    qtbot.waitUntil(lambda: override_value(synapse_override, user) == "", timeout=20_000)
    qtbot.waitUntil(
        lambda: checked_states(applet, u) == ["No override (automatic)"] and no_override_icon(applet),
        timeout=PRESENCE_WRITE_MS,
    )
    assert any(n.title == "Timed override ended" and u in n.text for n in applet.notifications)
    assert menu_text(applet, f"acct:{u}:then") is None
    assert menu_text(applet, f"acct:{u}:state:none") == "No override (automatic)"


def test_timed_override_survives_a_restart_and_one_that_expired_meanwhile_is_cleared(
    synapse_override, user_factory, sign_in, applets, qtbot
):
    user = user_factory(synapse_override, "restart")
    u = user.user_id
    sign_in(synapse_override, user)

    # 1 hour, then the applet quits and starts again: the end time is still there.
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
    applet.menu_view.trigger(f"acct:{u}:state:offline:for:1h")
    qtbot.waitUntil(lambda: applet.icon_key == "offline", timeout=PRESENCE_WRITE_MS)
    before = menu_text(applet, f"acct:{u}:state:offline")
    assert before.startswith("Offline — until "), before
    applets.stop(applet)

    applet = applets.start()
    qtbot.waitUntil(lambda: applet.icon_key == "offline", timeout=15_000)
    qtbot.waitUntil(lambda: applet.model.find(f"acct:{u}:state:offline").text == before, timeout=PRESENCE_WRITE_MS)
    applet.menu_view.trigger(f"acct:{u}:state:none")
    qtbot.waitUntil(lambda: override_value(synapse_override, user) == "", timeout=PRESENCE_WRITE_MS)

    # A short one; the applet is not running when it ends; the next start clears it.
    # It comes right after the clear, so its PUT meets rc_presence (429) and lands up to
    # PRESENCE_WRITE_MS after the click: it must not end before then (its end is counted
    # from the click), else the applet itself clears it the moment it lands.
    lasts = timedelta(milliseconds=PRESENCE_WRITE_MS + 3000)
    applet.controller.clock = ends_soon_clock(lasts.total_seconds())
    ends = datetime.now(UTC) + lasts
    applet.menu_view.trigger(f"acct:{u}:state:unavailable:for:30m")
    qtbot.waitUntil(lambda: applet.icon_key == "away", timeout=PRESENCE_WRITE_MS)
    applets.stop(applet)
    qtbot.waitUntil(lambda: datetime.now(UTC) > ends + timedelta(seconds=3), timeout=PRESENCE_WRITE_MS + 10_000)
    assert override_value(synapse_override, user) == "unavailable"  # nobody cleared it yet

    applet = applets.start()
    qtbot.waitUntil(lambda: override_value(synapse_override, user) == "", timeout=PRESENCE_WRITE_MS)
    qtbot.waitUntil(lambda: checked_states(applet, u) == ["No override (automatic)"], timeout=PRESENCE_WRITE_MS)


def run_cli(cli_env, *args) -> subprocess.CompletedProcess:
    proc = subprocess.run(CLI + list(args), env=cli_env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    return proc


def test_change_from_the_command_line_shows_when_the_menu_opens(
    synapse_override, user_factory, sign_in, applets, qtbot, cli_env
):
    user = user_factory(synapse_override, "cli")
    u = user.user_id
    sign_in(synapse_override, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)

    run_cli(cli_env, "set", "away", "--message", "from the terminal")
    assert override_value(synapse_override, user) == "unavailable"
    assert no_override_icon(applet)  # not known yet: nothing told the applet

    applet.menu.popup(applet.menu.pos())  # a person opens the menu
    try:
        qtbot.waitUntil(lambda: checked_states(applet, u) == ["Away"], timeout=3_000)
    finally:
        applet.menu.hide()
    assert applet.icon_key == "away"
    assert menu_text(applet, f"acct:{u}:msg") == "Status message: “from the terminal”"
    # The open menu shows the change: no balloon over it; and the text says it once.
    assert not any(n.title == "Presence changed elsewhere" for n in applet.notifications)
    assert [(n.title, n.text) for n in applet.held_back] == [("Presence changed elsewhere", f"{u}: now Away.")]


def test_a_change_elsewhere_reaches_icon_and_tooltip_together(synapse_override, user_factory, sign_in, applets, qtbot):
    """The presence arrives at once by /sync; the override used to wait for the minute's poll,
    leaving the icon at Away under a tooltip that said "Others see: Offline"."""
    from tray_app.session import SessionTimings

    assert SessionTimings().poll_interval >= 60  # the real poll (the applet's): it cannot bring the change here
    user = user_factory(synapse_override, "agree")
    u = user.user_id
    put_override(synapse_override, user, "unavailable")
    sign_in(synapse_override, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: applet.icon_key == "away", timeout=15_000)
    # The applet's first /sync has answered (a change made while it runs can be lost by Synapse's
    # presence stream, leaving only the minute's poll): from now on /sync waits for news.
    first_sync = f"{{{u}}} Processed request"
    qtbot.waitUntil(
        lambda: any(
            first_sync in line and "/_matrix/client/v3/sync?timeout=" in line
            for line in synapse_override.log_path.read_text(errors="replace").splitlines()
        ),
        timeout=15_000,
    )

    put_override(synapse_override, user, "offline")  # another device
    qtbot.waitUntil(lambda: applet.icon_key == "offline", timeout=15_000)
    tip = applet.tray.toolTip()
    assert "Override: Offline" in tip and "Others see: Offline" in tip, tip
    assert [(n.title, n.text) for n in applet.notifications if n.title == "Presence changed elsewhere"] == [
        ("Presence changed elsewhere", f"{u}: now Offline.")
    ]


def test_emulated_mode_marks_the_icon_when_another_device_wins(synapse_stock, user_factory, sign_in, applets, qtbot):
    """No override API: this device holds Away; a phone that syncs as online wins for everyone.
    The icon shows what everyone sees (Online) with the "another device wins" mark."""
    from tests.harness.another_device import play

    user = user_factory(synapse_stock, "overruled")
    u = user.user_id
    sign_in(synapse_stock, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
    applet.menu_view.trigger(f"acct:{u}:state:unavailable")
    qtbot.waitUntil(lambda: applet.icon_key == "away", timeout=PRESENCE_WRITE_MS)

    task = applet.controller.spawn(play(synapse_stock.base_url, u, user.password, "online"))
    qtbot.waitUntil(task.done, timeout=20_000)
    assert task.result().startswith("another device synced as Online")
    qtbot.waitUntil(lambda: applet.icon_key == "online+overruled", timeout=20_000)
    tip = applet.tray.toolTip()
    assert "Others see: Online" in tip and "Override: Away" in tip, tip


def test_change_made_elsewhere_shows_up_by_itself(
    synapse_override, user_factory, sign_in, applets, qtbot, cli_env, monkeypatch
):
    from tray_app.session import SessionTimings

    fast_poll = SessionTimings(poll_interval=1.0)  # 60 s in real life; the mechanism is the same
    user = user_factory(synapse_override, "poll")
    u = user.user_id
    put_override(synapse_override, user, "online")
    sign_in(synapse_override, user)
    applet = applets.start(timings=fast_poll)
    qtbot.waitUntil(lambda: applet.icon_key == "online", timeout=15_000)

    run_cli(cli_env, "set", "disabled")
    qtbot.waitUntil(lambda: applet.icon_key == "disabled", timeout=PRESENCE_WRITE_MS)
    assert checked_states(applet, u) == ["Disabled"]
    assert "Override: Disabled" in applet.tray.toolTip()

    run_cli(cli_env, "clear")
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=PRESENCE_WRITE_MS)
    # Two changes in a row elsewhere: the first is told, the second is not repeated within the quiet gap.
    assert [n.title for n in applet.notifications].count("Presence changed elsewhere") == 1
