"""The "Use my calendar…" dialog: a calendar's private address or a local .ics file, and whether
a meeting's title may be shown. The address is a secret: the field does not show the one in
use (only its host or file name), and nothing here logs it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tray_app.calendar.location import BadFeedLocation, FeedLocation


class CalendarDialog(QDialog):
    """Non-blocking. "Use" calls `on_use(location, show_titles)` (location None: keep the one in
    use, only the title choice changed); "Stop using" calls `on_stop()`; Cancel calls nothing."""

    def __init__(
        self,
        *,
        in_use: str | None,
        show_titles: bool,
        on_use: Callable[[FeedLocation | None, bool], None],
        on_stop: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Use my calendar — Presence Tray"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_use = on_use
        self._on_stop = on_stop
        self._in_use = in_use
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "While a meeting in your calendar runs, Presence Tray shows you as Busy until it ends "
                "(never over a state you chose yourself). Paste your calendar's private iCalendar "
                "&address (Nextcloud, Google and Outlook give one) or choose an .ics file:"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if in_use:
            self.current = QLabel(
                self.tr("In use now: {where} (leave the field empty to keep it)").format(where=in_use)
            )
            self.current.setWordWrap(True)
            layout.addWidget(self.current)
        row = QHBoxLayout()
        self.edit = QLineEdit()
        intro.setBuddy(self.edit)
        self.edit.setAccessibleName(self.tr("Calendar address or file"))
        self.edit.setPlaceholderText(self.tr("https://… or a file"))
        self.edit.setClearButtonEnabled(True)
        row.addWidget(self.edit, 1)
        self.choose = QPushButton(self.tr("C&hoose file…"))
        self.choose.clicked.connect(self._choose_file)
        row.addWidget(self.choose)
        layout.addLayout(row)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        self.edit.textChanged.connect(lambda _t: self.error.hide())
        layout.addWidget(self.error)
        self.titles = QCheckBox(self.tr("Show the meeting's &title with Busy"))
        self.titles.setChecked(show_titles)
        layout.addWidget(self.titles)
        note = QLabel(self.tr("The address is kept in your system keyring, like your logins."))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.buttons = QDialogButtonBox()
        self.use_button = self.buttons.addButton(self.tr("&Use calendar"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.stop_button = self.buttons.addButton(
            self.tr("&Stop using calendar"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.use_button.setDefault(True)
        self.stop_button.setEnabled(bool(in_use))
        self.use_button.clicked.connect(self._use)
        self.stop_button.clicked.connect(self._stop)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.adjustSize()

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a calendar file"), "", self.tr("iCalendar files (*.ics);;All files (*)")
        )
        if path:
            self.edit.setText(path)

    def _use(self) -> None:
        text = self.edit.text().strip()
        location = None
        if text or not self._in_use:
            try:
                location = FeedLocation.parse(text)
            except BadFeedLocation:
                self.error.setText(self._bad_location_words(text))
                self.error.show()
                self.adjustSize()
                self.edit.setFocus()
                return
        self.accept()
        self._on_use(location, self.titles.isChecked())

    def _stop(self) -> None:
        self.accept()
        self._on_stop()

    def _bad_location_words(self, text: str) -> str:
        if not text:
            return self.tr("Paste the calendar's address, or choose a file.")
        if text.lower().startswith("http://"):
            return self.tr("Plain http:// would send the calendar's private address unencrypted. Use https://.")
        return self.tr("This is not an address a calendar can be read from: use https://, webcal:// or a file.")
