"""D-Bus idle and lock sources against stand-in services on a private session bus.

The bus is a real dbus-daemon and the calls and signals really cross it; only the services
are stand-ins (tests/support/idle_standins.py). The system bus is pointed at nothing, so
logind is absent, as on any machine without one.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.harness.session_bus import PrivateSessionBus
from tests.support.idle_standins import serve, serve_logind
from tray_app.idle.chooser import choose_sources
from tray_app.idle.monitor import IdleMonitor


@pytest.fixture
def bus(monkeypatch, tmp_path):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={tmp_path / 'no-system-bus'}")
    with PrivateSessionBus() as b:
        yield b


async def _next_reading(monitor: IdleMonitor, predicate, timeout: float = 20.0):
    got = asyncio.get_running_loop().create_future()

    def seen(reading):
        if predicate(reading) and not got.done():
            got.set_result(reading)

    monitor.subscribe(seen)
    return await asyncio.wait_for(got, timeout)


def test_mutter_for_idle_screensaver_for_lock_with_signals(bus):
    async def main():
        service, ss, mutter = await serve(screensaver=True, mutter=True)
        sources = await choose_sources()
        try:
            assert sources.idle.name == "org.gnome.Mutter.IdleMonitor"
            assert [s.name for s in sources.locks] == ["org.freedesktop.ScreenSaver"]
            mutter.idle_ms, ss.idle_ms = 7 * 60_000, 1
            assert await sources.idle.idle_seconds() == 420.0
            # A long poll interval: the lock must arrive through ActiveChanged, not a poll.
            monitor = IdleMonitor(sources, poll_seconds=3600)
            runner = asyncio.get_running_loop().create_task(monitor.run())
            first = await _next_reading(monitor, lambda r: True)
            assert (first.idle_seconds, first.locked) == (420.0, False)
            reads = monitor.reads
            ss.set_locked(True)
            locked = await _next_reading(monitor, lambda r: r.locked)
            assert locked.locked is True and monitor.reads == reads + 1
            ss.set_locked(False)
            assert (await _next_reading(monitor, lambda r: r.locked is False)).locked is False
            runner.cancel()
        finally:
            await sources.close()
            service.disconnect()

    asyncio.run(main())


def test_screensaver_alone_gives_idle_and_lock(bus):
    async def main():
        service, ss, _ = await serve(screensaver=True)
        sources = await choose_sources()
        try:
            assert sources.idle.name == "org.freedesktop.ScreenSaver"
            ss.idle_ms = 65_000
            assert await sources.idle.idle_seconds() == 65.0
            ss.set_locked(True)
            assert await sources.locks[0].locked() is True
        finally:
            await sources.close()
            service.disconnect()

    asyncio.run(main())


def test_nothing_on_the_bus_means_not_available(bus):
    async def main():
        sources = await choose_sources()
        try:
            assert not sources.available and sources.names == ()
        finally:
            await sources.close()

    asyncio.run(main())


def test_logind_locked_hint_and_its_signal(bus, monkeypatch):
    # The private bus stands in for the system bus too: logind is the only service on it.
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", bus.address)

    async def main():
        service, session = await serve_logind()
        sources = await choose_sources()
        try:
            assert sources.idle is None and [s.name for s in sources.locks] == ["logind LockedHint"]
            monitor = IdleMonitor(sources, poll_seconds=3600)
            runner = asyncio.get_running_loop().create_task(monitor.run())
            assert (await _next_reading(monitor, lambda r: True)).locked is False
            session.set_locked(True)
            assert (await _next_reading(monitor, lambda r: r.locked)).locked is True
            assert monitor.reads == 2  # the signal, not a poll
            runner.cancel()
        finally:
            await sources.close()
            service.disconnect()

    asyncio.run(main())
