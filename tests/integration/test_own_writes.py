"""Our own change is never announced as "changed elsewhere", and a timed one keeps its end
(issue 18, item 1): every state each API offers × timed or not, on every API, with the sync
and the poll running; and a change whose answer comes late or never.

Servers: a REAL Synapse with the module and a stock one (emulated mode, MSC3026's busy on so
that mode offers Busy too), both with Synapse's DEFAULT rate limits (rc_presence 0.1/s burst 1);
one of each shared by the whole module, a fresh user per case (the limits are per user). The
MSC4043 variants are the module's server seen through a proxy that hides the stable path
and/or the MSC4532 flag. MSC4532 alone: the module's server with MSC4043 hidden, and the FAKE
MSC4532-only stand-in (no real server has MSC4532 alone), in its stable spelling.

Each combination (and each late-answer case) is its own user and its own session, all of a
server kind side by side in one event loop: the session spaces its syncs past rc_presence's
window (12 s), so one after another they would take over half an hour.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web

from tests.harness.fake_msc4532_server import FakeMsc4532Server
from tests.harness.synapse import OVERRIDE_MODULE, RegisteredUser, SynapseOptions, SynapseServer
from tests.support.counting_proxy import CountingProxy
from tests.support.sessions import session_for, wait_for
from tray_app.errors import BadResponse, ServerUnreachable
from tray_app.session import Session, SessionTimings
from tray_app.session_state import ApiMode, Connection, SessionEvent
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration

ELSEWHERE = SessionEvent.OVERRIDE_CHANGED_ELSEWHERE
MSC4532_FLAG = "org.continuwuity.presence_v2.msc4532"
STABLE_OVERRIDE = "/_matrix/client/v1/presence/"
# How long a session side by side with many others may take to get somewhere (a failure's
# bound, not a speed assertion: the loaded machine and the 12 s sync spacing set the pace).
MATRIX_TIMEOUT = 120.0
# A combination that hangs anyway is named as such, well before pytest's own timeout (300 s)
# would end the whole test without saying which one.
COMBO_TIMEOUT = 240.0
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
    Api(
        "msc4043-unstable",
        "module",
        ApiMode.UNSTABLE,
        False,
        CLASSIC,
        hide_paths=(STABLE_OVERRIDE,),
        hide_flags=(MSC4532_FLAG,),
    ),
    Api("msc4043-stable+msc4532-push", "module", ApiMode.STABLE, True, (*CLASSIC, PresenceState.BUSY)),
    Api(
        "msc4043-unstable+msc4532-push",
        "module",
        ApiMode.UNSTABLE,
        True,
        (*CLASSIC, PresenceState.BUSY),
        hide_paths=(STABLE_OVERRIDE,),
    ),
    Api(
        "msc4532-alone",
        "module",
        ApiMode.MSC4532,
        True,
        V2,
        hide_paths=("/override",),
        hide_flags=("support.feline.msc4043",),
    ),
    Api("msc4532-alone-stable-stand-in", "fake", ApiMode.MSC4532, True, V2),
    Api("emulated", "stock", ApiMode.EMULATED, False, (*CLASSIC, PresenceState.BUSY)),
]

# -- servers: one of each kind for the module, Synapse's default rate limits -------------------


@pytest.fixture(scope="module")
def module_synapse(tmp_path_factory) -> Iterator[SynapseServer]:
    server = SynapseServer(
        tmp_path_factory.mktemp("own-writes-module"),
        options=SynapseOptions(relaxed_rate_limits=False, modules=[{"module": OVERRIDE_MODULE, "config": {}}]),
    )
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def stock_synapse(tmp_path_factory) -> Iterator[SynapseServer]:
    server = SynapseServer(
        tmp_path_factory.mktemp("own-writes-stock"),
        options=SynapseOptions(
            relaxed_rate_limits=False, extra_config={"experimental_features": {"msc3026_enabled": True}}
        ),
    )
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

    async def ran_since(
        self, mark: tuple[int, int, int], *, polls: int, syncs: int, watched: int, timeout: float = 60
    ) -> None:
        await wait_for(
            lambda: (
                self.polls - mark[0] >= polls and self.syncs - mark[1] >= syncs and self.watched - mark[2] >= watched
            ),
            timeout=timeout,
            interval=0.1,
        )

    def elsewhere(self) -> list[str]:
        return [m for e, m in self.events if e is ELSEWHERE]


def new_session(base_url: str, user, tmp_path, poll: float = 0.3) -> tuple[Session, Watched]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    session = session_for(
        base_url,
        tmp_path,
        user_id=user.user_id,
        device_id=user.device_id,
        token=user.access_token,
        timings=SessionTimings(poll_interval=poll, sync_timeout_ms=500),  # poll: 60 s in real life
    )
    return session, Watched(session)


async def started(session: Session, watched: Watched, timeout: float = 60) -> None:
    await session.start()
    await wait_for(
        lambda: session.state.connection is Connection.CONNECTED and watched.syncs >= 1, timeout=timeout, interval=0.1
    )


def one_hour() -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)


# -- the matrix: every combination its own user and session, all side by side ------------------
#
# Each combination waits for the echo of its change and two syncs after it, and the session
# spaces its syncs past rc_presence's window (SessionTimings.presence_sync_spacing, 12 s): about 25-35 s a
# combination. rc_presence is per user, so all combinations of a server kind run at once in one
# event loop (as test_override_visible does), and every one that failed is named in the one
# assertion message.


@dataclass
class Combo:
    api: Api
    state: PresenceState
    timed: bool
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.api.name}/{self.state.value}/{'timed' if self.timed else 'untimed'}"


def combos_on(server_kind: str) -> list[Combo]:
    return [
        Combo(api, state, timed)
        for api in APIS
        if api.server == server_kind
        for state in api.states
        for timed in (True, False)
    ]


async def own_change_stays_ours(session: Session, watched: Watched, combo: Combo) -> None:
    """Start, make our change, wait until the sync and the poll have seen it; note in
    `combo.problems` what went wrong (nothing: it stayed ours, with its end)."""
    api, state = combo.api, combo.state
    await started(session, watched, timeout=MATRIX_TIMEOUT)
    if session.state.api is not api.mode or state not in _offered(session):
        combo.problems.append(
            f"api {session.state.api}, offering {sorted(s.value for s in _offered(session))}: "
            f"not {api.mode} with {state.value}"
        )
        return
    until = one_hour() if combo.timed else None
    before = watched.mark()
    await session.set_override(state, until=until)
    # The sync has brought the echo of our change (where the event is watched), and the poll has
    # read it back twice, after the change was answered; only then is "nothing announced" news.
    await watched.ran_since(before, polls=0, syncs=0, watched=1 if api.push else 0, timeout=MATRIX_TIMEOUT)
    await watched.ran_since(watched.mark(), polls=2, syncs=2, watched=0, timeout=MATRIX_TIMEOUT)
    if watched.elsewhere():
        combo.problems.append(f"announced as changed elsewhere: {watched.elsewhere()}")
    if session.state.override is None or session.state.override.state is not state:
        combo.problems.append(f"the override is {session.state.override}, not {state.value}")
    if session.state.override_until != until:
        combo.problems.append(f"override_until is {session.state.override_until}, not {until}")


def _offered(session: Session) -> frozenset[PresenceState]:
    return session._api.offered if session._api else frozenset()


async def _run_combo(combo: Combo, base_url: str, user, tmp: Path) -> None:
    session, watched = new_session(base_url, user, tmp)
    try:
        await asyncio.wait_for(own_change_stays_ours(session, watched, combo), COMBO_TIMEOUT)
    except Exception as e:  # noqa: BLE001 - named with its combination, the others go on
        combo.problems.append(f"{type(e).__name__}: {e}")
    finally:
        await session.close()


def _report(combos: list[Combo]) -> str:
    failed = [c for c in combos if c.problems]
    return f"{len(failed)} of {len(combos)} combinations failed:\n" + "\n".join(
        f"{c.name}: {'; '.join(c.problems)}" for c in failed
    )


@pytest.mark.parametrize("server_kind", ["module", "stock"])
def test_own_change_is_never_elsewhere(server_kind, request, user_factory, tmp_path):
    """Every API a real Synapse offers (the module's, through proxies that hide parts of it;
    stock Synapse's emulated mode) × every state it offers × timed or not."""
    server: SynapseServer = request.getfixturevalue(f"{server_kind}_synapse")
    combos = combos_on(server_kind)
    users = [user_factory(server, "own") for _ in combos]

    async def main() -> None:
        async with contextlib.AsyncExitStack() as stack:
            proxies = {}
            for api in {c.api for c in combos}:
                proxies[api] = await stack.enter_async_context(
                    CountingProxy(server.base_url, hide_paths=api.hide_paths, hide_flags=api.hide_flags)
                )
            await asyncio.gather(
                *(
                    _run_combo(c, proxies[c.api].base_url, user, tmp_path / c.name.replace("/", "-"))
                    for c, user in zip(combos, users)
                )
            )

    asyncio.run(main())
    assert not any(c.problems for c in combos), _report(combos)


def test_own_change_is_never_elsewhere_on_the_msc4532_stand_in(tmp_path):
    """MSC4532 alone in its stable spelling: the FAKE stand-in (no real server has MSC4532
    alone), one per combination (each serves one user)."""
    combos = combos_on("fake")
    me = RegisteredUser("@alice:localhost", "-", "not-a-real-token", "TESTDEVICE")

    async def main() -> None:
        async with contextlib.AsyncExitStack() as stack:
            fakes = [await stack.enter_async_context(FakeMsc4532Server(stable=True)) for _ in combos]
            await asyncio.gather(
                *(
                    _run_combo(c, fake.base_url, me, tmp_path / c.name.replace("/", "-"))
                    for c, fake in zip(combos, fakes)
                )
            )

    asyncio.run(main())
    assert not any(c.problems for c in combos), _report(combos)


# -- late answers -----------------------------------------------------------------------------


def give_up_puts_after(session: Session, seconds: float) -> None:
    """The client's patience for a PUT (30 s in real life), so a test need not wait that long."""
    json = session._requests.json

    async def patient(method, path, body=None, *, timeout=None):
        return await json(method, path, body, timeout=seconds if method == "PUT" else timeout)

    session._requests.json = patient  # the backends share this object


@dataclass
class LateCase:
    lost: str  # "client-gave-up" or "gateway-timeout"
    state: PresenceState
    timed: bool
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.lost}/{self.state.value}/{'timed' if self.timed else 'untimed'}"


