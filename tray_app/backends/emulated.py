"""No override API: "set" holds this device's own presence on the standard status endpoint.

Another device can always win there; the session re-asserts a few times and then says so
(tray_app.emulation). `busy` exists where the server has MSC3026's busy presence.
"""

from __future__ import annotations

from tray_app.backends.base import MSC3026_BUSY_FLAG, CLASSIC_STATES, OverrideReading, PresenceBackend
from tray_app.presence_status import put_presence
from tray_app.session_state import ApiMode
from tray_app.states import PresenceState, emulated_presence


class EmulatedBackend(PresenceBackend):
    mode = ApiMode.EMULATED
    device_presence_only = True
    override_is_presence = False

    @property
    def offered(self) -> frozenset[PresenceState]:
        if self.features.has(MSC3026_BUSY_FLAG):
            return CLASSIC_STATES | {PresenceState.BUSY}
        return CLASSIC_STATES

    def not_offered_reason(self, state: PresenceState) -> str:
        if state is PresenceState.BUSY:
            return "this server has no busy presence (MSC3026) and no MSC4532"
        return super().not_offered_reason(state)

    async def read(self) -> OverrideReading:
        # The session holds the state (it survives restarts in the settings): nothing to ask.
        raise NotImplementedError("emulated mode reads what this device holds")

    async def set(self, state: PresenceState, status_msg: str | None) -> None:
        await put_presence(self.requests, self.user_id, emulated_presence(state), status_msg)

    async def clear(self) -> None:
        # Releasing the hold sets this device to offline, which leaves the others to decide.
        await put_presence(self.requests, self.user_id, PresenceState.OFFLINE, None)
