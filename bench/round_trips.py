"""`bench/bench.py latency` (part of `make bench`): one raw PUT, one raw GET, the applet's click
and clear, interleaved, on loopback and through a proxy adding 25 ms each way (+50 ms RTT).
Prints each median beside one raw PUT; asserts nothing about time."""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import aiohttp

from tests.harness.synapse import SynapseServer
from tests.support.memory_keyring import MemoryKeyring
from tray_app.credentials import CredentialStore, StoredCredentials
from tray_app.session import Session
from tray_app.session_state import Connection
from tray_app.settings import Settings
from tray_app.states import PresenceState

ROUNDS = 40


class LatencyProxy:
    """A TCP proxy on loopback that delays every chunk by `one_way` seconds in each direction
    (order kept, no bandwidth limit): a server `2 * one_way` further away."""

    def __init__(self, upstream_port: int, one_way: float) -> None:
        self.upstream_port = upstream_port
        self.one_way = one_way
        self.server: asyncio.Server | None = None
        self.tasks: set[asyncio.Task] = set()

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def __aenter__(self) -> LatencyProxy:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        for t in list(self.tasks):
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        # The client's connect() already returned (the kernel answered its SYN); a real far
        # server would cost one more RTT here, which a kept-alive connection never pays again.
        up_r, up_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        loop = asyncio.get_running_loop()
        for src, dst in ((client_r, up_w), (up_r, client_w)):
            task = loop.create_task(self._pump(src, dst))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                await asyncio.sleep(max(0.0, due - loop.time()))
                if not data:
                    dst.close()
                    return
                dst.write(data)
                await dst.drain()

        sender = loop.create_task(deliver())
        try:
            while True:
                data = await src.read(65536)
                queue.put_nowait((loop.time() + self.one_way, data))
                if not data:
                    break
            await sender
        except (OSError, asyncio.CancelledError):
            sender.cancel()
            dst.close()


async def bench_round_trips(user, base_url: str, label: str) -> None:
    """Interleaved rounds, each op taking its turn at going first; every PUT changes the state
    (a raw PUT alternates online/offline, a click sets unavailable, a clear removes it)."""
    tmp = Path(tempfile.mkdtemp())
    creds = StoredCredentials(base_url, user.user_id, user.device_id, user.access_token)
    session = Session(creds, store=CredentialStore(MemoryKeyring()), settings=Settings.load(tmp / "s.json"))
    await session.start()  # as in the applet: the sync runs alongside
    while session.state.connection is not Connection.CONNECTED:
        await asyncio.sleep(0.01)
    url = f"{base_url}/_matrix/client/v1/presence/{quote(user.user_id, safe='')}/override"
    headers = {"Authorization": f"Bearer {user.access_token}"}
    times: dict[str, list[float]] = {"raw PUT": [], "raw GET": [], "click": [], "clear": []}

    async with aiohttp.ClientSession() as http:
        # Warm the raw client's connection, as the session's is after its start.
        async with http.get(url, headers=headers) as r:
            await r.read()

        async def raw_put(i: int) -> None:
            # Pre-encoded bytes: aiohttp's json= path measured ~2 ms slower, a baseline that
            # would flatter us.
            body = json.dumps({"presence_override": "online" if i % 2 else "offline"}).encode()
            t0 = time.perf_counter()
            async with http.put(url, data=body, headers={**headers, "Content-Type": "application/json"}) as r:
                await r.read()
            times["raw PUT"].append(time.perf_counter() - t0)
            assert r.status == 200

        async def raw_get(i: int) -> None:
            t0 = time.perf_counter()
            async with http.get(url, headers=headers) as r:
                await r.read()
            times["raw GET"].append(time.perf_counter() - t0)
            assert r.status == 200

        async def click(i: int) -> None:
            t0 = time.perf_counter()
            await session.set_override(PresenceState.UNAVAILABLE)
            times["click"].append(time.perf_counter() - t0)

        async def clear(i: int) -> None:
            t0 = time.perf_counter()
            await session.set_override(None)
            times["clear"].append(time.perf_counter() - t0)

        ops = [raw_put, raw_get, click, clear]
        for i in range(ROUNDS):
            for op in ops[i % 4 :] + ops[: i % 4]:
                await op(i)
                await asyncio.sleep(0.02)
    await session.close()
    put = statistics.median(times["raw PUT"])
    print(f"  {label}")
    for name, values in times.items():
        m = statistics.median(values)
        print(f"    {name:<8} median {m * 1000:7.2f} ms  ({m / put:4.2f}x one raw PUT)")


async def bench_latency(server: SynapseServer) -> None:
    user = server.register_user("bench-latency", "pw-bench-latency")
    print(
        f"\nRound trips, median of {ROUNDS} interleaved rounds (override API, module loaded;"
        " target at +50 ms RTT: click and clear <= 1.15x one raw PUT)"
    )
    await bench_round_trips(user, server.base_url, "loopback")
    async with LatencyProxy(server.port, 0.025) as proxy:
        await bench_round_trips(user, proxy.base_url, "+50 ms RTT (proxy, 25 ms each way)")
