"""Which icon the tray shows for the accounts' states (Qt-free): a base for what others see (the
override where one is set, else the automatic presence the server reports) and a mark for what
is going on (a change in flight, trouble, another device winning) or, when nothing is, for
"automatic" (no override: you did not set this). A state-coloured base without a mark: you set it."""

from __future__ import annotations

from collections.abc import Sequence

from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import PresenceState, emulated_presence
from tray_app.ui.view_model import IconSpec, icon_key

_BASE_OF = {
    PresenceState.ONLINE: "online",
    PresenceState.UNAVAILABLE: "away",
    PresenceState.OFFLINE: "offline",
    PresenceState.DISABLED: "disabled",
    PresenceState.BUSY: "busy",
}


def overruled(s: SessionState) -> PresenceState | None:
    """Emulated mode: what everyone sees when it is not what this device holds (another device
    wins), else None. Only this device's state is "held" there; nothing confirms it."""
    if s.api is not ApiMode.EMULATED or s.override is None or s.override.state is None:
        return None
    if s.pending is not None or s.presence is None or s.connection is not Connection.CONNECTED:
        return None
    if s.presence == emulated_presence(s.override.state).value:
        return None
    try:
        return PresenceState(s.presence)
    except ValueError:
        return None


def state_base(state: PresenceState | None) -> str:
    """The icon base of a state as the menu offers it (None: "No override (automatic)")."""
    return _BASE_OF[state] if state is not None else "none"


def automatic_seen(s: SessionState) -> PresenceState | None:
    """No override set (confirmed this run): what others see, which the desktop's automatic
    presence and the other devices decide; None when an override is set or nothing is known."""
    if s.override is not None or s.unconfirmed or s.presence is None or s.connection is not Connection.CONNECTED:
        return None  # (not connected: what others see now is not known)
    try:
        return PresenceState(s.presence)
    except ValueError:
        return None


def base_for(s: SessionState) -> str:
    """What others see: the server-confirmed override, never the pending one; in emulated mode,
    what everyone sees when another device wins over what this device holds; with no override,
    the presence the server reports ("none" while it is not known)."""
    seen = overruled(s)
    if seen is not None:
        return _BASE_OF[seen]
    if s.override is None:
        auto = automatic_seen(s)
        return _BASE_OF[auto] if auto is not None else "none"
    if s.override.state is None:
        return "none"
    return _BASE_OF[s.override.state]


def mark_for(s: SessionState) -> str | None:
    if s.connection is Connection.SIGNED_OUT:
        return "signed-out"
    if s.pending is not None or s.connection is Connection.CONNECTING:
        return "pending"
    if s.connection is Connection.DISCONNECTED:
        return "disconnected"
    if overruled(s) is not None:
        return "overruled"
    if automatic_seen(s) is not None:
        return "automatic"
    return None


def icon_key_for(s: SessionState) -> str:
    return icon_key(IconSpec(base_for(s), mark_for(s), s.unconfirmed))


# Pending first: it answers the click just made and lasts seconds, after which a signed-out
# account's mark (which lasts until the person acts) shows again; signed-out before disconnected
# (which heals by itself). "automatic" is no trouble: it shows only when nothing else does, and
# only for the account whose state is the base.
_MARK_RANK = {"pending": 4, "signed-out": 3, "overruled": 2, "disconnected": 1, "automatic": 0, None: 0}


def icon_spec(accounts: Sequence[SessionState]) -> IconSpec:
    """One icon for all accounts: what others see of the first live account, the most urgent
    mark (see _MARK_RANK), else that account's "automatic" mark."""
    if not accounts:
        return IconSpec("none", "signed-out")
    live = [s for s in accounts if s.connection is not Connection.SIGNED_OUT] or list(accounts)
    base = base_for(live[0])
    mark = max((mark_for(s) for s in accounts if mark_for(s) != "automatic"), key=lambda m: _MARK_RANK[m], default=None)
    if mark is None and mark_for(live[0]) == "automatic":
        mark = "automatic"
    return IconSpec(base, mark, live[0].unconfirmed)
