"""The interface every idle or lock source offers (the shape of Gajim's idle monitors).

A source answers one or both questions: how long since the last input, and is the screen
locked. Sources with change signals (org.freedesktop.ScreenSaver's ActiveChanged, logind's
PropertiesChanged) call `on_change` so a lock is seen at once rather than at the next poll.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


class SourceUnavailable(Exception):
    """This desktop does not offer the source (no bus name, no library, wrong platform)."""


@dataclass(frozen=True)
class IdleReading:
    """One look at the desktop: None means "this source does not know"."""

    idle_seconds: float | None = None
    locked: bool | None = None


@runtime_checkable
class IdleSource(Protocol):
    name: str

    async def idle_seconds(self) -> float:
        """Seconds since the last keyboard or pointer input in this session."""
        ...

    async def close(self) -> None: ...


@runtime_checkable
class LockSource(Protocol):
    name: str

    async def locked(self) -> bool: ...

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call `callback` when the lock state may have changed (no-op for polled sources)."""
        ...

    async def close(self) -> None: ...
