"""X11: the MIT-SCREEN-SAVER extension's idle counter (`XScreenSaverQueryInfo`, libXss).

Works on any X server (and XWayland clients only see XWayland input, so the chooser
prefers the D-Bus sources). Called through ctypes: the call is a local round trip of
microseconds, so running it on the loop is fine.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

from tray_app.idle.source import SourceUnavailable


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),  # milliseconds since the last input
        ("eventMask", ctypes.c_ulong),
    ]


def _load(name: str, debian_package: str) -> ctypes.CDLL:
    path = ctypes.util.find_library(name)
    try:
        return ctypes.CDLL(path or f"lib{name}.so.1")
    except OSError:
        raise SourceUnavailable(f"lib{name} is not installed (Debian: {debian_package})") from None


class XScreenSaverSource:
    name = "X11 XScreenSaver"

    def __init__(self, display: str | None = None) -> None:
        display = display if display is not None else os.environ.get("DISPLAY")
        if not display:
            raise SourceUnavailable("no X display")
        self._x11 = _load("X11", "libx11-6")
        self._xss = _load("Xss", "libxss1")
        self._x11.XOpenDisplay.restype = ctypes.c_void_p
        self._x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self._x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self._x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._x11.XFree.argtypes = [ctypes.c_void_p]
        self._xss.XScreenSaverQueryExtension.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_int),
        ]
        self._xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
        self._xss.XScreenSaverQueryInfo.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XScreenSaverInfo)]
        self._dpy = self._x11.XOpenDisplay(display.encode())
        if not self._dpy:
            raise SourceUnavailable(f"cannot open X display {display}")
        event, error = ctypes.c_int(), ctypes.c_int()
        if not self._xss.XScreenSaverQueryExtension(self._dpy, ctypes.byref(event), ctypes.byref(error)):
            self._x11.XCloseDisplay(self._dpy)
            self._dpy = None
            raise SourceUnavailable(f"X display {display} has no MIT-SCREEN-SAVER extension")
        self._root = self._x11.XDefaultRootWindow(self._dpy)
        self._info = self._xss.XScreenSaverAllocInfo()

    async def idle_seconds(self) -> float:
        if not self._dpy:
            raise SourceUnavailable("closed")
        if not self._xss.XScreenSaverQueryInfo(self._dpy, self._root, self._info):
            raise SourceUnavailable("XScreenSaverQueryInfo failed")
        return self._info.contents.idle / 1000.0

    async def close(self) -> None:
        if self._dpy:
            self._x11.XFree(self._info)
            self._x11.XCloseDisplay(self._dpy)
            self._dpy = None
