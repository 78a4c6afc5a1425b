"""The "Status message…" dialog: one line of text, a few presets and the recent messages to pick
from, and when it clears by itself ("Clear after")."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tray_app.messages import MAX_LENGTH, ClearAfter

_RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ChoiceList(QListWidget):
    """A list of messages to pick from. Return (or Enter) picks the current one and is taken
    here: a list item view passes it on, and the dialog's default button would then set the
    message and close before the person had seen what they picked."""

    picked = Signal(str)

    def __init__(self, texts: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for text in texts:
            self.addItem(QListWidgetItem(text))
        self.itemClicked.connect(lambda item: self.picked.emit(item.text()))
        rows = max(1, min(len(texts), 5))
        self.setMaximumHeight(self.sizeHintForRow(0) * rows + 2 * self.frameWidth() + 4)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in _RETURN_KEYS and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            item = self.currentItem()
            if item is not None:
                self.picked.emit(item.text())
            event.accept()
            return
        super().keyPressEvent(event)


class StatusMessageDialog(QDialog):
    """Non-blocking: `on_done(text, clear_after)` gets the new message ("" clears it); Cancel
    and Escape call nothing. Picking a preset or a recent message (a click, or Return in its
    list) puts it in the text field, where Return sets it."""

    def __init__(
        self,
        user_id: str,
        current: str | None,
        note: str,
        presets: Sequence[str],
        recent: Sequence[str],
        on_done: Callable[[str, ClearAfter], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Status message — Presence Tray"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_done = on_done
        layout = QVBoxLayout(self)
        self.intro = QLabel(self.tr("A short &message others see with your presence ({user}):").format(user=user_id))
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.edit = QLineEdit(current or "")
        self.intro.setBuddy(self.edit)
        self.edit.setAccessibleName(self.tr("Status message"))
        self.edit.setMaxLength(MAX_LENGTH)
        self.edit.setPlaceholderText(self.tr("e.g. In a meeting until 3"))
        self.edit.setClearButtonEnabled(True)
        layout.addWidget(self.edit)

        form = QFormLayout()
        self.recent = ChoiceList(recent)
        self.recent.setAccessibleName(self.tr("Recent messages"))
        self.recent.picked.connect(self._pick)
        recent_label = QLabel(self.tr("&Recent:"))
        recent_label.setBuddy(self.recent)
        if recent:
            form.addRow(recent_label, self.recent)
        else:
            self.recent.hide()
            recent_label.hide()
        self.presets = ChoiceList(presets)
        self.presets.setAccessibleName(self.tr("Suggested messages"))
        self.presets.picked.connect(self._pick)
        presets_label = QLabel(self.tr("S&uggestions:"))
        presets_label.setBuddy(self.presets)
        form.addRow(presets_label, self.presets)
        self.clear_after = QComboBox()
        for choice in ClearAfter:
            self.clear_after.addItem(choice.label, choice)
        self.clear_after.setAccessibleName(self.tr("Clear after"))
        clear_label = QLabel(self.tr("Clear &after:"))
        clear_label.setBuddy(self.clear_after)
        form.addRow(clear_label, self.clear_after)
        layout.addLayout(form)

        self.note = QLabel(note)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox()
        self.set_button = self.buttons.addButton(self.tr("&Set message"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.clear_button = self.buttons.addButton(
            self.tr("C&lear message"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.set_button.setDefault(True)
        self.clear_button.setEnabled(bool(current))
        self.set_button.clicked.connect(self._set)
        self.clear_button.clicked.connect(self._clear)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.edit.setFocus()
        self.resize(440, self.sizeHint().height())

    def _pick(self, text: str) -> None:
        self.edit.setText(text)
        self.edit.setFocus()

    def _set(self) -> None:
        text = self.edit.text().strip()
        choice = self.clear_after.currentData()
        self.accept()
        self._on_done(text, choice if isinstance(choice, ClearAfter) else ClearAfter.NEVER)

    def _clear(self) -> None:
        self.accept()
        self._on_done("", ClearAfter.NEVER)
