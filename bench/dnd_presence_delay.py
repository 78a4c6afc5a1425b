"""Do not disturb as automatic Busy: how long until another person sees it (issue 21).

A real Synapse with this project's module and Synapse's MSC3026 busy presence (so the server has
Busy for automatic presence), its default rc_presence (0.1/s, burst 1); a private session bus
with a real dunst (on a private Xvfb); the tray's session driven by the tray's own path
(AutomaticPresence + DoNotDisturb, wired by AutomaticPresence.follow; the idle source is a
stand-in that is always active, so only do-not-disturb moves). `dunstctl set-paused` toggles
do-not-disturb as the person would. Another user who shares a room long-polls /sync and notes
when each presence arrives. Per round it prints:
- busy: from `dunstctl set-paused true` returning to the observer being sent MSC3026's busy;
- online: from `dunstctl set-paused false` returning to the observer being sent `online`;
beside the raw baseline: a plain client's PUT /presence/status of busy or online -> the
observer being sent it (another user, same server and observer). Do-not-disturb goes off 32 s
after busy was seen, so the applet's 30 s gate between automatic changes does not hold it back
(a quicker toggle waits for it). Also counts, from Synapse's log, the tray device's syncs that
rc_presence denied and the PUTs answered 429.

Run: .venv/bin/python bench/dnd_presence_delay.py [--rounds 3]
Needs Xvfb, dbus-daemon and dunst (Debian: xvfb dbus dunst).
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
    p.add_argument("--rounds", type=int, default=3)
    return p.parse_args()


ARGS = _args()
sys.path.insert(0, str(ROOT))

from tests.harness.presence_watch import PresenceObserver, RateLimitLoggingSynapse, rate_limit_counts  # noqa: E402
from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions  # noqa: E402
from tests.support.memory_keyring import MemoryKeyring  # noqa: E402
from tray_app.accounts import Accounts  # noqa: E402
from tray_app.credentials import CredentialStore  # noqa: E402
from tray_app.dnd.desktop import DoNotDisturb  # noqa: E402
from tray_app.idle.automatic import AutomaticPresence  # noqa: E402
from tray_app.idle.chooser import Sources  # noqa: E402
from tray_app.settings import Settings  # noqa: E402

MSC3026_BUSY = "org.matrix.msc3026.busy"


class ActiveIdle:
    """A stand-in idle source: the person is always active (only do-not-disturb moves)."""

    name = "stand-in idle"

    async def idle_seconds(self) -> float:
        return 0.0

    async def close(self) -> None:
        pass


def _desktop(tmp: Path) -> tuple[list[subprocess.Popen], dict[str, str]]:
    """Xvfb, a private session bus and dunst on them; the bench's own process uses that bus."""
    env = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY")}
    env["XDG_RUNTIME_DIR"] = str(tmp / "run")
    (tmp / "run").mkdir(mode=0o700)
    r, w = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(w), "-nolisten", "tcp"], pass_fds=(w,), stderr=subprocess.DEVNULL
    )
    os.close(w)
    with os.fdopen(r) as f:
        env["DISPLAY"] = ":" + f.readline().strip()
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert bus.stdout is not None
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
    (tmp / "dunstrc").write_text("[global]\n    startup_notification = false\n")
    dunst = subprocess.Popen(
        ["dunst", "-config", str(tmp / "dunstrc")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 20
    while subprocess.run(["dunstctl", "is-paused"], env=env, capture_output=True).returncode != 0:
        if time.monotonic() > deadline:
            raise RuntimeError("dunst did not come up on the private bus")
        time.sleep(0.1)
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = env["DBUS_SESSION_BUS_ADDRESS"]
    os.environ["DISPLAY"] = env["DISPLAY"]
    return [dunst, bus, xvfb], env


def _toggle(env: dict[str, str], on: bool) -> float:
    subprocess.run(["dunstctl", "set-paused", "true" if on else "false"], env=env, check=True, timeout=10)
    return time.monotonic()


async def _arrival(observer: PresenceObserver, presence: str, after: float, timeout: float = 180) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for arrived, seen in list(observer.seen):
            if arrived >= after and seen == presence:
                return arrived
        await asyncio.sleep(0.02)
    raise RuntimeError(f"the observer was not sent {presence} within {timeout:.0f} s")


def _pair(server, prefix: str, n: int):
    user = server.register_user(f"{prefix}-{n}-{os.getpid()}", "bench-password-" + str(os.getpid()))
    watcher = server.register_user(f"watch-{prefix}-{n}-{os.getpid()}", "bench-password-w")
    room = server.create_room(user.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room)
    return user, PresenceObserver(server, watcher, user.user_id).start()


async def _baseline(server, rounds: int) -> list[float]:
    """A plain client's PUT /presence/status of busy, then online -> the observer being sent
    it, 11 s apart."""
    user, observer = _pair(server, "raw", 1)
    delays = []
    try:
        for i in range(rounds * 2):
            state = MSC3026_BUSY if i % 2 == 0 else "online"
            sent = time.monotonic()
            status, body = server.set_presence(user.access_token, user.user_id, state)
            assert status == 200, (status, body)
            delays.append(await _arrival(observer, state, sent) - sent)
            await asyncio.sleep(11)
    finally:
        observer.stop()
    return delays


async def _tray(server, env: dict[str, str], rounds: int, tmp: Path):
    user, observer = _pair(server, "tray", 2)
    settings = Settings.load(tmp / "settings.json")
    accounts = Accounts(CredentialStore(MemoryKeyring()), settings)
    session = await accounts.login_password(user.user_id, user.password, homeserver=server.base_url)

    async def sources() -> Sources:
        return Sources(idle=ActiveIdle())

    auto = AutomaticPresence(settings, choose=sources)
    dnd = DoNotDisturb(settings)
    auto.follow(dnd)
    unsubscribe = session.subscribe(lambda _state: auto.server_known(session))
    busy, online = [], []
    try:
        await session.start()
        await auto.start(lambda: [session])
        await dnd.start(False)
        if not dnd.available:
            raise RuntimeError("the applet found no do-not-disturb switch on the private bus")
        await _arrival(observer, "online", 0)
        await asyncio.sleep(32)  # the gate's window after the first automatic change
        for i in range(rounds):
            on = _toggle(env, True)
            busy.append(await _arrival(observer, MSC3026_BUSY, on) - on)
            await asyncio.sleep(max(0.0, on + busy[-1] + 32 - time.monotonic()))
            off = _toggle(env, False)
            online.append(await _arrival(observer, "online", off) - off)
            print(f"  round {i + 1}: busy {busy[-1]:5.2f} s, online {online[-1]:5.2f} s", flush=True)
            await asyncio.sleep(32)
    finally:
        unsubscribe()
        await dnd.close()
        await auto.close()
        device = session.state.device_id
        await session.close()
        observer.stop()
    return busy, online, observer.states(), device


def _row(name: str, values: list[float]) -> str:
    return (
        f"{name:<44} median {statistics.median(values):6.2f} s   max {max(values):6.2f} s   "
        f"({', '.join(f'{v:.2f}' for v in values)})"
    )


async def main() -> None:
    for tool in ("Xvfb", "dbus-daemon", "dunst", "dunstctl"):
        if not shutil.which(tool):
            sys.exit(f"needs {tool} (Debian: xvfb dbus dunst)")
    tmp = Path(tempfile.mkdtemp(prefix="bench-dnd-presence-"))
    server = RateLimitLoggingSynapse(
        tmp / "synapse",
        options=SynapseOptions(
            relaxed_rate_limits=False,
            modules=[{"module": OVERRIDE_MODULE, "config": {}}],
            extra_config={"experimental_features": {"msc3026_enabled": True}},
        ),
    )
    procs, env = _desktop(tmp)
    try:
        server.start()
        print("Synapse with the module and MSC3026, default rc_presence; real dunst on a private bus")
        print("baseline (a plain client's PUT):", flush=True)
        raw = await _baseline(server, ARGS.rounds)
        print("tray (DoNotDisturb + AutomaticPresence, dunstctl set-paused):", flush=True)
        busy, online, states, device = await _tray(server, env, ARGS.rounds, tmp)
        counts = rate_limit_counts(server.log_text(), device)
        print()
        print(_row("raw PUT -> observer", raw))
        print(_row("do not disturb on -> observer sees busy", busy))
        print(_row("do not disturb off -> observer sees online", online))
        print(f"observer was sent: {' -> '.join(states)}")
        print(
            f"tray device's syncs: {counts.syncs}, denied by rc_presence: {counts.syncs_denied}; "
            f"PUT /presence/status answered 429 (any user): {counts.puts_denied}"
        )
    finally:
        server.stop()
        for p in procs:
            p.terminate()
            p.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
