"""Plain words in the views, the interface behind "Server details…" (issue 19): each account
offers the item, it opens a small view naming what the server speaks; the window's notice of
a change made elsewhere goes once the state moves on."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from tray_app.session_state import ApiMode, Connection, SessionEvent, SessionState
from tray_app.states import Override, PresenceState

pytestmark = pytest.mark.ui

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
WATCHED = "org.continuwuity.presence_v2.msc4532.presence.persistent"


def st(user: str = "@a:hs", **kw) -> SessionState:
    base = dict(
        user_id=user,
        homeserver="https://hs.example",
        device_id="ABCDEF",
        api=ApiMode.STABLE,
        connection=Connection.CONNECTED,
        override=Override(PresenceState.UNAVAILABLE, "unavailable"),
        presence="unavailable",
    )
    base.update(kw)
    return SessionState(**base)


def applet_for(states: list[SessionState]):
    from tray_app.ui.applet import Applet
    from tray_app.ui.view_model import AppSnapshot

    controller = SimpleNamespace(
        on_change=None,
        on_notify=None,
        on_offer_forget=None,
        tz=UTC,
        states=lambda: states,
        snapshot=lambda: AppSnapshot(tuple(states)),
    )
    return Applet(controller)  # type: ignore[arg-type]  # only its dialogs are opened


def test_each_account_offers_server_details_and_it_names_the_interface(qtbot):
    from tray_app.ui.menu_content import build_menu
    from tray_app.ui.view_model import AppSnapshot, Placement, ShowServerDetails

    stable = st(watching=WATCHED)
    emulated = st("@b:other", api=ApiMode.EMULATED, busy_supported=False)
    model = build_menu(AppSnapshot((stable, emulated)), NOW, UTC)
    for s in (stable, emulated):
        item = model.find(f"acct:{s.user_id}:details")
        assert item.text == "Server details…" and item.visible and item.enabled
        assert item.action == ShowServerDetails(s.user_id) and item.placement is Placement.QUIET
    assert "MSC" not in " ".join(i.text for i in model.walk())

    applet = applet_for([stable, emulated])
    applet.on_action(ShowServerDetails(stable.user_id))
    box = applet.confirm_box
    assert box is not None
    qtbot.addWidget(box)
    assert box.windowTitle() == "Server details — @a:hs"
    lines = box.text().splitlines()
    assert lines[:4] == [
        "Account: @a:hs",
        "Homeserver: https://hs.example",
        "Device: ABCDEF",
        "In plain words: Your server holds your choice for all your devices",
    ]
    assert "Interface: Presence override, MSC4043 (stable endpoint /_matrix/client/v1/presence/@a:hs/override)" in lines
    assert f"Changes made elsewhere: Pushed by the server (MSC4532, account data event {WATCHED})" in lines

    box = applet.show_server_details(emulated.user_id)
    assert box is not None
    qtbot.addWidget(box)
    text = box.text()
    assert "In plain words: This computer holds your choice; other devices can outvote it" in text
    assert "Interface: None: the server has no presence override (MSC4043)." in text
    assert "Busy: not offered by this server" in text


def test_a_server_without_disabled_says_so_in_the_menu_and_why_in_the_details(qtbot):
    from tray_app.ui.menu_content import build_menu
    from tray_app.ui.view_model import AppSnapshot

    s = st(api=ApiMode.MSC4532, busy_supported=True, disabled_unsupported="not part of MSC4532")
    item = build_menu(AppSnapshot((s,)), NOW, UTC).find("acct:@a:hs:state:disabled")
    assert item.text == "Disabled — this server doesn't offer it" and not item.enabled
    box = applet_for([s]).show_server_details(s.user_id)
    assert box is not None
    qtbot.addWidget(box)
    assert "Disabled: not offered by this server (MSC4042): not part of MSC4532" in box.text()
    # Where it is offered, the item says what it does.
    offered = build_menu(AppSnapshot((st(),)), NOW, UTC).find("acct:@a:hs:state:disabled")
    assert offered.text == "Disabled — share no presence at all" and offered.enabled


def test_the_windows_notice_of_a_change_elsewhere_goes_when_the_state_moves_on(qtbot):
    from tray_app.ui.icons import IconFactory
    from tray_app.ui.menu_content import build_menu
    from tray_app.ui.notifications import NotificationPolicy
    from tray_app.ui.view_model import AppSnapshot
    from tray_app.ui.window import FallbackWindow

    window = FallbackWindow(IconFactory(), lambda a: None, forced=True)
    qtbot.addWidget(window)
    away, online = st(), st(override=Override(PresenceState.ONLINE, "online"), presence="online")
    window.render(build_menu(AppSnapshot((away,)), NOW, UTC))
    n = NotificationPolicy().decide("@a:hs", SessionEvent.OVERRIDE_CHANGED_ELSEWHERE, "", online, clock=0.0)
    assert n is not None
    window.show_notification(n)
    assert window.notice.text() == "Presence changed elsewhere: @a:hs: now Online."
    # The render that shows the change it tells of, and later ones of the same state: it stays.
    for _ in range(3):
        window.render(build_menu(AppSnapshot((online,)), NOW, UTC))
        assert not window.notice.isHidden()
    # The state moved on (a click here, or elsewhere again): the notice no longer holds.
    window.render(build_menu(AppSnapshot((away,)), NOW, UTC))
    assert window.notice.isHidden()
