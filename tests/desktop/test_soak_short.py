"""A few minutes of `make soak` (bench/soak.py): both applets as processes (tray mode under Xvfb +
trayer, window mode), a real Synapse with the module and its default presence rate limit,
Synapse restarts, a revoked login signed back in, clicks through the real menu/window path and
changes from another device. Asserts the counts stay flat and the server holds every last
click; nothing about time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.xdesktop import need_tools

pytestmark = [pytest.mark.desktop, pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(1200)
def test_a_short_soak_stays_flat_and_loses_no_click(tmp_path):
    need_tools()
    out = tmp_path / "soak.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "soak.py"),
            "--minutes",
            "2",
            "--accounts",
            "3",
            "--changes",
            "400",
            "--restart-every",
            "45",
            "--sample-every",
            "10",
            "--other-share",
            "0.2",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1100,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    result = json.loads(out.read_text())

    # The compressed run did what it says: changes through both paths, restarts, a revocation.
    assert result["clicks"] >= 300 and result["synapse_restarts"] >= 2 and result["revocations"] == 2, proc.stdout[
        -3000:
    ]
    assert set(result["applets"]) == {"tray", "window"}
    # Nothing lost: after every fault the server held each account's last click.
    lost = [c for c in result["checkpoints"] if c["lost"]]
    assert not lost, lost
    assert len(result["checkpoints"]) >= 5
    for mode, data in result["applets"].items():
        assert data["exit_code"] == 0, (mode, data.get("log_tail"))  # no abort, clean quit
        g = result["growth"][mode]
        # Flat: at the last checkpoint no count (fds, threads, QObjects, widgets, tasks, socket
        # notifiers) is above every checkpoint of the first half (same quiet state each time).
        # (On failure: soak.py's own summary, which names what grew by kind.) Live timers: one
        # kind one above its first-half highest at the last checkpoint is one wait in progress
        # at that moment (seen once in CI, kind not recorded then); a leak over 400 clicks
        # would be many more.
        summary = "\n".join(line for line in proc.stdout.splitlines() if line.startswith(f"{mode}:"))
        grew = [k for k in g["grew"] if not (k == "timers" and sum(g["timers_above"].values()) <= 1)]
        assert grew == [], f"{mode} grew {g['grew']}:\n{summary}"
        # RSS after warm-up: at most +5 MiB (the window's backing store once grew the heap in
        # ~5 MiB steps: tray_app/heap.py).
        assert g["rss_kib"] <= 5 * 1024, (mode, round(g["rss_kib"] / 1024, 1), g)
        # None's count did not fall (the broken PySide6 pair loses one per Qt call: thousands).
        assert g["none_refs"] >= -100, (mode, g)
        samples = data["samples"]
        assert samples[-1]["renders"] > 100 and samples[-1]["qt_calls"] > 0, samples[-1]
