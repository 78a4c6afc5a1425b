"""Syncs that tell the server a presence are never dropped half-way.

Stock Synapse (checked: 1.163.2, the main process's `PresenceHandler.user_syncing`) counts a
sync as running *before* it records the sync's `set_presence`, and takes the count back only
when the request ends normally or is cancelled during the long poll. A client that drops the
request while Synapse is still recording the presence (its first few milliseconds) leaves the
count up for good: Synapse then takes the device for one that is still syncing, never times it
out, and others see its last presence (`unavailable` after the screen locked) until Synapse
restarts. The tray drops its running sync whenever its presence changes, so a sync carrying
`online`/`unavailable` is instead left to finish in the background, its answer ignored; a sync
saying `offline` is not counted by Synapse and may be dropped at any moment.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")

TASK_NAME = "presence-tray:undropped-sync"
"""The name a request's task gets once its waiter gave up: the soak counts these apart from the
applet's standing tasks (one may run on for up to a long poll past a quiet moment: not growth)."""


class UndroppedSyncs:
    """Requests we stopped waiting for but let run to their end (closing cancels them)."""

    def __init__(self) -> None:
        self._running: set[asyncio.Future] = set()

    def __len__(self) -> int:
        return len(self._running)

    async def wait(self, request: Awaitable[T]) -> T:
        """Await `request`; if the waiter is cancelled, the request itself runs on."""
        future = asyncio.ensure_future(request)
        self._running.add(future)
        future.add_done_callback(self._finished)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            if isinstance(future, asyncio.Task) and not future.done():
                future.set_name(TASK_NAME)  # left to finish on its own from now on
            raise

    def _finished(self, future: asyncio.Future) -> None:
        self._running.discard(future)
        if not future.cancelled():
            future.exception()  # retrieved: an abandoned sync's error is nobody's business

    async def close(self) -> None:
        """The session ends: what still runs is cancelled (nothing will read it)."""
        running = list(self._running)
        for future in running:
            future.cancel()
        await asyncio.gather(*running, return_exceptions=True)
