"""`make soak`: a compressed week of the applet, as its own process, against a real Synapse.

Two applet processes run side by side: one in **tray** mode (a private Xvfb with the `trayer`
tray host, QT_QPA_PLATFORM=xcb) and one in **window** mode (the no-tray window, `--window`),
each signed in to its own ACCOUNTS accounts on one Synapse with the override module and
Synapse's **default** `rc_presence` limit (0.1/s, burst 1: most changes meet a 429 first; only
the login limits are relaxed so that 2×ACCOUNTS sign-ins work). After a warm-up (each kind of
event once: the menu opened, a Synapse restart, a login revoked and signed back in), for MINUTES:

- clicks on the state items of random accounts through the applets' real menu actions / window
  buttons (tray_app/ui/control_channel.py, a test-only channel the applet opens only when
  PRESENCE_TRAY_CONTROL_SOCKET is set), and changes made from another device (a plain PUT with
  the user's other login), together CHANGES override changes;
- Synapse restarted every RESTART_EVERY seconds;
- once, half-way, every applet's login of one account revoked on the server (admin API: its
  device deleted), the applet seeing it, and the account signed back in through the applet;
- after every fault a checkpoint: each account of each applet gets one more click, and the
  server's override must then equal that click (nothing lost);
- every SAMPLE_EVERY seconds the applets' RSS, open fds, threads, QObjects, asyncio tasks /
  timers / socket notifiers and None's reference count are sampled; at every checkpoint (taken
  when the applet says it is quiet) also the QObjects by class, and the summary names the
  classes, task kinds and timer kinds that grew.

Short periods are injected (tick, poll, sync timeout: PRESENCE_TRAY_CONTROL_INTERVALS) so a
week of ticks and polls fits; every code path is the shipped one. Prints a table per applet and a
summary; asserts nothing about time. `--json FILE` writes the figures for tests
(tests/desktop/test_soak_short.py runs a few minutes of this and asserts flat counts and the
server state).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions, SynapseServer  # noqa: E402
from tray_app.ui.control_channel import IN_FLIGHT_REQUEST, LIVENESS_PROBE, SYNC_REQUESTS, SYNC_TASK  # noqa: E402

# Task kinds the applet counts apart from its standing tasks (tray_app/ui/control_channel.py,
# classify_tasks): left out of "tasks by coroutine, last checkpoint minus first".
NOT_STANDING = {SYNC_TASK, *SYNC_REQUESTS, IN_FLIGHT_REQUEST, LIVENESS_PROBE}

STATES = ("online", "unavailable", "offline", "disabled", "")  # "" = no override
STATE_KEY = {"online": "online", "unavailable": "unavailable", "offline": "offline", "disabled": "disabled", "": "none"}
OVERRIDE_PATH = "/_matrix/client/v1/presence/{}/override"
RELAXED = {"per_second": 1000, "burst_count": 10000}
# The soak's compressed clock: the 30 s tick every 0.3 s (a week of ticks in ~100 min), the 60 s
# override poll every 10 s. The sync long-poll keeps its 30 s: an idle long-poll is the same
# whether it is short or long, and 40 of them at 2 s would only load Synapse on a 2-core machine.
INTERVALS = {"tick_ms": 300, "poll": 10.0}
# How long a checkpoint waits for the applet to be quiet: a sync left to finish runs for up to
# one long poll (30 s, +15 s nio's grace).
QUIET_TIMEOUT = 60.0


def q(user_id: str) -> str:
    return urllib.parse.quote(user_id, safe="")


# -- the desktop ------------------------------------------------------------------------------


class Display:
    """A private Xvfb and the trayer tray host on it (as tests/desktop does)."""

    def __init__(self, logs: Path) -> None:
        r, w = os.pipe()
        self.xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-screen", "0", "1024x600x24", "-nolisten", "tcp"],
            pass_fds=(w,),
            stdout=subprocess.DEVNULL,
            stderr=open(logs / "xvfb.log", "wb"),
            start_new_session=True,
        )
        os.close(w)
        with os.fdopen(r) as f:
            number = f.readline().strip()
        if not number.isdigit():
            raise RuntimeError("Xvfb did not start: " + (logs / "xvfb.log").read_text())
        self.env = {"DISPLAY": f":{number}"}
        self.trayer = subprocess.Popen(
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
                "--expand",
                "true",
            ],
            env=dict(os.environ, **self.env),
            stdout=subprocess.DEVNULL,
            stderr=open(logs / "trayer.log", "wb"),
            start_new_session=True,
        )

    def close(self) -> None:
        for p in (self.trayer, self.xvfb):
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


# -- one applet process -----------------------------------------------------------------------


@dataclass
class Account:
    user_id: str
    password: str
    other_token: str  # the user's other device
    last: str | None = None  # the last change made (click or other device), "" = cleared
    last_source: str = ""


@dataclass
class Applet:
    mode: str  # "tray" or "window"
    home: Path
    accounts: list[Account]
    proc: subprocess.Popen | None = None
    sock: socket.socket | None = None
    buf: bytes = b""
    samples: list[dict[str, Any]] = field(default_factory=list)
    clicks: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def control_path(self) -> str:
        return str(self.home / "run" / "control.sock")

    def env(self, display: Display | None) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("WAYLAND_DISPLAY", None)
        # Not the session bus of the desktop this runs on: the applet's notifications would go
        # to it (on Xvfb, Qt autolaunches a bus of the display's own).
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        env.update(
            XDG_CONFIG_HOME=str(self.home / "config"),
            XDG_RUNTIME_DIR=str(self.home / "run"),
            PYTHON_KEYRING_BACKEND="tests.ui.file_keyring.FileKeyring",
            PRESENCE_TRAY_TEST_KEYRING_FILE=str(self.home / "keyring.json"),
            PYTHONPATH=str(ROOT),
            PRESENCE_TRAY_CONTROL_SOCKET=self.control_path,
            PRESENCE_TRAY_CONTROL_INTERVALS=json.dumps(INTERVALS),
        )
        if self.mode == "tray":
            assert display is not None
            env.update(display.env, QT_QPA_PLATFORM="xcb")
        else:
            env["QT_QPA_PLATFORM"] = "offscreen"
        return env

    def sign_in_all(self, base_url: str) -> None:
        """Store the logins the way the sign-in dialog does (keyring + settings), before start."""
        from tests.ui.file_keyring import FileKeyring
        from tray_app.accounts import Accounts
        from tray_app.credentials import CredentialStore
        from tray_app.settings import Settings

        (self.home / "config").mkdir(parents=True, exist_ok=True)
        accounts = Accounts(
            CredentialStore(FileKeyring(self.home / "keyring.json")),
            Settings.load(self.home / "config" / "presence-tray" / "settings.json"),
        )

        async def go() -> None:
            for a in self.accounts:
                session = await accounts.login_password(a.user_id, a.password, homeserver=base_url)
                await session.close()

        asyncio.run(go())

    def start(self, display: Display | None) -> None:
        (self.home / "run").mkdir(mode=0o700, parents=True, exist_ok=True)
        args = [sys.executable, "-m", "tray_app"] + (["--window"] if self.mode == "window" else [])
        self.proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env(display),
            stdin=subprocess.DEVNULL,
            stdout=open(self.home / "applet.log", "wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.mode} applet exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.control_path)
                self.sock = s
                break
            except OSError:
                s.close()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.mode} applet opened no control socket: {self.log_tail()}")
                time.sleep(0.2)

    def log_tail(self, n: int = 30) -> str:
        try:
            return "\n".join((self.home / "applet.log").read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def call(self, msg: dict[str, Any], timeout: float = 120) -> dict[str, Any]:
        assert self.sock is not None
        self.sock.settimeout(timeout)
        self.sock.sendall((json.dumps(msg) + "\n").encode())
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError(f"{self.mode} applet closed the control channel: {self.log_tail()}")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        answer = json.loads(line)
        if not answer.get("ok"):
            raise RuntimeError(f"{self.mode} applet: {msg.get('cmd')}: {answer.get('error')}")
        return answer

    def click(self, account: Account, state: str) -> None:
        self.call({"cmd": "click", "key": f"acct:{account.user_id}:state:{STATE_KEY[state]}"})
        account.last, account.last_source = state, "click"
        self.clicks += 1

    def states(self) -> dict[str, dict[str, Any]]:
        return {s["user_id"]: s for s in self.call({"cmd": "state"})["accounts"]}

    def sample(self, t: float, phase: str) -> dict[str, Any]:
        if phase == "checkpoint":  # taken when the applet says it is quiet (no change in flight,
            # every session in its long poll, no request in flight, no sync left to finish)
            stats = self.call({"cmd": "stats", "quiet": True, "timeout": QUIET_TIMEOUT}, timeout=QUIET_TIMEOUT + 60)[
                "stats"
            ]
        else:
            stats = self.call({"cmd": "stats"})["stats"]
        row = dict(stats, t=round(t), phase=phase)
        if phase == "checkpoint":  # quiet: the QObjects by class, to name what grew
            row["qobject_classes"] = self.call({"cmd": "qobject_classes"})["classes"]
        self.samples.append(row)
        return row

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        try:
            if self.sock is not None:
                self.call({"cmd": "quit"}, timeout=10)
        except (OSError, RuntimeError):
            pass
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait(10)


# -- the soak ---------------------------------------------------------------------------------


def wait_until(what: str, probe, timeout: float, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


class Soak:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.work = Path(tempfile.mkdtemp(prefix="presence-tray-soak-"))
        self.server: SynapseServer | None = None
        self.display: Display | None = None
        self.applets: list[Applet] = []
        self.admin_token = ""
        self.t0 = time.monotonic()
        self.other_changes = 0
        self.other_429 = 0
        self.other_failed = 0
        self.restarts = 0
        self.revocations = 0
        self.menu_opens = 0
        self.checkpoints: list[dict[str, Any]] = []
        # Changes from the other device that met a 429: sent again once the server allows.
        self.retry_other: list[tuple[float, Account]] = []

    def now(self) -> float:
        return time.monotonic() - self.t0

    def log(self, text: str) -> None:
        print(f"[{self.now():7.1f}s] {text}", flush=True)

    # setup

    def setup(self) -> None:
        a = self.args
        options = SynapseOptions(
            relaxed_rate_limits=False,  # rc_presence stays Synapse's default: 0.1/s, burst 1
            modules=[{"module": OVERRIDE_MODULE, "config": {}}],
            extra_config={"rc_login": {"address": RELAXED, "account": RELAXED, "failed_attempts": RELAXED}},
        )
        self.server = SynapseServer(self.work / "synapse", options=options).start()
        self.log(f"Synapse with the module at {self.server.base_url} (default rc_presence)")
        self.admin_token = self.server.register_user("soak-admin", secrets.token_hex(8), admin=True).access_token
        modes = [m for m in a.modes.split(",") if m]
        if "tray" in modes:
            (self.work / "desktop").mkdir()
            self.display = Display(self.work / "desktop")
        for mode in modes:
            accounts = []
            for n in range(a.accounts):
                pw = secrets.token_hex(12)
                other = self.server.register_user(f"soak-{mode}-{n}", pw)
                accounts.append(Account(other.user_id, pw, other.access_token))
            applet = Applet(mode, self.work / mode, accounts)
            applet.sign_in_all(self.server.base_url)
            self.applets.append(applet)
        for applet in self.applets:
            applet.start(self.display)
        self.log(f"{len(self.applets)} applet(s) started ({', '.join(modes)}), {a.accounts} accounts each")
        for applet in self.applets:
            wait_until(f"{applet.mode}: all accounts connected", lambda ap=applet: self.all_connected(ap), 180)

    def all_connected(self, applet: Applet) -> bool:
        st = applet.states()
        return len(st) == len(applet.accounts) and all(s["connection"] == "connected" for s in st.values())

    # faults

    def restart_synapse(self) -> None:
        assert self.server is not None
        self.log("restarting Synapse")
        self.server.restart()
        self.restarts += 1

    def revoke_and_sign_in_again(self) -> None:
        """Every applet's login of its first account is revoked on the server, then signed in."""
        assert self.server is not None
        for applet in self.applets:
            acct = applet.accounts[0]
            status, body = self.server.request(
                "GET", f"/_synapse/admin/v2/users/{q(acct.user_id)}/devices", token=self.admin_token
            )
            devices = [d["device_id"] for d in body.get("devices", []) if d.get("display_name") == "Presence Tray"]
            for dev in devices:
                self.server.request(
                    "DELETE", f"/_synapse/admin/v2/users/{q(acct.user_id)}/devices/{q(dev)}", token=self.admin_token
                )
            self.log(f"{applet.mode}: revoked {acct.user_id}'s applet login ({len(devices)} device)")
            # The applet finds out on its next request to the server (the override poll).
            wait_until(
                f"{applet.mode}: {acct.user_id} signed out",
                lambda ap=applet, u=acct.user_id: ap.states()[u]["connection"] == "signed_out",
                120,
            )
            applet.call(
                {
                    "cmd": "sign_in",
                    "user_id": acct.user_id,
                    "password": acct.password,
                    "homeserver": self.server.base_url,
                }
            )
            acct.last = None  # the click that met the revoked token is not expected to hold
            self.revocations += 1
        self.log("signed back in")

    # changes

    def fresh_state(self, acct: Account) -> str:
        return self.rng.choice([s for s in STATES if s != acct.last])

    def other_device_change(self, acct: Account | None = None) -> None:
        assert self.server is not None
        if acct is None:
            acct = self.rng.choice(self.rng.choice(self.applets).accounts)
        value = self.fresh_state(acct)
        try:
            status, body = self.server.request(
                "PUT",
                OVERRIDE_PATH.format(q(acct.user_id)),
                token=acct.other_token,
                body={"presence_override": value},
                timeout=10,
            )
        except OSError:
            self.other_failed += 1
            return
        if status == 200:
            acct.last, acct.last_source = value, "other device"
            self.other_changes += 1
        elif status == 429:
            self.other_429 += 1
            wait = (body.get("retry_after_ms") or 10_000) / 1000 if isinstance(body, dict) else 10.0
            self.retry_other.append((self.now() + wait, acct))
        else:
            self.other_failed += 1

    def click_random(self) -> None:
        applet = self.rng.choice(self.applets)
        acct = self.rng.choice(applet.accounts)
        applet.click(acct, self.fresh_state(acct))

    def server_value(self, acct: Account) -> str | None:
        assert self.server is not None
        status, body = self.server.request("GET", OVERRIDE_PATH.format(q(acct.user_id)), token=acct.other_token)
        return body.get("presence_override") if status == 200 and isinstance(body, dict) else None

    def checkpoint(self, after: str) -> dict[str, Any]:
        """One last click per account; then the server must hold exactly those clicks."""
        t = self.now()
        self.retry_other.clear()  # the other device gives up what the server refused
        for applet in self.applets:
            wait_until(f"{applet.mode}: reconnected after {after}", lambda ap=applet: self.all_connected(ap), 180)
        for applet in self.applets:
            for acct in applet.accounts:
                applet.click(acct, self.fresh_state(acct))
        lost = []
        for applet in self.applets:
            applet.call({"cmd": "idle"}, timeout=300)

            def settled(ap=applet) -> bool:
                st = ap.states()
                return all(st[a.user_id]["pending"] is None for a in ap.accounts)

            try:
                wait_until(f"{applet.mode}: changes confirmed", settled, 120)
            except TimeoutError:
                pass
            st = applet.states()
            for acct in applet.accounts:
                server = self.server_value(acct)
                if server != acct.last:
                    lost.append(
                        {
                            "mode": applet.mode,
                            "user_id": acct.user_id,
                            "clicked": acct.last,
                            "server": server,
                            "applet": st[acct.user_id],
                        }
                    )
        for applet in self.applets:
            applet.sample(self.now(), "checkpoint")
        cp = {"after": after, "t": round(t), "accounts": sum(len(a.accounts) for a in self.applets), "lost": lost}
        self.checkpoints.append(cp)
        self.log(
            f"checkpoint after {after}: {cp['accounts'] - len(lost)}/{cp['accounts']} server overrides equal the last click"
            + (f"; LOST: {lost[:3]}" if lost else "")
        )
        return cp

    # the run

    def warm_up(self) -> None:
        """Every kind of event once before the first checkpoint: the menu opened, a Synapse
        restart, a login revoked and signed back in. RSS counts the pages of code run for the
        first time and the buffers of a menu shown for the first time (measured: +2.5 MiB of
        library pages at the first sign-in, +1.3 MiB of X11 shared memory at the first menu); from
        the first checkpoint after this on, growth is growth. Not counted in the run's figures."""
        for applet in self.applets:
            applet.call({"cmd": "open_menu"})
        self.server.restart()  # type: ignore[union-attr]
        for applet in self.applets:
            wait_until(f"{applet.mode}: reconnected (warm-up)", lambda ap=applet: self.all_connected(ap), 180)
        revocations = self.revocations
        self.revoke_and_sign_in_again()
        self.revocations = revocations
        for applet in self.applets:
            wait_until(f"{applet.mode}: signed in again (warm-up)", lambda ap=applet: self.all_connected(ap), 180)
        self.log("warm-up done: menu opened, Synapse restarted, a login revoked and signed back in")

    def run(self) -> dict[str, Any]:
        a = self.args
        self.setup()
        self.warm_up()
        self.checkpoint("start (warm-up)")
        duration = a.minutes * 60
        changes_target = a.changes
        start = self.now()
        next_restart = start + a.restart_every
        next_sample = start
        revoked = False
        other_share = a.other_share
        # Spread the changes evenly over the run.
        gap = duration / max(1, changes_target)
        next_change = start
        while True:
            t = self.now()
            total = sum(ap.clicks for ap in self.applets) + self.other_changes
            if t - start >= duration and total >= changes_target:
                break
            for ap in self.applets:
                if ap.proc is not None and ap.proc.poll() is not None:
                    raise RuntimeError(f"{ap.mode} applet died with {ap.proc.returncode}: {ap.log_tail()}")
            if t >= next_sample:
                for ap in self.applets:
                    ap.sample(t, "run")
                next_sample = t + a.sample_every
            if t >= next_restart:
                self.restart_synapse()
                self.checkpoint(f"Synapse restart {self.restarts}")
                next_restart = self.now() + a.restart_every
                continue
            if not revoked and t - start >= duration / 2:
                revoked = True
                self.revoke_and_sign_in_again()
                self.checkpoint("token revoked, signed back in")
                continue
            due = [r for r in self.retry_other if r[0] <= t]
            if due:
                self.retry_other = [r for r in self.retry_other if r[0] > t]
                for _, acct in due:
                    self.other_device_change(acct)
                continue
            if t >= next_change:
                if self.rng.random() < 0.02:  # now and then someone opens the menu (a re-read)
                    self.rng.choice(self.applets).call({"cmd": "open_menu"})
                    self.menu_opens += 1
                if self.rng.random() < other_share:
                    self.other_device_change()
                else:
                    self.click_random()
                next_change += gap
                if next_change < t - 5:  # far behind (a checkpoint): don't burst to catch up
                    next_change = t
            else:
                time.sleep(min(0.05, next_change - t))
        self.checkpoint("the end")
        return self.report()

    def report(self) -> dict[str, Any]:
        clicks = sum(ap.clicks for ap in self.applets)
        out = {
            "minutes": round(self.now() / 60, 1),
            "changes": clicks + self.other_changes,
            "clicks": clicks,
            "other_device_changes": self.other_changes,
            "other_device_429": self.other_429,
            "other_device_failed": self.other_failed,
            "synapse_restarts": self.restarts,
            "revocations": self.revocations,
            "menu_opens": self.menu_opens,
            "checkpoints": self.checkpoints,
            "applets": {ap.mode: {"samples": ap.samples, "exit_code": None} for ap in self.applets},
        }
        return out

    def close(self, out: dict[str, Any] | None) -> None:
        for ap in self.applets:
            code = ap.stop()
            if out is not None and ap.mode in out["applets"]:
                out["applets"][ap.mode]["exit_code"] = code
                out["applets"][ap.mode]["log_tail"] = ap.log_tail(15)
        if self.display is not None:
            self.display.close()
        if self.server is not None:
            self.server.stop()
        if self.args.keep:
            print(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


# -- printing ---------------------------------------------------------------------------------

COLUMNS = [
    ("t", "t(s)"),
    ("phase", "phase"),
    ("rss_kib", "RSS MiB"),
    ("heap_used_kib", "heap used"),
    ("heap_free_kib", "heap free"),
    ("fds", "fds"),
    ("threads", "thr"),
    ("qobjects", "QObj"),
    ("tasks", "tasks"),
    ("syncs", "syncs"),
    ("timers", "timers"),
    ("timers_cancelled", "t.cancel"),
    ("notifiers", "notif"),
    ("none_refs", "None refs"),
    ("renders", "renders"),
    ("qt_calls", "Qt calls"),
    ("rebuilds", "rebuilds"),
]


def print_table(mode: str, samples: list[dict[str, Any]], max_rows: int = 40) -> None:
    print(f"\n{mode} applet")
    print("  ".join(f"{h:>9}" for _, h in COLUMNS))
    step = max(1, len(samples) // max_rows)
    rows = samples[::step]
    if samples and rows[-1] is not samples[-1]:
        rows.append(samples[-1])
    for r in rows:
        cells = []
        for k, _ in COLUMNS:
            v = r.get(k)
            cells.append(f"{v / 1024:9.1f}" if k.endswith("_kib") and v is not None else f"{v!s:>9}")
        print("  ".join(cells))


def _next_turn(kind: str) -> bool:
    """A callback call_soon scheduled (qasync keeps it as a zero-delay Qt timer): a task's
    wake-up or step, or a future's done callback."""
    return kind in ("Task.task_wakeup", "Task.__step") or kind.endswith("_done_callback")


# Open TCP connections a session may hold at a moment: nio's (the long poll, and one finishing)
# and the request pool's (tray_app/matrix/http_connection.py: up to MAX_IDLE idle, one in use); the
# applet's own beyond them (a sign-in's redirect listener). A pool that lost track of its
# sockets passes this within minutes of a soak.
CONNECTIONS_PER_SESSION = 8
CONNECTIONS_APPLET = 2


def summarise(out: dict[str, Any]) -> dict[str, Any]:
    """Growth between the first checkpoint after warm-up and the last one (same quiet state), and
    for the counts whether the last checkpoint is above everything of the run's first half: its
    checkpoints for QObjects, widgets, active QTimers and standing tasks (quiet then: the applet
    says so, and each session's long-poll sync and its request are counted apart, since whether
    a sync runs as two tasks or three depends on the account's override); every sample for fds
    and socket notifiers (less the open TCP connections, bounded apart), threads, live asyncio timers kind by kind (aiohttp's keep-alive cleanup
    comes and goes), requests in flight and syncs left to finish after a presence change
    (tray_app/matrix/undropped_syncs.py), since at any moment a connection may be closed or in flight
    (the tray applet's fds go 27-29 at checkpoints through a run), a worker thread started or a
    sync still running: noise, not growth; growth would pass the first half's highest. Exact at
    every sample: at most one long-poll sync per session. Cancelled timers that qasync keeps
    until their time (tray_app/ui/control_channel.py, loop_timers) are reported, not checked:
    they follow the last half-minute's clicks. What grew is named: tasks by coroutine, timers by
    callback, QObjects by class."""
    summary = {}
    keys = ("rss_kib", "fds", "threads", "qobjects", "widgets", "tasks", "timers", "notifiers", "none_refs")
    for mode, data in out["applets"].items():
        cps = [s for s in data["samples"] if s["phase"] == "checkpoint"]
        if len(cps) < 2:
            continue
        first = cps[1] if len(cps) > 2 else cps[0]  # the first checkpoint after the warm-up one
        last = cps[-1]
        g: dict[str, Any] = {k: last[k] - first[k] for k in keys}
        if "timers_cancelled" in first and "timers_cancelled" in last:
            g["timers_cancelled"] = last["timers_cancelled"] - first["timers_cancelled"]
        early = cps[: max(1, len(cps) // 2)]
        early_all = [s for s in data["samples"] if s["t"] <= last["t"] / 2] or early
        # Live timers kind by kind (each kind comes and goes on its own: aiohttp's keep-alive
        # cleanup of each session's connections, a request's timeout), against the first half's
        # samples: a kind above its own highest there grew.
        # (Less the callbacks qasync holds as zero-delay Qt timers for the next loop turn, a
        # task's wake-up or a future's done callback: work about to run, not a timer. CI once
        # caught a Task.task_wakeup and a shield's _outer_done_callback at the last checkpoint.)
        g["timers_above"] = {
            k: v - max(c.get("timer_kinds", {}).get(k, 0) for c in early_all)
            for k, v in last.get("timer_kinds", {}).items()
            if not _next_turn(k) and v > max(c.get("timer_kinds", {}).get(k, 0) for c in early_all)
        }
        # fds and notifiers without the open connections (each one of both), which come and go
        # with the last seconds' requests (one idle in a pool, one half-closed by a restarted
        # server until its next use); the connections themselves are bounded per session.
        net = {k: (lambda s, k=k: s.get(k, 0) - s.get("connections", 0)) for k in ("fds", "notifiers")}
        level = {
            k: net.get(k, lambda s, k=k: s.get(k, 0))
            for k in ("fds", "threads", "notifiers", "undropped_syncs", "requests_in_flight")
        }
        g["connections_max"] = max(s.get("connections", 0) for s in data["samples"])
        over_bound = [
            s
            for s in data["samples"]
            if s.get("connections", 0) > CONNECTIONS_PER_SESSION * s.get("sessions", 1) + CONNECTIONS_APPLET
        ]
        g["grew"] = sorted(
            [k for k in ("qobjects", "widgets", "tasks", "qtimers") if last.get(k, 0) > max(c.get(k, 0) for c in early)]
            + [k for k, of in level.items() if of(last) > max(of(c) for c in early_all)]
            + (["connections"] if over_bound else [])
            + (["timers"] if g["timers_above"] else [])
            + (
                ["syncs"]
                if any(s.get("syncs", 0) > s.get("sessions", s.get("syncs", 0)) for s in data["samples"])
                else []
            )
        )
        g["not_quiet"] = [{"t": c["t"], "busy": c["busy"]} for c in cps if c.get("busy")]
        g["rss_max_kib"] = max(s["rss_kib"] for s in data["samples"])
        # glibc's bytes in use / free inside its heap (mallinfo2): RSS growth with both flat is
        # not the applet's; growth of "free" alone is fragmentation (tray_app/heap.py).
        # RSS split: private, file pages (libraries' code as new paths run), shared (X11 MIT-SHM).
        for k in ("heap_used_kib", "heap_free_kib", "rss_anon_kib", "rss_file_kib", "rss_shmem_kib"):
            if k in first and k in last:
                g[k] = last[k] - first[k]
        for kinds in ("task_kinds", "timer_kinds", "qobject_classes"):
            if kinds in first and kinds in last:
                a, b = first[kinds], last[kinds]
                g[kinds] = {
                    k: b.get(k, 0) - a.get(k, 0)
                    for k in sorted(a.keys() | b.keys())
                    if b.get(k, 0) != a.get(k, 0) and not (kinds == "task_kinds" and k in NOT_STANDING)
                }
        g["exit_code"] = data["exit_code"]
        summary[mode] = g
    out["growth"] = summary
    return summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=25.0)
    p.add_argument("--changes", type=int, default=10_000, help="override changes (clicks + other device), at least")
    p.add_argument("--accounts", type=int, default=20, help="accounts per applet")
    p.add_argument("--modes", default="tray,window")
    p.add_argument("--restart-every", type=float, default=180.0, help="seconds between Synapse restarts")
    p.add_argument("--sample-every", type=float, default=30.0)
    p.add_argument("--other-share", type=float, default=0.1, help="share of changes made from another device")
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--json", type=Path, help="write the figures here")
    p.add_argument("--keep", action="store_true", help="keep the work dir (logs)")
    args = p.parse_args(argv)

    soak = Soak(args)
    out = None
    try:
        out = soak.run()
    finally:
        soak.close(out)
    growth = summarise(out)
    for mode, data in out["applets"].items():
        print_table(mode, data["samples"])
    print(
        f"\n{out['minutes']} min; {out['changes']} override changes ({out['clicks']} clicks through the applets' "
        f"menu/window, {out['other_device_changes']} from another device; that device met {out['other_device_429']} "
        f"429s); {out['synapse_restarts']} Synapse restarts; {out['revocations']} logins revoked and signed back in; the menu opened {out['menu_opens']} times"
    )
    lost = sum(len(c["lost"]) for c in out["checkpoints"])
    checked = sum(c["accounts"] for c in out["checkpoints"])
    print(f"checkpoints: {len(out['checkpoints'])}, server override == last click for {checked - lost} of {checked}")
    for mode, g in growth.items():
        parts = [
            (k, label)
            for k, label in (
                ("rss_anon_kib", "private"),
                ("rss_file_kib", "files"),
                ("rss_shmem_kib", "shared"),
                ("heap_used_kib", "malloc in use"),
                ("heap_free_kib", "free in heap"),
            )
            if k in g
        ]
        heap = " (" + ", ".join(f"{label} {g[k] / 1024:+.1f}" for k, label in parts) + ")" if parts else ""
        print(
            f"{mode}: from the first checkpoint after warm-up to the last: RSS {g['rss_kib'] / 1024:+.1f} MiB{heap} "
            f"(max {g['rss_max_kib'] / 1024:.1f} MiB), fds {g['fds']:+d}, threads {g['threads']:+d}, "
            f"QObjects {g['qobjects']:+d}, tasks {g['tasks']:+d}, timers {g['timers']:+d}, None refs {g['none_refs']:+d}; "
            f"above the first half's checkpoints: {', '.join(g['grew']) or 'nothing'}; exit code {g['exit_code']}"
        )
        if "timers_cancelled" in g:
            print(f"{mode}: cancelled timers qasync keeps until their time (not checked): {g['timers_cancelled']:+d}")
        if g.get("not_quiet"):
            print(f"{mode}: checkpoints taken before the applet was quiet: {g['not_quiet']}")
        if g.get("task_kinds"):
            print(
                f"{mode}: tasks by coroutine, last checkpoint minus first: "
                + ", ".join(f"{k} {v:+d}" for k, v in g["task_kinds"].items())
            )
        if g.get("timers_above"):
            print(
                f"{mode}: live timers above the first half's highest, by callback: "
                + ", ".join(f"{k} {v:+d}" for k, v in g["timers_above"].items())
            )
        if g.get("timer_kinds"):
            print(
                f"{mode}: live timers by callback, last checkpoint minus first: "
                + ", ".join(f"{k} {v:+d}" for k, v in g["timer_kinds"].items())
            )
        if g.get("qobject_classes"):
            print(
                f"{mode}: QObjects by class, last checkpoint minus first: "
                + ", ".join(f"{k} {v:+d}" for k, v in g["qobject_classes"].items())
            )
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
