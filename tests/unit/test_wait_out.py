"""A wait for a 429's window never ends inside it, though the loop's timers fire early."""

from __future__ import annotations

import asyncio
import types

from tray_app import backoff


def test_a_timer_that_fires_early_is_slept_again_until_the_window_and_its_margin_passed(monkeypatch):
    now = [100.0]
    sleeps: list[float] = []

    async def early_sleep(seconds):  # a Qt timer 5 % early (FACTS: a few percent)
        sleeps.append(seconds)
        now[0] += seconds * 0.95

    monkeypatch.setattr(backoff.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(backoff.asyncio, "sleep", early_sleep)
    asyncio.run(backoff.wait_out(9_700))
    assert now[0] >= 100.0 + 9.7 + backoff.RETRY_MARGIN
    assert len(sleeps) >= 2  # woken early, slept again


def test_after_429_adds_the_margin_and_falls_back_without_a_retry_after():
    assert backoff.after_429(2_000) == 2.0 + backoff.RETRY_MARGIN
    assert backoff.after_429(None) == backoff.retry_after_seconds(None) + backoff.RETRY_MARGIN


def test_sleep_until_asks_the_deadline_again_after_every_wake_up(monkeypatch):
    """The shared deadline loop (the sync spacing waits on it): an early timer sleeps again,
    and a deadline that moved while it slept counts."""
    now = [0.0]
    deadline = [10.0]
    sleeps: list[float] = []

    async def early_sleep(seconds):
        sleeps.append(seconds)
        now[0] += seconds * 0.9
        if len(sleeps) == 1:
            deadline[0] = 20.0  # e.g. another sync began meanwhile

    monkeypatch.setattr(backoff, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    monkeypatch.setattr(backoff.asyncio, "sleep", early_sleep)
    asyncio.run(backoff.sleep_until(lambda: deadline[0]))
    assert now[0] >= 20.0
    assert sleeps[:2] == [10.0, 11.0]
