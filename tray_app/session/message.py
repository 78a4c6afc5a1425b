"""The status message on its own: set it apart from the state, remember the recent ones, and
clear it when its "Clear after" runs out.

Where the server keeps a message without an override (`PresenceBackend.message_alone`), the
message is the user's own and outlives state changes; elsewhere it goes with the override, and
setting one needs a state. The running "Clear after" is kept in the account's settings
(`AccountSettings.timed_message`), so it survives a restart and clears at the next start if it
ran out meanwhile; its end is watched on the injected wall clock (`SessionTimings.wall_clock`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from tray_app.errors import PresenceTrayError, Superseded, TokenRejected
from tray_app.messages import remember_recent
from tray_app.session.timings import SessionTimings
from tray_app.session_state import Connection, SessionState
from tray_app.settings import Settings, TimedMessage

log = logging.getLogger(__name__)


class StatusMessages:
    """One account's status message: set (with an end), remembered, cleared when it ends, or
    its end dropped when the message changed elsewhere."""

    def __init__(
        self,
        user_id: str,
        *,
        settings: Settings,
        timings: SessionTimings,
        retry_delay: Callable[[int], float],
        state: Callable[[], SessionState],
        publish: Callable[..., None],
        set_message: Callable[[str], Awaitable[Any]],
        is_closed: Callable[[], bool],
    ) -> None:
        self.user_id = user_id
        self._settings = settings
        self._timings = timings
        self._retry_delay = retry_delay
        self._state_of = state
        self._publish = publish
        self._set_message = set_message
        self._is_closed = is_closed
        self.task: asyncio.Task[None] | None = None  # the timer; the session cancels it on close

    def recent(self) -> tuple[str, ...]:
        """The messages set last, newest first (kept in the settings, on this computer only)."""
        return self._settings.account(self.user_id).recent_messages

    async def set(self, msg: str, until: datetime | None) -> Any:
        """Set the message ("" clears it), cleared by itself at `until` (None: never)."""
        msg = msg.strip()
        result = await self._set_message(msg)
        if msg:
            self._settings.update_account(
                self.user_id, lambda a: replace(a, recent_messages=remember_recent(a.recent_messages, msg))
            )
        if msg and until is not None:
            timed = TimedMessage(msg, until.astimezone(UTC))
            self._settings.update_account(self.user_id, lambda a: replace(a, timed_message=timed))
            self._publish(message_until=timed.until)
            self._schedule(timed.until)
        else:
            self.drop()
        return result

    def drop(self) -> None:
        if self.task is not None and self.task is not asyncio.current_task():
            self.task.cancel()
        self.task = None
        account = self._settings.account(self.user_id)
        if account.timed_message is not None or "timed_message" in account.unreadable:
            self._settings.update_account(self.user_id, lambda a: replace(a, timed_message=None))
        self._publish(message_until=None)

    def resume(self) -> None:
        """After (re)connecting: arm the timer; one that ran out meanwhile fires at once."""
        saved = self._settings.account(self.user_id).timed_message
        if saved is None:
            return
        self._publish(message_until=saved.until)
        if self.task is None or self.task.done():
            self._schedule(saved.until)

    def follow(self, state: SessionState) -> None:
        """Each published state: a message changed elsewhere (or gone with its override) has
        no end of ours any more."""
        if (
            state.message_until is not None
            and state.pending is None
            and state.connection is Connection.CONNECTED
            and not state.unconfirmed
            and (self.task is None or self.task is not asyncio.current_task())
        ):
            saved = self._settings.account(self.user_id).timed_message
            if saved is None or saved.msg != state.status_msg:
                self.drop()

    def _schedule(self, until: datetime) -> None:
        if self._is_closed():
            return
        if self.task is not None and not self.task.done():
            self.task.cancel()
        self.task = asyncio.get_running_loop().create_task(self._fires(until))

    async def _fires(self, until: datetime) -> None:
        # Short sleeps against the wall clock, as for timed states: a suspend must not stretch it.
        while (left := (until - self._timings.wall_clock()).total_seconds()) > 0:
            await asyncio.sleep(min(left, self._timings.timed_check_every))
        attempt = 0
        while not self._is_closed():
            try:
                await self._end()
                return
            except (Superseded, TokenRejected):
                return
            except Exception as e:  # network faults, a settings file we could not write
                attempt += 1
                delay = self._retry_delay(attempt)
                reason = e.message if isinstance(e, PresenceTrayError) else f"{type(e).__name__}: {e}"
                log.info("clearing the status message failed (%s); trying again in %.0f s", reason, delay)
                await asyncio.sleep(delay)

    async def _end(self) -> None:
        saved = self._settings.account(self.user_id).timed_message
        if saved is None:
            return
        if self._state_of().status_msg != saved.msg:
            self.drop()  # changed elsewhere meanwhile (or gone with its state): that one stands
            return
        await self._set_message("")
        self.drop()
