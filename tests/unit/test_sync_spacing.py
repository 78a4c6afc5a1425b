"""No sync begins sooner than the sync spacing (SessionTimings.presence_sync_spacing) after the one before (Synapse's rc_presence
denies it otherwise), even when every sync ends at once (an event ended it early) and timers
fire early (they do on the Qt loop). A fake monotonic clock: nothing here depends on real time."""

from __future__ import annotations

import asyncio
import types

import tray_app.backoff as backoff_module
import tray_app.session.sync_channel as sync_channel_module
from tests.support.sessions import session_for


def test_syncs_that_end_at_once_still_begin_a_spacing_apart(tmp_path, monkeypatch):
    clock = types.SimpleNamespace(now=1000.0)
    real_sleep = asyncio.sleep

    async def early_sleep(delay, result=None):
        clock.now += max(delay, 0.0) * 0.9  # fires a tenth early, as Qt's timers may
        await real_sleep(0)
        return result

    fake_time = types.SimpleNamespace(monotonic=lambda: clock.now)
    monkeypatch.setattr(sync_channel_module, "time", fake_time)
    monkeypatch.setattr(backoff_module, "time", fake_time)  # its deadline loop (sleep_until)
    monkeypatch.setattr(asyncio, "sleep", early_sleep)

    async def main():
        session = session_for("http://127.0.0.1:9", tmp_path)
        starts: list[float] = []

        async def sync_once(timeout_ms):  # begins like the real one, and is answered at once
            starts.append(clock.now)
            session._last_sync_start = clock.now

        session._sync_once = sync_once
        loop_task = asyncio.get_running_loop().create_task(session._sync_loop())
        try:
            for _ in range(1000):
                if len(starts) >= 4:
                    break
                await real_sleep(0)
        finally:
            loop_task.cancel()
            await asyncio.gather(loop_task, return_exceptions=True)
            await session.close()
        return session.timings.presence_sync_spacing, starts

    spacing, starts = asyncio.run(main())
    assert len(starts) >= 4, starts
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert all(gap >= spacing for gap in gaps), gaps
    assert spacing > 10.0  # Synapse's 10 s, and a margin
