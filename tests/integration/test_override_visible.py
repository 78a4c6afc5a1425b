"""Issue 22: while the applet runs, others see the chosen override, on every API and whatever
automatic presence is set to; `status` and the tray's "Others see you as" agree with them.

Real Synapse (with the module, and stock for emulated mode) with Synapse's DEFAULT rate limits
(rc_presence 0.1/s burst 1), and `presence.sync_online_timeout` shortened to 15 s (a device
counts as gone 15 s after its last counted sync; Synapse checks on a 5 s wheel, so up to ~25 s).
MSC4043 alone and MSC4532 alone are the same module behind a proxy that hides the other API;
MSC4532 alone is also run against the stand-in (tests/harness/fake_msc4532_server.py).

Each combination (override x automatic-presence setting) is its own user and its own session,
all run side by side in one event loop against one server, so the matrix costs one sampling
window per API: an observer who shares a room with each reads their presence every second for
longer than the offline timeout (40 s) once the click was answered. No sample may differ.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from tests.harness.fake_msc4532_server import FakeMsc4532Server
from tests.harness.fixtures import _start
from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions, SynapseServer
from tests.support.counting_proxy import CountingProxy
from tests.support.sessions import session_for, wait_for
from tray_app.idle.automatic import AutomaticPresence
from tray_app.idle.chooser import Sources
from tray_app.idle.policy import IdlePolicy
from tray_app.session import Session
from tray_app.session_state import ApiMode, Connection
from tray_app.states import PresenceState

pytestmark = pytest.mark.integration

OFFLINE_TIMEOUT_S = 15
SAMPLE_FOR_S = 40.0  # > the offline timeout plus Synapse's 5 s timer wheel, twice over
# Room set-up only: the observer is invited to and joins one room per tested user (25 here),
# past the default bursts of these limits (a join is an event too: rc_message). Every other
# limit, rc_presence first, stays Synapse's default.
_SETUP = {"per_second": 1000, "burst_count": 1000}
SERVER_CONFIG = {
    "presence": {"enabled": True, "sync_online_timeout": f"{OFFLINE_TIMEOUT_S}s"},
    "rc_message": _SETUP,
    "rc_room_creation": _SETUP,
    "rc_joins": {"local": _SETUP, "remote": _SETUP},
    "rc_joins_per_room": _SETUP,
    "rc_invites": {"per_room": _SETUP, "per_user": _SETUP, "per_issuer": _SETUP},
}

S = PresenceState
# What others see for each override: Busy is `unavailable` without MSC3026 (Synapse).
ON_SYNAPSE = {
    S.ONLINE: "online",
    S.UNAVAILABLE: "unavailable",
    S.BUSY: "unavailable",
    S.OFFLINE: "offline",
    S.DISABLED: "offline",
}
ON_STAND_IN = {**ON_SYNAPSE, S.BUSY: "busy"}  # the stand-in has busy on the status endpoint


# -- automatic presence, as the tray's idle driver hands it over ------------------------------


class StillActive:
    """An idle source whose person is at the keyboard."""

    name = "test-idle"

    async def idle_seconds(self) -> float:
        return 0.0

    async def close(self) -> None:
        pass


class Locked:
    name = "test-lock"

    async def locked(self) -> bool:
        return True

    def on_change(self, callback) -> None:
        pass

    async def close(self) -> None:
        pass


# setting -> (policy, sources, the automatic presence the session gets)
AUTOMATIC: dict[str, tuple[Any, Any, PresenceState | None]] = {
    "on": (lambda user: IdlePolicy(), lambda: Sources(idle=StillActive()), S.ONLINE),
    "on-locked": (lambda user: IdlePolicy(), lambda: Sources(idle=StillActive(), locks=[Locked()]), S.OFFLINE),
    "off": (lambda user: IdlePolicy(enabled=False), lambda: Sources(idle=StillActive()), None),
    "off-for-account": (lambda user: IdlePolicy(off_for=frozenset({user})), lambda: Sources(idle=StillActive()), None),
    "no-source": (lambda user: IdlePolicy(), lambda: Sources(), None),
}


@dataclass
class Combo:
    override: PresenceState
    automatic: str
    user_id: str
    token: str = field(repr=False)
    device_id: str
    expected: str
    session: Session | None = None
    auto: AutomaticPresence | None = None
    wrong: list[tuple[float, str]] = field(default_factory=list)
    samples: int = 0

    @property
    def name(self) -> str:
        return f"{self.override.value}/{self.automatic}"


async def _run_applet(combo: Combo, base_url: str, tmp: Path) -> None:
    """Start the applet's session with its automatic presence, let it settle, click."""
    session = session_for(base_url, tmp, user_id=combo.user_id, device_id=combo.device_id, token=combo.token)
    combo.session = session
    policy, sources, wanted = AUTOMATIC[combo.automatic]
    policy(combo.user_id).save(session._settings)

    async def choose() -> Sources:
        return sources()

    combo.auto = AutomaticPresence(session._settings, choose=choose)
    await session.start()
    await wait_for(lambda: session.state.connection is Connection.CONNECTED, 60, 0.1)
    await combo.auto.start(lambda: [session])
    await wait_for(lambda: session.state.automatic is wanted, 30, 0.1)
    await asyncio.sleep(3)  # the applet has been running a while: its syncs carry that
    await session.set_override(combo.override)


