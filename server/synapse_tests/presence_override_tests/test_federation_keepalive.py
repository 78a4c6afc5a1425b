"""A held override reaches no timer loop, yet remote servers must keep seeing it: they time
a user out to offline 30 min after the last update, so the module sends keep-alives."""

from __future__ import annotations

from typing import Any

from synapse.handlers.presence import FEDERATION_PING_INTERVAL, FEDERATION_TIMEOUT
from synapse.rest.client import presence

from presence_override_tests.cost import MODULE, TICK_S, _override_servlets
from tests.handlers import test_presence


class HeldOverrideKeepaliveTestCase(test_presence.PresenceJoinTestCase):
    """Synapse's own remote-join test case (federation sender replaced by a Mock there)."""

    servlets = [*test_presence.PresenceJoinTestCase.servlets, presence.register_servlets, _override_servlets]

    def default_config(self) -> dict[str, Any]:
        config = super().default_config()
        modules = [m for m in config.get("modules") or [] if m.get("module") != MODULE]
        config["modules"] = [*modules, {"module": MODULE, "config": {}}]
        return config

    def _sent_times(self, user_id: str) -> list[tuple[int, str]]:
        return [
            (call.kwargs.get("destinations") or call.args[1], s.state)
            for call in self.federation_sender.send_presence_to_destinations.call_args_list
            for s in (call.kwargs.get("states") or call.args[0])
            if s.user_id == user_id
        ]

    def test_held_unavailable_override_is_kept_alive_on_remote_servers(self) -> None:
        self.reactor.advance(1000000000000)
        room_id = self.helper.create_room_as(self.user_id)
        channel = self.make_request(
            "PUT", f"/_matrix/client/v1/presence/{self.user_id}/override", {"presence_override": "unavailable"}
        )
        self.assertEqual(channel.code, 200, channel.json_body)
        self._add_new_user(room_id, "@alice:server2")

        sent_at: list[int] = []
        sender = self.federation_sender.send_presence_to_destinations
        sender.reset_mock()
        hour_ms = 3600 * 1000
        start = self.clock.time_msec()
        while self.clock.time_msec() - start < 2 * hour_ms:
            before = len(self._sent_times(self.user_id))
            self.reactor.advance(TICK_S)
            after = self._sent_times(self.user_id)
            if len(after) > before:
                sent_at.append(self.clock.time_msec())
                for destinations, state in after[before:]:
                    # As for Synapse's own pings, the local host is filtered by the sender.
                    self.assertIn("server2", set(destinations))
                    self.assertEqual(state, "unavailable")
        # Never a gap the remote server would time out on, and no more than needed.
        gaps = [b - a for a, b in zip([start, *sent_at], [*sent_at, start + 2 * hour_ms])]
        self.assertTrue(sent_at, "no keep-alive sent in two hours")
        self.assertLess(max(gaps), FEDERATION_TIMEOUT, gaps)
        self.assertLessEqual(len(sent_at), 2 * hour_ms // (FEDERATION_PING_INTERVAL // 2), gaps)
