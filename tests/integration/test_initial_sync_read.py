"""Where MSC4532 is the API (no MSC4043), connecting reads the override from the initial sync, on
a REAL Synapse with the project's module (MSC4043 hidden by the proxy). Synapse answers a
repeated initial sync from its sync response cache (2 min) with the account data as it was: the
first test shows that trap on this Synapse, the second that the session's fresh filter key
(tray_app.session.FRESH_KEY) avoids it when the applet starts again within the window."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import quote

import pytest

from tests.support.counting_proxy import CountingProxy
from tests.support.sessions import session_for, wait_for
from tray_app.backends.msc4532 import PREFIX, UNSTABLE_EVENT
from tray_app.session import SessionTimings, sync_filter
from tray_app.session_state import ApiMode, Connection
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration


def data_path(user_id: str) -> str:
    return f"/_matrix/client/v3/user/{quote(user_id, safe='')}/account_data/{UNSTABLE_EVENT}"


def event_in(sync: dict) -> dict | None:
    for e in sync.get("account_data", {}).get("events", []):
        if e["type"] == UNSTABLE_EVENT:
            return e["content"]
    return None


def test_synapse_answers_a_repeated_initial_sync_from_its_cache(synapse_stock, user_factory):
    user = user_factory(synapse_stock, "synccache")
    put = lambda body: synapse_stock.request("PUT", data_path(user.user_id), token=user.access_token, body=body)  # noqa: E731
    same = json.dumps(sync_filter(user.user_id, (UNSTABLE_EVENT,)))

    put({"state_override": f"{PREFIX}.idle"})
    first = synapse_stock.sync(user.access_token, filter=same)
    put({"state_override": f"{PREFIX}.busy"})
    again = synapse_stock.sync(user.access_token, filter=same)
    fresh = synapse_stock.sync(user.access_token, filter=sync_filter(user.user_id, (UNSTABLE_EVENT,), fresh="x.1"))

    assert event_in(first) == {"state_override": f"{PREFIX}.idle"}
    assert event_in(again) == {"state_override": f"{PREFIX}.idle"}  # the cached answer: stale
    assert event_in(fresh) == {"state_override": f"{PREFIX}.busy"}  # another filter string: the truth


def test_start_again_within_the_cache_window_reads_the_truth_by_the_initial_sync(
    synapse_override, user_factory, tmp_path
):
    user = user_factory(synapse_override, "v2restart")
    other = synapse_override.login(user.user_id, user.password)
    put = lambda body: synapse_override.request("PUT", data_path(user.user_id), token=other.access_token, body=body)  # noqa: E731
    put({"state_override": f"{PREFIX}.idle"})

    async def run_once(proxy, where):
        session = session_for(
            proxy.base_url,
            tmp_path / where,
            user_id=user.user_id,
            device_id=user.device_id,
            token=user.access_token,
            timings=SessionTimings(sync_timeout_ms=5000, poll_interval=3600.0),
        )
        proxy.clear()
        try:
            await session.start()
            await wait_for(lambda: session.state.connection is Connection.CONNECTED)
            real = synapse_override.get_presence(user.access_token, user.user_id)["presence"]
            return session.state, proxy.requests(), real
        finally:
            await session.close()

    async def main():
        async with CountingProxy(
            synapse_override.base_url, hide_paths=("/override",), hide_flags=("support.feline.msc4043",)
        ) as proxy:
            before, _, _ = await run_once(proxy, "a")
            put({"state_override": f"{PREFIX}.busy"})  # another device, while the applet is off
            after, start_requests, real = await run_once(proxy, "b")  # the applet again, same device
            return before, after, start_requests, real

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before, after, start_requests, real = asyncio.run(main())
    assert before.api is ApiMode.MSC4532 and before.override.state is PresenceState.UNAVAILABLE
    assert after.override.state is PresenceState.BUSY and after.presence == real
    # Detection (/versions and the two MSC4043 GETs it tries), then the initial sync is the read:
    # no GET of the account data, and the presence came with the sync.
    assert [m for m, p in start_requests] == ["GET"] * 3, start_requests
    assert sorted("/override" in p for _, p in start_requests) == [False, True, True]
    assert ("GET", "/_matrix/client/versions") in start_requests
