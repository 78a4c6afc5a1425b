"""Draws a presenter `MenuModel` into a QMenu and forwards clicks as `Action`s.

When only texts and check marks change (the usual case: the server confirmed a
state, time passed), the existing QActions are updated in place, so an open menu
stays open and under the pointer; only a change of structure rebuilds it. Updates
go through a `PropertyApplier`: Qt is called only for what differs from the last
render.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QActionGroup, QFont, QPalette
from PySide6.QtWidgets import QMenu, QProxyStyle, QStyle, QStyleOptionMenuItem

from tray_app.ui.access_keys import access_texts
from tray_app.ui.icons import IconFactory
from tray_app.ui.property_applier import PropertyApplier
from tray_app.ui.view_model import Action, Kind, MenuItem, MenuModel

# The header and info lines: text to read, not things to pick.
_LINE_KINDS = (Kind.HEADER, Kind.INFO)
HEADER_LINE_PROPERTY = "presenceTrayLine"
# An item that opens a submenu (a state and its durations) and is also clicked itself.
PLAIN_CLICK_PROPERTY = "presenceTrayPlainClick"
_RETURN_KEYS = (0x01000004, 0x01000005)  # Qt.Key_Return, Qt.Key_Enter (no `Qt.` at import)


class HeaderLineStyle(QProxyStyle):
    """Draws the menu's header and info lines (the account, "Others see you as: …") in the
    normal text colour instead of greyed out. They stay disabled actions: the keyboard skips
    them, a click does nothing, and a screen reader reads them as they are; only the look of
    an unavailable action goes. Disabled actions (a status message with no state to attach it
    to) keep the grey."""

    def drawControl(self, element, option, painter, widget=None):  # noqa: N802 (Qt's name)
        if element == QStyle.ControlElement.CE_MenuItem and isinstance(widget, QMenu):
            act = widget.actionAt(option.rect.center())
            if act is not None and act.property(HEADER_LINE_PROPERTY):
                line = QStyleOptionMenuItem(option)
                line.state = (line.state | QStyle.StateFlag.State_Enabled) & ~QStyle.StateFlag.State_Selected
                pal = QPalette(line.palette)
                for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
                    pal.setColor(QPalette.ColorGroup.Disabled, role, pal.color(QPalette.ColorGroup.Active, role))
                pal.setCurrentColorGroup(QPalette.ColorGroup.Active)
                line.palette = pal
                super().drawControl(element, line, painter, widget)
                return
        super().drawControl(element, option, painter, widget)


def mnemonic_texts(items: tuple[MenuItem, ...]) -> dict[str, str]:
    """The display text of each item of one menu level, with its fixed access key ("&X", see
    `access_keys`: one letter per item and language, whatever the state and the number of
    accounts); a literal "&" (a status message, an ID) is escaped."""
    return access_texts(items)


def release_window_when_closed(menu: QMenu) -> None:
    """A closed menu gives its native window back. Under X11 a hidden QMenu keeps its backing
    store, an X shared-memory image of its whole size (5–8 MiB with 20 accounts), counted in the
    applet's memory for as long as the menu lives; the next opening creates it again (~1 ms)."""

    def release() -> None:
        if not menu.isVisible() and menu.windowHandle() is not None:
            menu.destroy()

    # After the hide has finished, and never on a menu already deleted (a rebuilt submenu).
    menu.aboutToHide.connect(lambda: QTimer.singleShot(0, menu, release))


class PlainClick(QObject):
    """Lets a person click an item that opens a submenu (a state, whose submenu holds its
    durations): a click on it, or Return while it is highlighted, triggers it; hovering or
    Right opens the submenu as usual. QMenu itself only opens such a submenu. As QMenu does for
    its own items, a release counts only after a press on the same item (the release of the
    right click that opened the menu picks nothing)."""

    def __init__(self, parent: QObject, done: Callable[[], None]) -> None:
        super().__init__(parent)
        self._done = done
        self._pressed: QAction | None = None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(obj, QMenu):
            return False
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            self._pressed = obj.actionAt(event.position().toPoint())
            return False
        if kind == QEvent.Type.MouseButtonRelease:
            act = obj.actionAt(event.position().toPoint())
            pressed, self._pressed = self._pressed, None
            if act is not None and act is pressed and self._plain(act):
                self._fire(act)
                return True
            return False
        if kind == QEvent.Type.KeyPress and event.key() in _RETURN_KEYS:
            act = obj.activeAction()
            if act is not None and self._plain(act):
                self._fire(act)
                return True
        return False

    @staticmethod
    def _plain(act: QAction) -> bool:
        return bool(act.property(PLAIN_CLICK_PROPERTY)) and act.isEnabled() and act.isVisible()

    def _fire(self, act: QAction) -> None:
        self._done()  # the menus close, as after any click
        act.trigger()


