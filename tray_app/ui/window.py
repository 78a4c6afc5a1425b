"""The window shown when this desktop has no system tray (GNOME without AppIndicator, Wayland
without a StatusNotifier watcher) or when asked for (`--window`): the same controls as the menu,
drawn from the same model. A small app window: the state's icon and name at the top, the
states to choose from, the secondary actions as quiet buttons at the bottom, and (only when
there was no tray) a small line saying why there is a window. Closing it quits, since nothing
else would be visible. The accounts' lines scroll (`AccountList`) once the window would be
taller than the screen's free area: 20 accounts made it ~4,900 px tall. With several accounts each
is one compact row (`AccountRow`); "Set all accounts" stays above the list and the global items
(automatic presence, start on login, Refresh all, Add account, Quit) below it, always in view.
A notice about an account goes once that account's state has moved on (`NoticeExpiry`).
Like the menu, it calls Qt only for what differs from the last render (`PropertyApplier`).
The window's other concerns have their own modules: its words (window_words.py), the items laid
out as widgets (window_layout.py), the widgets kept in step and the clicks (window_items.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QLayout, QSpacerItem, QVBoxLayout, QWidget

from tray_app.translation import translate
from tray_app.ui.access_keys import access_texts
from tray_app.ui.accessibility import install_window_role
from tray_app.ui.account_row import AccountRow
from tray_app.ui.icons import IconFactory
from tray_app.ui.property_applier import PropertyApplier
from tray_app.ui.view_model import Action, MenuModel, Notification
from tray_app.ui.window_keys import FocusRing
from tray_app.ui.window_layout import PLAIN_TEXT, AccountList, WindowLayout
from tray_app.ui.window_notice import NoticeExpiry
from tray_app.ui.window_words import forced_reason, headline, no_tray_reason

# No `Qt.` names in this module: PySide6 builds all ~100 enums of the `Qt` namespace at its first
# use (~15 ms of CPU), which then comes after the first (last known) icon instead of before it
# (qasync's first killTimer() needs them soon after). Qt::TextSelectableByMouse is set through
# the QLabel property, where an int converts; so are the other enums, kept as ints next to their
# use (window_layout.py, window_items.py).

HEADLINE_ICON_PX = 48
WINDOW_WIDTH = 400


class FallbackWindow(WindowLayout):
    closed = Signal()

    def __init__(self, icons: IconFactory, on_action: Callable[[Action], None], *, forced: bool = False) -> None:
        super().__init__()
        self.setWindowTitle("Presence Tray")
        install_window_role()  # a screen reader's "frame" named as the window, not a "filler"
        self.setAccessibleName("Presence Tray")
        self.setWindowIcon(icons.app_icon())
        self.focus_ring = FocusRing(self)  # the focused control, seen (flat buttons showed none)
        self.icons = icons
        self.on_action = on_action
        self.model: MenuModel | None = None
        self.widgets: dict[str, QWidget] = {}
        self._groups: dict[str, QButtonGroup] = {}
        self._keyed: dict[str, str] = {}  # key -> text with its access key ("&X")
        self._state_boxes: dict[str, QWidget] = {}  # an account's states, named by the account
        self.applier = PropertyApplier()
        self.rebuilds = 0
        self._visible_keys: set[str] = set()

        outer = QVBoxLayout(self)
        # The top: the state's icon (shape and colour) and its name, large.
        top = QHBoxLayout()
        self.state_icon = QLabel()
        self.state_icon.setObjectName("state-icon")
        self.state_icon.setFixedSize(HEADLINE_ICON_PX, HEADLINE_ICON_PX)
        self.state_text = QLabel("")
        self.state_text.setProperty("textFormat", PLAIN_TEXT)
        self.state_text.setObjectName("state-text")
        f = QFont(self.state_text.font())
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        self.state_text.setFont(f)
        self.state_text.setWordWrap(True)  # several accounts: "4 Online, 3 Away (automatic), 2 Busy"
        self.state_seen = QLabel("")
        self.state_seen.setProperty("textFormat", PLAIN_TEXT)
        self.state_seen.setObjectName("state-seen")
        self.state_seen.setWordWrap(True)
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.state_text)
        words.addWidget(self.state_seen)
        icon_column = QVBoxLayout()  # centres the icon vertically (AlignVCenter without `Qt.`)
        icon_column.addStretch(1)
        icon_column.addWidget(self.state_icon)
        icon_column.addStretch(1)
        top.addLayout(icon_column)
        top.addLayout(words, 1)
        outer.addLayout(top)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(4)
        self.account_list = AccountList(self.body)
        # Above and below the scrolling accounts, always in view: what is for all accounts.
        self.top_bar, self.top_layout = self._bar("top-bar")
        self.bottom_bar, self.bottom_layout = self._bar("bottom-bar")
        self.account_rows: dict[str, AccountRow] = {}
        outer.addWidget(self.top_bar)
        outer.addWidget(self.account_list, 1)
        outer.addWidget(self.bottom_bar)
        self.notice = QLabel("")
        self.notice.setProperty("textFormat", PLAIN_TEXT)
        self.notice.setWordWrap(True)
        self.notice.setObjectName("notice")
        self.notice.hide()
        self.notice_expiry = NoticeExpiry(self.notice, self)
        outer.addWidget(self.notice)
        # Why a window: small, at the bottom; not claimed when the window was asked for.
        self.reason = QLabel(forced_reason() if forced else no_tray_reason())
        self.reason.setWordWrap(True)
        self.reason.setObjectName("reason")
        self.reason.setStyleSheet("color: palette(placeholder-text);")
        small = QFont(self.reason.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.reason.setFont(small)
        outer.addWidget(self.reason)
        # Never narrower than WINDOW_WIDTH (narrower, the wrapped lines would want a minimum
        # height taller than the content needs) nor than the content: the layout sets the
        # window's minimum size, so a row of buttons is never squeezed or cut off.
        outer.addSpacerItem(
            QSpacerItem(WINDOW_WIDTH - outer.contentsMargins().left() - outer.contentsMargins().right(), 0)
        )
        outer.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.resize(self.sizeHint())

    @staticmethod
    def _bar(name: str) -> tuple[QWidget, QVBoxLayout]:
        bar = QWidget()
        bar.setObjectName(name)
        lay = QVBoxLayout(bar)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        return bar, lay

    # -- rendering ---------------------------------------------------------------------------

    def render(self, model: MenuModel) -> None:
        rebuilt = self.model is None or self.model.shape() != model.shape()
        if rebuilt:
            self._rebuild(model)
        self._keyed = access_texts(model.items)  # the menu's access keys: Alt+letter here
        for item in model.walk():
            self._update(item)
        self.model = model
        self.notice_expiry.check(model)
        top = headline(model)
        state, seen = top.state, top.seen
        ap = self.applier
        ap.set(self.state_text, "text", state)
        ap.set(self.state_seen, "text", seen)
        ap.set(self.state_icon, "accessibleName", translate("Window", "State: {state}").format(state=state))
        visible = model.visible_keys() | ({"state-seen"} if seen else set())
        if rebuilt or visible != self._visible_keys:
            # Lines came or went: fit the height to them (no empty space, nothing squeezed).
            self._visible_keys = visible
            self.state_seen.setVisible(bool(seen))
            QTimer.singleShot(0, self._fit_height)  # once the layout took the new lines in

    def _fit_height(self) -> None:
        layout = self.layout()
        self.account_list.updateGeometry()  # its size hint follows the body's lines
        layout.activate()
        # Wider when a row of buttons needs it (longer words in some languages), never narrower.
        width = max(self.width(), layout.sizeHint().width())
        self.resize(width, min(layout.totalHeightForWidth(width), self.max_height()))

    def max_height(self) -> int:
        """The screen's free height (without panels) less the window's frame: taller, the
        account list scrolls."""
        screen = self.screen()
        if screen is None:
            return 16_777_215  # Qt's QWIDGETSIZE_MAX
        frame = max(0, self.frameGeometry().height() - self.height())  # known once shown
        return max(self.minimumSizeHint().height(), screen.availableGeometry().height() - frame)

    def show_notification(self, n: Notification) -> None:
        self.notice.setText(translate("Window", "{title}: {text}").format(title=n.title, text=n.text))
        self.notice.setStyleSheet("color: #b3261e;" if n.warning else "")
        self.notice.show()
        self.notice_expiry.shown(n)

    def set_icon(self, key: str) -> None:
        icon = self.icons.icon(key)
        self.setWindowIcon(icon)
        self.state_icon.setPixmap(icon.pixmap(QSize(HEADLINE_ICON_PX, HEADLINE_ICON_PX), self.devicePixelRatioF()))

    def closeEvent(self, event) -> None:
        self.closed.emit()
        super().closeEvent(event)

    def sizeHint(self) -> QSize:
        # As tall as the content (no empty space) up to the screen's free height; a comfortable
        # width for the lines that wrap.
        return QSize(WINDOW_WIDTH, min(max(200, self.layout().totalHeightForWidth(WINDOW_WIDTH)), self.max_height()))
