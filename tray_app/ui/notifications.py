"""What the applet tells in a notification, and how sparingly (Qt-free). Every notification's
wording is here and goes through `translate()`; the controller and the applet only pick one."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from tray_app.session_state import SessionEvent, SessionState
from tray_app.states import PresenceState
from tray_app.translation import translate
from tray_app.ui.labels import override_text
from tray_app.ui.view_model import APP_NAME, Notification

log = logging.getLogger(__name__)


@dataclass
class NotificationPolicy:
    """Turns session events into notifications, sparingly.

    A kind of event for an account is shown at most once per `quiet_seconds`
    (changes made elsewhere, which a person wants to know about each time, use
    a shorter gap). "Reconnected" is only shown after "unreachable" was.
    """

    quiet_seconds: float = 600.0
    elsewhere_quiet_seconds: float = 30.0
    _last: dict[tuple[str, SessionEvent], float] = field(default_factory=dict)
    _told_unreachable: set[str] = field(default_factory=set)

    def decide(
        self, user_id: str, event: SessionEvent, message: str, state: SessionState | None, clock: float
    ) -> Notification | None:
        gap = self.elsewhere_quiet_seconds if event is SessionEvent.OVERRIDE_CHANGED_ELSEWHERE else self.quiet_seconds
        if event is SessionEvent.RECONNECTED:
            if user_id not in self._told_unreachable:
                return None
            self._told_unreachable.discard(user_id)
            self._last.pop((user_id, SessionEvent.UNREACHABLE_FOR_LONG), None)
            return Notification(
                translate("Notification", "Back online"),
                translate("Notification", "{user}: the server can be reached again.").format(user=user_id),
            )
        last = self._last.get((user_id, event))
        if last is not None and clock - last < gap and event is not SessionEvent.SIGNED_OUT:
            return None
        self._last[(user_id, event)] = clock
        if event is SessionEvent.UNREACHABLE_FOR_LONG:
            self._told_unreachable.add(user_id)
        if message:
            log.info("%s", message)  # the session's own words (English), for the log
        n = event_notification(user_id, event, state)
        return replace(n, user_id=user_id) if n is not None else None


def _about(user_id: str, detail: str) -> str:
    """ "@ada:example.org: <our words>"."""
    return translate("Notification", "{user}: {detail}").format(user=user_id, detail=detail)


def event_notification(user_id: str, event: SessionEvent, state: SessionState | None) -> Notification | None:
    """The notification for a session event (whether to show it is `NotificationPolicy`'s).
    Ours are the words: the session's own message for the event is English, for the log."""
    if event is SessionEvent.OVERRIDE_CHANGED_ELSEWHERE:
        now_text = override_text(state) if state is not None else translate("Notification", "changed")
        return Notification(
            translate("Notification", "Presence changed elsewhere"),
            translate("Notification", "{user}: now {state}.").format(user=user_id, state=now_text),
            event=event,
        )
    if event is SessionEvent.TIMED_OVERRIDE_ENDED:
        if state is not None and state.pending is None and not state.unconfirmed:
            text = translate("Notification", "{user}: the time is up; now {state}.").format(
                user=user_id, state=override_text(state)
            )
        else:
            text = _about(user_id, translate("Notification", "your timed override ended."))
        return Notification(translate("Notification", "Timed override ended"), text)
    if event is SessionEvent.SIGNED_OUT:
        return Notification(
            translate("Notification", "Sign in again"),
            _about(user_id, translate("Notification", "the server signed you out."))
            + " "
            + translate("Notification", "Use “Sign in again…” in the menu."),
            warning=True,
        )
    if event is SessionEvent.UNREACHABLE_FOR_LONG:
        return Notification(
            translate("Notification", "Server unreachable"),
            _about(user_id, translate("Notification", "can't reach the server; still retrying.")),
            warning=True,
        )
    if event is SessionEvent.CONTESTED:
        return Notification(
            translate("Notification", "Another device keeps winning"),
            _about(user_id, translate("Notification", "another device keeps setting your presence.")),
            warning=True,
        )
    return None


# ---------------------------------------------------------------------------------------------
# A request that failed: the title says what was asked, the text why it failed.


def failure_notification(user_id: str, title: str, reason: str) -> Notification:
    return Notification(
        title,
        translate("Notification", "{user}: {detail}").format(user=user_id, detail=reason),
        warning=True,
        user_id=user_id,
    )


def couldnt_connect() -> str:
    return translate("Notification", "Couldn't connect")


def couldnt_sign_out() -> str:
    return translate("Notification", "Couldn't sign out")


def couldnt_remove_account() -> str:
    return translate("Notification", "Couldn't remove the account")


def couldnt_set(state: PresenceState | None) -> str:
    """The title for a failed state change ("Couldn't set Away")."""
    if state is None:
        return translate("Notification", "Couldn't clear the override")
    return translate("Notification", "Couldn't set {state}").format(state=state.label)


def couldnt_set_message() -> str:
    """The title for a failed change of the status message."""
    return translate("Notification", "Couldn't change the status message")


def couldnt_sign_in(reason: str) -> Notification:
    return Notification(translate("Notification", "Couldn't sign in"), reason, warning=True)


def couldnt_change_autostart(reason: str) -> Notification:
    return Notification(translate("Notification", "Couldn't change “Start on login”"), reason, warning=True)


def signed_in(user_id: str) -> Notification:
    return Notification(APP_NAME, translate("Notification", "Signed in as {user}.").format(user=user_id))


def not_signed_in_yet() -> Notification:
    return Notification(APP_NAME, translate("Notification", "Not signed in yet: choose “Sign in…” in the menu."))


def already_running() -> Notification:
    return Notification(
        APP_NAME, translate("Notification", "Presence Tray is already running; its menu is on the tray icon.")
    )
