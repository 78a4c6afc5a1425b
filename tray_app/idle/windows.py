"""Windows: `GetLastInputInfo` for idle time, the input desktop for the lock.

The ctypes calls live in `Win32Calls` and nothing else touches ctypes, so tests feed the
results in on any platform. Lock: Windows switches input to the secure desktop while
locked, so opening the input desktop with DESKTOP_SWITCHDESKTOP fails; polled (every 5 s
at most), because session notifications (WTSRegisterSessionNotification) need a window
handle that the Qt layer would have to forward.
"""

from __future__ import annotations

import sys
from typing import Callable, Protocol

from tray_app.idle.source import SourceUnavailable


class Win32Api(Protocol):
    def tick_count_ms(self) -> int: ...  # GetTickCount (32-bit, wraps after 49.7 days)
    def last_input_tick_ms(self) -> int | None: ...  # GetLastInputInfo().dwTime; None: failed
    def input_desktop_switchable(self) -> bool: ...  # False while the secure desktop has input


class Win32Calls:  # pragma: no cover - only runs on Windows
    DESKTOP_SWITCHDESKTOP = 0x0100

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        class LASTINPUTINFO(ctypes.Structure):
            _fields_ = [("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD)]

        self._ctypes = ctypes
        self._info_t = LASTINPUTINFO
        self._user32 = ctypes.WinDLL("user32", use_last_error=True)
        self._kernel32 = ctypes.WinDLL("kernel32")
        self._user32.OpenInputDesktop.restype = wintypes.HANDLE

    def tick_count_ms(self) -> int:
        return int(self._kernel32.GetTickCount())

    def last_input_tick_ms(self) -> int | None:
        info = self._info_t()
        info.cbSize = self._ctypes.sizeof(info)
        if not self._user32.GetLastInputInfo(self._ctypes.byref(info)):
            return None
        return int(info.dwTime)

    def input_desktop_switchable(self) -> bool:
        handle = self._user32.OpenInputDesktop(0, False, self.DESKTOP_SWITCHDESKTOP)
        if not handle:
            return False
        try:
            return bool(self._user32.SwitchDesktop(handle))
        finally:
            self._user32.CloseDesktop(handle)


class WindowsIdle:
    """Both halves in one: idle time and lock."""

    name = "Windows GetLastInputInfo"

    def __init__(self, api: Win32Api | None = None) -> None:
        if api is None:
            if sys.platform != "win32":
                raise SourceUnavailable("not Windows")
            api = Win32Calls()
        self._api = api

    async def idle_seconds(self) -> float:
        last = self._api.last_input_tick_ms()
        if last is None:
            raise SourceUnavailable("GetLastInputInfo failed")
        # Both are 32-bit tick counts: the difference modulo 2**32 survives the wrap.
        return ((self._api.tick_count_ms() - last) % 2**32) / 1000.0

    async def locked(self) -> bool:
        return not self._api.input_desktop_switchable()

    def on_change(self, callback: Callable[[], None]) -> None:
        pass  # polled

    async def close(self) -> None:
        pass
