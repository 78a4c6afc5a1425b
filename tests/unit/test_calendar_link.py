"""tray_app.calendar.link: a running meeting is offered to the automatic sources as a Busy driver
until the end of its stretch, with its title only where the person allowed it; "Stop using"
offers none and removes the address. The feed is a real aiohttp server on loopback."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support.calendar_feeds import CalendarServer, calendar, event
from tests.support.memory_keyring import MemoryKeyring
from tray_app.automatic import AutomaticSources, Reason, Source
from tray_app.calendar.cache import FeedCache
from tray_app.calendar.link import CalendarLink
from tray_app.calendar.location import FeedLocation
from tray_app.calendar.source import CalendarSource
from tray_app.calendar.store import CalendarStore
from tray_app.credentials import CredentialStore
from tray_app.settings import Settings
from tray_app.states import PresenceState

NOW = datetime(2026, 10, 28, 13, 30, tzinfo=UTC)


def test_a_meeting_is_offered_as_busy_until_its_end_and_the_title_only_when_allowed(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    backend.items.clear()
    store = CalendarStore(
        Settings.load(tmp_path / "settings.json"), CredentialStore(backend), FeedCache(tmp_path / "c")
    )
    clock = lambda: NOW  # noqa: E731
    hub = AutomaticSources(clock=clock)
    link = CalendarLink(store, make_source=lambda feed: CalendarSource(feed, clock=clock))
    link.offer_driver = lambda driver: hub.offer(Source.CALENDAR, driver)
    menu_changes: list[int] = []
    link.on_change = lambda: menu_changes.append(1)

    async def main() -> None:
        body = calendar(
            event("a@test", NOW - timedelta(minutes=30), NOW + timedelta(minutes=30), "Team sync"),
            event("b@test", NOW + timedelta(minutes=30), NOW + timedelta(minutes=60), "Retro"),
        )
        server = await CalendarServer(body).start()
        try:
            await link.start()  # nothing stored: nothing runs
            assert link.source is None and hub.driver(Source.CALENDAR) is None
            await link.use(FeedLocation.parse(server.url), show_titles=False)
            await link.source.refresh()
            driver = hub.driver(Source.CALENDAR)
            assert driver is not None and driver.reason is Reason.MEETING
            assert driver.state is PresenceState.BUSY
            assert driver.until == NOW + timedelta(minutes=60)  # the end of the stretch
            assert driver.label is None
            assert hub.driving(busy=True) == driver
            link.set_show_titles(True)
            driver = hub.driver(Source.CALENDAR)
            assert driver is not None and driver.label == "Team sync"
            await link.stop()
            assert hub.driver(Source.CALENDAR) is None
            assert not store.enabled and await store.location() is None
            assert menu_changes
        finally:
            await link.close()
            await server.close()

    asyncio.run(main())


def test_a_locked_keyring_at_start_is_one_menu_line_not_a_crash(tmp_path: Path) -> None:
    import keyring.errors

    from tray_app.ui.calendar_menu import menu_state

    class Locked(MemoryKeyring):
        def get_password(self, service, username):
            raise keyring.errors.KeyringLocked("locked")

    settings = Settings.load(tmp_path / "settings.json")
    settings.set_preference("calendar", True)
    link = CalendarLink(CalendarStore(settings, CredentialStore(Locked()), FeedCache(tmp_path / "c")))
    told: list[int] = []
    link.on_change = lambda: told.append(1)
    asyncio.run(link.start())
    assert link.source is None and told == [1]
    state = menu_state(link, NOW, None)
    assert state is not None and state.enabled and state.problem is not None and "keyring" in state.problem
