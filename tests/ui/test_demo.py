"""`make demo` end to end (offscreen): server up, demo account signed in, applet runs, all gone after."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.ui, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("stock", [False, True], ids=["override-module", "stock-emulated"])
def test_demo_runs_and_cleans_up(tmp_path, stock):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path), TMPDIR=str(tmp_path))
    # The no-tray window (offscreen has no tray): no wait for a tray host, the same applet.
    args = [sys.executable, "-m", "tests.harness.demo", "--window", "--quit-after", "6"] + (["--stock"] if stock else [])
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    out = proc.stdout
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    if stock:
        assert "stock Synapse, as asked (--stock): the tray runs in emulated mode" in out
    else:
        assert "Synapse with the override module" in out
    assert re.search(r"http://127\.0\.0\.1:\d+", out)
    assert "Signed in as @demo:localhost." in out
    # The applet itself connected: its first read of the server worked, in the expected mode.
    mode = "Emulated — this server has no override API" if stock else "Server override"
    connected = re.search(r"applet: @demo:localhost: connected to (http://127\.0\.0\.1:\d+) \((.+)\); override: (\S+)", out)
    assert connected, out
    assert connected.group(2) == mode and connected.group(3) == "none", connected.group(0)
    assert connected.group(1) in out.split("applet:")[0]  # the server the demo started
    assert out.index("Signed in as") < connected.start() < out.index("The applet quit.")
    assert out.rstrip().endswith("Stopped the demo server.")
    assert "Traceback" not in proc.stderr
    # Nothing left behind: no server, no scratch dir.
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("presence-tray-demo-")]
