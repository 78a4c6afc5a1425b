"""The few D-Bus operations the applet needs, on dbus-fast (asyncio-native, one loop).

Why dbus-fast: it is maintained (regular releases in 2025-26, used by Home Assistant and
bleak), runs on the asyncio loop we already have (qasync), and has compiled fast paths.
dbus-next, its parent, has had no release since 2021; jeepney is maintained but low level
(its asyncio router leaves signal matching and dispatch to us).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class BusUnavailable(OSError):
    """No bus, no answer in time, or the call's answer was a D-Bus error (nobody owns the name,
    no such method); `error_name` is the D-Bus error's name where there was one."""

    def __init__(self, message: str, error_name: str | None = None) -> None:
        super().__init__(message)
        self.error_name = error_name


# libdbus's own default: dbus-fast and dbus-daemon wait for ever, and a hung peer must not
# hang the applet (a read, a quit).
CALL_TIMEOUT_SECONDS = 25.0


async def connect(system: bool = False):
    """A connection to the session (or system) bus, or BusUnavailable."""
    # Imported here, not at module level: dbus-fast takes ~120 ms to import, and the tray's
    # start-up path imports this module before the first icon is shown.
    try:  # Linux-only dependency (see pyproject.toml)
        from dbus_fast import BusType  # noqa: PLC0415
        from dbus_fast.aio import MessageBus  # noqa: PLC0415
    except ImportError:  # pragma: no cover - other platforms
        raise BusUnavailable("dbus-fast is not installed") from None
    try:
        return await MessageBus(bus_type=BusType.SYSTEM if system else BusType.SESSION).connect()
    except Exception as e:  # no bus address, socket missing, auth refused
        raise BusUnavailable(f"no {'system' if system else 'session'} bus: {e}") from None


async def call(
    bus,
    destination: str,
    path: str,
    interface: str,
    member: str,
    signature: str = "",
    body: list[Any] | None = None,
    *,
    timeout: float = CALL_TIMEOUT_SECONDS,
) -> list[Any]:
    from dbus_fast import Message, MessageType  # noqa: PLC0415

    message = Message(
        destination=destination, path=path, interface=interface, member=member, signature=signature, body=body or []
    )
    try:
        async with asyncio.timeout(timeout):
            reply = await bus.call(message)
    except TimeoutError:
        raise BusUnavailable(f"{interface}.{member}: no answer from {destination} in {timeout:.0f} s") from None
    if reply.message_type == MessageType.ERROR:
        raise BusUnavailable(
            f"{interface}.{member}: {reply.error_name}: {(reply.body or [''])[0]}", error_name=reply.error_name
        )
    return reply.body


async def watch(
    bus, *, sender: str, path: str, interface: str, member: str, callback: Callable[[list[Any]], None]
) -> None:
    """Call `callback(body)` for every matching signal."""
    rule = f"type='signal',sender='{sender}',path='{path}',interface='{interface}',member='{member}'"
    await call(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "AddMatch", "s", [rule])

    from dbus_fast import MessageType  # noqa: PLC0415

    def handler(msg) -> None:
        if (
            msg.message_type == MessageType.SIGNAL
            and msg.member == member
            and msg.interface == interface
            and msg.path == path
        ):
            try:
                callback(msg.body)
            except Exception:
                log.exception("a D-Bus signal handler failed")

    bus.add_message_handler(handler)


def disconnect(bus) -> None:
    try:
        bus.disconnect()
    except Exception:
        pass
