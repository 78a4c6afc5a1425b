"""Windows and macOS sources at their ctypes boundary: the calls' results are fed in."""

from __future__ import annotations

import asyncio
import sys

import pytest

from tray_app.idle.macos import K_CG_ANY_INPUT_EVENT_TYPE, K_CG_EVENT_SOURCE_STATE_HID_SYSTEM_STATE, MacIdle
from tray_app.idle.source import SourceUnavailable
from tray_app.idle.windows import WindowsIdle


class FakeWin32:  # stands in for Win32Calls (ctypes on user32/kernel32)
    def __init__(self, tick: int, last: int | None, switchable: bool = True) -> None:
        self.tick, self.last, self.switchable = tick, last, switchable

    def tick_count_ms(self) -> int:
        return self.tick

    def last_input_tick_ms(self) -> int | None:
        return self.last

    def input_desktop_switchable(self) -> bool:
        return self.switchable


class FakeQuartz:  # stands in for QuartzCalls (ctypes on CoreGraphics/CoreFoundation)
    def __init__(self, seconds: float, locked: bool | None) -> None:
        self.seconds, self.locked, self.asked = seconds, locked, []

    def seconds_since_last_event(self, state_id: int, event_type: int) -> float:
        self.asked.append((state_id, event_type))
        return self.seconds

    def screen_is_locked(self) -> bool | None:
        return self.locked


def run(coro):
    return asyncio.run(coro)


def test_windows_idle_and_tick_wrap():
    assert run(WindowsIdle(FakeWin32(tick=100_000, last=40_000)).idle_seconds()) == 60.0
    # GetTickCount wrapped past 2**32 since the last input
    assert run(WindowsIdle(FakeWin32(tick=5_000, last=2**32 - 5_000)).idle_seconds()) == 10.0
    with pytest.raises(SourceUnavailable):
        run(WindowsIdle(FakeWin32(tick=1, last=None)).idle_seconds())


def test_windows_lock_is_the_secure_desktop():
    assert run(WindowsIdle(FakeWin32(1, 1, switchable=False)).locked()) is True
    assert run(WindowsIdle(FakeWin32(1, 1, switchable=True)).locked()) is False


def test_macos_asks_hid_state_any_input_and_reads_lock():
    q = FakeQuartz(seconds=421.5, locked=True)
    mac = MacIdle(q)
    assert run(mac.idle_seconds()) == 421.5
    assert q.asked == [(K_CG_EVENT_SOURCE_STATE_HID_SYSTEM_STATE, K_CG_ANY_INPUT_EVENT_TYPE)]
    assert run(mac.locked()) is True
    assert run(MacIdle(FakeQuartz(3, None)).locked()) is False  # no session dictionary


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="checks the refusal elsewhere")
def test_platform_sources_refuse_on_other_systems():
    with pytest.raises(SourceUnavailable):
        WindowsIdle()
    with pytest.raises(SourceUnavailable):
        MacIdle()
