"""A reconnect after a 429 waits out its window and the margin, and the wait between reconnects
never ends early though the loop's timers fire early. Fake clocks: nothing here asserts real time."""

from __future__ import annotations

import asyncio
import time
import types

import tray_app.backoff as backoff_module
import tray_app.session.session as session_module
from tests.support.sessions import session_for, wait_for
from tray_app.backoff import RETRY_MARGIN
from tray_app.errors import RateLimited


def test_a_reconnect_after_a_429_waits_its_window_and_the_margin(tmp_path):
    async def main():
        session = session_for("http://127.0.0.1:9", tmp_path)
        delays: list[float] = []

        async def connect():
            raise RateLimited("slow down", 9_700)

        async def record(delay):
            delays.append(delay)
            await asyncio.sleep(0)

        session._connect = connect
        session._sleep_or_retry = record
        await session.start()
        try:
            await wait_for(lambda: len(delays) >= 2)
        finally:
            await session.close()
        return delays

    delays = asyncio.run(main())
    assert delays[:2] == [9.7 + RETRY_MARGIN] * 2


def test_the_wait_between_reconnects_sleeps_again_when_a_timer_fires_early(tmp_path, monkeypatch):
    # A monotonic clock at half the speed of the loop's: every timer fires early by its measure.
    start = time.monotonic()
    clock = types.SimpleNamespace(monotonic=lambda: start + (time.monotonic() - start) * 0.5)
    monkeypatch.setattr(session_module, "time", clock)
    monkeypatch.setattr(backoff_module, "time", clock)

    async def main():
        session = session_for("http://127.0.0.1:9", tmp_path)
        try:
            begun = clock.monotonic()
            await session._sleep_or_retry(0.05)
            return clock.monotonic() - begun
        finally:
            await session.close()

    assert asyncio.run(main()) >= 0.05


def test_a_retry_now_ends_the_wait_at_once(tmp_path):
    async def main():
        session = session_for("http://127.0.0.1:9", tmp_path)
        try:
            waiting = asyncio.ensure_future(session._sleep_or_retry(3600))
            await asyncio.sleep(0)
            session._retry_now.set()
            await asyncio.wait_for(waiting, 30)
            return waiting.done()
        finally:
            await session.close()

    assert asyncio.run(main())
