"""Automatic presence on Synapse's defaults: how long until another person sees it (issue 18).

A real Synapse with its default rc_presence (0.1/s, burst 1), a private Xvfb, and the tray's
session driven by the tray's own idle path (AutomaticPresence + the X11 XScreenSaver source,
read as the applet reads it: at the threshold, every second while away, else every 5 s) with a
short away threshold. xdotool moves the pointer, so
X's idle counter is real. Another user who shares a room long-polls /sync and notes when each
presence arrives. Per round it prints:
- away: from the moment X's idle time crossed the threshold (the last input + threshold) to the
  observer being sent `unavailable`;
- online: from the first xdotool input after that to the observer being sent `online`;
beside the raw baseline: a plain client's PUT /presence/status -> the observer being sent it
(another user, same server and observer). The input comes 32 s after away was seen, so the
30 s gate between automatic changes does not hold it back (a quicker return waits for it).
Also counts, from Synapse's log, the tray device's syncs that rc_presence denied and the PUTs
answered 429.

Run: .venv/bin/python bench/auto_presence_delay.py [--rounds 4] [--threshold 35] [--module]
     [--tray-app-from DIR]   (DIR: another checkout whose tray_app to measure, e.g. main's)
Needs Xvfb and xdotool.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--threshold", type=float, default=35.0, help="away after this many idle seconds (>= 30: the gate)")
    p.add_argument("--module", action="store_true", help="Synapse with this project's module (else stock: emulated)")
    p.add_argument("--tray-app-from", type=Path, help="import tray_app from this checkout instead")
    return p.parse_args()


ARGS = _args()
sys.path.insert(0, str(ROOT))

from tests.harness.presence_watch import PresenceObserver, RateLimitLoggingSynapse, rate_limit_counts  # noqa: E402
from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions  # noqa: E402
from tests.support.memory_keyring import MemoryKeyring  # noqa: E402

if ARGS.tray_app_from:  # this checkout's harness, that one's tray_app
    assert "tray_app" not in sys.modules
    sys.path.insert(0, str(ARGS.tray_app_from.resolve()))

from tray_app.accounts import Accounts  # noqa: E402
from tray_app.credentials import CredentialStore  # noqa: E402
from tray_app.idle.automatic import AutomaticPresence  # noqa: E402
from tray_app.idle.chooser import Sources  # noqa: E402
from tray_app.idle.policy import IdlePolicy  # noqa: E402
from tray_app.idle.xscreensaver import XScreenSaverSource  # noqa: E402
from tray_app.settings import Settings  # noqa: E402


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


def _move(display: str, x: int) -> float:
    subprocess.run(
        ["xdotool", "mousemove", str(x), "300"], env={**os.environ, "DISPLAY": display}, check=True, timeout=10
    )
    return time.monotonic()


async def _arrival(observer: PresenceObserver, presence: str, after: float, timeout: float = 180) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for arrived, seen in list(observer.seen):
            if arrived >= after and seen == presence:
                return arrived
        await asyncio.sleep(0.02)
    raise RuntimeError(f"the observer was not sent {presence} within {timeout:.0f} s")


def _pair(server, user_factory_prefix: str, n: int):
    user = server.register_user(f"{user_factory_prefix}-{n}-{os.getpid()}", "bench-password-" + str(os.getpid()))
    watcher = server.register_user(f"watch-{user_factory_prefix}-{n}-{os.getpid()}", "bench-password-w")
    room = server.create_room(user.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room)
    return user, PresenceObserver(server, watcher, user.user_id).start()


async def _baseline(server, rounds: int) -> list[float]:
    """A plain client's PUT /presence/status -> the observer being sent it, 11 s apart."""
    user, observer = _pair(server, "raw", 1)
    delays = []
    try:
        for i in range(rounds * 2):
            state = "unavailable" if i % 2 == 0 else "online"
            sent = time.monotonic()
            status, body = server.set_presence(user.access_token, user.user_id, state)
            assert status == 200, (status, body)
            delays.append(await _arrival(observer, state, sent) - sent)
            await asyncio.sleep(11)
    finally:
        observer.stop()
    return delays


async def _tray(server, display: str, rounds: int, threshold: float, tmp: Path):
    user, observer = _pair(server, "tray", 2)
    settings = Settings.load(tmp / "settings.json")
    accounts = Accounts(CredentialStore(MemoryKeyring()), settings)
    session = await accounts.login_password(user.user_id, user.password, homeserver=server.base_url)
    auto = AutomaticPresence(settings, choose=lambda: _sources(display))
    auto.policy = IdlePolicy(away_after_minutes=threshold / 60)
    away, online = [], []
    try:
        await session.start()
        last_input = _move(display, 100)
        await auto.start(lambda: [session])
        await _arrival(observer, "online", 0)
        for i in range(rounds):
            crossed = last_input + threshold  # X's idle time passes the threshold here
            seen_away = await _arrival(observer, "unavailable", crossed)
            away.append(seen_away - crossed)
            await asyncio.sleep(max(0.0, seen_away + 32 - time.monotonic()))
            last_input = _move(display, 200 + 100 * (i % 2))
            online.append(await _arrival(observer, "online", last_input) - last_input)
            print(f"  round {i + 1}: away {away[-1]:5.2f} s, online {online[-1]:5.2f} s", flush=True)
    finally:
        await auto.close()
        device = session.state.device_id
        await session.close()
        observer.stop()
    return away, online, observer.states(), device


async def _sources(display: str) -> Sources:
    return Sources(idle=XScreenSaverSource(display))


def _row(name: str, values: list[float]) -> str:
    return (
        f"{name:<44} median {statistics.median(values):6.2f} s   max {max(values):6.2f} s   "
        f"({', '.join(f'{v:.2f}' for v in values)})"
    )


async def main() -> None:
    for tool in ("Xvfb", "xdotool"):
        if not shutil.which(tool):
            sys.exit(f"needs {tool} (Debian: xvfb xdotool)")
    tmp = Path(tempfile.mkdtemp(prefix="bench-auto-presence-"))
    modules = [{"module": OVERRIDE_MODULE, "config": {}}] if ARGS.module else []
    server = RateLimitLoggingSynapse(
        tmp / "synapse", options=SynapseOptions(relaxed_rate_limits=False, modules=modules)
    )
    xvfb, display = _xvfb()
    try:
        server.start()
        import tray_app

        print(
            f"Synapse {'with the module' if ARGS.module else 'stock'}, default rc_presence; tray_app from "
            f"{Path(tray_app.__file__).parents[1]}; threshold {ARGS.threshold:.0f} s; idle read as the applet reads it"
        )
        print("baseline (a plain client's PUT):", flush=True)
        raw = await _baseline(server, ARGS.rounds)
        print("tray (AutomaticPresence + XScreenSaver + xdotool):", flush=True)
        away, online, states, device = await _tray(server, display, ARGS.rounds, ARGS.threshold, tmp)
        counts = rate_limit_counts(server.log_text(), device)
        print()
        print(_row("raw PUT -> observer", raw))
        print(_row("idle threshold -> observer sees away", away))
        print(_row("first input -> observer sees online", online))
        print(f"observer was sent: {' -> '.join(states)}")
        print(
            f"tray device's syncs: {counts.syncs}, denied by rc_presence: {counts.syncs_denied}; "
            f"PUT /presence/status answered 429 (any user): {counts.puts_denied}"
        )
    finally:
        server.stop()
        xvfb.terminate()
        xvfb.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
