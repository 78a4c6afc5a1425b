"""`make soak`'s applets (bench/soak.py): a private X display with a tray host, and one applet
process driven through its control channel (tray_app/ui/control_channel.py): signed in, started,
clicked, asked for its state and sampled."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

STATE_KEY = {"online": "online", "unavailable": "unavailable", "offline": "offline", "disabled": "disabled", "": "none"}
# The soak's compressed clock: the 30 s tick every 0.3 s (a week of ticks in ~100 min), the 60 s
# override poll every 10 s. The sync long-poll keeps its 30 s: an idle long-poll is the same
# whether it is short or long, and 40 of them at 2 s would only load Synapse on a 2-core machine.
INTERVALS = {"tick_ms": 300, "poll": 10.0}
# How long a checkpoint waits for the applet to be quiet: a sync left to finish runs for up to
# one long poll (30 s, +15 s nio's grace).
QUIET_TIMEOUT = 60.0


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
