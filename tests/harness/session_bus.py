"""A private dbus-daemon (session type, no activation) for tests of the D-Bus idle sources.

Same bus config as tests/harness/secret_service.py: no D-Bus activation, so only the
services a test starts are on it.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from tests.harness.secret_service import PRIVATE_BUS_CONFIG


class PrivateSessionBus:
    """``with PrivateSessionBus() as bus:`` sets DBUS_SESSION_BUS_ADDRESS (restored on exit)."""

    def __init__(self) -> None:
        self.address: str | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._root: Path | None = None
        self._saved: str | None = None

    def __enter__(self) -> PrivateSessionBus:
        if shutil.which("dbus-daemon") is None:
            raise RuntimeError("dbus-daemon not found (Debian: dbus)")
        self._root = Path(tempfile.mkdtemp(prefix="presence-tray-bus-"))
        (self._root / "bus.conf").write_text(PRIVATE_BUS_CONFIG.format(socket=self._root / "bus"))
        self._proc = subprocess.Popen(
            ["dbus-daemon", f"--config-file={self._root / 'bus.conf'}", "--nofork", "--print-address=1"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        assert self._proc.stdout is not None
        ready, _, _ = select.select([self._proc.stdout], [], [], 15)
        self.address = self._proc.stdout.readline().decode().strip() if ready else ""
        if not self.address:
            self.__exit__(None, None, None)
            raise RuntimeError("dbus-daemon printed no address")
        self._saved = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = self.address
        return self

    def __exit__(self, *exc) -> None:
        if self._saved is None:
            os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = self._saved
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(5)
        self._proc = None
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None
