"""A lock source told by the system when the screen locks and unlocks (Windows session
notifications, macOS distributed notifications), polling only when it cannot be told.

The platform half (`LockNotifications`) registers for the system's notifications and reports
each one as locked/unlocked; it is the only part that touches ctypes, so this logic is tested
on any platform with a fake. The state starts from one poll (the screen may already be locked
when the tray starts) and then follows the notifications; if registering fails, every read
polls, as before, and registering is tried again with the next few polls (a tray started at
logon can be early: Windows answers RPC_S_INVALID_BINDING until Remote Desktop Services run). A notification may arrive on any thread the system chooses: it is handed to
the asyncio loop with `call_soon_threadsafe` before anything else runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)


class LockNotifications(Protocol):
    def register(self, report: Callable[[bool], None]) -> None:
        """Start reporting lock (True) and unlock (False); raises when the system refuses."""
        ...

    def unregister(self) -> None: ...


REGISTER_RETRIES = 12  # with a poll every 5 s: about a minute


class NotifiedLock:
    def __init__(
        self, name: str, notifications: LockNotifications, poll: Callable[[], bool], retries: int = REGISTER_RETRIES
    ) -> None:
        self.name = name
        self._base_name = name
        self._retries = retries
        self._notifications = notifications
        self._poll = poll
        self.registered = False
        self.polls = 0  # for tests: how often the lock was polled
        self._locked: bool | None = None
        self._callbacks: list[Callable[[], None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    async def start(self) -> bool:
        """Register for notifications; False: they can't be had here, so `locked()` polls."""
        self._loop = asyncio.get_running_loop()
        return self._register(retry=False)

    def _register(self, retry: bool) -> bool:
        try:
            self._notifications.register(self._report)
        except Exception as e:
            (log.debug if retry else log.info)(
                "idle detection: %s not available (%s); polling the lock instead", self._base_name, e
            )
            self.name = self._base_name + " (polled)"
            return False
        if retry:
            log.info("idle detection: %s registered on a later try", self._base_name)
        self.registered = True
        self.name = self._base_name
        return True

    def _report(self, locked: bool) -> None:
        """From the platform half, on whatever thread it calls us."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._set, bool(locked))

    def _set(self, locked: bool) -> None:
        if not self.registered:
            return  # a late notification after close
        changed = locked != self._locked
        self._locked = locked
        if changed:
            for cb in list(self._callbacks):
                cb()

    async def locked(self) -> bool:
        if not self.registered and self._retries > 0 and not self._closed:
            self._retries -= 1
            self._register(retry=True)
        if self.registered and self._locked is not None:
            return self._locked
        self.polls += 1
        value = bool(self._poll())
        if self.registered and self._locked is None:
            self._locked = value  # the state at start; notifications take it from here
        return value

    def on_change(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    async def close(self) -> None:
        """Unregister (once, however often it is called)."""
        self._closed = True
        self._callbacks.clear()
        if self.registered:
            self.registered = False
            try:
                self._notifications.unregister()
            except Exception:
                log.debug("unregistering %s failed", self.name, exc_info=True)
