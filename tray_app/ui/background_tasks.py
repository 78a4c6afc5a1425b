"""The controller's background tasks: what clicks start, and how shutdown stops them.

Apart from the controller because it is plain asyncio bookkeeping: clicks are cancelled at
shutdown, sign-ins (`protect`ed) are waited for, so a login is never cut half-way.
"""

from __future__ import annotations

import asyncio
import logging

from tray_app.ui.session_like import SessionLike

log = logging.getLogger(__name__)


class BackgroundTasks:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task] = set()
        # Sign-ins: shutdown waits for them instead of cancelling a login half-way.
        self._protected: set[asyncio.Task] = set()

    def spawn(self, coro, *, protect: bool = False) -> asyncio.Task:
        """Run a coroutine in the background; `stop` cancels it (or, `protect`ed, waits for it)."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        if protect:
            self._protected.add(task)
        task.add_done_callback(self._reap)
        return task

    def _reap(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        self._protected.discard(task)
        if not task.cancelled() and task.exception() is not None:  # retrieved: no "never retrieved"
            log.debug("background task ended with %s", type(task.exception()).__name__)

    async def wait_idle(self) -> None:
        """Wait for every task (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self, timeout: float) -> None:
        """Cancel the tasks, wait up to `timeout` for the protected ones, then cancel those too."""
        for t in list(self._tasks):
            if t not in self._protected:
                t.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)
        if self._tasks:  # a sign-in hanging past the timeout: give up on it after all
            for t in list(self._tasks):
                t.cancel()
            await asyncio.wait(list(self._tasks), timeout=1.0)


async def close_quietly(session: SessionLike) -> None:
    try:
        async with asyncio.timeout(5):  # (not wait_for, which may drop our own cancellation)
            await session.close()
    except Exception as e:
        log.warning("closing a session failed: %s", type(e).__name__)
