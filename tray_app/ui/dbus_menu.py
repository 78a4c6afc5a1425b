"""The menu over D-Bus (com.canonical.dbusmenu), for the StatusNotifierItem path.

It renders the same presenter `MenuModel` the QMenu renders, so a panel (Plasma, GNOME's
AppIndicator extension, waybar, …) shows the same items, radio marks, mnemonics and header
icons, and a click comes back as the item's `Action`. Like the QMenu view it sends only what
changed: properties of items whose text or state changed (ItemsPropertiesUpdated), and a new
layout (LayoutUpdated) only when the menu's structure changed.

Imported only on the StatusNotifierItem path (dbus-fast costs ~120 ms to import).
"""

# No `from __future__ import annotations`: dbus-fast reads the D-Bus signatures from them.

import logging
from collections.abc import Callable
from typing import Any

from dbus_fast import Variant
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_property, method, signal

from tray_app.ui.menu import mnemonic_texts
from tray_app.ui.view_model import Action, Kind, MenuItem, MenuModel

log = logging.getLogger(__name__)

MENU_PATH = "/MenuBar"
ROOT_ID = 0


def dbusmenu_label(qt_text: str) -> str:
    """A Qt menu text ("&" marks the mnemonic, "&&" a literal "&") in dbusmenu's convention
    ("_" marks the mnemonic, "__" a literal "_")."""
    out = []
    i = 0
    while i < len(qt_text):
        ch = qt_text[i]
        if ch == "&" and i + 1 < len(qt_text):
            nxt = qt_text[i + 1]
            out.append("&" if nxt == "&" else "_" + ("__" if nxt == "_" else nxt))
            i += 2
            continue
        out.append("__" if ch == "_" else ch)
        i += 1
    return "".join(out)


