"""The no-tray window's layout, offscreen, no server: every button inside the window at its full
size at the window's narrowest (400 px, or wider when a row needs it), and the headline's
"Others see you as" line not repeated below it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QAbstractButton, QFrame, QLabel

from tests.ui.conftest import save_widget_png
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.icons import IconFactory
from tray_app.ui.presenter import AppSnapshot, build_menu
from tray_app.ui.window import WINDOW_WIDTH, FallbackWindow

pytestmark = pytest.mark.ui

ADA = SessionState(
    user_id="@ada:example.org",
    homeserver="https://example.org",
    api=ApiMode.STABLE,
    connection=Connection.CONNECTED,
    override=Override(PresenceState.UNAVAILABLE, "unavailable"),
    presence="unavailable",
)
SCENES = {
    "one account": (ADA,),
    # "Remove from this computer…" shows: the widest row of quiet buttons.
    "unreachable server": (dataclasses.replace(ADA, connection=Connection.DISCONNECTED),),
    "two accounts": (ADA, dataclasses.replace(ADA, user_id="@bob:example.org", override=None, presence="online")),
    "signed out": (dataclasses.replace(ADA, connection=Connection.SIGNED_OUT, last_error="token rejected"),),
    "no account": (),
}


@pytest.mark.parametrize("scene", list(SCENES))
def test_buttons_lie_inside_the_window_at_full_size(scene, qtbot):
    window = _shown_window(SCENES[scene], qtbot)
    window.resize(WINDOW_WIDTH, window.height())  # as narrow as a person could drag it
    qtbot.wait(20)
    assert window.width() >= WINDOW_WIDTH
    save_widget_png(window, "window-" + scene.replace(" ", "-"))
    buttons = [b for b in window.findChildren(QAbstractButton) if b.isVisibleTo(window)]
    assert buttons
    inside = window.rect()
    for b in buttons:
        box = b.rect().translated(b.mapTo(window, b.rect().topLeft()))
        assert inside.contains(box), (b.objectName(), box, inside)
        hint = b.sizeHint()
        assert b.width() >= hint.width() and b.height() >= hint.height(), (b.objectName(), b.size(), hint)


@pytest.mark.parametrize("scene", list(SCENES))
def test_no_two_lines_in_a_row(scene, qtbot):
    """Items that stood between two separators may go to the quiet row ("Refresh" with one
    account): the window then drew two lines one under the other (the gallery showed it)."""
    window = _shown_window(SCENES[scene], qtbot)
    for layout in (window.top_layout, window.body_layout, window.bottom_layout):
        shown = [layout.itemAt(i).widget() for i in range(layout.count())]
        lines = [isinstance(w, QFrame) and w.frameShape() == QFrame.Shape.HLine for w in shown if w is not None]
        assert not any(a and b for a, b in zip(lines, lines[1:], strict=False)), (scene, lines)


@pytest.mark.parametrize("scene", ["one account"])
def test_the_headline_is_not_repeated(scene, qtbot):
    accounts = SCENES[scene]
    model = build_menu(AppSnapshot(accounts, autostart=False), datetime.now(UTC))
    window = FallbackWindow(IconFactory(), lambda a: None)
    qtbot.addWidget(window)
    window.render(model)
    window.show()
    texts = [label.text() for label in window.findChildren(QLabel) if label.isVisibleTo(window) and label.text()]
    assert window.findChild(QLabel, "state-seen").text() == "Others see you as: Away"
    seen = [t for t in texts if t.startswith("Others see you as")]
    assert seen == ["Others see you as: Away"], texts
    # Several accounts: the headline sums them up (test_many_accounts.py), each says it in its menu.


def _accounts(n: int) -> tuple[SessionState, ...]:
    return tuple(dataclasses.replace(ADA, user_id=f"@user{i}:example.org") for i in range(n))


def _shown_window(accounts, qtbot) -> FallbackWindow:
    model = build_menu(AppSnapshot(accounts, autostart=False), datetime.now(UTC))
    window = FallbackWindow(IconFactory(), lambda a: None)
    qtbot.addWidget(window)
    window.render(model)
    window.show()
    qtbot.wait(50)  # the height is fitted on the next loop turn
    return window


def test_many_accounts_scroll_within_the_screen(qtbot):
    """20 accounts made the window ~4,900 px tall, far below the screen's edge: now it stops at
    the screen's free height and the accounts' lines scroll."""
    window = _shown_window(_accounts(20), qtbot)
    free = window.screen().availableGeometry()
    save_widget_png(window, "window-20-accounts")
    assert window.frameGeometry().height() <= free.height(), (window.frameGeometry(), free)
    listing = window.account_list
    assert listing.verticalScrollBar().isVisible()
    assert window.body.height() > listing.viewport().height()  # the rows are all there
    # The last account's row is reachable by scrolling; Quit is outside the list, always in view.
    last_row = window.widgets["acct:@user19:example.org:change"]
    listing.ensureWidgetVisible(last_row)
    assert (
        listing.viewport()
        .rect()
        .contains(last_row.rect().translated(last_row.mapTo(listing.viewport(), last_row.rect().topLeft())))
    )
    quit_button = window.widgets["quit"]
    assert not listing.isAncestorOf(quit_button) and quit_button.isVisibleTo(window)


def test_one_account_does_not_scroll(qtbot):
    window = _shown_window(_accounts(1), qtbot)
    listing = window.account_list
    assert not listing.verticalScrollBar().isVisible()
    assert window.body.height() == listing.viewport().height()  # as tall as its lines, no more
    assert window.height() <= window.layout().totalHeightForWidth(window.width()) + 2


def test_tab_reaches_every_account_and_scrolls_it_into_view(qtbot):
    """Keyboard use in a scrolled window: Tab walks from control to control through all 20
    accounts (the scroll area itself is no stop), and each control it lands on is scrolled into
    view."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    accounts = _accounts(20)
    window = _shown_window(accounts, qtbot)
    listing = window.account_list
    first = window.widgets[f"acct:{accounts[0].user_id}:change"]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    visited: list[str] = []
    for _ in range(400):
        QTest.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        w = window.focusWidget()
        assert w is not listing
        if w is first:
            break
        visited.append(w.objectName())
        if window.body.isAncestorOf(w):
            box = w.rect().translated(w.mapTo(listing.viewport(), w.rect().topLeft()))
            assert listing.viewport().rect().contains(box), (w.objectName(), box, listing.viewport().rect())
    for a in accounts[1:]:
        # Each account's row: its button opens the account's states and actions.
        assert f"acct:{a.user_id}:change" in visited, (a.user_id, visited)
    assert "quit" in visited