LATE_CASES = [
    (lost, state, timed)
    for lost in ("client-gave-up", "gateway-timeout")
    for state in (PresenceState.ONLINE, PresenceState.BUSY)
    for timed in (True, False)
]


async def _late_answer(case: LateCase, upstream: str, user, tmp: Path) -> None:
    try:
        await asyncio.wait_for(_late_answer_case(case, upstream, user, tmp), COMBO_TIMEOUT)
    except Exception as e:  # noqa: BLE001 - named with its case, the others go on
        case.problems.append(f"{type(e).__name__}: {e}")


async def _late_answer_case(case: LateCase, upstream: str, user, tmp: Path) -> None:
    """One case, with a proxy of its own (its hook holds this user's PUT answers only)."""
    release = asyncio.Event()
    held: list[str] = []

    async def lose_our_answer(method: str, path: str) -> web.StreamResponse | None:
        # The change's own PUT: MSC4043's override, or (Busy) MSC4532's account data. Not the
        # PUT status that says this device is connected before Busy lands (issue 22's rule 1).
        if method != "PUT" or release.is_set() or not (path.endswith("/override") or "/account_data/" in path):
            return None
        held.append(path)
        if case.lost == "gateway-timeout":
            return web.Response(status=504, text="<html>504 Gateway Time-out</html>", content_type="text/html")
        await release.wait()
        return None

    async with CountingProxy(upstream, before_answer=lose_our_answer) as proxy:
        session, watched = new_session(proxy.base_url, user, tmp)
        if case.lost == "client-gave-up":
            give_up_puts_after(session, 3.0)
        try:
            await started(session, watched, timeout=MATRIX_TIMEOUT)
            until = one_hour() if case.timed else None
            expected = ServerUnreachable if case.lost == "client-gave-up" else BadResponse
            try:
                await session.set_override(case.state, until=until)
            except expected:
                pass
            else:
                case.problems.append(f"the click did not raise {expected.__name__}")
                return
            await wait_for(lambda: held, MATRIX_TIMEOUT)  # it went through to the server; only its answer is lost
            release.set()
            await watched.ran_since(watched.mark(), polls=2, syncs=2, watched=0, timeout=MATRIX_TIMEOUT)
            if session.state.override is None or session.state.override.state is not case.state:
                case.problems.append(f"the override is {session.state.override}, not {case.state.value}")
            if watched.elsewhere():
                case.problems.append(f"announced as changed elsewhere: {watched.elsewhere()}")
            if session.state.override_until != until:
                case.problems.append(f"override_until is {session.state.override_until}, not {until}")
        except Exception as e:  # noqa: BLE001 - named with its case, the others go on
            case.problems.append(f"{type(e).__name__}: {e}")
        finally:
            release.set()
            await session.close()


def test_a_change_whose_answer_never_came_is_ours_when_it_lands(module_synapse, user_factory, tmp_path):
    """The server takes the change, its answer is lost: the client stopped waiting (the answer
    comes too late), or a reverse proxy did and said 504. The change is on the server, the
    click failed. The sync then brings it (Busy goes through MSC4532's event) and the poll reads
    it: that is our own change landing, not someone else's, and a timed one keeps its end.
    Every case (lost how × Online/Busy × timed or not) its own user and proxy, side by side."""
    cases = [LateCase(*c) for c in LATE_CASES]
    users = [user_factory(module_synapse, "late") for _ in cases]

    async def main() -> None:
        await asyncio.gather(
            *(
                _late_answer(c, module_synapse.base_url, user, tmp_path / c.name.replace("/", "-"))
                for c, user in zip(cases, users)
            )
        )

    asyncio.run(main())
    assert not any(c.problems for c in cases), _report(cases)


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