class MenuView:
    def __init__(self, menu: QMenu, icons: IconFactory, on_action: Callable[[Action], None]) -> None:
        self.menu = menu
        self.menu.setToolTipsVisible(True)  # shortened lines show their whole text on hover
        self.line_style = HeaderLineStyle()
        self.line_style.setParent(menu)
        self.menu.setStyle(self.line_style)
        release_window_when_closed(self.menu)
        self.icons = icons
        self.on_action = on_action
        self.model: MenuModel | None = None
        self.actions: dict[str, QAction] = {}
        self.submenus: dict[str, QMenu] = {}
        self._groups: list[QActionGroup] = []
        self._display: dict[str, str] = {}  # key -> text with its mnemonic
        self.applier = PropertyApplier()
        self.rebuilds = 0
        self.plain_click = PlainClick(menu, self._close_all)
        menu.installEventFilter(self.plain_click)

    def render(self, model: MenuModel) -> None:
        self._display = {}
        for level in [model.items, *(i.children for i in model.walk() if i.children)]:
            self._display.update(mnemonic_texts(level))
        if self.model is not None and self.model.shape() == model.shape():
            for item in model.walk():
                self._update(item)
        else:
            self._rebuild(model)
        self.model = model

    # -- building -------------------------------------------------------------------------

    def _rebuild(self, model: MenuModel) -> None:
        self.rebuilds += 1
        self.menu.clear()
        for sub in self.submenus.values():
            sub.deleteLater()
        for g in self._groups:
            g.deleteLater()
        self.actions.clear()
        self.submenus.clear()
        self._groups = []
        self.applier.forget()
        self._fill(self.menu, model.items)

    def _fill(self, menu: QMenu, items: tuple[MenuItem, ...]) -> None:
        groups: dict[str, QActionGroup] = {}
        for item in items:
            if item.kind is Kind.SEPARATOR:
                act = menu.addSeparator()
            elif item.kind is Kind.SUBMENU or item.children:
                sub = QMenu(self._text(item), menu)
                sub.setToolTipsVisible(True)
                sub.setStyle(self.line_style)
                sub.installEventFilter(self.plain_click)
                release_window_when_closed(sub)
                self.submenus[item.key] = sub
                self._fill(sub, item.children)
                act = menu.addMenu(sub)
                if item.kind is Kind.CHECK:  # a state and its durations: checkable, and clicked itself
                    self._checkable(act, item, menu, groups)
                    act.setProperty(PLAIN_CLICK_PROPERTY, item.action is not None)
                    if item.action is not None:
                        act.triggered.connect(lambda checked=False, key=item.key: self._clicked(key))
            else:
                act = QAction(self._text(item), menu)
                if item.kind is Kind.HEADER:
                    f = QFont(act.font())
                    f.setBold(True)
                    act.setFont(f)
                if item.kind in _LINE_KINDS:
                    act.setProperty(HEADER_LINE_PROPERTY, True)
                if item.kind is Kind.CHECK:
                    self._checkable(act, item, menu, groups)
                if item.action is not None:
                    # `triggered` of a checkable action inverts its check first; we re-render from
                    # the session's state afterwards, so the mark always shows what the server holds.
                    act.triggered.connect(lambda checked=False, key=item.key: self._clicked(key))
                menu.addAction(act)
            act.setObjectName(item.key)
            self.actions[item.key] = act
            self._update(item)

    def _checkable(self, act: QAction, item: MenuItem, menu: QMenu, groups: dict[str, QActionGroup]) -> None:
        act.setCheckable(True)
        if item.group:
            g = groups.get(item.group)
            if g is None:
                g = groups[item.group] = QActionGroup(menu)
                g.setExclusive(True)
                self._groups.append(g)
            g.addAction(act)

    def _close_all(self) -> None:
        for sub in self.submenus.values():
            if sub.isVisible():
                sub.hide()
        self.menu.hide()

    def _update(self, item: MenuItem) -> None:
        act = self.actions.get(item.key)
        if act is None or item.kind is Kind.SEPARATOR:
            return
        ap = self.applier
        text = self._text(item)
        sub = self.submenus.get(item.key)
        if sub is not None:
            ap.set(sub, "title", text)
        else:
            ap.set(act, "text", text)
        ap.set(act, "enabled", item.enabled)
        ap.set(act, "visible", item.visible)
        if sub is None:
            ap.set(act, "toolTip", item.tooltip or item.text)
        if item.kind is Kind.CHECK:
            ap.set(act, "checked", item.checked)
            if item.icon:
                # Beside an icon many styles (Fusion) draw no check mark, only a faint frame
                # round the icon: the chosen state is also in bold.
                ap.set(act, "bold", item.checked, lambda bold, a=act: self._set_bold(a, bold))
        if item.icon:
            ap.set(act, "icon", item.icon, lambda key, a=act: self._set_icon(a, key))

    @staticmethod
    def _set_bold(act: QAction, bold: bool) -> None:
        f = QFont(act.font())
        f.setBold(bold)
        act.setFont(f)

    def _set_icon(self, act: QAction, key: str) -> None:
        act.setIcon(self.icons.icon(key))
        act.setIconVisibleInMenu(True)

    def _text(self, item: MenuItem) -> str:
        return self._display.get(item.key, item.text.replace("&", "&&"))

    def _clicked(self, key: str) -> None:
        assert self.model is not None
        item = self.model.find(key)
        # Put the check marks back to what the server confirmed until it says otherwise.
        for it in self.model.walk():
            if it.kind is Kind.CHECK:
                a = self.actions.get(it.key)
                if a is not None and a.isChecked() != it.checked:
                    a.setChecked(it.checked)
        if item.action is not None:
            self.on_action(item.action)

    # -- for tests and the fallback window -------------------------------------------------------

    def trigger(self, key: str) -> None:
        """Click an item as a person would (QAction.trigger, the same path as a mouse click)."""
        self.actions[key].trigger()

    def action_texts(self) -> list[str]:
        """The texts of the visible top-level items (separators as "")."""
        return [plain_text(a.text()) for a in self.menu.actions() if a.isVisible()]


def plain_text(text: str) -> str:
    """A QAction's text as read: without the mnemonic marker, "&&" back to "&"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")
