"""Timed overrides: "Away for 30 minutes", then back to what was there before.

The running one is kept in the account's settings (`AccountSettings.timed`), so it survives a
restart and ends at the next start if it ran out meanwhile. Its end is a time of day, watched on
the injected wall clock (`SessionTimings.wall_clock`), so tests run it without waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from tray_app.errors import PresenceTrayError, Superseded, TokenRejected
from tray_app.session.timings import SessionTimings
from tray_app.session_state import SessionEvent, SessionState
from tray_app.settings import Settings, TimedOverride
from tray_app.states import PresenceState

log = logging.getLogger(__name__)


class TimedOverrides:
    """One account's timed override: remembered, armed, ended (by `set_override`, so the
    change goes the way a click's does), or dropped when someone else changed it."""

    def __init__(
        self,
        user_id: str,
        *,
        settings: Settings,
        timings: SessionTimings,
        retry_delay: Callable[[int], float],
        state: Callable[[], SessionState],
        publish: Callable[..., None],
        emit: Callable[[SessionEvent, str], None],
        set_override: Callable[[PresenceState | None], Awaitable[Any]],
        is_closed: Callable[[], bool],
    ) -> None:
        self.user_id = user_id
        self._settings = settings
        self._timings = timings
        self._retry_delay = retry_delay  # seconds before the n-th retry of an end that failed
        self._state_of = state
        self._publish = publish
        self._emit = emit
        self._set_override = set_override
        self._is_closed = is_closed
        self.task: asyncio.Task[None] | None = None  # the timer; the session cancels it on close

    @property
    def _closed(self) -> bool:
        return self._is_closed()

    @property
    def _state(self) -> SessionState:
        return self._state_of()

    def remember(self, state: PresenceState | None, until: datetime | None, before: PresenceState | None) -> None:
        if until is None or state is None:
            self.drop()
            return
        saved = self._settings.account(self.user_id).timed
        # A timed override on top of another timed one returns to what was there first.
        previous = saved.previous if saved else before
        timed = TimedOverride(state=state, until=until.astimezone(UTC), previous=previous)
        self._settings.update_account(self.user_id, lambda a: replace(a, timed=timed))
        self._publish(override_until=until, override_after=previous)
        self._schedule_timer(until)

    def drop(self) -> None:
        if self.task and self.task is not asyncio.current_task():
            self.task.cancel()
        self.task = None
        account = self._settings.account(self.user_id)
        if account.timed is not None or "timed" in account.unreadable:
            self._settings.update_account(self.user_id, lambda a: replace(a, timed=None))
        self._publish(override_until=None, override_after=None)

    def _schedule_timer(self, until: datetime) -> None:
        if self._closed:
            return
        if self.task and not self.task.done():
            self.task.cancel()
        self.task = asyncio.get_running_loop().create_task(self._timer_fires(until))

    async def _timer_fires(self, until: datetime) -> None:
        # Short sleeps against the wall clock: the monotonic clock stops while the machine
        # is suspended, and a lid closed over lunch must not stretch "30 minutes".
        while (left := (until - self._timings.wall_clock()).total_seconds()) > 0:
            await asyncio.sleep(min(left, self._timings.timed_check_every))
        attempt = 0
        while not self._closed:
            try:
                await self._end_timed()
                return
            except (Superseded, TokenRejected):
                return  # a newer click decides; or nobody can change anything until sign-in
            except Exception as e:  # network faults, and a settings file we could not write
                attempt += 1
                delay = self._retry_delay(attempt)
                reason = e.message if isinstance(e, PresenceTrayError) else f"{type(e).__name__}: {e}"
                log.info("ending the timed override failed (%s); trying again in %.0f s", reason, delay)
                await asyncio.sleep(delay)

    def resume(self) -> None:
        """After (re)connecting: arm the timer; one that ran out meanwhile fires at once."""
        saved = self._saved()
        if saved is None:
            return
        self._publish(override_until=saved.until, override_after=saved.previous)
        if self.task is None or self.task.done():
            self._schedule_timer(saved.until)

    def _saved(self) -> TimedOverride | None:
        """The stored timed override; one in a form we cannot read is dropped."""
        account = self._settings.account(self.user_id)
        if account.timed is None and "timed" in account.unreadable:
            log.warning("dropping a timed override in a form we do not know")
            self.drop()
        return account.timed

    async def end_now(self) -> None:
        """ "End now": what the end of the time does (`_end_timed`), at once and untold (the person
        asked for it). The timer stays armed until the change worked, so a failure leaves it
        to end at its time."""
        await self._end_timed(announce=False)

    async def _end_timed(self, announce: bool = True) -> None:
        saved = self._saved()
        if saved is None:
            return
        current = self._state.override.state if self._state.override else None
        if current is not saved.state:
            self.drop()  # changed by someone else meanwhile: theirs stands
            return
        previous = saved.previous
        await self._set_override(previous)
        if not announce:
            return
        self._emit(
            SessionEvent.TIMED_OVERRIDE_ENDED,
            f"the timed override for {self.user_id} ended; now " + (previous.label if previous else "no override"),
        )
