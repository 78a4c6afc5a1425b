#!/usr/bin/env python3
"""What a held presence override costs Synapse, per simulated hour (issue 14), and the
module's start-up work (issue 11), on Synapse's fake clock with its real presence handler.

    bench/module_cost.py [--python PATH] [--sizes 1,10000]

For each size N: N users hold an override (online / unavailable / offline / disabled) with no
device left, beside N ordinary idle users (the raw baseline: no override, device left). Per
simulated hour, starting 10 minutes after the devices' last sync: calls of the presence
handler's `_update_states` carrying those users, presence-stream rows written for them, and
`m.presence` events about the first of each group delivered to a room-mate syncing every 30 s.
Then the CPU time of the module's start-up work with N stored overrides.
Runs through server/run-synapse-tests (Synapse's test helpers from the matching sdist).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(python: str, n: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cost.jsonl"
        env = dict(os.environ, MODULE_COST_N=str(n), MODULE_COST_OUT=str(out))
        proc = subprocess.run(
            [
                str(REPO / "server" / "run-synapse-tests"),
                "--python",
                python,
                "presence_override_tests.bench_module_cost",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-6000:] + proc.stderr[-3000:])
            raise SystemExit(f"module_cost: the benchmark cases failed at N={n}")
        return [json.loads(line) for line in out.read_text().splitlines()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=str(REPO / ".venv" / "bin" / "python"))
    parser.add_argument("--sizes", default="1,10000")
    args = parser.parse_args()
    print(
        "Per simulated hour; 'held' = N users holding the override with no device left, "
        "'idle' = N ordinary users whose device left (raw baseline), same homeserver."
    )
    print(
        f"{'N':>6} {'override':<12} {'_update_states':>16} {'stream rows':>13} "
        f"{'mate /sync events':>18}   presence after the hour"
    )
    print(f"{'':>6} {'':<12} {'held / idle':>16} {'held / idle':>13} {'held / idle':>18}")
    startups = []
    for n in (int(x) for x in args.sizes.split(",")):
        records = run(args.python, n)
        for r in records:
            if r["kind"] == "startup":
                startups.append(r)
                continue
            h, i = r["held"], r["idle"]
            print(
                f"{n:>6} {r['value']:<12} "
                f"{h['update_states_calls']:>7} / {i['update_states_calls']:<6} "
                f"{h['stream_rows']:>5} / {i['stream_rows']:<5} "
                f"{h['mate_sync_events']:>8} / {i['mate_sync_events']:<7}   "
                f"{h['presence_seen']} / {i['presence_seen']}"
            )
    for r in startups:
        print(
            f"module start-up work with {r['n']:>6} stored overrides: "
            f"{r['cpu_s'] * 1000:.1f} ms CPU (load the table, compare, re-assert none)"
        )
    for r in startups:
        if "catch_up_cpu_s" in r:
            print(
                f"not at start: first sight of each of {r['n']:>6} users (account data read "
                f"once, lazily): {r['catch_up_cpu_s'] * 1000:.1f} ms CPU in all, "
                f"{r['catch_up_cpu_s'] * 1000 / r['n']:.3f} ms per user"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
