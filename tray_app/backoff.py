"""Exponential backoff, shared by reconnects, 429 waits and emulated re-assertion."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    base: float = 1.0
    factor: float = 2.0
    cap: float = 60.0
    # Spread of +/- this fraction, so many clients do not reconnect in lockstep.
    jitter: float = 0.1

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before try number `attempt` (1-based)."""
        if attempt < 1:
            return 0.0
        raw = min(self.cap, self.base * self.factor ** (attempt - 1))
        if self.jitter:
            spread = raw * self.jitter
            raw += (rng or random).uniform(-spread, spread)
        return max(0.0, min(self.cap, raw))


def retry_after_seconds(retry_after_ms: int | None, fallback: float = 5.0, cap: float = 300.0) -> float:
    """How long a 429 asks us to wait; servers that omit it get a polite default."""
    if retry_after_ms is None or retry_after_ms < 0:
        return fallback
    return min(cap, retry_after_ms / 1000.0)


# Past the time a 429 names: Synapse rounds retry_after_ms down, and timers on the Qt loop may
# fire a little early, so a retry at exactly that time often meets the same limit again.
RETRY_MARGIN = 0.25


async def sleep_until(deadline: Callable[[], float], wake: asyncio.Event | None = None) -> None:
    """Sleep until the monotonic clock reaches `deadline()` (asked again after every wake-up, so
    a deadline that moved meanwhile counts), or until `wake` is set. Never ends early: timers on
    the Qt loop may fire a few percent before their time, so a wake-up before the deadline
    sleeps again."""
    while (left := deadline() - time.monotonic()) > 0:
        if wake is None:
            await asyncio.sleep(left)
            continue
        try:
            async with asyncio.timeout(left):  # (not wait_for: a cancel must not be swallowed)
                await wake.wait()
            return
        except TimeoutError:
            pass


async def sleep_full(seconds: float) -> None:
    """asyncio.sleep that never ends early (see sleep_until)."""
    end = time.monotonic() + seconds
    await sleep_until(lambda: end)


def after_429(retry_after_ms: int | None) -> float:
    """Seconds to wait before retrying after a 429: its window and RETRY_MARGIN."""
    return retry_after_seconds(retry_after_ms) + RETRY_MARGIN


async def wait_out(retry_after_ms: int | None) -> None:
    """Sleep until a 429's window has passed (sleep_full of after_429)."""
    await sleep_full(after_429(retry_after_ms))
