"""Notifications for Qt's tray icon (XEmbed trays, Windows, macOS): where a Linux desktop runs a
notification server, through it (tray_app/dbus/notifications.py says why); elsewhere Qt's
own `showMessage`. The server is looked for at the first notification, not at start: dbus-fast's
import would cost the start ~120 ms."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSystemTrayIcon

if TYPE_CHECKING:
    from tray_app.dbus.notifications import DesktopNotifications
    from tray_app.ui.view_model import Notification

log = logging.getLogger(__name__)

HEADLESS = ("offscreen", "minimal")


class TrayNotifications:
    def __init__(
        self, tray: QSystemTrayIcon, app_name: str, timeout_ms: int, *, desktop_server: bool | None = None
    ) -> None:
        self.tray = tray
        self.app_name = app_name
        self.timeout_ms = timeout_ms
        # None: look for one on a Linux desktop (not on Qt's offscreen platform: tests, which must
        # not notify the desktop they run on); False: Qt's balloon only.
        if desktop_server is None:
            desktop_server = sys.platform.startswith("linux") and QGuiApplication.platformName() not in HEADLESS
        self._want_server = desktop_server
        self.server: DesktopNotifications | None = None
        self.balloons = 0  # shown by Qt (for tests)
        self.sent = 0  # given to the desktop's server
        self._lookup: asyncio.Future | None = None
        self._waiting: list[Notification] = []
        self._closed = False

    def show(self, n: Notification) -> None:
        if self._closed:
            return
        if self.server is not None:
            self._to_server(self.server, n)
        elif self._want_server and self._lookup is None:
            self._waiting.append(n)
            self._lookup = asyncio.ensure_future(self._find_server())
        elif self._lookup is not None and not self._lookup.done():
            self._waiting.append(n)
        else:
            self._balloon(n)

    async def _find_server(self) -> None:
        from tray_app.dbus.notifications import DesktopNotifications  # noqa: PLC0415

        try:
            server = await DesktopNotifications.connect(self.app_name)
        except Exception:  # a bug in there must not cost the notification
            log.exception("looking for a notification server failed")
            server = None
        if self._closed:
            if server is not None:
                server.close()
            return
        log.info(
            "notifications go to the desktop's notification server"
            if server is not None
            else "no notification server on the session bus: Qt's balloon shows notifications"
        )
        self.server = server
        waiting, self._waiting = self._waiting, []
        for n in waiting:
            if server is not None:
                self._to_server(server, n)
            else:
                self._balloon(n)

    def _to_server(self, server: DesktopNotifications, n: Notification) -> None:
        self.sent += 1
        server.show(n.title, n.text, n.warning, self.timeout_ms, lambda: self._server_failed(server, n))

    def _server_failed(self, server: DesktopNotifications, n: Notification) -> None:
        """The server did not take it (D-Bus could not start it, it went away): Qt's balloon
        shows this one, and the next notification looks for a server again."""
        if self._closed:
            return
        if self.server is server:
            self.server = None
            self._lookup = None
            server.close_when_sent()  # the others in flight still get their answer (or balloon)
        self._balloon(n)

    def _balloon(self, n: Notification) -> None:
        if not QSystemTrayIcon.supportsMessages():
            return
        icon = QSystemTrayIcon.MessageIcon.Warning if n.warning else QSystemTrayIcon.MessageIcon.Information
        self.balloons += 1
        self.tray.showMessage(n.title, n.text, icon, self.timeout_ms)

    def close(self) -> None:
        self._closed = True
        self._waiting.clear()
        if self._lookup is not None and not self._lookup.done():
            self._lookup.cancel()
        if self.server is not None:
            self.server.close()
            self.server = None
