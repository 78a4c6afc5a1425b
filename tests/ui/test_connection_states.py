"""Pending, failure, disconnected and signed-out, each produced by a real Synapse:
paused with SIGSTOP (a request hangs in flight), stopped (refused), restarted on the same
database (recovers), and the applet's token revoked from another session."""

from __future__ import annotations

import os
import signal

import pytest

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions
from tests.harness.waiting import qt_assert_stays
from tests.ui.conftest import (
    PRESENCE_WRITE_MS,
    keyring_items,
    no_override_icon,
    override_value,
    put_override,
    save_menu_png,
)

pytestmark = [pytest.mark.ui, pytest.mark.integration]


@pytest.fixture
def own_server(synapse_factory):
    """A server of this test's own: these tests pause, stop and restart it."""
    return synapse_factory(SynapseOptions(modules=[{"module": OVERRIDE_MODULE, "config": {}}]))


def checked(applet, user_id):
    return [i.text for i in applet.model.walk() if i.key.startswith(f"acct:{user_id}:state:") and i.checked]


def state_text(applet, user_id, key):
    return applet.model.find(f"acct:{user_id}:state:{key}").text


def test_pending_while_the_server_has_not_answered(own_server, user_factory, sign_in, applets, qtbot):
    user = user_factory(own_server, "pend")
    put_override(own_server, user, "online")
    sign_in(own_server, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: applet.icon_key == "online", timeout=15_000)

    os.kill(own_server.pid, signal.SIGSTOP)  # the server stops answering, connections stay open
    try:
        applet.menu_view.trigger(f"acct:{user.user_id}:state:unavailable")
        # The icon keeps the confirmed state and gains the pending mark; the item says so.
        qtbot.waitUntil(lambda: applet.icon_key == "online+pending", timeout=5_000)
        assert state_text(applet, user.user_id, "unavailable") == "Away — setting…"
        assert checked(applet, user.user_id) == ["Online"]  # still what the server confirmed
        assert "Setting Away…" in applet.tray.toolTip()
        save_menu_png(applet, "menu-pending")
        qt_assert_stays(
            qtbot,
            lambda: applet.icon_key == "online+pending",
            0.5,
            "the pending icon while the server does not answer (no optimistic flip)",
            show=lambda: applet.icon_key,
        )
    finally:
        os.kill(own_server.pid, signal.SIGCONT)

    qtbot.waitUntil(lambda: applet.icon_key == "away", timeout=15_000)
    assert checked(applet, user.user_id) == ["Away"]
    assert state_text(applet, user.user_id, "unavailable") == "Away"
    assert override_value(own_server, user) == "unavailable"
    assert list(applet.notifications) == []  # a change that worked is not worth a notification


def test_failure_returns_to_confirmed_says_why_and_recovers(own_server, user_factory, sign_in, applets, qtbot):
    user = user_factory(own_server, "fail")
    put_override(own_server, user, "online")
    sign_in(own_server, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: applet.icon_key == "online", timeout=15_000)

    own_server.stop()
    applet.menu_view.trigger(f"acct:{user.user_id}:state:unavailable")
    qtbot.waitUntil(lambda: any(n.title == "Couldn't set Away" for n in applet.notifications), timeout=15_000)
    note = next(n for n in applet.notifications if n.title == "Couldn't set Away")
    assert note.warning and "can't reach the server" in note.text and user.user_id in note.text
    # Back to the confirmed state, marked as disconnected; nothing pretends Away was set.
    qtbot.waitUntil(lambda: applet.icon_key == "online+disconnected", timeout=15_000)
    assert checked(applet, user.user_id) == ["Online"]
    assert state_text(applet, user.user_id, "unavailable") == "Away"
    assert applet.model.find(f"acct:{user.user_id}:conn").text == "Can't reach the server — retrying"
    assert "Can't reach the server — retrying" in applet.tray.toolTip()
    save_menu_png(applet, "menu-disconnected")

    own_server.start()  # same port, same database
    # Opening the menu (or the session's own backoff) reconnects.
    applet.menu.aboutToShow.emit()
    qtbot.waitUntil(lambda: applet.icon_key == "online", timeout=30_000)
    applet.menu_view.trigger(f"acct:{user.user_id}:state:unavailable")
    qtbot.waitUntil(lambda: override_value(own_server, user) == "unavailable", timeout=PRESENCE_WRITE_MS)
    qtbot.waitUntil(lambda: applet.icon_key == "away", timeout=PRESENCE_WRITE_MS)


