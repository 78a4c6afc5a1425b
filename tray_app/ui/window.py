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
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMenu,
    QPushButton,
    QScrollArea,
    QSpacerItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tray_app.translation import translate
from tray_app.ui.access_keys import access_texts
from tray_app.ui.accessibility import install_window_role, named_group
from tray_app.ui.account_row import AccountRow
from tray_app.ui.icons import IconFactory
from tray_app.ui.property_applier import PropertyApplier
from tray_app.ui.view_model import Action, Headline, Kind, MenuItem, MenuModel, Notification, Placement
from tray_app.ui.window_choices import is_settings, settings_panel, update_settings
from tray_app.ui.window_keys import FocusRing, StateRadio, group_tab_order
from tray_app.ui.window_notice import NoticeExpiry


def no_tray_reason() -> str:
    return translate(
        "Window",
        "No system tray was found on this desktop (for example GNOME without the AppIndicator "
        "extension, or Wayland without a tray host), so Presence Tray shows its controls in this "
        "window instead. Closing the window quits Presence Tray.",
    )


def forced_reason() -> str:
    return translate("Window", "Closing this window quits Presence Tray.")


# No `Qt.` names in this module: PySide6 builds all ~100 enums of the `Qt` namespace at its first
# use (~15 ms of CPU), which then comes after the first (last known) icon instead of before it
# (qasync's first killTimer() needs them soon after). Qt::TextSelectableByMouse is set through
# the QLabel property, where an int converts; so are the other enums below.
TEXT_SELECTABLE_BY_MOUSE = 1
NO_TEXT_INTERACTION = 0
PLAIN_TEXT = 0  # Qt::PlainText
SCROLL_BAR_ALWAYS_OFF = 1  # Qt::ScrollBarAlwaysOff
NO_FOCUS = 0  # Qt::NoFocus
INSTANT_POPUP = 2  # QToolButton::InstantPopup

HEADLINE_ICON_PX = 48
WINDOW_WIDTH = 400
# The least height of the scrolling list when the window is made small (about four lines).
LIST_MIN_HEIGHT = 120


def _is_secondary(item: MenuItem) -> bool:
    """The actions that are not about the state: quiet (flat) buttons in a row."""
    return item.placement in (Placement.QUIET, Placement.QUIET_END)


def headline(model: MenuModel) -> Headline:
    """The state in words for the top of the window (the presenter's; the icon next to it
    shows the same)."""
    return model.headline or Headline(translate("Window", "Not signed in"))


