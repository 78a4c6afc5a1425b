"""Our own change is never announced as "changed elsewhere", and a timed one keeps its end
(issue 18, item 1): every state each API offers × timed or not, on every API, with the sync
and the poll running; and a change whose answer comes late or never.

Servers: a REAL Synapse with the module and a stock one (emulated mode, MSC3026's busy on so
that mode offers Busy too), both with Synapse's DEFAULT rate limits (rc_presence 0.1/s burst 1);
one of each shared by the whole module, a fresh user per case (the limits are per user). The
MSC4043 variants are the module's server seen through a proxy that hides the stable path
and/or the MSC4532 flag. MSC4532 alone: the module's server with MSC4043 hidden, and the FAKE
MSC4532-only stand-in (no real server has MSC4532 alone), in its stable spelling.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from aiohttp import web

from tests.harness.fake_msc4532_server import FakeMsc4532Server
from tests.harness.synapse import OVERRIDE_MODULE, RegisteredUser, SynapseOptions, SynapseServer
from tests.support.counting_proxy import CountingProxy
from tests.support.sessions import session_for, wait_for
from tray_app.errors import BadResponse, ServerUnreachable
from tray_app.session import Session
from tray_app.session_state import ApiMode, Connection, SessionEvent
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration

ELSEWHERE = SessionEvent.OVERRIDE_CHANGED_ELSEWHERE
MSC4532_FLAG = "org.continuwuity.presence_v2.msc4532"
STABLE_OVERRIDE = "/_matrix/client/v1/presence/"
CLASSIC = (PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.OFFLINE, PresenceState.DISABLED)
V2 = (PresenceState.ONLINE, PresenceState.UNAVAILABLE, PresenceState.BUSY, PresenceState.OFFLINE)


@dataclass(frozen=True)
class Api:
    name: str
    server: str  # "module", "stock" or "fake"
    mode: ApiMode
    push: bool  # the MSC4532 event is watched (changes arrive by sync)
    states: tuple[PresenceState, ...]
    hide_paths: tuple[str, ...] = ()
    hide_flags: tuple[str, ...] = ()


APIS = [
    Api("msc4043-stable", "module", ApiMode.STABLE, False, CLASSIC, hide_flags=(MSC4532_FLAG,)),
    Api("msc4043-unstable", "module", ApiMode.UNSTABLE, False, CLASSIC,
        hide_paths=(STABLE_OVERRIDE,), hide_flags=(MSC4532_FLAG,)),
    Api("msc4043-stable+msc4532-push", "module", ApiMode.STABLE, True, (*CLASSIC, PresenceState.BUSY)),
    Api("msc4043-unstable+msc4532-push", "module", ApiMode.UNSTABLE, True, (*CLASSIC, PresenceState.BUSY),
        hide_paths=(STABLE_OVERRIDE,)),
    Api("msc4532-alone", "module", ApiMode.MSC4532, True, V2,
        hide_paths=("/override",), hide_flags=("support.feline.msc4043",)),
    Api("msc4532-alone-stable-stand-in", "fake", ApiMode.MSC4532, True, V2),
    Api("emulated", "stock", ApiMode.EMULATED, False, (*CLASSIC, PresenceState.BUSY)),
]

CASES = [
    pytest.param(api, state, timed, id=f"{api.name}-{state.value}-{'timed' if timed else 'untimed'}")
    for api in APIS for state in api.states for timed in (True, False)
]


# -- servers: one of each kind for the module, Synapse's default rate limits -------------------


@pytest.fixture(scope="module")
def module_synapse(tmp_path_factory) -> Iterator[SynapseServer]:
    server = SynapseServer(tmp_path_factory.mktemp("own-writes-module"), options=SynapseOptions(
        relaxed_rate_limits=False, modules=[{"module": OVERRIDE_MODULE, "config": {}}]))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def stock_synapse(tmp_path_factory) -> Iterator[SynapseServer]:
    server = SynapseServer(tmp_path_factory.mktemp("own-writes-stock"), options=SynapseOptions(
        relaxed_rate_limits=False, extra_config={"experimental_features": {"msc3026_enabled": True}}))
    try:
        yield server.start()
    finally:
        server.stop()


# -- watching what the session does -------------------------------------------------------------


class Watched:
    """Counts, on one session, the polls done, the syncs answered and the watched events handled
    (so a test waits for them, not for a fixed time), and the events it emitted."""

    def __init__(self, session: Session) -> None:
        self.polls = self.syncs = self.watched = 0
        self.events: list[tuple[SessionEvent, str]] = []
        session.subscribe_events(lambda e, m: self.events.append((e, m)))
        read, sync, on_watched = session._read_locked, session._sync_once, session._on_watched

        async def counted_read(**kw):
            await read(**kw)
            if not kw:  # the poll reads with no arguments
                self.polls += 1

        async def counted_sync(timeout_ms):
            await sync(timeout_ms)
            self.syncs += 1

        async def counted_watched(*args):
            await on_watched(*args)
            self.watched += 1

        session._read_locked = counted_read
        session._sync_once = counted_sync
        session._on_watched = counted_watched

    def mark(self) -> tuple[int, int, int]:
        return self.polls, self.syncs, self.watched

    async def ran_since(self, mark: tuple[int, int, int], *, polls: int, syncs: int, watched: int) -> None:
        await wait_for(lambda: self.polls - mark[0] >= polls and self.syncs - mark[1] >= syncs
                       and self.watched - mark[2] >= watched, timeout=60)

    def elsewhere(self) -> list[str]:
        return [m for e, m in self.events if e is ELSEWHERE]


def new_session(base_url: str, user, tmp_path, poll: float = 0.3) -> tuple[Session, Watched]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    session = session_for(base_url, tmp_path, user_id=user.user_id, device_id=user.device_id,
                          token=user.access_token)
    session.POLL_INTERVAL = poll  # 60 s in real life; the mechanism is the same
    session.SYNC_TIMEOUT_MS = 500
    return session, Watched(session)


async def started(session: Session, watched: Watched) -> None:
    await session.start()
    await wait_for(lambda: session.state.connection is Connection.CONNECTED and watched.syncs >= 1, timeout=60)


def one_hour() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=1)


# -- the matrix -------------------------------------------------------------------------------


async def own_change_stays_ours(session: Session, watched: Watched, api: Api, state: PresenceState,
                                timed: bool) -> None:
    await started(session, watched)
    assert session.state.api is api.mode and state in _offered(session)
    until = one_hour() if timed else None
    before = watched.mark()
    await session.set_override(state, until=until)
    # The sync has brought the echo of our change (where the event is watched), and the poll has
    # read it back twice, after the change was answered; only then is "nothing announced" news.
    await watched.ran_since(before, polls=0, syncs=0, watched=1 if api.push else 0)
    await watched.ran_since(watched.mark(), polls=2, syncs=2, watched=0)
    assert watched.elsewhere() == []
    assert session.state.override is not None and session.state.override.state is state
    assert session.state.override_until == until


def _offered(session: Session) -> frozenset[PresenceState]:
    return session._api.offered if session._api else frozenset()


@pytest.mark.parametrize("api, state, timed", CASES)
def test_own_change_is_never_elsewhere(api, state, timed, module_synapse, stock_synapse, user_factory, tmp_path):
    server = {"module": module_synapse, "stock": stock_synapse}.get(api.server)
    user = user_factory(server, "own") if server is not None else None

    async def main():
        if api.server == "fake":
            async with FakeMsc4532Server(stable=True) as fake:
                me = RegisteredUser("@alice:localhost", "-", "not-a-real-token", "TESTDEVICE")
                session, watched = new_session(fake.base_url, me, tmp_path / "s")
                try:
                    await own_change_stays_ours(session, watched, api, state, timed)
                finally:
                    await session.close()
            return
        async with CountingProxy(server.base_url, hide_paths=api.hide_paths, hide_flags=api.hide_flags) as proxy:
            session, watched = new_session(proxy.base_url, user, tmp_path / "s")
            try:
                await own_change_stays_ours(session, watched, api, state, timed)
            finally:
                await session.close()

    asyncio.run(main())


# -- late answers -----------------------------------------------------------------------------


def give_up_puts_after(session: Session, seconds: float) -> None:
    """The client's patience for a PUT (30 s in real life), so a test need not wait that long."""
    json = session._requests.json

    async def patient(method, path, body=None, *, timeout=None):
        return await json(method, path, body, timeout=seconds if method == "PUT" else timeout)

    session._requests.json = patient  # the backends share this object


