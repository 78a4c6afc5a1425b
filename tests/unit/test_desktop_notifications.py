"""DesktopNotifications without a bus: a send the server refuses reaches its `on_failure`, also
when the sender is being closed because of an earlier failure; closing at quit cancels."""

from __future__ import annotations

import asyncio

from tray_app.dbus.notifications import DesktopNotifications


class RefusingBus:
    """Answers every call, once released, with an error (D-Bus could not start the server)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.calls = 0
        self.disconnected = False

    async def call(self, message):
        self.calls += 1
        await self.release.wait()
        raise OSError("org.freedesktop.DBus.Error.Spawn.ChildExited")

    def disconnect(self) -> None:
        self.disconnected = True


def test_sends_in_flight_when_closed_after_a_failure_still_reach_their_failure():
    async def main():
        bus = RefusingBus()
        notes = DesktopNotifications(bus, "Presence Tray", owns_bus=True)
        failed: list[str] = []
        for name in ("a", "b", "c"):
            notes.show("title", name, False, 1000, lambda name=name: failed.append(name))
        await asyncio.sleep(0)
        assert bus.calls == 3
        notes.close_when_sent()
        assert not bus.disconnected  # not while the others wait for their answer
        bus.release.set()
        for _ in range(5):
            await asyncio.sleep(0)
        assert failed == ["a", "b", "c"] and notes.failed == 3
        assert bus.disconnected

    asyncio.run(main())


def test_close_at_quit_cancels_without_calling_failure():
    async def main():
        bus = RefusingBus()
        notes = DesktopNotifications(bus, "Presence Tray", owns_bus=True)
        failed: list[str] = []
        notes.show("title", "a", False, 1000, lambda: failed.append("a"))
        await asyncio.sleep(0)
        notes.close()
        bus.release.set()
        for _ in range(3):
            await asyncio.sleep(0)
        assert failed == [] and bus.disconnected

    asyncio.run(main())
