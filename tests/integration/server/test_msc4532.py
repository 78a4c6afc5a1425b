"""MSC4532 on Synapse with the module (issue 10): the override in account data, one source of
truth with MSC4043, and every MSC4043 change pushed to the user's devices through /sync.

The contract these tests hold the module to is written in server/README.md ("MSC4532").
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from typing import Any

import pytest

from tests.harness.fixtures import SynapseFactory, UserFactory
from tests.harness.postgres import PostgresCluster
from tests.harness.synapse import RegisteredUser, SynapseOptions, SynapseServer
from tests.harness.waiting import assert_stays, wait_for
from tests.integration.server.conftest import MODULE_ENTRY
from tests.integration.server.fight import Tally, run_fighter, run_reader, run_watcher
from tests.integration.server.helpers import (
    get_override,
    presence_events_for,
    put_override,
    q,
    status,
    stored,
)

pytestmark = pytest.mark.integration

FLAG = "org.continuwuity.presence_v2.msc4532"
EVENT = "org.continuwuity.presence_v2.msc4532.presence.persistent"
P = "org.continuwuity.presence_v2.msc4532."
ACTIVE, IDLE, BUSY = P + "active", P + "idle", P + "busy"
MIRROR = "org.presence_tray.msc4043_override"
MSC3026_BUSY = "org.matrix.msc3026.busy"
# Only the event, nothing else: what a client's incremental /sync filter admits.
ONLY_THE_EVENT = {
    "account_data": {"types": [EVENT]},
    "presence": {"types": []},
    "room": {"rooms": []},
}
FIGHT_SECONDS = 5.0
FIGHT_MIN_READS = 500


def event_path(user_id: str) -> str:
    return f"/_matrix/client/v3/user/{q(user_id)}/account_data/{q(EVENT)}"


def put_event(server: SynapseServer, user: RegisteredUser, content: dict[str, Any]) -> None:
    code, body = server.request("PUT", event_path(user.user_id), token=user.access_token, body=content)
    assert code == 200, (code, body)


def get_event(server: SynapseServer, user: RegisteredUser) -> dict[str, Any] | None:
    code, body = server.request("GET", event_path(user.user_id), token=user.access_token)
    if code == 404:
        return None
    assert code == 200, (code, body)
    return dict(body)


def events_in(sync_body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["content"] for e in sync_body.get("account_data", {}).get("events", []) if e.get("type") == EVENT]


def online_device(server: SynapseServer, user: RegisteredUser) -> RegisteredUser:
    """A second device of the user, connected (synced with set_presence=online)."""
    device = server.login(user.user_id, user.password)
    server.sync(device.access_token, set_presence="online")
    return device


def test_versions_advertises_msc4532(synapse_override: SynapseServer) -> None:
    code, body = synapse_override.request("GET", "/_matrix/client/versions")
    assert code == 200
    assert body["unstable_features"].get(FLAG) is True, body["unstable_features"]


def test_set_clear_busy_and_status_through_account_data(
    synapse_override: SynapseServer,
    user_factory: UserFactory,
) -> None:
    server = synapse_override
    me = user_factory(server, "ad")
    online_device(server, me)
    watcher = user_factory(server, "adw")
    room_id = server.create_room(me.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room_id)
    assert status(server, watcher.access_token, me.user_id)["presence"] == "online"

    # MSC3026 is off on this server: busy shows as unavailable (the README's choice).
    for value, shown, mapped in (
        (IDLE, "unavailable", "unavailable"),
        ("offline", "offline", "offline"),
        (BUSY, "unavailable", "busy"),
        (ACTIVE, "online", "online"),
    ):
        put_event(server, me, {"state_override": value, "status": {"msg": f"via {value}"}})
        seen = status(server, watcher.access_token, me.user_id)
        assert (seen["presence"], seen.get("status_msg")) == (shown, f"via {value}"), value
        assert get_override(server, me.access_token, me.user_id) == (200, stored(mapped, status_msg=f"via {value}"))

    # Pin it to idle, then clear it by removing the key: the device's own online is back.
    put_event(server, me, {"state_override": IDLE})
    assert status(server, watcher.access_token, me.user_id)["presence"] == "unavailable"
    server.sync(server.login(me.user_id, me.password).access_token, set_presence="online")
    assert status(server, watcher.access_token, me.user_id)["presence"] == "unavailable"
    put_event(server, me, {"status": {"msg": "kept, but no override"}})
    assert status(server, watcher.access_token, me.user_id)["presence"] == "online"
    # No override; the message on its own comes with the MSC4043 reading too.
    assert get_override(server, me.access_token, me.user_id) == (
        200,
        {**stored(""), "status_msg": "kept, but no override"},
    )

    # A value the module does not know counts as unset, never as an error.
    put_event(server, me, {"state_override": IDLE})
    put_event(server, me, {"state_override": P + "napping"})
    assert status(server, watcher.access_token, me.user_id)["presence"] == "online"
    assert get_override(server, me.access_token, me.user_id) == (200, stored(""))


def test_busy_is_msc3026_busy_where_enabled(synapse_factory: SynapseFactory, user_factory: UserFactory) -> None:
    server = synapse_factory(
        SynapseOptions(modules=[MODULE_ENTRY], extra_config={"experimental_features": {"msc3026_enabled": True}}),
        name="busy",
    )
    me = user_factory(server, "busy")
    device = online_device(server, me)
    put_event(server, me, {"state_override": BUSY})
    assert status(server, me.access_token, me.user_id)["presence"] == MSC3026_BUSY
    server.sync(device.access_token, set_presence="online")
    assert status(server, me.access_token, me.user_id)["presence"] == MSC3026_BUSY
    assert get_override(server, me.access_token, me.user_id) == (200, stored("busy"))
    # Through MSC4043 too, and clearing does not leave the syncing device stuck on busy.
    assert put_override(server, me.access_token, me.user_id, "") == (200, stored(""))
    assert status(server, me.access_token, me.user_id)["presence"] == "online"
    server.sync(device.access_token, set_presence="online")
    assert status(server, me.access_token, me.user_id)["presence"] == "online"
    assert put_override(server, me.access_token, me.user_id, "busy") == (200, stored("busy"))
    assert get_event(server, me)["state_override"] == BUSY  # type: ignore[index]
    assert status(server, me.access_token, me.user_id)["presence"] == MSC3026_BUSY


def test_account_data_override_goes_offline_when_every_device_stops(
    synapse_factory: SynapseFactory,
    user_factory: UserFactory,
) -> None:
    # Devices count as gone 2 s after their last /sync (Synapse's default: 30 s).
    server = synapse_factory(
        SynapseOptions(
            modules=[MODULE_ENTRY], extra_config={"presence": {"enabled": True, "sync_online_timeout": "2s"}}
        ),
        name="rule1",
    )
    me = user_factory(server, "rule1")
    devices = [online_device(server, me) for _ in range(2)]
    put_event(server, me, {"state_override": ACTIVE, "status": {"msg": "around"}})
    seen = status(server, me.access_token, me.user_id)
    assert (seen["presence"], seen.get("status_msg")) == ("online", "around")

    # MSC4532 rule 1: once no device is connected the user is offline, override or not.
    started = time.monotonic()
    while status(server, me.access_token, me.user_id)["presence"] != "offline":
        assert time.monotonic() - started < 60, "never offline after every device stopped"
        time.sleep(0.5)
    took = time.monotonic() - started
    # The override is kept (it is persistent) and applies again when a device comes back.
    assert get_override(server, me.access_token, me.user_id) == (200, stored("online", status_msg="around"))
    server.sync(devices[0].access_token, set_presence="unavailable")
    assert status(server, me.access_token, me.user_id)["presence"] == "online"

    # An MSC4043 override is held whatever the devices do (MSC4043's own meaning): it still
    # shows after the device has gone, which the account-data override then proves.
    assert put_override(server, me.access_token, me.user_id, "unavailable")[0] == 200
    assert_stays(
        lambda: status(server, me.access_token, me.user_id)["presence"] == "unavailable",
        2 * took + 3,
        "the MSC4043 override shown while the device goes",
        show=lambda: status(server, me.access_token, me.user_id),
        interval=0.5,
    )
    put_event(server, me, {"state_override": IDLE})
    assert status(server, me.access_token, me.user_id)["presence"] == "offline"


def test_both_apis_agree_and_unknown_keys_are_kept(synapse_override: SynapseServer, user_factory: UserFactory) -> None:
    server = synapse_override
    me = user_factory(server, "agree")
    online_device(server, me)
    put_event(server, me, {"status": {"msg": "old", "org.example.colour": "teal"}, "org.example.other": [1, 2]})

    # MSC4043 PUT -> account data (read-modify-write; unknown keys kept).
    for value, mapped in (("online", ACTIVE), ("unavailable", IDLE), ("busy", BUSY), ("offline", "offline")):
        assert put_override(server, me.access_token, me.user_id, value, status_msg="hi")[0] == 200
        assert get_event(server, me) == {
            "state_override": mapped,
            "status": {"msg": "hi", "org.example.colour": "teal"},
            "org.example.other": [1, 2],
            MIRROR: value,
        }
    assert put_override(server, me.access_token, me.user_id, "disabled")[0] == 200
    assert get_event(server, me) == {
        "status": {"org.example.colour": "teal"},
        "org.example.other": [1, 2],
        MIRROR: "disabled",
    }
    assert get_override(server, me.access_token, me.user_id) == (200, stored("disabled"))
    assert put_override(server, me.access_token, me.user_id, "") == (200, stored(""))
    assert get_event(server, me) == {"status": {"org.example.colour": "teal"}, "org.example.other": [1, 2]}

    # Account data -> MSC4043 GET, also when a client edits the mirrored event.
    put_event(server, me, {"state_override": IDLE, "status": {"msg": "away"}})
    assert get_override(server, me.access_token, me.user_id) == (200, stored("unavailable", status_msg="away"))
    assert put_override(server, me.access_token, me.user_id, "disabled")[0] == 200
    edited = {**get_event(server, me), "state_override": ACTIVE}  # type: ignore[dict-item]
    put_event(server, me, edited)  # keeps the stale mirror key: the client's value wins
    assert get_override(server, me.access_token, me.user_id) == (200, stored("online"))
    assert status(server, me.access_token, me.user_id)["presence"] == "online"
    put_event(server, me, {MIRROR: "disabled"})  # a consistent mirror: MSC4043's disabled
    assert get_override(server, me.access_token, me.user_id) == (200, stored("disabled"))
    assert status(server, me.access_token, me.user_id)["presence"] == "offline"


def _sync_logged(server: SynapseServer, log_from: int, device: RegisteredUser, since: str) -> bool:
    """Synapse's sync servlet logged (DEBUG, tests/harness/synapse.py) a long poll of `device`
    from `since` after byte `log_from` of its log."""
    with open(server.log_path, "rb") as log:
        log.seek(log_from)
        text = log.read().decode(errors="replace")
    return any(
        "/sync: " in line and f"since={since!r}" in line and f"device_id={device.device_id!r}" in line
        for line in text.splitlines()
    )


def test_msc4043_change_wakes_the_other_devices_sync(
    synapse_override: SynapseServer, user_factory: UserFactory
) -> None:
    server = synapse_override
    me = user_factory(server, "push")
    other = server.login(me.user_id, me.password)
    since = server.sync(other.access_token, filter=ONLY_THE_EVENT)["next_batch"]

    for value, mapped in (("unavailable", IDLE), ("disabled", None), ("", None)):
        answers: list[dict[str, Any]] = []
        waiting = threading.Thread(
            target=lambda s=since: answers.append(
                server.sync(other.access_token, since=s, timeout_ms=60_000, filter=ONLY_THE_EVENT)
            )
        )
        log_from = server.log_path.stat().st_size
        waiting.start()
        # The change comes once the long poll is in the server's hands (its servlet logged it):
        # a poll that only arrived after the change would return at once and prove no wake-up.
        wait_for(lambda s=since: _sync_logged(server, log_from, other, s), 30, "the long poll to reach the server")
        assert put_override(server, me.access_token, me.user_id, value)[0] == 200
        waiting.join(90)
        assert answers, "the long-poll /sync did not return"
        # That one wake-up carries the change (a timed-out poll would carry nothing).
        changes = events_in(answers[0])
        assert len(changes) == 1, answers[0]
        assert changes[0].get("state_override") == mapped
        assert changes[0].get(MIRROR) == (value or None)
        since = answers[0]["next_batch"]

    # No echo: the module's callback recognised its own writes and wrote nothing more.
    quiet = server.sync(other.access_token, since=since, timeout_ms=1000, filter=ONLY_THE_EVENT)
    assert events_in(quiet) == []


def test_account_data_override_wins_the_fight(synapse_override: SynapseServer, user_factory: UserFactory) -> None:
    """As the MSC4043 fight test, shorter: two devices push online, the event says idle."""
    server = synapse_override
    subject = user_factory(server, "adfight")
    me = subject.user_id
    devices = [server.login(me, subject.password) for _ in range(2)]
    watcher = user_factory(server, "adfightw")
    room_id = server.create_room(subject.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room_id)
    since = [server.sync(d.access_token, set_presence="online")["next_batch"] for d in devices]
    assert status(server, watcher.access_token, me)["presence"] == "online"

    put_event(server, subject, {"state_override": IDLE, "status": {"msg": "deep work"}})
    expected, msg = "unavailable", "deep work"
    initial = server.sync(watcher.access_token)
    tally = Tally()
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=run_fighter, args=(server, devices[0], since[0], me, room_id, expected, msg, False, stop, tally)
        ),
        threading.Thread(
            target=run_fighter, args=(server, devices[1], since[1], me, room_id, expected, msg, True, stop, tally)
        ),
        threading.Thread(
            target=run_watcher, args=(server, watcher, initial["next_batch"], me, expected, msg, stop, tally)
        ),
        threading.Thread(
            target=run_reader, args=(server, watcher.access_token, me, expected, msg, False, stop, tally, "watcher")
        ),
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    try:
        while not tally.errors:
            time.sleep(0.2)
            elapsed = time.monotonic() - started
            if (elapsed >= FIGHT_SECONDS and tally.reads >= FIGHT_MIN_READS) or elapsed > 30:
                break
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    summary = (
        f"{tally.reads} reads, {tally.syncs} syncs online, {tally.status_puts} PUT "
        f"/status, {tally.watcher_syncs} watcher syncs, "
        f"{tally.watcher_presence_events} watcher presence events"
    )
    print(summary)
    assert not tally.errors, tally.errors
    assert tally.violations == [], summary
    assert tally.reads >= FIGHT_MIN_READS and tally.syncs >= 20, summary
    assert tally.status_puts >= 10 and tally.watcher_saw_messages >= 10, summary
    assert tally.watcher_presence_events == 0, summary

    # Removing the override hands presence back to the devices at once.
    put_event(server, subject, {"status": {"msg": "deep work"}})
    assert status(server, watcher.access_token, me)["presence"] == "online"
    assert [
        c.get("presence")
        for c in presence_events_for(server.sync(watcher.access_token, since=tally.watcher_since, timeout_ms=5000), me)
    ] == ["online"]


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


# --- the stable identifiers, the status message on its own, and events written while the
# --- module was not loaded (server/README.md, "MSC4532")

STABLE_EVENT = "m.presence.persistent"


def put_stable(server: SynapseServer, user: RegisteredUser, content: dict[str, Any]) -> None:
    path = f"/_matrix/client/v3/user/{q(user.user_id)}/account_data/{q(STABLE_EVENT)}"
    code, body = server.request("PUT", path, token=user.access_token, body=content)
    assert code == 200, (code, body)


def get_stable(server: SynapseServer, user: RegisteredUser) -> dict[str, Any] | None:
    path = f"/_matrix/client/v3/user/{q(user.user_id)}/account_data/{q(STABLE_EVENT)}"
    code, body = server.request("GET", path, token=user.access_token)
    if code == 404:
        return None
    assert code == 200, (code, body)
    return dict(body)


def watched_pair(
    server: SynapseServer, user_factory: UserFactory, name: str
) -> tuple[RegisteredUser, RegisteredUser, RegisteredUser]:
    """A user with a connected device, and a room-mate who reads their presence."""
    me = user_factory(server, name)
    device = online_device(server, me)
    watcher = user_factory(server, name + "w")
    room_id = server.create_room(me.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room_id)
    return me, device, watcher


def seen_by(server: SynapseServer, watcher: RegisteredUser, user: RegisteredUser) -> tuple[str, str | None]:
    seen = status(server, watcher.access_token, user.user_id)
    return seen["presence"], seen.get("status_msg")


def test_the_stable_event_is_applied_and_kept_in_step(
    synapse_override: SynapseServer, user_factory: UserFactory
) -> None:
    server = synapse_override
    code, body = server.request("GET", "/_matrix/client/versions")
    # Only the unstable flag: MSC4532 is not through FCP (its text: `.stable` after it).
    assert code == 200 and FLAG + ".stable" not in body["unstable_features"]
    me, _device, watcher = watched_pair(server, user_factory, "stable")

    put_stable(server, me, {"state_override": "idle", "status": {"msg": "stable"}, "org.example.k": 1})
    assert seen_by(server, watcher, me) == ("unavailable", "stable")
    assert get_override(server, me.access_token, me.user_id) == (200, stored("unavailable", status_msg="stable"))
    # The advertised (unstable) event follows, so clients watching it see the change.
    assert get_event(server, me) == {"state_override": IDLE, "status": {"msg": "stable"}}
    assert get_stable(server, me) == {"state_override": "idle", "status": {"msg": "stable"}, "org.example.k": 1}

    # Stable values only in the stable event: a prefixed one there is unknown (unset).
    put_stable(server, me, {"state_override": BUSY})
    assert seen_by(server, watcher, me) == ("online", None)
    assert get_override(server, me.access_token, me.user_id) == (200, stored(""))
    put_stable(server, me, {"state_override": "busy"})
    assert seen_by(server, watcher, me) == ("unavailable", None)

    # MSC4043 PUT: both events say it, each in its own spelling.
    assert put_override(server, me.access_token, me.user_id, "online", status_msg="put")[0] == 200
    assert get_stable(server, me) == {"state_override": "active", "status": {"msg": "put"}, MIRROR: "online"}
    assert get_event(server, me) == {"state_override": ACTIVE, "status": {"msg": "put"}, MIRROR: "online"}
    # The latest write wins, whichever event it went to.
    put_event(server, me, {"state_override": "offline"})
    assert seen_by(server, watcher, me) == ("offline", None)
    assert get_stable(server, me) == {"state_override": "offline", "status": {}}
    put_stable(server, me, {})
    assert seen_by(server, watcher, me) == ("online", None)
    assert get_event(server, me) == {}
    assert get_override(server, me.access_token, me.user_id) == (200, stored(""))


def test_a_status_message_without_an_override_is_applied(
    synapse_override: SynapseServer, user_factory: UserFactory
) -> None:
    server = synapse_override
    me, device, watcher = watched_pair(server, user_factory, "msgonly")
    assert seen_by(server, watcher, me) == ("online", None)

    put_event(server, me, {"status": {"msg": "at lunch"}})
    assert seen_by(server, watcher, me) == ("online", "at lunch")
    # No override: MSC4043 reads none (with the message on its own), and presence still
    # follows the devices.
    assert get_override(server, me.access_token, me.user_id) == (200, {**stored(""), "status_msg": "at lunch"})
    assert server.set_presence(device.access_token, me.user_id, "unavailable", status_msg="from a device") is not None
    # The account data is where the message lives (MSC4532): a device's own is replaced.
    assert seen_by(server, watcher, me) == ("unavailable", "at lunch")
    server.sync(device.access_token, set_presence="online")
    assert seen_by(server, watcher, me) == ("online", "at lunch")

    # An override brings its own message (none here), and leaving it brings this one back.
    put_event(server, me, {"state_override": IDLE})
    assert seen_by(server, watcher, me) == ("unavailable", None)
    put_event(server, me, {"status": {"msg": "back"}})
    assert seen_by(server, watcher, me) == ("online", "back")
    # Removing the message removes it (not restored to a device's older one).
    put_event(server, me, {"status": {}})
    assert seen_by(server, watcher, me) == ("online", None)

    # MSC4043: a clear takes the message with it, in presence and in the event.
    put_event(server, me, {"status": {"msg": "again"}, "org.example.k": 1})
    assert seen_by(server, watcher, me) == ("online", "again")
    assert put_override(server, me.access_token, me.user_id, "") == (200, stored(""))
    assert seen_by(server, watcher, me) == ("online", None)
    assert get_event(server, me) == {"status": {}, "org.example.k": 1}


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
