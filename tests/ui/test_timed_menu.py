"""Timed states chosen with the state (issue 19): the menu model (Qt-free) offers each state's
durations where it is chosen, the checked state says when it ends, and while a timed state runs
the menu says what follows and offers "End now" and "Extend"; the controller does what those say
(against a fake session: no server); the tray menu lets the state itself be clicked."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest

from tray_app.durations import Duration, next_morning
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.menu_content import build_menu
from tray_app.ui.view_model import AppSnapshot, EndNow, Extend, Kind, MenuModel, SetState

pytestmark = pytest.mark.ui

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
U = "@a:hs"
AWAY = PresenceState.UNAVAILABLE
DURATIONS = ["Until I change it", "30 minutes", "1 hour", "4 hours", "Until tomorrow morning"]


def st(user: str = U, **kw) -> SessionState:
    base = dict(
        user_id=user,
        homeserver="https://hs",
        api=ApiMode.STABLE,
        connection=Connection.CONNECTED,
        status_msg_supported=True,
        override=Override(AWAY, AWAY.value),
        presence="unavailable",
    )
    base.update(kw)
    return SessionState(**base)


def timed(minutes: int = 30, after: PresenceState | None = PresenceState.ONLINE, **kw) -> SessionState:
    return st(override_until=NOW + timedelta(minutes=minutes), override_after=after, **kw)


def menu(*accounts: SessionState, tz=UTC) -> MenuModel:
    return build_menu(AppSnapshot(accounts), NOW, tz)


def shown(model: MenuModel, key: str) -> str | None:
    item = model.find(key)
    return item.text if item.visible else None


# -- the model ------------------------------------------------------------------------------------


def test_each_state_offers_its_durations_where_it_is_chosen():
    s = st(busy_supported=True)
    m = menu(s)
    for state in (PresenceState.ONLINE, AWAY, PresenceState.BUSY, PresenceState.OFFLINE, PresenceState.DISABLED):
        item = m.find(f"acct:{U}:state:{state.value}")
        assert item.kind is Kind.CHECK and item.action == SetState(U, state)  # a plain click: until changed
        assert [c.text for c in item.children] == DURATIONS
        assert [c.action for c in item.children] == [SetState(U, state, d) for d in Duration]
        assert item.children_label == "For…"
    assert m.find(f"acct:{U}:state:none").children == ()  # clearing has nothing to end
    # No separate step before the state any more.
    assert not any(i.key == "dur" or i.key.startswith("dur:") for i in m.walk())


def test_set_all_accounts_offers_the_same_durations():
    m = menu(st(), st("@b:hs"))
    away = m.find("all:state:unavailable")
    assert [c.action for c in away.children] == [SetState(None, AWAY, d) for d in Duration]


def test_the_checked_state_says_when_it_ends_in_local_time():
    berlin = timezone(timedelta(hours=2))
    assert shown(menu(timed(30), tz=berlin), f"acct:{U}:state:unavailable") == "Away — until 14:30"
    assert menu(timed(30), tz=berlin).headline.state == "Away — until 14:30"  # the window's top line
    tomorrow = st(override_until=NOW + timedelta(hours=19), override_after=None)  # 07:00 UTC = 09:00 Berlin
    assert shown(menu(tomorrow, tz=berlin), f"acct:{U}:state:unavailable") == "Away — until tomorrow 09:00"
    # Untimed, unchecked, unconfirmed, or a change in flight: no end shown.
    assert shown(menu(st()), f"acct:{U}:state:unavailable") == "Away"
    assert shown(menu(timed(30)), f"acct:{U}:state:online") == "Online"
    last_known = timed(30, unconfirmed=True, connection=Connection.CONNECTING)
    assert shown(menu(last_known), f"acct:{U}:state:unavailable") == "Away"


def test_what_follows_end_now_and_extend_show_only_while_a_timed_state_runs():
    keys = [f"acct:{U}:then", f"acct:{U}:endnow", f"acct:{U}:extend"]
    running = menu(timed(30, PresenceState.ONLINE))
    assert [shown(running, k) for k in keys] == ["Then: back to Online", "End now", "Extend"]
    assert running.find(f"acct:{U}:endnow").action == EndNow(U)
    assert shown(menu(timed(30, None)), f"acct:{U}:then") == "Then: no override"
    for not_running in (st(), st(override=None), timed(30, unconfirmed=True, connection=Connection.CONNECTING)):
        assert [shown(menu(not_running), k) for k in keys] == [None, None, None], not_running
    # Hidden, not removed: an open menu is updated in place when a timer starts or ends.
    assert menu(st()).shape() == running.shape()


def test_extend_offers_more_time_tomorrow_morning_only_when_later_and_until_changed():
    ext = menu(timed(30)).find(f"acct:{U}:extend")
    assert [(c.text, c.visible) for c in ext.children] == [
        ("30 more minutes", True),
        ("1 more hour", True),
        ("4 more hours", True),
        ("Until tomorrow morning", True),
        ("Until I change it", True),
    ]
    assert [c.action for c in ext.children] == [
        Extend(U, d)
        for d in (
            Duration.MINUTES_30,
            Duration.HOUR_1,
            Duration.HOURS_4,
            Duration.TOMORROW_MORNING,
            Duration.UNTIL_CHANGED,
        )
    ]
    # Ending after tomorrow morning already: moving the end to tomorrow morning would shorten it.
    late = menu(timed(60 * 30)).find(f"acct:{U}:extend")
    assert [c.visible for c in late.children] == [True, True, True, False, True]


# -- the controller, against a fake session ---------------------------------------------------


class FakeSession:
    """What the controller needs of a Session; records the calls. Its set_override confirms at
    once; its end_timed_now does what the session's does (back to `override_after`)."""

    def __init__(self, state: SessionState) -> None:
        self.state = state
        self.calls: list[tuple] = []

    def subscribe(self, cb):
        return lambda: None

    def subscribe_events(self, cb):
        return lambda: None

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def set_override(self, state, status_msg=None, until=None) -> SessionState:
        self.calls.append(("set", state, status_msg, until))
        held = self.state.override.state if self.state.override is not None else None
        after = self.state.override_after if self.state.override_until is not None else held
        self.state = self.state.evolve(
            override=Override(state, state.value) if state else None,
            status_msg=status_msg,
            override_until=until,
            override_after=after if until is not None else None,
        )
        return self.state

    async def end_timed_now(self) -> None:
        self.calls.append(("end",))
        await self.set_override(self.state.override_after)

    async def refresh(self) -> SessionState:
        return self.state

    async def forget(self) -> None:
        pass

    def presence_moved(self, state) -> bool:
        return False


