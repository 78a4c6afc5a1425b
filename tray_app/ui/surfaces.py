"""Where the applet shows itself: Qt's tray icon (XEmbed, macOS, Windows, or Qt's own
StatusNotifierItem), our StatusNotifierItem, or the window. One interface, `Surface`, so the
applet renders, notifies and shuts down the same way whichever are up; dialogs stay apart.

Each implementation only forwards to its view what differs from the last render (through the
applet's `PropertyApplier`). No module here imports dbus-fast or builds the window: those are
imported only where they are used (start time, see app.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from tray_app.ui.property_applier import PropertyApplier
from tray_app.ui.view_model import MenuModel, Notification

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSystemTrayIcon

    from tray_app.ui.icons import IconFactory
    from tray_app.ui.status_notifier import StatusNotifierTray
    from tray_app.ui.tray_notifications import TrayNotifications
    from tray_app.ui.window import FallbackWindow

# The tooltip as title and description (see tooltip.tooltip_parts).
Tooltip = tuple[str, str]


class Surface(Protocol):
    def render(self, model: MenuModel, icon: str, tooltip: Tooltip) -> None:
        """Show this state (called on every change and on the tick; sends Qt only what differs)."""

    def show(self) -> None:
        """Make it visible, after its first render."""

    def show_notification(self, n: Notification, timeout_ms: int) -> None: ...

    def close(self) -> None:
        """Take it down (the event loop still runs)."""


class QtTraySurface:
    """QSystemTrayIcon with the applet's QMenu as its context menu, and its notifications
    (None: none shown, as in tests that draw the icon only)."""

    def __init__(
        self, tray: QSystemTrayIcon, notices: TrayNotifications | None, icons: IconFactory, applier: PropertyApplier
    ) -> None:
        self.tray = tray
        self.notices = notices
        self.icons = icons
        self.applier = applier

    def render(self, model: MenuModel, icon: str, tooltip: Tooltip) -> None:
        # The menu is the applet's QMenu, rendered by the applet for every surface.
        self.applier.set(self.tray, "icon", icon, lambda k: self.tray.setIcon(self.icons.icon(k)))
        self.applier.set(self.tray, "toolTip", "\n".join(tooltip))

    def show(self) -> None:
        self.tray.show()

    def show_notification(self, n: Notification, timeout_ms: int) -> None:
        if self.notices is not None:
            self.notices.show(n)

    def close(self) -> None:
        if self.notices is not None:
            self.notices.close()
        self.tray.hide()
        self.tray.setContextMenu(None)
        self.tray.deleteLater()


class StatusNotifierSurface:
    """Our own StatusNotifierItem (a real title and tooltip; its menu over D-Bus)."""

    def __init__(self, sni: StatusNotifierTray, applier: PropertyApplier) -> None:
        self.sni = sni
        self.applier = applier

    def render(self, model: MenuModel, icon: str, tooltip: Tooltip) -> None:
        sni = self.sni
        sni.render_menu(model)
        self.applier.set(sni, "icon", icon, sni.set_icon)
        self.applier.set(sni, "toolTip", tooltip, lambda t: sni.set_tooltip(*t))

    def show(self) -> None:
        pass  # published when created

    def show_notification(self, n: Notification, timeout_ms: int) -> None:
        self.sni.show_message(n.title, n.text, n.warning, timeout_ms)

    def close(self) -> None:
        self.sni.close()


class WindowSurface:
    """The window shown where there is no tray (or when asked for)."""

    def __init__(self, window: FallbackWindow, applier: PropertyApplier) -> None:
        self.window = window
        self.applier = applier

    def render(self, model: MenuModel, icon: str, tooltip: Tooltip) -> None:
        w = self.window
        w.render(model)
        self.applier.set(w, "icon", icon, w.set_icon)
        # No tooltip: the window shows all of it, and a screen reader took it for the window's
        # description (every line of it).

    def show(self) -> None:
        self.window.show()

    def show_notification(self, n: Notification, timeout_ms: int) -> None:
        self.window.show_notification(n)

    def close(self) -> None:
        self.window.hide()
        self.window.deleteLater()
