"""The window shown when this desktop has no system tray (GNOME without AppIndicator, Wayland
without a StatusNotifier watcher): the same controls as the menu, drawn from the same model,
and a line saying why there is a window. Closing it quits, since nothing else would be visible.
Like the menu, it calls Qt only for what differs from the last render (`PropertyApplier`).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QCheckBox,
)

from tray_app.ui.icons import IconFactory
from tray_app.ui.presenter import Action, Kind, MenuItem, MenuModel, Notification
from tray_app.ui.property_applier import PropertyApplier

NO_TRAY_REASON = (
    "No system tray was found on this desktop (for example GNOME without the AppIndicator "
    "extension, or Wayland without a tray host), so Presence Tray shows its controls in this "
    "window instead. Closing the window quits Presence Tray."
)


class FallbackWindow(QWidget):
    closed = Signal()

    def __init__(self, icons: IconFactory, on_action: Callable[[Action], None]) -> None:
        super().__init__()
        self.setWindowTitle("Presence Tray")
        self.setWindowIcon(icons.app_icon())
        self.icons = icons
        self.on_action = on_action
        self.model: MenuModel | None = None
        self.widgets: dict[str, QWidget] = {}
        self._groups: dict[str, QButtonGroup] = {}
        self.applier = PropertyApplier()
        self.rebuilds = 0

        outer = QVBoxLayout(self)
        self.reason = QLabel(NO_TRAY_REASON)
        self.reason.setWordWrap(True)
        self.reason.setObjectName("reason")
        outer.addWidget(self.reason)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.body)
        self.notice = QLabel("")
        self.notice.setWordWrap(True)
        self.notice.setObjectName("notice")
        self.notice.hide()
        outer.addWidget(self.notice)
        self.resize(440, 520)

    # -- rendering ---------------------------------------------------------------------------

    def render(self, model: MenuModel) -> None:
        if self.model is None or self.model.shape() != model.shape():
            self._rebuild(model)
        for item in model.walk():
            self._update(item)
        self.model = model

    def _rebuild(self, model: MenuModel) -> None:
        self.rebuilds += 1
        while self.body_layout.count():
            it = self.body_layout.takeAt(0)
            w = it.widget()
            if w is not None:
                w.hide()
                w.setParent(None)  # out of findChild() and the layout at once
                w.deleteLater()
        self.widgets.clear()
        for g in self._groups.values():
            g.deleteLater()
        self._groups.clear()
        self.applier.forget()
        row: QHBoxLayout | None = None
        for item in model.items:
            w = self._make(item)
            if w is None:
                continue
            # Plain actions go side by side, everything else on its own line.
            if item.kind is Kind.ACTION:
                if row is None:
                    holder = QWidget()
                    row = QHBoxLayout(holder)
                    row.setContentsMargins(0, 0, 0, 0)
                    self.body_layout.addWidget(holder)
                row.addWidget(w)
            else:
                row = None
                self.body_layout.addWidget(w)
        self.body_layout.addStretch(1)

    def _make(self, item: MenuItem) -> QWidget | None:
        if item.kind is Kind.SEPARATOR:
            line = QFrame()
            line.setFrameShape(QFrame.Shape.HLine)
            line.setFrameShadow(QFrame.Shadow.Sunken)
            w: QWidget = line
        elif item.kind in (Kind.HEADER, Kind.INFO):
            label = QLabel(item.tooltip or item.text)  # the window has room for the whole line
            label.setWordWrap(True)
            if item.kind is Kind.HEADER:
                f = QFont(label.font())
                f.setBold(True)
                label.setFont(f)
            else:
                label.setStyleSheet("color: palette(placeholder-text);")
            w = label
        elif item.kind is Kind.CHECK and item.group:
            rb = QRadioButton(item.text)
            group = self._groups.get(item.group)
            if group is None:
                group = self._groups[item.group] = QButtonGroup(self)
            group.addButton(rb)
            rb.clicked.connect(lambda _=False, key=item.key: self._clicked(key))
            w = rb
        elif item.kind is Kind.CHECK:
            cb = QCheckBox(item.text)
            cb.clicked.connect(lambda _=False, key=item.key: self._clicked(key))
            w = cb
        elif item.kind is Kind.SUBMENU:
            # A choice among children: a labelled combo box (e.g. duration, set all accounts).
            holder = QWidget()
            lay = QHBoxLayout(holder)
            lay.setContentsMargins(0, 0, 0, 0)
            title = QLabel(item.text.split(":")[0] + ":")
            combo = QComboBox()
            combo.setObjectName(item.key + ":combo")
            for child in item.children:
                combo.addItem(child.text, child.key)
            if item.key == "all":
                combo.insertItem(0, "choose…", None)
            combo.activated.connect(lambda idx, c=combo: self._combo(c, idx))
            lay.addWidget(title)
            lay.addWidget(combo, 1)
            holder.setProperty("combo", combo)
            self.widgets[item.key + ":combo"] = combo
            w = holder
        else:
            btn = QPushButton(item.text)
            btn.clicked.connect(lambda _=False, key=item.key: self._clicked(key))
            w = btn
        w.setObjectName(item.key)
        self.widgets[item.key] = w
        return w

    def _update(self, item: MenuItem) -> None:
        w = self.widgets.get(item.key)
        if w is None:
            return
        ap = self.applier
        if item.kind is Kind.SUBMENU:
            combo = self.widgets.get(item.key + ":combo")
            if isinstance(combo, QComboBox):
                checked = [i for i, c in enumerate(item.children) if c.checked]
                offset = 1 if item.key == "all" else 0
                ap.set(combo, "currentIndex", checked[0] + offset if checked else 0)
            return
        text = (item.tooltip or item.text) if isinstance(w, QLabel) else item.text
        if isinstance(w, (QLabel, QAbstractButton)):
            ap.set(w, "text", text)
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

    def show_notification(self, n: Notification) -> None:
        self.notice.setText(f"{n.title}: {n.text}")
        self.notice.setStyleSheet("color: #b3261e;" if n.warning else "")
        self.notice.show()

    def set_icon(self, key: str) -> None:
        self.setWindowIcon(self.icons.icon(key))

    def closeEvent(self, event) -> None:
        self.closed.emit()
        super().closeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(440, 520)

