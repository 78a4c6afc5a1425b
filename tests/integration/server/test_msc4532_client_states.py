"""MSC4532's client states on Synapse with the module (issue 21): a device that says `active`,
`idle` or `busy` (the proposal's unstable spelling, or plain) on `PUT /presence/{userId}/status`
and `/sync?set_presence=` is never refused, and others see Synapse's state for it. On Synapse's
DEFAULT rate limits (rc_presence: one PUT and one counted sync per 10 s per user, in separate
budgets): PUTs wait out their 429s, and a sync is started only once the limit has passed.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.harness.fixtures import SynapseFactory, UserFactory
from tests.harness.synapse import RC_PRESENCE_PERIOD, RegisteredUser, SynapseOptions, SynapseServer
from tests.integration.server.conftest import MODULE_ENTRY
from tests.integration.server.helpers import status

pytestmark = pytest.mark.integration

P = "org.continuwuity.presence_v2.msc4532."
MSC3026_BUSY = "org.matrix.msc3026.busy"
# A sync started this long after the user's last counted one is counted (its set_presence taken).
SYNC_SPACING = RC_PRESENCE_PERIOD + 0.5


class Device:
    """A raw client on Synapse's default limits: each sync starts SYNC_SPACING after the last."""

    def __init__(self, server: SynapseServer, user: RegisteredUser) -> None:
        self.server = server
        self.user = user
        self.last_sync: float | None = None

    def put(self, presence: str) -> tuple[int, Any]:
        return self.server.set_presence(self.user.access_token, self.user.user_id, presence)

    def sync(self, set_presence: str) -> tuple[int, Any]:
        if self.last_sync is not None:
            time.sleep(max(0.0, self.last_sync + SYNC_SPACING - time.monotonic()))
        self.last_sync = time.monotonic()
        return self.server.request(
            "GET",
            "/_matrix/client/v3/sync",
            token=self.user.access_token,
            query={"timeout": 0, "set_presence": set_presence},
        )


def watched_device(server: SynapseServer, user_factory: UserFactory) -> tuple[Device, RegisteredUser]:
    me = user_factory(server, "states")
    observer = user_factory(server, "observer")
    room_id = server.create_room(me.access_token, invite=[observer.user_id])
    server.join_room(observer.access_token, room_id)
    return Device(server, me), observer


def test_client_states_are_taken_on_put_and_sync(synapse_factory: SynapseFactory, user_factory: UserFactory) -> None:
    server = synapse_factory(SynapseOptions(modules=[MODULE_ENTRY]), name="client-states")
    device, observer = watched_device(server, user_factory)

    def seen() -> str:
        return str(status(server, observer.access_token, device.user.user_id)["presence"])

    assert device.put(P + "idle") == (200, {})
    assert seen() == "unavailable"
    code, body = device.sync(P + "active")
    assert code == 200, body
    assert seen() == "online"
    # Without MSC3026 Synapse has no busy: the closest it has ("connected, will not reply").
    assert device.put("busy") == (200, {})
    assert seen() == "unavailable"
    code, body = device.sync("active")
    assert code == 200, body
    assert seen() == "online"
    code, body = device.sync(P + "busy")
    assert code == 200, body
    assert seen() == "unavailable"


def test_busy_is_msc3026_busy_where_enabled(synapse_factory: SynapseFactory, user_factory: UserFactory) -> None:
    server = synapse_factory(
        SynapseOptions(modules=[MODULE_ENTRY], extra_config={"experimental_features": {"msc3026_enabled": True}}),
        name="client-states-busy",
    )
    device, observer = watched_device(server, user_factory)

    def seen() -> str:
        return str(status(server, observer.access_token, device.user.user_id)["presence"])

    code, body = device.sync(P + "busy")  # Synapse's own /sync refuses even its MSC3026 busy
    assert code == 200, body
    assert seen() == MSC3026_BUSY
    # Synapse's syncs never leave busy; a PUT does.
    assert device.put(P + "active") == (200, {})
    assert seen() == "online"
    assert device.put("busy") == (200, {})
    assert seen() == MSC3026_BUSY
