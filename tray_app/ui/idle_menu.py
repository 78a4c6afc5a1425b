"""The menu's automatic-presence part (idle and lock, do not disturb, later a calendar), as
plain data (Qt-free).

Built in one place so the rest of the menu does not change: greyed lines saying what drives
this device's automatic presence now ("Automatic: Away (idle 7 min)", "Automatic: Busy (do
not disturb)"; plainly where the account's server has no Busy for it), and a submenu with the
person's choices, each source switchable ("When I'm idle or locked", "When do not disturb is
on: Busy"). The desktop is
one, but each account's session carries its own automatic presence (an override there wins;
its changes are spaced 30 s apart on their own), so with several accounts each account's
section has its own line; with one, a single line says it. Whatever holds for all alike
("off", "isn't available") is said once. With several accounts the submenu also lists them,
so one can be left out ("Apply to @work:example.org" unchecked: that session stays neutral).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, tzinfo

from tray_app.automatic import Driver
from tray_app.idle.policy import AWAY_CHOICES_MINUTES, AutoReason, desktop_driver
from tray_app.session_state import ApiMode, Connection, SessionState
from tray_app.states import PresenceState
from tray_app.translation import translate
from tray_app.ui import automatic_words as words
from tray_app.ui.labels import field_label
from tray_app.ui.view_model import IdleMenuState as IdleMenuState  # re-exported: its home was here
from tray_app.ui.view_model import Kind, MenuItem, SetIdlePolicy, ToggleBusyWhenDoNotDisturb


def idle_line(idle: IdleMenuState) -> str | None:
    """What the desktop says, for no account in particular (None while still looking)."""
    if idle.available is None:
        return None
    return idle.current.text


def same_for_all(idle: IdleMenuState) -> bool:
    """Idle detection off or not available and no other source drives: nothing differs
    between accounts."""
    return idle.current.reason in (AutoReason.OFF, AutoReason.UNAVAILABLE) and idle.driving is None


def driver_for(idle: IdleMenuState, s: SessionState) -> Driver | None:
    """The driver that decides for this account: Busy only where its server has it."""
    given = idle.driving if s.automatic_busy else idle.driving_without_busy
    return given if given is not None else desktop_driver(idle.current)


def _driver_line(idle: IdleMenuState, s: SessionState, now: datetime | None, tz: tzinfo | None) -> str:
    driver = driver_for(idle, s)
    line = words.driver_text(driver, idle.current.text, now, tz) if driver is not None else idle.current.text
    skipped = idle.driving
    if (
        not s.automatic_busy
        and s.api is not ApiMode.UNKNOWN  # (not known yet: nothing to say of its server)
        and skipped is not None
        and skipped.state is PresenceState.BUSY
    ):
        line = words.no_busy_note(line, skipped)
    return line


def account_line(
    idle: IdleMenuState, s: SessionState, now: datetime | None = None, tz: tzinfo | None = None
) -> str | None:
    """This account's automatic presence, e.g. "Automatic: Away (idle 7 min) — the override
    wins"; None: nothing to say for it (still looking, off, or signed out)."""
    if idle.available is None or same_for_all(idle) or s.connection is Connection.SIGNED_OUT:
        return None
    reachable = s.connection is not Connection.DISCONNECTED
    if not idle.policy.applies_to(s.user_id):
        line = translate("AutoPresence", "Automatic: off for this account")
        if s.override is None and s.automatic is not None and reachable:  # the session has not let go yet
            return words.goes_out(line)
        return line
    line = _driver_line(idle, s, now, tz)
    driver = driver_for(idle, s)
    if s.override is not None:
        return translate("AutoPresence", "{automatic} — the override wins").format(automatic=line)
    if s.automatic != (driver.state if driver is not None else None) and reachable:
        # The session holds the change back: at most one per 30 s per account (none goes out
        # while the server can't be reached: nothing promised then).
        return words.goes_out(line)
    return line


