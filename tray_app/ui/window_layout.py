"""How the no-tray window lays the model's items out as widgets (`WindowLayout`, a base of
`FallbackWindow` in window.py): rebuilt whenever the model's shape changes; the accounts in a
scrolling list (`AccountList`), what is for all of them above and below it, the secondary actions
as quiet rows. Apart from window.py so each of the window's concerns reads on its own: the fixed
frame and the headline (window.py), this, and the widgets kept in step (window_items.py).
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QSize
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
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tray_app.ui.accessibility import named_group
from tray_app.ui.account_row import AccountRow
from tray_app.ui.icons import IconFactory
from tray_app.ui.view_model import Kind, MenuItem, MenuModel, Placement
from tray_app.ui.window_choices import is_settings, settings_panel
from tray_app.ui.window_items import WindowItems
from tray_app.ui.window_keys import StateRadio, group_tab_order
from tray_app.ui.window_words import headline

# Qt enums as plain ints (no `Qt.` names at import, see window.py).
PLAIN_TEXT = 0  # Qt::PlainText
SCROLL_BAR_ALWAYS_OFF = 1  # Qt::ScrollBarAlwaysOff
NO_FOCUS = 0  # Qt::NoFocus
INSTANT_POPUP = 2  # QToolButton::InstantPopup

# The least height of the scrolling list when the window is made small (about four lines).
LIST_MIN_HEIGHT = 120


def _is_secondary(item: MenuItem) -> bool:
    """The actions that are not about the state: quiet (flat) buttons in a row."""
    return item.placement in (Placement.QUIET, Placement.QUIET_END)


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


class WindowLayout(WindowItems):
    """What `FallbackWindow.__init__` sets up and the methods here use."""

    icons: IconFactory
    rebuilds: int
    body_layout: QVBoxLayout
    top_layout: QVBoxLayout
    bottom_layout: QVBoxLayout
    _groups: dict[str, QButtonGroup]
    _state_boxes: dict[str, QWidget]

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
            if item.kind is Kind.SEPARATOR and _ends_with_line(target):
                continue  # what stood between two lines went to the quiet row: one line, not two
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


def _ends_with_line(layout: QLayout) -> bool:
    """Whether the last widget laid out is a separator line (QMenu collapses such pairs itself)."""
    last = layout.itemAt(layout.count() - 1) if layout.count() else None
    w = last.widget() if last is not None else None
    return isinstance(w, QFrame) and w.frameShape() == QFrame.Shape.HLine
