"""The "Status message…" dialog: one line of text kept with the override."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

MAX_LENGTH = 200  # a status line, not a letter; keeps menus and tooltips readable


class StatusMessageDialog(QDialog):
    """Non-blocking: `on_done(text)` gets the new message ("" clears it); Cancel calls nothing."""

    def __init__(
        self,
        user_id: str,
        current: str | None,
        state_label: str,
        on_done: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Status message — Presence Tray"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_done = on_done
        layout = QVBoxLayout(self)
        self.intro = QLabel(
            self.tr("A short &message shown with your presence ({state}) for {user}:").format(
                state=state_label, user=user_id
            )
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.edit = QLineEdit(current or "")
        self.intro.setBuddy(self.edit)
        self.edit.setAccessibleName(self.tr("Status message"))
        self.edit.setMaxLength(MAX_LENGTH)
        self.edit.setPlaceholderText(self.tr("e.g. In a meeting until 3"))
        self.edit.setClearButtonEnabled(True)
        layout.addWidget(self.edit)
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
        self.resize(420, self.sizeHint().height())

    def _set(self) -> None:
        text = self.edit.text().strip()
        self.accept()
        self._on_done(text)

    def _clear(self) -> None:
        self.accept()
        self._on_done("")
