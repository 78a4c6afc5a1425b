"""Benchmark cases for bench/module_cost.py (not collected as tests: no `test_` file name).

Each case writes one JSON line to $MODULE_COST_OUT. $MODULE_COST_N is the number of held
overrides (and of ordinary idle users beside them).
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from parameterized import parameterized

from presence_override_tests.cost import HS_ATTR, CostCase


def _emit(record: dict[str, Any]) -> None:
    with open(os.environ["MODULE_COST_OUT"], "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


class ModuleCostBench(CostCase):
    @parameterized.expand([("online",), ("unavailable",), ("offline",), ("disabled",)])
    def test_hour(self, value: str) -> None:
        n = int(os.environ.get("MODULE_COST_N", "1"))
        held, idle = self.measure(value, extra_users=n - 1)
        _emit({"kind": "hour", "n": n, "value": value, "held": held.__dict__, "idle": idle.__dict__})

    def test_startup(self) -> None:
        """The module's start-up work (load the table, compare with Synapse's stored
        presence, re-assert only what disagrees) with N stored overrides, CPU time."""
        n = int(os.environ.get("MODULE_COST_N", "1"))
        from synapse_presence_override.values import Override

        hooks = getattr(self.hs, HS_ATTR)
        # The module instance, through the enforcer's bound ensure_loaded.
        ensure_loaded = hooks.enforcer._ensure_loaded
        instance = ensure_loaded.__self__
        now = self.clock.time_msec()
        rows = [Override(f"@stored{i}:test", "unavailable", None, now, now) for i in range(n)]

        async def fill() -> None:
            await instance._store.create_table()
            for override in rows:
                await instance._store.upsert(override)

        self.get_success(fill())
        # As after a restart: nothing loaded, Synapse's stored presence already agrees
        # (it was written through the rewrite before the restart).
        handler = self.hs.get_presence_handler()
        for override in rows:
            handler.user_to_current_state[override.user_id] = handler.user_to_current_state.get(
                override.user_id, None
            ) or _state(override)
        instance._loaded = False
        instance._overrides.clear()
        start = time.process_time()
        self.get_success(ensure_loaded())
        cpu = time.process_time() - start
        self.assertEqual(len(instance._overrides), n)
        # Not start-up: what each user's first presence update after the start adds (its
        # MSC4532 account data read once, issue 10), for all N users together.
        self.assertFalse(instance._caught_up)
        start = time.process_time()
        self.get_success(instance._catch_up([override.user_id for override in rows]))
        catch_up_cpu = time.process_time() - start
        self.assertEqual(len(instance._caught_up), n)
        _emit({"kind": "startup", "n": n, "cpu_s": cpu, "catch_up_cpu_s": catch_up_cpu})


def _state(override: Any) -> Any:
    from synapse.api.presence import UserPresenceState

    return UserPresenceState.default(override.user_id).copy_and_replace(
        state=override.effective_presence(), last_active_ts=override.last_active_ts
    )
