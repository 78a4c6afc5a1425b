"""The no-tray window must not grow while it lives through the soak's faults (README, "Soak").

Two ways it grew or could grow: widgets left alive by a rebuild (a sign-out, a sign-in), and
glibc's heap keeping the holes the window's backing store leaves each time its height changes
(`tray_app/heap.py`). The first is counted in this process; the second needs a fresh process
(the allocator's state is per process) and is read from glibc's own figures: bytes in use
versus bytes free inside the heap, not time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.render_stub import BASE, StubController, make_applet
from tests.ui.window_heap_probe import accounts, play_round

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 40


def _alive(applet) -> dict[str, int]:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    return {
        "widgets": len(QApplication.allWidgets()),
        "window's QObjects": len(applet.window.findChildren(QObject)),
        "applet's QObjects": len(applet.findChildren(QObject)),
    }


def test_window_rebuilds_leave_no_widgets_behind(aio):
    controller = StubController(accounts(), BASE)
    applet = make_applet(controller)
    try:
        applet.window.show()
        play_round(applet, controller)  # warm-up: every line and notice shown once
        before = _alive(applet)
        rebuilds = applet.window.rebuilds
        for _ in range(ROUNDS):
            play_round(applet, controller)
        after = _alive(applet)
        # Each round signs one account out and back in: two rebuilds of the window.
        assert applet.window.rebuilds - rebuilds >= 2 * ROUNDS
        assert after == before, f"after {applet.window.rebuilds - rebuilds} rebuilds: {before} -> {after}"
    finally:
        aio.run(applet.shutdown())


def _glibc() -> bool:
    try:
        return bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (ValueError, OSError):
        return False


@pytest.mark.skipif(not _glibc(), reason="the heap figures are glibc's (mallinfo2)")
def test_window_size_changes_leave_no_holes_in_the_heap():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "tests.ui.window_heap_probe", "--rounds", "6"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["pinned"], "tray_app.heap did not pin glibc's mmap threshold"
    first, rounds = out["rounds"][0], out["rounds"][1:]
    assert rounds[-1]["rebuilds"] - first["rebuilds"] >= 2 * len(rounds)
    # Bytes in use stay put (nothing kept alive) ...
    assert max(r["used_kib"] for r in rounds) - first["used_kib"] < 1024, out
    # ... and so do the bytes free inside the heap: unpinned, each new window size left a
    # backing store's hole the heap could not give back (+5 MiB steps, ~10 MiB after 2 rounds).
    assert max(r["free_kib"] for r in rounds) - first["free_kib"] < 2048, out
