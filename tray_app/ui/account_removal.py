"""Sign-out and removing an account: what the controller does when an account goes.

Apart from the controller because the failure cases are most of it: a server that can't be
reached (offer removing the login here only), a logout that worked with the keyring step
failing (the login is dead: stop showing it), a removal that failed (keep showing the account).
Plain functions on the controller: they change its account list (sessions, broken, busy).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from tray_app.errors import CredentialStoreError, PresenceTrayError, ServerUnreachable
from tray_app.session_state import Connection, SessionState
from tray_app.ui.background_tasks import close_quietly
from tray_app.ui.error_words import human_error, keyring_left_behind, unreachable_sign_out_hint
from tray_app.ui.labels import removing, signing_out
from tray_app.ui.notifications import couldnt_remove_account, couldnt_sign_out, failure_notification
from tray_app.ui.session_like import SessionLike
from tray_app.ui.view_model import Notification


class Controller(Protocol):
    """What these functions use of tray_app.ui.controller.Controller (named here, not imported:
    the controller imports this module)."""

    sessions: dict[str, SessionLike]
    broken: dict[str, SessionState]
    busy: str | None
    accounts: Any
    on_offer_forget: Callable[[str, str], None]

    async def forget(self, user_id: str) -> None: ...
    def _changed(self, *_: Any) -> None: ...
    def _notify(self, n: Notification) -> None: ...
    def _detach(self, user_id: str) -> SessionLike | None: ...
    def _listed(self) -> list[str]: ...


async def sign_out(c: Controller, user_id: str) -> None:
    """Revoke the login on the server, then forget it here. A login the server already
    rejected (signed out) has nothing left to revoke: it is only removed here."""
    session = c.sessions.get(user_id)
    if session is None or session.state.connection is Connection.SIGNED_OUT:
        await c.forget(user_id)
        return
    c.busy = signing_out(user_id)
    c._changed()
    try:
        try:
            await c.accounts.logout(session)
        except PresenceTrayError as e:
            if _logout_went_through(c, user_id, e):
                # The server revoked the login; removing it here failed half-way. The login
                # is dead either way: don't keep showing it.
                c._detach(user_id)
                await close_quietly(session)
                c._notify(keyring_left_behind(user_id, e, signed_out=True))
                return
            reason = human_error(e)
            if isinstance(e, ServerUnreachable):
                c._notify(
                    failure_notification(
                        user_id,
                        couldnt_sign_out(),
                        reason + " " + unreachable_sign_out_hint(),
                    )
                )
                c.on_offer_forget(user_id, reason)
            else:
                c._notify(failure_notification(user_id, couldnt_sign_out(), reason))
            return
        c._detach(user_id)
        await close_quietly(session)
    finally:
        c.busy = None
        c._changed()


def _logout_went_through(c: Controller, user_id: str, e: PresenceTrayError) -> bool:
    """Did the server-side logout work before `e`? Forgetting (which follows it) removes
    the account entry first and then the keyring item, the one step that raises
    CredentialStoreError."""
    if isinstance(e, CredentialStoreError):
        return True
    try:
        return user_id not in c.accounts.signed_in()
    except Exception:  # settings unreadable: we can't tell, so it did not
        return False


async def forget(c: Controller, user_id: str) -> None:
    """Remove an account from this computer only (Accounts.forget / Session.forget): for a
    server that is gone, or a login the server no longer accepts. Nothing is sent."""
    session = c._detach(user_id)
    c.broken.pop(user_id, None)
    c.busy = removing(user_id)
    c._changed()
    try:
        if session is not None:
            try:
                await session.forget()
            except PresenceTrayError as e:
                _forget_failed(c, user_id, e)
            finally:
                await close_quietly(session)
        else:
            try:
                c.accounts.forget(user_id)
            except PresenceTrayError as e:
                _forget_failed(c, user_id, e)
    finally:
        c.busy = None
        c._changed()


def _forget_failed(c: Controller, user_id: str, e: PresenceTrayError) -> None:
    if user_id in c._listed():
        # Not even the account entry went: keep showing it, so it can be tried again.
        c.broken[user_id] = SessionState(
            user_id=user_id, homeserver="", connection=Connection.SIGNED_OUT, last_error=e.message
        )
        c._notify(failure_notification(user_id, couldnt_remove_account(), human_error(e)))
    else:
        c._notify(keyring_left_behind(user_id, e, signed_out=False))
