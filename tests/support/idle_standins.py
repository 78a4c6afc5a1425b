"""Stand-ins (not the real desktop services) of org.freedesktop.ScreenSaver and
org.gnome.Mutter.IdleMonitor, served with dbus-fast on a test's private session bus.

They own the same bus names, object paths and interfaces as KDE's ksmserver and GNOME's
Mutter, and only the members Presence Tray uses. Tests set `idle_ms` and call `lock()`.
"""

# No `from __future__ import annotations`: dbus-fast reads the D-Bus signatures from them.

from dbus_fast.aio import MessageBus
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_property, method, signal


class ScreenSaverStandIn(ServiceInterface):
    """Stand-in for org.freedesktop.ScreenSaver (as KDE serves it: idle time in ms)."""

    def __init__(self) -> None:
        super().__init__("org.freedesktop.ScreenSaver")
        self.idle_ms = 0
        self.active = False

    @method()
    def GetSessionIdleTime(self) -> "u":  # noqa: F821
        return self.idle_ms

    @method()
    def GetActive(self) -> "b":  # noqa: F821
        return self.active

    @signal()
    def ActiveChanged(self) -> "b":  # noqa: F821
        return self.active

    def set_locked(self, locked: bool) -> None:
        self.active = locked
        self.ActiveChanged()


class MutterIdleMonitorStandIn(ServiceInterface):
    """Stand-in for GNOME's org.gnome.Mutter.IdleMonitor (idle time in ms)."""

    def __init__(self) -> None:
        super().__init__("org.gnome.Mutter.IdleMonitor")
        self.idle_ms = 0

    @method()
    def GetIdletime(self) -> "t":  # noqa: F821
        return self.idle_ms


async def serve(*, screensaver: bool = False, mutter: bool = False):
    """Connect to the session bus and serve the chosen stand-ins; returns (bus, ss, mutter)."""
    bus = await MessageBus().connect()
    ss = mt = None
    if screensaver:
        ss = ScreenSaverStandIn()
        bus.export("/org/freedesktop/ScreenSaver", ss)
        await bus.request_name("org.freedesktop.ScreenSaver")
    if mutter:
        mt = MutterIdleMonitorStandIn()
        bus.export("/org/gnome/Mutter/IdleMonitor/Core", mt)
        await bus.request_name("org.gnome.Mutter.IdleMonitor")
    return bus, ss, mt


class LoginManagerStandIn(ServiceInterface):
    """Stand-in for systemd-logind's org.freedesktop.login1.Manager (one member)."""

    def __init__(self, session_path: str) -> None:
        super().__init__("org.freedesktop.login1.Manager")
        self.session_path = session_path

    @method()
    def GetSessionByPID(self, pid: "u") -> "o":  # noqa: F821
        return self.session_path


class LoginSessionStandIn(ServiceInterface):
    """Stand-in for a logind session object: the LockedHint property and its change signal."""

    def __init__(self) -> None:
        super().__init__("org.freedesktop.login1.Session")
        self._locked = False

    @dbus_property(access=PropertyAccess.READ)
    def LockedHint(self) -> "b":  # noqa: F821
        return self._locked

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        self.emit_properties_changed({"LockedHint": locked})


async def serve_logind():
    """Serve the logind stand-ins on the bus in DBUS_SESSION_BUS_ADDRESS (a test points the
    "system bus" at that same private bus); returns (bus, session)."""
    bus = await MessageBus().connect()
    path = "/org/freedesktop/login1/session/_31"
    session = LoginSessionStandIn()
    bus.export("/org/freedesktop/login1", LoginManagerStandIn(path))
    bus.export(path, session)
    await bus.request_name("org.freedesktop.login1")
    return bus, session
