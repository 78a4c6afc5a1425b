"""MSC4532 on Synapse with the module (issue 10): the override in account data, one source of
truth with MSC4043, and every MSC4043 change pushed to the user's devices through /sync.

The contract these tests hold the module to is written in server/README.md ("MSC4532"). The
push to the other devices and the fight: test_msc4532_sync.py; restarts, an old table and
events written while the module was not loaded: test_msc4532_persistence.py.
"""

from __future__ import annotations

import time

import pytest

from tests.harness.fixtures import SynapseFactory, UserFactory
from tests.harness.synapse import SynapseOptions, SynapseServer
from tests.harness.waiting import assert_stays
from tests.integration.server.conftest import MODULE_ENTRY
from tests.integration.server.helpers import get_override, put_override, status, stored
from tests.integration.server.msc4532_helpers import (
    ACTIVE,
    BUSY,
    FLAG,
    IDLE,
    MIRROR,
    MSC3026_BUSY,
    P,
    get_event,
    get_stable,
    online_device,
    put_event,
    put_stable,
    seen_by,
    watched_pair,
)

pytestmark = pytest.mark.integration


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


# --- the stable identifiers and the status message on its own (server/README.md, "MSC4532")


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
