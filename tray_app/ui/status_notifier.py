"""Our own StatusNotifierItem (KDE Plasma, GNOME with AppIndicator, most Linux panels today).

Why not Qt's: QSystemTrayIcon's D-Bus item (QDBusTrayIcon, Qt 6.11/6.12) publishes `Title` as
the application name ("presence-tray") and puts the whole tooltip into the tooltip's title with
an empty description; nothing in Qt's API sets either. Here the item has a real title, a
tooltip title and description, the icon as pixmaps at several sizes (no theme name: hosts
prefer a name, and no theme installs one per state), and the menu from `dbus_menu`. The
item is served with dbus-fast on the one asyncio (qasync) loop.

Used only where an org.kde.StatusNotifierWatcher runs; elsewhere the applet keeps
QSystemTrayIcon (XEmbed trays such as trayer, Windows, macOS).
"""

# No `from __future__ import annotations`: dbus-fast reads the D-Bus signatures from them.

import asyncio
import logging
import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from dbus_fast import BusType, Message, MessageType
from dbus_fast.aio import MessageBus
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_property, method, signal
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage

from tray_app import APP_ID
from tray_app.dbus.bus import call as call_method
from tray_app.dbus.notifications import DesktopNotifications
from tray_app.ui.dbus_menu import MENU_PATH, DBusMenu
from tray_app.ui.icons import render_image
from tray_app.ui.view_model import APP_NAME, Action, MenuModel, parse_icon_key

log = logging.getLogger(__name__)

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_PATH = "/StatusNotifierWatcher"
ITEM_PATH = "/StatusNotifierItem"
PIXMAP_SIZES = (16, 22, 24, 32, 48, 64)
MENU_ICON_SIZE = 16
REREGISTER_TRIES = 6
REREGISTER_DELAY = 0.25  # seconds, times the attempt's number


def argb_pixmaps(key: str) -> list[list[Any]]:
    """The icon `key` as SNI pixmaps: (width, height, ARGB32 in network byte order) per size,
    each drawn at its size (not scaled from one)."""
    out = []
    spec = parse_icon_key(key)
    for size in PIXMAP_SIZES:
        img = render_image(spec, size).convertToFormat(QImage.Format.Format_RGBA8888)
        rgba = bytes(img.constBits())[: size * size * 4]
        argb = bytearray(len(rgba))
        argb[0::4] = rgba[3::4]
        argb[1::4] = rgba[0::4]
        argb[2::4] = rgba[1::4]
        argb[3::4] = rgba[2::4]
        out.append([size, size, bytes(argb)])
    return out


@lru_cache(maxsize=64)  # a few dozen icon keys (state × mark) at most
def _menu_icon_png(key: str) -> bytes:
    return png_bytes(key)


def png_bytes(key: str, size: int = MENU_ICON_SIZE) -> bytes:
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    render_image(parse_icon_key(key), size).save(buf, "PNG")
    buf.close()
    return bytes(ba.data())


class StatusNotifierItem(ServiceInterface):
    """org.kde.StatusNotifierItem: what a panel reads and the clicks it sends."""

    def __init__(self, on_activate: Callable[[int, int], None]) -> None:
        super().__init__("org.kde.StatusNotifierItem")
        self._on_activate = on_activate
        self.title = APP_NAME
        self.status = "Active"
        self.icon_key = "none+pending"
        self.pixmaps = argb_pixmaps(self.icon_key)
        self.tip_title = APP_NAME
        self.tip_text = ""

    @dbus_property(access=PropertyAccess.READ)
    def Category(self) -> "s":  # noqa: F821
        return "ApplicationStatus"

    @dbus_property(access=PropertyAccess.READ)
    def Id(self) -> "s":  # noqa: F821
        return APP_ID

    @dbus_property(access=PropertyAccess.READ)
    def Title(self) -> "s":  # noqa: F821
        return self.title

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> "s":  # noqa: F821
        return self.status

    @dbus_property(access=PropertyAccess.READ)
    def WindowId(self) -> "i":  # noqa: F821
        return 0

    @dbus_property(access=PropertyAccess.READ)
    def IconThemePath(self) -> "s":  # noqa: F821
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def IconName(self) -> "s":  # noqa: F821
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def IconPixmap(self) -> "a(iiay)":  # noqa: F821
        return self.pixmaps

    @dbus_property(access=PropertyAccess.READ)
    def OverlayIconName(self) -> "s":  # noqa: F821
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def OverlayIconPixmap(self) -> "a(iiay)":  # noqa: F821
        return []

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconName(self) -> "s":  # noqa: F821
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def AttentionIconPixmap(self) -> "a(iiay)":  # noqa: F821
        return []

    @dbus_property(access=PropertyAccess.READ)
    def AttentionMovieName(self) -> "s":  # noqa: F821
        return ""

    @dbus_property(access=PropertyAccess.READ)
    def ToolTip(self) -> "(sa(iiay)ss)":  # noqa: F821
        return ["", [], self.tip_title, self.tip_text]

    @dbus_property(access=PropertyAccess.READ)
    def ItemIsMenu(self) -> "b":  # noqa: F821
        # A left click shows the menu too (as on the XEmbed tray); hosts then send no Activate.
        return True

    @dbus_property(access=PropertyAccess.READ)
    def Menu(self) -> "o":  # noqa: F821
        return MENU_PATH

    @method()
    def Activate(self, x: "i", y: "i"):  # noqa: F821
        self._on_activate(x, y)

    @method()
    def SecondaryActivate(self, x: "i", y: "i"):  # noqa: F821
        pass

    @method()
    def ContextMenu(self, x: "i", y: "i"):  # noqa: F821
        self._on_activate(x, y)

    @method()
    def Scroll(self, delta: "i", orientation: "s"):  # noqa: F821
        pass

    @signal()
    def NewTitle(self):
        pass

    @signal()
    def NewIcon(self):
        pass

    @signal()
    def NewToolTip(self):
        pass

    @signal()
    def NewStatus(self) -> "s":  # noqa: F821
        return self.status