class NoAccounts:
    def signed_in(self) -> list[str]:
        return []


def controller_with(session: FakeSession):
    from tray_app.ui.controller import Controller

    c = Controller(NoAccounts(), clock=lambda: NOW, tz=UTC)
    c._attach(session)
    return c


async def _idle(c) -> None:
    await c.wait_idle()
    await asyncio.sleep(0)


def test_a_state_with_a_duration_is_set_in_one_step(aio):
    session = FakeSession(st(override=None, status_msg=None))
    c = controller_with(session)
    c.set_state(U, AWAY, Duration.HOUR_1)
    aio.run(_idle(c))
    assert session.calls == [("set", AWAY, None, NOW + timedelta(hours=1))]
    c.set_state(U, PresenceState.OFFLINE)  # a plain click: until changed
    aio.run(_idle(c))
    assert session.calls[-1] == ("set", PresenceState.OFFLINE, None, None)


def test_end_now_ends_the_timed_state_the_way_its_end_would(aio):
    session = FakeSession(timed(30, PresenceState.ONLINE, status_msg="lunch"))
    c = controller_with(session)
    aio.wait_task(c.end_now(U))
    assert session.calls == [("end",), ("set", PresenceState.ONLINE, None, None)]
    assert session.state.override.state is PresenceState.ONLINE and session.state.override_until is None
    # Nothing timed: End now does nothing.
    assert c.end_now(U) is None
    assert len(session.calls) == 2


def test_extend_keeps_the_state_and_its_message_and_moves_the_end(aio):
    session = FakeSession(timed(30, PresenceState.ONLINE, status_msg="lunch"))
    end = NOW + timedelta(minutes=30)
    c = controller_with(session)
    aio.wait_task(c.extend(U, Duration.HOUR_1))
    assert session.calls == [("set", AWAY, "lunch", end + timedelta(hours=1))]  # from the end, not from now
    assert session.state.override_after is PresenceState.ONLINE  # still goes back to the same
    aio.wait_task(c.extend(U, Duration.TOMORROW_MORNING))
    assert session.calls[-1] == ("set", AWAY, "lunch", next_morning(NOW, UTC))
    aio.wait_task(c.extend(U, Duration.UNTIL_CHANGED))
    assert session.calls[-1] == ("set", AWAY, "lunch", None)
    assert c.extend(U, Duration.HOUR_1) is None  # no longer timed: nothing to extend
    assert len(session.calls) == 3


