"""Many accounts (issue 19): with ten accounts the tray menu is one column of one line per
account, each account's items under its own line; "Set all accounts" first; the tooltip a few
lines; the window's account rows scroll while its global actions stay in view; its notices go
once no longer true. And the icon: what others see, with a mark for "automatic". No server:
the snapshots are made up (as in test_presenter.py)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from tests.ui.conftest import OUTPUT_DIR, save_widget_png
from tray_app.session_state import ApiMode, Connection, SessionEvent, SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.icons import IconFactory
from tray_app.ui.menu import MenuView
from tray_app.ui.presenter import AppSnapshot, IconSpec, Kind, MenuModel, build_menu, icon_spec, tooltip
from tray_app.ui.view_model import Notification, Placement
from tray_app.ui.window import FallbackWindow

pytestmark = pytest.mark.ui

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
# The desktop the issue measured on: 1280×800, a panel of up to 40 px.
SCREEN_HEIGHT = 800
PANEL = 40
STATES = (PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.BUSY, None)


def account(i: int, **kw) -> SessionState:
    state = STATES[i % len(STATES)]
    base = dict(
        user_id=f"@user{i}:example.org",
        homeserver="https://example.org",
        api=ApiMode.MSC4532,
        connection=Connection.CONNECTED,
        busy_supported=True,
        status_msg_supported=True,
        override=Override(state, state.value) if state else None,
        presence=state.value if state else "unavailable",
    )
    base.update(kw)
    return SessionState(**base)


TEN = tuple(account(i) for i in range(10))


def ten_account_menu() -> tuple[MenuModel, QMenu, MenuView]:
    model = build_menu(AppSnapshot(TEN, autostart=False), NOW, UTC)
    menu = QMenu()
    view = MenuView(menu, IconFactory(), lambda a: None)
    view.render(model)
    menu.ensurePolished()
    menu.adjustSize()
    return model, menu, view


def actions_under(menu: QMenu) -> set[QAction]:
    found: set[QAction] = set()
    for act in menu.actions():
        found.add(act)
        if act.menu() is not None:
            found |= actions_under(act.menu())
    return found


def test_ten_accounts_menu_is_one_short_column_with_set_all_first(qtbot):
    model, menu, view = ten_account_menu()
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    assert menu.grab().save(str(OUTPUT_DIR / "menu-10-accounts.png"))
    assert model.items[0].key == "all" and model.items[0].text == "Set all accounts"
    # One line per account, in sign-in order, with its state and its icon.
    lines = [i for i in model.items if i.placement is Placement.ACCOUNT]
    assert [i.account for i in lines] == [s.user_id for s in TEN]
    assert lines[2].text == "@user2:example.org — Busy"
    assert lines[3].text == "@user3:example.org — Away (automatic)"
    assert lines[3].icon == "away+automatic"
    # Fits a 1280×800 screen with its panel, and Qt draws it as one column: QMenu starts a new
    # column where the next item would pass the screen's bottom, so every visible top-level
    # item must sit at the same x, and the menu's height must fit.
    assert menu.sizeHint().height() <= SCREEN_HEIGHT - PANEL, menu.sizeHint()
    shown = [a for a in menu.actions() if a.isVisible()]
    assert len({menu.actionGeometry(a).x() for a in shown}) == 1
    assert len(shown) <= 20


def test_every_account_item_is_reachable_under_its_own_account(qtbot):
    model, menu, view = ten_account_menu()
    top = set(menu.actions())
    for s in TEN:
        own = [i for i in model.walk() if i.account == s.user_id and i.kind is not Kind.SEPARATOR]
        assert len(own) > 10
        line = model.find(f"acct:{s.user_id}")
        under = {i.key for i in MenuModel(line.children).walk()}
        submenu = view.submenus[f"acct:{s.user_id}"]
        reachable = actions_under(submenu)
        for item in own:
            if item is line:
                continue
            assert item.key in under, item.key  # in the model, under its account's line
            act = view.actions[item.key]
            assert act in reachable and act not in top, item.key  # and so in the drawn menu
        # Its states carry their icons beside them.
        assert model.find(f"acct:{s.user_id}:state:busy").icon == "busy"
        assert not view.actions[f"acct:{s.user_id}:state:busy"].icon().isNull()


def test_one_account_keeps_its_section_inline():
    model = build_menu(AppSnapshot(TEN[:1]), NOW, UTC)
    assert model.items[0].key == "acct:@user0:example.org:header"
    assert not any(i.placement is Placement.ACCOUNT for i in model.items)
    assert model.find("acct:@user0:example.org:state:unavailable").icon == "away"


def test_the_tooltip_stays_short_with_many_accounts():
    tip = tooltip(TEN, NOW, UTC)
    lines = tip.splitlines()
    assert len(lines) <= 5, tip  # the title and at most four
    assert lines[1] == "10 accounts: 3 Online, 5 Away, 2 Busy"
    troubled = (
        *TEN[:7],
        dataclasses.replace(TEN[7], connection=Connection.SIGNED_OUT),
        dataclasses.replace(TEN[8], connection=Connection.DISCONNECTED),
        dataclasses.replace(TEN[9], connection=Connection.DISCONNECTED),
    )
    lines = tooltip(troubled, NOW, UTC, "Automatic: Away (idle 7 min)").splitlines()
    assert len(lines) <= 5, lines
    assert "Sign in again: @user7:example.org" in lines
    assert "Can't reach the server: @user8:example.org, @user9:example.org" in lines


def test_icon_is_what_others_see_with_a_mark_for_automatic():
    auto_away = account(3)  # no override; the desktop made this device away
    assert auto_away.override is None and auto_away.presence == "unavailable"
    assert icon_spec([auto_away]) == IconSpec("away", "automatic")
    assert icon_spec([account(2)]) == IconSpec("busy")  # set by you: no mark
    # Trouble marks still win over "automatic".
    assert icon_spec([dataclasses.replace(auto_away, connection=Connection.DISCONNECTED)]).mark == "disconnected"
    # Nothing known yet: the "no override" disc, as before.
    assert icon_spec([dataclasses.replace(auto_away, presence=None)]) == IconSpec("none")


def _window(accounts, qtbot) -> FallbackWindow:
    window = FallbackWindow(IconFactory(), lambda a: None)
    qtbot.addWidget(window)
    window.render(build_menu(AppSnapshot(accounts, autostart=False), NOW, UTC))
    window.show()
    qtbot.wait(50)  # the height is fitted on the next loop turn
    return window


def test_window_with_ten_accounts_keeps_its_global_actions_in_view(qtbot):
    window = _window(TEN, qtbot)
    save_widget_png(window, "window-10-accounts")
    assert window.frameGeometry().height() <= min(SCREEN_HEIGHT, window.screen().availableGeometry().height())
    listing = window.account_list
    for key in ("quit", "signin", "all"):
        w = window.widgets[key]
        assert not listing.isAncestorOf(w), key  # not inside the scrolling list
        assert w.isVisibleTo(window), key
        box = w.rect().translated(w.mapTo(window, w.rect().topLeft()))
        assert window.rect().contains(box), (key, box, window.rect())
    # One compact row per account, inside the list; its button holds the account's items.
    for s in TEN:
        row = window.account_rows[f"acct:{s.user_id}"]
        assert listing.isAncestorOf(row)
        assert f"acct:{s.user_id}:state:online" in row.menu_view.actions
    # The headline sums up all of them, not the first.
    assert window.state_text.text() == "10 accounts: 3 Online, 5 Away, 2 Busy"


def test_window_notice_goes_once_no_longer_true(qtbot):
    window = _window(TEN[:2], qtbot)
    u = TEN[0].user_id
    window.show_notification(
        Notification(
            "Presence changed elsewhere", f"{u}: now Online.", event=SessionEvent.OVERRIDE_CHANGED_ELSEWHERE, user_id=u
        )
    )
    window.render(build_menu(AppSnapshot(TEN[:2]), NOW, UTC))  # the state it tells of
    assert window.notice.isVisibleTo(window)
    window.render(build_menu(AppSnapshot(TEN[:2]), NOW, UTC))  # nothing moved: it stays
    assert window.notice.isVisibleTo(window)
    busy = dataclasses.replace(TEN[0], override=Override(PresenceState.BUSY, "busy"), presence="busy")
    window.render(build_menu(AppSnapshot((busy, TEN[1])), NOW, UTC))
    assert not window.notice.isVisibleTo(window)  # "now Online" is no longer true


def test_an_account_line_says_when_its_timed_state_ends():
    from datetime import timedelta

    timed = dataclasses.replace(TEN[2], override_until=NOW + timedelta(hours=3))
    model = build_menu(AppSnapshot((TEN[0], timed)), NOW, UTC)
    assert model.find(f"acct:{timed.user_id}").text == "@user2:example.org — Busy until 15:00"
    # Its submenu's checked state says it as the one-account menu does.
    assert model.find(f"acct:{timed.user_id}:state:busy").text == "Busy — until 15:00"


def test_the_window_clicks_an_accounts_item_in_its_row(qtbot):
    """The control channel (soak, bench) clicks by key: with several accounts an account's state
    is in its row's menu, not a button of its own."""
    from tray_app.ui.view_model import SetState

    clicked = []
    window = FallbackWindow(IconFactory(), clicked.append)
    qtbot.addWidget(window)
    window.render(build_menu(AppSnapshot(TEN[:3]), NOW, UTC))
    window.click("acct:@user1:example.org:state:busy")
    window.click("quit")
    assert clicked[0] == SetState("@user1:example.org", PresenceState.BUSY)
    assert len(clicked) == 2
    with pytest.raises(ValueError):
        window.click("acct:@nobody:example.org:state:busy")
