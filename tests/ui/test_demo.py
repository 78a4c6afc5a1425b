"""`make demo` end to end (offscreen): server up, demo account signed in, applet runs, all gone after."""

from __future__ import annotations

import os
import re
import signal
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
    # --quit-after only as a safety net: the test stops the demo itself once it has played
    # "another device" with the command the demo printed.
    args = [sys.executable, "-m", "tests.harness.demo", "--window", "--quit-after", "90"] + (
        ["--stock"] if stock else []
    )
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    head = []
    try:
        for line in proc.stdout:
            head.append(line)
            if line.startswith("applet: ") and " connected to " in line:
                break
        printed = "".join(head)
        # How to sign back in, with the password in the clear (a throwaway account).
        signin = re.search(
            r"To sign in again after “Sign out”: user ID (\S+), homeserver (\S+), password (\S+)", printed
        )
        assert signin, printed
        assert signin.group(1) == "@demo:localhost" and signin.group(3) == "presence-tray-demo"
        command = re.search(r"^  (cd .* -m tests\.harness\.another_device .*)$", printed, re.M)
        assert command, printed
        other = subprocess.run(["bash", "-c", command.group(1)], env=env, capture_output=True, text=True, timeout=60)
        assert other.returncode == 0, (other.stdout, other.stderr)
        expected = "another device synced as Online" if stock else "another device set the override to Online"
        assert other.stdout.startswith(expected), other.stdout
        proc.send_signal(signal.SIGTERM)
        rest, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = printed + rest
    proc_stderr = err
    assert proc.returncode == 0, (out, err)
    if stock:
        assert "stock Synapse, as asked (--stock): the tray runs in emulated mode" in out
    else:
        assert "Synapse with the override module" in out
    assert re.search(r"http://127\.0\.0\.1:\d+", out)
    assert "Signed in as @demo:localhost." in out
    # The applet itself connected: its first read of the server worked, in the expected mode.
    mode = (
        "no override on this server: this computer holds its presence"
        if stock
        else "the server keeps the override; changes made elsewhere are pushed"
    )
    connected = re.search(
        r"applet: @demo:localhost: connected to (http://127\.0\.0\.1:\d+) \((.+)\); override: (\S+)", out
    )
    assert connected, out
    assert connected.group(2) == mode and connected.group(3) == "none", connected.group(0)
    assert connected.group(1) in out.split("applet:")[0]  # the server the demo started
    assert out.index("Signed in as") < connected.start() < out.index("The applet quit.")
    assert out.rstrip().endswith("Stopped the demo server.")
    # Plain words for a newcomer (issue 19): no proposal numbers, no doubled words, one line for
    # the idle sources, hints for what is shown (the window here), every state "another device" takes.
    assert not re.search(r"(?i)msc\s*\d", out), out
    assert "Automatic: Automatic" not in out and "automatic presence: Automatic" not in out
    assert len([line for line in out.splitlines() if "idle detection" in line]) == 1, out
    assert "tray icon" not in out and "In the window: pick a state" in out
    takes = "away or offline" if stock else "away, offline, disabled or clear"
    assert f"(instead of “online”: {takes})" in out, out
    assert "Traceback" not in proc_stderr
    # Nothing left behind: no server, no scratch dir.
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("presence-tray-demo-")]
