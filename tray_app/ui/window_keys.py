"""The no-tray window's keyboard: arrows that move without sending, and a focus you can see.

- `StateRadio`: a state's radio button. Qt's radio buttons in an exclusive group *click* the
  next one on an arrow key, so Down, Down sent Busy and then Offline to the server. Here the
  arrows only move the focus through the account's states (the check mark keeps saying what
  the server holds); Space, Return, Enter or a click commits the focused one.
- `FocusRing`: draws a ring in the highlight colour around whichever of the window's controls
  has the focus, after the control painted itself. The quiet (flat) buttons showed no focus
  at all in Fusion, the style used where no desktop theme is set.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF
from PySide6.QtGui import QKeyEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QButtonGroup, QRadioButton, QWidget

# Key codes as plain ints (see window.py: no `Qt.` names at import).
KEY_LEFT, KEY_UP, KEY_RIGHT, KEY_DOWN = 0x01000012, 0x01000013, 0x01000014, 0x01000015
KEY_RETURN, KEY_ENTER = 0x01000004, 0x01000005
TAB_FOCUS_REASON, BACKTAB_FOCUS_REASON, ACTIVE_WINDOW_FOCUS_REASON = 1, 2, 3  # Qt::FocusReason


class StateRadio(QRadioButton):
    """A radio button whose arrows move the focus to the previous or next state of its group
    (round the end, as in GTK and Windows) without clicking it."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        key = event.key()
        if key in (KEY_UP, KEY_DOWN, KEY_LEFT, KEY_RIGHT):
            self._move(-1 if key in (KEY_UP, KEY_LEFT) else 1)
            event.accept()
            return
        if key in (KEY_RETURN, KEY_ENTER) and self.isEnabled():
            self.click()  # as Space does
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Tab into the group lands on the checked state (where the arrows start from), and so
        does the window's first focus when a state is its first control."""
        super().focusInEvent(event)
        group = self.group()
        checked = group.checkedButton() if group is not None else None
        reason = event.reason()
        tabbed = reason.value in (TAB_FOCUS_REASON, BACKTAB_FOCUS_REASON, ACTIVE_WINDOW_FOCUS_REASON)
        if tabbed and checked is not None and checked is not self and checked.isVisibleTo(self.window()):
            checked.setFocus(reason)

    def _move(self, step: int) -> None:
        group = self.group()
        buttons = [b for b in group.buttons() if b.isVisibleTo(self.window()) and b.isEnabled()] if group else []
        if self not in buttons or len(buttons) < 2:
            return
        target = buttons[(buttons.index(self) + step) % len(buttons)]
        from PySide6.QtCore import Qt  # here, not at import (see window.py)

        target.setFocus(Qt.FocusReason.OtherFocusReason)


def group_tab_order(group: QButtonGroup, extras: dict[str, QWidget]) -> None:
    """The group's states one after the other in the Tab order, then the buttons beside them
    (`extras` by the state's object name: "For…"): Tab enters the group once (at the checked
    state) and goes on to the buttons, none skipped."""
    chain: list[QWidget] = list(group.buttons())
    chain += [extras[b.objectName()] for b in group.buttons() if b.objectName() in extras]
    for before, after in zip(chain, chain[1:], strict=False):
        QWidget.setTabOrder(before, after)


class FocusRing(QObject):
    """Paints a focus ring over the focused control of `window` (and only there)."""

    WIDTH = 2

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._on: QWidget | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._moved)

    @property
    def ringed(self) -> QWidget | None:
        """The control the ring is drawn on (None: the focus is elsewhere)."""
        return self._on

    def _moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not shiboken6.isValid(self._window):  # the window is going (its focus moves away)
            return
        if self._on is not None and shiboken6.isValid(self._on):
            self._on.removeEventFilter(self)
            self._on.update()
        inside = new is not None and new is not self._window and self._window.isAncestorOf(new)
        self._on = new if inside else None
        if new is not None and inside:
            new.installEventFilter(self)
            new.update()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.Paint or obj is not self._on or not isinstance(obj, QWidget):
            return False
        obj.event(event)  # the control paints itself first
        painter = QPainter(obj)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(obj.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight))
        pen.setWidthF(self.WIDTH)
        painter.setPen(pen)
        half = self.WIDTH / 2
        painter.drawRoundedRect(QRectF(obj.rect()).adjusted(half, half, -half, -half), 3, 3)
        painter.end()
        return True
