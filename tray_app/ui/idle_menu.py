"""The menu's automatic-presence part (idle and lock), as plain data (Qt-free).

Built in one place so the rest of the menu does not change: greyed lines saying what the
desktop makes of this device now, and a submenu with the person's choices. The desktop is
one, but each account's session carries its own automatic presence (an override there wins;
its changes are spaced 30 s apart on their own), so with several accounts each account's
section has its own line; with one, a single line says it. Whatever holds for all alike
("off", "isn't available") is said once. With several accounts the submenu also lists them,
so one can be left out ("Apply to @work:example.org" unchecked: that session stays neutral).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from tray_app.idle.policy import AWAY_CHOICES_MINUTES, AutoReason
from tray_app.session_state import Connection, SessionState
from tray_app.states import PresenceState
from tray_app.translation import translate
from tray_app.ui.labels import field_label
from tray_app.ui.view_model import IdleMenuState as IdleMenuState  # re-exported: its home was here
from tray_app.ui.view_model import Kind, MenuItem, SetIdlePolicy


def idle_line(idle: IdleMenuState) -> str | None:
    """What the desktop says, for no account in particular (None while still looking)."""
    if idle.available is None:
        return None
    return idle.current.text


def same_for_all(idle: IdleMenuState) -> bool:
    """Off or not available: nothing differs between accounts."""
    return idle.current.reason in (AutoReason.OFF, AutoReason.UNAVAILABLE)


def account_line(idle: IdleMenuState, s: SessionState) -> str | None:
    """This account's automatic presence, e.g. "Automatic: Away (idle 7 min) — the override
    wins"; None: nothing to say for it (still looking, off, or signed out)."""
    if not idle.available or same_for_all(idle) or s.connection is Connection.SIGNED_OUT:
        return None
    if not idle.policy.applies_to(s.user_id):
        line = translate("AutoPresence", "Automatic: off for this account")
        if s.override is None and s.automatic is not None:  # the session has not let go yet
            return translate("AutoPresence", "{automatic} — sent within 30 s").format(automatic=line)
        return line
    line = idle.current.text
    if s.override is not None:
        return translate("AutoPresence", "{automatic} — the override wins").format(automatic=line)
    if s.automatic != idle.current.state:
        # The session holds the change back: at most one per 30 s per account.
        return translate("AutoPresence", "{automatic} — sent within 30 s").format(automatic=line)
    return line


def automatic_lines(idle: IdleMenuState | None, accounts: Sequence[SessionState]) -> tuple[str | None, dict[str, str]]:
    """The line said once (menu and tooltip) and each account's own line: with one account its
    line is the one line; with several, each account has its own and the one line only says
    what holds for all ("Automatic: off", "Idle detection isn't available …")."""
    if idle is None or idle.available is None:
        return None, {}
    if same_for_all(idle) or not accounts:
        return idle_line(idle), {}
    if len(accounts) == 1:
        return account_line(idle, accounts[0]), {}
    lines = {s.user_id: account_line(idle, s) for s in accounts}
    return None, {u: line for u, line in lines.items() if line}


# The label of each choice is looked up when the menu is built (the language is known by then).
LOCKED_CHOICES: tuple[tuple[PresenceState | None, Callable[[], str]], ...] = (
    (PresenceState.OFFLINE, lambda: translate("AutoPresence", "While the screen is locked: Offline")),
    (PresenceState.UNAVAILABLE, lambda: translate("AutoPresence", "While the screen is locked: Away")),
    (None, lambda: translate("AutoPresence", "While the screen is locked: No change")),
)


def _away_after(minutes: int) -> str:
    """PySide6 6.11's lupdate marks a text as plural only where `n` is a number literal, so one
    call spells the 1 out; both give the same plural-aware translation."""
    if minutes == 1:
        return translate("AutoPresence", "Set me away after %n min idle", None, 1)
    return translate("AutoPresence", "Set me away after %n min idle", None, minutes)


def idle_items(idle: IdleMenuState | None, accounts: Sequence[SessionState] = ()) -> list[MenuItem]:
    """The one line (see `automatic_lines`) and the submenu, after the accounts."""
    if idle is None:
        return []
    line, _ = automatic_lines(idle, accounts)
    items = [MenuItem("idle:line", Kind.INFO, line or "", enabled=False, visible=bool(line))]
    if not idle.available:
        return items
    p = idle.policy
    children = [
        MenuItem(
            "idle:enabled",
            Kind.CHECK,
            translate("AutoPresence", "Set my presence automatically"),
            checked=p.enabled,
            action=SetIdlePolicy(replace(p, enabled=not p.enabled)),
        ),
        MenuItem("idle:sep1", Kind.SEPARATOR),
    ]
    for minutes in AWAY_CHOICES_MINUTES:
        after = _away_after(minutes)
        children.append(
            MenuItem(
                f"idle:after:{minutes}",
                Kind.CHECK,
                after,
                checked=p.away_after_minutes == minutes,
                group="idle:after",
                enabled=p.enabled,
                action=SetIdlePolicy(replace(p, away_after_minutes=float(minutes))),
            )
        )
    children.append(MenuItem("idle:sep2", Kind.SEPARATOR))
    for state, label in LOCKED_CHOICES:
        children.append(
            MenuItem(
                f"idle:locked:{state.value if state else 'none'}",
                Kind.CHECK,
                label(),
                checked=p.when_locked is state,
                group="idle:locked",
                enabled=p.enabled,
                action=SetIdlePolicy(replace(p, when_locked=state)),
            )
        )
    # Which accounts follow it: offered with several accounts (or when the one left was left out,
    # so it can be let in again).
    users = [s.user_id for s in accounts if s.connection is not Connection.SIGNED_OUT]
    if len(users) > 1 or any(u in p.off_for for u in users):
        children.append(MenuItem("idle:sep3", Kind.SEPARATOR))
        for u in users:
            children.append(
                MenuItem(
                    f"idle:account:{u}",
                    Kind.CHECK,
                    translate("AutoPresence", "Apply to {user}").format(user=u),
                    checked=p.applies_to(u),
                    enabled=p.enabled,
                    action=SetIdlePolicy(replace(p, off_for=p.off_for ^ {u})),
                )
            )
    title = translate("AutoPresence", "Automatic presence")
    items.append(MenuItem("idle", Kind.SUBMENU, title, children=tuple(children), label=field_label(title)))
    return items
