"""Issue 14: a held override costs no more than an ordinary idle user, on the fake clock."""

from __future__ import annotations

from parameterized import parameterized

from presence_override_tests.cost import CostCase

EFFECTIVE = {"online": "online", "unavailable": "unavailable", "offline": "offline", "disabled": "offline"}


class HeldOverrideCostTestCase(CostCase):
    @parameterized.expand([("online",), ("unavailable",), ("offline",), ("disabled",)])
    def test_held_override_costs_no_more_than_an_idle_user(self, value: str) -> None:
        held, idle = self.measure(value)
        # Still held after the hour (and the idle user went offline as Synapse does), so the
        # counts are about an override doing its job.
        self.assertEqual(held.presence_seen, EFFECTIVE[value])
        self.assertEqual(idle.presence_seen, "offline")
        self.assertLessEqual(held.update_states_calls, idle.update_states_calls, (held, idle))
        self.assertLessEqual(held.stream_rows, idle.stream_rows, (held, idle))
        self.assertLessEqual(held.mate_sync_events, idle.mate_sync_events, (held, idle))
