"""A D-Bus peer that never answers must not hang the applet: the call ends in BusUnavailable."""

from __future__ import annotations

import asyncio

import pytest

from tray_app.dbus.bus import BusUnavailable, call


class SilentBus:
    """A connection whose peer never answers (a hung notification server)."""

    def __init__(self) -> None:
        self.calls = 0

    async def call(self, message):
        self.calls += 1
        await asyncio.Event().wait()


def test_a_call_nobody_answers_ends_after_its_timeout() -> None:
    async def main() -> None:
        bus = SilentBus()
        with pytest.raises(BusUnavailable, match="no answer"):
            await call(bus, "org.freedesktop.Notifications", "/", "org.freedesktop.Notifications", "Ping", timeout=0.05)
        assert bus.calls == 1

    asyncio.run(main())
