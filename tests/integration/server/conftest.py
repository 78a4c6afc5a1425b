"""Fixtures for the server module's tests, on top of tests/harness/fixtures.py."""

from __future__ import annotations

import dataclasses
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

# rc_presence relaxed on the module's SHARED servers (here only, tests of the Synapse module):
# these tests are about what the module stores, answers and shows (set/get/clear in every
# spelling, bad bodies, other devices losing to the override); they write many overrides per
# user within seconds, and a relaxed limit lets the other devices' syncs and PUTs through
# every time, which makes "the override wins" harder, not easier. The limit on the override
# path itself is test_api's test_429_from_synapses_presence_rate_limiter, on Synapse's
# default limits; the tray's tests (tests/integration, tests/ui, tests/desktop) all run on
# the defaults.
MODULE_CONTRACT = SynapseOptions(modules=[MODULE_ENTRY], relaxed_presence_limit=True)


def start_or_fail(server: SynapseServer) -> SynapseServer:
    try:
        return server.start()
    except SynapseStartError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def synapse_override(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseServer]:
    """The module on SQLite for the module's own tests (MODULE_CONTRACT says why rc_presence
    is relaxed here); replaces tests/harness/fixtures.py's server in this directory only."""
    server = SynapseServer(tmp_path_factory.mktemp("synapse-override-module"), options=MODULE_CONTRACT)
    try:
        yield start_or_fail(server)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def synapse_override_pg(
    tmp_path_factory: pytest.TempPathFactory, postgres_cluster: PostgresCluster
) -> Iterator[SynapseServer]:
    """Synapse with the module on PostgreSQL, shared by the session's PostgreSQL tests."""
    database = postgres_cluster.create_database("override_shared")
    server = SynapseServer(
        tmp_path_factory.mktemp("synapse-override-pg"), options=dataclasses.replace(MODULE_CONTRACT, database=database)
    )
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
