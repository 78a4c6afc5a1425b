"""A screen reader's view for the desktop tests: a private D-Bus session bus (with activation, so
`org.a11y.Bus` starts Debian's at-spi-bus-launcher and the registry on it, as in a desktop
session), the application with Qt's accessibility on, and pyatspi walking it.

pyatspi is Debian's python3-pyatspi, importable by the system Python only: the walker
(tests/harness/atspi_walker.py) runs as `/usr/bin/python3` in a subprocess and prints JSON.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"
WALKER = Path(__file__).with_name("atspi_walker.py")
LAUNCHER = "/usr/libexec/at-spi-bus-launcher"


def missing() -> str | None:
    """Why the AT-SPI test cannot run here (None: it can)."""
    if shutil.which("dbus-daemon") is None:
        return "dbus-daemon (Debian: dbus)"
    if not os.path.exists(LAUNCHER):
        return "at-spi-bus-launcher (Debian: at-spi2-core)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        return "pyatspi for /usr/bin/python3 (Debian: python3-pyatspi)"
    return None


@contextmanager
def session_bus(env: dict[str, str], tmp_path: Path) -> Iterator[dict[str, str]]:
    """A session bus of the test's own (the standard session config: D-Bus activation on, so
    the AT-SPI bus starts on first use); yields `env` with its address. Everything started
    on it is stopped with it (the launcher and its bus are in the daemon's process group)."""
    env = dict(env)
    # Short: the applet's single-instance socket lives here, and a Unix socket's path has room
    # for 107 bytes (a parallel worker's tmp_path made it 110: "QLocalServer::listen: Name
    # error", and the applet quit).
    runtime = Path(tempfile.mkdtemp(prefix="rt."))
    os.chmod(runtime, 0o700)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=open(tmp_path / "dbus.log", "ab"),
        env=env,
        start_new_session=True,
    )
    assert daemon.stdout is not None
    ready, _, _ = select.select([daemon.stdout], [], [], 15)
    address = daemon.stdout.readline().decode().strip() if ready else ""
    if not address:
        daemon.kill()
        raise AssertionError("dbus-daemon printed no address")
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
    env["NO_AT_BRIDGE"] = "0"
    try:
        _start_registry(env)
        yield env
    finally:
        # The bus launcher (and the a11y bus and registry it starts) share the daemon's group.
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(daemon.pid, sig)
            except ProcessLookupError:
                break
            try:
                daemon.wait(5)
                break
            except subprocess.TimeoutExpired:
                continue
        shutil.rmtree(runtime, ignore_errors=True)


def _start_registry(env: dict[str, str]) -> None:
    """The AT-SPI bus and its registry up before the application starts: Qt's bridge waits on
    them in blocking D-Bus calls, and on a loaded machine an applet started first sat there
    past a test's 60 s (CI: logged in, then not one request)."""
    reply = subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply",
            "--reply-timeout=60000",
            "--dest=org.a11y.Bus",
            "/org/a11y/bus",
            "org.a11y.Bus.GetAddress",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=70,
        check=False,
    )
    found = re.search(r'string "([^"]+)"', reply.stdout)
    if reply.returncode != 0 or found is None:
        raise AssertionError(f"the AT-SPI bus did not start: {reply.stdout}{reply.stderr}")
    ping = subprocess.run(
        [
            "dbus-send",
            f"--bus={found.group(1)}",
            "--print-reply",
            "--reply-timeout=60000",
            "--dest=org.a11y.atspi.Registry",
            "/org/a11y/atspi/accessible/root",
            "org.freedesktop.DBus.Peer.Ping",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=70,
        check=False,
    )
    if ping.returncode != 0:
        raise AssertionError(f"the AT-SPI registry did not answer: {ping.stdout}{ping.stderr}")


def tree(env: dict[str, str], app_name: str) -> dict:
    """The application's accessible tree as the walker prints it (None if it isn't there)."""
    out = subprocess.run(
        [SYSTEM_PYTHON, str(WALKER), "tree", app_name], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_for_tree(env: dict[str, str], app_name: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    last: dict = {}
    while time.monotonic() < deadline:
        last = tree(env, app_name)
        if last["tree"] is not None and last["tree"]["children"]:
            return last["tree"]
        time.sleep(0.5)
    raise AssertionError(f"{app_name} never showed on the AT-SPI bus: {last}")


class Listener:
    """The walker listening to every object/focus/window event for `seconds`."""

    def __init__(self, env: dict[str, str], seconds: float) -> None:
        self.proc = subprocess.Popen(
            [SYSTEM_PYTHON, str(WALKER), "listen", str(seconds)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        line = self.proc.stdout.readline() if ready else ""
        assert line.strip() == "ready", (line, self.proc.stderr.read() if self.proc.poll() is not None else "")

    def events(self) -> list[dict]:
        out, err = self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0, err
        return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def walk(node: dict) -> Iterator[dict]:
    yield node
    for child in node["children"]:
        yield from walk(child)
