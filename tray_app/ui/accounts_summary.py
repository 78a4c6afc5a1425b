"""Several accounts in a few words (Qt-free): each account's one line for the menu ("@alice:example.org
— Busy until 15:00") and the summary of all of them for the tooltip and the window's headline
("3 accounts: 2 Online, 1 Busy"), so neither grows with the number of accounts."""

from __future__ import annotations

from collections.abc import Sequence

from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.translation import translate
from tray_app.ui.icon_state import automatic_seen, overruled
from tray_app.ui.labels import last_known_line, no_override_label, presence_label, setting_suffix, state_label

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


def _seen(s: SessionState) -> str:
    """What others see of the account, for the counts ("Online", "Away (automatic)")."""
    if s.connection is Connection.SIGNED_OUT:
        return signed_out_label()
    wins = overruled(s)
    if wins is not None:
        return wins.label
    if s.override is not None and s.override.state is not None:
        if s.unconfirmed:
            return translate("Summary", "{state} (last known)").format(state=state_label(s.override.state, s.api))
        return state_label(s.override.state, s.api)
    auto = automatic_seen(s)
    if auto is not None:
        return automatic_label(auto.label)
    return presence_label(None)  # "not known yet"


def state_counts(accounts: Sequence[SessionState]) -> str:
    """ "2 Online, 1 Busy, 1 signed out", in the order the states first appear."""
    counts: dict[str, int] = {}
    for s in accounts:
        seen = _seen(s)
        counts[seen] = counts.get(seen, 0) + 1
    sep = translate("Summary", ", ")
    return sep.join(translate("Summary", "{count} {state}").format(count=n, state=seen) for seen, n in counts.items())


def summary_line(accounts: Sequence[SessionState]) -> str:
    """ "3 accounts: 2 Online, 1 Busy" (for two accounts or more)."""
    return translate("Summary", "{count} accounts: {states}").format(count=len(accounts), states=state_counts(accounts))


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
