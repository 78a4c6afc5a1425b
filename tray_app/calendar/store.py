"""Where "Use my calendar" is kept: the feed's address in the keyring, the choices in settings.

The calendar belongs to the person at this desktop, not to one Matrix account: one keyring item
(`KEYRING_NAME`, beside the logins under the same service) and two global preferences,
`calendar` (on/off) and `calendar_show_titles` (whether a meeting's title may be shown; off
by default: a title can say more than "busy"). The address never goes to the settings file.
Turning the calendar off deletes the item and the copy kept on disk.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from tray_app.calendar.cache import FeedCache
from tray_app.calendar.location import BadFeedLocation, FeedLocation
from tray_app.credentials import CredentialStore

log = logging.getLogger(__name__)

KEYRING_NAME = "calendar-feed"
ENABLED_KEY = "calendar"
SHOW_TITLES_KEY = "calendar_show_titles"


class CalendarStore:
    def __init__(self, settings: Any, credentials: CredentialStore, cache: FeedCache | None = None) -> None:
        self._settings = settings
        self._credentials = credentials
        self.cache = cache or FeedCache()

    @property
    def enabled(self) -> bool:
        return self._settings.preference(ENABLED_KEY, False) is True

    @property
    def show_titles(self) -> bool:
        return self._settings.preference(SHOW_TITLES_KEY, False) is True

    def set_show_titles(self, show: bool) -> None:
        self._settings.set_preference(SHOW_TITLES_KEY, bool(show))

    async def location(self) -> FeedLocation | None:
        """The address in use; None when the calendar is off or its item is gone or unusable.
        Raises `CredentialStoreError` when the keyring cannot be read (locked, missing)."""
        if not self.enabled:
            return None
        text = await asyncio.to_thread(self._credentials.load_secret, KEYRING_NAME)
        if text is None:
            log.warning("the calendar is on but its address is not in the keyring")
            return None
        try:
            return FeedLocation.parse(text)
        except BadFeedLocation:
            log.warning("the calendar address in the keyring is not one we can use")
            return None

    async def use(self, location: FeedLocation) -> None:
        """Keep `location` (keyring first: if that fails, nothing changed) and turn it on."""
        await asyncio.to_thread(self._credentials.save_secret, KEYRING_NAME, location.text)
        self._settings.set_preference(ENABLED_KEY, True)

    async def forget(self) -> None:
        """Turn the calendar off; its address and kept copy go."""
        self._settings.set_preference(ENABLED_KEY, False)
        await asyncio.to_thread(self.cache.clear)
        await asyncio.to_thread(self._credentials.delete, KEYRING_NAME)
