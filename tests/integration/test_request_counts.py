"""How many requests each path makes, counted on their way to a REAL Synapse (with the module).

A click and a clear are one request each (the PUT's answer confirms them); start-up and
`status` read the override once (the GET that detects the API is that read).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from urllib.parse import quote

import pytest

from tests.harness.synapse import RC_PRESENCE_PERIOD
from tests.support.counting_proxy import CountingProxy
from tests.support.sessions import session_for, wait_for
from tray_app.session import SessionTimings
from tray_app.session_state import ApiMode, Connection
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration


def override_path(user_id: str) -> str:
    return f"/_matrix/client/v1/presence/{quote(user_id, safe='')}/override"


def presence_path(user_id: str) -> str:
    return f"/_matrix/client/v3/presence/{quote(user_id, safe='')}/status"


def fast_session(proxy: CountingProxy, user, tmp_path):
    return session_for(
        proxy.base_url,
        tmp_path,
        user_id=user.user_id,
        device_id=user.device_id,
        token=user.access_token,
        timings=SessionTimings(sync_timeout_ms=1000),
    )


def test_start_reads_the_override_once(synapse_override, user_factory, tmp_path):
    user = user_factory(synapse_override, "count-start")
    synapse_override.request(
        "PUT", override_path(user.user_id), token=user.access_token, body={"presence_override": "unavailable"}
    )

    async def main():
        async with CountingProxy(synapse_override.base_url) as proxy:
            session = fast_session(proxy, user, tmp_path)
            try:
                await session.start()
                await wait_for(lambda: session.state.connection is Connection.CONNECTED)
                return proxy.requests(), session.state
            finally:
                await session.close()

    requests, state = asyncio.run(main())
    assert state.api is ApiMode.STABLE and state.override.state is PresenceState.UNAVAILABLE
    # /versions and the override's GET (run side by side); no second GET, and no presence
    # read: with an override set, presence is the override.
    assert sorted(requests) == sorted([("GET", "/_matrix/client/versions"), ("GET", override_path(user.user_id))])


def test_status_reads_the_override_once(synapse_override, user_factory, tmp_path):
    """What `presence-tray status` does: a fresh session's refresh()."""
    user = user_factory(synapse_override, "count-status")

    async def main():
        async with CountingProxy(synapse_override.base_url) as proxy:
            session = fast_session(proxy, user, tmp_path)
            try:
                state = await session.refresh()
                return proxy.requests(), state
            finally:
                await session.close()

    requests, state = asyncio.run(main())
    assert state.override is None and state.presence is not None
    # No override: what others see comes from the presence endpoint (no sync runs here).
    assert sorted(requests) == sorted(
        [
            ("GET", "/_matrix/client/versions"),
            ("GET", override_path(user.user_id)),
            ("GET", presence_path(user.user_id)),
        ]
    )


def test_status_with_an_override_reads_what_others_see(synapse_override, user_factory, tmp_path):
    """`status` reports what others see, read (issue 18 item 4): with an override set too, one
    GET of the presence beside the override's, not a presence inferred from the override."""
    user = user_factory(synapse_override, "count-status-held")
    synapse_override.request(
        "PUT", override_path(user.user_id), token=user.access_token, body={"presence_override": "busy"}
    )

    async def main():
        async with CountingProxy(synapse_override.base_url) as proxy:
            session = fast_session(proxy, user, tmp_path)
            try:
                state = await session.refresh()
                return proxy.requests(), state
            finally:
                await session.close()

    requests, state = asyncio.run(main())
    assert state.override.state is PresenceState.BUSY
    assert state.presence == "unavailable"  # Busy without MSC3026, as others see it
    assert sorted(requests) == sorted(
        [
            ("GET", "/_matrix/client/versions"),
            ("GET", override_path(user.user_id)),
            ("GET", presence_path(user.user_id)),
        ]
    )


def test_click_and_clear_are_one_request_each(synapse_override, user_factory, tmp_path):
    user = user_factory(synapse_override, "count-click")

    async def main():
        async with CountingProxy(synapse_override.base_url) as proxy:
            session = fast_session(proxy, user, tmp_path)
            try:
                await session.start()
                await wait_for(lambda: session.state.connection is Connection.CONNECTED)
                proxy.clear()
                clicked = await session.set_override(PresenceState.UNAVAILABLE, "lunch")
                after_click = proxy.requests()
                # One request per click when the clicks are not within rc_presence's window
                # (Synapse's default, 1 per 10 s): a clear sooner meets a 429 and is sent again
                # after retry_after (test_session's test_default_presence_rate_limit_429_is_waited_out covers that).
                await asyncio.sleep(RC_PRESENCE_PERIOD + 0.5)
                proxy.clear()
                cleared = await session.set_override(None)
                after_clear = proxy.requests()
                # After the clear, what others see arrives with the running sync, not a read.
                real = synapse_override.get_presence(user.access_token, user.user_id)["presence"]
                await wait_for(lambda: session.state.presence == real)
                return after_click, clicked, after_clear, cleared, proxy.requests()
            finally:
                await session.close()

    after_click, clicked, after_clear, cleared, later = asyncio.run(main())
    assert after_click == [("PUT", override_path(user.user_id))]
    assert clicked.override.state is PresenceState.UNAVAILABLE and clicked.status_msg == "lunch"
    assert clicked.presence == "unavailable" and clicked.pending is None
    assert after_clear == [("PUT", override_path(user.user_id))]
    # The message is the user's own on this server (it keeps one without a state): the clear
    # carries it, in the same one request, and it stays.
    assert cleared.override is None and cleared.status_msg == "lunch" and cleared.pending is None
    assert later == after_clear  # the presence came from sync: still that one request


def test_start_and_status_load_no_nio():
    """The start and `status` paths import neither matrix-nio nor aiohttp (~0.3 s)."""
    code = (
        "import sys, tray_app.cli, tray_app.accounts, tray_app.session, tray_app.matrix.override_api\n"
        "import tray_app.ui.app, tray_app.ui.applet, tray_app.ui.controller\n"
        "print(sorted(m for m in ('nio', 'aiohttp') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_an_idle_long_poll_is_checked_with_versions_only(synapse_override, user_factory, tmp_path):
    """The liveness check on a silent long poll (tray_app/matrix/liveness.py) is GET /versions: never a
    /sync (every sync counts against Synapse's rc_presence) nor a presence write."""
    user = user_factory(synapse_override, "count-idle")

    async def main():
        async with CountingProxy(synapse_override.base_url) as proxy:
            session = session_for(
                proxy.base_url,
                tmp_path,
                user_id=user.user_id,
                device_id=user.device_id,
                token=user.access_token,
                timings=SessionTimings(poll_interval=3600.0),  # nothing else answers: the probes are all we hear
            )
            try:
                await session.start()
                await wait_for(lambda: session.state.connection is Connection.CONNECTED)
                await wait_for(lambda: session._since is not None)
                proxy.clear()
                await wait_for(lambda: session._liveness.probes >= 2, timeout=60)
                return proxy.requests(without_sync=False), session.state
            finally:
                await session.close()

    requests, state = asyncio.run(main())
    assert state.connection is Connection.CONNECTED
    probes = [r for r in requests if r == ("GET", "/_matrix/client/versions")]
    syncs = [r for r in requests if r[1].endswith("/sync")]
    assert len(probes) >= 2 and len(probes) + len(syncs) == len(requests), requests
    # At most the next long poll (the one in flight may have ended); the checks added none.
    assert len(syncs) <= 1, requests
