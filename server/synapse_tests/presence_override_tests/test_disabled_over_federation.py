"""Issue 10: after `disabled`, a remote server must learn nothing about activity.

The EDU for `disabled` used to leave `last_active_ago` out (the state has no last-active
time), and a receiving Synapse keeps its previous value when the key is missing, so remote
users saw the old value grow. Here one homeserver plays both sides on Synapse's fake clock:
the EDU this module's federation sender would send is fed into stock Synapse's
`incoming_presence` as if it came from another server, whose user was active before.
"""

from __future__ import annotations

from synapse.federation.sender import per_destination_queue

from presence_override_tests.cost import CostCase

REMOTE = "remote.example"
REMOTE_USER = f"@alice:{REMOTE}"
HOUR_MS = 3600 * 1000


class DisabledOverFederationTestCase(CostCase):
    def _receive(self, entry: dict) -> None:
        handler = self.hs.get_presence_handler()
        self.get_success(handler.incoming_presence(REMOTE, {"push": [{**entry, "user_id": REMOTE_USER}]}))

    def _remote_last_active_ago(self) -> int | None:
        handler = self.hs.get_presence_handler()
        state = self.get_success(handler.current_state_for_user(REMOTE_USER))
        return self.clock.time_msec() - state.last_active_ts if state.last_active_ts else None

    def test_disabled_edu_replaces_the_last_active_time_remote_servers_had(self) -> None:
        self.reactor.advance(1000000)
        user_id = self.register_user("dis", "pass")
        tok = self.login("dis", "pass")
        channel = self.make_request("GET", "/sync?timeout=0&set_presence=online", access_token=tok)
        self.assertEqual(channel.code, 200, channel.json_body)
        handler = self.hs.get_presence_handler()
        fmt = per_destination_queue.format_user_presence_state

        # What remote servers were told while the user was active: they hold a last-active.
        active = fmt(self.get_success(handler.current_state_for_user(user_id)), self.clock.time_msec())
        self.assertIn("last_active_ago", active)
        self._receive(active)
        self.assertLess(self._remote_last_active_ago(), 60 * 1000)

        channel = self.make_request(
            "PUT",
            f"/_matrix/client/v1/presence/{user_id}/override",
            {"presence_override": "disabled"},
            access_token=tok,
        )
        self.assertEqual(channel.code, 200, channel.json_body)
        state = self.get_success(handler.current_state_for_user(user_id))
        self.assertEqual(state.state, "offline")
        edu = fmt(state, self.clock.time_msec())
        self._receive(edu)

        # The remote side no longer holds the user's real last activity: what it shows is
        # "never" (the epoch), the same for every `disabled` user, before and after an hour
        # of the user's devices being busy.
        seen = self._remote_last_active_ago()
        self.assertTrue(seen is None or seen >= self.clock.time_msec() - 1000, (edu, seen))
        for _ in range(12):
            self.reactor.advance(300)
            self.make_request("GET", "/sync?timeout=0&set_presence=online", access_token=tok)
        self._receive(fmt(self.get_success(handler.current_state_for_user(user_id)), self.clock.time_msec()))
        later = self._remote_last_active_ago()
        self.assertTrue(later is None or later >= self.clock.time_msec() - 1000, later)

        # Local readers still see no last-active time at all for `disabled`.
        channel = self.make_request("GET", f"/presence/{user_id}/status", access_token=tok)
        self.assertEqual(channel.code, 200, channel.json_body)
        self.assertNotIn("last_active_ago", channel.json_body)
        self.assertEqual(channel.json_body["presence"], "offline")
