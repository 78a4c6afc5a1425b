"""A server that stops answering (a real Synapse paused with SIGSTOP: its kernel still accepts
and acknowledges, so the connections stay open) is marked as disconnected while the long-poll
sync still waits, and the session connects again once the server answers again.

Runs against Synapse's default rate limits (rc_presence 0.1/s burst 1): the check must not be a
/sync (each one counts against that limit) nor a presence write."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions
from tests.support.sessions import session_for, wait_for
from tray_app.session_state import Connection

pytestmark = pytest.mark.integration


def test_a_stalled_server_is_marked_during_the_long_poll_and_recovers(synapse_factory, user_factory, tmp_path):
    server = synapse_factory(
        SynapseOptions(relaxed_rate_limits=False, modules=[{"module": OVERRIDE_MODULE, "config": {}}])
    )
    user = user_factory(server, "stall")

    async def main():
        session = session_for(
            server.base_url, tmp_path, user_id=user.user_id, device_id=user.device_id, token=user.access_token
        )
        assert session.timings.sync_timeout_ms == 30_000  # the shipped long poll
        seen: list[tuple[Connection, str | None]] = []

        def on_state(st):
            if not seen or seen[-1][0] is not st.connection:
                seen.append((st.connection, st.last_error))

        session.subscribe(on_state)
        try:
            await session.start()
            await wait_for(lambda: session.state.connection is Connection.CONNECTED)
            # From now on every sync is a long poll (30 s, client deadline 45 s after its start):
            # the one in flight when the server stops, or the next, began at most now.
            await wait_for(lambda: session._since is not None)
            # The next sync begins one rc_presence spacing (12 s) after the initial one: stop
            # the server once that long poll is in flight.
            initial = session._last_sync_start
            await wait_for(lambda: session._last_sync_start > initial, timeout=30)
            os.kill(server.pid, signal.SIGSTOP)
            try:
                syncs_before = session._last_sync_start
                # The bound: the check notices within Liveness.SILENCE + 2 * PROBE_TIMEOUT (16 s)
                # of the last answer (a check unanswered is asked once more). 30 s is well past
                # that, and still below the earliest moment the long poll's own deadline could
                # fire (>= 44 s after this point): without the check this fails every time, not
                # by a race.
                await wait_for(lambda: session.state.connection is Connection.DISCONNECTED, timeout=30)
                stalled = session.state
                # Nothing was sent as a /sync while the server was silent (rc_presence).
                # (A sync that failed gives its start back: the mark may go back, never on.)
                sync_started_while_stalled = session._last_sync_start > syncs_before
            finally:
                os.kill(server.pid, signal.SIGCONT)
            await wait_for(lambda: session.state.connection is Connection.CONNECTED, timeout=60)
            return seen, stalled, sync_started_while_stalled, session._liveness.probes
        finally:
            await session.close()

    seen, stalled, sync_started_while_stalled, probes = asyncio.run(main())
    # Noticed by the check (not by the sync's deadline, which would say "timed out (TimeoutError)").
    assert "no answer to two checks" in (stalled.last_error or ""), stalled
    assert probes >= 2
    assert not sync_started_while_stalled
    # Order: connected, marked disconnected while stopped, connected again once it answers.
    states = [c for c, _ in seen]
    assert states[-3:] == [Connection.CONNECTED, Connection.DISCONNECTED, Connection.CONNECTED], seen
