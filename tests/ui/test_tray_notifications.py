"""TrayNotifications' bookkeeping around the desktop's notification server: what arrives while
the server is looked for waits for it and keeps its order; a notification the server does not
take goes to Qt's balloon, and the next one looks for a server again. (The real server, dunst,
and Qt's real balloon on trayer: tests/desktop/test_tray_notifications.py.)"""

from __future__ import annotations

import asyncio

import pytest

from tests.harness.waiting import qt_assert_stays

pytestmark = pytest.mark.ui


class StubServer:
    """Stands in for DesktopNotifications: records, and fails when told to."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.failures: list = []
        self.closed = False

    def show(self, title, text, warning, timeout_ms, on_failure=None) -> None:
        self.shown.append(text)
        self.failures.append(on_failure)

    def close(self) -> None:
        self.closed = True

    def close_when_sent(self) -> None:
        self.closed = True


def test_notifications_wait_for_the_server_in_order_and_a_refused_one_goes_to_qt(aio, monkeypatch):
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QSystemTrayIcon

    from tray_app.dbus.notifications import DesktopNotifications
    from tray_app.ui.presenter import Notification
    from tray_app.ui.tray_notifications import TrayNotifications

    found = asyncio.Event()
    servers: list[StubServer] = []

    async def connect(app_name):
        await found.wait()
        servers.append(StubServer())
        return servers[-1]

    monkeypatch.setattr(DesktopNotifications, "connect", staticmethod(connect))
    balloons: list[str] = []
    tray = QSystemTrayIcon(QIcon())
    notices = TrayNotifications(tray, "Presence Tray", 1000, desktop_server=True)
    monkeypatch.setattr(notices, "_balloon", lambda n: balloons.append(n.text))
    try:
        for i in range(3):
            notices.show(Notification("Presence changed elsewhere", f"n{i}"))
        qt_assert_stays(  # still looking: nothing shown, nothing lost
            aio.qtbot, lambda: servers == [] and balloons == [], 0.05, "nothing shown while looking for a server"
        )
        found.set()
        aio.run(asyncio.sleep(0.05))
        [server] = servers
        assert server.shown == ["n0", "n1", "n2"]

        notices.show(Notification("Server unreachable", "n3"))
        notices.show(Notification("Sign in again", "n3b"))
        assert server.shown[-2:] == ["n3", "n3b"]
        server.failures[-2]()  # the server did not take it
        assert balloons == ["n3"] and server.closed and notices.server is None
        server.failures[-1]()  # nor the one in flight with it: not lost either
        assert balloons == ["n3", "n3b"]

        notices.show(Notification("Back online", "n4"))  # looks for a server again
        aio.run(asyncio.sleep(0.05))
        assert len(servers) == 2 and servers[1].shown == ["n4"]
    finally:
        notices.close()
        tray.deleteLater()


def test_on_the_offscreen_platform_no_desktop_server_is_asked(aio, monkeypatch):
    """Tests run offscreen on a developer's desktop: they must not notify it."""
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QSystemTrayIcon

    from tray_app.dbus.notifications import DesktopNotifications
    from tray_app.ui.presenter import Notification
    from tray_app.ui.tray_notifications import TrayNotifications

    assert QGuiApplication.platformName() == "offscreen"
    asked: list[str] = []

    async def connect(app_name):
        asked.append(app_name)

    monkeypatch.setattr(DesktopNotifications, "connect", staticmethod(connect))
    balloons: list[str] = []
    tray = QSystemTrayIcon(QIcon())
    notices = TrayNotifications(tray, "Presence Tray", 1000)
    monkeypatch.setattr(notices, "_balloon", lambda n: balloons.append(n.text))
    try:
        notices.show(Notification("Server unreachable", "n0"))
        aio.run(asyncio.sleep(0.05))
        assert asked == [] and balloons == ["n0"]
    finally:
        notices.close()
        tray.deleteLater()
