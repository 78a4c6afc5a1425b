"""MSC4043 (stable path, or the unstable `support.feline.msc4043.v1` one) with MSC4042's `disabled`.

A click is one PUT whose answer confirms it. Where the server also speaks MSC4532 (this
project's module mirrors every MSC4043 change into that account-data event), the backend
watches that event, so a change made on another device shows within the sync's round trip
instead of the next poll; and `busy`, which MSC4043 lacks, is set through MSC4532 there.
"""

from __future__ import annotations

from typing import Any

from tray_app.backends.base import (
    CLASSIC_STATES,
    MSC3026_BUSY_FLAG,
    READ_AGAIN,
    OverrideReading,
    PresenceBackend,
    ReadAgain,
    ServerFeatures,
)
from tray_app.backends.msc4532 import MIRROR_KEY, Msc4532Backend
from tray_app.matrix import override_api
from tray_app.matrix.http import MatrixRequests
from tray_app.session_state import ApiMode
from tray_app.states import PresenceState, Wording, from_wire


class Msc4043Backend(PresenceBackend):
    def __init__(
        self,
        requests: MatrixRequests,
        user_id: str,
        features: ServerFeatures,
        *,
        stable: bool,
        companion: Msc4532Backend | None = None,
    ) -> None:
        super().__init__(requests, user_id, features)
        self.mode = ApiMode.STABLE if stable else ApiMode.UNSTABLE
        self.choice = override_api.ApiChoice(self.mode, features.has(override_api.STATUS_MSG_FLAG))
        self.companion = companion
        self.watch_types = companion.watch_types if companion else ()

    @property
    def status_msg(self) -> bool:
        return self.choice.status_msg

    @property
    def message_alone(self) -> bool:
        # MSC4532 beside it keeps `status.msg` without an override, and this project's module
        # (its flag) answers it in the override GET and keeps it with a clear that carries it,
        # holding it against every device's presence; elsewhere the message goes with the override.
        return self.companion is not None and self.features.has(override_api.STATUS_MSG_ALONE_FLAG)

    @property
    def offered(self) -> frozenset[PresenceState]:
        return CLASSIC_STATES | {PresenceState.BUSY} if self.companion else CLASSIC_STATES

    @property
    def wording(self) -> Wording:
        # A server that speaks MSC4532 beside MSC4043 takes its client states (this
        # project's module maps them onto Synapse's).
        return self.companion.wording if self.companion else Wording.CLASSIC

    @property
    def automatic_busy(self) -> bool:
        # This project's module takes MSC4532's client state `busy` and stores it as Synapse's
        # MSC3026 busy where Synapse has it (its flag in /versions), else as `unavailable`:
        # others would see Away, so there is no Busy for automatic presence then.
        return self.companion is not None and self.features.has(MSC3026_BUSY_FLAG)

    def not_offered_reason(self, state: PresenceState) -> str:
        if state is PresenceState.BUSY:
            return "MSC4043 has no busy state, and this server does not speak MSC4532"
        return super().not_offered_reason(state)

    def presence_for(self, state: PresenceState) -> str:
        # Busy is shown as busy only where the server has MSC3026's busy presence; elsewhere
        # Synapse (with this project's module) shows it as `unavailable`.
        if state is PresenceState.BUSY and not self.features.has(MSC3026_BUSY_FLAG):
            return PresenceState.UNAVAILABLE.value
        return super().presence_for(state)

    def override_follows_devices(self, state: PresenceState | None) -> bool:
        # With MSC4532 beside it, an override may have been written as MSC4532's account data
        # (our Busy, or any state set by an MSC4532 client), which rule 1 applies to; an MSC4043
        # override is held whatever the devices do, so keeping the device connected costs nothing.
        return (
            self.companion is not None
            and state is not None
            and state not in (PresenceState.OFFLINE, PresenceState.DISABLED)
        )

    def set_follows_devices(self, state: PresenceState) -> bool:
        return self.companion is not None and state is PresenceState.BUSY

    async def read(self) -> OverrideReading:
        return await override_api.get_override(self.requests, self.user_id, self.choice)

    async def set(self, state: PresenceState, status_msg: str | None) -> OverrideReading:
        if state is PresenceState.BUSY and self.companion is not None:
            return await self.companion.set(state, status_msg)
        return await override_api.put_override(self.requests, self.user_id, self.choice, state, status_msg)

    async def set_message(self, held: PresenceState | None, status_msg: str) -> OverrideReading:
        # Without an override through the account data (read-modify-write: an override set
        # elsewhere meanwhile is kept, where a clear carrying the message would remove it).
        if held is not None or self.companion is None:
            # With an override: the same override with the new message, one PUT.
            if held is None:
                raise ValueError("MSC4043 alone keeps a message only with an override")
            return await self.set(held, status_msg)
        return await self.companion.set_message(None, status_msg)

    async def clear(self) -> OverrideReading:
        # The message is the user's own where the server keeps one alone: the clear carries
        # it, so it stays (one PUT); elsewhere a clear takes it with the override.
        msg = self.link.state().status_msg if self.message_alone and self.link is not None else None
        return await override_api.put_override(
            self.requests, self.user_id, self.choice, None, msg, message_alone=msg is not None
        )

    def watch(self, event_type: str, content: dict[str, Any]) -> OverrideReading | ReadAgain | None:
        """The mirrored event: its `MIRROR_KEY` holds the exact MSC4043 state when the module
        wrote it; if another client has since changed `state_override` (the mirror no longer
        agrees), the MSC4043 GET is asked, which is the one truth."""
        if self.companion is None:
            return None
        v2 = self.companion.parse(content)
        mirror = content.get(MIRROR_KEY)
        if mirror is None:
            # No MSC4043 state behind it: an MSC4532 client set it (or it is cleared).
            return v2 if v2.override is None or v2.override.state is not None else READ_AGAIN
        exact = from_wire(mirror)
        if exact is None or exact.state is None:
            return READ_AGAIN
        if self.companion.wire_value(exact.state) != content.get("state_override"):
            return READ_AGAIN
        return OverrideReading(exact, v2.status_msg)
