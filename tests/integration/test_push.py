"""Changes made elsewhere reach the session by push, on a REAL Synapse with the project's module
(MSC4043 + MSC4532, one truth): through either API, with no read and no poll (the poll is
turned off here, so only the sync can carry them; counted, never timed). The MSC4532 backend is
also driven against the real module, with MSC4043 hidden by the proxy."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import pytest

from tests.harness.synapse import PRESENCE_429_RETRIES, retry_after_seconds
from tests.support.counting_proxy import CountingProxy
from tests.support.sessions import session_for, wait_for
from tray_app.backends.msc4532 import MIRROR_KEY, PREFIX, UNSTABLE_EVENT
from tray_app.session import SessionTimings
from tray_app.session_state import ApiMode, Connection
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration


def override_path(user_id: str) -> str:
    return f"/_matrix/client/v1/presence/{quote(user_id, safe='')}/override"


def data_path(user_id: str) -> str:
    return f"/_matrix/client/v3/user/{quote(user_id, safe='')}/account_data/{UNSTABLE_EVENT}"


def account_data(server, user) -> dict:
    code, body = server.request("GET", data_path(user.user_id), token=user.access_token)
    return body if code == 200 else {}


async def connected_session(proxy, user, tmp_path):
    session = session_for(
        proxy.base_url,
        tmp_path,
        user_id=user.user_id,
        device_id=user.device_id,
        token=user.access_token,
        timings=SessionTimings(sync_timeout_ms=5000, poll_interval=3600.0),  # only push brings a change here
    )
    await session.start()
    await wait_for(lambda: session.state.connection is Connection.CONNECTED)
    await wait_for(lambda: session._since is not None)  # the first sync is in
    return session


def test_changes_elsewhere_push_through_either_api(synapse_override, user_factory, tmp_path):
    user = user_factory(synapse_override, "push")
    other = synapse_override.login(user.user_id, user.password)

    async def put(path, body):
        """The other device's PUT. Its override PUTs share the user's rc_presence budget
        (Synapse's default, 1 per 10 s), so like a real client it waits out a 429."""
        for _ in range(PRESENCE_429_RETRIES):
            code, answer = await asyncio.to_thread(synapse_override.request, "PUT", path, other.access_token, body)
            if code != 429:
                break
            await asyncio.sleep(retry_after_seconds(answer))
        assert code == 200, (code, answer)

    async def main():
        async with CountingProxy(synapse_override.base_url) as proxy:
            session = await connected_session(proxy, user, tmp_path)
            try:
                assert session.state.watching == UNSTABLE_EVENT
                seen = []
                proxy.clear()
                await put(override_path(user.user_id), {"presence_override": "unavailable", "status_msg": "lunch"})
                await wait_for(lambda: session.state.override is not None)
                seen.append(session.state)
                await put(override_path(user.user_id), {"presence_override": "disabled"})
                await wait_for(lambda: session.state.override.state is PresenceState.DISABLED)
                seen.append(session.state)
                await put(data_path(user.user_id), {"state_override": f"{PREFIX}.busy", "com.example.x": 1})
                await wait_for(lambda: session.state.override.state is PresenceState.BUSY)
                seen.append(session.state)
                await put(override_path(user.user_id), {"presence_override": ""})
                await wait_for(lambda: session.state.override is None)
                return seen, proxy.requests()
            finally:
                await session.close()

    seen, requests = asyncio.run(main())
    assert seen[0].override.state is PresenceState.UNAVAILABLE and seen[0].status_msg == "lunch"
    assert seen[1].override.state is PresenceState.DISABLED
    assert seen[2].override.state is PresenceState.BUSY
    # Every change came with the sync: no override read, no account-data read. (The liveness
    # check's GET /versions may show: the other device's second override PUT waits out
    # rc_presence's 429, so the long poll runs long enough to be checked on. And once the
    # override is gone this device PUTs its own presence, which is no read.)
    assert [r for r in requests if r[0] == "GET" and r != ("GET", "/_matrix/client/versions")] == []


def test_busy_click_through_msc4532_keeps_unknown_keys_and_both_apis_agree(synapse_override, user_factory, tmp_path):
    user = user_factory(synapse_override, "push-busy")
    synapse_override.request(
        "PUT", data_path(user.user_id), token=user.access_token, body={"com.example.x": {"keep": True}}
    )

    async def main():
        async with CountingProxy(synapse_override.base_url) as proxy:
            session = await connected_session(proxy, user, tmp_path)
            try:
                busy = await session.set_override(PresenceState.BUSY, "on a call")
                after_busy = account_data(synapse_override, user)
                away = await session.set_override(PresenceState.UNAVAILABLE)
                proxy.clear()
                await asyncio.sleep(0)  # let the echo of our own change arrive, if it is quick
                return busy, after_busy, away, account_data(synapse_override, user)
            finally:
                await session.close()

    busy, after_busy, away, after_away = asyncio.run(main())
    assert busy.override.state is PresenceState.BUSY and busy.busy_supported and busy.status_msg == "on a call"
    assert after_busy["state_override"] == f"{PREFIX}.busy" and after_busy["com.example.x"] == {"keep": True}
    assert after_busy["status"]["msg"] == "on a call"
    assert away.override.state is PresenceState.UNAVAILABLE
    # The module mirrored the MSC4043 set into the event and kept the unknown key.
    assert after_away["state_override"] == f"{PREFIX}.idle" and after_away[MIRROR_KEY] == "unavailable"
    assert after_away["com.example.x"] == {"keep": True}
    code, body = synapse_override.request("GET", override_path(user.user_id), token=user.access_token)
    assert body["presence_override"] == "unavailable"


def test_msc4532_backend_on_the_real_module(synapse_override, user_factory, tmp_path):
    """The module with MSC4043 hidden: what a client sees on a server with MSC4532 alone."""
    user = user_factory(synapse_override, "v2only")
    other = synapse_override.login(user.user_id, user.password)

    async def main():
        async with CountingProxy(
            synapse_override.base_url, hide_paths=("/override",), hide_flags=("support.feline.msc4043",)
        ) as proxy:
            session = await connected_session(proxy, user, tmp_path)
            try:
                api = session.state.api
                away = await session.set_override(PresenceState.UNAVAILABLE, "lunch")
                real = synapse_override.get_presence(user.access_token, user.user_id)
                synapse_override.request(
                    "PUT", data_path(user.user_id), token=other.access_token, body={"state_override": "offline"}
                )
                await wait_for(lambda: session.state.override.state is PresenceState.OFFLINE)
                cleared = await session.set_override(None)
                return api, away, real, cleared, account_data(synapse_override, user)
            finally:
                await session.close()

    api, away, real, cleared, data = asyncio.run(main())
    assert api is ApiMode.MSC4532
    assert away.override.state is PresenceState.UNAVAILABLE and away.status_msg == "lunch"
    assert real["presence"] == "unavailable"  # the module enforces the account-data override
    assert cleared.override is None and "state_override" not in data
