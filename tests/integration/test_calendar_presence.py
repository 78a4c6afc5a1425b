"""A meeting in the calendar makes another user see Busy, and only while it runs (issue 21).

Real pieces: a Synapse with the project's module and Synapse's MSC3026 busy presence (so the
server has Busy for automatic presence), Synapse's DEFAULT rate limits; the applet's controller
wired as the applet wires it (AutomaticPresence's hub, CalendarLink, the session restored from
the keyring); the calendar feed on a real aiohttp server on loopback. The idle source is a
stand-in (always active), named as such: the desktop's idle time moves with nothing here.

The meeting begins by the source's own timer (the feed was read before it started), a manual
override (Away) wins over it while it runs and its clear gives Busy back, and its end gives
Online back; the override is written only by the test's own clicks.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions
from tests.support.always_active import always_active_sources
from tests.support.calendar_feeds import CalendarServer, calendar, event
from tests.support.sessions import accounts_for, wait_for
from tray_app.automatic import Reason, Source
from tray_app.calendar.cache import FeedCache
from tray_app.calendar.link import CalendarLink
from tray_app.calendar.location import FeedLocation
from tray_app.calendar.store import CalendarStore
from tray_app.idle.automatic import AutomaticPresence
from tray_app.idle.policy import PresenceGate
from tray_app.session import SessionTimings
from tray_app.states import PresenceState
from tray_app.ui.controller import Controller

pytestmark = pytest.mark.integration

MSC3026_BUSY = "org.matrix.msc3026.busy"
# The meeting starts this long after the feed is read again (the source must find it by its own
# timer, not by a fetch) and lasts long enough for an override and its clear to be seen inside it.
STARTS_IN = timedelta(seconds=8)
LASTS = timedelta(seconds=90)


@pytest.fixture
def busy_server(synapse_factory):
    return synapse_factory(
        SynapseOptions(
            modules=[{"module": OVERRIDE_MODULE, "config": {}}],
            extra_config={"experimental_features": {"msc3026_enabled": True}},
        ),
        name="calendar-busy",
    )


def test_a_meeting_makes_the_observer_see_busy_until_it_ends(busy_server, user_factory, tmp_path) -> None:
    server = busy_server
    user = user_factory(server, "meeting")
    watcher = user_factory(server, "watcher")
    room = server.create_room(user.access_token, invite=[watcher.user_id])
    server.join_room(watcher.access_token, room)

    def others_see() -> str:
        return str(server.get_presence(watcher.access_token, user.user_id)["presence"])

    async def main() -> tuple[list[str], list[Any]]:
        feed = await CalendarServer(calendar()).start()  # an empty calendar first
        accounts = accounts_for(tmp_path, SessionTimings(sync_timeout_ms=1000))
        first = await accounts.login_password(user.user_id, user.password, homeserver=server.base_url)
        await first.close()  # (the controller restores the login from the keyring, as at a start)

        automatic = AutomaticPresence(accounts.settings, choose=always_active_sources)
        store = CalendarStore(accounts.settings, accounts.store, FeedCache(tmp_path / "calendar-cache"))
        await store.use(FeedLocation.parse(feed.url))
        link = CalendarLink(store)
        controller = Controller(accounts, idle=automatic, calendar=link)
        offers: list[Any] = []
        hub_offer = link.offer_driver

        def recording_offer(driver):
            offers.append(driver.reason.value if driver else None)
            hub_offer(driver)

        link.offer_driver = recording_offer
        seen: list[str] = []
        try:
            await controller.start()
            session = controller.sessions[user.user_id]
            session._auto_gate = PresenceGate(spacing=1.0)  # the test is not about the 30 s gate
            overrides_put: list[Any] = []
            real_json = session._requests.json

            async def recording_json(method, path, body=None, **kw):
                if method == "PUT" and ("/override" in path or "presence.persistent" in path):
                    overrides_put.append(body)
                return await real_json(method, path, body, **kw)

            session._requests.json = recording_json
            await wait_for(lambda: link.source is not None and feed.requests >= 1, 30)
            await wait_for(lambda: others_see() == "online", 60, 0.2)
            seen.append(others_see())
            assert session.state.automatic_busy, "the module with MSC3026 has Busy for automatic presence"

            start = datetime.now(UTC) + STARTS_IN
            feed.publish(calendar(event("sync@test", start, start + LASTS, "Team sync")), datetime.now(UTC))
            await link.source.refresh()
            assert link.meeting is None and offers == [None]
            requests = feed.requests

            await wait_for(lambda: others_see() == MSC3026_BUSY, 60, 0.2)
            seen.append(others_see())
            assert feed.requests == requests, "the meeting was found by a fetch, not by its start"
            driving = automatic.sources.driving(busy=True)
            assert driving is not None and driving.reason is Reason.MEETING and driving.label is None
            assert session.state.automatic is PresenceState.BUSY and session.state.override is None

            # A manual override wins while the meeting runs; its clear gives Busy back.
            await asyncio.gather(*controller.set_state(user.user_id, PresenceState.UNAVAILABLE))
            await wait_for(lambda: others_see() == "unavailable", 60, 0.2)
            seen.append(others_see())
            assert session.state.automatic is PresenceState.BUSY
            await asyncio.gather(*controller.set_state(user.user_id, None))
            await wait_for(lambda: others_see() == MSC3026_BUSY, 60, 0.2)
            seen.append(others_see())
            assert datetime.now(UTC) < start + LASTS, "the meeting ran out before the test could see it"

            # Its end gives Online back (the hub and the source both wake at it).
            await wait_for(lambda: others_see() == "online", LASTS.total_seconds() + 60, 0.2)
            seen.append(others_see())
            assert automatic.sources.driver(Source.CALENDAR) is None
            assert len(overrides_put) == 2, overrides_put  # the test's Away and its clear, nothing else
        finally:
            await controller.shutdown()
            await feed.close()
        return seen, offers

    seen, offers = asyncio.run(main())
    assert seen == ["online", MSC3026_BUSY, "unavailable", MSC3026_BUSY, "online"]
    assert offers == [None, "meeting", None]
