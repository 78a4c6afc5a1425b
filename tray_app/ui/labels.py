"""The words for states, presence and connection, shared by the menu, the tooltip, the window's
headline and the notifications (Qt-free; every text goes through `translate()`)."""

from __future__ import annotations

from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import PresenceState
from tray_app.translation import translate


def no_override_label() -> str:
    return translate("Menu", "No override (automatic)")


def state_label(state: PresenceState | None, api: ApiMode = ApiMode.STABLE) -> str:
    """The menu label of a state; in emulated mode it says what the state really does."""
    if state is None:
        return no_override_label()
    if api is ApiMode.EMULATED and state is PresenceState.DISABLED:
        return translate("Menu", "Disabled (acts as Offline here)")
    return state.label


def state_item_label(state: PresenceState | None, api: ApiMode = ApiMode.STABLE) -> str:
    """A state where it is offered (the menu's and the window's choices): "Disabled" says what
    it does, which "Offline" does not make plain."""
    if state is PresenceState.DISABLED and api is not ApiMode.EMULATED:
        return translate("Menu", "Disabled — share no presence at all")
    return state_label(state, api)


def disabled_not_offered() -> str:
    """A greyed "Disabled" where the server has none (why, in the server details)."""
    return translate("Menu", "Disabled — this server doesn't offer it")


def mode_line(s: SessionState) -> str:
    """How the chosen state is kept, in plain words (the interface behind it: server_details)."""
    if s.api is ApiMode.EMULATED:
        return translate("Menu", "This computer holds your choice; other devices can outvote it")
    if s.api.has_override_api:
        return translate("Menu", "Your server holds your choice for all your devices")
    return s.api.label  # "Checking what the server offers…"


def server_details_item() -> str:
    return translate("Menu", "Server details…")


def setting_suffix() -> str:
    """Said after a state while the change to it is in flight ("Away — setting…")."""
    return translate("Menu", " — setting…")


def with_end(state: str, end: str) -> str:
    """The checked state of a timed override: "Away — until 14:30" (`end` from format_end)."""
    return translate("Menu", "{state} — until {end}").format(state=state, end=end)


def then_line(after: PresenceState | None) -> str:
    """What a running timed state gives way to when its time is up."""
    if after is None:
        return translate("Menu", "Then: no override")
    return translate("Menu", "Then: back to {state}").format(state=state_label(after))


def for_a_while() -> str:
    """The window's button beside a state that offers its durations."""
    return translate("Window", "For…")


def presence_label(presence: str | None) -> str:
    if presence is None:
        return translate("Menu", "not known yet")
    try:
        return PresenceState(presence).label
    except ValueError:
        return presence


def seen_line(s: SessionState) -> str:
    """What others see of the account; while it is Disabled (held by the server), that nothing
    is shared, not a presence "not known yet"."""
    disabled = s.override is not None and s.override.state is PresenceState.DISABLED
    if disabled and s.api is not ApiMode.EMULATED and not s.unconfirmed:
        return translate("Menu", "Others see no presence")
    return translate("Menu", "Others see you as: {presence}").format(presence=presence_label(s.presence))


def override_text(s: SessionState) -> str:
    if s.override is None:
        return no_override_label()
    if s.override.state is None:
        return translate("Menu", "unknown state “{state}”").format(state=s.override.raw)
    return state_label(s.override.state, s.api)


def last_known_note(s: SessionState) -> str:
    """How an unconfirmed (last known) override is qualified wherever it is shown."""
    if s.connection is Connection.CONNECTING:
        return translate("Menu", "last known, checking…")
    return translate("Menu", "last known, not confirmed")


def last_known_line(s: SessionState) -> str | None:
    if not s.unconfirmed:
        return None
    return f"{override_text(s)} ({last_known_note(s)})"  # "Away (last known, checking…)"


def connection_line(s: SessionState) -> str | None:
    if s.connection is Connection.SIGNED_OUT:
        return translate("Menu", "Signed out — {reason}").format(
            reason=s.last_error or translate("Menu", "sign in again")
        )
    if s.connection is Connection.DISCONNECTED:
        return translate("Menu", "Can't reach the server — retrying")
    if s.connection is Connection.CONNECTING:
        return translate("Menu", "Connecting…")
    return None


def signing_out(user_id: str) -> str:
    """The menu's line while an account is being signed out."""
    return translate("Menu", "Signing out {user}…").format(user=user_id)


def removing(user_id: str) -> str:
    """The menu's line while an account is being removed from this computer."""
    return translate("Menu", "Removing {user}…").format(user=user_id)


def field_label(name: str) -> str:
    """A submenu's name as the label of a field that shows its choice (the window's combo box):
    "Set all accounts:" (French: a no-break space before the colon)."""
    return translate("Window", "{field}:").format(field=name)
