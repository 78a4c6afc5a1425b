"""The one interface every presence API is driven through (detect, read, set, clear, watch).

The session holds a `PresenceBackend` and asks it for what it needs; it never checks which API
that is. A new API is one new module here plus one line in `detection.ORDER`.
"""

from __future__ import annotations

import abc
import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tray_app.matrix.http import MatrixRequests
from tray_app.matrix.override_api import OverrideReading as OverrideReading  # re-exported for the backends
from tray_app.session_state import ApiMode, SessionEvent, SessionState
from tray_app.states import PresenceState, Wording, emulated_presence

if TYPE_CHECKING:
    from tray_app.emulation import FightTracker
    from tray_app.settings import Settings

# What a server that has the classic override offers (MSC4043 + MSC4042's `disabled`).
CLASSIC_STATES = frozenset(
    {PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.OFFLINE, PresenceState.DISABLED}
)
MSC3026_BUSY_FLAG = "org.matrix.msc3026.busy_presence"


class ReadAgain:
    """What `watch` returns when an event says "something changed" but not what: read it."""


READ_AGAIN = ReadAgain()


@dataclass(frozen=True)
class ServerFeatures:
    """`/versions` `unstable_features`, read once per detection."""

    flags: dict[str, Any]

    def has(self, flag: str) -> bool:
        return self.flags.get(flag) is True


@dataclass
class SessionLink:
    """What a backend may use of the session that drives it: one per session, handed to every
    backend the session detects (so `kept` outlives a reconnect). Only a backend that holds
    state of its own on the client (the emulated one) needs more than nothing of it."""

    settings: Settings
    lock: asyncio.Lock  # the session's one-override-request-at-a-time lock
    state: Callable[[], SessionState]
    publish: Callable[..., None]  # SessionState changes
    emit: Callable[[SessionEvent, str], None]
    is_closed: Callable[[], bool]
    # Background work a backend starts; the session cancels it when it stops.
    spawn: Callable[[Coroutine[Any, Any, Any]], asyncio.Task[Any]]
    # The emulated backend's fight tracker (tests shorten its backoff); None: the default one.
    fight: FightTracker | None = None
    kept: dict[str, Any] = field(default_factory=dict)  # what a backend keeps across reconnects
    # Puts this device's presence without an override (its automatic presence; `offline` where
    # that is neutral): what the emulated backend says when it lets its hold go. None: `offline`.
    release: Callable[[], Coroutine[Any, Any, None]] | None = None