async def _observe(combos: list[Combo], read, seconds: float) -> None:
    loop = asyncio.get_running_loop()
    start = loop.time()
    while (now := loop.time() - start) < seconds:
        seen = await asyncio.gather(*(read(c) for c in combos))
        for combo, presence in zip(combos, seen):
            combo.samples += 1
            if presence != combo.expected:
                combo.wrong.append((round(now, 1), presence))
        await asyncio.sleep(1.0)


async def _status_presence(combo: Combo, base_url: str, tmp: Path) -> str | None:
    """What `presence-tray status` says: a one-shot session's read."""
    once = session_for(base_url, tmp, user_id=combo.user_id, device_id=combo.device_id, token=combo.token)
    try:
        return (await once.refresh()).presence
    finally:
        await once.close()


async def _matrix(combos: list[Combo], base_url_of, read, tmp: Path, api: ApiMode) -> list[str]:
    """Run every combination side by side; returns what went wrong (empty: all held)."""
    try:
        await asyncio.gather(*(_run_applet(c, base_url_of(c), tmp / c.name.replace("/", "-")) for c in combos))
        assert {c.session.state.api for c in combos} == {api}
        await _observe(combos, read, SAMPLE_FOR_S)
        problems = []
        for c in combos:
            if c.wrong:
                problems.append(
                    f"{c.name}: others saw {c.wrong[:4]}{'…' if len(c.wrong) > 4 else ''} "
                    f"in {len(c.wrong)} of {c.samples} samples, not {c.expected!r}"
                )
            if c.session.state.presence != c.expected:
                problems.append(f"{c.name}: the tray says others see {c.session.state.presence!r}, not {c.expected!r}")
            status = await _status_presence(c, base_url_of(c), tmp / (c.name.replace("/", "-") + "-cli"))
            if status != c.expected:
                problems.append(f"{c.name}: status says {status!r}, others see {c.expected!r}")
        return problems
    finally:
        for c in combos:
            if c.auto is not None:
                await c.auto.close()
            if c.session is not None:
                await c.session.close()


# -- servers ------------------------------------------------------------------------------------


def _server(tmp_path_factory, name: str, modules: list[dict]) -> Iterator[SynapseServer]:
    options = SynapseOptions(relaxed_rate_limits=False, modules=modules, extra_config=SERVER_CONFIG)
    server = SynapseServer(tmp_path_factory.mktemp(name), options=options)
    try:
        yield _start(server)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def module_server(tmp_path_factory) -> Iterator[SynapseServer]:
    yield from _server(tmp_path_factory, "visible-module", [{"module": OVERRIDE_MODULE, "config": {}}])


@pytest.fixture(scope="module")
def stock_server(tmp_path_factory) -> Iterator[SynapseServer]:
    yield from _server(tmp_path_factory, "visible-stock", [])


