"""Presence states and their wire spellings.

MSC4043 carries the override as a plain string; MSC4042 adds `disabled`, whose
unstable spelling differs. Keeping every spelling here means the rest of the
code only ever handles `PresenceState` values.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tray_app.translation import translate

UNSTABLE_DISABLED = "support.feline.msc4042.v1.disabled"
# MSC3026's busy on the standard presence endpoints and in /sync (Synapse's spelling).
MSC3026_BUSY = "org.matrix.msc3026.busy"


class PresenceState(enum.Enum):
    ONLINE = "online"
    UNAVAILABLE = "unavailable"
    OFFLINE = "offline"
    DISABLED = "disabled"
    # MSC4532 (and MSC3026's `busy` on the standard endpoint): offered only where the server has it.
    BUSY = "busy"

    @property
    def label(self) -> str:
        return _LABELS[self]()


_LABELS = {
    PresenceState.ONLINE: lambda: translate("State", "Online"),
    PresenceState.UNAVAILABLE: lambda: translate("State", "Away"),
    PresenceState.OFFLINE: lambda: translate("State", "Offline"),
    PresenceState.DISABLED: lambda: translate("State", "Disabled"),
    PresenceState.BUSY: lambda: translate("State", "Busy"),
}

# Names accepted on the command line and in settings files.
_NAMES = {
    "online": PresenceState.ONLINE,
    "unavailable": PresenceState.UNAVAILABLE,
    "away": PresenceState.UNAVAILABLE,
    "offline": PresenceState.OFFLINE,
    "disabled": PresenceState.DISABLED,
    "busy": PresenceState.BUSY,
}


def parse_state_name(name: str) -> PresenceState:
    """A user-typed state name (`away` is an alias of `unavailable`)."""
    try:
        return _NAMES[name.strip().lower()]
    except KeyError:
        raise ValueError(
            f"unknown state {name!r}; choose one of online, unavailable (away), offline, disabled, busy"
        ) from None


@dataclass(frozen=True)
class Override:
    """What the server reports as the override.

    `state` is None when the server sent a value we do not know; `raw` keeps
    it verbatim so it can still be shown.
    """

    state: PresenceState | None
    raw: str

    @property
    def name(self) -> str:
        return self.state.value if self.state else self.raw

    @property
    def meaning(self) -> PresenceState | str:
        """What it says, whatever the spelling: the state (MSC4043's stable and unstable
        `disabled`, MSC4532's prefixed and plain values, all read into one), else the raw
        value of one we do not know."""
        return self.state if self.state is not None else self.raw


def same_override(a: Override | None, b: Override | None) -> bool:
    """Whether two readings say the same override: by meaning, never by spelling (a Busy
    written through MSC4532 and read back through MSC4043 is one Busy)."""
    return (a.meaning if a else None) == (b.meaning if b else None)


def to_wire(state: PresenceState | None, *, unstable: bool) -> str:
    """The value to PUT; None means "clear the override" (the empty string)."""
    if state is None:
        return ""
    if state is PresenceState.DISABLED and unstable:
        return UNSTABLE_DISABLED
    return state.value


def from_wire(value: object) -> Override | None:
    """Parse a `presence_override` value from either path; "" or missing means none."""
    if value is None or value == "":
        return None
    raw = str(value)
    if raw == UNSTABLE_DISABLED:
        return Override(PresenceState.DISABLED, raw)
    try:
        return Override(PresenceState(raw), raw)
    except ValueError:
        return Override(None, raw)


def emulated_presence(state: PresenceState) -> PresenceState:
    """What a state can really be on a server without the override API."""
    return PresenceState.OFFLINE if state is PresenceState.DISABLED else state


# MSC4532's client states: a device says `active`, `idle` or `busy` itself (prefixed with this
# until the server advertises the proposal's `.stable` flag; `offline` never is).
MSC4532_STATE_PREFIX = "org.continuwuity.presence_v2.msc4532."
_TO_MSC4532 = {
    PresenceState.ONLINE.value: "active",
    PresenceState.UNAVAILABLE.value: "idle",
    PresenceState.BUSY.value: "busy",
}
_FROM_MSC4532 = {v: k for k, v in _TO_MSC4532.items()}


class Wording(enum.Enum):
    """How this device says its presence on `/sync?set_presence=` and `PUT .../status`."""

    CLASSIC = "classic"  # online / unavailable / offline; busy as MSC3026's
    MSC4532 = "msc4532"  # active / idle / busy, in the proposal's unstable spelling
    MSC4532_STABLE = "msc4532_stable"  # the same, plain (the server says `….stable`)


def presence_to_wire(presence: str, wording: Wording = Wording.CLASSIC) -> str:
    """A presence (`online`, `unavailable`, `busy`, `offline`) for `/v3/presence/.../status` and
    `set_presence`, in the server's words: MSC4532's client states where it speaks MSC4532,
    else the old words, busy being MSC3026's unstable value."""
    if wording is Wording.CLASSIC:
        return MSC3026_BUSY if presence == PresenceState.BUSY.value else presence
    name = _TO_MSC4532.get(presence)
    if name is None:
        return presence  # `offline` (and what has no MSC4532 word) as it is
    return name if wording is Wording.MSC4532_STABLE else MSC4532_STATE_PREFIX + name


def presence_from_wire(presence: str) -> str:
    """A presence as a server sends it, in the applet's words (`online`, `unavailable`, `busy`,
    `offline`): MSC3026's busy and MSC4532's states (either spelling) are read too; anything
    else is kept as it came."""
    if presence == MSC3026_BUSY:
        return PresenceState.BUSY.value
    return _FROM_MSC4532.get(presence.removeprefix(MSC4532_STATE_PREFIX), presence)