class PresenceBackend(abc.ABC):
    mode: ApiMode  # a class attribute, except where one class serves two modes (msc4043)
    # Account-data event types the sync must carry so `watch` sees changes made elsewhere.
    watch_types: tuple[str, ...] = ()
    # True where the server always uses the override: what others see follows from it without a read.
    override_is_presence: bool = True

    # True where an initial sync (filtered to `watch_types`) carries everything `read` would
    # fetch: connecting then reads through the initial sync the session makes anyway, one
    # round trip fewer than a GET before it (see `initial_reading`).
    reads_by_initial_sync: bool = False

    # True where `clear` itself puts this device's presence (the emulated hold's release);
    # elsewhere the session puts it just before clearing.
    releases_presence: bool = False

    def __init__(self, requests: MatrixRequests, user_id: str, features: ServerFeatures) -> None:
        self.requests = requests
        self.user_id = user_id
        self.features = features
        self.link: SessionLink | None = None

    def attach(self, link: SessionLink) -> None:
        """The session that drives this backend (called once, right after detection)."""
        self.link = link

    # -- what it offers ---------------------------------------------------------------

    @property
    def status_msg(self) -> bool:
        """Whether a status message is kept with the override."""
        return False

    @property
    def message_alone(self) -> bool:
        """Whether the server keeps a status message without an override, as the user's own
        (held against the other devices' presence); where False, a message goes with an override."""
        return False

    @property
    def offered(self) -> frozenset[PresenceState]:
        return CLASSIC_STATES

    @property
    def wording(self) -> Wording:
        """How this device says its own presence (`set_presence`, `PUT .../status`) here:
        MSC4532's client states where the server speaks MSC4532, else the old words."""
        return Wording.CLASSIC

    @property
    def automatic_busy(self) -> bool:
        """Whether this device saying `busy` as its own presence (its sync and PUT status, no
        override) makes others see Busy: automatic Busy (the desktop's do-not-disturb, a
        meeting) is handed to a session only where this is True (tray_app.automatic)."""
        return False

    def not_offered_reason(self, state: PresenceState) -> str:
        """Why `state` cannot be set here (shown in the menu and by the command line)."""
        return f"this server has no {state.value} state"

    # -- the operations ------------------------------------------------------------------

    @abc.abstractmethod
    async def read(self) -> OverrideReading:
        """The override as the server holds it now."""

    @abc.abstractmethod
    async def set(self, state: PresenceState, status_msg: str | None) -> OverrideReading | None:
        """Set it; the answer is what the server stored (None: nothing confirms it, read back)."""

    @abc.abstractmethod
    async def clear(self) -> OverrideReading | None:
        """Remove the override (and its message); same answer as `set`."""

    async def set_message(self, held: PresenceState | None, status_msg: str) -> OverrideReading | None:
        """Only where `message_alone`: change the status message ("" removes it) and keep the
        override as it is (`held`: the one the session knows); same answer as `set`."""
        raise NotImplementedError(f"{type(self).__name__} keeps a message only with an override")

    async def resume(self) -> None:  # noqa: B027 (a hook: doing nothing is the default)
        """After (re)connecting, under the session's lock, before the first read: put back on
        the server whatever this backend holds itself (nothing, where the server keeps it)."""

    def sync_presence(self, automatic: PresenceState | None) -> str | None:
        """The `set_presence` our own sync must carry for this API, given this device's automatic
        presence; None: the session's own rule (automatic presence only while no override holds)."""
        return None

    def presence_for(self, state: PresenceState) -> str:
        """What others see while an override of `state` holds (where `override_is_presence`)."""
        return emulated_presence(state).value

    def override_follows_devices(self, state: PresenceState | None) -> bool:
        """True where an override of `state`, as this server may hold it (written by us or by
        another client), shows only while one of the user's devices is connected: MSC4532's
        rule 1. While one holds, our sync keeps this device connected (see `connected_presence`)."""
        return False

    def set_follows_devices(self, state: PresenceState) -> bool:
        """True where `set(state)` writes an override that rule 1 applies to (so this device
        must be connected before it lands, or others see `offline`)."""
        return False

    def own_presence(self, presence: str) -> None:  # noqa: B027 (a hook: doing nothing is the default)
        """Our own presence as the sync reported it (a backend that holds presence itself
        checks that it still holds)."""

    def initial_reading(self, account_data: dict[str, dict[str, Any]]) -> OverrideReading:
        """The override an initial sync gives: its global account data of `watch_types`, by
        type (a type that is missing has never been written). Only where
        `reads_by_initial_sync`."""
        raise NotImplementedError(f"{type(self).__name__} reads with `read`")

    def watch(self, event_type: str, content: dict[str, Any]) -> OverrideReading | ReadAgain | None:
        """A global account-data event of `watch_types` arrived in the sync: the reading it
        gives, READ_AGAIN if it says only that something changed, None if it tells nothing."""
        return None


def connected_presence(automatic: PresenceState | None) -> str:
    """The `set_presence` that keeps this device connected under an override rule 1 applies to:
    its automatic presence where that is a connected one (online, away), else `unavailable`
    (MSC4532's `idle`), which adds nothing to the user's other devices. The override outranks
    it either way (MSC4532's rule 2; the module rewrites every device's state)."""
    if automatic in (PresenceState.ONLINE, PresenceState.UNAVAILABLE):
        return automatic.value
    return PresenceState.UNAVAILABLE.value
