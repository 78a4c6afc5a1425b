"""Several accounts in a few words (Qt-free): each account's one line for the menu ("@alice:example.org
— Busy until 15:00") and the summary of all of them for the tooltip and the window's headline
("3 accounts: 2 Online, 1 Busy"), so neither grows with the number of accounts."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import PresenceState
from tray_app.translation import translate
from tray_app.ui.icon_state import automatic_seen, overruled
from tray_app.ui.labels import last_known_line, no_override_label, setting_suffix, state_label

# How many user IDs a line of the summary names before "and N more".
NAMES_SHOWN = 2


def automatic_label(state: str) -> str:
    """A state nobody set (no override: the desktop's automatic presence and the other devices)."""
    return translate("Summary", "{state} (automatic)").format(state=state)


def signed_out_label() -> str:
    return translate("Summary", "signed out")


def account_line(s: SessionState, end: str | None) -> str:
    """The account's one line in a menu with several: its ID and its state in a few words
    ("@alice:example.org — Busy until 15:00"). `end`: a running timed state's end (format_end)."""
    if s.connection is Connection.SIGNED_OUT:
        state = signed_out_label()
    elif s.pending is not None:
        state = state_label(s.pending.state, s.api) + setting_suffix()
    elif s.override is not None and s.override.state is not None and not s.unconfirmed:
        state = state_label(s.override.state, s.api)
        if end:
            state = translate("Summary", "{state} until {end}").format(state=state, end=end)
    elif s.unconfirmed:
        state = last_known_line(s) or ""
    elif (auto := automatic_seen(s)) is not None:
        state = automatic_label(auto.label)
    elif s.override is None and s.api is not ApiMode.UNKNOWN:
        state = no_override_label()  # what others see is not known (yet)
    elif s.override is not None and s.override.state is None:
        state = translate("Menu", "unknown state “{state}”").format(state=s.override.raw)
    else:
        state = translate("Summary", "checking…")
    if s.connection is Connection.DISCONNECTED:
        state = translate("Summary", "{state} (can't reach the server)").format(state=state)
    return translate("Summary", "{user} — {state}").format(user=s.user_id, state=state)


# An account's count in the summary: what others see of it, "automatic" and "last known" merged
# into the state (each account's own line keeps them apart). lupdate marks a text as plural only
# where `n` is a number literal, so each is spelled out once with 1 (see idle_menu._away_after).
_COUNTED: dict[PresenceState | str, Callable[[int], str]] = {
    PresenceState.ONLINE: lambda n: (
        translate("Summary", "%n Online", None, 1) if n == 1 else translate("Summary", "%n Online", None, n)
    ),
    PresenceState.UNAVAILABLE: lambda n: (
        translate("Summary", "%n Away", None, 1) if n == 1 else translate("Summary", "%n Away", None, n)
    ),
    PresenceState.BUSY: lambda n: (
        translate("Summary", "%n Busy", None, 1) if n == 1 else translate("Summary", "%n Busy", None, n)
    ),
    PresenceState.OFFLINE: lambda n: (
        translate("Summary", "%n Offline", None, 1) if n == 1 else translate("Summary", "%n Offline", None, n)
    ),
    PresenceState.DISABLED: lambda n: (
        translate("Summary", "%n Disabled", None, 1) if n == 1 else translate("Summary", "%n Disabled", None, n)
    ),
    "signed-out": lambda n: (
        translate("Summary", "%n signed out", None, 1) if n == 1 else translate("Summary", "%n signed out", None, n)
    ),
    "unknown": lambda n: (
        translate("Summary", "%n not known yet", None, 1)
        if n == 1
        else translate("Summary", "%n not known yet", None, n)
    ),
}


def _seen(s: SessionState) -> PresenceState | str:
    """What others see of the account, for the counts (a state, "signed-out" or "unknown")."""
    if s.connection is Connection.SIGNED_OUT:
        return "signed-out"
    wins = overruled(s)
    if wins is not None:
        return wins
    if s.override is not None and s.override.state is not None:
        return s.override.state  # (last known: its own line says so)
    return automatic_seen(s) or "unknown"


def state_counts(accounts: Sequence[SessionState]) -> str:
    """ "2 Online, 1 Busy, 1 signed out", in the order the states first appear."""
    counts: dict[PresenceState | str, int] = {}
    for s in accounts:
        seen = _seen(s)
        counts[seen] = counts.get(seen, 0) + 1
    sep = translate("Summary", ", ")
    return sep.join(_COUNTED[seen](n) for seen, n in counts.items())


def summary_line(accounts: Sequence[SessionState]) -> str:
    """ "3 accounts: 2 Online, 1 Busy" (for two accounts or more): the tooltip's and the
    window's headline."""
    n = len(accounts)
    if n == 1:
        line = translate("Summary", "%n account(s): {states}", None, 1)
    else:
        line = translate("Summary", "%n account(s): {states}", None, n)
    return line.format(states=state_counts(accounts))


def _names(users: Sequence[str]) -> str:
    shown = ", ".join(users[:NAMES_SHOWN])
    if len(users) > NAMES_SHOWN:
        return translate("Summary", "{users} and {count} more").format(users=shown, count=len(users) - NAMES_SHOWN)
    return shown


def trouble_lines(accounts: Sequence[SessionState]) -> list[str]:
    """At most three lines, one per kind of trouble, naming at most two accounts each."""
    kinds = (
        (translate("Summary", "Sign in again: {users}"), lambda s: s.connection is Connection.SIGNED_OUT),
        (
            translate("Summary", "Can't reach the server: {users}"),
            lambda s: s.connection is Connection.DISCONNECTED,
        ),
        (
            translate("Summary", "Another device wins: {users}"),
            lambda s: s.contested or overruled(s) is not None,
        ),
    )
    lines = []
    for text, applies in kinds:
        users = [s.user_id for s in accounts if applies(s)]
        if users:
            lines.append(text.format(users=_names(users)))
    return lines
