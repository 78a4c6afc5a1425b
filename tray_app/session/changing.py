"""Changing the override: one request whose 2xx confirms it; the last click wins.

Calls are serialised by the lock and numbered (`_generation`): one that a newer one replaced
before it was sent raises `Superseded`, and an older answer never overwrites a newer state. A 429
is waited out without the lock, so a newer click replaces the waiting one. A change whose
answer never came is remembered (`Unanswered`): the server may still apply it.
"""

from __future__ import annotations

import time
from datetime import datetime

from tray_app.backends import OverrideReading
from tray_app.backoff import wait_out
from tray_app.errors import (
    BadResponse,
    NotOffered,
    PresenceTrayError,
    RateLimited,
    ServerUnreachable,
    Superseded,
    TokenRejected,
)
from tray_app.session.reading import Reading, Unanswered, reading_key
from tray_app.session_state import Pending, SessionState
from tray_app.states import PresenceState

# A reverse proxy's "I stopped waiting" (bad gateway, unavailable, gateway timeout): the
# request may still reach the server, or be in it.
_GATEWAY_GAVE_UP = frozenset({502, 503, 504})


class Changing(Reading):
    async def set_override(
        self,
        state: PresenceState | None,
        status_msg: str | None = None,
        until: datetime | None = None,
        *,
        message_only: bool = False,
    ) -> SessionState:
        """Set (or with None, clear) the override: one request, whose 2xx confirms it.
        `message_only`: change only the status message (`status_msg`, "" removes it) and keep
        the override as the server holds it (`state`: the one held now); where the server ties
        the message to an override, there must be one.

        Calls are serialised and the last one wins: a call that a newer one
        replaced before it was sent raises `Superseded`, and an older answer
        never overwrites a newer state.
        """
        self._check_open()
        self._generation += 1
        generation = self._generation
        self._unanswered = None  # this change replaces one that may still land
        pending = Pending(state, status_msg, message_only)
        self._publish(pending=pending, last_error=None)
        self._writing += 1
        try:
            before = await self._send_and_confirm(state, status_msg, generation, message_only)
        except Superseded:
            raise
        except PresenceTrayError as e:
            if isinstance(e, TokenRejected):
                self._signed_out(e)
            if generation == self._generation:
                self._publish(last_error=e.message)
                if not message_only and (
                    isinstance(e, ServerUnreachable) or (isinstance(e, BadResponse) and e.status in _GATEWAY_GAVE_UP)
                ):
                    # Sent, perhaps, and never answered (a timeout, a lost connection, a reverse
                    # proxy that stopped waiting): the server may still apply it.
                    held = self._state.override.state if self._state.override else None
                    self._unanswered = Unanswered(state, until, held, time.monotonic())
            raise
        finally:
            self._writing -= 1
            self._last_change_done = time.monotonic()
            # Whatever happened (error, cancellation), the newest call clears the mark. (Not
            # "is it our Pending": a repeated click publishes an equal one, which is not ours.)
            if generation == self._generation:
                self._publish(pending=None)
        if generation == self._generation:
            self._publish(last_error=None)
            self._own_recent = [
                *self._own_recent[-7:],
                reading_key(OverrideReading(self._state.override, self._state.status_msg)),
            ]
            if not message_only:
                self._timed.remember(state, until, before)
        return self._state

    async def _send_and_confirm(
        self, state: PresenceState | None, status_msg: str | None, generation: int, message_only: bool = False
    ) -> PresenceState | None:
        """Returns the override that was there before. A 429 (on the change, or on this device's
        presence said just before it) is waited out without the lock held, so a newer click
        replaces this one meanwhile; on the last try the presence before it is left to the
        announce loop rather than failing the change."""
        for attempt in range(1, self._timings.set_rate_limit_tries + 1):
            last = attempt == self._timings.set_rate_limit_tries
            async with self._lock:
                if generation != self._generation:
                    raise Superseded("a newer change replaced this one")
                if self._api is None:
                    first = await self._detect()
                    if first is not None:
                        self._take_reading(first)
                if state is not None and state not in self._api.offered:
                    raise NotOffered(
                        f"{state.label} can't be set on {self._creds.homeserver}: "
                        + self._api.not_offered_reason(state)
                    )
                before = self._state.override.state if self._state.override else None
                api = self._api
                if message_only:
                    state = before  # the override stays what the server holds now
                    if not api.message_alone and state is None:
                        raise NotOffered(f"{self._creds.homeserver} keeps a status message only together with a state")
                elif state is not None and status_msg is None and api.message_alone:
                    status_msg = self._state.status_msg  # the message is the user's own: it stays
                try:
                    if message_only:
                        if state is None or api.message_alone:
                            stored = await api.set_message(state, status_msg or "")
                        else:  # the server ties the message to the override: the same one again
                            stored = await api.set(state, status_msg or None)
                        await self._confirm_change(stored, state)
                        return before
                    if state is not None and api.set_follows_devices(state):
                        await self._connect_device_first(may_wait=not last)
                    announced = await self._announce_before_clear(api, may_wait=not last) if state is None else None
                    stored = await (api.set(state, status_msg) if state is not None else api.clear())
                    if announced is not None:
                        self._announced, self._own_status_msg = announced, None
                except RateLimited as e:
                    if last:
                        raise
                    retry_after_ms = e.retry_after_ms
                else:
                    await self._confirm_change(stored, state)
                    return before
            await wait_out(retry_after_ms)
        raise AssertionError("unreachable")  # the loop returns or raises

    async def _confirm_change(self, stored: OverrideReading | None, state: PresenceState | None) -> None:
        if stored is not None:
            await self._confirmed_by_put(stored, state)
        else:  # nothing confirms it (emulated): what others see is read back
            await self._read_locked(ours=True)
        confirmed = self._state.override.state if self._state.override else None
        if confirmed is not state:
            raise BadResponse(
                "the server did not keep the change: it reports "
                f"{self._state.override.name if self._state.override else 'no override'}"
            )
