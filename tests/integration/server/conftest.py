"""Fixtures for the server module's tests, on top of tests/harness/fixtures.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness.postgres import PostgresCluster
from tests.harness.synapse import (
    OVERRIDE_MODULE,
    SynapseOptions,
    SynapseServer,
    SynapseStartError,
)

MODULE_ENTRY = {"module": OVERRIDE_MODULE, "config": {}}


def start_or_fail(server: SynapseServer) -> SynapseServer:
    try:
        return server.start()
    except SynapseStartError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def synapse_override_pg(tmp_path_factory: pytest.TempPathFactory,
                        postgres_cluster: PostgresCluster) -> Iterator[SynapseServer]:
    """Synapse with the module on PostgreSQL, shared by the session's PostgreSQL tests."""
    database = postgres_cluster.create_database("override_shared")
    server = SynapseServer(tmp_path_factory.mktemp("synapse-override-pg"),
                           options=SynapseOptions(modules=[MODULE_ENTRY], database=database))
    try:
        yield start_or_fail(server)
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def override_server(request: pytest.FixtureRequest) -> SynapseServer:
    """The shared module server on SQLite, then on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("synapse_override")  # type: ignore[no-any-return]
    return request.getfixturevalue("synapse_override_pg")  # type: ignore[no-any-return]
