"""What drives this device's automatic presence now: one `Driver` per source, and the rule that
picks one of them (`combine`). Plain data, no Qt, no clock of its own (`now` is passed in).

A source (the desktop's idle and lock, the desktop's do-not-disturb, a calendar) offers at most
one `Driver` at a time: the state it would make automatic presence, why, and optionally until
when and a label (a meeting's title). The highest-ranked driver that applies wins:

    meeting (calendar)  >  screen locked  >  do not disturb  >  idle  >  active

- A meeting marked busy is Busy whether the person sits at the desk or not (a laptop locked in
  a meeting room is still "in a meeting").
- A locked screen outranks do-not-disturb: the person has left the computer, and do-not-disturb
  left on overnight must not show them Busy (there, "connected, will not reply") until morning.
  Only where the person chose a state for locking (`IdlePolicy.when_locked`); "no change" offers
  no lock driver.
- Do not disturb outranks idle: the person asked for quiet, which says more than "no input for
  5 minutes" (and a person reading in do-not-disturb is not away).

A driver whose state is Busy applies only where the account's server has Busy for automatic
presence (`busy=True`, from `PresenceBackend.automatic_busy`); elsewhere it is skipped and the
next one decides, so such a server never gets a state it would show as something else. A
driver whose `until` has passed is skipped too (its source will offer the next one; until then
nothing stale holds). No driver: None, neutral (the session leaves presence to the other
devices). A manual override always wins over all of this; the session enforces that.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tray_app.states import PresenceState


class Source(enum.Enum):
    """Who offers a driver; each can be switched off by the person (settings keys in
    `tray_app.automatic.hub.SOURCE_KEYS`)."""

    DESKTOP = "desktop"  # idle time and screen lock (tray_app.idle)
    DO_NOT_DISTURB = "do_not_disturb"  # the desktop's do-not-disturb (tray_app.dnd), turned on by the person
    CALENDAR = "calendar"  # a calendar feed's events marked busy


class Reason(enum.Enum):
    """Why a driver wants its state. Declared highest priority first: `combine` ranks by it."""

    MEETING = "meeting"  # Source.CALENDAR: an event marked busy is running
    LOCKED = "locked"  # Source.DESKTOP: the screen is locked
    DO_NOT_DISTURB = "do_not_disturb"  # Source.DO_NOT_DISTURB: the person turned it on
    IDLE = "idle"  # Source.DESKTOP: no input for the threshold
    ACTIVE = "active"  # Source.DESKTOP: input recently

    @property
    def rank(self) -> int:
        """0 is the highest priority."""
        return _RANKS[self]


_RANKS = {reason: n for n, reason in enumerate(Reason)}

SOURCE_OF: dict[Reason, Source] = {
    Reason.MEETING: Source.CALENDAR,
    Reason.LOCKED: Source.DESKTOP,
    Reason.DO_NOT_DISTURB: Source.DO_NOT_DISTURB,
    Reason.IDLE: Source.DESKTOP,
    Reason.ACTIVE: Source.DESKTOP,
}


@dataclass(frozen=True)
class Driver:
    """One source's wish for this device's automatic presence, now.

    `state`: what automatic presence becomes while this driver decides (Busy for a meeting or
    do-not-disturb). `until`: when the source expects to let go (a meeting's end; aware
    datetime), shown as "until 15:00" and skipped once passed; None: no known end. `label`:
    words of the source's own for the menu, such as a meeting's title (only where the person
    allowed titles to be shown; None: the reason alone is said). `idle_seconds`: for IDLE
    and LOCKED, how long the desktop has been idle, where known.
    """

    reason: Reason
    state: PresenceState
    until: datetime | None = None
    label: str | None = None
    idle_seconds: float | None = None

    @property
    def source(self) -> Source:
        return SOURCE_OF[self.reason]

    def expired(self, now: datetime) -> bool:
        return self.until is not None and now >= self.until


def applies(driver: Driver, *, busy: bool, now: datetime) -> bool:
    """Whether `driver` may decide for an account (see the module's docstring)."""
    if driver.expired(now):
        return False
    return busy or driver.state is not PresenceState.BUSY


def combine(drivers: Iterable[Driver | None], *, busy: bool, now: datetime) -> Driver | None:
    """The driver that decides: the highest-ranked one that applies (None: neutral).

    `busy`: whether the account's server has Busy for automatic presence. Ties (two drivers of
    one reason, which one source never offers) go to the first given."""
    best: Driver | None = None
    for driver in drivers:
        if driver is None or not applies(driver, busy=busy, now=now):
            continue
        if best is None or driver.reason.rank < best.reason.rank:
            best = driver
    return best


def skipped_busy(drivers: Iterable[Driver | None], *, now: datetime) -> Driver | None:
    """The Busy driver that would decide where the server had Busy but is skipped where it has
    none (for the menu to say so plainly); None when nothing is skipped."""
    given = tuple(drivers)
    with_busy = combine(given, busy=True, now=now)
    if with_busy is not None and with_busy.state is PresenceState.BUSY:
        return with_busy
    return None
