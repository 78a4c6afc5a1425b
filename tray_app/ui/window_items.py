"""The no-tray window's widgets kept in step with the model (`WindowItems`, a base of
`FallbackWindow` in window.py): each item's widget updated to what the model says (through the
`PropertyApplier`, only what changed), and clicks turned into the model's actions. Apart from
window.py so each of the window's concerns reads on its own: the fixed frame and the headline
(window.py), the items laid out as widgets (window_layout.py), and this.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QWidget

from tray_app.ui.account_row import AccountRow
from tray_app.ui.property_applier import PropertyApplier
from tray_app.ui.view_model import Action, Kind, MenuItem, MenuModel
from tray_app.ui.window_choices import update_settings

# Qt enums as plain ints (no `Qt.` names at import, see window.py).
TEXT_SELECTABLE_BY_MOUSE = 1
NO_TEXT_INTERACTION = 0


class WindowItems(QWidget):
    """What `FallbackWindow.__init__` sets up and the methods here use."""

    on_action: Callable[[Action], None]
    model: MenuModel | None
    widgets: dict[str, QWidget]
    account_rows: dict[str, AccountRow]
    applier: PropertyApplier
    _keyed: dict[str, str]

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
