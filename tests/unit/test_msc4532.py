"""The MSC4532 backend against a FAKE MSC4532-only server (tests/harness/fake_msc4532_server.py,
a stand-in for Continuwuity), and the MSC4043 backend's reading of the mirrored event.
The real module (MSC4043 + MSC4532 on Synapse) is tested in tests/integration."""

from __future__ import annotations

import asyncio

import pytest

from tests.harness.fake_msc4532_server import PREFIX, STABLE_EVENT, UNSTABLE_EVENT, FakeMsc4532Server
from tests.support.sessions import session_for, wait_for
from tray_app.backends import READ_AGAIN
from tray_app.backends.base import ServerFeatures
from tray_app.backends.msc4043 import Msc4043Backend
from tray_app.backends.msc4532 import MIRROR_KEY, Msc4532Backend
from tray_app.errors import NotOffered
from tray_app.session import SessionTimings
from tray_app.session_state import ApiMode, Connection, SessionEvent
from tray_app.states import PresenceState


def run_with_fake(tmp_path, body, **fake_args):
    async def main():
        async with FakeMsc4532Server(**fake_args) as fake:
            # The stand-in has no rc_presence: no sync needs spacing to be counted.
            timings = SessionTimings(sync_timeout_ms=1000, presence_sync_spacing=0.0)
            session = session_for(fake.base_url, tmp_path, timings=timings)
            try:
                return await body(fake, session)
            finally:
                await session.close()

    return asyncio.run(main())


def test_detected_with_busy_without_disabled(tmp_path):
    async def body(fake, session):
        return await session.refresh()

    state = run_with_fake(tmp_path, body)
    assert state.api is ApiMode.MSC4532 and state.busy_supported
    assert state.disabled_unsupported == "not part of MSC4532"
    assert state.watching == UNSTABLE_EVENT and state.override is None
    assert state.to_json()["api"] == "msc4532"


def test_set_and_clear_keep_unknown_keys(tmp_path):
    other = {"com.example.mood": "sunny", "status": {"emoji": "🌞", "msg": "old"}}

    async def body(fake, session):
        await fake.write(UNSTABLE_EVENT, dict(other))
        set_state = await session.set_override(PresenceState.UNAVAILABLE, "  at lunch ")
        after_set = dict(fake.content)
        cleared = await session.set_override(None)
        return set_state, after_set, cleared, dict(fake.content), fake.requests("PUT")

    set_state, after_set, cleared, after_clear, puts = run_with_fake(tmp_path, body)
    assert after_set == {
        "com.example.mood": "sunny",
        "state_override": f"{PREFIX}.idle",
        "status": {"emoji": "🌞", "msg": "at lunch"},
    }
    assert set_state.override.state is PresenceState.UNAVAILABLE and set_state.status_msg == "at lunch"
    # The message is the user's own under MSC4532: clearing the override keeps it.
    assert after_clear == {"com.example.mood": "sunny", "status": {"emoji": "🌞", "msg": "at lunch"}}
    assert cleared.override is None and cleared.status_msg == "at lunch" and cleared.pending is None
    assert len(puts) == 2  # one write per change (each after a read: read-modify-write)


@pytest.mark.parametrize("stable", [False, True])
def test_busy_and_every_state_spelling(tmp_path, stable):
    async def body(fake, session):
        seen = {}
        for st in (PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.BUSY, PresenceState.OFFLINE):
            state = await session.set_override(st)
            seen[st] = (fake.content["state_override"], state.override.state, state.presence)
        return fake.account_data, seen

    data, seen = run_with_fake(tmp_path, body, stable=stable)
    assert list(data) == [STABLE_EVENT if stable else UNSTABLE_EVENT]
    p = "" if stable else PREFIX + "."
    assert seen[PresenceState.ONLINE][0] == p + "active"
    assert seen[PresenceState.UNAVAILABLE][0] == p + "idle"
    assert seen[PresenceState.BUSY][:2] == (p + "busy", PresenceState.BUSY)
    assert seen[PresenceState.OFFLINE][0] == "offline"  # never prefixed
    # What others see is read from the server (MSC4532's rules decide it), here busy.
    assert seen[PresenceState.BUSY][2] == "busy"


def test_disabled_is_refused_before_anything_is_sent(tmp_path):
    async def body(fake, session):
        await session.refresh()
        n = len(fake.log)
        with pytest.raises(NotOffered, match="not part of MSC4532"):
            await session.set_override(PresenceState.DISABLED)
        return fake.log[n:], session.state

    sent, state = run_with_fake(tmp_path, body)
    assert sent == [] and state.pending is None and state.override is None


