"""Everything that names a Synapse release follows the one window in version_window.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from synapse_presence_override import version_window as window

ROOT = Path(__file__).resolve().parents[2]
WINDOW_FILE = ROOT / "server" / "synapse_presence_override" / "version_window.py"


def test_project_venv_synapse_is_the_newest_of_the_window() -> None:
    """.ci/run counts on `make test` having covered the newest release."""
    pins = re.findall(r'"(matrix-synapse[^"]*)"', (ROOT / "pyproject.toml").read_text())
    assert len(pins) == 1, pins
    assert pins[0].endswith("==" + window.TESTED_RELEASES[window.NEWEST]), pins


def test_dockerfile_defaults_to_the_newest_of_the_window() -> None:
    text = (ROOT / "server" / "docker" / "Dockerfile").read_text()
    assert f"ARG SYNAPSE_VERSION=v{window.TESTED_RELEASES[window.NEWEST]}\n" in text


def test_server_readme_states_the_window() -> None:
    readme = (ROOT / "server" / "README.md").read_text()
    oldest, newest = window.OLDEST, window.NEWEST
    assert f"**Synapse {oldest[0]}.{oldest[1]} to {newest[0]}.{newest[1]}**" in readme
    releases = ", ".join(window.TESTED_RELEASES[k] for k in sorted(window.TESTED_RELEASES))
    assert releases in re.sub(r"\s+", " ", readme)


def test_matrix_script_reads_the_window() -> None:
    """The scripts run the window file with a plain Python (no Synapse needed)."""
    for arg, key in (("oldest", window.OLDEST), ("newest", window.NEWEST)):
        out = subprocess.run(
            [sys.executable, "-S", str(WINDOW_FILE), arg], capture_output=True, text=True, check=True
        ).stdout.split()
        assert out == [window.TESTED_RELEASES[key]]
    out = subprocess.run(
        [sys.executable, "-S", str(WINDOW_FILE)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [window.TESTED_RELEASES[k] for k in sorted(window.TESTED_RELEASES)]
