"""Rendering calls Qt only for what changed: an idle applet's tick touches nothing but a running
countdown. Qt's setters are counted by wrapping them on the Qt classes themselves, so the count
does not depend on the views' own bookkeeping."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from tests.ui.render_stub import BASE, StubController, _override, _state, make_applet, states_at
from tray_app.states import PresenceState

pytestmark = pytest.mark.ui

TICK = timedelta(seconds=30)


@pytest.fixture
def qt_calls(monkeypatch):
    """Every call of a Qt method that changes a widget, an action, a menu or the tray icon."""
    from PySide6.QtGui import QAction, QActionGroup
    from PySide6.QtWidgets import (
        QAbstractButton,
        QButtonGroup,
        QComboBox,
        QLabel,
        QMenu,
        QSystemTrayIcon,
        QWidget,
    )

    calls: Counter = Counter()
    for cls in (
        QAction,
        QActionGroup,
        QMenu,
        QSystemTrayIcon,
        QWidget,
        QLabel,
        QAbstractButton,
        QComboBox,
        QButtonGroup,
    ):
        for name, attr in list(vars(cls).items()):
            if not callable(attr) or not (
                name.startswith("set") or name in ("clear", "addAction", "addMenu", "addSeparator", "show", "hide")
            ):
                continue

            def wrapper(self, *a, __orig=attr, __name=f"{cls.__name__}.{name}", **kw):
                calls[__name] += 1
                return __orig(self, *a, **kw)

            monkeypatch.setattr(cls, name, wrapper)
    return calls


def idle_accounts(with_timer: bool):
    a = _state("@alice:hs.example", override=_override(PresenceState.ONLINE), status_msg="lunch")
    b = _state("@bob:hs.example", override=_override(PresenceState.UNAVAILABLE))
    c = _state(
        "@carol:hs.example",
        override=_override(PresenceState.OFFLINE),
        override_until=BASE + timedelta(hours=2) if with_timer else None,
    )
    return (a, b, c)


@pytest.mark.parametrize("with_timer", [False, True])
def test_an_idle_applets_tick_calls_qt_only_for_a_running_countdown(aio, qt_calls, with_timer):
    controller = StubController(idle_accounts(with_timer), BASE)
    applet = make_applet(controller)
    try:
        applet.window.show()
        applet.render()
        applet.render()
        qt_calls.clear()
        ticks = 120  # an hour of 30 s ticks
        for n in range(1, ticks + 1):
            controller.now = BASE + n * TICK
            applet.render()  # what the tick timer calls
        if not with_timer:
            assert qt_calls == Counter()
        else:
            # The countdown line ("ends in 1 h 59 min (11:00)") changes once a minute at most: its
            # menu item, its window label and the tooltip; nothing else. (With several accounts
            # the tooltip sums them up without it and the menu says the end as a clock time: none.)
            assert set(qt_calls) <= {
                "QAction.setText",
                "QAction.setToolTip",
                "QLabel.setText",
                "QSystemTrayIcon.setToolTip",
                "QWidget.setToolTip",
            }, qt_calls
            assert sum(qt_calls.values()) <= 5 * (ticks // 2 + 1), qt_calls
    finally:
        aio.run(applet.shutdown())


def test_one_change_touches_only_what_differs(aio, qt_calls):
    controller = StubController(idle_accounts(False), BASE)
    applet = make_applet(controller)
    try:
        applet.render()
        qt_calls.clear()
        a, b, c = controller.accounts
        controller.accounts = (a, b, c.evolve(status_msg="in a meeting"))  # one account's message
        applet.render()
        # The new message line in menu and window (text, tooltip, visible; in the window also
        # selectable, now that it has text), "Clear message" shown in both, and the tray
        # tooltip; the three accounts' ~60 other items are not touched.
        assert 0 < sum(qt_calls.values()) <= 11, qt_calls
        assert "QMenu.clear" not in qt_calls
    finally:
        aio.run(applet.shutdown())


def test_renders_of_changing_states_do_reach_qt(aio, qt_calls):
    """The counter sees the calls (so the zero above means something)."""
    controller = StubController()
    applet = make_applet(controller)
    try:
        for step in range(10):
            controller.accounts, controller.now = states_at(step)
            applet.render()
        assert qt_calls["QAction.setChecked"] > 0 and qt_calls["QAction.setText"] > 0
        assert qt_calls["QSystemTrayIcon.setIcon"] > 0 and qt_calls["QAbstractButton.setChecked"] > 0
    finally:
        aio.run(applet.shutdown())


def test_start_on_login_is_read_once_not_per_render_and_again_on_toggle_and_menu_open(aio):
    from tray_app.ui.applet import Applet
    from tray_app.ui.controller import Controller

    class Autostart:
        """Counts reads of "Start on login" (the real one reads a file or the registry)."""

        def __init__(self) -> None:
            self.enabled = False
            self.reads = 0

        def is_enabled(self) -> bool:
            self.reads += 1
            return self.enabled

        def enable(self) -> None:
            self.enabled = True

        def disable(self) -> None:
            self.enabled = False

    class NoAccounts:
        def signed_in(self) -> list[str]:
            return []

    autostart = Autostart()
    applet = Applet(Controller(NoAccounts(), autostart=autostart), use_tray=True)
    try:
        for _ in range(50):
            applet.render()
        assert autostart.reads == 1
        assert applet.model.find("autostart").checked is False
        applet.menu_view.trigger("autostart")  # the user's toggle: written, then read back
        assert applet.model.find("autostart").checked is True
        reads = autostart.reads
        autostart.enabled = False  # changed outside the applet (another tool, the CLI)
        applet.render()
        assert autostart.reads == reads and applet.model.find("autostart").checked is True
        applet.menu.aboutToShow.emit()  # opening the menu reads it again
        assert autostart.reads == reads + 1 and applet.model.find("autostart").checked is False
    finally:
        aio.run(applet.shutdown())


def test_a_click_in_the_window_puts_back_only_the_marks_it_moved(aio, qt_calls):
    # One account: its states are radio buttons in the window (several: in each row's menu).
    controller = StubController(idle_accounts(False)[1:2], BASE)
    applet = make_applet(controller)
    clicked = []
    applet.window.on_action = clicked.append
    try:
        applet.render()
        qt_calls.clear()
        # Away for bob (Away already): nothing moves. Online for bob: Qt moves two marks.
        applet.window.widgets["acct:@bob:hs.example:state:unavailable"].click()
        assert qt_calls["QAbstractButton.setChecked"] == 0, qt_calls
        applet.window.widgets["acct:@bob:hs.example:state:online"].click()
        # Put back (until the server confirms): Online off, Away on; none of the other marks.
        assert qt_calls["QAbstractButton.setChecked"] == 2, qt_calls
        assert applet.window.widgets["acct:@bob:hs.example:state:unavailable"].isChecked()
        assert not applet.window.widgets["acct:@bob:hs.example:state:online"].isChecked()
        assert len(clicked) == 2
    finally:
        aio.run(applet.shutdown())
