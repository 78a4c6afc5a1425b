"""A real Synapse on loopback, for integration tests and for manual runs (``python -m``).

Why a subprocess and plain urllib: the tests must exercise the same HTTP surface the tray app
and the server module see, without pulling Twisted into the test process or adding a client
dependency to the harness. Facts this relies on are in docs/testing.md ("Facts the harness relies on").
"""

from __future__ import annotations

import atexit
import copy
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # PyYAML is a Synapse dependency, so it is always there when Synapse is.

# The client-API helpers live in synapse_client.py (and the command line in synapse_cli.py);
# their names are importable from here as before.
from tests.harness.synapse_client import (
    PRESENCE_429_RETRIES,
    RC_PRESENCE_PERIOD,
    ClientAPI,
    MatrixRequestError,
    RegisteredUser,
    retry_after_seconds,
)

__all__ = [
    "OVERRIDE_MODULE",
    "PRESENCE_429_RETRIES",
    "RELAXED_PRESENCE_LIMIT",
    "RELAXED_RATE_LIMITS",
    "RC_PRESENCE_PERIOD",
    "SETUP_RATE_LIMITS",
    "SYNAPSE_PYTHON_ENV",
    "MatrixRequestError",
    "RegisteredUser",
    "SynapseOptions",
    "SynapseServer",
    "SynapseStartError",
    "check_module_importable",
    "retry_after_seconds",
    "synapse_env",
    "synapse_python",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
# The server module's source; put on Synapse's PYTHONPATH so the checkout is what gets tested,
# whether or not `pip install -e ./server` has run.
SERVER_SRC = REPO_ROOT / "server"

OVERRIDE_MODULE = "synapse_presence_override.PresenceOverrideModule"

# Which Python runs Synapse: by default the test process's own (the project venv pins one
# Synapse); the version matrix (server/run-version-matrix) points this at a venv holding another
# release of the tested window.
SYNAPSE_PYTHON_ENV = "PRESENCE_TRAY_SYNAPSE_PYTHON"

# Generous enough that no test trips them by accident.
_RELAXED = {"per_second": 10000, "burst_count": 100000}

# The limits a test's SETUP meets, relaxed by default (SynapseOptions.relaxed_rate_limits): a
# test registers, logs in and joins far faster than a person, and none of these is a presence
# path (the tray app never registers, logs in once per account, and never joins, invites,
# creates rooms or sends events). Every other rc_* limit, rc_presence above all, stays
# Synapse's default, so the suite meets what a stock server answers.
SETUP_RATE_LIMITS: dict[str, Any] = {
    # Admin/shared-secret registration of many users per test; the app does not register.
    "rc_registration": _RELAXED,
    "rc_registration_token_validity": _RELAXED,
    # Extra devices (observers, "the other device") log in per test; login is not presence.
    "rc_login": {"address": _RELAXED, "account": _RELAXED, "failed_attempts": _RELAXED},
    # Rooms shared with observers (reading presence needs a shared room): creation, invites,
    # joins and the messages tests send; the app does none of these.
    "rc_room_creation": _RELAXED,
    "rc_invites": {"per_room": _RELAXED, "per_user": _RELAXED, "per_issuer": _RELAXED},
    "rc_joins": {"local": _RELAXED, "remote": _RELAXED},
    "rc_joins_per_room": _RELAXED,
    "rc_message": _RELAXED,
}
# Kept under its old name for callers that import it; it no longer holds rc_presence.
RELAXED_RATE_LIMITS = SETUP_RATE_LIMITS

# Only for a test that is ABOUT SOMETHING ELSE and needs many presence writes fast; such a
# test passes SynapseOptions(relaxed_presence_limit=True) and says why at the call site.
RELAXED_PRESENCE_LIMIT: dict[str, Any] = {"rc_presence": {"per_user": _RELAXED}}

LOG_CONFIG = """\
version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s'
filters:
  context:
    (): synapse.logging.context.LoggingContextFilter
    request: ""
handlers:
  console:
    class: logging.StreamHandler
    formatter: precise
    filters: [context]
    stream: ext://sys.stderr
loggers:
  synapse.storage.SQL:
    level: INFO
  # DEBUG so a log shows rc_presence at work: "User set_presence ratelimit exceeded; ignoring
  # it." (a /sync whose set_presence was dropped) and "User presence ratelimit exceeded" (a PUT
  # answered 429); the request id ties each to its line in synapse.access.http.
  synapse.rest.client.sync:
    level: DEBUG
  synapse.rest.client.presence:
    level: DEBUG
  twisted:
    level: WARNING
root:
  level: INFO
  handlers: [console]
disable_existing_loggers: false
"""


# --------------------------------------------------------------------------------------------
# Data types


@dataclass
class SynapseOptions:
    """What varies between test servers; everything else is the fixed config in ``_config()``."""

    relaxed_rate_limits: bool = True
    """Relax the test-setup limits (SETUP_RATE_LIMITS: registration, login, rooms, joins).
    Never rc_presence. False = every rc_* limit is Synapse's default."""
    relaxed_presence_limit: bool = False
    """True = rc_presence relaxed too. Only for a test that is about something else and needs
    many presence writes fast; the call site must say why. Default: Synapse's own rc_presence
    (0.1/s, burst 1), which every test of a presence path runs against."""
    modules: list[dict[str, Any]] = field(default_factory=list)
    """Entries for Synapse's ``modules:`` section: ``{"module": "pkg.Class", "config": {...}}``."""
    database: dict[str, Any] | None = None
    """Synapse's ``database:`` section; None = SQLite file in the data dir."""
    extra_config: dict[str, Any] = field(default_factory=dict)
    """Merged last (deep merge for dicts), so it can override anything."""
    module_from_checkout: bool = True
    """False = leave the checkout's server/ off PYTHONPATH, so Synapse loads the module that is
    installed in its own environment (tests of the wheel and the Docker recipe's install step)."""


class SynapseStartError(RuntimeError):
    """Synapse exited early or never answered /versions; the message carries the log tail."""


# --------------------------------------------------------------------------------------------
# Helpers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    """Else /versions could be answered by some other process and start() would lie."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Twisted does
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _tail(path: Path, lines: int = 60, offset: int = 0) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", errors="replace")
    except OSError as exc:
        return f"(cannot read {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def synapse_env(base: Mapping[str, str] | None = None, with_checkout: bool = True) -> dict[str, str]:
    """Environment for the Synapse process: the checkout's ``server/`` first on PYTHONPATH."""
    env = dict(os.environ if base is None else base)
    paths = [str(SERVER_SRC)] if with_checkout and SERVER_SRC.is_dir() else []
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def synapse_python() -> str:
    """The interpreter Synapse is started with: $PRESENCE_TRAY_SYNAPSE_PYTHON, else ours."""
    chosen = os.environ.get(SYNAPSE_PYTHON_ENV, "").strip()
    if not chosen:
        return sys.executable
    if not (os.path.isfile(chosen) and os.access(chosen, os.X_OK)):
        raise SynapseStartError(
            f"{SYNAPSE_PYTHON_ENV}={chosen!r} is not an executable file; point it at the "
            "python of a venv that has matrix-synapse installed (or unset it)"
        )
    return chosen


def check_module_importable(dotted: str, timeout: float = 60) -> str | None:
    """Import ``pkg.Class`` the way Synapse will (same interpreter, same PYTHONPATH).

    Returns None when it imports, else the error text (the traceback's tail), so a fixture can
    fail with a clear message before spending a Synapse start on it.
    """
    module, _, attr = dotted.rpartition(".")
    if not module:
        return f"{dotted!r} is not a dotted 'package.Class' path"
    code = f"import importlib, sys\nm = importlib.import_module({module!r})\ngetattr(m, {attr!r})\n"
    proc = subprocess.run(
        [synapse_python(), "-c", code], env=synapse_env(), capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode == 0:
        return None
    return "\n".join(proc.stderr.strip().splitlines()[-12:])


_live_servers: weakref.WeakSet[SynapseServer] = weakref.WeakSet()


@atexit.register
def _stop_leftovers() -> None:
    """If a test run dies without teardown, don't leave Synapse processes behind."""
    for server in list(_live_servers):
        with suppress(Exception):  # best effort at interpreter exit
            server.stop()


# --------------------------------------------------------------------------------------------
# The server


class SynapseServer(ClientAPI):
    """One Synapse process on 127.0.0.1, its data dir, and small client-API helpers."""

    server_name = "localhost"

    def __init__(self, data_dir: Path, port: int | None = None, options: SynapseOptions | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.port = port if port is not None else _free_port()
        self.options = options if options is not None else SynapseOptions()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.config_path = self.data_dir / "homeserver.yaml"
        self.log_path = self.data_dir / "homeserver.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_offset = 0
        self.last_start_seconds: float | None = None

    def __repr__(self) -> str:
        return f"SynapseServer({self.base_url}, pid={self.pid}, log={self.log_path})"

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self.running and self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 60) -> SynapseServer:
        """Write the config, start Synapse, and return once /versions answers."""
        if self.running:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not _port_free(self.port):
            raise SynapseStartError(f"port {self.port} on 127.0.0.1 is already in use")
        self._write_config()
        t0 = time.monotonic()
        with open(self.log_path, "ab") as log:
            self._log_offset = log.tell()
            log.write(f"=== harness: starting Synapse on {self.base_url} ===\n".encode())
            log.flush()
            self._proc = subprocess.Popen(
                [synapse_python(), "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
                cwd=self.data_dir,
                env=synapse_env(with_checkout=self.options.module_from_checkout),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _live_servers.add(self)
        deadline = t0 + timeout
        while True:
            code = self._proc.poll()
            if code is not None:
                self._proc = None
                raise SynapseStartError(
                    f"Synapse exited with code {code} during start-up; log {self.log_path}:\n"
                    + _tail(self.log_path, offset=self._log_offset)
                )
            if self._answers_versions():
                self.last_start_seconds = time.monotonic() - t0
                return self
            if time.monotonic() > deadline:
                self.stop()
                raise SynapseStartError(
                    f"Synapse did not answer /versions within {timeout:.0f}s; "
                    f"log {self.log_path}:\n" + _tail(self.log_path, offset=self._log_offset)
                )
            time.sleep(0.05)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM by PID, wait, SIGKILL if it does not go. Safe to call twice."""
        proc, self._proc = self._proc, None
        _live_servers.discard(self)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)

    def restart(self, timeout: float = 60) -> SynapseServer:
        """Same data dir, database and port: what a real server restart looks like to a client."""
        self.stop()
        return self.start(timeout)

    def __enter__(self) -> SynapseServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_tail(self, lines: int = 60) -> str:
        """The end of this run's log (for error messages)."""
        return _tail(self.log_path, lines, self._log_offset)

    def _answers_versions(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/_matrix/client/versions", timeout=2) as resp:
                return bool(resp.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    # -- config ------------------------------------------------------------------------------

    def _secrets(self) -> dict[str, str]:
        """Per-data-dir secrets, kept in a file so a restart (even from a new process) matches."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "harness-secrets.json"
        if path.exists():
            return dict(json.loads(path.read_text()))
        values = {
            k: secrets.token_hex(32) for k in ("registration_shared_secret", "macaroon_secret_key", "form_secret")
        }
        path.write_text(json.dumps(values))
        path.chmod(0o600)
        return values

    def config(self) -> dict[str, Any]:
        """The homeserver.yaml content (as a dict) this server runs with."""
        d = self.data_dir
        cfg: dict[str, Any] = {
            "server_name": self.server_name,
            "public_baseurl": f"{self.base_url}/",
            "pid_file": str(d / "homeserver.pid"),
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": self.options.database or {"name": "sqlite3", "args": {"database": str(d / "homeserver.db")}},
            "log_config": str(d / "log.config"),
            "media_store_path": str(d / "media_store"),
            "signing_key_path": str(d / f"{self.server_name}.signing.key"),
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "report_stats": False,
            "enable_metrics": False,
            "enable_registration": True,
            "enable_registration_without_verification": True,
            "bcrypt_rounds": 4,
            "presence": {"enabled": True},
            **self._secrets(),
        }
        if self.options.relaxed_rate_limits:
            cfg.update(copy.deepcopy(SETUP_RATE_LIMITS))
        if self.options.relaxed_presence_limit:
            cfg.update(copy.deepcopy(RELAXED_PRESENCE_LIMIT))
        if self.options.modules:
            cfg["modules"] = copy.deepcopy(self.options.modules)
        return _deep_merge(cfg, self.options.extra_config)

    def _write_config(self) -> None:
        (self.data_dir / "log.config").write_text(LOG_CONFIG)
        self.config_path.write_text(yaml.safe_dump(self.config(), sort_keys=False))
        self.config_path.chmod(0o600)


if __name__ == "__main__":
    from tests.harness.synapse_cli import main

    sys.exit(main())
