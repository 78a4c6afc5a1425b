"""A throwaway PostgreSQL cluster on loopback, for running Synapse (and the module) on PostgreSQL.

Why it looks the way it does (docs/testing.md, "Facts the harness relies on"):
- ``initdb`` and ``postgres`` refuse to run as root, so when we are root the server tools run as
  the ``postgres`` user (``runuser -u postgres --``) on a directory that user owns.
- pytest's temp dirs are ``0700 root``, which the ``postgres`` user cannot enter, so the cluster
  lives in its own ``mkdtemp`` directory; its server log is copied to ``base_dir`` on ``stop()``
  so it can still be read after a failure.
- Synapse refuses a database that is not UTF8 with ``C`` collation, hence the ``createdb`` flags.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["PostgresCluster", "PostgresUnavailable", "find_bindir"]

DEBIAN_PACKAGE = "postgresql"
ROLE = "synapse"
_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server binaries are not installed (or the cluster could not be run)."""


def find_bindir() -> Path:
    """The newest ``/usr/lib/postgresql/*/bin`` with initdb, or ``$PRESENCE_TRAY_PG_BINDIR``."""
    override = os.environ.get("PRESENCE_TRAY_PG_BINDIR")
    candidates = [Path(override)] if override else []
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else -1,
        reverse=True,
    )
    candidates += versions
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin. "
        f"Install the Debian package '{DEBIAN_PACKAGE}' (apt-get install {DEBIAN_PACKAGE}), "
        "or point PRESENCE_TRAY_PG_BINDIR at a directory holding initdb and pg_ctl."
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresCluster:
    """One private PostgreSQL server: ``start()``, ``create_database(name)``, ``stop()``.

    Listens on 127.0.0.1 only (port chosen at ``start()``), with its unix socket in its own
    temp dir. Local socket connections are ``trust`` (that is how the harness administers it);
    TCP needs the password of the ``synapse`` role, which only ends up in Synapse's config.
    """

    def __init__(self, base_dir: Path | None = None) -> None:
        self.base_dir = Path(base_dir) if base_dir is not None else None
        self.bindir: Path | None = None
        self.root: Path | None = None
        self.port: int | None = None
        self.host = "127.0.0.1"
        self.user = ROLE
        self._password = secrets.token_urlsafe(24)
        self._databases: list[str] = []

    # -- paths -------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self._root() / "data"

    @property
    def socket_dir(self) -> Path:
        return self._root() / "sock"

    @property
    def log_path(self) -> Path:
        """The server log while running; after ``stop()`` the copy in ``base_dir`` (if any)."""
        if self.root is None and self.base_dir is not None:
            return self.base_dir / "postgres.log"
        return self._root() / "postgres.log"

    @property
    def running(self) -> bool:
        return self.root is not None and (self.data_dir / "postmaster.pid").exists()

    def _root(self) -> Path:
        if self.root is None:
            raise RuntimeError("PostgresCluster is not started")
        return self.root

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """initdb + pg_ctl start; raises PostgresUnavailable with the log on failure."""
        if self.root is not None:
            return
        self.bindir = find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="presence-tray-pg-"))
        try:
            self.socket_dir.mkdir()
            self._chown_to_server_user(self.root, self.socket_dir)
            self.port = _free_port()
            self._server_tool(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            )
            # Appended settings win over initdb's. Durability is irrelevant for a throwaway cluster.
            with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
                conf.write(
                    "\n# presence-tray test harness\n"
                    "listen_addresses = '127.0.0.1'\n"
                    f"port = {self.port}\n"
                    f"unix_socket_directories = '{self.socket_dir}'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "max_connections = 50\n"
                )
            self._server_tool(
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_path),
                "-w",
                "-t",
                "30",
                "start",
            )
            self._psql(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{self._password}'")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """pg_ctl stop (fast, then immediate), keep the log in ``base_dir``, remove the cluster."""
        if self.root is None:
            return
        root, self._databases = self.root, []
        try:
            if (self.data_dir / "postmaster.pid").exists():
                for mode in ("fast", "immediate"):
                    try:
                        self._server_tool(
                            "pg_ctl",
                            "-D",
                            str(self.data_dir),
                            "-m",
                            mode,
                            "-w",
                            "-t",
                            "20",
                            "stop",
                        )
                        break
                    except PostgresUnavailable:
                        continue
            if self.base_dir is not None and (root / "postgres.log").exists():
                self.base_dir.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / "postgres.log", self.base_dir / "postgres.log")
        finally:
            self.root = None
            shutil.rmtree(root, ignore_errors=True)

    def __enter__(self) -> PostgresCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- databases ---------------------------------------------------------------------------

    def create_database(self, name: str) -> dict[str, Any]:
        """Create a Synapse-ready database; return Synapse's ``database:`` config section for it."""
        if not _DB_NAME.match(name):
            raise ValueError(f"database name must match {_DB_NAME.pattern}: {name!r}")
        self._client_tool(
            "createdb",
            "--owner",
            ROLE,
            "--template=template0",
            "--encoding=UTF8",
            "--lc-collate=C",
            "--lc-ctype=C",
            name,
        )
        self._databases.append(name)
        return self.database_config(name)

    def database_config(self, name: str) -> dict[str, Any]:
        """Synapse's ``database:`` section for an existing database of this cluster."""
        return {
            "name": "psycopg2",
            "args": {
                "user": ROLE,
                "password": self._password,
                "host": self.host,
                "port": self.port,
                "database": name,
                "cp_min": 1,
                "cp_max": 5,
            },
        }

    # -- helpers -----------------------------------------------------------------------------

    def _psql(self, sql: str) -> str:
        return self._client_tool("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql)

    def _client_tool(self, tool: str, *args: str) -> str:
        """Client tools connect over the unix socket as ``postgres`` (trust), from any OS user."""
        assert self.bindir is not None and self.port is not None
        cmd = [str(self.bindir / tool), "-h", str(self.socket_dir), "-p", str(self.port), "-U", "postgres", *args]
        return self._run(cmd, tool)

    def _server_tool(self, tool: str, *args: str) -> str:
        assert self.bindir is not None
        cmd = [str(self.bindir / tool), *args]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return self._run(cmd, tool)

    def _run(self, cmd: list[str], what: str) -> str:
        # Ambient PG* variables (PGHOST, PGPASSWORD, ...) must not redirect the tools elsewhere.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        proc = subprocess.run(cmd, cwd=self.root, env=env, capture_output=True, text=True, timeout=120, check=False)
        if proc.returncode != 0:
            log = ""
            if self.root is not None and (self.root / "postgres.log").exists():
                log = "\n--- postgres.log (tail) ---\n" + _tail(self.root / "postgres.log")
            raise PostgresUnavailable(
                f"{what} failed (exit {proc.returncode}): {proc.stderr.strip() or proc.stdout}{log}"
            )
        return proc.stdout

    @staticmethod
    def _chown_to_server_user(*paths: Path) -> None:
        """When root, hand the cluster dir to ``postgres`` (initdb refuses to run as root)."""
        if os.geteuid() != 0:
            return
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable(
                "running as root but there is no 'postgres' user to run the server as; "
                f"install the Debian package '{DEBIAN_PACKAGE}', which creates it"
            ) from None
        for path in paths:
            os.chown(path, pw.pw_uid, pw.pw_gid)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(cannot read {path}: {exc})"
