"""When the window's notice line goes (issue 19: "changed elsewhere" stayed after the state moved
on). A notice about an account goes once that account's states have moved on: "changed
elsewhere: now Away" is no longer true when it is Busy, and a failure is answered once the next
change shows; one about an account no longer here goes too. Every notice goes after NOTICE_MS."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from tray_app.ui.view_model import Kind, MenuModel, Notification

# A notice shows at most this long (one about an account goes earlier, when its state moves on).
NOTICE_MS = 60_000


class NoticeExpiry(QObject):
    def __init__(self, notice: QLabel, parent: QObject) -> None:
        super().__init__(parent)
        self.notice = notice
        self._about: str | None = None  # the account the notice is about
        self._mark: tuple[object, ...] | None = None  # that account's states while it shows
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTICE_MS)
        self._timer.timeout.connect(notice.hide)

    def shown(self, n: Notification) -> None:
        """The notice now says `n`. Its account's states are taken at the next render (the one
        showing what the notice tells of, which may come just after it)."""
        self._about, self._mark = n.user_id, None
        self._timer.start()

    def check(self, model: MenuModel) -> None:
        """After each render: hide the notice once its account's states differ from then."""
        user = self._about
        if user is None or self.notice.isHidden():
            return
        mark = tuple((i.key, i.checked, i.text) for i in model.walk() if i.account == user and i.kind is Kind.CHECK)
        if self._mark is None:
            self._mark = mark
        elif mark != self._mark or not mark:
            self.notice.hide()
            self._about = self._mark = None
