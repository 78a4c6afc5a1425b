"""The applet: the tray icon (or the no-tray window), its menu and notifications (its dialogs:
dialogs.py).

It renders `Controller.snapshot()` through the presenter and turns clicks into
controller calls. Everything runs on the one qasync loop; nothing here blocks.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QMenu, QMessageBox, QSystemTrayIcon

from tray_app.session_state import SessionEvent
from tray_app.ui.controller import Controller
from tray_app.ui.dialogs import AppletDialogs
from tray_app.ui.icon_state import icon_spec
from tray_app.ui.icons import IconFactory
from tray_app.ui.idle_menu import automatic_lines
from tray_app.ui.menu import MenuView
from tray_app.ui.menu_content import build_menu
from tray_app.ui.notifications import already_running, not_signed_in_yet
from tray_app.ui.property_applier import PropertyApplier
from tray_app.ui.surfaces import QtTraySurface, StatusNotifierSurface, Surface, WindowSurface
from tray_app.ui.tooltip import tooltip_parts
from tray_app.ui.tray_notifications import TrayNotifications
from tray_app.ui.view_model import (
    APP_NAME,
    Action,
    ClearStatusMessage,
    EditStatusMessage,
    EndNow,
    Extend,
    Forget,
    MenuModel,
    Notification,
    OpenCalendar,
    Quit,
    Refresh,
    SetIdlePolicy,
    SetState,
    ShowServerDetails,
    SignIn,
    SignOut,
    ToggleAutostart,
    ToggleBusyWhenDoNotDisturb,
    TogglePauseBanners,
    icon_key,
)

if TYPE_CHECKING:  # imported when first needed (~15-20 ms less before the first icon)
    from tray_app.ui.calendar_dialog import CalendarDialog
    from tray_app.ui.signin import SignInDialog
    from tray_app.ui.status_dialog import StatusMessageDialog
    from tray_app.ui.status_notifier import StatusNotifierTray
    from tray_app.ui.window import FallbackWindow

log = logging.getLogger(__name__)

# How often the menu's "ends in …" and the tooltip are refreshed while the applet runs.
TICK_MS = 30_000
# Opening the menu re-reads the server, but not more often than this.
MENU_REFRESH_MIN_INTERVAL = 5.0
# At login the tray host may start after us: how long to wait for it before showing the window.
TRAY_WAIT_AUTOSTART = 15.0
TRAY_WAIT_MANUAL = 2.0
NOTIFICATION_MS = 10_000
NOTIFICATIONS_KEPT = 50
# Set to 1: publish Qt's own StatusNotifierItem (QSystemTrayIcon) instead of ours, to compare.
QT_STATUS_NOTIFIER_ENV = "PRESENCE_TRAY_QT_STATUS_NOTIFIER"


class Applet(QObject, AppletDialogs):
    def __init__(
        self,
        controller: Controller,
        *,
        icons: IconFactory | None = None,
        use_tray: bool | None = None,  # None: use the system tray if this desktop has one
        autostarted: bool = False,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        tz: tzinfo | None = None,
        sign_in_factory: Callable[..., SignInDialog] | None = None,  # None: SignInDialog
    ) -> None:
        super().__init__()
        self.controller = controller
        self.icons = icons or IconFactory()
        self.use_tray = use_tray
        self.autostarted = autostarted
        self.clock = clock
        self.tz = tz
        self.sign_in_factory = sign_in_factory
        self.quit_event = asyncio.Event()
        self.menu = QMenu()
        self.menu.setObjectName("presence-tray-menu")
        self.menu_view = MenuView(self.menu, self.icons, self.on_action)
        self.menu.aboutToShow.connect(self._menu_opening)
        self.tray: QSystemTrayIcon | None = None
        self.sni: StatusNotifierTray | None = None  # our own StatusNotifierItem (Linux panels)
        self.window: FallbackWindow | None = None
        # Where the applet shows itself (one of the tray icons, or the window): rendered,
        # notified and closed alike.
        self.surfaces: list[Surface] = []
        self.model: MenuModel | None = None
        self.icon_key: str | None = None
        self.tooltip: str = ""
        # The latest notifications shown / held back (the open menu showed it already), for tests;
        # bounded: the applet runs for weeks. `notified` counts every one shown.
        self.notifications: deque[Notification] = deque(maxlen=NOTIFICATIONS_KEPT)
        self.held_back: deque[Notification] = deque(maxlen=NOTIFICATIONS_KEPT)
        self.notified = 0
        self.sign_in_dialog: SignInDialog | None = None
        self.status_dialog: StatusMessageDialog | None = None
        self.calendar_dialog: CalendarDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self._render_queued = False
        self.applier = PropertyApplier()  # the tray's / window's icon and tooltip
        self.renders = 0
        self._started = False  # controller started: accounts known, tray or window up
        self._activate_when_started = False
        self._shut = False
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.render)
        controller.on_change = self.schedule_render
        controller.on_notify = self.notify
        controller.on_offer_forget = self.confirm_forget
        if tz is not None and controller.tz is None:
            controller.tz = tz  # "until tomorrow morning" in the same zone the menu shows times in

    # -- start and stop ------------------------------------------------------------------------

    async def start(self) -> None:
        use_tray = self.use_tray
        if use_tray is None:
            use_tray = await self._wait_for_tray(TRAY_WAIT_AUTOSTART if self.autostarted else TRAY_WAIT_MANUAL)
        if (
            use_tray
            and self.use_tray is None
            and sys.platform.startswith("linux")
            and not os.environ.get(QT_STATUS_NOTIFIER_ENV)
        ):
            self.sni = await self._publish_status_notifier()
        if self.sni is not None:
            self.surfaces.append(StatusNotifierSurface(self.sni, self.applier))
        elif use_tray:
            tray = QSystemTrayIcon(self.icons.icon("none+pending"))
            tray.setObjectName("presence-tray-icon")
            tray.activated.connect(self._activated)
            tray.messageClicked.connect(self._open_menu_at_cursor)
            self.attach_tray(tray, TrayNotifications(tray, APP_NAME, NOTIFICATION_MS))
        else:
            if self.use_tray is None:
                log.warning("no system tray on this desktop; showing a window instead")
            from tray_app.ui.window import FallbackWindow  # noqa: PLC0415

            self.attach_window(FallbackWindow(self.icons, self.on_action, forced=self.use_tray is False))
        self.render()
        for surface in self.surfaces:
            surface.show()
        self._tick.start()
        await self.controller.start()
        self._started = True
        self.render()
        if not self.controller.states():
            if self.autostarted:
                self.notify(not_signed_in_yet())
            else:
                self.open_sign_in(None)
        if self._activate_when_started:
            self._activate_when_started = False
            self.activate()

    def attach_tray(self, tray: QSystemTrayIcon, notices: TrayNotifications | None = None) -> None:
        """Show the applet as Qt's tray icon with the menu (and its notifications, if given)."""
        self.tray = tray
        tray.setContextMenu(self.menu)
        self.surfaces.append(QtTraySurface(tray, notices, self.icons, self.applier))

    def attach_window(self, window: FallbackWindow) -> None:
        """Show the applet in a window; closing it quits."""
        self.window = window
        window.closed.connect(self.request_quit)
        self.surfaces.append(WindowSurface(window, self.applier))

    async def _publish_status_notifier(self) -> StatusNotifierTray | None:
        """Where a StatusNotifierWatcher runs, our own item (a real title and tooltip, see
        status_notifier.py); None elsewhere (XEmbed trays keep QSystemTrayIcon)."""
        try:
            from tray_app.ui.status_notifier import StatusNotifierTray  # noqa: PLC0415
        except ImportError:  # dbus-fast missing: Qt's item still works
            return None
        sni = await StatusNotifierTray.create(self.on_action, self._menu_opening, self._sni_activated)
        if sni is not None:
            log.info("published our StatusNotifierItem as %s", sni.name)
        return sni

    def _sni_activated(self, x: int, y: int) -> None:
        # A host that sends Activate/ContextMenu instead of showing the D-Bus menu: ours pops up.
        pos = QCursor.pos() if x <= 0 and y <= 0 else QPoint(x, y)
        QTimer.singleShot(0, lambda: self.menu.popup(pos))

    async def _wait_for_tray(self, seconds: float) -> bool:
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            if QSystemTrayIcon.isSystemTrayAvailable():
                return True
            if asyncio.get_running_loop().time() >= deadline:
                return False
            await asyncio.sleep(0.25)

    def request_quit(self) -> None:
        self.quit_event.set()

    async def run_until_quit(self) -> None:
        try:
            await self.start()
            await self.quit_event.wait()
        finally:
            # Also when starting failed (or was cancelled): the tray must still come down.
            await self.shutdown()

    async def shutdown(self) -> None:
        """Close the dialogs, then the sessions, then take the tray down while the loop still
        runs (docs/architecture.md, "One event loop": left to normal teardown, 15 of 50 exits segfaulted)."""
        if self._shut:
            return
        self._shut = True
        self._tick.stop()
        # Dialogs first: the sign-in dialog stops waiting (its SSO listener closes); a login it
        # started runs on as the controller's task, which the controller's shutdown waits for.
        waiting = []
        for dialog in (self.sign_in_dialog, self.status_dialog, self.calendar_dialog, self.confirm_box):
            try:
                if dialog is not None:
                    task = getattr(dialog, "task", None)
                    dialog.close()
                    if isinstance(task, asyncio.Future) and not task.done():
                        waiting.append(task)
            except RuntimeError:  # already deleted by Qt
                pass
        self.sign_in_dialog = self.status_dialog = self.calendar_dialog = self.confirm_box = None
        if waiting:
            await asyncio.wait(waiting, timeout=2.0)
        await self.controller.shutdown()
        if self.window is not None:
            self.window.closed.disconnect(self.request_quit)  # closing it now is no request
        for surface in self.surfaces:
            surface.close()
        self.surfaces.clear()
        self.sni = None
        self.menu.hide()
        self.menu.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
        self.tray = None
        self.window = None

    # -- rendering ---------------------------------------------------------------------------

    def schedule_render(self) -> None:
        """Coalesce bursts of state changes into one render on the next loop turn."""
        if self._render_queued or self._shut:
            return
        self._render_queued = True
        QTimer.singleShot(0, self._render_queued_now)

    def _render_queued_now(self) -> None:
        if not self._render_queued:
            return  # rendered meanwhile (a click renders at once): once per change
        self._render_queued = False
        self.render()

    def render(self) -> None:
        """Draw the controller's state; Qt is called only for what changed since the last render."""
        if self._shut:
            return
        self._render_queued = False  # this render shows what a queued one was for
        self.renders += 1
        snap = self.controller.snapshot()
        now = self.clock()
        self.model = build_menu(snap, now, self.tz)
        self.menu_view.render(self.model)
        key = icon_key(icon_spec(snap.accounts))
        tip = tooltip_parts(snap.accounts, now, self.tz, *automatic_lines(snap.idle, snap.accounts, now, self.tz))
        for surface in self.surfaces:
            surface.render(self.model, key, tip)
        self.icon_key = key
        self.tooltip = "\n".join(tip)

    def _menu_opening(self) -> None:
        # A change made elsewhere shows at once when the menu opens ("Start on login" too).
        self.controller.refresh(None, min_interval=MENU_REFRESH_MIN_INTERVAL)
        self.controller.reload_autostart()
        self.render()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        # A left click opens the same menu (macOS already does that by itself).
        if reason == QSystemTrayIcon.ActivationReason.Trigger and sys.platform != "darwin":
            self._open_menu_at_cursor()

    def _open_menu_at_cursor(self) -> None:
        self.menu.popup(QCursor.pos())

    def activate(self) -> None:
        """A second launch asked the running one to show itself."""
        if self._shut:
            return
        if not self._started:
            # Still starting (at login: waiting for the tray host). With accounts stored there
            # is nothing to sign in to: show the tray or window once it is up.
            if self.controller.has_accounts():
                self._activate_when_started = True
            else:
                self.open_sign_in(None)
            return
        if self.window is not None:
            self.window.show()
            self.window.raise_()
            self.window.activateWindow()
        elif not self.controller.has_accounts():
            self.open_sign_in(None)
        else:
            self.notify(already_running())
            self._open_menu_at_cursor()

    # -- notifications -------------------------------------------------------------------------

    def notify(self, n: Notification) -> None:
        menu_open = self.menu.isVisible() or (self.sni is not None and self.sni.menu_open)
        if n.event is SessionEvent.OVERRIDE_CHANGED_ELSEWHERE and menu_open:
            # Found by the re-read the opening menu started: the menu in front of the person
            # shows the new state; a balloon over it would only cover it.
            self.held_back.append(n)
            log.info("notification held back (the open menu shows it): %s", n.title)
            return
        self.notifications.append(n)
        self.notified += 1
        log.info("notification: %s", n.title)
        if self._shut:
            return
        for surface in self.surfaces:
            surface.show_notification(n, NOTIFICATION_MS)

    # -- clicks ---------------------------------------------------------------------------------

    def on_action(self, action: Action) -> None:
        c = self.controller
        if isinstance(action, SetState):
            c.set_state(action.user_id, action.state, action.duration)
        elif isinstance(action, EndNow):
            c.end_now(action.user_id)
        elif isinstance(action, Extend):
            c.extend(action.user_id, action.by)
        elif isinstance(action, Refresh):
            c.refresh(action.user_id)
        elif isinstance(action, EditStatusMessage):
            self.open_status_dialog(action.user_id)
        elif isinstance(action, ShowServerDetails):
            self.show_server_details(action.user_id)
        elif isinstance(action, ClearStatusMessage):
            c.set_status_message(action.user_id, "")
        elif isinstance(action, SignIn):
            self.open_sign_in(action.user_id)
        elif isinstance(action, SignOut):
            self.confirm_sign_out(action.user_id)
        elif isinstance(action, Forget):
            self.confirm_forget(action.user_id)
        elif isinstance(action, ToggleAutostart):
            c.toggle_autostart()
        elif isinstance(action, TogglePauseBanners):
            c.toggle_pause_banners()
        elif isinstance(action, OpenCalendar):
            self.open_calendar_dialog()
        elif isinstance(action, ToggleBusyWhenDoNotDisturb):
            c.toggle_busy_when_dnd()
        elif isinstance(action, Quit):
            self.request_quit()
        elif isinstance(action, SetIdlePolicy):
            c.set_idle_policy(action.policy)
        self.render()  # show the click's effect (pending) right away
