"""pytest plugin: real Synapse servers, PostgreSQL, the Secret Service, and unique users.

Loaded from tests/conftest.py (``pytest_plugins = ["tests.harness.fixtures"]``). Nothing here
skips: when a dependency is missing the fixture fails with a message saying what to install,
so CI never goes green by testing nothing.

When a test fails, the logs of every Synapse it used are copied to
``test-output/synapse-logs/<test>/`` and their tails are attached to the report.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness.postgres import PostgresCluster, PostgresUnavailable
from tests.harness.secret_service import SecretServiceSession, SecretServiceUnavailable
from tests.harness.synapse import (
    OVERRIDE_MODULE,
    SYNAPSE_PYTHON_ENV,
    RegisteredUser,
    SynapseOptions,
    SynapseServer,
    SynapseStartError,
    check_module_importable,
)

__all__ = [
    "SynapseFactory",
    "UserFactory",
    "postgres_cluster",
    "secret_service",
    "synapse_factory",
    "synapse_override",
    "synapse_stock",
    "user_factory",
]

LOG_TAIL_LINES = 25


def _start(server: SynapseServer, timeout: float = 60) -> SynapseServer:
    """Start, turning a start failure into a test failure with the log tail (no Python noise)."""
    try:
        return server.start(timeout)
    except SynapseStartError as exc:
        pytest.fail(str(exc), pytrace=False)


class SynapseFactory:
    """``make(options) -> started SynapseServer``; every server is stopped at teardown."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp = tmp_path_factory
        self.servers: list[SynapseServer] = []

    def __call__(
        self,
        options: SynapseOptions | None = None,
        *,
        port: int | None = None,
        name: str = "synapse",
        timeout: float = 60,
    ) -> SynapseServer:
        server = SynapseServer(self._tmp.mktemp(name), port=port, options=options)
        self.servers.append(server)
        return _start(server, timeout)

    make = __call__

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()


class UserFactory:
    """``make(server, prefix="u") -> RegisteredUser`` with a localpart no other test uses."""

    _counter = itertools.count(1)

    def __call__(
        self, server: SynapseServer, prefix: str = "u", *, password: str | None = None, admin: bool = False
    ) -> RegisteredUser:
        localpart = f"{prefix.lower()}-{next(self._counter)}-{secrets.token_hex(3)}"
        return server.register_user(localpart, password or secrets.token_urlsafe(16), admin)

    make = __call__


# -- Synapse ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def synapse_stock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseServer]:
    """Stock Synapse (no module), shared by the whole session. Synapse's default rc_presence
    (per user, so tests with their own users do not spend each other's budget); only the
    setup limits (registration, login, rooms) are relaxed."""
    server = SynapseServer(tmp_path_factory.mktemp("synapse-stock"))
    try:
        yield _start(server)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def synapse_override(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseServer]:
    """Synapse with the MSC4043 module loaded, shared by the whole session.

    Fails (never skips) if the module cannot be imported, so a broken module is a red run.
    """
    error = check_module_importable(OVERRIDE_MODULE)
    if error is not None:
        pytest.fail(
            f"cannot import the Synapse module {OVERRIDE_MODULE} (from server/, on Synapse's PYTHONPATH):\n{error}",
            pytrace=False,
        )
    options = SynapseOptions(modules=[{"module": OVERRIDE_MODULE, "config": {}}])
    server = SynapseServer(tmp_path_factory.mktemp("synapse-override"), options=options)
    try:
        yield _start(server)
    finally:
        server.stop()


@pytest.fixture
def synapse_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseFactory]:
    """Fresh servers for tests that restart, rate-limit or otherwise spoil a shared one."""
    factory = SynapseFactory(tmp_path_factory)
    try:
        yield factory
    finally:
        factory.stop_all()


@pytest.fixture
def user_factory() -> UserFactory:
    return UserFactory()


# -- PostgreSQL and the Secret Service --------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    """One cluster per session; tests call ``create_database(name)`` with their own names."""
    cluster = PostgresCluster(tmp_path_factory.mktemp("postgres"))
    try:
        cluster.start()
    except PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def secret_service() -> Iterator[SecretServiceSession]:
    """A fresh, unlocked login collection per test; DBUS_SESSION_BUS_ADDRESS points at it."""
    session = SecretServiceSession()
    try:
        session.__enter__()
    except SecretServiceUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield session
    finally:
        session.__exit__(None, None, None)


# -- logs of failing tests ---------------------------------------------------------------------


def _servers_used(item: pytest.Item) -> list[SynapseServer]:
    found: list[SynapseServer] = []
    for value in getattr(item, "funcargs", {}).values():
        candidates = value.servers if isinstance(value, SynapseFactory) else [value]
        found += [s for s in candidates if isinstance(s, SynapseServer) and s not in found]
    return found


def _keep_logs(item: pytest.Item, report: pytest.TestReport) -> None:
    servers = [s for s in _servers_used(item) if s.log_path.exists()]
    if not servers:
        return
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid).strip("_")[:150]
    out_dir = Path(item.config.rootpath) / "test-output" / "synapse-logs" / safe
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = []
    for server in servers:
        kept = out_dir / f"{server.data_dir.name}.log"
        shutil.copyfile(server.log_path, kept)
        lines.append(f"{server.base_url}: {kept}\n{server.log_tail(LOG_TAIL_LINES)}")
    report.sections.append(("Synapse logs", "\n\n".join(lines)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    outcome: Any = yield
    report: pytest.TestReport = outcome.get_result()
    if report.failed and report.when in ("setup", "call"):
        try:
            _keep_logs(item, report)
        except OSError as exc:  # never turn a failure report into an internal error
            report.sections.append(("Synapse logs", f"could not keep logs: {exc}"))


def pytest_report_header(config: pytest.Config) -> str | None:
    """Say which Synapse the run uses when it is not the project venv's (the version matrix)."""
    chosen = os.environ.get(SYNAPSE_PYTHON_ENV)
    return f"Synapse runs on {SYNAPSE_PYTHON_ENV}={chosen}" if chosen else None
