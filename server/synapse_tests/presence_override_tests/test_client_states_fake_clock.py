"""Issue 21, on Synapse's fake clock and in-process: MSC4532's client states (`active`, `idle`,
`busy`, in the unstable spelling or plain) on `PUT /presence/{userId}/status` and
`/sync?set_presence=` are taken (stock Synapse answers 400) and a room-mate sees Synapse's
state for them; with MSC3026 on, `busy` is Synapse's busy, on the sync too. Synapse's default
rc_presence: the clock moves past its 10 s between writes."""

from __future__ import annotations

from typing import Any

from synapse.rest import admin
from synapse.rest.client import login, presence, room, sync

from presence_override_tests.cost import MODULE
from tests import unittest

P = "org.continuwuity.presence_v2.msc4532."
MSC3026_BUSY = "org.matrix.msc3026.busy"
PAST_THE_LIMIT_S = 11


class ClientStatesTestCase(unittest.HomeserverTestCase):
    servlets = [
        admin.register_servlets,
        login.register_servlets,
        room.register_servlets,
        sync.register_servlets,
        presence.register_servlets,
    ]

    def default_config(self) -> dict:
        config = super().default_config()
        config["presence"] = {"enabled": True}
        modules = [m for m in config.get("modules") or [] if m.get("module") != MODULE]
        config["modules"] = [*modules, {"module": MODULE, "config": {}}]
        config["rc_presence"] = {"per_user": {"per_second": 0.1, "burst_count": 1}}  # Synapse's default
        return config

    def prepare(self, reactor: Any, clock: Any, hs: Any) -> None:
        self.user_id = self.register_user("states", "pass")
        self.tok = self.login("states", "pass")
        self.register_user("mate", "pass")
        self.mate_tok = self.login("mate", "pass")
        room_id = self.helper.create_room_as(self.user_id, tok=self.tok)
        self.helper.join(room_id, "@mate:test", tok=self.mate_tok)

    def _seen(self) -> str:
        channel = self.make_request("GET", f"/presence/{self.user_id}/status", access_token=self.mate_tok)
        self.assertEqual(channel.code, 200, channel.json_body)
        return str(channel.json_body["presence"])

    def _put(self, value: str) -> None:
        self.reactor.advance(PAST_THE_LIMIT_S)
        channel = self.make_request(
            "PUT", f"/presence/{self.user_id}/status", {"presence": value, "status_msg": "x"}, access_token=self.tok
        )
        self.assertEqual(channel.code, 200, (value, channel.json_body))

    def _sync(self, value: str) -> None:
        self.reactor.advance(PAST_THE_LIMIT_S)
        channel = self.make_request("GET", f"/sync?timeout=0&set_presence={value}", access_token=self.tok)
        self.assertEqual(channel.code, 200, (value, channel.json_body))

    def test_client_states_on_put_and_sync(self) -> None:
        for say, value, shown in (
            (self._put, P + "idle", "unavailable"),
            (self._sync, P + "active", "online"),
            (self._put, "busy", "unavailable"),  # no MSC3026: Synapse has no busy
            (self._put, "active", "online"),
            (self._sync, P + "busy", "unavailable"),
            (self._put, "idle", "unavailable"),
            (self._sync, "online", "online"),  # Synapse's own words as before
        ):
            say(value)
            self.assertEqual(self._seen(), shown, value)
        # Words that are neither Synapse's nor MSC4532's are still refused.
        self.reactor.advance(PAST_THE_LIMIT_S)
        channel = self.make_request(
            "PUT", f"/presence/{self.user_id}/status", {"presence": P + "away"}, access_token=self.tok
        )
        self.assertEqual(channel.code, 400, channel.json_body)
        channel = self.make_request("GET", "/sync?timeout=0&set_presence=away", access_token=self.tok)
        self.assertEqual(channel.code, 400, channel.json_body)

    @unittest.override_config({"experimental_features": {"msc3026_enabled": True}})
    def test_busy_is_msc3026_busy_where_enabled(self) -> None:
        self._sync(P + "busy")
        self.assertEqual(self._seen(), MSC3026_BUSY)
        self._put(P + "active")  # Synapse's syncs never leave busy; a PUT does
        self.assertEqual(self._seen(), "online")
        self._put("busy")
        self.assertEqual(self._seen(), MSC3026_BUSY)
