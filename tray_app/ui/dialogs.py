"""The applet's dialogs (sign in, status message, the sign-out and remove questions): kept
apart from the surfaces the applet renders to. At most one of each is open; a second request
raises the open one."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tray_app.messages import presets, recent_choices
from tray_app.session_state import Connection
from tray_app.translation import translate
from tray_app.ui.menu_content import message_state
from tray_app.ui.message_words import dialog_note, message_item

if TYPE_CHECKING:  # imported when first needed (~15-20 ms less before the first icon)
    from tray_app.ui.calendar_dialog import CalendarDialog
    from tray_app.ui.controller import Controller
    from tray_app.ui.icons import IconFactory
    from tray_app.ui.signin import SignInDialog
    from tray_app.ui.status_dialog import StatusMessageDialog


class AppletDialogs:
    """Mixed into `Applet`, which sets these attributes."""

    controller: Controller
    icons: IconFactory
    sign_in_factory: Callable[..., SignInDialog] | None
    sign_in_dialog: SignInDialog | None
    status_dialog: StatusMessageDialog | None
    calendar_dialog: CalendarDialog | None
    confirm_box: QMessageBox | None
    _shut: bool

    def open_sign_in(self, user_id: str | None) -> SignInDialog:
        if self.sign_in_dialog is not None:
            try:
                if self.sign_in_dialog.isVisible():
                    if user_id and not self.sign_in_dialog.user_id.text():
                        self.sign_in_dialog.user_id.setText(user_id)
                    self.sign_in_dialog.raise_()
                    self.sign_in_dialog.activateWindow()
                    return self.sign_in_dialog
            except RuntimeError:  # deleted on close
                pass
        prefill_hs = None
        if user_id:
            for s in self.controller.states():
                if s.user_id == user_id and s.homeserver:
                    prefill_hs = s.homeserver
        factory = self.sign_in_factory
        if factory is None:
            from tray_app.ui.signin import SignInDialog  # noqa: PLC0415

            factory = SignInDialog
        dialog = factory(self.controller, user_id, None, prefill_homeserver=prefill_hs)
        dialog.setWindowIcon(self.icons.app_icon())
        dialog.finished.connect(lambda _r, d=dialog: self._dialog_gone("sign_in_dialog", d))
        self.sign_in_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def open_status_dialog(self, user_id: str) -> StatusMessageDialog | None:
        session = self.controller.sessions.get(user_id)
        if session is None:
            return None
        s = session.state
        if not message_item(s, message_state(s) is not None)[1]:
            return None  # the menu says why (no state on a server that needs one, say)
        if self.status_dialog is not None:
            try:
                self.status_dialog.close()
            except RuntimeError:
                pass
        from tray_app.ui.status_dialog import StatusMessageDialog  # noqa: PLC0415

        offered = presets()
        building_on = s.pending is not None and not s.pending.message_only
        dialog = StatusMessageDialog(
            user_id,
            s.pending.status_msg if s.pending is not None and building_on and s.pending.status_msg else s.status_msg,
            dialog_note(s),
            offered,
            recent_choices(self.controller.recent_messages(user_id), offered),
            lambda text, after, u=user_id: self.controller.set_status_message(u, text, after),
        )
        dialog.setWindowIcon(self.icons.app_icon())
        dialog.finished.connect(lambda _r, d=dialog: self._dialog_gone("status_dialog", d))
        self.status_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def show_server_details(self, user_id: str) -> QMessageBox | None:
        """ "Server details…": what the account's server offers, with the interface's names."""
        state = next((s for s in self.controller.states() if s.user_id == user_id), None)
        if state is None or self._shut:
            return None
        from tray_app.ui import server_details  # noqa: PLC0415 (only when asked)

        box = QMessageBox(QMessageBox.Icon.Information, server_details.title(user_id), server_details.as_text(state))
        box.setWindowIcon(self.icons.app_icon())
        box.setTextFormat(Qt.TextFormat.PlainText)  # a server's words, never HTML
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addButton(QMessageBox.StandardButton.Close)
        return self._show_confirm(box)

    def open_calendar_dialog(self) -> CalendarDialog | None:
        """ "Use my calendar…" (one at a time: a second click raises the open one)."""
        actions = self.controller.calendar_actions
        if actions is None:
            return None
        if self.calendar_dialog is not None:
            try:
                self.calendar_dialog.raise_()
                self.calendar_dialog.activateWindow()
                return self.calendar_dialog
            except RuntimeError:  # deleted on close
                pass
        from tray_app.ui.calendar_dialog import CalendarDialog  # noqa: PLC0415

        link = actions.link
        source = link.source
        dialog = CalendarDialog(
            in_use=source.feed.location.redacted if link.enabled and source is not None else None,
            show_titles=link.show_titles,
            on_use=actions.use,
            on_stop=actions.stop,
        )
        dialog.setWindowIcon(self.icons.app_icon())
        dialog.finished.connect(lambda _r, d=dialog: self._dialog_gone("calendar_dialog", d))
        self.calendar_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def confirm_sign_out(self, user_id: str) -> QMessageBox:
        state = next((s for s in self.controller.states() if s.user_id == user_id), None)
        signed_out = state is not None and state.connection is Connection.SIGNED_OUT
        question = (
            translate("Applet", "Remove {user} from Presence Tray?")
            if signed_out
            else translate("Applet", "Sign out {user}?")
        ).format(user=user_id)
        return self._confirm(
            translate("Applet", "Sign out — Presence Tray"),
            question
            + "\n\n"
            + translate(
                "Applet", "Your presence override stays as it is on the server. Signing in again needs your password."
            ),
            translate("Applet", "&Remove") if signed_out else translate("Applet", "&Sign out"),
            lambda: self.controller.sign_out(user_id),
        )

    def confirm_forget(self, user_id: str, reason: str | None = None) -> QMessageBox | None:
        """Remove an account from this computer only: from the menu while its server can't be
        reached, or offered when signing out failed for that reason."""
        if self._shut:
            return None
        lead = (
            translate("Applet", "Couldn't sign out {user}: {reason}").format(user=user_id, reason=reason) + "\n\n"
            if reason
            else ""
        )
        return self._confirm(
            translate("Applet", "Remove from this computer — Presence Tray"),
            lead
            + translate("Applet", "Remove {user} from this computer only?").format(user=user_id)
            + "\n\n"
            + translate(
                "Applet",
                "Presence Tray forgets the login here (its keyring item and the account entry). "
                "The server can't be told, so this login stays valid there until you remove the "
                "device “Presence Tray” from another Matrix client.",
            ),
            translate("Applet", "&Remove from this computer"),
            lambda: self.controller.forget(user_id),
        )

    def _confirm(
        self, title: str, text: str, yes_label: str, action: Callable[[], Coroutine[Any, Any, Any]]
    ) -> QMessageBox:
        """A question box; `action()` makes the coroutine to run when the user says yes."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text)
        box.setWindowIcon(self.icons.app_icon())
        yes = box.addButton(yes_label, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(yes)

        def answered(button) -> None:
            if button is yes:
                self.controller.spawn(action())

        box.buttonClicked.connect(answered)
        return self._show_confirm(box)

    def _show_confirm(self, box: QMessageBox) -> QMessageBox:
        if self.confirm_box is not None:
            try:
                self.confirm_box.close()
            except RuntimeError:
                pass
        box.finished.connect(lambda _r, d=box: self._dialog_gone("confirm_box", d))
        self.confirm_box = box
        box.show()
        return box

    def _dialog_gone(self, attr: str, dialog: object) -> None:
        if getattr(self, attr) is dialog:
            setattr(self, attr, None)
