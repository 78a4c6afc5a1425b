"""MSC4532 on Synapse with the module, across restarts: both kinds of override survive one, a
table from before MSC4532 is upgraded, and an event written while the module was not loaded
takes effect.

The contract these tests hold the module to is written in server/README.md ("MSC4532").
"""

from __future__ import annotations

import secrets
import sqlite3

import pytest

from tests.harness.fixtures import SynapseFactory, UserFactory
from tests.harness.postgres import PostgresCluster
from tests.harness.synapse import RegisteredUser, SynapseOptions
from tests.integration.server.conftest import MODULE_ENTRY
from tests.integration.server.helpers import get_override, put_override, status, stored
from tests.integration.server.msc4532_helpers import (
    ACTIVE,
    IDLE,
    MIRROR,
    get_event,
    put_event,
    put_stable,
    seen_by,
    watched_pair,
)

pytestmark = pytest.mark.integration


def test_both_kinds_survive_a_restart(synapse_factory: SynapseFactory, user_factory: UserFactory) -> None:
    """The table keeps where each override came from: after a restart with no device, the
    MSC4043 one is held and the MSC4532 one is offline (rule 1) until a device syncs."""
    server = synapse_factory(SynapseOptions(modules=[MODULE_ENTRY]), name="restart")
    held, follows = user_factory(server, "rsheld"), user_factory(server, "rsfollows")
    assert put_override(server, held.access_token, held.user_id, "unavailable", status_msg="held")[0] == 200
    put_event(server, follows, {"state_override": IDLE, "status": {"msg": "follows"}})
    server.restart()

    def shown(user: RegisteredUser) -> tuple[str, str | None]:
        seen = status(server, user.access_token, user.user_id)
        return seen["presence"], seen.get("status_msg")

    assert shown(held) == ("unavailable", "held")
    assert shown(follows)[0] == "offline"
    for user, msg in ((held, "held"), (follows, "follows")):
        assert get_override(server, user.access_token, user.user_id) == (200, stored("unavailable", status_msg=msg))
    server.sync(follows.access_token, set_presence="online")
    assert shown(follows) == ("unavailable", "follows")
    assert get_event(server, held) == {"state_override": IDLE, "status": {"msg": "held"}, MIRROR: "unavailable"}


def test_a_table_from_before_msc4532_is_upgraded(synapse_factory: SynapseFactory, user_factory: UserFactory) -> None:
    """A module table without the `source` column (written by the previous release) gains it
    at start, and its rows are MSC4043 overrides."""
    server = synapse_factory(SynapseOptions(), name="upgrade")
    me = user_factory(server, "upgrade")
    server.stop()
    with sqlite3.connect(server.data_dir / "homeserver.db") as db:
        db.execute(
            "CREATE TABLE msc4043_presence_overrides (user_id TEXT NOT NULL PRIMARY KEY,"
            " presence TEXT NOT NULL, status_msg TEXT, last_active_ts BIGINT NOT NULL,"
            " updated_ts BIGINT NOT NULL)"
        )
        db.execute("INSERT INTO msc4043_presence_overrides VALUES (?, 'unavailable', 'old', 0, 0)", (me.user_id,))
    server.options.modules = [MODULE_ENTRY]
    server.start()
    assert get_override(server, me.access_token, me.user_id) == (200, stored("unavailable", status_msg="old"))
    assert status(server, me.access_token, me.user_id)["presence"] == "unavailable"  # held
    assert put_override(server, me.access_token, me.user_id, "offline")[0] == 200
    assert get_event(server, me) == {"state_override": "offline", MIRROR: "offline"}


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_an_event_written_while_the_module_was_not_loaded_takes_effect(
    request: pytest.FixtureRequest,
    database: str,
    synapse_factory: SynapseFactory,
    user_factory: UserFactory,
) -> None:
    """Written on stock Synapse, then the module is installed: the user's first presence
    update after the start applies it, with no new write; the latest event wins. (The
    module reads Synapse's account_data table itself: both databases.)"""
    db_config = None
    if database == "postgres":
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        db_config = cluster.create_database(f"catchup_{secrets.token_hex(4)}")
    server = synapse_factory(SynapseOptions(database=db_config), name=f"catchup-{database}")
    me, device, watcher = watched_pair(server, user_factory, "catchup")
    other, other_device, other_watcher = watched_pair(server, user_factory, "catchupmsg")
    put_event(server, me, {"state_override": ACTIVE, "status": {"msg": "older"}})
    put_stable(server, me, {"state_override": "idle", "status": {"msg": "newest"}})
    put_event(server, other, {"status": {"msg": "only a message"}})
    server.stop()
    server.options.modules = [MODULE_ENTRY]
    server.start()

    server.sync(device.access_token, set_presence="online")
    assert seen_by(server, watcher, me) == ("unavailable", "newest")
    assert get_override(server, me.access_token, me.user_id) == (200, stored("unavailable", status_msg="newest"))
    # ...and the advertised event now says it too.
    assert get_event(server, me) == {"state_override": IDLE, "status": {"msg": "newest"}}

    server.sync(other_device.access_token, set_presence="online")
    assert seen_by(server, other_watcher, other) == ("online", "only a message")
