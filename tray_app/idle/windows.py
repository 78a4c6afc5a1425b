"""Windows: `GetLastInputInfo` for idle time; the lock from session notifications.

The ctypes calls live in `Win32Calls` and `Win32SessionWindow` and nothing else touches
ctypes, so tests feed the results in on any platform. Lock: a message-only window (its own
WNDPROC, made through ctypes; Qt's event loop pumps every message of the thread, so it is
called there) is registered with `WTSRegisterSessionNotification` and receives
WM_WTSSESSION_CHANGE (WTS_SESSION_LOCK / WTS_SESSION_UNLOCK); unregistered and destroyed on
close. If that fails (say, Remote Desktop Services not started yet at logon), the lock is
polled instead (every 5 s at most): Windows switches input to the secure desktop while
locked, so opening the input desktop with DESKTOP_SWITCHDESKTOP fails.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Protocol

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
    """Idle time, and the polled lock (the fallback of `WindowsSessionLock`)."""

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

    def locked_now(self) -> bool:
        return not self._api.input_desktop_switchable()

    async def locked(self) -> bool:
        return self.locked_now()

    def on_change(self, callback: Callable[[], None]) -> None:
        pass  # polled

    async def close(self) -> None:
        pass


# -- the lock from session notifications ---------------------------------------------------

WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WTS_SESSION_UNLOCK = 0x8


class SessionWindowApi(Protocol):
    def create_message_window(self, on_message: Callable[[int, int], bool]) -> None:
        """A message-only window whose WNDPROC asks `on_message(msg, wparam)` first (True:
        handled) and leaves the rest to DefWindowProc; raises OSError."""
        ...

    def register_session_notification(self) -> None: ...  # WTSRegisterSessionNotification; OSError
    def unregister_session_notification(self) -> None: ...
    def destroy_message_window(self) -> None: ...


class Win32SessionWindow:  # pragma: no cover - only runs on Windows
    HWND_MESSAGE = -3
    NOTIFY_FOR_THIS_SESSION = 0

    def __init__(self) -> None:
        import ctypes
        from ctypes import wintypes

        lresult = ctypes.c_ssize_t
        self._wndproc_t = ctypes.WINFUNCTYPE(lresult, wintypes.HWND, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM)

        class WNDCLASSEXW(ctypes.Structure):
            _fields_ = [
                ("cbSize", wintypes.UINT),
                ("style", wintypes.UINT),
                ("lpfnWndProc", self._wndproc_t),
                ("cbClsExtra", ctypes.c_int),
                ("cbWndExtra", ctypes.c_int),
                ("hInstance", wintypes.HINSTANCE),
                ("hIcon", wintypes.HICON),
                ("hCursor", wintypes.HANDLE),
                ("hbrBackground", wintypes.HBRUSH),
                ("lpszMenuName", wintypes.LPCWSTR),
                ("lpszClassName", wintypes.LPCWSTR),
                ("hIconSm", wintypes.HICON),
            ]

        self._ctypes = ctypes
        self._class_t = WNDCLASSEXW
        user32 = ctypes.WinDLL("user32", use_last_error=True)
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        wts = ctypes.WinDLL("wtsapi32", use_last_error=True)
        user32.DefWindowProcW.argtypes = [wintypes.HWND, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM]
        user32.DefWindowProcW.restype = lresult
        user32.RegisterClassExW.argtypes = [ctypes.POINTER(WNDCLASSEXW)]
        user32.RegisterClassExW.restype = wintypes.ATOM
        user32.UnregisterClassW.argtypes = [wintypes.LPCWSTR, wintypes.HINSTANCE]
        user32.CreateWindowExW.argtypes = [
            wintypes.DWORD,
            wintypes.LPCWSTR,
            wintypes.LPCWSTR,
            wintypes.DWORD,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_int,
            wintypes.HWND,
            wintypes.HMENU,
            wintypes.HINSTANCE,
            wintypes.LPVOID,
        ]
        user32.CreateWindowExW.restype = wintypes.HWND
        user32.DestroyWindow.argtypes = [wintypes.HWND]
        kernel32.GetModuleHandleW.argtypes = [wintypes.LPCWSTR]
        kernel32.GetModuleHandleW.restype = wintypes.HMODULE
        wts.WTSRegisterSessionNotification.argtypes = [wintypes.HWND, wintypes.DWORD]
        wts.WTSRegisterSessionNotification.restype = wintypes.BOOL
        wts.WTSUnRegisterSessionNotification.argtypes = [wintypes.HWND]
        wts.WTSUnRegisterSessionNotification.restype = wintypes.BOOL
        self._user32, self._wts = user32, wts
        self._instance = kernel32.GetModuleHandleW(None)
        self._class_name = f"PresenceTrayLockWatch{os.getpid()}_{id(self)}"
        self._wndproc = None  # kept referenced while the window lives: Windows calls into it
        self._hwnd = None

    def _error(self, what: str) -> OSError:
        code = self._ctypes.get_last_error()
        return OSError(code, f"{what} failed: {self._ctypes.FormatError(code).strip()}")

    def create_message_window(self, on_message: Callable[[int, int], bool]) -> None:
        user32 = self._user32

        def wndproc(hwnd, msg, wparam, lparam):
            try:
                if on_message(int(msg), int(wparam)):
                    return 0
            except Exception:  # an exception must not cross back into Windows
                pass
            return user32.DefWindowProcW(hwnd, msg, wparam, lparam)

        self._wndproc = self._wndproc_t(wndproc)
        wc = self._class_t()
        wc.cbSize = self._ctypes.sizeof(wc)
        wc.lpfnWndProc = self._wndproc
        wc.hInstance = self._instance
        wc.lpszClassName = self._class_name
        if not user32.RegisterClassExW(self._ctypes.byref(wc)):
            raise self._error("RegisterClassExW")
        hwnd = user32.CreateWindowExW(
            0,
            self._class_name,
            "Presence Tray lock watch",
            0,
            0,
            0,
            0,
            0,
            self.HWND_MESSAGE,
            None,
            self._instance,
            None,
        )
        if not hwnd:
            error = self._error("CreateWindowExW")
            user32.UnregisterClassW(self._class_name, self._instance)
            raise error
        self._hwnd = hwnd

    def register_session_notification(self) -> None:
        if not self._wts.WTSRegisterSessionNotification(self._hwnd, self.NOTIFY_FOR_THIS_SESSION):
            raise self._error("WTSRegisterSessionNotification")

    def unregister_session_notification(self) -> None:
        self._wts.WTSUnRegisterSessionNotification(self._hwnd)

    def destroy_message_window(self) -> None:
        if self._hwnd:
            self._user32.DestroyWindow(self._hwnd)
            self._hwnd = None
        self._user32.UnregisterClassW(self._class_name, self._instance)
        self._wndproc = None


class WtsLockNotifications:
    """`LockNotifications` from WM_WTSSESSION_CHANGE: lock and unlock of this session."""

    def __init__(self, api: SessionWindowApi | None = None) -> None:
        self._api = api if api is not None else Win32SessionWindow()
        self._report: Callable[[bool], None] = lambda locked: None

    def register(self, report: Callable[[bool], None]) -> None:
        self._report = report
        self._api.create_message_window(self._on_message)
        try:
            self._api.register_session_notification()
        except Exception:
            self._api.destroy_message_window()
            raise

    def _on_message(self, msg: int, wparam: int) -> bool:
        if msg != WM_WTSSESSION_CHANGE:
            return False
        if wparam == WTS_SESSION_LOCK:
            self._report(True)
        elif wparam == WTS_SESSION_UNLOCK:
            self._report(False)
        return True  # logon, remote connect and the rest: not a lock change

    def unregister(self) -> None:
        # Unregister before the window goes, as WTSRegisterSessionNotification asks.
        try:
            self._api.unregister_session_notification()
        finally:
            self._api.destroy_message_window()
