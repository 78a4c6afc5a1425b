"""Issue 10, on Synapse's fake clock: an MSC4532 override (account data) held while a device
syncs `online` costs no presence-stream row and wakes no room-mate; MSC4532's rule 1 turns
the user offline once the device stops, and the override is back when it returns."""

from __future__ import annotations

from typing import Any

from synapse.rest.client import account_data

from presence_override_tests.cost import CostCase

EVENT = "org.continuwuity.presence_v2.msc4532.presence.persistent"
IDLE = "org.continuwuity.presence_v2.msc4532.idle"
TICK_S = 5


class Msc4532FakeClockTestCase(CostCase):
    servlets = [*CostCase.servlets, account_data.register_servlets]

    def _presence(self, user_id: str, tok: str) -> str:
        channel = self.make_request("GET", f"/presence/{user_id}/status", access_token=tok)
        self.assertEqual(channel.code, 200, channel.json_body)
        return str(channel.json_body["presence"])

    def _mate_events(self, user_id: str) -> list[dict[str, Any]]:
        channel = self.make_request(
            "GET", f"/sync?timeout=0&set_presence=offline&since={self.since}", access_token=self.mate_tok
        )
        self.assertEqual(channel.code, 200, channel.json_body)
        self.since = channel.json_body["next_batch"]
        return [
            e["content"] for e in channel.json_body.get("presence", {}).get("events", []) if e.get("sender") == user_id
        ]

    def test_held_while_syncing_then_offline_when_the_device_stops(self) -> None:
        self.reactor.advance(1000000)
        user_id = self.register_user("held", "pass")
        tok = self.login("held", "pass")
        self.register_user("mate", "pass")
        self.mate_tok = self.login("mate", "pass")
        room_id = self.helper.create_room_as(user_id, tok=tok)
        self.helper.join(room_id, "@mate:test", tok=self.mate_tok)
        sync = "/sync?timeout=0&set_presence=online"
        self.assertEqual(self.make_request("GET", sync, access_token=tok).code, 200)
        channel = self.make_request(
            "PUT", f"/user/{user_id}/account_data/{EVENT}", {"state_override": IDLE}, access_token=tok
        )
        self.assertEqual(channel.code, 200, channel.json_body)
        self.assertEqual(self._presence(user_id, self.mate_tok), "unavailable")
        channel = self.make_request("GET", "/sync?timeout=0", access_token=self.mate_tok)
        self.since = channel.json_body["next_batch"]

        store = self.hs.get_datastores().main
        rows = []
        update_presence = store.update_presence

        async def counting_update_presence(states: Any) -> Any:
            rows.extend(s for s in states if s.user_id == user_id)
            return await update_presence(states)

        store.update_presence = counting_update_presence
        try:
            # Ten minutes of a device syncing online every 10 s (Synapse persists unpersisted
            # changes every minute: a rewrite handed to Synapse would show up as rows here).
            events = []
            for second in range(TICK_S, 601, TICK_S):
                self.reactor.advance(TICK_S)
                if second % 10 == 0:
                    self.assertEqual(self.make_request("GET", sync, access_token=tok).code, 200)
                if second % 30 == 0:
                    events += self._mate_events(user_id)
            self.assertEqual(self._presence(user_id, self.mate_tok), "unavailable")
            self.assertEqual((rows, events), ([], []))

            # The device stops: rule 1 makes the user offline, once.
            for _ in range(120 // TICK_S):
                self.reactor.advance(TICK_S)
            self.assertEqual(self._presence(user_id, self.mate_tok), "offline")
            self.assertEqual([e["presence"] for e in self._mate_events(user_id)], ["offline"])
        finally:
            del store.update_presence

        # The override is persistent: a device back means the override shows again.
        self.assertEqual(self.make_request("GET", sync, access_token=tok).code, 200)
        self.assertEqual(self._presence(user_id, self.mate_tok), "unavailable")