def _users(server: SynapseServer, overrides, expected: dict) -> tuple[list[Combo], str]:
    """A user per combination, each sharing a room with one observer; the observer's token."""
    tag = secrets.token_hex(3)
    observer = server.register_user(f"observer-{tag}", secrets.token_urlsafe(12))
    combos = []
    for override in overrides:
        for automatic in AUTOMATIC:
            user = server.register_user(f"v-{override.value}-{automatic}-{tag}", secrets.token_urlsafe(12))
            room = server.create_room(user.access_token, invite=[observer.user_id])
            server.join_room(observer.access_token, room)
            combos.append(
                Combo(override, automatic, user.user_id, user.access_token, user.device_id, expected[override])
            )
    return combos, observer.access_token


def _reader(http: aiohttp.ClientSession, base_url: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def read(user_id: str) -> str:
        async with http.get(
            f"{base_url}/_matrix/client/v3/presence/{quote(user_id, safe='')}/status", headers=headers
        ) as r:
            body = await r.json()
            assert r.status == 200, body
            return str(body.get("presence"))

    return read


ALL_BUT = lambda *left_out: [s for s in (S.ONLINE, S.UNAVAILABLE, S.BUSY, S.OFFLINE, S.DISABLED) if s not in left_out]  # noqa: E731

# api name -> (the server fixture, what the proxy hides, the overrides that API offers, mode)
SYNAPSE_APIS = {
    "msc4043+msc4532": ("module_server", {}, ALL_BUT(), ApiMode.STABLE),
    "msc4043": (
        "module_server",
        {"hide_flags": ("org.continuwuity.presence_v2.msc4532",)},
        ALL_BUT(S.BUSY),
        ApiMode.STABLE,
    ),
    "msc4532": (
        "module_server",
        {"hide_flags": ("support.feline.msc4043",), "hide_paths": ("/override",)},
        ALL_BUT(S.DISABLED),
        ApiMode.MSC4532,
    ),
    "emulated": ("stock_server", {}, ALL_BUT(S.BUSY), ApiMode.EMULATED),
}


@pytest.mark.parametrize("api", list(SYNAPSE_APIS))
def test_others_see_the_override_while_the_applet_runs(api, request, tmp_path):
    fixture, hide, overrides, mode = SYNAPSE_APIS[api]
    server: SynapseServer = request.getfixturevalue(fixture)
    combos, observer = _users(server, overrides, ON_SYNAPSE)

    async def main() -> list[str]:
        async with CountingProxy(server.base_url, **hide) as proxy, aiohttp.ClientSession() as http:
            read = _reader(http, server.base_url, observer)
            return await _matrix(combos, lambda c: proxy.base_url, lambda c: read(c.user_id), tmp_path, mode)

    problems = asyncio.run(main())
    assert problems == [], "\n".join(problems)


def test_others_see_the_override_on_the_msc4532_stand_in(tmp_path):
    """The same on the stand-in for a server with MSC4532 alone, which decides offline itself
    (MSC4532's rule 1: the client says offline, or is silent past the offline timeout). One
    stand-in per combination (each serves one user); its status endpoint is what others see."""
    combos = [
        Combo(override, automatic, "@alice:localhost", "stand-in-token", "TESTDEVICE", ON_STAND_IN[override])
        for override in ALL_BUT(S.DISABLED)
        for automatic in AUTOMATIC
    ]

    async def main() -> list[str]:
        fakes: dict[str, FakeMsc4532Server] = {}
        try:
            for c in combos:
                fakes[c.name] = await FakeMsc4532Server(offline_timeout=OFFLINE_TIMEOUT_S).__aenter__()

            async def read(c: Combo) -> str:
                return fakes[c.name].presence()

            return await _matrix(combos, lambda c: fakes[c.name].base_url, read, tmp_path, ApiMode.MSC4532)
        finally:
            for fake in fakes.values():
                await fake.__aexit__(None, None, None)

    problems = asyncio.run(main())
    assert problems == [], "\n".join(problems)
