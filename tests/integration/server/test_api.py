"""MSC4043 endpoints on a real Synapse: discovery, set/get/clear on both paths, every error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness.fixtures import SynapseFactory, UserFactory
from tests.harness.synapse import SynapseOptions, SynapseServer
from tests.integration.server.conftest import MODULE_ENTRY
from tests.integration.server.helpers import (
    FEATURE_FLAG,
    MSC4042_DISABLED,
    PREFIXES,
    STABLE,
    STATUS_MSG_FLAG,
    UNSTABLE,
    KeepAliveClient,
    get_override,
    override_path,
    presence_events_for,
    put_override,
    status,
    stored,
)

pytestmark = pytest.mark.integration

BOTH_PATHS = pytest.mark.parametrize("prefix", [STABLE, UNSTABLE], ids=["stable", "unstable"])


def _errcode(answer: tuple[int, Any]) -> tuple[int, str | None]:
    code, body = answer
    return code, body.get("errcode") if isinstance(body, dict) else None


# -- discovery ------------------------------------------------------------------------------


def test_versions_advertises_the_override_and_status_msg(
    override_server: SynapseServer, user_factory: UserFactory
) -> None:
    code, body = override_server.request("GET", "/_matrix/client/versions")
    assert code == 200
    features = body["unstable_features"]
    assert features.get(FEATURE_FLAG) is True
    assert features.get(STATUS_MSG_FLAG) is True
    assert features.get(STATUS_MSG_FLAG + "_alone") is True
    # Synapse's own flags are still there (we add to the answer, we don't replace it).
    assert len(features) > 2
    # Authenticated /versions goes another way through Synapse's servlet: same flags.
    user = user_factory(override_server, "versions")
    code, body = override_server.request("GET", "/_matrix/client/versions", token=user.access_token)
    assert code == 200 and body["unstable_features"].get(FEATURE_FLAG) is True


# -- set / get / clear ----------------------------------------------------------------------


def test_a_clear_carrying_a_message_keeps_it_on_its_own(
    override_server: SynapseServer, user_factory: UserFactory
) -> None:
    """`status_msg_alone`: a clear with a `status_msg` ends the override and keeps that message
    on its own (GET answers it); the devices decide presence again; a clear without one removes
    it."""
    server = override_server
    user = user_factory(server, "alone")
    other_device = server.login(user.user_id, user.password)
    watcher = user_factory(server, "alone-watcher")
    room = server.create_room(user.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room)
    me, token = user.user_id, user.access_token
    server.sync(other_device.access_token, set_presence="online")

    assert put_override(server, token, me, "unavailable", status_msg="lunch") == (
        200,
        stored("unavailable", status_msg="lunch"),
    )
    assert put_override(server, token, me, "", status_msg="lunch") == (
        200,
        {"presence_override": "", "status_msg": "lunch"},
    )
    assert get_override(server, token, me) == (200, {"presence_override": "", "status_msg": "lunch"})
    seen = status(server, watcher.access_token, me)
    assert (seen["presence"], seen.get("status_msg")) == ("online", "lunch")
    # Another device's presence PUT without a message leaves it (the user's own message).
    server.set_presence(other_device.access_token, me, "unavailable")
    seen = status(server, watcher.access_token, me)
    assert (seen["presence"], seen.get("status_msg")) == ("unavailable", "lunch")

    assert put_override(server, token, me, "") == (200, stored(""))
    assert get_override(server, token, me) == (200, stored(""))
    assert not status(server, watcher.access_token, me).get("status_msg")


@pytest.mark.parametrize("path_name", ["stable", "unstable"])
def test_set_get_clear(override_server: SynapseServer, user_factory: UserFactory, path_name: str) -> None:
    server = override_server
    prefix = PREFIXES[path_name]
    user = user_factory(server, f"sgc-{path_name}")
    other_device = server.login(user.user_id, user.password)
    watcher = user_factory(server, "sgc-watcher")
    room = server.create_room(user.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room)
    me, token = user.user_id, user.access_token

    assert get_override(server, token, me, prefix) == (200, {"presence_override": ""})

    for value in ("online", "unavailable", "offline"):
        assert put_override(server, token, me, value, prefix) == (200, stored(value, prefix))
        assert get_override(server, token, me, prefix) == (200, {"presence_override": value})
        assert status(server, watcher.access_token, me)["presence"] == value
        assert status(server, token, me)["presence"] == value

    # MSC4042 `disabled`, in both spellings: stored as such, answered in the path's own
    # spelling, and seen by everybody as `offline` (Synapse has no fourth state).
    own_spelling = MSC4042_DISABLED if prefix == UNSTABLE else "disabled"
    other_prefix = STABLE if prefix == UNSTABLE else UNSTABLE
    other_spelling = "disabled" if prefix == UNSTABLE else MSC4042_DISABLED
    for sent in ("disabled", MSC4042_DISABLED):
        assert put_override(server, token, me, sent, prefix) == (200, stored(sent, prefix))
        assert get_override(server, token, me, prefix) == (200, {"presence_override": own_spelling})
        assert get_override(server, token, me, other_prefix) == (200, {"presence_override": other_spelling})
        seen = status(server, watcher.access_token, me)
        assert seen["presence"] == "offline" and "last_active_ago" not in seen, seen

    # status_msg is stored, returned, and applied with the override.
    assert put_override(server, token, me, "unavailable", prefix, status_msg="back at 3") == (
        200,
        stored("unavailable", prefix, "back at 3"),
    )
    assert get_override(server, token, me, prefix) == (
        200,
        {"presence_override": "unavailable", "status_msg": "back at 3"},
    )
    seen = status(server, watcher.access_token, me)
    assert (seen["presence"], seen.get("status_msg")) == ("unavailable", "back at 3")
    # A device's own status message does not get through either.
    assert server.set_presence(other_device.access_token, me, "online", "leak")[0] == 200
    seen = status(server, watcher.access_token, me)
    assert (seen["presence"], seen.get("status_msg")) == ("unavailable", "back at 3")
    # Setting again without status_msg drops it: the override is the whole presence.
    assert put_override(server, token, me, "unavailable", prefix) == (200, stored("unavailable", prefix))
    assert get_override(server, token, me, prefix) == (200, {"presence_override": "unavailable"})
    assert "status_msg" not in status(server, watcher.access_token, me)

    # Clear: "" on this path; GET answers "" on both; normal aggregation is back at once.
    server.sync(other_device.access_token, set_presence="online")
    assert status(server, watcher.access_token, me)["presence"] == "unavailable"
    assert put_override(server, token, me, "", prefix) == (200, stored(""))
    assert get_override(server, token, me, prefix) == (200, {"presence_override": ""})
    assert get_override(server, token, me, other_prefix) == (200, {"presence_override": ""})
    assert status(server, watcher.access_token, me)["presence"] == "online"
    # Clearing when nothing is set is fine too.
    assert put_override(server, token, me, "", prefix) == (200, stored(""))
    # And after clearing, devices decide again as Synapse normally does.
    assert server.set_presence(other_device.access_token, me, "unavailable")[0] == 200
    server.sync(other_device.access_token, set_presence="unavailable")
    assert status(server, watcher.access_token, me)["presence"] == "unavailable"


def test_online_override_beats_devices_going_offline(
    synapse_override: SynapseServer, user_factory: UserFactory
) -> None:
    server = synapse_override
    user = user_factory(server, "online")
    device = server.login(user.user_id, user.password)
    watcher = user_factory(server, "online-watcher")
    room = server.create_room(user.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room)
    me = user.user_id
    assert put_override(server, user.access_token, me, "online", UNSTABLE) == (200, stored("online"))
    since = server.sync(watcher.access_token)["next_batch"]
    for attempt in ("offline", "unavailable"):
        assert server.set_presence(device.access_token, me, attempt)[0] == 200
        server.sync(device.access_token, set_presence=attempt)
        seen = status(server, watcher.access_token, me)
        assert seen["presence"] == "online" and seen["currently_active"] is True, seen
    # The watcher was not woken by those attempts.
    assert presence_events_for(server.sync(watcher.access_token, since=since), me) == []
    assert put_override(server, user.access_token, me, "", UNSTABLE) == (200, stored(""))
    # The device said unavailable last; with the override gone, that is what shows.
    assert status(server, user.access_token, me)["presence"] == "unavailable"


# -- errors ---------------------------------------------------------------------------------


@BOTH_PATHS
@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_401_missing_and_unknown_token(
    synapse_override: SynapseServer, user_factory: UserFactory, prefix: str, method: str
) -> None:
    server = synapse_override
    user = user_factory(server, "auth")
    path = override_path(prefix, user.user_id)
    body = {"presence_override": "offline"} if method == "PUT" else None
    assert _errcode(server.request(method, path, body=body)) == (401, "M_MISSING_TOKEN")
    assert _errcode(server.request(method, path, token="not-a-real-token", body=body)) == (401, "M_UNKNOWN_TOKEN")
    assert get_override(server, user.access_token, user.user_id, prefix) == (200, {"presence_override": ""})


@BOTH_PATHS
@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_403_for_another_users_id(
    synapse_override: SynapseServer, user_factory: UserFactory, prefix: str, method: str
) -> None:
    server = synapse_override
    alice = user_factory(server, "alice")
    bob = user_factory(server, "bob")
    # Even sharing a room (so bob may read alice's *status*) gives no access to her override.
    room = server.create_room(alice.access_token, invite=[bob.user_id])
    server.join_room(bob.access_token, room)
    assert put_override(server, alice.access_token, alice.user_id, "offline", prefix)[0] == 200
    body = {"presence_override": "online"} if method == "PUT" else None
    answer = server.request(method, override_path(prefix, alice.user_id), token=bob.access_token, body=body)
    assert _errcode(answer) == (403, "M_FORBIDDEN")
    assert get_override(server, alice.access_token, alice.user_id, prefix) == (200, {"presence_override": "offline"})
    assert status(server, bob.access_token, alice.user_id)["presence"] == "offline"


BAD_BODIES = [
    pytest.param(b"{not json", "M_NOT_JSON", id="not-json"),
    pytest.param(b"", "M_NOT_JSON", id="empty-body"),
    pytest.param(b'["offline"]', "M_NOT_JSON", id="json-array"),
    pytest.param(b'"offline"', "M_NOT_JSON", id="json-string"),
    pytest.param(b"{}", "M_MISSING_PARAM", id="empty-object"),
    pytest.param(b'{"status_msg": "hi"}', "M_MISSING_PARAM", id="only-status-msg"),
    pytest.param(b'{"presence_override": "org.matrix.msc3026.busy"}', "M_INVALID_PARAM", id="msc3026-spelling"),
    pytest.param(b'{"presence_override": "Online"}', "M_INVALID_PARAM", id="wrong-case"),
    pytest.param(b'{"presence_override": "m.disabled"}', "M_INVALID_PARAM", id="unknown"),
    pytest.param(b'{"presence_override": 1}', "M_INVALID_PARAM", id="number"),
    pytest.param(b'{"presence_override": null}', "M_INVALID_PARAM", id="null"),
    pytest.param(b'{"presence_override": ["offline"]}', "M_INVALID_PARAM", id="list"),
    pytest.param(b'{"presence_override": "offline", "status_msg": 5}', "M_INVALID_PARAM", id="status-msg-number"),
    pytest.param(b'{"presence_override": "offline", "status_msg": {}}', "M_INVALID_PARAM", id="status-msg-object"),
]


@BOTH_PATHS
def test_400_bad_bodies(synapse_override: SynapseServer, user_factory: UserFactory, prefix: str) -> None:
    server = synapse_override
    user = user_factory(server, "bad")
    me = user.user_id
    assert put_override(server, user.access_token, me, "unavailable", prefix)[0] == 200
    client = KeepAliveClient(server, user.access_token)
    try:
        for param in BAD_BODIES:
            raw, errcode = param.values
            code, body = client.request("PUT", override_path(prefix, me), raw=raw)
            assert (code, body.get("errcode")) == (400, errcode), (param.id, body)
            assert body.get("error"), (param.id, body)
    finally:
        client.close()
    # Nothing was changed by the rejected requests.
    assert get_override(server, user.access_token, me, prefix) == (200, {"presence_override": "unavailable"})
    assert status(server, user.access_token, me)["presence"] == "unavailable"


@BOTH_PATHS
@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_400_malformed_user_id(
    synapse_override: SynapseServer, user_factory: UserFactory, prefix: str, method: str
) -> None:
    server = synapse_override
    user = user_factory(server, "mxid")
    body = {"presence_override": "offline"} if method == "PUT" else None
    answer = server.request(method, override_path(prefix, "not-a-user-id"), token=user.access_token, body=body)
    assert _errcode(answer) == (400, "M_INVALID_PARAM")


def test_429_from_synapses_presence_rate_limiter(synapse_factory: SynapseFactory, user_factory: UserFactory) -> None:
    # Synapse's default rc_presence.per_user: 0.1/s, burst 1.
    server = synapse_factory(
        SynapseOptions(relaxed_rate_limits=False, modules=[MODULE_ENTRY]), name="synapse-ratelimited"
    )
    user = user_factory(server, "limited")
    me = user.user_id
    assert put_override(server, user.access_token, me, "offline") == (200, stored("offline"))
    for prefix, value in ((STABLE, "online"), (UNSTABLE, "unavailable")):
        code, body = put_override(server, user.access_token, me, value, prefix, wait_out_429=False)
        assert (code, body.get("errcode")) == (429, "M_LIMIT_EXCEEDED"), body
        assert isinstance(body.get("retry_after_ms"), int), body
        assert 0 < body["retry_after_ms"] <= 10_000, body
    # The limited PUTs changed nothing; GET is not rate-limited.
    for _ in range(5):
        assert get_override(server, user.access_token, me) == (200, {"presence_override": "offline"})
    assert status(server, user.access_token, me)["presence"] == "offline"
    # Another user has their own bucket.
    other = user_factory(server, "limited-other")
    assert put_override(server, other.access_token, other.user_id, "unavailable") == (200, stored("unavailable"))
