"""The interface every do-not-disturb switch offers.

A switch answers "are the desktop's notification banners paused?", can pause and resume them,
and calls back when that may have changed, so the person's own toggle is seen at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

# A switch's every D-Bus call and gsettings run ends within this, so a hung notification
# server or dconf never holds Busy's link (or the quit) for long.
CALL_SECONDS = 5.0


class SwitchUnavailable(Exception):
    """This desktop offers no such switch (no notification server, or another one)."""


@runtime_checkable
class BannerSwitch(Protocol):
    name: str

    async def paused(self) -> bool:
        """Whether banners are paused now, by anyone."""
        ...

    async def set_paused(self, paused: bool) -> None: ...

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call `callback` when the paused state may have changed."""
        ...

    async def close(self) -> None: ...
