"""The no-tray window as a screen reader gets it, offscreen, no server (QAccessible, the layer
AT-SPI reads; tests/desktop/test_accessibility_atspi.py reads the real AT-SPI tree): the window
is a window, labels are named by their current text, each account's states are a group named
by the account, and the automatic-presence settings show their current choices."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from tray_app.idle.policy import AutoPresence, AutoReason, IdlePolicy
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import PresenceState
from tray_app.ui.icons import IconFactory
from tray_app.ui.presenter import AppSnapshot, build_menu
from tray_app.ui.view_model import IdleMenuState, SetIdlePolicy
from tray_app.ui.window import FallbackWindow

pytestmark = pytest.mark.ui

ADA = SessionState(
    "@ada:example.org", "https://example.org", api=ApiMode.STABLE, connection=Connection.CONNECTED, presence="online"
)
BOB = SessionState(
    "@bob:example.org", "https://example.org", api=ApiMode.STABLE, connection=Connection.CONNECTED, presence="online"
)


def _idle(policy: IdlePolicy) -> IdleMenuState:
    return IdleMenuState(True, AutoPresence(PresenceState.ONLINE, AutoReason.ACTIVE), policy)


def _window(qtbot, sent: list, snap: AppSnapshot) -> FallbackWindow:
    window = FallbackWindow(IconFactory(), sent.append, forced=True)
    qtbot.addWidget(window)
    window.render(build_menu(snap, datetime.now(UTC)))
    window.show()
    qtbot.waitExposed(window)
    return window


def _name(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None
    return iface.text(QAccessible.Text.Name)


def test_the_window_is_a_window_named_presence_tray(qtbot):
    window = _window(qtbot, [], AppSnapshot((ADA,), autostart=False))
    iface = QAccessible.queryAccessibleInterface(window)
    assert iface.role() == QAccessible.Role.Window  # was Client: AT-SPI's nameless "filler"
    assert _name(window) == "Presence Tray"
    assert iface.text(QAccessible.Text.Description) == ""


def test_labels_are_named_by_their_current_text(qtbot):
    first = ADA.evolve(status_msg="Lunch")
    window = _window(qtbot, [], AppSnapshot((first,), autostart=False))
    line = window.widgets[f"acct:{ADA.user_id}:msg"]
    assert isinstance(line, QLabel) and _name(line) == line.text() == "Status message: “Lunch”"
    window.render(build_menu(AppSnapshot((ADA.evolve(status_msg="Back at 3"),), autostart=False), datetime.now(UTC)))
    assert line.text() == "Status message: “Back at 3”"
    assert _name(line) == "Status message: “Back at 3”"  # kept its first text before
    headline = next(w for w in window.findChildren(QLabel) if w.text().startswith("Others see you as: "))
    window.render(build_menu(AppSnapshot((ADA.evolve(presence="unavailable"),), autostart=False), datetime.now(UTC)))
    assert headline.text() == "Others see you as: Away" == _name(headline)


def test_an_accounts_row_is_named_by_its_current_line(qtbot):
    """Several accounts: one row each, named as it reads ("@bob:example.org — Away")."""
    window = _window(qtbot, [], AppSnapshot((ADA, BOB), autostart=False))
    row = window.account_rows[f"acct:{BOB.user_id}"]
    window.render(
        build_menu(AppSnapshot((ADA, BOB.evolve(presence="unavailable")), autostart=False), datetime.now(UTC))
    )
    assert row.text.text().startswith(BOB.user_id + " — ")
    assert _name(row) == row.text.text()
    assert BOB.user_id in _name(window.widgets[f"acct:{BOB.user_id}:change"])


def test_each_accounts_states_are_a_group_named_by_the_account(qtbot):
    window = _window(qtbot, [], AppSnapshot((ADA,), autostart=False))
    for user in (ADA.user_id,):
        radio = window.widgets[f"acct:{user}:state:unavailable"]
        groups = []
        parent = radio.parentWidget()
        while parent is not None and parent is not window:
            iface = QAccessible.queryAccessibleInterface(parent)
            if iface.role() == QAccessible.Role.Grouping:
                groups.append(_name(parent))
            parent = parent.parentWidget()
        assert groups == [user], (user, groups)


def test_automatic_presence_shows_its_current_choices(qtbot):
    sent: list = []
    policy = IdlePolicy(away_after_minutes=10, when_locked=PresenceState.UNAVAILABLE)
    window = _window(qtbot, sent, AppSnapshot((ADA,), autostart=False, idle=_idle(policy)))
    after = window.findChild(QComboBox, "idle:idle:after:combo")
    locked = window.findChild(QComboBox, "idle:idle:locked:combo")
    enabled = window.widgets["idle:enabled"]
    assert isinstance(enabled, QCheckBox) and enabled.isChecked()
    assert after.currentText() == "Set me away after 10 min idle"
    assert locked.currentText() == "While the screen is locked: Away"
    assert after.accessibleName() == "Automatic presence"
    # A choice in the combo box sends the whole new policy; the next render shows it.
    after.activated.emit(after.findText("Set me away after 2 min idle"))
    assert sent == [SetIdlePolicy(IdlePolicy(away_after_minutes=2.0, when_locked=PresenceState.UNAVAILABLE))]
    turned = IdlePolicy(away_after_minutes=2, when_locked=None, enabled=False)
    window.render(build_menu(AppSnapshot((ADA,), autostart=False, idle=_idle(turned)), datetime.now(UTC)))
    assert after.currentText() == "Set me away after 2 min idle"
    assert locked.currentText() == "While the screen is locked: No change"
    assert not enabled.isChecked() and not after.isEnabled()
    enabled.click()
    assert sent[-1] == SetIdlePolicy(IdlePolicy(away_after_minutes=2, when_locked=None, enabled=True))
