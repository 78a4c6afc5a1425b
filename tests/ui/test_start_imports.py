"""The real applet process, with a stored login: the first confirmed icon comes before
automatic presence loads dbus-fast (~120 ms of imports, started after that render), and the
process itself never imports keyring for it (a forked child reads the login: ~80 ms of CPU)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.conftest import put_override

pytestmark = [pytest.mark.ui, pytest.mark.integration]

# Modules the applet's process must not have imported by its first confirmed icon.
NOT_ON_THE_START_PATH = (
    "keyring",
    "secretstorage",
    "cryptography",
    "jeepney",
    "jaraco.context",
    "nio",
    "aiohttp",
    "jsonschema",
)

# Runs the applet as `presence-tray --window` would, and adds to its "confirmed state shown"
# line whether dbus-fast was imported by then, and which of NOT_ON_THE_START_PATH were.
APPLET = """
import sys
from tray_app.ui import app

class Stderr:
    def __init__(self, inner):
        self.inner = inner
    def write(self, text):
        if text.startswith(app.CONFIRMED_LINE):
            loaded = [m for m in NOT_ON_THE_START_PATH if m in sys.modules]
            text = text.rstrip("\\n") + f" loaded={loaded} dbus_fast={'dbus_fast' in sys.modules}\\n"
        return self.inner.write(text)
    def __getattr__(self, name):
        return getattr(self.inner, name)

sys.stderr = Stderr(sys.stderr)
sys.exit(app.run(type("Args", (), {"autostarted": False, "window": True})()))
""".replace("NOT_ON_THE_START_PATH", repr(NOT_ON_THE_START_PATH))


def _stderr_until_confirmed(script: str, cli_env, tmp_path: Path) -> list[str]:
    """Runs `script` as the applet's process and returns its stderr lines up to and including
    the "confirmed state shown" line (or all of them, if it never comes)."""
    from tray_app.ui.app import CONFIRMED_LINE, REPORT_CONFIRMED_ENV

    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {**cli_env, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(runtime), REPORT_CONFIRMED_ENV: "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    seen = []
    try:
        for line in proc.stderr:
            seen.append(line)
            if line.startswith(CONFIRMED_LINE):
                break
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return seen


def test_dbus_fast_is_not_imported_before_the_first_confirmed_icon(
    synapse_override, user_factory, sign_in, cli_env, tmp_path: Path
):
    from tray_app.ui.app import CONFIRMED_LINE

    user = user_factory(synapse_override, "start-imports")
    put_override(synapse_override, user, "unavailable")
    sign_in(synapse_override, user)
    seen = _stderr_until_confirmed(APPLET, cli_env, tmp_path)
    assert seen and seen[-1].startswith(CONFIRMED_LINE), "".join(seen)
    assert seen[-1].rstrip().endswith("dbus_fast=False"), seen[-1]
    assert " loaded=[] " in seen[-1], seen[-1]
    assert ": away " in seen[-1]  # the server's override (unavailable) is what was shown


# The same start, reporting what was imported when the keyring read began.
PREFETCH_PROBE = """
import sys
from tray_app import credentials
from tray_app.ui import app

prefetch = credentials.CredentialStore.prefetch

def probe(self, user_ids):
    loaded = [m for m in ("asyncio", "PySide6", "tray_app.session") if m in sys.modules]
    print(f"prefetch of {len(user_ids)} login(s) with loaded: {loaded}", file=sys.stderr, flush=True)
    return prefetch(self, user_ids)

credentials.CredentialStore.prefetch = probe
sys.exit(app.run(type("Args", (), {"autostarted": False, "window": True})()))
"""


def test_the_keyring_read_starts_before_asyncio_sessions_and_qt_are_imported(
    synapse_override, user_factory, sign_in, cli_env, tmp_path: Path
):
    """The D-Bus round trips of the keyring overlap with those imports (~150 ms)."""
    from tray_app.ui.app import CONFIRMED_LINE

    user = user_factory(synapse_override, "start-prefetch")
    sign_in(synapse_override, user)
    seen = _stderr_until_confirmed(PREFETCH_PROBE, cli_env, tmp_path)
    probes = [line for line in seen if line.startswith("prefetch of")]
    assert probes == ["prefetch of 1 login(s) with loaded: []\n"], "".join(seen)
    assert seen[-1].startswith(CONFIRMED_LINE), "".join(seen)