def test_signed_out_when_the_token_is_revoked_then_sign_in_again(
    own_server, user_factory, sign_in, applets, qtbot, keyring_file
):
    from tray_app.credentials import StoredCredentials

    user = user_factory(own_server, "revoked")
    sign_in(own_server, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)

    (secret,) = keyring_items(keyring_file).values()
    applet_token = StoredCredentials.from_secret(secret).access_token
    own_server.logout(applet_token)  # e.g. the user removed this device from another client

    applet.menu_view.trigger("refresh")  # or the next poll/sync notices it by itself
    qtbot.waitUntil(lambda: applet.icon_key == "none+signed-out", timeout=35_000)
    assert any(n.title == "Sign in again" and user.user_id in n.text for n in applet.notifications)
    texts = applet.menu_view.action_texts()
    assert "Sign in again…" in texts and "Online" not in texts
    assert applet.model.find(f"acct:{user.user_id}:conn").text.startswith("Signed out — ")
    save_menu_png(applet, "menu-signed-out")

    applet.menu_view.trigger(f"acct:{user.user_id}:signin")
    dialog = applet.sign_in_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.user_id.text() == user.user_id
    assert dialog.homeserver.text() == own_server.base_url  # prefilled from the stored login
    dialog.password.setText(user.password)
    task = dialog.submit()
    qtbot.waitUntil(task.done, timeout=20_000)
    assert task.exception() is None
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)
    applet.menu_view.trigger(f"acct:{user.user_id}:state:online")
    qtbot.waitUntil(lambda: override_value(own_server, user) == "online", timeout=PRESENCE_WRITE_MS)


def test_unreachable_for_long_is_told_once_and_back_online_after(
    own_server, user_factory, sign_in, applets, qtbot, monkeypatch
):
    from tray_app.session import SessionTimings

    user = user_factory(own_server, "outage")
    sign_in(own_server, user)
    applet = applets.start(timings=SessionTimings(unreachable_notice_after=1.5))  # 5 minutes in real life
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)

    own_server.stop()
    qtbot.waitUntil(lambda: any(n.title == "Server unreachable" for n in applet.notifications), timeout=30_000)
    assert applet.icon_key == "none+disconnected"
    # More failed retries meanwhile: still one notification.
    qt_assert_stays(
        qtbot,
        lambda: [n.title for n in applet.notifications].count("Server unreachable") == 1,
        4.0,
        "one 'Server unreachable' notification",
        show=lambda: [n.title for n in applet.notifications],
        interval=0.2,
    )

    own_server.start()
    qtbot.waitUntil(lambda: any(n.title == "Back online" for n in applet.notifications), timeout=60_000)
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=10_000)


def test_a_stalled_server_is_marked_on_the_icon_while_the_long_poll_waits(
    synapse_factory, user_factory, sign_in, applets, qtbot
):
    """SIGSTOP: the connections stay open (the kernel still acknowledges), so only the liveness
    check (tray_app/matrix/liveness.py) can tell; the long poll's own deadline is up to 45 s away."""
    server = synapse_factory(
        SynapseOptions(relaxed_rate_limits=False, modules=[{"module": OVERRIDE_MODULE, "config": {}}])
    )
    user = user_factory(server, "stalled")
    put_override(server, user, "online")
    sign_in(server, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: applet.icon_key == "online", timeout=15_000)
    session = applet.controller.sessions[user.user_id]
    qtbot.waitUntil(lambda: session._since is not None, timeout=15_000)  # long polls from here on

    os.kill(server.pid, signal.SIGSTOP)
    try:
        # Within Liveness.SILENCE + 2 * PROBE_TIMEOUT (16 s) of the last answer; 30 s is well
        # past that and below the long poll's own deadline (>= 44 s from here): no race either way.
        qtbot.waitUntil(lambda: applet.icon_key == "online+disconnected", timeout=30_000)
        assert applet.model.find(f"acct:{user.user_id}:conn").text == "Can't reach the server — retrying"
    finally:
        os.kill(server.pid, signal.SIGCONT)
    qtbot.waitUntil(lambda: applet.icon_key == "online", timeout=60_000)  # recovers by itself
