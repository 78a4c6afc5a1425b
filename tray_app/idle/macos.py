"""macOS: `CGEventSourceSecondsSinceLastEventType` (HID system state) for idle time; the
screen lock from the distributed notifications `com.apple.screenIsLocked` /
`com.apple.screenIsUnlocked`, polled from `CGSessionCopyCurrentDictionary` (key
`CGSSessionScreenIsLocked`) at start and when observing fails.

The ctypes calls live in `QuartzCalls` and `CFDistributedCenter` and nothing else touches
ctypes, so tests feed the results in on any platform. The observer is added through
CoreFoundation's C API (`CFNotificationCenterGetDistributedCenter`, the same center as
NSDistributedNotificationCenter) rather than the Objective-C runtime or pyobjc: plain C calls
need no Objective-C class made at run time and no extra dependency (pyobjc-framework-Cocoa
would add its import time and size to every macOS start and bundle). Notifications arrive on
the main thread's run loop, which Qt's Cocoa event loop runs; `DeliverImmediately` keeps
them coming while the (menu-bar-only) app is not active, when AppKit suspends delivery.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol

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
        cg = ctypes.CDLL(
            ctypes.util.find_library("CoreGraphics") or "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"
        )
        cf = ctypes.CDLL(
            ctypes.util.find_library("CoreFoundation")
            or "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"
        )
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
    """Idle time, and the polled lock (the fallback of the notified lock)."""

    name = "macOS CGEventSource"

    def __init__(self, api: QuartzApi | None = None) -> None:
        if api is None:
            if sys.platform != "darwin":
                raise SourceUnavailable("not macOS")
            api = QuartzCalls()
        self._api = api

    async def idle_seconds(self) -> float:
        return max(
            0.0, self._api.seconds_since_last_event(K_CG_EVENT_SOURCE_STATE_HID_SYSTEM_STATE, K_CG_ANY_INPUT_EVENT_TYPE)
        )

    def locked_now(self) -> bool:
        return bool(self._api.screen_is_locked())

    async def locked(self) -> bool:
        return self.locked_now()

    def on_change(self, callback: Callable[[], None]) -> None:
        pass  # polled

    async def close(self) -> None:
        pass


# -- the lock from distributed notifications -----------------------------------------------

SCREEN_LOCKED = "com.apple.screenIsLocked"
SCREEN_UNLOCKED = "com.apple.screenIsUnlocked"


class DistributedCenterApi(Protocol):
    def add_observer(self, names: tuple[str, ...], on_notification: Callable[[str], None]) -> None:
        """Observe `names` on the distributed center, calling `on_notification(name)`; raises OSError."""
        ...

    def remove_observer(self) -> None: ...


class CFDistributedCenter:  # pragma: no cover - only runs on macOS
    K_CF_STRING_ENCODING_UTF8 = 0x08000100
    DELIVER_IMMEDIATELY = 4  # CFNotificationSuspensionBehaviorDeliverImmediately

    def __init__(self) -> None:
        import ctypes
        import ctypes.util

        cf = ctypes.CDLL(
            ctypes.util.find_library("CoreFoundation")
            or "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"
        )
        self._callback_t = ctypes.CFUNCTYPE(
            None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p
        )
        cf.CFNotificationCenterGetDistributedCenter.restype = ctypes.c_void_p
        cf.CFNotificationCenterAddObserver.argtypes = [
            ctypes.c_void_p,
            ctypes.c_void_p,
            self._callback_t,
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.c_long,
        ]
        cf.CFNotificationCenterRemoveEveryObserver.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        cf.CFStringCreateWithCString.restype = ctypes.c_void_p
        cf.CFStringCreateWithCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
        cf.CFStringGetCString.restype = ctypes.c_bool
        cf.CFStringGetCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_long, ctypes.c_uint32]
        cf.CFRelease.argtypes = [ctypes.c_void_p]
        self._ctypes, self._cf = ctypes, cf
        self._token = ctypes.c_int(0)  # the observer's identity: its address, kept alive with us
        self._callback: object | None = None  # kept referenced while observing: CoreFoundation calls into it
        self._names: list[int] = []
        self._center = None

    def add_observer(self, names: tuple[str, ...], on_notification: Callable[[str], None]) -> None:
        cf, ctypes = self._cf, self._ctypes
        center = cf.CFNotificationCenterGetDistributedCenter()
        if not center:
            raise OSError("no distributed notification center")

        def callback(_center, _observer, name, _object, _info):
            buf = ctypes.create_string_buffer(256)
            try:
                if name and cf.CFStringGetCString(name, buf, len(buf), self.K_CF_STRING_ENCODING_UTF8):
                    on_notification(buf.value.decode("utf-8"))
            except Exception:  # an exception must not cross back into CoreFoundation
                pass

        self._callback = self._callback_t(callback)
        self._center = center
        for n in names:
            cf_name = cf.CFStringCreateWithCString(None, n.encode("utf-8"), self.K_CF_STRING_ENCODING_UTF8)
            self._names.append(cf_name)
            cf.CFNotificationCenterAddObserver(
                center, ctypes.addressof(self._token), self._callback, cf_name, None, self.DELIVER_IMMEDIATELY
            )

    def remove_observer(self) -> None:
        if self._center:
            self._cf.CFNotificationCenterRemoveEveryObserver(self._center, self._ctypes.addressof(self._token))
            self._center = None
        for n in self._names:
            self._cf.CFRelease(n)
        self._names.clear()
        self._callback = None


class ScreenLockNotifications:
    """`LockNotifications` from `com.apple.screenIsLocked` / `com.apple.screenIsUnlocked`."""

    def __init__(self, api: DistributedCenterApi | None = None) -> None:
        self._api = api if api is not None else CFDistributedCenter()
        self._report: Callable[[bool], None] = lambda locked: None

    def register(self, report: Callable[[bool], None]) -> None:
        self._report = report
        try:
            self._api.add_observer((SCREEN_LOCKED, SCREEN_UNLOCKED), self._on_notification)
        except Exception:
            self._api.remove_observer()  # whatever was added before the failure
            raise

    def _on_notification(self, name: str) -> None:
        if name == SCREEN_LOCKED:
            self._report(True)
        elif name == SCREEN_UNLOCKED:
            self._report(False)

    def unregister(self) -> None:
        self._api.remove_observer()
