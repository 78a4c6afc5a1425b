"""The desktop tests' shared fixtures: a private X server with a tray host (helpers in
tests/harness/xdesktop.py), and a private session bus with an Xvfb for the do-not-disturb tests
(`bus_env`; helpers in tests/support/private_bus.py)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.harness.xdesktop import need_tools, start_trayer, start_xvfb


@pytest.fixture
def display(tmp_path):
    """A private Xvfb (free display number via -displayfd) and trayer on it."""
    need_tools()
    xvfb, number = start_xvfb(tmp_path)
    try:
        env = dict(os.environ, DISPLAY=f":{number}")
        env.pop("WAYLAND_DISPLAY", None)
        # Not the developer's session bus: the applet's notifications would reach their desktop
        # (on Xvfb, Qt autolaunches a bus of the display's own; tests that need one bring it).
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        tray = start_trayer(env, tmp_path / "trayer.log")
        try:
            yield env
        finally:
            tray.terminate()
            tray.wait(10)
    finally:
        xvfb.terminate()
        xvfb.wait(10)


TOOLS = {
    "dbus-daemon": "dbus",
    "Xvfb": "xvfb",
    "dunst": "dunst",
    "dunstctl": "dunst",
    "gsettings": "libglib2.0-bin",
    "xfconf-query": "xfconf",
}


@pytest.fixture
def bus_env(tmp_path, monkeypatch):
    """A private session bus whose services (dconf, xfconfd) keep their files in tmp_path,
    and an Xvfb for dunst. The test's process talks to this bus only."""
    missing = sorted({pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)})
    if missing:
        pytest.fail("these tests need the Debian packages " + " ".join(missing) + " (.ci/run installs them)")
    env = dict(os.environ)
    for k in ("DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY", "GSETTINGS_BACKEND"):
        env.pop(k, None)
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_RUNTIME_DIR=str(tmp_path / "run"))
    (tmp_path / "run").mkdir(mode=0o700)
    started: list[subprocess.Popen] = []
    r, w = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(w), "-screen", "0", "640x480x24", "-nolisten", "tcp"],
        pass_fds=(w,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(w)
    with os.fdopen(r) as f:
        env["DISPLAY"] = ":" + f.readline().strip()
    started.append(xvfb)
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(tmp_path / "dbus.log", "wb"),
        text=True,
        start_new_session=True,
    )
    started.append(bus)
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
    for k in ("DBUS_SESSION_BUS_ADDRESS", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "DISPLAY"):
        monkeypatch.setenv(k, env[k])
    monkeypatch.delenv("GSETTINGS_BACKEND", raising=False)
    try:
        yield env
    finally:
        for p in reversed(started):
            try:
                os.killpg(p.pid, 15)
            except ProcessLookupError:
                pass
            p.wait(10)
        # services the bus started (dconf-service, xfconfd) leave with it (they exit when the bus goes)
