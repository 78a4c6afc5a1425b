"""The no-tray window by keyboard, offscreen, no server: arrows move through an account's states
without sending anything, Space and Return commit the focused one, Tab enters the states at
the checked one and visits every button beside them, and the focused control wears a ring
(the flat buttons showed no focus). tests/desktop/test_window_keys.py does the same with real
key presses on X."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from tests.ui.conftest import save_widget_png
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.icons import IconFactory
from tray_app.ui.presenter import AppSnapshot, SetState, build_menu
from tray_app.ui.window import FallbackWindow

pytestmark = pytest.mark.ui

U = "@ada:example.org"
ADA = SessionState(U, "https://example.org", api=ApiMode.STABLE, connection=Connection.CONNECTED, busy_supported=True)


def _window(qtbot, sent: list, account: SessionState = ADA) -> FallbackWindow:
    window = FallbackWindow(IconFactory(), sent.append, forced=True)
    qtbot.addWidget(window)
    window.render(build_menu(AppSnapshot((account,), autostart=False), datetime.now(UTC)))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _press(key: Qt.Key) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    QTest.keyClick(focused, key)


def _focus() -> str:
    w = QApplication.focusWidget()
    return w.objectName() if w is not None else ""


def test_arrows_move_without_sending_and_space_or_return_commits(qtbot):
    sent: list = []
    online = ADA.evolve(override=Override(PresenceState.ONLINE, "online"), presence="online")
    window = _window(qtbot, sent, online)
    window.widgets[f"acct:{U}:state:online"].setFocus()
    qtbot.waitUntil(lambda: _focus() == f"acct:{U}:state:online")
    for _ in range(2):
        _press(Qt.Key.Key_Down)
    assert _focus() == f"acct:{U}:state:busy"
    assert sent == []  # Qt's own radio buttons sent Away (issue 19: Down, Down sent Busy then Offline)
    # The check mark still says what the server holds.
    assert window.widgets[f"acct:{U}:state:online"].isChecked()
    assert not window.widgets[f"acct:{U}:state:busy"].isChecked()
    _press(Qt.Key.Key_Space)
    assert sent == [SetState(U, PresenceState.BUSY)]
    _press(Qt.Key.Key_Up)
    assert _focus() == f"acct:{U}:state:unavailable" and len(sent) == 1
    _press(Qt.Key.Key_Return)
    assert sent[-1] == SetState(U, PresenceState.UNAVAILABLE)
    # Round the ends: Up from the first state is the last.
    window.widgets[f"acct:{U}:state:online"].setFocus()
    qtbot.waitUntil(lambda: _focus() == f"acct:{U}:state:online")
    _press(Qt.Key.Key_Up)
    assert _focus() == f"acct:{U}:state:none" and len(sent) == 2


def test_tab_enters_the_states_at_the_checked_one_and_reaches_every_button(qtbot):
    sent: list = []
    window = _window(qtbot, sent)
    window.widgets["quit"].setFocus()
    qtbot.waitUntil(lambda: _focus() == "quit")
    visited = []
    for _ in range(14):
        _press(Qt.Key.Key_Tab)
        visited.append(_focus())
    assert visited[0] == f"acct:{U}:state:none"  # the checked state, not the first
    states = [f"acct:{U}:state:{s}" for s in ("online", "unavailable", "busy", "offline", "disabled")]
    # Every "For…" button, in order, right after the states; nothing skipped.
    assert visited[1:6] == [s + ":for" for s in states], visited
    assert {f"acct:{U}:signout", "autostart", "refresh", "signin", "quit"} <= set(visited)
    assert sent == []


def _ring_pixels(widget: QWidget) -> int:
    colour = widget.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    img = widget.grab().toImage()
    near = 0
    for x in range(img.width()):
        for y in (0, 1, img.height() - 2, img.height() - 1):
            c = QColor(img.pixelColor(QPoint(x, y)))
            if abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue()) < 90:
                near += 1
    return near


def test_the_focused_control_shows_a_ring_flat_buttons_too(qtbot):
    window = _window(qtbot, [])
    for key in ("quit", f"acct:{U}:signout", f"acct:{U}:state:none", "autostart"):
        w = window.widgets[key]
        assert _ring_pixels(w) < w.width() // 2, key  # not focused: no ring
        w.setFocus()
        qtbot.waitUntil(lambda w=w: QApplication.focusWidget() is w)
        assert window.focus_ring.ringed is w
        assert _ring_pixels(w) > w.width(), key  # top and bottom edges in the highlight colour
        save_widget_png(window, "window-focus-" + key.rsplit(":", 1)[-1])
    assert isinstance(window.widgets["quit"], QPushButton) and window.widgets["quit"].isFlat()


def test_the_menus_access_keys_work_in_the_window(qtbot):
    sent: list = []
    window = _window(qtbot, sent)
    assert window.widgets[f"acct:{U}:state:busy"].text() == "&Busy"
    assert window.widgets["quit"].text() == "&Quit"
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: sent == [SetState(U, PresenceState.BUSY)])  # Qt's animated click
    # Two accounts: their states are in each row's "Change…" menu (keyed there, see
    # test_access_keys); the app's items keep theirs.
    bob = ADA.evolve(user_id="@bob:example.org")
    window.render(build_menu(AppSnapshot((ADA, bob), autostart=False), datetime.now(UTC)))
    assert f"acct:{U}:state:busy" not in window.widgets
    assert window.widgets["quit"].text() == "&Quit"
