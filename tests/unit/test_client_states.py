"""MSC4532's client states on the applet's side (issue 21): where the server speaks MSC4532, this
device's automatic presence goes out as `active` / `idle` / `busy` (prefixed until the server
says `….stable`) on `/sync?set_presence=` and `PUT .../status`, and the old words elsewhere; the
presence it reads (sync, GET status) may come in the new states and with the `status` object.
Against the FAKE MSC4532-only server (tests/harness/fake_msc4532_server.py, a stand-in for
Continuwuity), which refuses presence words it does not know, as a real server would."""

from __future__ import annotations

import asyncio

import pytest

from tests.harness.fake_msc4532_server import PREFIX, FakeMsc4532Server
from tests.support.sessions import session_for, wait_for
from tray_app.backends.base import ServerFeatures
from tray_app.backends.emulated import EmulatedBackend
from tray_app.backends.msc4043 import Msc4043Backend
from tray_app.backends.msc4532 import STABLE_FLAG, UNSTABLE_FLAG, Msc4532Backend
from tray_app.idle.policy import PresenceGate
from tray_app.matrix.presence_status import status_message
from tray_app.session import SessionTimings
from tray_app.session.sync_response import OwnPresenceEvent, parse_sync
from tray_app.session_state import Connection
from tray_app.states import PresenceState, Wording, presence_from_wire, presence_to_wire

P = PREFIX + "."
ME = "@alice:localhost"


@pytest.mark.parametrize(
    ("presence", "classic", "msc4532", "stable"),
    [
        ("online", "online", P + "active", "active"),
        ("unavailable", "unavailable", P + "idle", "idle"),
        ("busy", "org.matrix.msc3026.busy", P + "busy", "busy"),
        ("offline", "offline", "offline", "offline"),  # `offline` is never prefixed
    ],
)
def test_own_presence_in_the_servers_words(presence, classic, msc4532, stable):
    assert presence_to_wire(presence) == classic
    assert presence_to_wire(presence, Wording.CLASSIC) == classic
    assert presence_to_wire(presence, Wording.MSC4532) == msc4532
    assert presence_to_wire(presence, Wording.MSC4532_STABLE) == stable
    for said in {classic, msc4532, stable}:
        assert presence_from_wire(said) == presence
    for odd in ("org.example.active", P + "away", "Active", ""):  # unknown: kept as it came
        assert presence_from_wire(odd) == odd


def test_status_object_before_status_msg():
    assert status_message({"presence": "online", "status_msg": "old"}) == "old"
    assert status_message({"status": {"msg": "  new  "}, "status_msg": "old"}) == "new"
    assert status_message({P + "status": {"msg": "unstable"}, "status_msg": "old"}) == "unstable"
    assert status_message({"status": {"msg": " "}, "status_msg": "old"}) is None  # trimmed: none
    assert status_message({"status": {}, "status_msg": "old"}) == "old"  # no msg in it: the old key
    assert status_message({"status": "odd", "status_msg": ""}) is None
    assert status_message({}) is None


def test_sync_reads_the_new_states_and_the_status_object():
    body = {
        "next_batch": "s1",
        "presence": {
            "events": [
                {"type": "m.presence", "sender": ME, "content": {"presence": P + "idle", P + "status": {"msg": "x"}}},
                {"type": "m.presence", "sender": ME, "content": {"presence": "active", "status": {"msg": "y "}}},
            ]
        },
    }
    batch = parse_sync(body, ME, ())
    assert batch.own_presence == (OwnPresenceEvent(P + "idle", "x"), OwnPresenceEvent("active", "y"))
    assert [presence_from_wire(e.presence) for e in batch.own_presence] == ["unavailable", "online"]


