"""MSC4532 "Revised Social Presence": the override lives in global account data.

The event (`m.presence.persistent`, unstable `org.continuwuity.presence_v2.msc4532.presence.persistent`)
holds an optional `state_override` and an optional `status: {msg}`. Every other key belongs to
someone else and is kept: a change is read-modify-write of the whole content. Other devices'
changes arrive in the sync (its filter admits exactly this one event type).

Where MSC4532 is the API (no MSC4043), connecting reads the event from the session's initial
sync instead of a GET before it. Synapse answers an initial sync from its sync response cache
(`sync_response_cache_duration`, 2 min by default) when user, device, `since`, `timeout`,
`full_state` and the filter's string repeat, with the event as it was then: the session
therefore puts a per-process, per-initial-sync value into the inline filter (its schema allows
unknown keys), so no two initial syncs share a cache key (tray_app.session.sync_filter).
"""

from __future__ import annotations

from typing import Any

from tray_app.backends.base import OverrideReading, PresenceBackend, ReadAgain, ServerFeatures, connected_presence
from tray_app.errors import ServerRefused
from tray_app.matrix.http import MatrixRequests, user_path
from tray_app.session_state import ApiMode
from tray_app.states import Override, PresenceState, Wording, emulated_presence

PREFIX = "org.continuwuity.presence_v2.msc4532"
UNSTABLE_FLAG = PREFIX
STABLE_FLAG = PREFIX + ".stable"
UNSTABLE_EVENT = PREFIX + ".presence.persistent"
STABLE_EVENT = "m.presence.persistent"
# Written by this project's module beside `state_override`: the exact MSC4043 state (for
# `disabled`, which MSC4532 lacks). Unknown to other clients, so they keep it.
MIRROR_KEY = "org.presence_tray.msc4043_override"
ACCOUNT_DATA_PATH = "/_matrix/client/v3/user/{user}/account_data/"

# Menu state -> MSC4532 state (unprefixed); `offline` never carries the prefix.
_V2_NAMES = {
    PresenceState.ONLINE: "active",
    PresenceState.UNAVAILABLE: "idle",
    PresenceState.BUSY: "busy",
    PresenceState.OFFLINE: "offline",
}
_FROM_V2 = {v: k for k, v in _V2_NAMES.items()}


def is_offered(features: ServerFeatures) -> bool:
    return features.has(UNSTABLE_FLAG) or features.has(STABLE_FLAG)


