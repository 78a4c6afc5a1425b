"""Failures in words a person understands (no stack, no secret), through `translate()` (Qt-free).
The controller and the sign-in dialog pick them; a core error's own message is passed on as
the core wrote it."""

from __future__ import annotations

from tray_app import APP_ID
from tray_app.errors import (
    BadResponse,
    CredentialStoreError,
    InsecureHomeserver,
    PresenceTrayError,
    RateLimited,
    ServerRefused,
    ServerUnreachable,
    TokenRejected,
    UsageError,
    WrongPassword,
)
from tray_app.translation import translate
from tray_app.ui.view_model import Notification


def human_error(exc: BaseException) -> str:
    """Why a request failed, as the text after "@you:example.org: " in a notification."""
    if isinstance(exc, ServerUnreachable):
        return translate("Error", "can't reach the server. Check your network connection and try again.")
    if isinstance(exc, TokenRejected):
        return translate("Error", "the server no longer accepts this login. Sign in again.")
    if isinstance(exc, RateLimited):
        secs = (exc.retry_after_ms or 0) / 1000
        if secs >= 1:
            return translate(
                "Error", "the server says there were too many changes in a short time. Wait {seconds} s and try again."
            ).format(seconds=f"{secs:.0f}")
        return translate(
            "Error", "the server says there were too many changes in a short time. Wait a moment and try again."
        )
    if isinstance(exc, ServerRefused):
        if exc.error:
            return translate("Error", "the server refused ({code}): {error}").format(code=exc.errcode, error=exc.error)
        return translate("Error", "the server refused ({code}).").format(code=exc.errcode)
    if isinstance(exc, BadResponse):
        return translate("Error", "the server gave an answer Presence Tray doesn't understand. {detail}").format(
            detail=exc.message
        )
    if isinstance(exc, PresenceTrayError):
        return exc.message
    return translate("Error", "something went wrong ({error}).").format(error=type(exc).__name__)


def sso_error(exc: BaseException, *, stopped: bool = False) -> str:
    """Why single sign-on stopped before the server had a token for us (`stopped`: the person
    pressed "Stop waiting")."""
    from tray_app.matrix.sso import SsoCancelled, SsoTimeout  # noqa: PLC0415 (the dialog's import)

    if isinstance(exc, SsoTimeout):
        return translate("SignIn", "Single sign-on took too long; try again.")
    if stopped:
        return translate("SignIn", "Single sign-on was cancelled.")
    if isinstance(exc, SsoCancelled):
        return translate("SignIn", "Single sign-on was cancelled or failed in the browser.")
    return translate("SignIn", "Couldn't open a web browser for single sign-on.")


def sso_not_completed() -> str:
    return translate("SignIn", "Single sign-on did not complete; try again.")


def typed_address_error(user_id: str, homeserver: str) -> str | None:
    """What is wrong with the typed user ID or homeserver address, in our words (the core's
    checks say it in English, for the command line); None: both look right."""
    from urllib.parse import urlsplit  # noqa: PLC0415

    from tray_app.matrix.homeserver import check_homeserver_url, server_name_of  # noqa: PLC0415

    if homeserver:
        try:
            check_homeserver_url(homeserver)
        except InsecureHomeserver:
            host = urlsplit(homeserver.strip()).hostname or homeserver
            return translate(
                "SignIn",
                "Presence Tray won't send your password to {server} over plain http://: it would cross "
                "the network unencrypted. Use https://.",
            ).format(server=host)
        except UsageError:
            return translate(
                "SignIn", "“{address}” is not a homeserver address; it looks like https://matrix.example.org."
            ).format(address=homeserver.strip())
    if user_id:
        try:
            server_name_of(user_id)
        except UsageError:
            return translate("SignIn", "“{user}” is not a Matrix user ID; it looks like @name:example.org.").format(
                user=user_id
            )
    return None


def sign_in_error(
    exc: BaseException, homeserver: str | None = None, *, sso: bool = False, typed: tuple[str, str] | None = None
) -> str:
    """Errors of the sign-in dialog, in plain words (`sso`: the error of a single sign-on's
    token exchange, where "wrong password" would be nonsense; `typed`: the user ID and
    homeserver fields, to say which one is malformed)."""
    if isinstance(exc, (InsecureHomeserver, UsageError)):
        said = typed_address_error(*typed) if typed is not None else None
        return said or exc.message[0].upper() + exc.message[1:]
    if isinstance(exc, ServerUnreachable):
        if homeserver:
            return translate(
                "SignIn",
                "Can't reach the server at {server}. Check the user ID or the homeserver address, and your network connection.",
            ).format(server=homeserver)
        return translate(
            "SignIn",
            "Can't reach the server. Check the user ID or the homeserver address, and your network connection.",
        )
    if isinstance(exc, RateLimited):
        return translate("SignIn", "Too many sign-in attempts. Wait a minute and try again.")
    if isinstance(exc, WrongPassword):
        return translate("SignIn", "The user ID or the password is wrong.")
    if isinstance(exc, ServerRefused):
        if exc.errcode == "M_FORBIDDEN" and sso:
            # Synapse: 403 "Invalid login token" (expired, already used, or never issued).
            return sso_not_completed()
        if exc.errcode == "M_USER_DEACTIVATED":
            return translate("SignIn", "This account has been deactivated on the server.")
        if exc.errcode in ("M_UNRECOGNIZED", "M_NOT_FOUND") or exc.status == 404:
            if homeserver:
                return translate("SignIn", "The address at {server} doesn't look like a Matrix homeserver.").format(
                    server=homeserver
                )
            return translate("SignIn", "The address doesn't look like a Matrix homeserver.")
        if sso and "token" in exc.error.lower():
            return sso_not_completed()
        if exc.error:
            return translate("SignIn", "The server refused to sign you in ({code}: {error}).").format(
                code=exc.errcode, error=exc.error
            )
        return translate("SignIn", "The server refused to sign you in ({code}).").format(code=exc.errcode)
    if isinstance(exc, BadResponse):
        if homeserver:
            return translate("SignIn", "The address at {server} answered, but not like a Matrix homeserver.").format(
                server=homeserver
            )
        return translate("SignIn", "The address answered, but not like a Matrix homeserver.")
    if isinstance(exc, CredentialStoreError):
        return exc.message
    if isinstance(exc, PresenceTrayError):
        return exc.message[0].upper() + exc.message[1:]
    return translate("SignIn", "Signing in failed unexpectedly ({error}).").format(error=type(exc).__name__)


def unreachable_sign_out_hint() -> str:
    """Added to a failed sign-out whose server can't be reached."""
    return translate(
        "Error", "To remove the account from this computer only, choose “Remove from this computer…” in the menu."
    )


def keyring_left_behind(user_id: str, e: PresenceTrayError, *, signed_out: bool) -> Notification:
    """A sign-out or removal that left the login's keyring item behind."""
    first = (
        translate(
            "Notification",
            "{user} is signed out and removed from Presence Tray, but its login could not be deleted from the "
            "system keyring",
        )
        if signed_out
        else translate(
            "Notification",
            "{user} is removed from Presence Tray, but its login could not be deleted from the system keyring",
        )
    ).format(user=user_id)
    return Notification(
        translate("Notification", "Keyring item not removed"),
        translate(
            "Notification",
            "{what} ({why}). You can delete the item “{item}” / {user} with your keyring manager (e.g. Seahorse).",
        ).format(what=first, why=e.message.rstrip("."), item=APP_ID, user=user_id),
        warning=True,
    )