class StatusNotifierTray:
    """The item, its menu and notifications on one session-bus connection."""

    def __init__(self, bus: MessageBus, item: StatusNotifierItem, menu: DBusMenu, name: str) -> None:
        self.bus = bus
        self.item = item
        self.menu = menu
        self.name = name
        self._pixmaps: dict[str, list] = {}
        self.notifier = DesktopNotifications(bus, APP_NAME, owns_bus=False)

    @classmethod
    async def create(
        cls,
        on_action: Callable[[Action], None],
        on_opening: Callable[[], None],
        on_activate: Callable[[int, int], None],
    ) -> "StatusNotifierTray | None":
        """Serve the item and register it with the watcher; None where there is no session
        bus or no watcher (the caller then uses QSystemTrayIcon)."""
        try:
            bus = await MessageBus(bus_type=BusType.SESSION).connect()
        except Exception as e:  # no bus address, socket gone, auth refused
            log.info("no session bus for a StatusNotifierItem: %s", e)
            return None
        try:
            has = await call_method(
                bus,
                "org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus",
                "NameHasOwner",
                "s",
                [WATCHER],
            )
            if not has[0]:
                bus.disconnect()
                return None
            menu = DBusMenu(on_action, on_opening, _menu_icon_png)
            item = StatusNotifierItem(on_activate)
            bus.export(ITEM_PATH, item)
            bus.export(MENU_PATH, menu)
            name = f"org.kde.StatusNotifierItem-{os.getpid()}-1"
            await bus.request_name(name)
            tray = cls(bus, item, menu, name)
            await tray._register()
            await call_method(
                bus,
                "org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus",
                "AddMatch",
                "s",
                [f"type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='{WATCHER}'"],
            )
            bus.add_message_handler(tray._watcher_changed)
            return tray
        except Exception as e:
            log.warning("couldn't publish a StatusNotifierItem (using Qt's tray icon): %s", e)
            bus.disconnect()
            return None

    async def _register(self) -> None:
        await call_method(self.bus, WATCHER, WATCHER_PATH, WATCHER, "RegisterStatusNotifierItem", "s", [self.name])

    def _watcher_changed(self, msg: Message) -> None:
        # A restarted watcher (panel restart) knows no items: register again.
        if (
            msg.message_type == MessageType.SIGNAL
            and msg.member == "NameOwnerChanged"
            and msg.body[0] == WATCHER
            and msg.body[2]
        ):
            asyncio.ensure_future(self._register_again())

    async def _register_again(self) -> None:
        # A watcher may own its name a moment before it serves its object: a few tries.
        for attempt in range(REREGISTER_TRIES):
            await asyncio.sleep(REREGISTER_DELAY * attempt)
            try:
                await self._register()
                log.info("registered our StatusNotifierItem with a new watcher")
                return
            except Exception as e:
                last = e
        log.warning("couldn't register with the new StatusNotifierWatcher: %s", last)

    # -- what the applet renders ------------------------------------------------------------------

    def set_icon(self, key: str) -> None:
        pixmaps = self._pixmaps.get(key)
        if pixmaps is None:
            pixmaps = self._pixmaps[key] = argb_pixmaps(key)
        self.item.icon_key = key
        self.item.pixmaps = pixmaps
        self.item.NewIcon()

    def set_tooltip(self, title: str, description: str) -> None:
        self.item.tip_title = title
        self.item.tip_text = description
        self.item.NewToolTip()

    def render_menu(self, model: MenuModel) -> None:
        self.menu.render(model)

    @property
    def menu_open(self) -> bool:
        return self.menu.open

    def show_message(self, title: str, text: str, warning: bool, timeout_ms: int) -> None:
        """A desktop notification (org.freedesktop.Notifications), as Qt's item sends one."""
        self.notifier.show(title, text, warning, timeout_ms)

    def close(self) -> None:
        """Leave the bus: the watcher drops the item when its name goes."""
        self.notifier.close()
        try:
            self.bus.disconnect()
        except Exception:
            pass
