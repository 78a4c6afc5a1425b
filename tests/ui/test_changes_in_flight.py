"""Clicks while a change is still in flight, and timed changes:
against a real Synapse, paused with SIGSTOP where a request must hang (as in
test_connection_states.py)."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions
from tests.harness.waiting import qt_assert_stays
from tests.ui.conftest import (
    PRESENCE_WRITE_MS,
    checked_states,
    get_override,
    menu_text,
    no_override_icon,
    override_value,
    put_override,
)

pytestmark = [pytest.mark.ui, pytest.mark.integration]


@pytest.fixture
def own_server(synapse_factory):
    """A server of this test's own: these tests pause or stop it."""
    return synapse_factory(SynapseOptions(modules=[{"module": OVERRIDE_MODULE, "config": {}}]))


def session_of(applet, user_id):
    return applet.controller.sessions[user_id]


def test_the_same_state_clicked_twice_quickly_leaves_no_pending_mark(
    synapse_override, user_factory, sign_in, applets, qtbot, aio
):
    user = user_factory(synapse_override, "twice")
    u = user.user_id
    sign_in(synapse_override, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)

    applet.menu_view.trigger(f"acct:{u}:state:unavailable")
    applet.menu_view.trigger(f"acct:{u}:state:unavailable")  # a double click, in the same loop turn
    aio.run(applet.controller.wait_idle())
    assert override_value(synapse_override, user) == "unavailable"
    qtbot.waitUntil(lambda: applet.icon_key == "away", timeout=10_000)
    # No late render puts a "+pending" back.
    qt_assert_stays(
        qtbot,
        lambda: session_of(applet, u).state.pending is None and applet.icon_key == "away",
        0.3,
        "Away confirmed with nothing pending",
        show=lambda: (applet.icon_key, session_of(applet, u).state.pending),
    )
    assert applet.model.find(f"acct:{u}:state:unavailable").text == "Away"
    assert "Setting Away…" not in applet.tray.toolTip()
    assert checked_states(applet, u) == ["Away"]


def test_a_status_message_set_while_a_state_is_in_flight_keeps_that_state(
    own_server, user_factory, sign_in, applets, qtbot, aio
):
    user = user_factory(own_server, "msgflight")
    u = user.user_id
    put_override(own_server, user, "online")
    sign_in(own_server, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: applet.icon_key == "online", timeout=15_000)

    os.kill(own_server.pid, signal.SIGSTOP)  # Away stays in flight
    try:
        applet.menu_view.trigger(f"acct:{u}:state:unavailable")
        qtbot.waitUntil(lambda: applet.icon_key == "online+pending", timeout=5_000)
        applet.menu_view.trigger(f"acct:{u}:statusmsg")
        dialog = applet.status_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.edit.setText("Back soon")
        dialog.set_button.click()
    finally:
        os.kill(own_server.pid, signal.SIGCONT)
    aio.run(applet.controller.wait_idle(), timeout_ms=30_000)
    body = get_override(own_server, user)
    assert (body.get("presence_override"), body.get("status_msg")) == ("unavailable", "Back soon"), body
    qtbot.waitUntil(lambda: applet.icon_key == "away", timeout=10_000)
    assert menu_text(applet, f"acct:{u}:msg") == "Status message: “Back soon”"

    # The other way round: a new message in flight, then a state click keeps that message.
    os.kill(own_server.pid, signal.SIGSTOP)
    try:
        applet.menu_view.trigger(f"acct:{u}:statusmsg")
        dialog = applet.status_dialog
        dialog.edit.setText("At lunch")
        dialog.set_button.click()
        qtbot.waitUntil(lambda: session_of(applet, u).state.pending is not None, timeout=5_000)
        applet.menu_view.trigger(f"acct:{u}:state:offline")
    finally:
        os.kill(own_server.pid, signal.SIGCONT)
    aio.run(applet.controller.wait_idle(), timeout_ms=30_000)
    body = get_override(own_server, user)
    assert (body.get("presence_override"), body.get("status_msg")) == ("offline", "At lunch"), body


def test_a_failed_timed_change_leaves_nothing_timed_and_the_retry_is_timed(
    own_server, user_factory, sign_in, applets, qtbot
):
    user = user_factory(own_server, "keepdur")
    u = user.user_id
    sign_in(own_server, user)
    applet = applets.start()
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)

    own_server.stop()
    applet.menu_view.trigger(f"acct:{u}:state:unavailable:for:30m")
    qtbot.waitUntil(lambda: any(n.title == "Couldn't set Away" for n in applet.notifications), timeout=15_000)
    # It did not happen: nothing runs, nothing says when it ends.
    qt_assert_stays(
        qtbot,
        lambda: menu_text(applet, f"acct:{u}:then") is None and menu_text(applet, f"acct:{u}:endnow") is None,
        0.2,
        "nothing timed",
        show=lambda: (menu_text(applet, f"acct:{u}:then"), menu_text(applet, f"acct:{u}:endnow")),
    )

    own_server.start()
    applet.menu.aboutToShow.emit()  # reconnect now
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=30_000)
    applet.menu_view.trigger(f"acct:{u}:state:unavailable:for:30m")
    qtbot.waitUntil(lambda: applet.icon_key == "away", timeout=PRESENCE_WRITE_MS)
    assert override_value(own_server, user) == "unavailable"
    assert menu_text(applet, f"acct:{u}:state:unavailable").startswith("Away — until ")  # the retry was timed
    assert menu_text(applet, f"acct:{u}:then") == "Then: no override"


def test_until_tomorrow_morning_uses_the_applets_time_zone(synapse_override, user_factory, sign_in, applets, qtbot):
    from tray_app.durations import next_morning

    user = user_factory(synapse_override, "tz")
    u = user.user_id
    sign_in(synapse_override, user)
    # A zone 5 hours off the system's, so "08:00 there" can't be mistaken for "08:00 here".
    local = datetime.now().astimezone().utcoffset()
    tz = timezone(local + timedelta(hours=5) if local <= timedelta(hours=9) else local - timedelta(hours=5))
    applet = applets.start(tz=tz)
    qtbot.waitUntil(lambda: no_override_icon(applet), timeout=15_000)

    before = datetime.now(UTC)
    applet.menu_view.trigger(f"acct:{u}:state:offline:for:tomorrow_morning")
    after = datetime.now(UTC)
    qtbot.waitUntil(lambda: applet.icon_key == "offline", timeout=PRESENCE_WRITE_MS)
    until = session_of(applet, u).state.override_until
    assert until in {next_morning(before, tz), next_morning(after, tz)}, (until, tz)
    assert until.astimezone(tz).hour == 8
    assert (
        menu_text(applet, f"acct:{u}:state:offline") == "Offline — until tomorrow 08:00"
        or menu_text(applet, f"acct:{u}:state:offline") == "Offline — until 08:00"
    )
