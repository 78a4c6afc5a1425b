"""The real Secret Service (gnome-keyring) on a private D-Bus, for keyring tests.

Why: the in-memory keyring that tests/run-suite pins says nothing about how the app behaves
against the backend users actually have (a locked collection, a missing service). docs/testing.md
("Facts the harness relies on") has the recipe; this wraps it so a test gets a fresh, unlocked
``login`` collection and both daemons are gone afterwards.

The bus uses its own config rather than ``--session``: the stock session config enables D-Bus
activation, which could start a second keyring daemon or a GUI prompter outside our control.
Without activation, an unlock prompt cannot be shown, so a locked collection stays locked.
"""

from __future__ import annotations

import os
import secrets
import select
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import closing
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from jeepney.io.blocking import DBusConnection

__all__ = ["SecretServiceSession", "SecretServiceUnavailable"]

DEBIAN_PACKAGES = "dbus gnome-keyring libsecret-tools"
KEYRING_BACKEND = "keyring.backends.SecretService.Keyring"

# A session bus of our own with no service files: nothing is started on demand.
PRIVATE_BUS_CONFIG = """\
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class SecretServiceUnavailable(RuntimeError):
    """dbus-daemon or gnome-keyring-daemon is missing or did not come up."""


class SecretServiceSession:
    """Private dbus-daemon + gnome-keyring-daemon (secrets component) with a fresh HOME.

    ``with SecretServiceSession() as ss:`` sets ``DBUS_SESSION_BUS_ADDRESS`` in ``os.environ``
    (restored on exit), so ``keyring.backends.SecretService.Keyring()`` and ``secretstorage``
    in this process talk to it. ``ss.env`` is for subprocesses: the current environment plus
    the bus address and ``PYTHON_KEYRING_BACKEND`` pinned to the Secret Service backend (the
    test process keeps run-suite's pin; its tests use the backend class directly). The
    daemons themselves get a fresh HOME/XDG_* in the session's temp dir.
    """

    def __init__(self, timeout: float = 15) -> None:
        self.timeout = timeout
        self.root: Path | None = None
        self.address: str | None = None
        self.env: dict[str, str] = {}
        self._password = secrets.token_urlsafe(16)
        self._dbus: subprocess.Popen[bytes] | None = None
        self._keyring: subprocess.Popen[bytes] | None = None
        self._saved_address: str | None = None
        self._entered = False

    @property
    def log_path(self) -> Path:
        """Both daemons' stderr (kept only while the session runs)."""
        assert self.root is not None
        return self.root / "daemons.log"

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> SecretServiceSession:
        for tool in ("dbus-daemon", "gnome-keyring-daemon"):
            if shutil.which(tool) is None:
                raise SecretServiceUnavailable(f"{tool} not found; install the Debian packages: {DEBIAN_PACKAGES}")
        self.root = Path(tempfile.mkdtemp(prefix="presence-tray-ss-"))
        try:
            self._start_daemons()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_daemons(self) -> None:
        assert self.root is not None
        dirs = {name: self.root / name for name in ("home", "data", "config", "cache", "run")}
        for path in dirs.values():
            path.mkdir(mode=0o700)
        (self.root / "bus.conf").write_text(PRIVATE_BUS_CONFIG.format(socket=self.root / "bus"))
        with open(self.log_path, "ab") as log:  # both children inherit it
            self._dbus = subprocess.Popen(
                ["dbus-daemon", f"--config-file={self.root / 'bus.conf'}", "--nofork", "--print-address=1"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
            assert self._dbus.stdout is not None
            self.address = self._read_line(self._dbus.stdout, "dbus-daemon --print-address")
            self._dbus.stdout.close()

            env = {
                k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "GNOME_KEYRING_CONTROL")
            }
            env.update(
                HOME=str(dirs["home"]),
                XDG_DATA_HOME=str(dirs["data"]),
                XDG_CONFIG_HOME=str(dirs["config"]),
                XDG_CACHE_HOME=str(dirs["cache"]),
                XDG_RUNTIME_DIR=str(dirs["run"]),
                DBUS_SESSION_BUS_ADDRESS=self.address,
            )
            # --foreground keeps it our child (so we stop it by PID); --unlock reads the
            # password from stdin and creates the ``login`` collection, unlocked, with it.
            self._keyring = subprocess.Popen(
                ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                env=env,
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        assert self._keyring.stdin is not None
        self._keyring.stdin.write(self._password.encode())
        self._keyring.stdin.close()
        self.env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.address, "PYTHON_KEYRING_BACKEND": KEYRING_BACKEND}
        self._wait_until_ready()

    def _read_line(self, stream: IO[bytes], what: str) -> str:
        ready, _, _ = select.select([stream], [], [], self.timeout)
        line = stream.readline().decode().strip() if ready else ""
        if not line:
            raise SecretServiceUnavailable(f"{what} printed nothing; log:\n{self._log()}")
        return line

    def _wait_until_ready(self) -> None:
        """Until the default collection exists and is unlocked (gnome-keyring makes it lazily)."""
        import secretstorage

        deadline = time.monotonic() + self.timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            assert self._keyring is not None
            if self._keyring.poll() is not None:
                raise SecretServiceUnavailable(
                    f"gnome-keyring-daemon exited with {self._keyring.returncode}; log:\n{self._log()}"
                )
            try:
                with closing(self.connect()) as conn:
                    if not secretstorage.get_default_collection(conn).is_locked():
                        return
            except Exception as exc:  # not up yet: retried until the deadline
                last_error = exc
            time.sleep(0.05)
        raise SecretServiceUnavailable(
            f"Secret Service not ready after {self.timeout:.0f}s ({last_error!r}); log:\n{self._log()}"
        )

    def stop(self) -> None:
        """SIGTERM both daemons by PID (keyring first), SIGKILL fallback, remove the temp dir."""
        for proc in (self._keyring, self._dbus):
            if proc is None or proc.poll() is not None:
                continue
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        self._keyring = self._dbus = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> SecretServiceSession:
        self.start()
        self._saved_address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        assert self.address is not None
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = self.address
        self._entered = True
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._entered:
            if self._saved_address is None:
                os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
            else:
                os.environ["DBUS_SESSION_BUS_ADDRESS"] = self._saved_address
            self._entered = False
        self.stop()

    # -- for tests ---------------------------------------------------------------------------

    @property
    def pids(self) -> tuple[int, ...]:
        return tuple(p.pid for p in (self._dbus, self._keyring) if p is not None)

    def connect(self) -> DBusConnection:
        """A new blocking jeepney connection to this session's bus (close it when done)."""
        from jeepney.io.blocking import open_dbus_connection

        if self.address is None:
            raise RuntimeError("SecretServiceSession is not started")
        return open_dbus_connection(bus=self.address)

    def lock(self) -> None:
        """Lock the default (login) collection, as the screen locker or a timeout would."""
        import secretstorage

        with closing(self.connect()) as conn:
            collection = secretstorage.get_default_collection(conn)
            collection.lock()
            if not collection.is_locked():
                raise RuntimeError("the login collection did not lock")

    def is_locked(self) -> bool:
        import secretstorage

        with closing(self.connect()) as conn:
            return bool(secretstorage.get_default_collection(conn).is_locked())

    def _log(self) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-30:])
        except (OSError, AssertionError):
            return "(no log)"
