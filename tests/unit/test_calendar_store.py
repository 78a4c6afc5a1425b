"""tray_app.calendar.store: the address in the keyring, never in the settings file; the two
choices as global preferences; turning the calendar off removes the item and the kept copy."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.support.calendar_feeds import SECRET_TOKEN
from tests.support.memory_keyring import MemoryKeyring
from tray_app.calendar.cache import FeedCache, KeptCopy
from tray_app.calendar.location import BadFeedLocation, FeedLocation
from tray_app.calendar.store import KEYRING_NAME, CalendarStore
from tray_app.credentials import SERVICE, CredentialStore
from tray_app.settings import Settings

ADDRESS = f"https://cloud.example.org/remote.php/dav/public-calendars/{SECRET_TOKEN}?export"


def test_the_address_goes_to_the_keyring_and_off_removes_it_and_the_copy(tmp_path: Path) -> None:
    backend = MemoryKeyring()
    backend.items.clear()
    settings = Settings.load(tmp_path / "settings.json")
    cache = FeedCache(tmp_path / "cache")
    store = CalendarStore(settings, CredentialStore(backend), cache)

    async def main() -> None:
        assert await store.location() is None and not store.enabled and not store.show_titles
        location = FeedLocation.parse(ADDRESS)
        await store.use(location)
        cache.save(location, KeptCopy(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", datetime.now(UTC)))
        store.set_show_titles(True)
        again = CalendarStore(Settings.load(tmp_path / "settings.json"), CredentialStore(backend), cache)
        assert again.enabled and again.show_titles
        assert (await again.location()) == location
        assert backend.items[(SERVICE, KEYRING_NAME)] == ADDRESS
        assert SECRET_TOKEN not in (tmp_path / "settings.json").read_text()
        await again.forget()
        assert not again.enabled and await again.location() is None
        assert (SERVICE, KEYRING_NAME) not in backend.items
        assert cache.load(location) is None
        await again.forget()  # twice is fine

    asyncio.run(main())


@pytest.mark.parametrize(
    "text", ["", "ftp://example.org/cal.ics", "http://calendar.example.org/private/abc.ics", "https://"]
)
def test_an_address_we_cannot_use_is_refused_in_plain_words(text: str) -> None:
    with pytest.raises(BadFeedLocation) as caught:
        FeedLocation.parse(text)
    assert "abc" not in caught.value.message