def test_which_backends_say_the_new_states():
    unstable = ServerFeatures({UNSTABLE_FLAG: True})
    stable = ServerFeatures({STABLE_FLAG: True})
    none = ServerFeatures({})
    assert Msc4532Backend(None, ME, unstable).wording is Wording.MSC4532  # type: ignore[arg-type]
    assert Msc4532Backend(None, ME, stable).wording is Wording.MSC4532_STABLE  # type: ignore[arg-type]
    # MSC4043 beside MSC4532 (this project's module, which takes them): the new states.
    companion = Msc4532Backend(None, ME, unstable)  # type: ignore[arg-type]
    assert Msc4043Backend(None, ME, unstable, stable=True, companion=companion).wording is Wording.MSC4532  # type: ignore[arg-type]
    # No MSC4532: the old words.
    assert Msc4043Backend(None, ME, none, stable=True).wording is Wording.CLASSIC  # type: ignore[arg-type]
    assert EmulatedBackend(None, ME, none).wording is Wording.CLASSIC  # type: ignore[arg-type]


@pytest.mark.parametrize("stable", [False, True])
def test_automatic_presence_goes_out_as_client_states(tmp_path, stable):
    """Active, idle and back: each change is one PUT and every sync says the same, in the new states
    (the stand-in refuses the wrong spelling); what others see is read back from the stand-in's
    new states."""
    idle, active = ("idle", "active") if stable else (P + "idle", P + "active")

    async def main():
        async with FakeMsc4532Server(stable=stable, offline_timeout=60) as fake:
            timings = SessionTimings(sync_timeout_ms=1000, presence_sync_spacing=0.0)
            session = session_for(fake.base_url, tmp_path, timings=timings)
            session._auto_gate = PresenceGate(spacing=0.0)
            try:
                await session.start()
                await wait_for(lambda: session.state.connection is Connection.CONNECTED)
                # Neutral, the sync said `idle` already (MSC4532's "here, adds nothing").
                session.set_automatic(PresenceState.ONLINE)
                await wait_for(lambda: fake.device_state() == "online")
                session.set_automatic(PresenceState.UNAVAILABLE)
                await wait_for(lambda: fake.device_state() == "unavailable")
                await wait_for(lambda: session.state.presence == "unavailable")
                session.set_automatic(PresenceState.ONLINE)
                await wait_for(lambda: fake.device_state() == "online")
                await wait_for(lambda: session.state.presence == "online")
                n = len(fake.log)
                await wait_for(lambda: len([e for e in fake.log[n:] if e[1].endswith("/sync")]) >= 2)
                return list(fake.log), session.state.last_error
            finally:
                await session.close()

    log, error = asyncio.run(main())
    puts = [body["presence"] for method, path, body in log if method == "PUT" and path.endswith("/status")]
    syncs = [said for method, path, said in log if path.endswith("/sync")]
    assert puts == [active, idle, active], puts
    assert set(syncs) <= {idle, active}, syncs
    assert syncs[-1] == active
    assert error is None


def test_a_server_that_refuses_client_states_gets_the_old_words(tmp_path):
    """A server that advertises MSC4532 but answers 400 to its client states (this project's
    module before it took them): after the first refusal the session says its presence in the
    old words, on the sync and the PUT, and stays connected (no error, no reconnect loop)."""

    async def main():
        async with FakeMsc4532Server(offline_timeout=60, takes_client_states=False) as fake:
            timings = SessionTimings(sync_timeout_ms=1000, presence_sync_spacing=0.0)
            session = session_for(fake.base_url, tmp_path, timings=timings)
            session._auto_gate = PresenceGate(spacing=0.0)
            try:
                await session.start()
                await wait_for(lambda: session.state.connection is Connection.CONNECTED)
                session.set_automatic(PresenceState.ONLINE)
                await wait_for(lambda: fake.device_state() == "online")
                session.set_automatic(PresenceState.UNAVAILABLE)
                await wait_for(lambda: fake.device_state() == "unavailable")
                n = len(fake.log)
                await wait_for(lambda: len([e for e in fake.log[n:] if e[1].endswith("/sync")]) >= 2)
                return list(fake.log), session.state
            finally:
                await session.close()

    log, state = asyncio.run(main())
    said = [
        body["presence"] if method == "PUT" else body
        for method, path, body in log
        if (method, path.rsplit("/", 1)[-1]) in {("GET", "sync"), ("PUT", "status")}
    ]
    assert said[0] == P + "idle", said  # the first sync, refused
    assert P + "active" not in said and set(said[1:]) <= {"unavailable", "online"}, said
    assert said[-1] == "unavailable"
    assert state.connection is Connection.CONNECTED and state.last_error is None
