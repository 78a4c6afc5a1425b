"""What a screen reader is told beyond what Qt tells it by itself (AT-SPI on Linux, UIA on
Windows, NSAccessibility on macOS go through the same QAccessible calls).

- The no-tray window is a window (AT-SPI role "frame", named "Presence Tray"): a plain QWidget
  at the top is announced as a nameless "filler".
- `named_group`: a borderless box around an account's states, named by the account (AT-SPI:
  a panel "@you:example.org" holding the radio buttons), so its states are not just "Away".
- `announce`: a message a screen reader speaks at once, wherever the focus is (the sign-in
  error: the focus stays in the field being typed in).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QGroupBox, QVBoxLayout, QWidget

# Qt class names (the metaobject's, ours included) that are application windows.
WINDOW_CLASSES = frozenset({"FallbackWindow"})
_installed = False


def _factory(classname: str, obj: QObject) -> QAccessibleInterface | None:
    if classname in WINDOW_CLASSES and isinstance(obj, QWidget):
        return QAccessibleWidget(obj, QAccessible.Role.Window)
    return None


def install_window_role() -> None:
    """Once per process: our top-level windows get the Window role."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def announce(widget: QWidget, text: str) -> None:
    """Has a screen reader say `text` now (assertive: it interrupts), from `widget`."""
    if not text:
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


def named_group(object_name: str, name: str, spacing: int) -> QGroupBox:
    """A group box that draws nothing of its own (no border, no title), named `name` for a
    screen reader; its children go in its QVBoxLayout, `spacing` apart."""
    box = QGroupBox()
    box.setObjectName(object_name)
    box.setFlat(True)
    box.setStyleSheet("QGroupBox { border: 0; margin: 0; padding: 0; }")
    box.setAccessibleName(name)
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(spacing)
    return box
