"""Emulated override: holding this device's presence on a server without MSC4043.

Synapse reports the highest state of any device, so another device can always
win. We re-assert a few times with backoff and then stop and say so, because
clients fighting over presence have taken servers down (synapse#15879).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tray_app.backoff import Backoff
from tray_app.states import PresenceState, emulated_presence


class Verdict(enum.Enum):
    OK = "ok"  # the server shows what we hold (or we hold nothing)
    REASSERT = "reassert"  # another device won; try again after `delay`
    GIVE_UP = "give_up"  # stop fighting and tell the user (once per held state)
    CONTESTED = "contested"  # still lost, already reported; do nothing


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    delay: float = 0.0


class FightTracker:
    def __init__(
        self,
        max_reasserts: int = 3,
        backoff: Backoff = Backoff(base=2.0, cap=30.0),
        quiet_period: float = 300.0,
    ) -> None:
        self.max_reasserts = max_reasserts
        self.backoff = backoff
        # Re-asserting wins for a moment before the other device flips it back, so a
        # match resets the count only once nothing was lost for this long.
        self.quiet_period = quiet_period
        self.held: PresenceState | None = None
        self.hold(None)

    def hold(self, state: PresenceState | None) -> None:
        """The user chose a state (None: hold nothing); any earlier fight is forgotten."""
        self.held = state
        self.reasserts = 0
        self.contested = False
        self.reported = False
        self.lost_at: float | None = None

    @property
    def sync_presence(self) -> str:
        """`set_presence` for our own sync: the held state, or `offline`, which leaves presence
        alone (also once we gave up, so that nothing keeps pushing)."""
        if self.held is None or self.contested:
            return PresenceState.OFFLINE.value
        return emulated_presence(self.held).value

    def observe(self, presence: str, now: float) -> Decision:
        """Our own presence as the server reported it in /sync, at monotonic time `now`."""
        if self.held is None or presence == emulated_presence(self.held).value:
            self.contested = False
            if self.lost_at is not None and now - self.lost_at >= self.quiet_period:
                self.reasserts = 0
                self.lost_at = None
            return Decision(Verdict.OK)
        self.lost_at = now
        if self.reasserts < self.max_reasserts:
            self.reasserts += 1
            return Decision(Verdict.REASSERT, self.backoff.delay(self.reasserts))
        self.contested = True
        if self.reported:
            return Decision(Verdict.CONTESTED)
        self.reported = True
        return Decision(Verdict.GIVE_UP)


def contested_message(held: PresenceState, seen: str) -> str:
    return (
        f"another device keeps you {seen}; this server has no override API, so "
        f"{held.label} holds only for this device. Stopped re-asserting to avoid a presence fight."
    )
