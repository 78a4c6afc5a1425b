"""Push bench (issue 10): how soon a change made on another device shows in the tray session,
and what the idle session costs in requests, beside a raw baseline.

- Another device changes the override, alternately through the MSC4043 PUT and through a
  direct account-data PUT of the MSC4532 event; we time from just before its PUT until the
  tray session (a real `Session`, default timings) shows the new override, and until a bare
  long-poll `/sync` (the raw baseline: the same filter, nothing else) carries the event.
- Idle: the session's requests per minute through a counting proxy, no change made, beside
  the bare long-poll's.

Run: `bench/bench.py push` (part of `make bench`), or `python bench/push.py [--rounds N] [--idle S]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import aiohttp

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions, SynapseServer  # noqa: E402
from tests.support.counting_proxy import CountingProxy  # noqa: E402
from tests.support.sessions import session_for  # noqa: E402
from tray_app.backends.msc4532 import PREFIX, UNSTABLE_EVENT  # noqa: E402
from tray_app.session import sync_filter  # noqa: E402
from tray_app.session_state import Connection  # noqa: E402
from tray_app.states import PresenceState  # noqa: E402

ROUND_TIMEOUT = 75.0  # beyond one 60 s poll: a change that never pushes still shows
STATES = (PresenceState.UNAVAILABLE, PresenceState.ONLINE, PresenceState.OFFLINE)
V2 = {
    PresenceState.UNAVAILABLE: f"{PREFIX}.idle",
    PresenceState.ONLINE: f"{PREFIX}.active",
    PresenceState.OFFLINE: "offline",
}


class RawLongPoll:
    """The baseline: a bare long-poll /sync of a third device with the tray's filter, noting
    when each account-data event arrives."""

    def __init__(self, base_url: str, token: str, user_id: str) -> None:
        self.base_url, self.token, self.user_id = base_url, token, user_id
        self.seen: list[tuple[float, dict]] = []
        self.requests = 0
        self.task: asyncio.Task | None = None

    async def run(self) -> None:
        flt = json.dumps(sync_filter(self.user_id, (UNSTABLE_EVENT,)))
        since = None
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {self.token}"}) as http:
            while True:
                params = {"filter": flt, "timeout": "30000", "set_presence": "offline"}
                if since:
                    params["since"] = since
                self.requests += 1
                async with http.get(self.base_url + "/_matrix/client/v3/sync", params=params) as r:
                    body = await r.json()
                now = time.monotonic()
                since = body["next_batch"]
                for ev in body.get("account_data", {}).get("events", []):
                    if ev.get("type") == UNSTABLE_EVENT:
                        self.seen.append((now, ev.get("content") or {}))

    def first_after(self, t0: float, predicate) -> float | None:
        for t, content in self.seen:
            if t >= t0 and predicate(content):
                return t
        return None


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def _row(label: str, ms: list[float], misses: int) -> str:
    if not ms:
        return f"    {label:<34} no change seen within {ROUND_TIMEOUT:.0f} s ({misses} rounds)"
    miss = f", {misses} missed" if misses else ""
    return f"    {label:<34} p50 {_pct(ms, 50):7.0f} ms   p95 {_pct(ms, 95):7.0f} ms   (n={len(ms)}{miss})"


async def bench_push(server: SynapseServer, rounds: int = 12, idle_seconds: float = 180.0) -> None:
    user = server.register_user("bench-push", "pw-bench-push")
    other = server.login(user.user_id, "pw-bench-push")  # "another device"
    watcher = server.login(user.user_id, "pw-bench-push")  # the raw baseline's device
    override_path = f"/_matrix/client/v1/presence/{quote(user.user_id, safe='')}/override"
    data_path = f"/_matrix/client/v3/user/{quote(user.user_id, safe='')}/account_data/{UNSTABLE_EVENT}"
    tmp = Path(tempfile.mkdtemp(prefix="bench-push-"))
    (tmp / "plain").mkdir()
    async with (
        CountingProxy(server.base_url) as proxy,
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {other.access_token}"}) as http,
    ):
        session = session_for(
            proxy.base_url, tmp, user_id=user.user_id, device_id=user.device_id, token=user.access_token
        )
        raw = RawLongPoll(server.base_url, watcher.access_token, user.user_id)
        raw.task = asyncio.get_running_loop().create_task(raw.run())
        try:
            await session.start()
            while session.state.connection is not Connection.CONNECTED:
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # the first syncs are in
            api = session.state.api_label
            tray: dict[str, list[float]] = {"MSC4043 PUT": [], "account-data PUT": []}
            base: dict[str, list[float]] = {"MSC4043 PUT": [], "account-data PUT": []}
            misses = {"MSC4043 PUT": 0, "account-data PUT": 0}
            raw_misses = {"MSC4043 PUT": 0, "account-data PUT": 0}
            for i in range(rounds * 2):
                kind = "MSC4043 PUT" if i % 2 == 0 else "account-data PUT"
                target = STATES[(i // 2) % len(STATES)]
                if session.state.override is not None and session.state.override.state is target:
                    target = STATES[(i // 2 + 1) % len(STATES)]
                t0 = time.monotonic()
                if kind == "MSC4043 PUT":
                    async with http.put(server.base_url + override_path, json={"presence_override": target.value}) as r:
                        r.raise_for_status()
                    expect_raw = lambda c, t=target: c.get("org.presence_tray.msc4043_override") == t.value  # noqa: E731
                else:
                    async with http.put(server.base_url + data_path, json={"state_override": V2[target]}) as r:
                        r.raise_for_status()
                    expect_raw = lambda c, t=target: c.get("state_override") == V2[t]  # noqa: E731
                seen_at = None
                while time.monotonic() - t0 < ROUND_TIMEOUT:
                    o = session.state.override
                    if o is not None and o.state is target:
                        seen_at = time.monotonic()
                        break
                    await asyncio.sleep(0.005)
                if seen_at is None:
                    misses[kind] += 1
                else:
                    tray[kind].append((seen_at - t0) * 1000)
                await asyncio.sleep(0.3)
                raw_at = raw.first_after(t0, expect_raw)
                if raw_at is None:
                    raw_misses[kind] += 1
                else:
                    base[kind].append((raw_at - t0) * 1000)
            print(f"Push: another device's change -> seen (real Synapse + module; the tray's API: {api})")
            for kind in tray:
                print(f"  via {kind}")
                print(_row("tray session (override shown)", tray[kind], misses[kind]))
                print(_row("raw long-poll /sync (event seen)", base[kind], raw_misses[kind]))
            # Idle: nothing changes; count what each side asks, beside a session that does not
            # watch (MSC4532 hidden from it: the applet as it was before push).
            plain_user = server.register_user("bench-push-plain", "pw-bench-push")
            async with CountingProxy(server.base_url, hide_flags=(PREFIX,)) as plain_proxy:
                plain = session_for(
                    plain_proxy.base_url,
                    tmp / "plain",
                    user_id=plain_user.user_id,
                    device_id=plain_user.device_id,
                    token=plain_user.access_token,
                )
                try:
                    await plain.start()
                    while plain.state.connection is not Connection.CONNECTED:
                        await asyncio.sleep(0.05)
                    proxy.clear()
                    plain_proxy.clear()
                    raw_before = raw.requests
                    await asyncio.sleep(idle_seconds)
                    rows = [
                        ("tray session (push)", proxy.requests(without_sync=False)),
                        ("tray session, no push (as before)", plain_proxy.requests(without_sync=False)),
                    ]
                finally:
                    await plain.close()
            minutes = idle_seconds / 60
            print(f"  Idle requests per minute (over {idle_seconds:.0f} s, no change made)")
            for label, reqs in rows:
                kinds: dict[str, int] = {}
                for _method, path in reqs:
                    key = "sync" if path.endswith("/sync") else ("override GET" if path.endswith("/override") else path)
                    kinds[key] = kinds.get(key, 0) + 1
                detail = ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items()))
                print(f"    {label:<34} {len(reqs) / minutes:5.2f}/min  ({detail})")
            print(f"    {'raw long-poll /sync':<34} {(raw.requests - raw_before) / minutes:5.2f}/min")
        finally:
            raw.task.cancel()
            await asyncio.gather(raw.task, return_exceptions=True)
            await session.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=12, help="changes per kind (default 12)")
    ap.add_argument("--idle", type=float, default=180.0, help="seconds of idle counting (default 180)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # rc_presence relaxed: the figure is how soon a change reaches the tray, over many
        # changes in a row; under the default limit most rounds would time a 429's wait instead.
        options = SynapseOptions(modules=[{"module": OVERRIDE_MODULE, "config": {}}], relaxed_presence_limit=True)
        with SynapseServer(Path(tmp) / "hs", options=options) as server:
            server.start()
            asyncio.run(bench_push(server, args.rounds, args.idle))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
