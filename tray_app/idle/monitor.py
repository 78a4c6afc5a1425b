"""Reads the chosen sources: every 5 s, at once when a lock signal comes, and sooner where the
policy says when the verdict will change (the idle threshold's moment; the return of a person
who is away, which no source announces)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from tray_app.idle.chooser import Sources
from tray_app.idle.source import IdleReading

log = logging.getLogger(__name__)

MIN_POLL_SECONDS = 5.0
# The shortest wait between reads, whatever a hint says (no busy loop at the threshold).
MIN_HINT_SECONDS = 0.25

# How soon the verdict on a reading may change with no event: seconds, or None (no sooner
# than the poll). From IdlePolicy.next_read_in.
NextRead = Callable[[IdleReading], float | None]


def next_wait(reading: IdleReading, poll_seconds: float, hint: NextRead | None) -> float:
    """Seconds until the next read: the poll, or the hint where it comes sooner."""
    soon = hint(reading) if hint is not None else None
    if soon is None:
        return poll_seconds
    return min(poll_seconds, max(MIN_HINT_SECONDS, soon))


class IdleMonitor:
    def __init__(
        self, sources: Sources, poll_seconds: float = MIN_POLL_SECONDS, next_read_in: NextRead | None = None
    ) -> None:
        self.sources = sources
        self.poll_seconds = max(MIN_POLL_SECONDS, poll_seconds)
        self._next_read_in = next_read_in
        self.reading = IdleReading()
        self.reads = 0  # for tests: how many times we looked
        self._subs: list[Callable[[IdleReading], None]] = []
        self._wake = asyncio.Event()
        for lock in sources.locks:
            lock.on_change(self._wake.set)

    def subscribe(self, callback: Callable[[IdleReading], None]) -> None:
        self._subs.append(callback)

    async def read(self) -> IdleReading:
        self.reads += 1
        idle = None
        if self.sources.idle is not None:
            try:
                idle = await self.sources.idle.idle_seconds()
            except Exception as e:
                log.debug("reading idle time from %s failed: %s", self.sources.idle.name, e)
        locked = None
        for source in self.sources.locks:
            try:
                value = await source.locked()
            except Exception as e:
                log.debug("reading the lock from %s failed: %s", source.name, e)
                continue
            locked = bool(locked) or value
        return IdleReading(idle, locked)

    async def run(self) -> None:
        """Until cancelled; a failing source never ends it."""
        while True:
            self._wake.clear()
            self.reading = await self.read()
            for cb in list(self._subs):
                try:
                    cb(self.reading)
                except Exception:
                    log.exception("an idle subscriber failed")
            try:
                wait = next_wait(self.reading, self.poll_seconds, self._next_read_in)
            except Exception:  # the policy's hint: never the end of automatic presence
                log.exception("the idle policy's next read time failed; reading again in %s s", self.poll_seconds)
                wait = self.poll_seconds
            try:  # (asyncio.timeout: Python 3.11's wait_for may drop a cancellation, gh-86296)
                async with asyncio.timeout(wait):
                    await self._wake.wait()
            except TimeoutError:
                pass
