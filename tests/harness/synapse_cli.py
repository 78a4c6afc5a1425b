"""``python -m tests.harness.synapse``: a throwaway Synapse on 127.0.0.1 until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from tests.harness.synapse import (
    OVERRIDE_MODULE,
    MatrixRequestError,
    SynapseOptions,
    SynapseServer,
    SynapseStartError,
)


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
