"""macOS: `CGEventSourceSecondsSinceLastEventType` (HID system state) and the screen lock
from `CGSessionCopyCurrentDictionary` (key `CGSSessionScreenIsLocked`).

The ctypes calls live in `QuartzCalls` and nothing else touches ctypes, so tests feed the
results in on any platform. The lock is polled (every 5 s at most); the distributed
notification `com.apple.screenIsLocked` would need an NSRunLoop observer.
"""

from __future__ import annotations

import sys
from typing import Callable, Protocol

from tray_app.idle.source import SourceUnavailable

K_CG_EVENT_SOURCE_STATE_HID_SYSTEM_STATE = 1
K_CG_ANY_INPUT_EVENT_TYPE = 0xFFFFFFFF


class QuartzApi(Protocol):
    def seconds_since_last_event(self, state_id: int, event_type: int) -> float: ...
    def screen_is_locked(self) -> bool | None: ...  # None: no session dictionary


class QuartzCalls:  # pragma: no cover - only runs on macOS
    def __init__(self) -> None:
        import ctypes
        import ctypes.util

        self._ctypes = ctypes
        cg = ctypes.CDLL(ctypes.util.find_library("CoreGraphics") or
                         "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics")
        cf = ctypes.CDLL(ctypes.util.find_library("CoreFoundation") or
                         "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation")
        cg.CGEventSourceSecondsSinceLastEventType.restype = ctypes.c_double
        cg.CGEventSourceSecondsSinceLastEventType.argtypes = [ctypes.c_int32, ctypes.c_uint32]
        cg.CGSessionCopyCurrentDictionary.restype = ctypes.c_void_p
        cf.CFDictionaryGetValue.restype = ctypes.c_void_p
        cf.CFDictionaryGetValue.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        cf.CFStringCreateWithCString.restype = ctypes.c_void_p
        cf.CFStringCreateWithCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
        cf.CFBooleanGetValue.argtypes = [ctypes.c_void_p]
        cf.CFRelease.argtypes = [ctypes.c_void_p]
        self._cg, self._cf = cg, cf

    def seconds_since_last_event(self, state_id: int, event_type: int) -> float:
        return float(self._cg.CGEventSourceSecondsSinceLastEventType(state_id, event_type))

    def screen_is_locked(self) -> bool | None:
        session = self._cg.CGSessionCopyCurrentDictionary()
        if not session:
            return None
        key = self._cf.CFStringCreateWithCString(None, b"CGSSessionScreenIsLocked", 0x08000100)
        try:
            value = self._cf.CFDictionaryGetValue(session, key)
            return bool(value) and bool(self._cf.CFBooleanGetValue(value))
        finally:
            self._cf.CFRelease(key)
            self._cf.CFRelease(session)


class MacIdle:
    name = "macOS CGEventSource"

    def __init__(self, api: QuartzApi | None = None) -> None:
        if api is None:
            if sys.platform != "darwin":
                raise SourceUnavailable("not macOS")
            api = QuartzCalls()
        self._api = api

    async def idle_seconds(self) -> float:
        return max(0.0, self._api.seconds_since_last_event(
            K_CG_EVENT_SOURCE_STATE_HID_SYSTEM_STATE, K_CG_ANY_INPUT_EVENT_TYPE))

    async def locked(self) -> bool:
        return bool(self._api.screen_is_locked())

    def on_change(self, callback: Callable[[], None]) -> None:
        pass  # polled

    async def close(self) -> None:
        pass