class AccountList(QScrollArea):
    """The window's body (accounts, their controls, the bottom row) in a scroll area that wants
    the body's full height and accepts less: the window caps its own height (`_fit_height`) and
    the list scrolls. Never narrower than the body plus a vertical scroll bar, so nothing is cut
    off sideways when the bar shows."""

    def __init__(self, body: QWidget) -> None:
        super().__init__()
        self.setObjectName("account-list")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setProperty("horizontalScrollBarPolicy", SCROLL_BAR_ALWAYS_OFF)
        self.setWidgetResizable(True)
        # Tab goes from control to control, not to the area itself; QScrollArea scrolls the
        # focused control into view.
        self.setProperty("focusPolicy", NO_FOCUS)
        self.setWidget(body)

    def _bar_width(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        body = self.widget()
        # The viewport's width, without asking for `viewport()`: PySide6's first call of it costs
        # ~10 ms (before the first icon, at start).
        bar = self.verticalScrollBar()
        viewport_width = self.maximumViewportSize().width() - (self._bar_width() if bar.isVisible() else 0)
        width = max(body.minimumSizeHint().width(), viewport_width)
        layout = body.layout()
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else body.sizeHint().height()
        return QSize(body.sizeHint().width() + self._bar_width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        body = self.widget()
        return QSize(body.minimumSizeHint().width() + self._bar_width(), min(LIST_MIN_HEIGHT, body.sizeHint().height()))


class FallbackWindow(QWidget):
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

    def _rebuild(self, model: MenuModel) -> None:
        self.rebuilds += 1
        # removeWidget, not takeAt: PySide6 never frees the QLayoutItem takeAt hands over (~100
        # bytes per line per rebuild, the window's slow growth in the soak; docs/performance.md, "The soak").
        for lay in (self.top_layout, self.body_layout, self.bottom_layout):
            for w in [lay.itemAt(i).widget() for i in range(lay.count())]:
                if w is not None:
                    lay.removeWidget(w)
                    w.hide()
                    w.setParent(None)  # out of findChild() at once
                    w.deleteLater()
        self.widgets.clear()
        self.account_rows.clear()
        for g in self._groups.values():
            g.deleteLater()
        self._groups.clear()
        self._state_boxes.clear()  # went with the body's widgets
        self.applier.forget()
        row: QHBoxLayout | None = None
        secondary: list[QWidget] = []
        account_quiet: list[QWidget] = []  # an account's own quiet buttons, below its section
        quiet_account: str | None = None  # whose they are
        seen_key = headline(model).repeats
        has_accounts = any(i.account is not None for i in model.items)
        accounts_seen = False
        target = self.body_layout
        for item in model.items:
            if account_quiet and item.account != quiet_account:
                self.body_layout.addWidget(self._quiet_row(account_quiet))
                account_quiet = []
                row = None
            if item.key == seen_key:
                continue  # the headline says it already
            # The accounts scroll; what is for all of them stays in view above ("Set all
            # accounts") and below (the rest) the list.
            accounts_seen = accounts_seen or item.account is not None
            if item.account is not None or not has_accounts and item.kind in (Kind.HEADER, Kind.INFO):
                place = self.body_layout
            else:
                place = self.bottom_layout if accounts_seen or not has_accounts else self.top_layout
            if place is not target:
                target, row = place, None
            if item.placement is Placement.ACCOUNT:
                account_row = AccountRow(item, self.icons, self.on_action)
                self.account_rows[item.key] = account_row
                self.widgets[item.key + ":change"] = account_row.button
                target.addWidget(account_row)
                continue
            w = self._make(item)
            if w is None:
                continue
            if item.kind is Kind.ACTION and _is_secondary(item):
                # An account's own (Sign out, Remove from this computer…) stay with it, in a quiet
                # row under its section; the rest go to the quiet row at the bottom. One row for
                # all was too wide for the window when "Remove from this computer…" shows.
                if item.account is not None:
                    account_quiet.append(w)
                    quiet_account = item.account
                else:
                    secondary.append(w)
                continue
            # Plain actions go side by side at their natural width, everything else on its own line.
            if item.kind is Kind.ACTION:
                if row is None:
                    holder = QWidget()
                    row = QHBoxLayout(holder)
                    row.setContentsMargins(0, 0, 0, 0)
                    row.addStretch(1)
                    target.addWidget(holder)
                row.insertWidget(row.count() - 1, w)
            else:
                row = None
                in_box = item.group and item.account and target is self.body_layout
                (self._state_box(item) if in_box else target).addWidget(w)
        if account_quiet:
            self.body_layout.addWidget(self._quiet_row(account_quiet))
        for group in self._groups.values():
            group_tab_order(group, {k.removesuffix(":for"): w for k, w in self.widgets.items() if k.endswith(":for")})
        if secondary:
            holder = self._quiet_row(secondary, {i.key for i in model.items if i.placement is Placement.QUIET_END})
            holder.setObjectName("secondary")
            self.bottom_layout.addWidget(holder)

    def _state_box(self, item: MenuItem) -> QLayout:
        """Where an account's states go: a box named by the account (see `named_group`)."""
        assert item.group is not None
        box = self._state_boxes.get(item.group)
        if box is None:
            box = self._state_boxes[item.group] = named_group(
                item.group, item.account or "", self.body_layout.spacing()
            )
            self.body_layout.addWidget(box)
        layout = box.layout()
        assert layout is not None
        return layout

    @staticmethod
    def _quiet_row(buttons: list[QWidget], at_end: Collection[str] = ()) -> QWidget:
        """`at_end`: the keys of the buttons that stand alone at the row's far end (Quit)."""
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 8, 0, 0)
        ends = [w.objectName() in at_end for w in buttons]
        for w, end in zip(buttons, ends, strict=True):
            if end:
                row.addStretch(1)  # Quit on its own at the right
            row.addWidget(w)
        if not any(ends):
            row.addStretch(1)
        return holder

    def _make(self, item: MenuItem) -> QWidget | None:
        if item.kind is Kind.SEPARATOR:
            line = QFrame()
            line.setFrameShape(QFrame.Shape.HLine)
            line.setFrameShadow(QFrame.Shadow.Sunken)
            w: QWidget = line
        elif item.kind in (Kind.HEADER, Kind.INFO):
            label = QLabel()
            label.setWordWrap(True)
            if item.kind is Kind.HEADER:
                f = QFont(label.font())
                f.setBold(True)
                label.setFont(f)
            else:
                label.setStyleSheet("color: palette(placeholder-text);")
            label.setProperty("textFormat", PLAIN_TEXT)  # a server's or a person's words, never HTML
            w = label  # its text (and whether it can be selected) is set by _update
        elif item.kind is Kind.CHECK and item.group:
            rb = StateRadio(item.text)  # arrows move, Space/Return/click commits
            if item.icon:  # the state's icon, as in the menu and on the tray
                rb.setIcon(self.icons.icon(item.icon))
            group = self._groups.get(item.group)
            if group is None:
                group = self._groups[item.group] = QButtonGroup(self)
            group.addButton(rb)
            rb.clicked.connect(lambda _=False, key=item.key: self._clicked(key))
            w = rb
            if item.children:
                return self._with_choices(item, rb)
        elif item.kind is Kind.CHECK:
            cb = QCheckBox(item.text)
            cb.clicked.connect(lambda _=False, key=item.key: self._clicked(key))
            w = cb
        elif item.kind is Kind.SUBMENU and is_settings(item):
            w, controls = settings_panel(item, self._clicked, self._combo)  # automatic presence
            self.widgets.update(controls)
        elif item.kind is Kind.SUBMENU:
            # A choice among children: a labelled combo box (e.g. duration, set all accounts).
            holder = QWidget()
            lay = QHBoxLayout(holder)
            lay.setContentsMargins(0, 0, 0, 0)
            title = QLabel(item.label or item.text)
            combo = QComboBox()
            combo.setObjectName(item.key + ":combo")
            for child in item.children:
                combo.addItem(child.text, child.key)
            if item.prompt:
                combo.insertItem(0, item.prompt, None)
            combo.activated.connect(lambda idx, c=combo: self._combo(c, idx))
            title.setBuddy(combo)
            combo.setAccessibleName(item.label or item.text)  # its value is the current choice
            lay.addWidget(title)
            lay.addWidget(combo, 1)
            holder.setProperty("combo", combo)
            self.widgets[item.key + ":combo"] = combo
            w = holder
        else:
            btn = QPushButton(item.text)
            btn.setFlat(_is_secondary(item))
            btn.clicked.connect(lambda _=False, key=item.key: self._clicked(key))
            w = btn
        w.setObjectName(item.key)
        if not isinstance(w, QLabel):  # a label's name is its text, whatever it becomes
            w.setAccessibleName(item.tooltip or item.text)
        self.widgets[item.key] = w
        return w

    def _with_choices(self, item: MenuItem, button: QAbstractButton) -> QWidget:
        """A state with its durations: the radio button (a click sets it until changed) and
        beside it a button ("For…") whose menu offers the durations."""
        holder = QWidget()
        holder.setObjectName(item.key + ":holder")
        lay = QHBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        more = QToolButton()
        more.setObjectName(item.key + ":for")
        more.setText(item.children_label or "…")
        more.setProperty("popupMode", INSTANT_POPUP)
        menu = QMenu(more)
        for child in item.children:
            act = menu.addAction(child.text)
            act.setObjectName(child.key)
            act.triggered.connect(lambda _=False, key=child.key: self._clicked(key))
        more.setMenu(menu)
        lay.addWidget(button)
        lay.addWidget(more)
        lay.addStretch(1)
        button.setObjectName(item.key)
        button.setAccessibleName(item.tooltip or item.text)
        more.setAccessibleName(f"{item.children_label or ''} {item.text}".strip())
        self.widgets[item.key] = button
        self.widgets[item.key + ":for"] = more
        self.widgets[item.key + ":holder"] = holder
        return holder

    def _update(self, item: MenuItem) -> None:
        account_row = self.account_rows.get(item.key)
        if account_row is not None:
            account_row.update_from(item)
            self.applier.set(account_row, "visible", item.visible)
            return
        w = self.widgets.get(item.key)
        if w is None:
            return
        ap = self.applier
        holder = self.widgets.get(item.key + ":holder")
        if holder is not None:  # a state with its durations
            more = self.widgets[item.key + ":for"]
            ap.set(holder, "visible", item.visible)
            ap.set(more, "enabled", item.enabled)
        if item.kind is Kind.SUBMENU:
            ap.set(w, "visible", item.visible)
            combo = self.widgets.get(item.key + ":combo")
            if isinstance(combo, QComboBox):
                checked = [i for i, c in enumerate(item.children) if c.checked]
                offset = 1 if item.prompt else 0
                ap.set(combo, "currentIndex", checked[0] + offset if checked else 0)
            update_settings(item, self.widgets, ap)
            return
        text = (item.tooltip or item.text) if isinstance(w, QLabel) else item.text  # room for the whole line
        if isinstance(w, QLabel):
            # Selectable (to copy an ID or an error) only while there is text: a selectable label
            # gets a text control (a QWidgetTextControl with its QTextDocument: 5 QObjects) with
            # its first text and Qt keeps it after the text is gone. An account's connection
            # line, empty while connected, kept one from its first fault on, and the window's
            # QObjects crept up in steps of 5 (soak: 1427 -> 1467); now they follow what shows.
            ap.set(
                w,
                "textInteractionFlags",
                TEXT_SELECTABLE_BY_MOUSE if text else NO_TEXT_INTERACTION,
                setter=lambda v, w=w: w.setProperty("textInteractionFlags", v),
            )
        if isinstance(w, QAbstractButton):
            text = self._keyed.get(item.key, text.replace("&", "&&"))
        if isinstance(w, (QLabel, QAbstractButton)):
            ap.set(w, "text", text)
        if isinstance(w, QAbstractButton):
            # A screen reader reads a label's text as it is; a button's name leaves out the mnemonic.
            ap.set(w, "accessibleName", item.tooltip or item.text)
        ap.set(w, "enabled", item.enabled or item.kind in (Kind.HEADER, Kind.INFO))
        # Told explicitly after every rebuild: a widget added to a shown window only shows on a
        # later loop turn unless told now.
        ap.set(w, "visible", item.visible)
        if isinstance(w, QAbstractButton) and item.kind is Kind.CHECK:
            ap.set(w, "checked", item.checked, lambda v, b=w: self._set_checked(b, v))

    @staticmethod
    def _set_checked(button: QAbstractButton, checked: bool) -> None:
        group = button.group()
        if group is not None:
            group.setExclusive(False)  # lets "nothing checked" (not known yet) show
        button.setChecked(checked)
        if group is not None:
            group.setExclusive(True)

    def _restore(self) -> None:
        """Back to what the server confirmed until it says otherwise: a click moved a check mark
        or a combo in Qt behind the applier's back, so those (and only those) are applied again."""
        if self.model is None:
            return
        for it in self.model.walk():
            w = self.widgets.get(it.key)
            if isinstance(w, QAbstractButton) and it.kind is Kind.CHECK and w.isChecked() != it.checked:
                self.applier.forget_one(w, "checked")
            combo = self.widgets.get(it.key + ":combo")
            if isinstance(combo, QComboBox):
                self.applier.forget_one(combo, "currentIndex")
            self._update(it)

    def _clicked(self, key: str) -> None:
        if self.model is None:
            return
        item = self.model.find(key)
        self._restore()
        if item.action is not None and item.enabled:
            self.on_action(item.action)

    def _combo(self, combo: QComboBox, index: int) -> None:
        key = combo.itemData(index)
        if key is None or self.model is None:
            return
        item = self.model.find(key)
        self._restore()
        if item.action is not None:
            self.on_action(item.action)

    def click(self, key: str) -> None:
        """Click an item as a person would: its button, or (several accounts) the item in its
        account row's menu (QAction.trigger, a mouse click's path)."""
        w = self.widgets.get(key)
        if isinstance(w, QAbstractButton):
            w.click()
            return
        for row in self.account_rows.values():
            if key in row.menu_view.actions:
                row.menu_view.trigger(key)
                return
        raise ValueError(f"{key} is not a button in the window")

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