class Msc4532Backend(PresenceBackend):
    mode = ApiMode.MSC4532
    reads_by_initial_sync = True
    # Rule 1 of the proposal: every client offline -> offline, whatever the override says.
    override_is_presence = False

    def __init__(self, requests: MatrixRequests, user_id: str, features: ServerFeatures) -> None:
        super().__init__(requests, user_id, features)
        self.stable = features.has(STABLE_FLAG)
        self.event_type = STABLE_EVENT if self.stable else UNSTABLE_EVENT
        self.watch_types = (self.event_type,)

    @property
    def status_msg(self) -> bool:
        return True

    @property
    def message_alone(self) -> bool:
        return True  # `status.msg` without `state_override`: the user's message on its own

    def sync_presence(self, automatic: PresenceState | None) -> str:
        # A device saying offline counts as gone (and takes the override with it when it is
        # the last), so say we are here; neutral is `idle`, which adds nothing to the other
        # devices (rule 5). The override, when set, decides anyway. Only with no override
        # held does a locked screen (automatic offline) make this device leave.
        override = self.link.state().override if self.link is not None else None
        if override is not None and self.override_follows_devices(override.state):
            return connected_presence(automatic)
        return emulated_presence(automatic).value if automatic is not None else PresenceState.UNAVAILABLE.value

    def override_follows_devices(self, state: PresenceState | None) -> bool:
        # Rule 1 applies to every override here; an offline one shows the same either way
        # (and `disabled` is not part of MSC4532).
        return state is not None and state not in (PresenceState.OFFLINE, PresenceState.DISABLED)

    def set_follows_devices(self, state: PresenceState) -> bool:
        return self.override_follows_devices(state)

    @property
    def offered(self) -> frozenset[PresenceState]:
        return frozenset(_V2_NAMES)

    @property
    def wording(self) -> Wording:
        # The proposal's client states, in the spelling of the flag the server advertises.
        return Wording.MSC4532_STABLE if self.stable else Wording.MSC4532

    @property
    def automatic_busy(self) -> bool:
        # Rule 3: any client saying `busy` makes the user busy.
        return True

    def not_offered_reason(self, state: PresenceState) -> str:
        if state is PresenceState.DISABLED:
            return "not part of MSC4532"
        return super().not_offered_reason(state)

    # -- wire ------------------------------------------------------------------------------

    def wire_value(self, state: PresenceState) -> str | None:
        """The `state_override` for a menu state (None: MSC4532 has no such state)."""
        name = _V2_NAMES.get(state)
        if name is None or name == "offline" or self.stable:
            return name
        return f"{PREFIX}.{name}"

    def parse(self, content: dict[str, Any]) -> OverrideReading:
        """Unknown values are kept verbatim (shown as unknown), never an error."""
        raw = content.get("state_override")
        override = None
        if raw is not None and raw != "":
            raw = str(raw)
            name = raw[len(PREFIX) + 1 :] if raw.startswith(PREFIX + ".") else raw
            override = Override(_FROM_V2.get(name), raw)
        status = content.get("status")
        msg = status.get("msg") if isinstance(status, dict) else None
        msg = msg.strip() if isinstance(msg, str) else ""
        return OverrideReading(override, msg or None)

    # -- operations ---------------------------------------------------------------------

    @property
    def _path(self) -> str:
        return user_path(ACCOUNT_DATA_PATH, self.user_id) + self.event_type

    async def content(self) -> dict[str, Any]:
        """The event's content now ({} when nobody has written it)."""
        try:
            return await self.requests.json("GET", self._path)
        except ServerRefused as e:
            if e.status == 404 or e.errcode == "M_NOT_FOUND":
                return {}
            raise

    async def read(self) -> OverrideReading:
        return self.parse(await self.content())

    async def set(self, state: PresenceState, status_msg: str | None) -> OverrideReading:
        value = self.wire_value(state)
        if value is None:
            raise ValueError(f"MSC4532 has no {state.value}")
        content = await self.content()
        content["state_override"] = value
        if status_msg is not None:
            status = content.get("status")
            if not isinstance(status, dict):
                status = {}
            content["status"] = {**status, "msg": status_msg.strip()}
        await self.requests.json("PUT", self._path, content)
        return self.parse(content)

    async def set_message(self, held: PresenceState | None, status_msg: str) -> OverrideReading:
        """`status.msg` alone (read-modify-write): the override and every other key stay."""
        content = await self.content()
        status = content.get("status")
        status = dict(status) if isinstance(status, dict) else {}
        if status_msg.strip():
            status["msg"] = status_msg.strip()
        else:
            status.pop("msg", None)
        content["status"] = status
        await self.requests.json("PUT", self._path, content)
        return self.parse(content)

    async def clear(self) -> OverrideReading:
        content = await self.content()
        content.pop("state_override", None)
        # The module's mirror of an MSC4043 state means nothing without it.
        content.pop(MIRROR_KEY, None)
        # The status message is the user's own here (MSC4532): it stays without the override.
        await self.requests.json("PUT", self._path, content)
        return self.parse(content)

    def initial_reading(self, account_data: dict[str, dict[str, Any]]) -> OverrideReading:
        return self.parse(account_data.get(self.event_type, {}))

    def watch(self, event_type: str, content: dict[str, Any]) -> OverrideReading | ReadAgain | None:
        return self.parse(content) if event_type == self.event_type else None
