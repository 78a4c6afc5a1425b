"""The override lives in the module's own table: it survives a restart, on SQLite and PostgreSQL."""

from __future__ import annotations

import secrets

import pytest

from tests.harness.fixtures import SynapseFactory, UserFactory
from tests.harness.postgres import PostgresCluster
from tests.harness.synapse import SynapseOptions
from tests.integration.server.conftest import MODULE_ENTRY
from tests.integration.server.helpers import (
    MSC4042_DISABLED,
    STABLE,
    UNSTABLE,
    get_override,
    presence_events_for,
    put_override,
    status,
    stored,
)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_override_survives_restart(
    request: pytest.FixtureRequest, database: str, synapse_factory: SynapseFactory, user_factory: UserFactory
) -> None:
    db_config = None
    if database == "postgres":
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        db_config = cluster.create_database(f"restart_{secrets.token_hex(4)}")
    server = synapse_factory(
        SynapseOptions(modules=[MODULE_ENTRY], database=db_config), name=f"synapse-restart-{database}"
    )

    alice = user_factory(server, "alice")
    alice_phone = server.login(alice.user_id, alice.password)
    bob = user_factory(server, "bob")
    carol = user_factory(server, "carol")
    watcher = user_factory(server, "watcher")
    room = server.create_room(alice.access_token, invite=[watcher.user_id, bob.user_id, carol.user_id])
    for user in (watcher, bob, carol):
        server.join_room(user.access_token, room)

    assert put_override(server, alice.access_token, alice.user_id, "unavailable", STABLE, status_msg="on holiday") == (
        200,
        stored("unavailable", status_msg="on holiday"),
    )
    assert put_override(server, bob.access_token, bob.user_id, MSC4042_DISABLED, UNSTABLE) == (
        200,
        stored(MSC4042_DISABLED, UNSTABLE),
    )
    assert put_override(server, carol.access_token, carol.user_id, "offline") == (200, stored("offline"))
    assert put_override(server, carol.access_token, carol.user_id, "") == (200, stored(""))

    server.restart()

    assert get_override(server, alice.access_token, alice.user_id, STABLE) == (
        200,
        {"presence_override": "unavailable", "status_msg": "on holiday"},
    )
    assert get_override(server, alice.access_token, alice.user_id, UNSTABLE) == (
        200,
        {"presence_override": "unavailable", "status_msg": "on holiday"},
    )
    assert get_override(server, bob.access_token, bob.user_id, STABLE) == (200, {"presence_override": "disabled"})
    assert get_override(server, bob.access_token, bob.user_id, UNSTABLE) == (
        200,
        {"presence_override": MSC4042_DISABLED},
    )
    assert get_override(server, carol.access_token, carol.user_id) == (200, {"presence_override": ""})

    # Still enforced after the restart: a device pushing online changes nothing.
    watcher_since = server.sync(watcher.access_token)["next_batch"]
    for _ in range(3):
        server.sync(alice_phone.access_token, set_presence="online")
        assert server.set_presence(alice_phone.access_token, alice.user_id, "online")[0] == 200
        server.send_message(alice_phone.access_token, room, "back?")
        server.sync(bob.access_token, set_presence="online")
    seen = status(server, watcher.access_token, alice.user_id)
    assert (seen["presence"], seen.get("status_msg")) == ("unavailable", "on holiday"), seen
    assert status(server, watcher.access_token, bob.user_id)["presence"] == "offline"
    later = server.sync(watcher.access_token, since=watcher_since)
    assert presence_events_for(later, alice.user_id) == []
    assert presence_events_for(later, bob.user_id) == []

    # Clearing after the restart hands presence back to the (active) devices at once.
    assert put_override(server, alice.access_token, alice.user_id, "") == (200, stored(""))
    assert status(server, watcher.access_token, alice.user_id)["presence"] == "online"
    assert put_override(server, bob.access_token, bob.user_id, "", UNSTABLE) == (200, stored(""))
    assert status(server, watcher.access_token, bob.user_id)["presence"] == "online"

    # And a cleared override stays cleared across the next restart.
    server.restart()
    assert get_override(server, alice.access_token, alice.user_id) == (200, {"presence_override": ""})
    assert get_override(server, bob.access_token, bob.user_id, UNSTABLE) == (200, {"presence_override": ""})
