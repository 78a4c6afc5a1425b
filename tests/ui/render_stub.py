"""An applet drawn from made-up snapshots: tray menu, tray icon/tooltip and the no-tray window at
once, with no server and no sessions, so tests can render thousands of times and count Qt calls.

`StubController` is a stand-in for `tray_app.ui.controller.Controller` with only what `Applet`
reads while rendering; `states_at(step)` is a cycle of 30 snapshots of three accounts where every
render changes something (override, pending, connection, a sign-out that rebuilds the menu,
status message, a running countdown).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tray_app.session_state import ApiMode, Connection, Pending, SessionState
from tray_app.states import Override, PresenceState
from tray_app.ui.presenter import AppSnapshot

UTC = UTC
BASE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CYCLE = 30
STATES = (PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.OFFLINE, PresenceState.DISABLED, None)


def _state(user: str, **kw: Any) -> SessionState:
    base = dict(
        user_id=user,
        homeserver="https://hs.example",
        api=ApiMode.STABLE,
        connection=Connection.CONNECTED,
        status_msg_supported=True,
        presence="online",
    )
    base.update(kw)
    return SessionState(**base)


def _override(s: PresenceState | None) -> Override | None:
    return Override(s, s.value) if s is not None else None


def states_at(step: int) -> tuple[tuple[SessionState, ...], datetime]:
    """The accounts and the clock at `step` (periodic in CYCLE)."""
    i = step % CYCLE
    now = BASE + timedelta(minutes=i)
    a_state = STATES[i % 5]
    a = _state(
        "@alice:hs.example",
        override=_override(a_state),
        pending=Pending(STATES[(i + 1) % 5]) if i % 2 else None,
        status_msg=f"message {i % 3}" if i % 3 else None,
    )
    b = _state(
        "@bob:hs.example",
        override=_override(STATES[(i + 2) % 5]),
        connection=Connection.SIGNED_OUT
        if i % 10 == 9
        else (Connection.DISCONNECTED if (i // 3) % 2 else Connection.CONNECTED),
        last_error="token revoked" if i % 10 == 9 else None,
    )
    c = _state(
        "@carol:hs.example",
        override=_override(PresenceState.UNAVAILABLE),
        override_until=BASE + timedelta(minutes=CYCLE + 5),
    )
    return (a, b, c), now


class StubController:
    """What `Applet` needs of a controller to render; `accounts` and `now` are set by the test."""

    def __init__(self, accounts: tuple[SessionState, ...] = (), now: datetime = BASE) -> None:
        self.accounts = accounts
        self.now = now
        self.tz = UTC
        self.on_change = lambda: None
        self.on_notify = lambda n: None
        self.on_offer_forget = lambda user_id, reason: None
        self.autostart_reads = 0

    def snapshot(self) -> AppSnapshot:
        return AppSnapshot(self.accounts, False, None)

    def states(self) -> list[SessionState]:
        return list(self.accounts)

    def refresh(self, user_id=None, *, min_interval: float = 0.0) -> list:
        return []

    def reload_autostart(self) -> bool:
        self.autostart_reads += 1
        return False

    async def shutdown(self) -> None:
        pass


def make_applet(controller: StubController):
    """An Applet with both a tray icon (hidden: offscreen has no tray) and the no-tray window."""
    from PySide6.QtWidgets import QSystemTrayIcon

    from tray_app.ui.applet import Applet
    from tray_app.ui.window import FallbackWindow

    applet = Applet(controller, use_tray=True, clock=lambda: controller.now, tz=UTC)  # type: ignore[arg-type]
    applet.attach_tray(QSystemTrayIcon(applet.icons.icon("none+pending")))
    applet.attach_window(FallbackWindow(applet.icons, applet.on_action))
    return applet


def qt_setter_calls(applet) -> int:
    """Qt setters called through the applet's appliers (menu, window, tray)."""
    n = applet.applier.calls + applet.menu_view.applier.calls
    return n + (applet.window.applier.calls if applet.window is not None else 0)
