"""The soak's timer count (tray_app/ui/control_channel.py, loop_timers) on the real qasync loop:
a cancelled asyncio timer keeps its Qt timer until its time comes, and is counted apart from
the live ones (issue 18: "timers +25 between checkpoints" were these)."""

from __future__ import annotations

import asyncio

import pytest

from tray_app.ui.control_channel import loop_timers

pytestmark = pytest.mark.ui


def wake_later() -> None:
    pass


def test_cancelled_timers_are_counted_apart_from_the_live_ones(aio):
    loop = asyncio.get_event_loop()
    live_before, cancelled_before = loop_timers(loop)
    kept = loop.call_later(600, wake_later)
    for _ in range(5):  # five requests answered long before their 600 s timeout
        loop.call_later(600, wake_later).cancel()
    try:
        live, cancelled = loop_timers(loop)
        assert live.get("wake_later", 0) - live_before.get("wake_later", 0) == 1
        assert cancelled - cancelled_before == 5  # qasync still holds their Qt timers
    finally:
        kept.cancel()
