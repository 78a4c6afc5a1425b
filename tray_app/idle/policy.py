"""From "how long idle, is it locked" to this device's automatic presence.

Automatic presence applies only while no override is set (an override always wins; the
session enforces that). It is reported as a reason as well as a state, so a backend can
map it: servers without MSC4532 get `online`/`unavailable`/`offline` (the PUT and the sync's
`set_presence`); where the server speaks MSC4532 the same states go out as its client states,
`active` and `idle` (`tray_app.states.presence_to_wire`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from tray_app.automatic.driver import Driver, Reason
from tray_app.idle.source import IdleReading
from tray_app.states import PresenceState
from tray_app.translation import translate

DEFAULT_AWAY_MINUTES = 5.0
AWAY_CHOICES_MINUTES = (1, 2, 5, 10, 15, 30)
MIN_SECONDS_BETWEEN_CHANGES = 30.0
# While away, the idle source is read this often: no source announces the person's return,
# and others should see them back within seconds.
AWAY_READ_SECONDS = 1.0
# Read this long after the threshold's moment, so the read sees the threshold passed.
THRESHOLD_MARGIN_SECONDS = 0.1


class AutoReason(enum.Enum):
    ACTIVE = "active"  # input recently: online
    IDLE = "idle"  # no input for the threshold: away
    LOCKED = "locked"  # screen locked
    OFF = "off"  # the person turned automatic presence off
    UNAVAILABLE = "unavailable"  # this desktop offers no source


@dataclass(frozen=True)
class AutoPresence:
    """`state` None: stay neutral (the sync says `offline`, which leaves presence alone)."""

    state: PresenceState | None
    reason: AutoReason
    idle_seconds: float | None = None

    @property
    def text(self) -> str:
        """The menu/tooltip line, e.g. "Automatic: Away (idle 7 min)"."""
        if self.reason is AutoReason.UNAVAILABLE:
            return translate("AutoPresence", "Idle detection isn't available on this desktop")
        if self.reason is AutoReason.OFF:
            return translate("AutoPresence", "Automatic: off")
        label = self.state.label if self.state else translate("AutoPresence", "no change")
        if self.reason is AutoReason.LOCKED:
            return translate("AutoPresence", "Automatic: {state} (screen locked)").format(state=label)
        if self.reason is AutoReason.IDLE and self.idle_seconds is not None:
            # English says "min" for every count; the %n form gives other languages their plurals.
            # PySide6's lupdate marks a text as plural only where `n` is a number literal (else it
            # drops the translation as vanished), so one call spells the 1 out; both read the same.
            minutes = int(self.idle_seconds // 60)
            if minutes == 1:
                return translate("AutoPresence", "Automatic: {state} (idle %n min)", None, 1).format(state=label)
            return translate("AutoPresence", "Automatic: {state} (idle %n min)", None, minutes).format(state=label)
        return translate("AutoPresence", "Automatic: {state}").format(state=label)


_DESKTOP_REASONS = {AutoReason.ACTIVE: Reason.ACTIVE, AutoReason.IDLE: Reason.IDLE, AutoReason.LOCKED: Reason.LOCKED}


def desktop_driver(current: AutoPresence) -> Driver | None:
    """The idle policy's verdict as the desktop's driver among the automatic sources
    (tray_app.automatic); None: off, unavailable, or a state of none."""
    reason = _DESKTOP_REASONS.get(current.reason)
    if reason is None or current.state is None:
        return None
    return Driver(reason, current.state, idle_seconds=current.idle_seconds)


_LOCKED_CHOICES = {"offline": PresenceState.OFFLINE, "unavailable": PresenceState.UNAVAILABLE, "none": None}


@dataclass(frozen=True)
class IdlePolicy:
    """The person's preferences; stored under `preferences` in the settings file."""

    enabled: bool = True  # on for new installs, as Gajim, Slack and Teams do
    away_after_minutes: float = DEFAULT_AWAY_MINUTES
    when_locked: PresenceState | None = PresenceState.OFFLINE  # None: locking changes nothing
    # Accounts whose session stays neutral whatever the desktop says (say, a work account that
    # should not look present on the personal machine); the others follow the policy.
    off_for: frozenset[str] = frozenset()

    def applies_to(self, user_id: str | None) -> bool:
        return user_id not in self.off_for

    @classmethod
    def from_settings(cls, settings: Any) -> IdlePolicy:
        enabled = settings.preference("auto_presence", True)
        minutes = settings.preference("away_after_minutes", DEFAULT_AWAY_MINUTES)
        locked = settings.preference("when_locked", "offline")
        off_for = settings.preference("auto_presence_off_for", [])
        if not isinstance(minutes, (int, float)) or isinstance(minutes, bool) or not 0 < minutes <= 24 * 60:
            minutes = DEFAULT_AWAY_MINUTES  # a hand-edited value we cannot use: the default
        return cls(
            enabled=enabled if isinstance(enabled, bool) else True,
            away_after_minutes=float(minutes),
            when_locked=_LOCKED_CHOICES.get(locked, PresenceState.OFFLINE),
            off_for=frozenset(u for u in off_for if isinstance(u, str)) if isinstance(off_for, list) else frozenset(),
        )

    def save(self, settings: Any) -> None:
        def change(data: dict[str, Any]) -> None:
            prefs = data.setdefault("preferences", {})
            prefs["auto_presence"] = self.enabled
            prefs["away_after_minutes"] = self.away_after_minutes
            prefs["when_locked"] = self.when_locked.value if self.when_locked else "none"
            prefs["auto_presence_off_for"] = sorted(self.off_for)

        settings.update(change)

    def next_read_in(self, reading: IdleReading) -> float | None:
        """How soon the verdict on this reading can change with no event: at the threshold's
        moment while active, at once on return while away; None where only events (a lock
        signal) or the ordinary poll change it."""
        idle = reading.idle_seconds
        if not self.enabled or idle is None or (reading.locked and self.when_locked is not None):
            return None
        threshold = self.away_after_minutes * 60
        if idle >= threshold:
            return AWAY_READ_SECONDS
        return threshold - idle + THRESHOLD_MARGIN_SECONDS

    def decide(self, reading: IdleReading, available: bool = True) -> AutoPresence:
        if not available:
            return AutoPresence(None, AutoReason.UNAVAILABLE)
        if not self.enabled:
            return AutoPresence(None, AutoReason.OFF)
        idle = reading.idle_seconds
        if reading.locked and self.when_locked is not None:
            return AutoPresence(self.when_locked, AutoReason.LOCKED, idle)
        if idle is not None and idle >= self.away_after_minutes * 60:
            return AutoPresence(PresenceState.UNAVAILABLE, AutoReason.IDLE, idle)
        if idle is None and not reading.locked:
            # Only a lock source: while unlocked we cannot tell idle from active; say online.
            return AutoPresence(PresenceState.ONLINE, AutoReason.ACTIVE, None)
        return AutoPresence(PresenceState.ONLINE, AutoReason.ACTIVE, idle)


class PresenceGate:
    """At most one automatic change per `spacing` seconds for one account: a change asked
    for sooner waits, and the newest wish wins when the window opens (so a quick
    away-and-back inside it never reaches the server)."""

    def __init__(self, spacing: float = MIN_SECONDS_BETWEEN_CHANGES) -> None:
        self.spacing = spacing
        self.applied: PresenceState | None = None
        self.wanted: PresenceState | None = None
        self._last_change: float | None = None
        self.changes = 0

    def offer(self, state: PresenceState | None, now: float) -> float | None:
        """The new wish; returns None when it is applied (or nothing to do), else how many
        seconds until `due(now)` should be asked again."""
        self.wanted = state
        return self.due(now)

    def due(self, now: float) -> float | None:
        if self.wanted == self.applied:
            return None
        if self._last_change is not None and now - self._last_change < self.spacing:
            return self.spacing - (now - self._last_change)
        self.applied = self.wanted
        self._last_change = now
        self.changes += 1
        return None
