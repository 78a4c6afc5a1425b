"""This system's entry: read, written and removed where this system's desktop looks."""

from __future__ import annotations

import sys

from tray_app.autostart.base import Status
from tray_app.autostart.command import launch
from tray_app.autostart.macos import LaunchAgent
from tray_app.autostart.windows import WindowsRun
from tray_app.autostart.xdg import XdgAutostart


def backend(platform: str | None = None) -> XdgAutostart | WindowsRun | LaunchAgent:
    platform = platform or sys.platform
    if platform == "win32":
        return WindowsRun()
    if platform == "darwin":
        return LaunchAgent()
    return XdgAutostart()


def is_enabled() -> bool:
    return backend().status().enabled


def status() -> Status:
    """Where the entry is, whether it runs, and what it runs; ``str()`` of it is for people."""
    return backend().status()


def enable() -> None:
    """Register this installation to start at login (replaces an older or disabled entry)."""
    backend().enable(launch())


def disable() -> None:
    backend().disable()
