"""The demo applet as its own process on a test's X display: how every desktop test starts and
stops it, so each test says only what it does with it."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def applet_env(display_env: dict[str, str], tmp_path: Path, **extra: str) -> dict[str, str]:
    """The display's environment plus what a real applet needs: xcb, a private runtime dir (the
    single-instance socket), a throwaway config, the in-memory keyring, this checkout."""
    run_dir = tmp_path / "run"
    run_dir.mkdir(mode=0o700, exist_ok=True)
    env = dict(display_env)
    env.update(
        QT_QPA_PLATFORM="xcb",
        XDG_RUNTIME_DIR=str(run_dir),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHON_KEYRING_BACKEND="tests.support.memory_keyring.MemoryKeyring",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def start_demo(
    env: dict[str, str], homeserver: str, log: Path, *, user=None, args: tuple[str, ...] = ()
) -> subprocess.Popen:
    """`python -m tests.harness.demo` against `homeserver`: signed in as `user` (password on
    stdin), or with `args` alone (e.g. `--signed-out`). Output goes to `log`."""
    cmd = [sys.executable, "-m", "tests.harness.demo", "--homeserver", homeserver, *args]
    if user is not None:
        cmd += ["--user", user.user_id, "--password-stdin"]
    applet = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE if user is not None else subprocess.DEVNULL,
        stdout=open(log, "wb"),
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    if user is not None:
        applet.stdin.write(user.password + "\n")
        applet.stdin.close()
    return applet


def stop(applet: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM (the applet's own clean quit), then SIGKILL if it hangs."""
    if applet.poll() is not None:
        return
    applet.send_signal(signal.SIGTERM)
    try:
        applet.wait(timeout)
    except subprocess.TimeoutExpired:
        applet.kill()
        applet.wait()
