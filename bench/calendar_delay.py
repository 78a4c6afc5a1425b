"""The delay from a calendar event's start to what others see (Busy), beside a baseline: the
person clicking Busy themselves at that moment (a manual override, the fastest path there is).

    .venv/bin/python bench/calendar_delay.py [--runs N]

One real Synapse with the project's module and Synapse's MSC3026 busy presence (the server has
Busy for automatic presence), DEFAULT rate limits, and an observer in a shared room polling
`GET /presence/{user}/status` every 0.1 s. The applet's pieces as the applet wires them, with
production timings (the 30 s long poll, the 12 s sync spacing, the 30 s gate between automatic
changes): a session, AutomaticPresence (a stand-in idle source: always active) and
CalendarLink on a feed served by aiohttp on loopback. Per run:
- calendar: a meeting is published to start a few seconds later (at least 31 s after the last
  automatic change, so the gate is not what is measured), the feed is read at once, and the
  time from the event's DTSTART to the observer seeing Busy is taken; then its end back to
  Online;
- baseline: a click on Busy (`Session.set_override`) at a moment of our choosing, to the
  observer seeing Busy; then the clear.
A calendar that re-read its events only at each refresh (no timer to the next event boundary)
would add up to the refresh interval (300 s, 150 s on average) to the first figure.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions, SynapseServer  # noqa: E402
from tests.support.always_active import always_active_sources  # noqa: E402
from tests.support.calendar_feeds import CalendarServer, calendar, event  # noqa: E402
from tests.support.memory_keyring import MemoryKeyring  # noqa: E402
from tests.support.sessions import session_for, wait_for  # noqa: E402
from tray_app.automatic import Source  # noqa: E402
from tray_app.calendar.cache import FeedCache  # noqa: E402
from tray_app.calendar.link import CalendarLink  # noqa: E402
from tray_app.calendar.location import FeedLocation  # noqa: E402
from tray_app.calendar.store import CalendarStore  # noqa: E402
from tray_app.credentials import CredentialStore  # noqa: E402
from tray_app.idle.automatic import AutomaticPresence  # noqa: E402
from tray_app.session_state import ApiMode  # noqa: E402
from tray_app.settings import Settings  # noqa: E402
from tray_app.states import PresenceState  # noqa: E402

BUSY = ("org.matrix.msc3026.busy", "busy")
LASTS = timedelta(seconds=30)


async def observed(server: SynapseServer, watcher, user_id: str, want: tuple[str, ...], timeout: float) -> float:
    """Poll until the observer sees one of `want`; returns the wall time it was first seen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        presence = await asyncio.to_thread(server.get_presence, watcher.access_token, user_id)
        if presence.get("presence") in want:
            return time.time()
        await asyncio.sleep(0.1)
    raise TimeoutError(f"the observer never saw {want}")


async def bench(runs: int, work: Path) -> None:
    server = SynapseServer(
        work / "synapse",
        options=SynapseOptions(
            relaxed_rate_limits=False,
            modules=[{"module": OVERRIDE_MODULE, "config": {}}],
            extra_config={"experimental_features": {"msc3026_enabled": True}},
        ),
    ).start()
    try:
        user = server.register_user("meeting", "pw-" + os.urandom(6).hex())
        watcher = server.register_user("watcher", "pw-" + os.urandom(6).hex())
        room = server.create_room(user.access_token, invite=[watcher.user_id])
        server.join_room(watcher.access_token, room)
        session = session_for(
            server.base_url, work, user_id=user.user_id, device_id=user.device_id, token=user.access_token
        )
        feed = await CalendarServer(calendar()).start()
        settings = Settings.load(work / "settings.json")
        store = CalendarStore(settings, CredentialStore(MemoryKeyring()), FeedCache(work / "cache"))
        await store.use(FeedLocation.parse(feed.url))

        automatic = AutomaticPresence(settings, choose=always_active_sources)
        link = CalendarLink(store)
        link.offer_driver = lambda driver: automatic.sources.offer(Source.CALENDAR, driver)
        session.subscribe(lambda _s: automatic.server_known(session))
        calendar_delays: list[float] = []
        click_delays: list[float] = []
        try:
            await session.start()
            await wait_for(lambda: session.state.api is not ApiMode.UNKNOWN and session.state.presence is not None)
            await automatic.start(lambda: [session])
            await link.start()
            await observed(server, watcher, user.user_id, ("online",), 120)
            last_change = time.time()
            for n in range(runs):
                # The calendar: a meeting that starts a few seconds after the feed is read.
                start_ts = max(time.time() + 5, last_change + 31)
                start = datetime.fromtimestamp(start_ts, UTC).replace(microsecond=0) + timedelta(seconds=1)
                feed.publish(calendar(event(f"m{n}@bench", start, start + LASTS, "Team sync")), datetime.now(UTC))
                await link.source.refresh()
                seen = await observed(server, watcher, user.user_id, BUSY, 120)
                calendar_delays.append(seen - start.timestamp())
                await observed(server, watcher, user.user_id, ("online",), LASTS.total_seconds() + 120)
                last_change = time.time()
                # The baseline: a click on Busy, then its clear.
                await asyncio.sleep(11)  # out of the previous presence write's rc_presence window
                clicked = time.time()
                await session.set_override(PresenceState.BUSY)
                seen = await observed(server, watcher, user.user_id, BUSY, 120)
                click_delays.append(seen - clicked)
                await asyncio.sleep(11)
                await session.set_override(None)
                await observed(server, watcher, user.user_id, ("online",), 120)
                last_change = time.time()
                print(
                    f"run {n + 1}: meeting start -> others see Busy {calendar_delays[-1]:.2f} s; "
                    f"click on Busy -> others see Busy {click_delays[-1]:.2f} s",
                    flush=True,
                )
        finally:
            await link.close()
            await automatic.close()
            await session.close()
            await feed.close()
    finally:
        server.stop()

    def summary(values: list[float]) -> str:
        return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s ({len(values)} runs)"

    print()
    print(f"{'':36} {'calendar (this change)':>32}   {'baseline: a click on Busy':>32}")
    print(f"{'event start / click -> others see':36} {summary(calendar_delays):>32}   {summary(click_delays):>32}")
    print("A calendar read only at its 5-minute refresh would add up to 300 s (150 s on average).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="calendar-bench-") as work:
        asyncio.run(bench(args.runs, Path(work)))


if __name__ == "__main__":
    main()
