"""A submenu of settings in the no-tray window (the automatic-presence one): each independent
switch a check box, each exclusive group a combo box showing its current choice.

One combo box for the whole submenu showed its first checked entry, "Set my presence
automatically", whatever the threshold and the lock choice were.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from tray_app.ui.accessibility import named_group
from tray_app.ui.property_applier import PropertyApplier
from tray_app.ui.view_model import Kind, MenuItem


def is_settings(item: MenuItem) -> bool:
    """Children that are not one single choice: switches, or several exclusive groups."""
    checks = [c for c in item.children if c.kind is Kind.CHECK]
    groups = {c.group for c in checks}
    return bool(checks) and (None in groups or len(groups) > 1)


def combo_key(item: MenuItem, group: str) -> str:
    return f"{item.key}:{group}:combo"


def settings_panel(
    item: MenuItem, clicked: Callable[[str], None], chosen: Callable[[QComboBox, int], None]
) -> tuple[QWidget, dict[str, QWidget]]:
    """The panel (named as the submenu, its label shown above) and its controls by key: the
    check boxes under their items' keys (the window updates them as any check item), the
    combo boxes under `combo_key`."""
    box = named_group(item.key, item.text, 2)
    layout = box.layout()
    assert layout is not None
    layout.addWidget(QLabel(item.label or item.text))
    controls: dict[str, QWidget] = {}
    for child in item.children:
        if child.kind is not Kind.CHECK:
            continue
        if child.group is None:
            check = QCheckBox(child.text)
            check.setObjectName(child.key)
            check.setAccessibleName(child.text)
            check.clicked.connect(lambda _=False, key=child.key: clicked(key))
            controls[child.key] = check
            layout.addWidget(check)
            continue
        key = combo_key(item, child.group)
        combo = controls.get(key)
        if not isinstance(combo, QComboBox):
            combo = QComboBox()
            combo.setObjectName(key)
            combo.setAccessibleName(item.text)  # its value (the current choice) says the rest
            combo.activated.connect(lambda idx, c=combo: chosen(c, idx))
            controls[key] = combo
            layout.addWidget(combo)
        combo.addItem(child.text, child.key)
    return box, controls


def update_settings(item: MenuItem, widgets: dict[str, QWidget], applier: PropertyApplier) -> None:
    """Each group's combo box shows its checked choice (and is enabled with its choices)."""
    groups: dict[str, list[MenuItem]] = {}
    for child in item.children:
        if child.kind is Kind.CHECK and child.group is not None:
            groups.setdefault(child.group, []).append(child)
    for group, children in groups.items():
        combo = widgets.get(combo_key(item, group))
        if not isinstance(combo, QComboBox):
            continue
        checked = [i for i, c in enumerate(children) if c.checked]
        applier.set(combo, "currentIndex", checked[0] if checked else -1)
        applier.set(combo, "enabled", any(c.enabled for c in children))
        for i, c in enumerate(children):
            applier.set(combo, f"item{i}", c.text, lambda text, i=i, c=combo: c.setItemText(i, text))
