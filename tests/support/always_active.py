"""A stand-in idle source (not the desktop's): the person is always active. For tests and
benchmarks about another automatic source (a calendar, do-not-disturb), where the desktop's idle
time moves with nothing."""

from __future__ import annotations

from tray_app.idle.chooser import Sources


class AlwaysActiveStandIn:
    name = "stand-in idle (always active)"

    async def idle_seconds(self) -> float:
        return 0.0

    async def close(self) -> None:
        pass


async def always_active_sources() -> Sources:
    """For `AutomaticPresence(settings, choose=always_active_sources)`."""
    return Sources(idle=AlwaysActiveStandIn())
