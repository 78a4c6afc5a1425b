"""Issue 18 item 4: `presence-tray status --json` `presence` is what others see, read from the
server (`GET /v3/presence/{me}/status`), never inferred from the override.

Synapse with the module and its DEFAULT rate limits; `status` runs in this process (its own
asyncio.run, as from the shell), with the login in the test keyring and settings in tmp_path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.harness.fixtures import _start
from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions, SynapseServer
from tests.support.memory_keyring import MemoryKeyring
from tray_app import cli
from tray_app.credentials import CredentialStore, StoredCredentials
from tray_app.settings import Settings

pytestmark = pytest.mark.integration

ACCOUNT_DATA = "org.continuwuity.presence_v2.msc4532.presence.persistent"
BUSY = "org.continuwuity.presence_v2.msc4532.busy"
IDLE = "org.continuwuity.presence_v2.msc4532.idle"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[SynapseServer]:
    options = SynapseOptions(relaxed_rate_limits=False, modules=[{"module": OVERRIDE_MODULE, "config": {}}])
    server = SynapseServer(tmp_path_factory.mktemp("status-presence"), options=options)
    try:
        yield _start(server)
    finally:
        server.stop()


def status_json(server, user, tmp_path, monkeypatch, capsys) -> dict:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings = Settings.load()
    CredentialStore(MemoryKeyring()).save(
        StoredCredentials(server.base_url, user.user_id, user.device_id, user.access_token)
    )
    settings.add_account(user.user_id)
    capsys.readouterr()
    assert cli.main(["status", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def observer_of(server, user_factory, user):
    observer = user_factory(server, "observer")
    room = server.create_room(user.access_token, invite=[observer.user_id])
    server.join_room(observer.access_token, room)
    return lambda: server.get_presence(observer.access_token, user.user_id)["presence"]


def put_event(server, user, content) -> None:
    path = f"/_matrix/client/v3/user/{quote(user.user_id, safe='')}/account_data/{ACCOUNT_DATA}"
    assert server.request("PUT", path, token=user.access_token, body=content)[0] == 200


def test_busy_without_msc3026_is_reported_as_others_see_it(server, user_factory, tmp_path, monkeypatch, capsys):
    user = user_factory(server, "status-busy")
    others_see = observer_of(server, user_factory, user)
    status, _ = server.request(
        "PUT",
        f"/_matrix/client/v1/presence/{quote(user.user_id, safe='')}/override",
        token=user.access_token,
        body={"presence_override": "busy"},
    )
    assert status == 200
    assert others_see() == "unavailable"  # no MSC3026 on this server: Busy shows as away
    shown = status_json(server, user, tmp_path, monkeypatch, capsys)
    assert (shown["override"], shown["presence"]) == ("busy", "unavailable")


@pytest.mark.parametrize("state_override", [BUSY, IDLE])
def test_no_device_connected_is_reported_offline(state_override, server, user_factory, tmp_path, monkeypatch, capsys):
    """An override written as MSC4532's account data shows only while a device is connected
    (rule 1); none is here, so others see offline, and so does `status`."""
    user = user_factory(server, "status-rule1")
    others_see = observer_of(server, user_factory, user)
    put_event(server, user, {"state_override": state_override})
    assert others_see() == "offline"
    shown = status_json(server, user, tmp_path, monkeypatch, capsys)
    assert shown["override"] in ("busy", "unavailable") and shown["presence"] == "offline"
