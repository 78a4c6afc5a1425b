"""An account's compact row in the window when there are several accounts: its icon, its ID and
state in a few words (the menu's account line), and a button whose menu holds everything the
tray menu's submenu for that account holds (drawn by the same `MenuView`), so ten accounts take
ten short rows instead of ten sections of ~13 lines."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QSizePolicy, QToolButton, QWidget

from tray_app.translation import translate
from tray_app.ui.icons import IconFactory
from tray_app.ui.menu import MenuView
from tray_app.ui.view_model import Action, MenuItem, MenuModel

ROW_ICON_PX = 22
PLAIN_TEXT = 0  # Qt::PlainText (no `Qt.` names in the window's modules, see window.py)
INSTANT_POPUP = 2  # QToolButton::InstantPopup


def change_label() -> str:
    """The button that opens an account's states and actions in the window."""
    return translate("Window", "Change…")


class AccountRow(QWidget):
    def __init__(self, item: MenuItem, icons: IconFactory, on_action: Callable[[Action], None]) -> None:
        super().__init__()
        self.setObjectName(item.key)
        self.icons = icons
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 2, 0, 2)
        self.icon = QLabel()
        self.icon.setObjectName(item.key + ":icon")
        self.icon.setFixedSize(ROW_ICON_PX, ROW_ICON_PX)
        self.text = QLabel()
        self.text.setObjectName(item.key + ":text")
        self.text.setProperty("textFormat", PLAIN_TEXT)
        self.text.setWordWrap(True)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.button = QToolButton()
        self.button.setObjectName(item.key + ":change")
        self.button.setText(change_label())
        self.button.setProperty("popupMode", INSTANT_POPUP)
        # "Change…" says a menu follows; Fusion's arrow would be drawn over the "…".
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.menu = QMenu(self.button)
        self.menu.setObjectName(item.key + ":menu")
        self.button.setMenu(self.menu)
        self.menu_view = MenuView(self.menu, icons, on_action)
        lay.addWidget(self.icon)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.button)
        self._icon_key: str | None = None
        self.update_from(item)

    def update_from(self, item: MenuItem) -> None:
        if self.text.text() != item.text:
            self.text.setText(item.text)
            self.button.setAccessibleName(f"{change_label()} {item.label or item.text}")
            self.setAccessibleName(item.text)
        if item.icon and item.icon != self._icon_key:
            self._icon_key = item.icon
            self.icon.setPixmap(
                self.icons.icon(item.icon).pixmap(QSize(ROW_ICON_PX, ROW_ICON_PX), self.devicePixelRatioF())
            )
        self.menu_view.render(MenuModel(item.children))