@pytest.mark.parametrize("timed", [True, False], ids=["timed", "untimed"])
@pytest.mark.parametrize("state", [PresenceState.ONLINE, PresenceState.BUSY], ids=["online", "busy"])
@pytest.mark.parametrize("lost", ["client-gave-up", "gateway-timeout"])
def test_a_change_whose_answer_never_came_is_ours_when_it_lands(lost, state, timed, module_synapse, user_factory, tmp_path):
    """The server takes the change, its answer is lost: the client stopped waiting (the answer
    comes too late), or a reverse proxy did and said 504. The change is on the server, the
    click failed. The sync then brings it (Busy goes through MSC4532's event) and the poll reads
    it: that is our own change landing, not someone else's, and a timed one keeps its end."""
    user = user_factory(module_synapse, "late")

    async def main():
        release = asyncio.Event()
        held: list[str] = []

        async def lose_our_answer(method: str, path: str) -> web.StreamResponse | None:
            if method != "PUT" or release.is_set():
                return None
            held.append(path)
            if lost == "gateway-timeout":
                return web.Response(status=504, text="<html>504 Gateway Time-out</html>", content_type="text/html")
            await release.wait()
            return None

        async with CountingProxy(module_synapse.base_url, before_answer=lose_our_answer) as proxy:
            session, watched = new_session(proxy.base_url, user, tmp_path / "s")
            if lost == "client-gave-up":
                give_up_puts_after(session, 3.0)
            try:
                await started(session, watched)
                until = one_hour() if timed else None
                with pytest.raises(ServerUnreachable if lost == "client-gave-up" else BadResponse):
                    await session.set_override(state, until=until)
                await wait_for(lambda: held)  # it went through to the server; only its answer is lost
                release.set()
                await watched.ran_since(watched.mark(), polls=2, syncs=2, watched=0)
                assert session.state.override is not None and session.state.override.state is state
                return watched.elsewhere(), session.state.override_until, until
            finally:
                release.set()
                await session.close()

    elsewhere, override_until, until = asyncio.run(main())
    assert elsewhere == []
    assert override_until == until