def automatic_lines(
    idle: IdleMenuState | None,
    accounts: Sequence[SessionState],
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> tuple[str | None, dict[str, str]]:
    """The line said once (menu and tooltip) and each account's own line: with one account its
    line is the one line; with several, each account has its own and the one line only says
    what holds for all ("Automatic: off", "Idle detection isn't available …")."""
    if idle is None or idle.available is None:
        return None, {}
    if same_for_all(idle) or not accounts:
        return idle_line(idle), {}
    if len(accounts) == 1:
        return account_line(idle, accounts[0], now, tz), {}
    lines = {s.user_id: account_line(idle, s, now, tz) for s in accounts}
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


def idle_items(
    idle: IdleMenuState | None,
    accounts: Sequence[SessionState] = (),
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> list[MenuItem]:
    """The one line (see `automatic_lines`) and the submenu, after the accounts."""
    if idle is None:
        return []
    line, _ = automatic_lines(idle, accounts, now, tz)
    items = [MenuItem("idle:line", Kind.INFO, line or "", enabled=False, visible=bool(line))]
    if not idle.available and idle.busy_when_dnd is None:
        return items
    children = _idle_choices(idle) if idle.available else []
    children.extend(_do_not_disturb_choice(idle, accounts, after_idle=bool(children)))
    children.extend(_account_choices(idle, accounts))
    title = translate("AutoPresence", "Automatic presence")
    items.append(MenuItem("idle", Kind.SUBMENU, title, children=tuple(children), label=field_label(title)))
    return items


def _do_not_disturb_choice(idle: IdleMenuState, accounts: Sequence[SessionState], after_idle: bool) -> list[MenuItem]:
    """ "When do not disturb is on: Busy", where the desktop has a do-not-disturb switch;
    greyed, saying why, where no signed-in account's server has Busy for it (the window shows
    a submenu's children as a combo box's entries, so the reason is in the item's own text)."""
    if idle.busy_when_dnd is None:
        return []
    known = [s for s in accounts if s.connection is not Connection.SIGNED_OUT and s.api is not ApiMode.UNKNOWN]
    no_busy = bool(known) and not any(s.automatic_busy for s in known)
    items = [MenuItem("idle:sep-dnd", Kind.SEPARATOR)] if after_idle else []
    text = words.busy_when_do_not_disturb_not_here(len(known) > 1) if no_busy else words.busy_when_do_not_disturb()
    items.append(
        MenuItem(
            "idle:dnd",
            Kind.CHECK,
            text,
            checked=idle.busy_when_dnd and not no_busy,
            enabled=not no_busy,
            action=None if no_busy else ToggleBusyWhenDoNotDisturb(),
        )
    )
    return items


def _idle_choices(idle: IdleMenuState) -> list[MenuItem]:
    p = idle.policy
    children = [
        MenuItem(
            "idle:enabled",
            Kind.CHECK,
            words.idle_or_locked(),
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
    return children


def _account_choices(idle: IdleMenuState, accounts: Sequence[SessionState]) -> list[MenuItem]:
    """Which accounts follow automatic presence (every source): offered with several accounts
    (or when the one left was left out, so it can be let in again)."""
    p = idle.policy
    users = [s.user_id for s in accounts if s.connection is not Connection.SIGNED_OUT]
    if not (len(users) > 1 or any(u in p.off_for for u in users)):
        return []
    children = [MenuItem("idle:sep3", Kind.SEPARATOR)]
    for u in users:
        children.append(
            MenuItem(
                f"idle:account:{u}",
                Kind.CHECK,
                translate("AutoPresence", "Apply to {user}").format(user=u),
                checked=p.applies_to(u),
                enabled=p.enabled or bool(idle.busy_when_dnd),
                action=SetIdlePolicy(replace(p, off_for=p.off_for ^ {u})),
            )
        )
    return children
