"""The menu's automatic-presence part (idle and lock), as plain data (Qt-free).

Built in one place so the rest of the menu does not change: one greyed line saying what
the desktop makes of this device now, and a submenu with the person's choices.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from tray_app.idle.policy import AWAY_CHOICES_MINUTES, AutoPresence, AutoReason, IdlePolicy
from tray_app.states import PresenceState
from tray_app.translation import translate
from tray_app.ui.presenter import Kind, MenuItem


@dataclass(frozen=True)
class SetIdlePolicy:
    """A click in the submenu: the whole new policy."""

    policy: IdlePolicy


@dataclass(frozen=True)
class IdleMenuState:
    available: bool | None  # None: still looking for sources
    current: AutoPresence
    policy: IdlePolicy

    @property
    def line(self) -> str | None:
        """The menu line and tooltip line (None while still looking)."""
        if self.available is None:
            return None
        return self.current.text


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


def idle_items(idle: IdleMenuState | None, overridden: bool = False) -> list[MenuItem]:
    if idle is None:
        return []
    line = idle.line
    if line and overridden and idle.current.reason not in (AutoReason.OFF, AutoReason.UNAVAILABLE):
        line = translate("AutoPresence", "{automatic} — the override wins").format(automatic=line)
    items = [MenuItem("idle:line", Kind.INFO, line or "", enabled=False, visible=bool(line))]
    if not idle.available:
        return items
    p = idle.policy
    children = [
        MenuItem("idle:enabled", Kind.CHECK, translate("AutoPresence", "Set my presence automatically"), checked=p.enabled,
                 action=SetIdlePolicy(replace(p, enabled=not p.enabled))),
        MenuItem("idle:sep1", Kind.SEPARATOR),
    ]
    for minutes in AWAY_CHOICES_MINUTES:
        after = _away_after(minutes)
        children.append(MenuItem(
            f"idle:after:{minutes}", Kind.CHECK, after,
            checked=p.away_after_minutes == minutes, group="idle:after", enabled=p.enabled,
            action=SetIdlePolicy(replace(p, away_after_minutes=float(minutes)))))
    children.append(MenuItem("idle:sep2", Kind.SEPARATOR))
    for state, label in LOCKED_CHOICES:
        children.append(MenuItem(
            f"idle:locked:{state.value if state else 'none'}", Kind.CHECK, label(),
            checked=p.when_locked is state, group="idle:locked", enabled=p.enabled,
            action=SetIdlePolicy(replace(p, when_locked=state))))
    items.append(MenuItem("idle", Kind.SUBMENU, translate("AutoPresence", "Automatic presence"), children=tuple(children)))
    return items
