"""The module's fake-clock tests (server/synapse_tests/, Synapse's HomeserverTestCase from the
installed Synapse's sdist) run from the project's suite: a held override costs no more than an
ordinary idle user over a simulated hour, and remote servers still get keep-alives (issue 14)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]


def test_held_overrides_cost_no_more_than_idle_users() -> None:
    proc = subprocess.run(
        [str(REPO / "server" / "run-synapse-tests"), "--python", sys.executable, "presence_override_tests"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    totals = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 failed, 0 errors, 0 skipped" in totals, totals
    assert "-> PASSED" in totals, totals
