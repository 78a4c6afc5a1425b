"""One simulated hour of a held override on Synapse's fake clock, counted.

Shared by the test (1 override, asserted against an ordinary idle user) and the benchmark
(bench/module_cost.py, 1 and 10,000 overrides). Counted per hour, after the state settled:
- calls of the presence handler's `_update_states` carrying an overridden (or baseline) user,
- presence-stream rows written for those users (`store.update_presence`),
- `m.presence` events about the first user delivered to a room-mate syncing every 30 s.
The hour starts SETTLE_S after the devices' last sync: by then the devices have timed out
("no device left") and the one-off timers armed while they synced have fired.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synapse.api.presence import UserDevicePresenceState, UserPresenceState
from synapse.rest import admin
from synapse.rest.client import login, presence, room, sync

from tests import unittest

MODULE = "synapse_presence_override.PresenceOverrideModule"
HS_ATTR = "_msc4043_presence_override"
HOUR_S = 3600
TICK_S = 5  # Synapse's presence timeout loop
MATE_SYNC_EVERY_S = 30
SETTLE_S = 600  # devices timed out (30 s), their idle timers (5 min) fired


def _override_servlets(hs: Any, http_server: Any) -> None:
    """HomeserverTestCase registers servlets itself: add the module's, as its hook does."""
    hooks = getattr(hs, HS_ATTR, None)
    if hooks is not None:
        hooks.register(http_server)


@dataclass
class Counts:
    update_states_calls: int
    stream_rows: int
    mate_sync_events: int
    presence_seen: str


class CostCase(unittest.HomeserverTestCase):
    servlets = [
        admin.register_servlets,
        login.register_servlets,
        room.register_servlets,
        sync.register_servlets,
        presence.register_servlets,
        _override_servlets,
    ]

    def default_config(self) -> dict:
        config = super().default_config()
        config["presence"] = {"enabled": True}
        modules = [m for m in config.get("modules") or [] if m.get("module") != MODULE]
        config["modules"] = [*modules, {"module": MODULE, "config": {}}]
        config["rc_presence"] = {"per_user": {"per_second": 1000, "burst_count": 1000}}
        return config

    def measure(self, value: str, extra_users: int = 0, settle_s: int = SETTLE_S) -> tuple[Counts, Counts]:
        """(held, idle): `value` held by a user whose only device synced once and left, and
        an ordinary user (no override) whose device did the same, over the same hour on the
        same homeserver, starting `settle_s` after the devices synced. `extra_users` more of
        each are added without HTTP (the held ones pushed by the module in one batch)."""
        mate = self.register_user("mate", "pass")
        mate_tok = self.login("mate", "pass")
        groups: dict[str, list[str]] = {}
        for name in ("held", "idle"):
            user_id = self.register_user(name, "pass")
            tok = self.login(name, "pass")
            room_id = self.helper.create_room_as(user_id, tok=tok)
            self.helper.join(room_id, mate, tok=mate_tok)
            # The user's only device syncs once (online), then is gone.
            channel = self.make_request("GET", "/sync?timeout=0&set_presence=online", access_token=tok)
            self.assertEqual(channel.code, 200, channel.json_body)
            if name == "held":
                channel = self.make_request(
                    "PUT",
                    f"/_matrix/client/v1/presence/{user_id}/override",
                    {"presence_override": value},
                    access_token=tok,
                )
                self.assertEqual(channel.code, 200, channel.json_body)
            groups[name] = [user_id]
            if extra_users:
                groups[name] += self._many(name, value if name == "held" else None, extra_users)

        for _ in range(0, settle_s, TICK_S):
            self.reactor.advance(TICK_S)
        channel = self.make_request("GET", "/sync?timeout=0&set_presence=offline", access_token=mate_tok)
        since = channel.json_body["next_batch"]

        handler = self.hs.get_presence_handler()
        store = self.hs.get_datastores().main
        group_of = {u: name for name, users in groups.items() for u in users}
        calls = {"held": 0, "idle": 0}
        rows = {"held": 0, "idle": 0}
        events = {"held": 0, "idle": 0}
        update_states = handler._update_states
        update_presence = store.update_presence

        async def counting_update_states(new_states: Any, *args: Any, **kwargs: Any) -> Any:
            new_states = list(new_states)
            for name in {group_of[s.user_id] for s in new_states if s.user_id in group_of}:
                calls[name] += 1
            return await update_states(new_states, *args, **kwargs)

        async def counting_update_presence(states: Any) -> Any:
            for s in states:
                if s.user_id in group_of:
                    rows[group_of[s.user_id]] += 1
            return await update_presence(states)

        handler._update_states = counting_update_states
        store.update_presence = counting_update_presence
        firsts = {groups["held"][0]: "held", groups["idle"][0]: "idle"}
        try:
            for second in range(TICK_S, HOUR_S + 1, TICK_S):
                self.reactor.advance(TICK_S)
                if second % MATE_SYNC_EVERY_S == 0:
                    channel = self.make_request(
                        "GET", f"/sync?timeout=0&set_presence=offline&since={since}", access_token=mate_tok
                    )
                    self.assertEqual(channel.code, 200, channel.json_body)
                    since = channel.json_body["next_batch"]
                    for e in channel.json_body.get("presence", {}).get("events", []):
                        if e.get("sender") in firsts:
                            events[firsts[e["sender"]]] += 1
        finally:
            del handler._update_states
            del store.update_presence
        result = []
        for name in ("held", "idle"):
            channel = self.make_request("GET", f"/presence/{groups[name][0]}/status", access_token=mate_tok)
            result.append(Counts(calls[name], rows[name], events[name], channel.json_body.get("presence", "")))
        return result[0], result[1]

    def _many(self, prefix: str, value: str | None, n: int) -> list[str]:
        """n more users in the same situation, without HTTP: a presence state as a device
        that just left would leave, and (if `value`) an override pushed by the module."""
        from synapse_presence_override.values import Override

        handler = self.hs.get_presence_handler()
        now = self.clock.time_msec()
        users = [f"@{prefix}{i}:{self.hs.hostname}" for i in range(n)]
        for user_id in users:
            # One device that synced just now (what a sync leaves), so it times out as usual.
            handler._user_to_device_to_current_state[user_id] = {
                "dev": UserDevicePresenceState(
                    user_id=user_id, device_id="dev", state="online", last_active_ts=now, last_sync_ts=now
                )
            }
        states = [
            UserPresenceState.default(u).copy_and_replace(state="online", last_active_ts=now, last_user_sync_ts=now)
            for u in users
        ]
        self.get_success(handler._update_states(states))
        if value is not None:
            module_overrides = _module_overrides(self.hs)
            for user_id in users:
                module_overrides[user_id] = Override(
                    user_id=user_id,
                    presence=value,
                    status_msg=None,
                    last_active_ts=0 if value == "disabled" else now,
                    updated_ts=now,
                )
            self.get_success(handler._update_states([handler.user_to_current_state[u] for u in users]))
        return users


def _module_overrides(hs: Any) -> dict:
    """The module's in-memory overrides (the enforcer's lookup is the dict's .get)."""
    enforcer = getattr(hs, HS_ATTR).enforcer
    return enforcer._lookup.__self__  # type: ignore[no-any-return]
