"""What the MSC4532 tests on Synapse with the module share (test_msc4532.py,
test_msc4532_sync.py, test_msc4532_persistence.py): the event's identifiers, and writing,
reading and watching it.
"""

from __future__ import annotations

from typing import Any

from tests.harness.fixtures import UserFactory
from tests.harness.synapse import RegisteredUser, SynapseServer
from tests.integration.server.helpers import q, status

FLAG = "org.continuwuity.presence_v2.msc4532"
EVENT = "org.continuwuity.presence_v2.msc4532.presence.persistent"
P = "org.continuwuity.presence_v2.msc4532."
ACTIVE, IDLE, BUSY = P + "active", P + "idle", P + "busy"
MIRROR = "org.presence_tray.msc4043_override"
MSC3026_BUSY = "org.matrix.msc3026.busy"


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


def online_device(server: SynapseServer, user: RegisteredUser) -> RegisteredUser:
    """A second device of the user, connected (synced with set_presence=online)."""
    device = server.login(user.user_id, user.password)
    server.sync(device.access_token, set_presence="online")
    return device


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
