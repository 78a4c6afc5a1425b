"""The sign-in dialog: user ID (homeserver via .well-known) or an explicit URL, password or SSO.

Non-blocking (`show()`); the work runs as asyncio tasks on the one qasync loop.
A failed try shows the reason in the dialog, in plain words, and keeps every
field as typed (the password too, so a typo in the user ID costs nothing). The
password lives only in the line edit while the dialog is open; it is cleared
when the dialog closes and is never stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tray_app.errors import PresenceTrayError, UsageError
from tray_app.matrix.sso import LoopbackRedirect, SsoError, sso_login_token
from tray_app.ui.accessibility import announce
from tray_app.ui.error_words import sign_in_error, sso_error

log = logging.getLogger(__name__)

PASSWORD_FLOW = "m.login.password"
SSO_FLOWS = ("m.login.sso", "m.login.cas")


def _default_discover():
    from tray_app.matrix.homeserver import discover_homeserver

    return discover_homeserver


def _default_flows():
    from tray_app.matrix.homeserver import login_flows

    return login_flows


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class SignInDialog(QDialog):
    signed_in = Signal(str)  # user ID

    def __init__(
        self,
        controller: Any,
        prefill_user_id: str | None = None,
        parent: QWidget | None = None,
        *,
        discover: Callable | None = None,
        flows: Callable | None = None,
        open_url: Callable[[str], bool] | None = None,
        prefill_homeserver: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._discover = discover or _default_discover()
        self._flows = flows or _default_flows()
        self._open_url = open_url or (lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.setWindowTitle(self.tr("Sign in — Presence Tray"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.user_id = QLineEdit(prefill_user_id or "")
        self.user_id.setPlaceholderText("@you:example.org")
        self.user_id.setAccessibleName(self.tr("User ID"))
        self.user_id.setAccessibleDescription(self.tr("Your Matrix user ID, like @you:example.org"))
        self.homeserver = QLineEdit(prefill_homeserver or "")
        self.homeserver.setPlaceholderText(self.tr("found from your user ID (optional)"))
        self.homeserver.setAccessibleName(self.tr("Homeserver"))
        self.homeserver.setAccessibleDescription(
            self.tr("Optional: the homeserver's address; found from your user ID if empty")
        )
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("your account password"))
        self.password.setAccessibleName(self.tr("Password"))
        self.server_info = QLabel("")
        self._info_is_failure = False
        self._stopped_waiting = False
        self.server_info.setWordWrap(True)
        self.server_info.setStyleSheet("color: palette(placeholder-text);")
        self.server_info.setVisible(False)  # until there is something to say
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

        # Labels with mnemonics (Alt+U, Alt+H, Alt+P) and buddies: the keyboard reaches every field.
        form = QFormLayout()
        self.user_id_label = QLabel(self.tr("&User ID:"))
        self.user_id_label.setBuddy(self.user_id)
        form.addRow(self.user_id_label, self.user_id)
        self.homeserver_label = QLabel(self.tr("&Homeserver:"))
        self.homeserver_label.setBuddy(self.homeserver)
        form.addRow(self.homeserver_label, self.homeserver)
        self.password_label = QLabel(self.tr("&Password:"))
        self.password_label.setBuddy(self.password)
        form.addRow(self.password_label, self.password)

        self.sign_in_button = QPushButton(self.tr("&Sign in"))
        self.sign_in_button.setDefault(True)
        self.sso_button = QPushButton(self.tr("Sign in with &browser…"))
        self.sso_button.setToolTip(self.tr("Single sign-on: opens your web browser at your server's sign-in page"))
        self.sso_button.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        # Return must only ever mean "sign in" (or single sign-on, where it is the only way):
        # an auto-default button that takes focus would become the default and catch the Return.
        for b in (self.sign_in_button, self.sso_button, self.cancel_button):
            b.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sso_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.sign_in_button)

        intro = QLabel(
            self.tr(
                "Sign in to your Matrix account. Presence Tray keeps a login token in your system "
                "keyring; your password is never stored."
            )
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.server_info)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(460, self.sizeHint().height())

        self.task: asyncio.Task | None = None  # this dialog's part: SSO in the browser, waiting
        # The login itself (the controller's task, shielded: closing the dialog doesn't cancel it).
        self.sign_in_task: asyncio.Task | None = None
        self._sign_in_is_sso = False
        self.probe_task: asyncio.Task | None = None
        self._ended = False  # done() ran: no new server checks
        self._probed_for: tuple[str, str] | None = None
        # What the last probe found, and for which (user ID, homeserver) fields.
        self._resolved_homeserver: str | None = None
        self._resolved_for: tuple[str, str] | None = None
        self._sso: LoopbackRedirect | None = None

        self.sign_in_button.clicked.connect(self.submit)
        self.sso_button.clicked.connect(self.start_sso)
        self.cancel_button.clicked.connect(self._cancel)
        self.user_id.editingFinished.connect(self._probe_soon)
        self.homeserver.editingFinished.connect(self._probe_soon)
        self.user_id.textChanged.connect(self._address_changed)
        self.homeserver.textChanged.connect(self._address_changed)
        # An error is about what was typed: editing any field takes it away. (Return needs no
        # handler: the dialog's default button, "Sign in", takes it from every field.)
        for field_ in (self.user_id, self.homeserver, self.password):
            field_.textEdited.connect(self._input_edited)

        if prefill_user_id or prefill_homeserver:
            self._probe_soon()
        (self.password if prefill_user_id else self.user_id).setFocus()

    # -- what the server offers -------------------------------------------------------------

    def _fields(self) -> tuple[str, str]:
        return (self.user_id.text().strip(), self.homeserver.text().strip())

    def _address_changed(self) -> None:
        """What we learnt (or are still learning) about the server is for the old address:
        drop it until the new one is checked."""
        if self._fields() == self._probed_for:
            return  # e.g. only surrounding spaces changed
        if self.probe_task is not None and not self.probe_task.done():
            self.probe_task.cancel()
        self._probed_for = None
        if self._resolved_homeserver is not None or self.server_info.text():
            self._resolved_homeserver = None
            self._resolved_for = None
            if self._sso is None and (self.task is None or self.task.done()):
                self._set_info("")

    def _probe_soon(self) -> None:
        if self._ended:
            return  # editingFinished also fires while the dialog closes; nothing to check then
        key = self._fields()
        if key == self._probed_for or not (key[0] or key[1]):
            return
        self._probed_for = key
        if self.probe_task is not None and not self.probe_task.done():
            self.probe_task.cancel()
        self.probe_task = asyncio.ensure_future(self._probe(*key))

    async def _resolve_homeserver(self, user_id: str, explicit: str) -> str:
        if explicit:
            from tray_app.matrix.homeserver import check_homeserver_url

            return check_homeserver_url(explicit)
        return await self._discover(user_id)

    async def _probe(self, user_id: str, explicit: str) -> None:
        self._set_info(self.tr("Checking the server…"))
        try:
            hs = await self._resolve_homeserver(user_id, explicit)
            flows = await self._flows(hs)
        except asyncio.CancelledError:
            raise
        except PresenceTrayError as e:
            if self._fields() != (user_id, explicit):
                return  # an answer about an address no longer in the fields
            self._resolved_homeserver = None
            self._resolved_for = None
            if isinstance(e, UsageError):
                # A half-typed or mistyped ID: nothing to say about a server yet; "Sign in" tells
                # what is wrong with it, once, in the error line.
                self._set_info("")
            else:
                self._set_info(
                    self.tr("Couldn't ask the server how to sign in: {reason}").format(
                        reason=sign_in_error(e).rstrip(".")
                    ),
                    failure=True,
                )
            self.sso_button.hide()
            self._set_password_visible(True)
            return
        except Exception as e:  # never let a probe crash the dialog
            log.warning("login-flows probe failed: %s", type(e).__name__)
            if self._fields() == (user_id, explicit):
                self._set_info("")
            return
        if self._fields() != (user_id, explicit):
            # The fields were edited while this check ran: its answer is about the old server
            # and must not offer that server's single sign-on.
            return
        self._resolved_homeserver = hs
        self._resolved_for = (user_id, explicit)
        has_password = PASSWORD_FLOW in flows
        has_sso = any(f in flows for f in SSO_FLOWS)
        if has_password and has_sso:
            how = self.tr("Server: {server} — sign in with password or single sign-on")
        elif has_password:
            how = self.tr("Server: {server} — sign in with password")
        elif has_sso:
            how = self.tr("Server: {server} — sign in with single sign-on")
        else:
            how = self.tr("Server: {server} — sign in with a method Presence Tray doesn't support")
        self._set_info(how.format(server=hs))
        self.sso_button.setVisible(has_sso)
        self._set_password_visible(has_password or not has_sso)
        if has_sso and not has_password:
            self.sso_button.setDefault(True)

    def _set_password_visible(self, visible: bool) -> None:
        self.password.setVisible(visible)
        self.password_label.setVisible(visible)
        self.sign_in_button.setVisible(visible)

    # -- signing in --------------------------------------------------------------------------

    def _fit_height(self) -> None:
        """Grow with the lines under the form, which wrap: never squeeze the fields to fit them
        (the layout's minimum size ignores word-wrapped labels, so it is measured here)."""
        layout = self.layout()
        layout.activate()
        need = layout.totalHeightForWidth(self.width())
        if need > self.height():
            self.resize(self.width(), need)

    def _set_info(self, text: str, *, failure: bool = False) -> None:
        self._info_is_failure = failure  # "Couldn't ask the server…": the error line may say it
        self.server_info.setText(text)
        self.server_info.setVisible(bool(text))  # no blank row above the error line
        self._fit_height()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.error.setAccessibleName(text)
        announce(self.error, text)  # a screen reader says it; the focus stays where one types
        if text and self._info_is_failure:
            self._set_info("")  # the error line tells it; don't say it twice
        self._fit_height()

    def _input_edited(self, _text: str = "") -> None:
        if self.error.text():
            self.show_error("")

    def _set_busy(self, busy: str | None) -> None:
        # Fields become read-only, not disabled: disabling the focused field would move the
        # focus (to a button that the same Return would then press).
        for w in (self.user_id, self.homeserver, self.password):
            w.setReadOnly(busy is not None)
        for w in (self.sign_in_button, self.sso_button):
            w.setEnabled(busy is None)
        self.sign_in_button.setText(self.tr("Signing in…") if busy == "password" else self.tr("&Sign in"))
        self.cancel_button.setText(self.tr("Stop waiting") if busy == "sso" else self.tr("Cancel"))
        if busy == "sso":
            self._set_info(
                self.tr(
                    "Finish signing in in your web browser. This window waits for it "
                    "(up to 5 minutes); “Stop waiting” gives up."
                )
            )

    def submit(self) -> asyncio.Task | None:
        if self.task is not None and not self.task.done():
            return self.task
        user_id = self.user_id.text().strip()
        explicit = self.homeserver.text().strip()
        password = self.password.text()
        if not user_id:
            self.show_error(self.tr("Enter your user ID, like @you:example.org."))
            self.user_id.setFocus()
            return None
        if not password:
            self.show_error(self.tr("Enter your password."))
            self.password.setFocus()
            return None
        self.show_error("")
        self._probe_soon()  # the line under the form then describes the server being tried
        self._set_busy("password")
        # Started now, not on the next loop turn: closing the dialog at once still signs in.
        login = self._start_sign_in(self.controller.sign_in_password(user_id, password, explicit or None), sso=False)
        self.task = asyncio.ensure_future(self._sign_in_password(login, explicit or None))
        return self.task

    def _start_sign_in(self, coro, *, sso: bool) -> asyncio.Task:
        """The login runs as the controller's task; this dialog only waits for it (shielded):
        closing the dialog never cancels a login half-way, and one that finishes afterwards
        still adds the account."""
        self._sign_in_is_sso = sso
        self.sign_in_task = self.controller.start_sign_in(coro)
        return self.sign_in_task

    async def _sign_in_password(self, login: asyncio.Task, homeserver: str | None) -> None:
        try:
            session = await asyncio.shield(login)
        except asyncio.CancelledError:
            raise  # the dialog is closing (and may be gone): touch no widget
        except Exception as e:
            log.info("sign-in failed: %s", type(e).__name__)
            self._set_busy(None)
            self.show_error(sign_in_error(e, homeserver or self._resolved_homeserver, typed=self._fields()))
            self.password.setFocus()
            return
        self._done(session.state.user_id)

    def start_sso(self) -> asyncio.Task | None:
        if self.task is not None and not self.task.done():
            return self.task
        self.show_error("")
        self._set_busy("sso")
        self._stopped_waiting = False  # "Stop waiting" not pressed (yet)
        self.task = asyncio.ensure_future(self._sign_in_sso())
        return self.task

    async def _sign_in_sso(self) -> None:
        user_id, explicit = self._fields()
        exchanging = False
        try:
            # What a probe found only if it was for the address in the fields now.
            known = self._resolved_homeserver if self._resolved_for == (user_id, explicit) else None
            hs = known or await self._resolve_homeserver(user_id, explicit)
            token = await sso_login_token(hs, self._open_url, on_listening=self._remember_listener)
            self._sso = None  # the browser part is over: "Stop waiting" now closes the dialog
            self._set_info(self.tr("Signing in…"))
            exchanging = True
            session = await asyncio.shield(self._start_sign_in(self.controller.sign_in_token(hs, token), sso=True))
        except asyncio.CancelledError:
            raise  # the dialog is closing (and may be gone): touch no widget
        except SsoError as e:
            self._set_busy(None)
            self._set_info("")
            self.show_error(sso_error(e, stopped=self._stopped_waiting))
            return
        except Exception as e:
            log.info("single sign-on failed: %s", type(e).__name__)
            self._set_busy(None)
            self._set_info("")
            self.show_error(
                sign_in_error(e, explicit or self._resolved_homeserver, sso=exchanging, typed=self._fields())
            )
            return
        finally:
            self._sso = None
        self._done(session.state.user_id)

    def _remember_listener(self, listener: LoopbackRedirect) -> None:
        self._sso = listener

    def _done(self, user_id: str) -> None:
        self.password.clear()
        self.signed_in.emit(user_id)
        self.accept()

    def _cancel(self) -> None:
        if self._sso is not None:
            self._stopped_waiting = True
            self._sso.cancel()  # back to the form; the dialog stays open
            return
        self.reject()

    def done(self, result: int) -> None:  # accept(), reject(), Esc and the close button end here
        current = asyncio.current_task() if _loop_running() else None
        if self.task is not None and not self.task.done() and self.task is not current:
            self.task.cancel()  # stops waiting (and the SSO listener); not the login itself
        if self.sign_in_task is not None and not self.sign_in_task.done():
            self.controller.sign_in_outlived_dialog(self.sign_in_task, sso=self._sign_in_is_sso)
        if self.probe_task is not None and not self.probe_task.done():
            self.probe_task.cancel()
        self._ended = True
        self.password.clear()
        super().done(result)

    def closeEvent(self, event) -> None:
        self.done(QDialog.DialogCode.Rejected)
        super().closeEvent(event)
