"""The menu's automatic-presence part (idle and lock), as plain data (Qt-free).

Built in one place so the rest of the menu does not change: one greyed line saying what
the desktop makes of this device now, and a submenu with the person's choices.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tray_app.idle.policy import AWAY_CHOICES_MINUTES, AutoPresence, AutoReason, IdlePolicy
from tray_app.states import PresenceState
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


LOCKED_CHOICES: tuple[tuple[PresenceState | None, str], ...] = (
    (PresenceState.OFFLINE, "Offline"),
    (PresenceState.UNAVAILABLE, "Away"),
    (None, "No change"),
)


def idle_items(idle: IdleMenuState | None, overridden: bool = False) -> list[MenuItem]:
    if idle is None:
        return []
    line = idle.line
    if line and overridden and idle.current.reason not in (AutoReason.OFF, AutoReason.UNAVAILABLE):
        line += " — the override wins"
    items = [MenuItem("idle:line", Kind.INFO, line or "", enabled=False, visible=bool(line))]
    if not idle.available:
        return items
    p = idle.policy
    children = [
        MenuItem("idle:enabled", Kind.CHECK, "Set my presence automatically", checked=p.enabled,
                 action=SetIdlePolicy(replace(p, enabled=not p.enabled))),
        MenuItem("idle:sep1", Kind.SEPARATOR),
    ]
    for minutes in AWAY_CHOICES_MINUTES:
        children.append(MenuItem(
            f"idle:after:{minutes}", Kind.CHECK, f"Set me away after {minutes} min idle",
            checked=p.away_after_minutes == minutes, group="idle:after", enabled=p.enabled,
            action=SetIdlePolicy(replace(p, away_after_minutes=float(minutes)))))
    children.append(MenuItem("idle:sep2", Kind.SEPARATOR))
    for state, label in LOCKED_CHOICES:
        children.append(MenuItem(
            f"idle:locked:{state.value if state else 'none'}", Kind.CHECK, f"While the screen is locked: {label}",
            checked=p.when_locked is state, group="idle:locked", enabled=p.enabled,
            action=SetIdlePolicy(replace(p, when_locked=state))))
    items.append(MenuItem("idle", Kind.SUBMENU, "Automatic presence", children=tuple(children)))
    return items
