"""What the desktop tests share: a private X server with a tray host, xdotool and screenshots,
the icon's colours, and a few calls on a private D-Bus session bus (dunst's history, names).

The `display` fixture (Xvfb + trayer) is in tests/desktop/conftest.py; the applet as a process
in tests/desktop/demo_applet.py.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output" / "desktop"
# ImageMagick's real tools (docs/testing.md: /usr/local/bin/convert may be a stand-in).
IMPORT = "/usr/bin/import"
CONVERT = "/usr/bin/convert"
TOOLS = ["Xvfb", "trayer", "xdotool", IMPORT, CONVERT, "xwininfo"]


def need_tools() -> None:
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        pytest.fail(
            "desktop tests need " + ", ".join(missing) + " (Debian: xvfb xauth trayer xdotool imagemagick x11-utils; "
            ".ci/run installs them)",
            pytrace=False,
        )


def wait(what: str, probe, timeout: float, interval: float = 0.1):
    t0 = time.monotonic()
    deadline = t0 + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            print(f"[{time.monotonic() - t0:5.2f}s] {what}")
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")


def start_xvfb(tmp_path: Path, tries: int = 3, screen: str = "1024x600x24") -> tuple[subprocess.Popen, str]:
    """Xvfb on a free display number (-displayfd). Two starting at once (another suite, a soak)
    can pick the same number; the loser reports it and exits ("server already running"): then
    start again."""
    for _attempt in range(tries):
        r, w = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-screen", "0", screen, "-nolisten", "tcp"],
            pass_fds=(w,),
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / "xvfb.log", "ab"),
            start_new_session=True,
        )
        os.close(w)
        with os.fdopen(r) as f:
            number = f.readline().strip()
        time.sleep(0.3)
        if number.isdigit() and xvfb.poll() is None:
            return xvfb, number
        if xvfb.poll() is None:
            xvfb.terminate()
        xvfb.wait(10)
    raise AssertionError(f"Xvfb did not start in {tries} tries: {(tmp_path / 'xvfb.log').read_text()}")


def start_trayer(env: dict[str, str], log: Path, tries: int = 2) -> subprocess.Popen:
    """trayer on `env`'s display, once its panel is mapped. A trayer that exits before that is
    started once more; the failure says what trayer and Xvfb wrote."""
    for attempt in range(tries):
        tray = subprocess.Popen(
            [
                "trayer",
                "--edge",
                "top",
                "--align",
                "right",
                "--widthtype",
                "request",
                "--height",
                "32",
                "--SetDockType",
                "true",
                "--transparent",
                "false",
                "--tint",
                "0xdddddd",
                "--expand",
                "true",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(log, "ab"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and tray.poll() is None:
            if xdotool(env, "search", "--class", "trayer"):
                return tray
            time.sleep(0.1)
        if tray.poll() is None:
            stop_process(tray)
            break
        print(f"trayer exited ({tray.returncode}) before its panel showed (try {attempt + 1})")
    raise AssertionError(f"no trayer panel within 30 s; trayer's log: {log.read_text(errors='replace')!r}")


def xdotool(env, *args) -> str:
    p = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=10)
    return p.stdout.strip() if p.returncode == 0 else ""


def geometry(env, wid: str) -> tuple[int, int, int, int]:
    out = subprocess.run(["xwininfo", "-id", wid], env=env, capture_output=True, text=True, timeout=10).stdout
    val = {}
    for line in out.splitlines():
        line = line.strip()
        for key in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height"):
            if line.startswith(key + ":"):
                val[key] = int(line.split(":")[1])
    return val["Absolute upper-left X"], val["Absolute upper-left Y"], val["Width"], val["Height"]


def shot(env, name: str, crop: tuple[int, int, int, int] | None = None) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    cmd = [IMPORT, "-silent", "-window", "root"]
    if crop:
        x, y, w, h = crop
        cmd += ["-crop", f"{w}x{h}+{x}+{y}", "+repage"]
    subprocess.run(cmd + [str(path)], env=env, check=True, timeout=20)
    return path


def colour_counts(png: Path) -> dict[str, int]:
    """Pixels of the "no override" blue and the "away" amber in an icon screenshot."""
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    assert not img.isNull(), png
    counts = {"blue": 0, "amber": 0, "total": img.width() * img.height()}
    for y in range(img.height()):
        for x in range(img.width()):
            c = img.pixelColor(x, y)
            r, g, b = c.red(), c.green(), c.blue()
            if r < 110 and 100 < g < 175 and b > 200:  # #388bfd
                counts["blue"] += 1
            if r > 190 and 120 < g < 190 and b < 70:  # #e3a008
                counts["amber"] += 1
    return counts


def point_at(env, x: int, y: int) -> None:
    # Not `mousemove --sync`: it waits forever when the pointer is already there.
    subprocess.run(["xdotool", "mousemove", str(x), str(y)], env=env, check=True, timeout=10)
    time.sleep(0.1)


def icon_window(env) -> str | None:
    """The embedded tray icon: our only small window of class presence-tray."""
    for wid in xdotool(env, "search", "--class", "presence-tray").split():
        x, y, w, h = geometry(env, wid)
        if w <= 64 and h <= 64 and y < 40:
            return wid
    return None


def menu_window(env) -> str | None:
    for wid in xdotool(env, "search", "--onlyvisible", "--class", "presence-tray").split():
        if geometry(env, wid)[3] > 100:
            return wid
    return None


def stop_process(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def bus_call(env, coro_fn):
    async def go():
        from dbus_fast.aio import MessageBus

        bus = await MessageBus(bus_address=env["DBUS_SESSION_BUS_ADDRESS"]).connect()
        try:
            return await coro_fn(bus)
        finally:
            bus.disconnect()

    return asyncio.run(go())


async def dbus_call(bus, service: str, path: str, iface: str, member: str, signature: str = "", body=()):
    from dbus_fast import Message, MessageType

    reply = await bus.call(
        Message(
            destination=service,
            path=path,
            interface=iface,
            member=member,
            signature=signature,
            body=list(body),
        )
    )
    assert reply.message_type is MessageType.METHOD_RETURN, (member, reply.body)
    return reply.body


def has_name(env, name: str) -> bool:
    async def probe(bus):
        return (
            await dbus_call(
                bus,
                "org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus",
                "NameHasOwner",
                "s",
                [name],
            )
        )[0]

    return bus_call(env, probe)


def notifications(env) -> list[str]:
    """Summaries of the notifications dunst showed (closed first, so all are in its history)."""
    import json

    subprocess.run(["dunstctl", "close-all"], env=env, check=True, timeout=10)
    out = subprocess.run(
        ["dunstctl", "history"], env=env, check=True, timeout=10, capture_output=True, text=True
    ).stdout
    return [n["summary"]["data"] for n in json.loads(out)["data"][0]]
