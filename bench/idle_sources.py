"""What idle detection costs the applet: dbus-fast's import, and one reading per source.

Prints each figure beside its raw baseline, in one run:
- importing dbus_fast (+aio) in a fresh interpreter vs. the interpreter alone (time, RSS);
- one XScreenSaverQueryInfo through the X11 source (a private Xvfb) vs. an empty coroutine;
- one GetIdletime round trip to a stand-in Mutter service on a private dbus-daemon vs. the
  bus daemon's own GetId (the cheapest call on the same connection).
Run: .venv/bin/python bench/idle_sources.py   (needs Xvfb and dbus-daemon)
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

N = 2000


def _fresh(code: str) -> tuple[float, float]:
    """Wall time (ms) and max RSS (MiB) of a fresh interpreter running `code`."""
    script = (
        "import time,resource;t=time.perf_counter();"
        + code
        + ";print((time.perf_counter()-t)*1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)"
    )
    runs = [
        tuple(map(float, subprocess.check_output([sys.executable, "-c", script], text=True).split())) for _ in range(7)
    ]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


async def _per_call_us(fn) -> float:
    await fn()
    t = time.perf_counter()
    for _ in range(N):
        await fn()
    return (time.perf_counter() - t) / N * 1e6


def _xvfb() -> tuple[subprocess.Popen, str]:
    r, w = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(w), "-nolisten", "tcp"],
        pass_fds=(w,),
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(w)
    with os.fdopen(r) as f:
        return proc, ":" + f.readline().strip()


async def _bus_figures() -> tuple[float, float]:
    from tests.support.idle_standins import serve
    from tray_app.dbus import bus as dbus
    from tray_app.idle.mutter import MutterIdleMonitor

    service, _, _ = await serve(mutter=True)
    client = await dbus.connect()
    mutter = await MutterIdleMonitor.open(client)
    try:

        def get_id():
            return dbus.call(client, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetId")

        return await _per_call_us(get_id), await _per_call_us(mutter.idle_seconds)
    finally:
        client.disconnect()
        service.disconnect()


def main() -> None:
    from tests.harness.session_bus import PrivateSessionBus
    from tray_app.idle.xscreensaver import XScreenSaverSource

    base_ms, base_mib = _fresh("pass")
    dbus_ms, dbus_mib = _fresh("import dbus_fast, dbus_fast.aio")
    print(f"{'':44}{'baseline':>14}{'measured':>14}")
    print(f"{'import dbus_fast (+aio), fresh interpreter':44}{base_ms:>11.1f} ms{dbus_ms:>11.1f} ms")
    print(f"{'  max RSS':44}{base_mib:>10.1f} MiB{dbus_mib:>10.1f} MiB")

    async def nothing() -> None:
        pass

    proc, display = _xvfb()
    try:
        source = XScreenSaverSource(display)
        empty = asyncio.run(_per_call_us(nothing))
        xss = asyncio.run(_per_call_us(source.idle_seconds))
        asyncio.run(source.close())
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"{'one X11 XScreenSaver reading (vs empty coro)':44}{empty:>11.2f} us{xss:>11.2f} us")
    with PrivateSessionBus():
        get_id, mutter = asyncio.run(_bus_figures())
    print(f"{'one Mutter GetIdletime (vs bus GetId)':44}{get_id:>11.1f} us{mutter:>11.1f} us")
    print("The monitor reads every 5 s: 720 readings an hour per source.")


if __name__ == "__main__":
    main()