def test_change_elsewhere_arrives_by_sync_and_unknown_value_is_shown(tmp_path):
    async def body(fake, session):
        events = []
        session.subscribe_events(lambda e, m: events.append(e))
        await session.start()
        await wait_for(lambda: session.state.connection is Connection.CONNECTED)
        reads = len(fake.requests("GET"))
        await fake.write(UNSTABLE_EVENT, {"state_override": f"{PREFIX}.busy", "status": {"msg": "call"}})
        await wait_for(lambda: session.state.override is not None)
        busy = session.state
        await fake.write(UNSTABLE_EVENT, {"state_override": "org.example.gone_fishing"})
        await wait_for(lambda: session.state.override is not None and session.state.override.state is None)
        unknown = session.state
        gets = [p for m, p, _ in fake.requests("GET")[reads:] if "/sync" not in p]
        return busy, unknown, events, fake.filters, gets

    busy, unknown, events, filters, gets = run_with_fake(tmp_path, body)
    assert busy.override.state is PresenceState.BUSY and busy.status_msg == "call"
    assert unknown.override.raw == "org.example.gone_fishing" and unknown.connection is Connection.CONNECTED
    assert unknown.to_json()["override"] == "org.example.gone_fishing"
    assert events.count(SessionEvent.OVERRIDE_CHANGED_ELSEWHERE) == 2
    # The sync admits exactly this one account-data event and no rooms.
    assert all(f["account_data"] == {"types": [UNSTABLE_EVENT]} for f in filters) and filters
    assert all(f["room"]["rooms"] == [] for f in filters)
    # The change came with the sync, not by reading the account data again.
    assert not any("account_data" in p for p in gets)


@pytest.mark.parametrize("device_presence", ["online", "offline"])
def test_start_reads_by_the_initial_sync(tmp_path, device_presence):
    """MSC4532 alone: the initial sync the session makes anyway is the first read (no GET of
    the account data); it carries our presence too, except offline (as on Synapse): then the
    presence is asked for."""

    async def body(fake, session):
        await fake.write(UNSTABLE_EVENT, {"state_override": f"{PREFIX}.busy", "status": {"msg": "call"}})
        await session.start()
        await wait_for(lambda: session.state.connection is Connection.CONNECTED)
        state, initial_syncs = session.state, fake.sync_since.count(None)
        await wait_for(lambda: len(fake.sync_since) >= 2)  # the sync loop goes on from there
        return (
            state,
            initial_syncs,
            fake.versions_asked,
            [(m, p) for m, p, _ in fake.log if not p.endswith("/sync")],
            fake.sync_since[:2],
        )

    state, initial_syncs, versions, others, syncs = run_with_fake(tmp_path, body, device_presence=device_presence)
    assert state.override.state is PresenceState.BUSY and state.status_msg == "call"
    assert state.presence == ("busy" if device_presence == "online" else "offline")
    assert versions == 1 and initial_syncs == 1 and syncs == [None, "1"]
    presence_get = [("GET", "/_matrix/client/v3/presence/@alice:localhost/status")]
    # Detection's two MSC4043 GETs (404 here), then nothing but the sync (offline: its presence).
    assert [p.rsplit("/", 1)[-1] for m, p in others[:2]] == ["override", "override"]
    assert others[2:] == ([] if device_presence == "online" else presence_get)


def test_tray_sync_never_says_offline_on_msc4532(tmp_path):
    """Rule 1 (every client offline -> offline) would undo the override while the tray is the
    only device: the tray's sync says it is here."""

    async def body(fake, session):
        await session.start()
        await wait_for(lambda: session.state.connection is Connection.CONNECTED)
        await session.set_override(PresenceState.UNAVAILABLE)
        await wait_for(lambda: len(fake.filters) >= 3)
        return [b for m, p, b in fake.log if p.endswith("/sync")]

    set_presence = run_with_fake(tmp_path, body)
    # Neutral: idle adds nothing; said as MSC4532's client state, in the unstable spelling.
    assert set_presence and set(set_presence) == {PREFIX + ".idle"}


# -- the MSC4043 backend reading the event this project's module mirrors ----------------------


def msc4043_with_companion() -> Msc4043Backend:
    features = ServerFeatures({PREFIX: True})
    return Msc4043Backend(
        None,
        "@a:hs",
        features,
        stable=True,  # type: ignore[arg-type]
        companion=Msc4532Backend(None, "@a:hs", features),
    )  # type: ignore[arg-type]