def test_the_applet_routes_end_now_and_extend_to_the_controller(qtbot):
    from tests.ui.render_stub import StubController, make_applet

    calls = []

    class Stub(StubController):
        def end_now(self, user_id):
            calls.append(("end", user_id))

        def extend(self, user_id, by):
            calls.append(("extend", user_id, by))

    applet = make_applet(Stub((timed(30),)))
    applet.render()
    applet.menu_view.trigger(f"acct:{U}:endnow")
    applet.menu_view.trigger(f"acct:{U}:extend:1h")
    assert calls == [("end", U), ("extend", U, Duration.HOUR_1)]


# -- the tray menu: the state itself can be clicked ------------------------------------------------


def test_a_click_on_a_state_in_the_tray_menu_sets_it_and_its_submenu_holds_the_durations(qtbot):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMenu

    from tray_app.ui.icons import IconFactory
    from tray_app.ui.menu import MenuView, plain_text

    clicked = []
    menu_widget = QMenu()
    view = MenuView(menu_widget, IconFactory(), clicked.append)
    view.render(menu(timed(30)))
    away = view.actions[f"acct:{U}:state:unavailable"]
    assert away.menu() is not None and away.isCheckable() and away.isChecked()
    assert [plain_text(a.text()) for a in away.menu().actions()] == DURATIONS
    menu_widget.popup(QPoint(0, 0))
    qtbot.waitUntil(menu_widget.isVisible)
    online = view.actions[f"acct:{U}:state:online"]
    centre = menu_widget.actionGeometry(online).center()
    QTest.mouseClick(menu_widget, Qt.MouseButton.LeftButton, pos=centre)
    assert clicked == [SetState(U, PresenceState.ONLINE)]
    qtbot.waitUntil(lambda: not menu_widget.isVisible())
    # The keyboard: Return on a highlighted state sets it too.
    menu_widget.popup(QPoint(0, 0))
    qtbot.waitUntil(menu_widget.isVisible)
    menu_widget.setActiveAction(view.actions[f"acct:{U}:state:offline"])
    QTest.keyClick(menu_widget, Qt.Key.Key_Return)
    assert clicked[-1] == SetState(U, PresenceState.OFFLINE)
    # A duration in a state's submenu.
    away.menu().actions()[2].trigger()
    assert clicked[-1] == SetState(U, AWAY, Duration.HOUR_1)


# -- the other views: the window and the StatusNotifierItem's menu -----------------------------------


def test_the_window_offers_each_states_durations_beside_it(qtbot):
    from PySide6.QtWidgets import QRadioButton, QToolButton

    from tray_app.ui.icons import IconFactory
    from tray_app.ui.window import FallbackWindow

    clicked = []
    w = FallbackWindow(IconFactory(), clicked.append, forced=True)
    qtbot.addWidget(w)
    w.render(menu(timed(30)))
    more = w.findChild(QToolButton, f"acct:{U}:state:unavailable:for")
    assert more.text() == "For…"
    assert [a.text() for a in more.menu().actions()] == DURATIONS
    more.menu().actions()[2].trigger()
    assert clicked == [SetState(U, AWAY, Duration.HOUR_1)]
    w.findChild(QRadioButton, f"acct:{U}:state:offline").click()  # the radio itself: until changed
    assert clicked[-1] == SetState(U, PresenceState.OFFLINE)
    assert w.findChild(QToolButton, f"acct:{U}:state:none:for") is None  # clearing has no durations
    assert w.widgets[f"acct:{U}:state:busy:holder"].isHidden()  # not offered here: hidden with its button
    assert not w.widgets[f"acct:{U}:extend"].isHidden()
    w.render(menu(st()))  # the timer ended: Extend goes, in place
    assert w.widgets[f"acct:{U}:extend"].isHidden()


def test_the_status_notifier_menu_sends_a_state_with_its_durations():
    dbus_menu = pytest.importorskip("tray_app.ui.dbus_menu", reason="dbus-fast is a Linux dependency")
    actions = []
    m = dbus_menu.DBusMenu(actions.append, lambda: None, lambda key: b"")
    m.render(menu(timed(30)))
    _, root = m.layout(0)
    labels = {c.value[1]["label"].value.replace("_", ""): c.value for c in root[2] if "label" in c.value[1]}
    away = next(node for label, node in labels.items() if label.startswith("Away — until "))
    props = {k: v.value for k, v in away[1].items()}
    assert props["toggle-type"] == "radio" and props["toggle-state"] == 1
    assert props["children-display"] == "submenu"
    children = [{k: v.value for k, v in c.value[1].items()}["label"].replace("_", "") for c in away[2]]
    assert children == DURATIONS
    m.event(away[2][1].value[0], "clicked")  # "30 minutes"
    m.event(away[0], "clicked")  # a panel that clicks the item itself: until changed
    assert actions == [SetState(U, AWAY, Duration.MINUTES_30), SetState(U, AWAY)]
