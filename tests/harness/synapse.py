"""A real Synapse on loopback, for integration tests and for manual runs (``python -m``).

Why a subprocess and plain urllib: the tests must exercise the same HTTP surface the tray app
and the server module see, without pulling Twisted into the test process or adding a client
dependency to the harness. Facts this relies on are in docs/testing.md ("Facts the harness relies on").
"""

from __future__ import annotations

import argparse
import atexit
import copy
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import weakref
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # PyYAML is a Synapse dependency, so it is always there when Synapse is.

__all__ = [
    "OVERRIDE_MODULE",
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


@dataclass
class RegisteredUser:
    """A logged-in device. Password and token are kept out of ``repr`` so logs never show them."""

    user_id: str
    password: str = field(repr=False)
    access_token: str = field(repr=False)
    device_id: str

    @property
    def localpart(self) -> str:
        return self.user_id[1:].split(":", 1)[0]


class SynapseStartError(RuntimeError):
    """Synapse exited early or never answered /versions; the message carries the log tail."""


class MatrixRequestError(RuntimeError):
    """A helper got a non-2xx answer. ``status``/``body`` are the server's (never the token)."""

    def __init__(self, method: str, path: str, status: int, body: Any) -> None:
        self.method, self.path, self.status, self.body = method, path, status, body
        super().__init__(f"{method} {path} -> {status}: {body}")


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


class SynapseServer:
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

    # -- HTTP --------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        token: str | None = None,
        body: Any = None,
        query: Mapping[str, Any] | None = None,
        timeout: float = 30,
    ) -> tuple[int, Any]:
        """One client-API call. Returns (status, parsed JSON or text); never raises on 4xx/5xx."""
        url = self.base_url + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        text = raw.decode("utf-8", errors="replace")
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def _ok(self, method: str, path: str, **kw: Any) -> Any:
        status, body = self.request(method, path, **kw)
        if not 200 <= status < 300:
            raise MatrixRequestError(method, path, status, body)
        return body

    # -- client helpers ----------------------------------------------------------------------

    def user_id(self, localpart: str) -> str:
        return f"@{localpart}:{self.server_name}"

    def register_user(self, localpart: str, password: str, admin: bool = False) -> RegisteredUser:
        """Shared-secret registration (admin API): no rate limits, no UIA, works with any flow."""
        path = "/_synapse/admin/v1/register"
        nonce = self._ok("GET", path)["nonce"]
        signed = "\x00".join([nonce, localpart, password, "admin" if admin else "notadmin"])
        mac = hmac.new(self._secrets()["registration_shared_secret"].encode(), signed.encode("utf8"), hashlib.sha1)
        body = self._ok(
            "POST",
            path,
            body={
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            },
        )
        return RegisteredUser(body["user_id"], password, body["access_token"], body["device_id"])

    def login(self, user: str, password: str, device_id: str | None = None) -> RegisteredUser:
        """Password login for a new (or the given) device; ``user`` is an MXID or a localpart."""
        req: dict[str, Any] = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user},
            "password": password,
        }
        if device_id is not None:
            req["device_id"] = device_id
        body = self._ok("POST", "/_matrix/client/v3/login", body=req)
        return RegisteredUser(body["user_id"], password, body["access_token"], body["device_id"])

    def logout(self, token: str) -> None:
        self._ok("POST", "/_matrix/client/v3/logout", token=token, body={})

    def create_room(self, token: str, invite: Iterable[str] = (), is_public: bool = False) -> str:
        body: dict[str, Any] = {"invite": list(invite), "preset": "public_chat" if is_public else "private_chat"}
        if is_public:
            body["visibility"] = "public"
        return str(self._ok("POST", "/_matrix/client/v3/createRoom", token=token, body=body)["room_id"])

    def join_room(self, token: str, room_id: str) -> None:
        self._ok("POST", f"/_matrix/client/v3/join/{_q(room_id)}", token=token, body={})

    def send_message(self, token: str, room_id: str, text: str) -> str:
        """Returns the event id."""
        txn = secrets.token_hex(8)
        return str(
            self._ok(
                "PUT",
                f"/_matrix/client/v3/rooms/{_q(room_id)}/send/m.room.message/{txn}",
                token=token,
                body={"msgtype": "m.text", "body": text},
            )["event_id"]
        )

    def sync(
        self,
        token: str,
        since: str | None = None,
        timeout_ms: int = 0,
        set_presence: str | None = None,
        filter: str | Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        if filter is not None and not isinstance(filter, str):
            filter = json.dumps(filter)
        query = {"since": since, "timeout": timeout_ms, "set_presence": set_presence, "filter": filter}
        return dict(
            self._ok("GET", "/_matrix/client/v3/sync", token=token, query=query, timeout=timeout_ms / 1000 + 30)
        )

    def get_presence(self, token: str, user_id: str) -> dict[str, Any]:
        return dict(self._ok("GET", f"/_matrix/client/v3/presence/{_q(user_id)}/status", token=token))

    def set_presence(
        self, token: str, user_id: str, presence: str, status_msg: str | None = None, *, wait_out_429: bool = True
    ) -> tuple[int, Any]:
        """Returns (status, body) rather than raising: tests look at 400s and 429s.

        Synapse's default rc_presence (0.1/s, burst 1) answers a second PUT within 10 s with
        429 and ``retry_after_ms``. Like a real client, this waits that long and sends again
        (a few times at most), so a test's own device never loses its write to the limit.
        ``wait_out_429=False`` returns the first 429 (tests about the limit itself).
        """
        body: dict[str, Any] = {"presence": presence}
        if status_msg is not None:
            body["status_msg"] = status_msg
        path = f"/_matrix/client/v3/presence/{_q(user_id)}/status"
        for _ in range(PRESENCE_429_RETRIES):
            status, answer = self.request("PUT", path, token=token, body=body)
            if status != 429 or not wait_out_429:
                break
            time.sleep(retry_after_seconds(answer))
        return status, answer


# Synapse's default rc_presence.per_user is 0.1/s, burst 1: one presence write per 10 s.
RC_PRESENCE_PERIOD = 10.0

# Waits a 429 on PUT /presence/status at most this many times (each one ~10 s at the default).
PRESENCE_429_RETRIES = 4


def retry_after_seconds(body: Any) -> float:
    """The 429's retry_after_ms plus a margin (Synapse's bucket drains by the clock; a retry
    sent exactly at the edge can still meet the limit), or 10 s (the default's period)."""
    ms = body.get("retry_after_ms") if isinstance(body, dict) else None
    return (ms / 1000 if isinstance(ms, int) and ms >= 0 else 10.0) + 0.2


def _q(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")


# --------------------------------------------------------------------------------------------
# CLI


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m tests.harness.synapse",
        description="Run a throwaway Synapse on 127.0.0.1 until SIGINT/SIGTERM. Prints one JSON "
        "line (base_url, users) once it is ready; never prints secrets.",
    )
    p.add_argument("--data-dir", type=Path, help="keep state here (default: a temp dir, removed)")
    p.add_argument("--port", type=int, help="listen port (default: a free one)")
    p.add_argument(
        "--module",
        action="append",
        default=[],
        metavar="DOTTED.CLASS",
        help=f"load a Synapse module, e.g. {OVERRIDE_MODULE} (repeatable)",
    )
    p.add_argument(
        "--default-rate-limits",
        action="store_true",
        help="keep Synapse's default rc_* limits for setup too (registration, login, "
        "rooms); rc_presence is always the default (0.1/s burst 1)",
    )
    p.add_argument(
        "--user",
        action="append",
        default=[],
        metavar="LOCALPART:PASSWORD",
        help="register this user at start (repeatable)",
    )
    p.add_argument("--postgres", action="store_true", help="run on a throwaway PostgreSQL cluster instead of SQLite")
    args = p.parse_args(argv)
    for spec in args.user:
        if ":" not in spec or not spec.split(":", 1)[0]:
            p.error(f"--user wants LOCALPART:PASSWORD, got {spec.split(':', 1)[0]!r}...")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    stop_requested = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop_requested.set())

    temp_dir = None if args.data_dir else Path(tempfile.mkdtemp(prefix="presence-tray-synapse-"))
    data_dir = args.data_dir or temp_dir
    assert data_dir is not None
    cluster = None
    server: SynapseServer | None = None
    try:
        database = None
        if args.postgres:
            from tests.harness.postgres import PostgresCluster

            cluster = PostgresCluster(data_dir / "postgres")
            cluster.start()
            database = cluster.create_database("synapse")
        options = SynapseOptions(
            relaxed_rate_limits=not args.default_rate_limits,
            modules=[{"module": m, "config": {}} for m in args.module],
            database=database,
        )
        server = SynapseServer(data_dir, port=args.port, options=options)
        server.start()
        users = []
        for spec in args.user:
            localpart, password = spec.split(":", 1)
            user = server.register_user(localpart, password)
            users.append({"user_id": user.user_id})
        print(
            json.dumps(
                {
                    "base_url": server.base_url,
                    "server_name": server.server_name,
                    "pid": server.pid,
                    "log_path": str(server.log_path),
                    "data_dir": str(data_dir),
                    "users": users,
                }
            ),
            flush=True,
        )
        while not stop_requested.wait(0.5):
            if not server.running:
                print(f"Synapse exited unexpectedly; log: {server.log_path}", file=sys.stderr)
                return 1
        return 0
    except (SynapseStartError, MatrixRequestError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
        if cluster is not None:
            cluster.stop()
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