def test_msc4043_reads_the_mirror_exactly():
    b = msc4043_with_companion()
    assert b.watch_types == (UNSTABLE_EVENT,) and PresenceState.BUSY in b.offered
    r = b.watch(UNSTABLE_EVENT, {MIRROR_KEY: "disabled", "status": {"msg": "gone"}})
    assert r.override.state is PresenceState.DISABLED and r.status_msg == "gone"
    r = b.watch(UNSTABLE_EVENT, {MIRROR_KEY: "unavailable", "state_override": f"{PREFIX}.idle"})
    assert r.override.state is PresenceState.UNAVAILABLE
    assert b.watch(UNSTABLE_EVENT, {}).override is None  # cleared
    # Another client changed state_override since: the mirror is stale, so ask the MSC4043 GET.
    assert b.watch(UNSTABLE_EVENT, {MIRROR_KEY: "disabled", "state_override": f"{PREFIX}.busy"}) is READ_AGAIN
    # Written by an MSC4532 client only.
    assert b.watch(UNSTABLE_EVENT, {"state_override": f"{PREFIX}.busy"}).override.state is PresenceState.BUSY
    assert b.watch(UNSTABLE_EVENT, {"state_override": "x.y"}) is READ_AGAIN


def test_msc4043_without_msc4532_watches_nothing_and_has_no_busy():
    b = Msc4043Backend(None, "@a:hs", ServerFeatures({}), stable=True)  # type: ignore[arg-type]
    assert b.watch_types == () and PresenceState.BUSY not in b.offered
    assert "no busy" in b.not_offered_reason(PresenceState.BUSY)


def test_an_older_echo_from_a_sync_begun_before_our_change_is_not_taken(tmp_path):
    """A sync that began before our last change was answered may carry the event as it was
    before: our own older change is dropped; anything else is read again, never lost."""

    async def body(fake, session):
        events = []
        session.subscribe_events(lambda e, m: events.append(e))
        await session.set_override(PresenceState.UNAVAILABLE)
        await session.set_override(PresenceState.ONLINE)
        api, n = session._api, len(fake.log)
        await session._on_watched(api, UNSTABLE_EVENT, {"state_override": f"{PREFIX}.idle"}, True)
        after_echo = (session.state.override.state, fake.log[n:])
        await session._on_watched(api, UNSTABLE_EVENT, {"state_override": "offline"}, True)
        after_unknown_origin = (session.state.override.state, [p for m, p, _ in fake.log[n:]])
        await session._on_watched(api, UNSTABLE_EVENT, {"state_override": "offline"}, False)
        return after_echo, after_unknown_origin, session.state.override.state, events

    after_echo, after_unknown_origin, final, events = run_with_fake(tmp_path, body)
    assert after_echo == (PresenceState.ONLINE, [])  # dropped, no request
    state, paths = after_unknown_origin
    assert state is PresenceState.ONLINE and len(paths) >= 1 and "account_data" in paths[0]  # read again: the truth
    assert final is PresenceState.OFFLINE and events == [SessionEvent.OVERRIDE_CHANGED_ELSEWHERE]


# -- MSC4532's rule 1: what others see, and keeping this device connected (issue 22) -----------


def test_busy_shows_as_others_see_it_with_and_without_msc3026():
    assert msc4043_with_companion().presence_for(PresenceState.BUSY) == "unavailable"
    features = ServerFeatures({PREFIX: True, "org.matrix.msc3026.busy_presence": True})
    b = Msc4043Backend(
        None,
        "@a:hs",
        features,
        stable=True,  # type: ignore[arg-type]
        companion=Msc4532Backend(None, "@a:hs", features),
    )  # type: ignore[arg-type]
    assert b.presence_for(PresenceState.BUSY) == "busy"
    assert b.presence_for(PresenceState.DISABLED) == "offline"


def test_which_overrides_need_a_connected_device():
    S = PresenceState
    with_v2 = msc4043_with_companion()
    assert [s for s in S if with_v2.override_follows_devices(s)] == [S.ONLINE, S.UNAVAILABLE, S.BUSY]
    assert [s for s in S if with_v2.set_follows_devices(s)] == [S.BUSY]  # the rest go through MSC4043
    alone = Msc4043Backend(None, "@a:hs", ServerFeatures({}), stable=True)  # type: ignore[arg-type]
    assert not any(alone.override_follows_devices(s) or alone.set_follows_devices(s) for s in S)
    v2 = Msc4532Backend(None, "@a:hs", ServerFeatures({PREFIX: True}))  # type: ignore[arg-type]
    assert [s for s in S if v2.set_follows_devices(s)] == [S.ONLINE, S.UNAVAILABLE, S.BUSY]
    assert not v2.override_follows_devices(None)  # an unknown value is no override at all
