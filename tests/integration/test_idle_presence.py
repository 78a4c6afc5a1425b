"""Automatic presence end to end on a real Synapse: what another user sees.

The session gets its automatic presence the way the tray's idle driver hands it over
(`set_automatic`); the idle gate is shortened, everything else is real: Synapse's default
rc_presence (1 per 10 s: a sync sooner has its set_presence dropped), the session's own sync
spacing, the sync's set_presence, Synapse's per-device presence and its 30 s sync timeout that
turns a device which stopped saying "online" offline.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.support.sessions import signed_in, wait_for
from tray_app.idle.policy import PresenceGate
from tray_app.session import SessionTimings
from tray_app.session_state import ApiMode
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration

ONLINE, AWAY, OFFLINE = PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.OFFLINE


def watcher_for(server, user_factory, user):
    """Another user who shares a room with `user`, so may read their presence."""
    watcher = user_factory(server, "watcher")
    room = server.create_room(user.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room)
    return lambda: server.get_presence(watcher.access_token, user.user_id)["presence"]


def count_syncs(session) -> list[str]:
    seen: list[str] = []
    real = session._client.sync

    async def counting(*args, **kwargs):
        seen.append(kwargs.get("set_presence"))
        return await real(*args, **kwargs)

    session._client.sync = counting
    return seen


def record_syncs(session) -> list[dict]:
    """Each sync the session sends: its set_presence, whether it began while an earlier one
    was still running, how it ended ("answered", "dropped" = cancelled, or None: running), and
    when it began (the loop's clock)."""
    calls: list[dict] = []
    real = session._client.sync

    async def recording(*args, **kwargs):
        call = {
            "presence": kwargs.get("set_presence"),
            "end": None,
            "overlaps": any(c["end"] is None for c in calls),
            "start": asyncio.get_running_loop().time(),
        }
        calls.append(call)
        try:
            result = await real(*args, **kwargs)
        except asyncio.CancelledError:
            call["end"] = "dropped"
            raise
        call["end"] = "answered"
        return result

    session._client.sync = recording
    return calls


async def _idle_then_locked_then_back(session, others_see):
    session.set_automatic(ONLINE)
    await wait_for(lambda: others_see() == "online", 30, 0.2)
    session.set_automatic(AWAY)  # idle past the threshold
    await wait_for(lambda: others_see() == "unavailable", 30, 0.2)
    session.set_automatic(OFFLINE)  # screen locked: the device stops saying anything
    await wait_for(lambda: others_see() == "offline", 90, 0.5)
    session.set_automatic(ONLINE)  # back
    await wait_for(lambda: others_see() == "online", 30, 0.2)


async def _override_wins(session, others_see, syncs, expected: str):
    for state in (AWAY, OFFLINE, ONLINE, AWAY):
        session.set_automatic(state)
        n = len(syncs)
        # Several syncs carried it. Syncs are spaced for rc_presence (presence_sync_spacing,
        # Synapse's 10 s and a margin), so three of them take over 30 s.
        spaced = session.timings.presence_sync_spacing
        await wait_for(lambda: len(syncs) >= n + 3, 3 * spaced + 30, 0.05)
        assert others_see() == expected, state
    assert session.state.automatic is AWAY  # the wish is kept for when the override goes


@pytest.mark.parametrize("server_kind", ["stock", "module"])
def test_no_override_others_see_idle_locked_and_back(
    server_kind, synapse_stock, synapse_override, user_factory, tmp_path
):
    server = synapse_stock if server_kind == "stock" else synapse_override
    user = user_factory(server, "idle")
    others_see = watcher_for(server, user_factory, user)

    async def main():
        _, session = await signed_in(server, user, tmp_path, _auto_gate=PresenceGate(spacing=1.0))
        try:
            await session.start()
            await wait_for(lambda: session.state.api is not ApiMode.UNKNOWN and session.state.presence is not None)
            assert session.state.api is (ApiMode.EMULATED if server_kind == "stock" else ApiMode.STABLE)
            assert others_see() == "offline"  # neutral until told otherwise
            await _idle_then_locked_then_back(session, others_see)
        finally:
            await session.close()

    asyncio.run(main())


@pytest.mark.parametrize("server_kind", ["stock", "module"])
def test_with_an_override_idle_and_lock_change_nothing_others_see(
    server_kind, synapse_stock, synapse_override, user_factory, tmp_path
):
    server = synapse_stock if server_kind == "stock" else synapse_override
    user = user_factory(server, "held")
    others_see = watcher_for(server, user_factory, user)

    async def main():
        _, session = await signed_in(server, user, tmp_path, _auto_gate=PresenceGate(spacing=0.0))
        syncs = count_syncs(session)
        try:
            await session.start()
            await wait_for(lambda: session.state.presence is not None)
            await session.set_override(ONLINE)
            await wait_for(lambda: others_see() == "online", 30, 0.2)
            await _override_wins(session, others_see, syncs, "online")
            await session.set_override(OFFLINE)
            await wait_for(lambda: others_see() == "offline", 60, 0.2)
            await _override_wins(session, others_see, syncs, "offline")
            # Clearing the override hands presence back to the desktop: away (the last wish).
            await session.set_override(None)
            await wait_for(lambda: others_see() == "unavailable", 30, 0.2)
        finally:
            await session.close()

    asyncio.run(main())


def test_a_presence_change_never_drops_a_sync_that_carries_a_presence(synapse_stock, user_factory, tmp_path):
    """Stock Synapse counts a sync as running before it records the sync's set_presence; a
    sync the client drops in between stays counted for good, so the device never times out
    (others saw `unavailable` after the lock until Synapse restarted; tray_app/matrix/undropped_syncs.py).
    Long polls here, so each change finds a sync carrying the previous presence still running.
    With no override an automatic change is PUT and starts no sync; under one it starts one."""
    server = synapse_stock
    user = user_factory(server, "nodrop")
    others_see = watcher_for(server, user_factory, user)

    async def main():
        _, session = await signed_in(
            server, user, tmp_path, timings=SessionTimings(), _auto_gate=PresenceGate(spacing=1.0)
        )
        syncs = record_syncs(session)
        try:
            await session.start()
            await wait_for(lambda: session.state.api is ApiMode.EMULATED and session.state.presence is not None)
            session.set_automatic(ONLINE)
            await wait_for(lambda: others_see() == "online", 30, 0.2)
            await session.set_override(AWAY)  # held: the sync says `unavailable` from now on
            await wait_for(lambda: others_see() == "unavailable", 30, 0.2)
            loop, since = asyncio.get_running_loop(), 0
            for state in (OFFLINE, ONLINE):  # the desktop changes under the override: a new sync
                # ...while a long poll carrying `unavailable` runs: one begun after the last
                # change and open for a second (not one Synapse answers at once, from its
                # response cache or with an event: it would end before the next began).
                await wait_for(
                    lambda: any(
                        c["presence"] == "unavailable" and c["end"] is None and loop.time() - c["start"] >= 1.0
                        for c in syncs[since:]
                    ),
                    60,
                    0.1,
                )
                n = len(syncs)
                session.set_automatic(state)
                await wait_for(lambda: len(syncs) > n, 30, 0.1)
                since = len(syncs) - 1
            seen = [dict(c) for c in syncs]  # before closing, which cancels what still runs
        finally:
            await session.close()
        carrying = [c for c in seen if c["presence"] in ("online", "unavailable")]
        assert [c for c in carrying if c["end"] == "dropped"] == []
        # The two changes under the override each came while such a sync was running:
        assert sum(1 for c in seen if c["overlaps"]) >= 2, seen

    asyncio.run(main())
