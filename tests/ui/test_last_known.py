"""At start the applet shows the override the server confirmed last time, at once and marked
unconfirmed (dimmed icon, "last known, checking…"), until this run's first read answers; a
server that can't be reached leaves it unconfirmed, with the disconnected mark."""

from __future__ import annotations

import pytest

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions
from tests.harness.waiting import qt_assert_stays
from tests.ui.conftest import put_override
from tray_app.session_state import Connection
from tray_app.ui.icons import IconFactory, render_image
from tray_app.ui.presenter import IconSpec, parse_icon_key

pytestmark = [pytest.mark.ui, pytest.mark.integration]


def checked(applet, user_id):
    return [i.text for i in applet.model.walk() if i.key.startswith(f"acct:{user_id}:state:") and i.checked]


def start_recording(applets, make_accounts, aio, user_id):
    """An applet whose every render is recorded (icon key, tooltip, the last-known line,
    the checked states) from the very first one, before any keyring or network answer."""
    from tray_app.ui.applet import Applet
    from tray_app.ui.controller import Controller

    applet = Applet(Controller(make_accounts()), use_tray=True, autostarted=True)
    applets.applets.append(applet)  # taken down by the fixture
    seen = []
    render = applet.render

    def recording() -> None:
        render()
        line = applet.model.find(f"acct:{user_id}:lastknown")
        seen.append((applet.icon_key, applet.tooltip, line.text if line.visible else None, checked(applet, user_id)))

    applet.render = recording
    aio.run(applet.start())
    return applet, seen


def run_once(applets, qtbot, key):
    """A run of the applet that confirms `key` (and so saves it as the last known)."""
    applet = applets.start()
    qtbot.waitUntil(lambda: applet.icon_key == key, timeout=15_000)
    applets.stop(applet)


def test_last_known_shown_first_unconfirmed_then_the_server_read(
    synapse_override, user_factory, sign_in, applets, make_accounts, aio, qtbot
):
    user = user_factory(synapse_override, "lastknown")
    u = user.user_id
    put_override(synapse_override, user, "unavailable")
    sign_in(synapse_override, user)
    run_once(applets, qtbot, "away")
    assert make_accounts().settings.account(u).last_known.override == "unavailable"
    put_override(synapse_override, user, "offline")  # changed elsewhere while the applet was not running

    applet, seen = start_recording(applets, make_accounts, aio, u)
    key, tip, line, marks = seen[0]  # the very first render: nothing read yet
    assert key == "away~unconfirmed+pending"
    assert "Override: Away (last known, checking…)" in tip
    assert line == "Away (last known, checking…)"
    assert marks == []  # no state looks chosen

    qtbot.waitUntil(lambda: applet.icon_key == "offline", timeout=15_000)
    assert checked(applet, u) == ["Offline"]
    assert "last known" not in applet.tray.toolTip()
    assert not applet.model.find(f"acct:{u}:lastknown").visible
    # Never Away without the unconfirmed mark: the old state never looked confirmed.
    keys = [k for k, *_ in seen]
    assert all(k == "away~unconfirmed+pending" or parse_icon_key(k).base != "away" for k in keys), keys
    assert all("last known" in t for k, t, *_ in seen if parse_icon_key(k).unconfirmed)
    # The new confirmed state is what the next start shows first.
    assert make_accounts().settings.account(u).last_known.override == "offline"

    # The two looks differ in pixels, not only in their keys: same mark, the base dimmed.
    icons = IconFactory()
    dim = icons.icon("away~unconfirmed+pending").pixmap(22).toImage()
    full = icons.icon("away+pending").pixmap(22).toImage()
    assert dim != full


def test_the_unconfirmed_base_is_dimmed_and_the_mark_is_not(qapp):
    full = render_image(IconSpec("away", "disconnected"), 64)
    dim = render_image(IconSpec("away", "disconnected", unconfirmed=True), 64)
    base_px = (20, 44)  # in the base, left half (the colour test's point)
    assert dim.pixelColor(*base_px).alpha() < 0.6 * full.pixelColor(*base_px).alpha()
    assert dim.pixelColor(37, 56) == full.pixelColor(37, 56)  # inside the disconnected mark


@pytest.fixture
def own_server(synapse_factory):
    """A server of this test's own: it is stopped."""
    return synapse_factory(SynapseOptions(modules=[{"module": OVERRIDE_MODULE, "config": {}}]))


def test_a_server_that_is_down_leaves_the_last_known_unconfirmed(
    own_server, user_factory, sign_in, applets, make_accounts, aio, qtbot
):
    user = user_factory(own_server, "lastknown-down")
    u = user.user_id
    put_override(own_server, user, "unavailable")
    sign_in(own_server, user)
    run_once(applets, qtbot, "away")
    own_server.stop()

    applet, seen = start_recording(applets, make_accounts, aio, u)
    assert seen[0][0] == "away~unconfirmed+pending"
    qtbot.waitUntil(lambda: applet.controller.sessions[u].state.connection is Connection.DISCONNECTED, timeout=15_000)
    qtbot.waitUntil(lambda: applet.icon_key == "away~unconfirmed+disconnected", timeout=5_000)
    assert "Override: Away (last known, not confirmed)" in applet.tray.toolTip()
    assert "Can't reach the server" in applet.tray.toolTip()
    assert applet.model.find(f"acct:{u}:lastknown").text == "Away (last known, not confirmed)"
    assert checked(applet, u) == []
    assert not applet.model.find(f"acct:{u}:statusmsg").enabled  # no message on an unconfirmed state
    qt_assert_stays(  # retries that fail change nothing
        qtbot,
        lambda: applet.icon_key == "away~unconfirmed+disconnected",
        1.0,
        "the last known icon while retries fail",
        show=lambda: applet.icon_key,
    )
    assert all(parse_icon_key(k).unconfirmed for k, *_ in seen), [k for k, *_ in seen]
