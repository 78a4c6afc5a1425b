"""The one interface every presence API is driven through (detect, read, set, clear, watch).

The session holds a `PresenceBackend` and asks it for what it needs; it never checks which API
that is. A new API is one new module here plus one line in `detection.ORDER`.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Any, ClassVar

from tray_app.matrix_http import MatrixRequests
from tray_app.override_api import OverrideReading
from tray_app.session_state import ApiMode
from tray_app.states import PresenceState

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


class PresenceBackend(abc.ABC):
    mode: ClassVar[ApiMode]
    # Account-data event types the sync must carry so `watch` sees changes made elsewhere.
    watch_types: tuple[str, ...] = ()
    # True where there is no server override: "set" means holding this device's own presence,
    # which another device can beat (the session then re-asserts a little, then gives up).
    device_presence_only: bool = False
    # True where the server always uses the override: what others see follows from it without a read.
    override_is_presence: bool = True
    # True where the server counts a device whose sync says `offline` as gone (MSC4532's rule 1:
    # every client offline -> offline, override or not): our sync must then say we are here.
    sync_must_not_say_offline: bool = False

    def __init__(self, requests: MatrixRequests, user_id: str, features: ServerFeatures) -> None:
        self.requests = requests
        self.user_id = user_id
        self.features = features

    # -- what it offers ---------------------------------------------------------------

    @property
    def status_msg(self) -> bool:
        """Whether a status message is kept with the override."""
        return False

    @property
    def offered(self) -> frozenset[PresenceState]:
        return CLASSIC_STATES

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

    def watch(self, event_type: str, content: dict[str, Any]) -> OverrideReading | ReadAgain | None:
        """A global account-data event of `watch_types` arrived in the sync: the reading it
        gives, READ_AGAIN if it says only that something changed, None if it tells nothing."""
        return None
