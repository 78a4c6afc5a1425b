"""The desktop tests' shared fixture: a private X server with a tray host (helpers in
tests/harness/xdesktop.py)."""

from __future__ import annotations

import os

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
