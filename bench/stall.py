"""How long a session takes to notice a server that stops answering, with the liveness check
(tray_app/matrix/liveness.py) beside the baseline without it (the long-poll sync's own deadline).

    .venv/bin/python bench/stall.py [--runs N]

One real Synapse (the module, default rate limits). Per run: a session connects, and as its
long poll (30 s, the shipped one) begins, Synapse is paused with SIGSTOP (its kernel still
accepts and acknowledges, as a stalled process or a paused VM would); the time from the pause
to the session's DISCONNECTED is measured, then SIGCONT and the time back to CONNECTED. The
baseline sets SessionTimings.liveness_silence to infinity (no probe: what the session did before the check).
Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions, SynapseServer  # noqa: E402
from tests.support.sessions import session_for, wait_for  # noqa: E402
from tray_app.session import SessionTimings  # noqa: E402
from tray_app.session_state import Connection  # noqa: E402


async def one_run(server: SynapseServer, user, work: Path, check: bool) -> tuple[float, float, int]:
    timings = SessionTimings() if check else SessionTimings(liveness_silence=math.inf)
    session = session_for(
        server.base_url, work, user_id=user.user_id, device_id=user.device_id, token=user.access_token, timings=timings
    )
    try:
        await session.start()
        await wait_for(lambda: session.state.connection is Connection.CONNECTED)
        await wait_for(lambda: session._since is not None)
        started = session._last_sync_start
        await wait_for(lambda: session._last_sync_start != started, timeout=60)  # a long poll begins
        os.kill(server.pid, signal.SIGSTOP)
        t0 = time.monotonic()
        try:
            await wait_for(lambda: session.state.connection is Connection.DISCONNECTED, timeout=120, interval=0.05)
            noticed = time.monotonic() - t0
        finally:
            os.kill(server.pid, signal.SIGCONT)
        t1 = time.monotonic()
        await wait_for(lambda: session.state.connection is Connection.CONNECTED, timeout=120, interval=0.05)
        return noticed, time.monotonic() - t1, session._liveness.probes
    finally:
        await session.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="presence-tray-stall-") as tmp:
        work = Path(tmp)
        server = SynapseServer(
            work / "synapse",
            options=SynapseOptions(relaxed_rate_limits=False, modules=[{"module": OVERRIDE_MODULE, "config": {}}]),
        ).start()
        try:
            rows = {}
            for check in (True, False):
                figures = []
                for n in range(args.runs):
                    user = server.register_user(f"stall-{int(check)}-{n}", "pw-" + os.urandom(6).hex())
                    run_dir = work / f"run-{int(check)}-{n}"
                    run_dir.mkdir()
                    figures.append(asyncio.run(one_run(server, user, run_dir, check)))
                rows["with the liveness check" if check else "baseline: the sync's deadline"] = figures
        finally:
            server.stop()
    print(f"{'':32} {'noticed after SIGSTOP (s)':>34}  {'reconnected after SIGCONT (s)':>30}  probes")
    for name, figures in rows.items():
        noticed = ", ".join(f"{f[0]:.1f}" for f in figures)
        back = ", ".join(f"{f[1]:.1f}" for f in figures)
        print(
            f"{name:32} {noticed:>26} (med {statistics.median(f[0] for f in figures):4.1f})  {back:>30}  "
            f"{', '.join(str(f[2]) for f in figures)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