def test_a_reading_begun_while_our_change_was_in_flight_is_not_news(module_synapse, user_factory, tmp_path):
    """A reconnect reads the override while our click is still on its way: the server answers
    the reading first (the old state), then takes the click. Taking that reading after the
    click's answer would announce the old state as a change elsewhere and drop the timer."""
    user = user_factory(module_synapse, "inflight")

    async def main():
        release = asyncio.Event()
        drop_next_sync = asyncio.Event()

        async def faults(method: str, path: str) -> web.StreamResponse | None:
            if method == "PUT" and path.endswith("/override"):
                await release.wait()  # the click reaches the server only when released
            elif path.endswith("/sync") and drop_next_sync.is_set():
                drop_next_sync.clear()
                return web.json_response({"errcode": "M_UNKNOWN", "error": "proxy: dropped"}, status=502)
            return None

        async with CountingProxy(module_synapse.base_url, before_forward=faults) as proxy:
            session, watched = new_session(proxy.base_url, user, tmp_path / "s", poll=3600)
            try:
                await started(session, watched)
                until = one_hour()
                click = asyncio.ensure_future(session.set_override(PresenceState.ONLINE, until=until))
                await wait_for(lambda: ("PUT", _override_path(user)) in proxy.log)
                reads_before = proxy.log.count(("GET", _override_path(user)))
                drop_next_sync.set()  # the sync fails: the session reconnects and reads the override
                await wait_for(lambda: proxy.log.count(("GET", _override_path(user))) > reads_before)
                before = watched.mark()
                release.set()
                await click
                await wait_for(lambda: session.state.connection is Connection.CONNECTED)
                # The reconnect took its reading; the sync brought the echo of the click.
                await watched.ran_since(before, polls=0, syncs=2, watched=1)
                return watched.elsewhere(), session.state, until
            finally:
                release.set()
                await session.close()

    elsewhere, state, until = asyncio.run(main())
    assert elsewhere == []
    assert state.override is not None and state.override.state is PresenceState.ONLINE
    assert state.override_until == until


def _override_path(user) -> str:
    from urllib.parse import quote

    return f"/_matrix/client/v1/presence/{quote(user.user_id, safe='')}/override"
