"""The calendar's part of the menu and of the controller (Qt-free): the "Use my calendar…" item
with its failure line, and the two things the dialog asks the controller to do.

Kept apart from menu_content.py and controller.py (both shared by several features): each of
them calls in here with a line or two.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import datetime, tzinfo
from typing import Any

from tray_app.calendar.link import CalendarLink
from tray_app.calendar.location import FeedLocation
from tray_app.calendar.words import problem_line
from tray_app.errors import PresenceTrayError
from tray_app.translation import translate
from tray_app.ui.view_model import APP_NAME, CalendarMenuState, Kind, MenuItem, Notification, OpenCalendar

log = logging.getLogger(__name__)


def calendar_items(state: CalendarMenuState | None) -> list[MenuItem]:
    """ "Use my calendar…" (ticked while on), and under it the feed's failure, once."""
    if state is None:
        return []
    items = [
        MenuItem(
            "calendar",
            Kind.CHECK,
            translate("Menu", "Use my calendar…"),
            checked=state.enabled,
            action=OpenCalendar(),
        )
    ]
    if state.enabled and state.problem:
        items.append(MenuItem("calendar:problem", Kind.INFO, state.problem, enabled=False))
    return items


def menu_state(link: CalendarLink | None, now: datetime, tz: tzinfo | None) -> CalendarMenuState | None:
    if link is None:
        return None
    problem = None
    if link.keyring_error is not None:
        problem = translate("Calendar", "Calendar: its address cannot be read from the keyring")
    elif link.problem is not None:
        problem = problem_line(link.problem, now, tz)
    return CalendarMenuState(link.enabled, problem)


def couldnt_use_calendar(detail: str) -> Notification:
    return Notification(
        APP_NAME, translate("Notification", "Could not use the calendar: {detail}").format(detail=detail), warning=True
    )


class CalendarActions:
    """What the dialog's buttons do, as the controller's background tasks."""

    def __init__(
        self,
        link: CalendarLink,
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[Any]],
        notify: Callable[[Notification], None],
    ) -> None:
        self.link = link
        self._spawn = spawn
        self._notify = notify

    def use(self, location: FeedLocation | None, show_titles: bool) -> asyncio.Task[Any] | None:
        """A new address or file (None: keep the one in use, change only the title choice)."""
        if location is None:
            self.link.set_show_titles(show_titles)
            return None
        return self._spawn(self._use(location, show_titles))

    async def _use(self, location: FeedLocation, show_titles: bool) -> None:
        try:
            await self.link.use(location, show_titles)
        except PresenceTrayError as e:  # the keyring is locked or missing: nothing changed
            log.warning("could not keep the calendar's address: %s", e.message)
            self._notify(couldnt_use_calendar(e.message))

    def stop(self) -> asyncio.Task[Any]:
        return self._spawn(self.link.stop())
