"""A do-not-disturb switch in memory for unit tests: it calls back on every change, as the
real ones signal."""

from __future__ import annotations


class MemorySwitch:
    """A switch in memory that calls back on every change, as the real ones signal."""

    name = "memory"

    def __init__(self, paused: bool = False) -> None:
        self._paused = paused
        self._callbacks: list = []
        self.writes: list[bool] = []

    async def paused(self) -> bool:
        return self._paused

    async def set_paused(self, paused: bool) -> None:
        self.writes.append(paused)
        self.person_sets(paused)

    def person_sets(self, paused: bool) -> None:
        self._paused = paused
        for cb in self._callbacks:
            cb()

    def on_change(self, callback) -> None:
        self._callbacks.append(callback)

    async def close(self) -> None:
        pass
