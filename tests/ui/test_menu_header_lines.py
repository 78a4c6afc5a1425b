"""The menu's header and info lines (the account, "Others see you as: …") read as headers: drawn
in the text colour, not greyed like an unavailable action, yet skipped by the keyboard and still
named for a screen reader. Real key presses (QTest) on the popped-up menu, offscreen."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu

from tests.ui.conftest import save_widget_png
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import PresenceState
from tray_app.ui.icons import IconFactory
from tray_app.ui.menu import MenuView, plain_text
from tray_app.ui.presenter import AppSnapshot, Kind, SetState, build_menu

pytestmark = pytest.mark.ui


def _menu(qtbot):
    # No override yet: "Status message…" is an action that is unavailable (greyed) for a reason.
    account = SessionState(
        user_id="@ada:example.org",
        homeserver="https://example.org",
        api=ApiMode.STABLE,
        connection=Connection.CONNECTED,
        override=None,
        presence="online",
    )
    model = build_menu(AppSnapshot((account,), autostart=False), datetime.now(UTC))
    menu = QMenu()
    clicked = []
    view = MenuView(menu, IconFactory(), clicked.append)
    view.render(model)
    menu.popup(QPoint(10, 10))
    qtbot.waitUntil(menu.isVisible)
    return menu, view, model, clicked


def _darkest(image, menu: QMenu, act: QAction) -> int:
    """The darkest grey level of the text in an item's row (0 black … 255 white)."""
    r = menu.actionGeometry(act)
    dpr = image.devicePixelRatio()
    # Left of the icon column's end to the row's end; the icon (coloured) is not text.
    return min(
        image.pixelColor(int(x * dpr), int(y * dpr)).lightness()
        for y in range(r.top() + 2, r.bottom() - 2)
        for x in range(r.left() + 30, r.right() - 4)
    )


def test_header_lines_are_drawn_as_text_not_greyed(qtbot):
    menu, view, model, _ = _menu(qtbot)
    image = menu.grab().toImage()
    save_widget_png(menu, "menu-header-lines")
    header = view.actions["acct:@ada:example.org:header"]
    seen_as = view.actions["acct:@ada:example.org:presence"]
    action = view.actions["acct:@ada:example.org:state:online"]
    unavailable = view.actions["acct:@ada:example.org:statusmsg"]
    assert not unavailable.isEnabled()  # the reference: an action that can't be used now
    text_level = _darkest(image, menu, action)
    grey_level = _darkest(image, menu, unavailable)
    assert grey_level > text_level + 40, (grey_level, text_level)
    for line in (header, seen_as):
        assert abs(_darkest(image, menu, line) - text_level) < 25, plain_text(line.text())
    # Still not things to pick, and read as they are.
    assert not header.isEnabled() and not seen_as.isEnabled()
    assert plain_text(seen_as.text()).startswith("Others see you as: ")
    menu.close()


def test_keyboard_skips_the_header_lines(qtbot):
    menu, view, model, clicked = _menu(qtbot)
    QTest.keyClick(menu, Qt.Key.Key_Down)
    first = menu.activeAction()
    assert first is not None
    item = model.find(first.objectName())
    # The first item the keyboard reaches is one a person can pick: the first state.
    assert item.kind is Kind.CHECK and item.enabled and first.objectName().endswith(":state:online"), first.objectName()
    QTest.keyClick(menu, Qt.Key.Key_Return)
    assert clicked == [SetState("@ada:example.org", PresenceState.ONLINE)]


def test_a_closed_menu_gives_its_window_back_and_opens_again(qtbot):
    """Under X11 a hidden menu's window holds an image of its whole size; closing releases it."""
    menu, view, model, clicked = _menu(qtbot)
    assert menu.windowHandle() is not None
    menu.close()
    qtbot.waitUntil(lambda: menu.windowHandle() is None)
    for _ in range(3):  # opens again, works, and closes to nothing again
        menu.popup(QPoint(10, 10))
        qtbot.waitUntil(menu.isVisible)
        assert menu.grab().width() > 50
        QTest.keyClick(menu, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: menu.windowHandle() is None)
    menu.popup(QPoint(10, 10))
    qtbot.waitUntil(menu.isVisible)
    QTest.keyClick(menu, Qt.Key.Key_Down)
    QTest.keyClick(menu, Qt.Key.Key_Return)
    assert clicked == [SetState("@ada:example.org", PresenceState.ONLINE)]
