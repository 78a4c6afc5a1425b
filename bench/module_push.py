#!/usr/bin/env python3
"""How soon an MSC4043 change reaches the user's other device through /sync (issue 10).

    bench/module_push.py [--changes 30]

A real Synapse with the module on loopback. A second device of the user long-polls /sync with
an account-data filter admitting only MSC4532's event; each change is timed from the start of
the request that makes it to the return of that long poll. Side by side:
- `PUT .../override` (MSC4043), which the module mirrors into the event, and
- the raw baseline: the client writing the event itself (`PUT .../account_data/...`).
Prints median, p95 and max per path; asserts nothing (figures, not a test).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.harness.synapse import (  # noqa: E402
    OVERRIDE_MODULE,
    RegisteredUser,
    SynapseOptions,
    SynapseServer,
)

EVENT = "org.continuwuity.presence_v2.msc4532.presence.persistent"
PREFIX = "org.continuwuity.presence_v2.msc4532."
ONLY_THE_EVENT = {"account_data": {"types": [EVENT]}, "presence": {"types": []}, "room": {"rooms": []}}


def timed_changes(server: SynapseServer, other: RegisteredUser, n: int, change: Callable[[int], None]) -> list[float]:
    since = server.sync(other.access_token, filter=ONLY_THE_EVENT)["next_batch"]
    seconds = []
    for i in range(n):
        answers: list[dict] = []
        poll = threading.Thread(
            target=lambda s=since: answers.append(
                server.sync(other.access_token, since=s, timeout_ms=30_000, filter=ONLY_THE_EVENT)
            )
        )
        poll.start()
        time.sleep(0.3)  # the long poll is waiting on the server
        started = time.monotonic()
        change(i)
        poll.join()
        seconds.append(time.monotonic() - started)
        if not answers or not answers[0].get("account_data", {}).get("events"):
            raise SystemExit(f"change {i}: the long poll returned without the event")
        since = answers[0]["next_batch"]
    return seconds


def line(name: str, xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[max(0, int(round(0.95 * len(xs))) - 1)]
    return (
        f"{name:36s} n={len(xs)}  median {statistics.median(xs) * 1000:6.0f} ms  "
        f"p95 {p95 * 1000:6.0f} ms  max {xs[-1] * 1000:6.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # rc_presence relaxed: the figure is the push latency of many changes in a row, not
        # Synapse's 1-per-10 s limit (which would answer most of them 429).
        server = SynapseServer(
            Path(tmp),
            options=SynapseOptions(modules=[{"module": OVERRIDE_MODULE, "config": {}}], relaxed_presence_limit=True),
        ).start()
        try:
            me = server.register_user("bench", "bench-password-1")
            other = server.login(me.user_id, "bench-password-1")
            user = urllib.parse.quote(me.user_id, safe="")

            def msc4043(i: int) -> None:
                code, body = server.request(
                    "PUT",
                    f"/_matrix/client/v1/presence/{user}/override",
                    token=me.access_token,
                    body={"presence_override": ("online", "unavailable")[i % 2]},
                )
                assert code == 200, body

            def raw(i: int) -> None:
                code, body = server.request(
                    "PUT",
                    f"/_matrix/client/v3/user/{user}/account_data/{EVENT}",
                    token=me.access_token,
                    body={"state_override": PREFIX + ("active", "idle")[i % 2]},
                )
                assert code == 200, body

            print(line("MSC4043 PUT -> mirrored event", timed_changes(server, other, args.changes, msc4043)))
            print(line("account-data PUT (raw baseline)", timed_changes(server, other, args.changes, raw)))
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