class DBusMenu(ServiceInterface):
    """com.canonical.dbusmenu for one `MenuModel` at a time (see `render`)."""

    def __init__(
        self,
        on_action: Callable[[Action], None],
        on_opening: Callable[[], None],
        icon_png: Callable[[str], bytes],
    ) -> None:
        super().__init__("com.canonical.dbusmenu")
        self._on_action = on_action
        self._on_opening = on_opening
        self._icon_png = icon_png
        self._ids: dict[str, int] = {}  # item key -> dbusmenu id, stable for the process
        self._next_id = 1
        self._model: MenuModel | None = None
        self._props: dict[int, dict[str, Variant]] = {}
        self._children: dict[int, list[int]] = {ROOT_ID: []}
        self._items: dict[int, MenuItem] = {}
        self.revision = 1
        self.open = False  # a panel shows the menu now (between "opened" and "closed")
        self.clicks = 0

    # -- rendering --------------------------------------------------------------------------

    def render(self, model: MenuModel) -> None:
        if model == self._model:
            return  # the usual tick: nothing to tell the panel
        structure_changed = self._model is None or self._model.shape() != model.shape()
        old = self._props
        self._model = model
        self._props, self._children, self._items = {}, {ROOT_ID: []}, {}
        self._add_level(ROOT_ID, model.items)
        if structure_changed:
            self.revision += 1
            if old:
                self.LayoutUpdated()
            return
        changed = [[i, props] for i, props in self._props.items() if old.get(i) != props]
        if changed:
            self.ItemsPropertiesUpdated(changed, [])

    def _id(self, key: str) -> int:
        ident = self._ids.get(key)
        if ident is None:
            ident = self._ids[key] = self._next_id
            self._next_id += 1
        return ident

    def _add_level(self, parent: int, items: tuple[MenuItem, ...]) -> None:
        texts = mnemonic_texts(items)
        for item in items:
            ident = self._id(item.key)
            self._children[parent].append(ident)
            self._items[ident] = item
            self._props[ident] = self._item_props(item, texts.get(item.key, item.text))
            if item.kind is Kind.SUBMENU or item.children:
                self._children[ident] = []
                self._add_level(ident, item.children)

    def _item_props(self, item: MenuItem, qt_text: str) -> dict[str, Variant]:
        if item.kind is Kind.SEPARATOR:
            return {"type": Variant("s", "separator"), "visible": Variant("b", item.visible)}
        props = {
            "label": Variant("s", dbusmenu_label(qt_text)),
            # Headers and info lines are not things to click; panels draw them as such.
            "enabled": Variant("b", item.enabled and item.kind not in (Kind.HEADER, Kind.INFO)),
            "visible": Variant("b", item.visible),
        }
        if item.kind in (Kind.HEADER, Kind.INFO):
            props["disposition"] = Variant("s", "informative")
        if item.kind is Kind.CHECK:
            props["toggle-type"] = Variant("s", "radio" if item.group else "checkmark")
            props["toggle-state"] = Variant("i", 1 if item.checked else 0)
        if item.kind is Kind.SUBMENU or item.children:
            # (A state with its durations: a radio item that opens them. Whether the panel lets
            # the item itself be clicked is the panel's choice; "Until I change it" comes first.)
            props["children-display"] = Variant("s", "submenu")
        if item.icon:
            props["icon-data"] = Variant("ay", self._icon_png(item.icon))
        return props

    def _node(self, ident: int, depth: int, names: list[str]) -> list[Any]:
        if ident == ROOT_ID:
            props = {"children-display": Variant("s", "submenu")}
        else:
            props = self._props.get(ident, {})
        if names:
            props = {k: v for k, v in props.items() if k in names}
        children = []
        if depth != 0:
            for child in self._children.get(ident, []):
                children.append(Variant("(ia{sv}av)", self._node(child, depth - 1, names)))
        return [ident, props, children]

    # -- what the D-Bus methods do (plain methods: dbus-fast's wrappers return nothing) ----------

    def layout(self, parent: int, depth: int = -1, names: list[str] | None = None) -> list[Any]:
        return [self.revision, self._node(parent, depth, names or [])]

    def event(self, ident: int, event_id: str) -> None:
        if event_id == "clicked":
            self._clicked(ident)
        elif event_id == "opened" and ident == ROOT_ID:
            self.open = True
        elif event_id == "closed" and ident == ROOT_ID:
            self.open = False

    def about_to_show(self, ident: int) -> bool:
        """Opening the menu re-reads the server (as the QMenu's aboutToShow does); the answer
        arrives as updates, so the panel need not wait: False."""
        if ident == ROOT_ID:
            self._on_opening()
        return False

    def _clicked(self, ident: int) -> None:
        item = self._items.get(ident)
        if item is None or item.action is None or not item.enabled or not item.visible:
            return
        self.clicks += 1
        self._on_action(item.action)

    # -- com.canonical.dbusmenu ------------------------------------------------------------------

    @dbus_property(access=PropertyAccess.READ)
    def Version(self) -> "u":  # noqa: F821
        return 3

    @dbus_property(access=PropertyAccess.READ)
    def TextDirection(self) -> "s":  # noqa: F821
        return "ltr"

    @dbus_property(access=PropertyAccess.READ)
    def Status(self) -> "s":  # noqa: F821
        return "normal"

    @dbus_property(access=PropertyAccess.READ)
    def IconThemePath(self) -> "as":  # noqa: F821
        return []

    @method()
    def GetLayout(self, parentId: "i", recursionDepth: "i", propertyNames: "as") -> "u(ia{sv}av)":  # noqa: F821
        return self.layout(parentId, recursionDepth, propertyNames)

    @method()
    def GetGroupProperties(self, ids: "ai", propertyNames: "as") -> "a(ia{sv})":  # noqa: F821
        wanted = ids or list(self._props)
        out = []
        for ident in wanted:
            props = self._props.get(ident)
            if props is None:
                continue
            if propertyNames:
                props = {k: v for k, v in props.items() if k in propertyNames}
            out.append([ident, props])
        return out

    @method()
    def GetProperty(self, id: "i", name: "s") -> "v":  # noqa: A002, F821
        value = self._props.get(id, {}).get(name)
        return value if value is not None else Variant("s", "")

    @method()
    def Event(self, id: "i", eventId: "s", data: "v", timestamp: "u"):  # noqa: A002, F821
        self.event(id, eventId)

    @method()
    def EventGroup(self, events: "a(isvu)") -> "ai":  # noqa: F821
        errors = []
        for ident, event_id, _data, _ts in events:
            if ident != ROOT_ID and ident not in self._items:
                errors.append(ident)
            else:
                self.event(ident, event_id)
        return errors

    @method()
    def AboutToShow(self, id: "i") -> "b":  # noqa: A002, F821
        return self.about_to_show(id)

    @method()
    def AboutToShowGroup(self, ids: "ai") -> "aiai":  # noqa: F821
        if ROOT_ID in ids:
            self.about_to_show(ROOT_ID)
        return [[], [i for i in ids if i != ROOT_ID and i not in self._items]]

    @signal()
    def ItemsPropertiesUpdated(self, updated, removed) -> "a(ia{sv})a(ias)":  # noqa: F821
        return [updated, removed]

    @signal()
    def LayoutUpdated(self) -> "ui":  # noqa: F821
        return [self.revision, ROOT_ID]

    @signal()
    def ItemActivationRequested(self) -> "iu":  # noqa: F821
        return [ROOT_ID, 0]
