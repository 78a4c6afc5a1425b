"""Reading what holds: which API the server has, the override and what others see.

A reading begun outside the lock may be older than one of our changes (`_reading_mark`,
`_older_than_a_change`): such a reading is never news and is read again. A change of ours
whose answer never came (`Unanswered`) is ours when it lands later, not "changed elsewhere".
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime

from tray_app.backends import OverrideReading, detect_backend
from tray_app.errors import TokenRejected
from tray_app.matrix.presence_status import get_presence
from tray_app.session.own_presence import OwnPresence
from tray_app.session.sync_filter import sync_filter
from tray_app.session_state import Connection, SessionEvent, SessionState
from tray_app.states import Override, PresenceState, emulated_presence, same_override


@dataclass(frozen=True)
class Unanswered:
    """A change of ours that was sent and never answered (see Reading._late_own_write)."""

    state: PresenceState | None
    until: datetime | None
    before: PresenceState | None  # the override before it, for a timed one's return
    sent: float  # time.monotonic() when we gave up on its answer


def reading_key(reading: OverrideReading) -> tuple:
    """A reading by meaning (the unstable and stable spellings of a state are one)."""
    return (reading.override.meaning if reading.override else None, reading.status_msg)


class Reading(OwnPresence):
    async def _detect(self) -> OverrideReading | None:
        """Which API the server has: checked per session and again after every reconnect.
        Returns the override that detection read (None: it read none), to be used as the read."""
        backend, first = await detect_backend(self._requests, self.user_id)
        backend.attach(self._link)
        self._api = backend
        watch = backend.watch_types[0] if backend.watch_types else None
        if self._filter.get("account_data") != sync_filter(self.user_id, backend.watch_types)["account_data"]:
            self._filter = sync_filter(self.user_id, backend.watch_types, fresh=self._fresh())
            self._since = None  # a new filter: the next sync is an initial one, carrying the event
        offered = backend.offered
        self._publish(
            api=backend.mode,
            status_msg_supported=backend.status_msg,
            message_alone=backend.message_alone,
            busy_supported=PresenceState.BUSY in offered,
            automatic_busy=backend.automatic_busy,
            disabled_unsupported=(
                None if PresenceState.DISABLED in offered else backend.not_offered_reason(PresenceState.DISABLED)
            ),
            watching=watch,
        )
        return first

    async def _read_locked(
        self,
        *,
        ours: bool = False,
        first: OverrideReading | None = None,
        by_sync: bool = False,
        seen_presence: str | None = None,
    ) -> None:
        """Read the override (or our held state) and the effective presence. Hold the lock.
        `first`: the override detection (or the initial sync) just read, which is this read's override.
        `by_sync`: the change came with the running sync, which brings what others see too.
        `seen_presence`: our presence as the initial sync that gave `first` reported it."""
        api = self._api
        assert api is not None
        reading = first or await api.read()
        override, status_msg = reading.override, reading.status_msg
        if self._runner is None and not by_sync:
            # One-shot use (`presence-tray status`): what others see, read, never inferred.
            presence = (await get_presence(self._requests, self.user_id)).presence
        elif api.override_is_presence and override is not None and override.state is not None:
            # The server always uses the override, so it is what others see: no extra request.
            presence = api.presence_for(override.state)
        elif seen_presence is not None:
            presence = seen_presence
        elif by_sync:
            presence = self._state.presence
        else:
            presence = (await get_presence(self._requests, self.user_id)).presence
        # By meaning: the stable and unstable spellings, and MSC4532's value of a state beside
        # MSC4043's (Busy is written through one and read back through the other), are one.
        changed = self._have_read and not same_override(override, self._state.override)
        if self._have_read and not changed:
            override = self._state.override  # the same override: keep the spelling we have
        late = self._late_own_write(override) if changed and not ours else None
        if (override is None) != (self._state.override is None) and self._auto_gate.applied is not None:
            self._presence_changed.set()  # automatic presence starts or stops with the override
        self._have_read = True
        self._publish(override=override, status_msg=status_msg, presence=presence)
        self._wake_sync_if_presence_changed()
        if late is not None:
            # Our own change, whose answer never came, landed after all: it is no news, and a
            # timed one runs from now on as asked.
            self._unanswered = None
            self._own_recent = [*self._own_recent[-7:], reading_key(OverrideReading(override, status_msg))]
            self._timed.remember(late.state, late.until, late.before)
        elif changed and not ours:
            self._timed.drop()
            self._emit(
                SessionEvent.OVERRIDE_CHANGED_ELSEWHERE,
                f"the override for {self.user_id} was changed elsewhere: now "
                f"{override.state.label if override and override.state else (override.raw if override else 'none')}",
            )

    async def refresh(self) -> SessionState:
        """Read the server now (the menu opening, the Refresh item, the CLI)."""
        self._check_open()
        first = None
        mark = self._reading_mark()
        if self._api is None or self._state.connection is not Connection.CONNECTED:
            self._retry_now.set()  # wake a backing-off supervisor too
            try:
                first = await self._detect()
            except TokenRejected as e:
                self._signed_out(e)
                raise
        try:
            async with self._lock:
                if self._older_than_a_change(mark):
                    first = None  # a change was made meanwhile: that reading is stale
                await self._read_locked(first=first)
        except TokenRejected as e:
            self._signed_out(e)
            raise
        if self._runner is None:  # one-shot use (CLI): reading is being connected
            self._publish(connection=Connection.CONNECTED, last_error=None)
        return self._state

    def _reading_mark(self) -> tuple[int, int]:
        """Taken when a reading begins outside the lock; see _older_than_a_change."""
        return (self._generation, self._writing)

    def _older_than_a_change(self, mark: tuple[int, int]) -> bool:
        """Whether a reading begun at `mark` may be older than one of our changes: one was in
        flight when it began (the server may have answered the reading first), or one was
        made since. Such a reading is never news: read again."""
        generation, writing = mark
        return writing > 0 or generation != self._generation

    def _late_own_write(self, override: Override | None) -> Unanswered | None:
        """The unanswered change of ours that `override` shows, if it shows one."""
        late = self._unanswered
        if late is None or time.monotonic() - late.sent > self._timings.unanswered_keep:
            return None
        wanted = Override(late.state, late.state.value) if late.state is not None else None
        return late if same_override(override, wanted) else None

    def _take_reading(self, reading: OverrideReading) -> None:
        self._have_read = True
        self._publish(override=reading.override, status_msg=reading.status_msg)

    async def _confirmed_by_put(self, stored: OverrideReading, state: PresenceState | None) -> None:
        """The PUT's 2xx is the confirmation, with what the server stored. An override is what
        others see, so presence follows without a request; after a clear the running sync
        reports the new presence. A one-shot session (the CLI) has no sync, so it reads it."""
        self._take_reading(stored)
        if self._runner is None:  # one-shot: what others see is read, never inferred
            self._publish(presence=(await get_presence(self._requests, self.user_id)).presence)
        elif self._api.override_is_presence and stored.override is not None and stored.override.state is not None:
            self._publish(presence=self._api.presence_for(stored.override.state))
        self._wake_sync_if_presence_changed()

    async def _poll_loop(self) -> None:
        """No event announces an override changed elsewhere, so we look every minute."""
        while True:
            await asyncio.sleep(self._timings.poll_interval)  # on demand reads go through refresh()
            async with self._lock:
                await self._read_locked()

    def presence_moved(self, state: SessionState) -> bool:
        """Whether to read again now, asked with each state this session publishes: with an
        override API, our own presence arrives at once by /sync, an override changed elsewhere
        only with the next read (up to a minute); so once the presence moves away from what the
        override we know gives, read it, and the icon never disagrees with the tooltip's "Others
        see" for long. The tray asks (tray_app.ui.controller) and reads; the command line does not."""
        seen = state.presence
        before, self._presence_seen = self._presence_seen, seen
        if seen is None or seen == before or not state.api.has_override_api or state.pending is not None:
            return False
        if state.connection is Connection.SIGNED_OUT:
            return False  # (still connecting is fine: the first /sync may already carry the change)
        known = state.override.state if state.override is not None else None
        return known is None or emulated_presence(known).value != seen  # else: what the override gives
