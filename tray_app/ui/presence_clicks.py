"""The presence clicks: set or clear a state (timed or not), end or extend a timed one, change
the status message, re-read the server.

Apart from the controller (which keeps the sessions, sign-ins and the desktop glue) because
these are the rules of one change on one account: what a click builds on while another is
still in flight, and which failures are told.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from tray_app.durations import Duration, next_morning, until_for
from tray_app.errors import PresenceTrayError, Superseded
from tray_app.messages import ClearAfter, message_until
from tray_app.session_state import Connection, Pending
from tray_app.states import PresenceState
from tray_app.ui.error_words import human_error
from tray_app.ui.menu_content import message_state
from tray_app.ui.notifications import couldnt_set, couldnt_set_message, failure_notification
from tray_app.ui.session_like import SessionLike
from tray_app.ui.view_model import Notification

log = logging.getLogger(__name__)


class Times(Protocol):
    """The controller's clocks and zone, read at each click (the applet sets `tz` later)."""

    clock: Callable[[], datetime]
    monotonic: Callable[[], float]
    tz: tzinfo | None


class PresenceClicks:
    def __init__(
        self,
        sessions: dict[str, SessionLike],  # the controller's own dict (shared, not copied)
        times: Times,
        *,
        spawn: Callable[..., asyncio.Task],
        changed: Callable[..., None],
        notify: Callable[[Notification], None],
    ) -> None:
        self.sessions = sessions
        self._times = times
        self.spawn = spawn
        self._changed = changed
        self._notify = notify
        # The newest change asked per account (what it asked, and its end), so a status message
        # set while it is in flight keeps its timing.
        self._requested: dict[str, tuple[Pending, datetime | None]] = {}
        self._last_refresh = -1e9

    def forget(self, user_id: str) -> None:
        """The account's session went (signed out, removed, or replaced by a new login)."""
        self._requested.pop(user_id, None)

    def targets(self, user_id: str | None) -> list[SessionLike]:
        if user_id is None:
            return [s for s in self.sessions.values() if s.state.connection is not Connection.SIGNED_OUT]
        s = self.sessions.get(user_id)
        return [s] if s is not None else []

    def set_state(
        self, user_id: str | None, state: PresenceState | None, duration: Duration = Duration.UNTIL_CHANGED
    ) -> list[asyncio.Task]:
        """Set (or clear, with None) the override, for `duration` (a clear has no end)."""
        until = until_for(duration, self._times.clock(), self._times.tz) if state is not None else None
        tasks = []
        for session in self.targets(user_id):
            cur = session.state
            if state is None:
                keep_msg = None
            elif cur.pending is not None:
                keep_msg = cur.pending.status_msg  # build on the change in flight, not under it
            else:
                keep_msg = cur.status_msg
            self._requested[cur.user_id] = (Pending(state, keep_msg), until)
            tasks.append(self.spawn(self._set(session, state, keep_msg, until)))
        self._changed()
        return tasks

    def end_now(self, user_id: str) -> asyncio.Task | None:
        """ "End now": the running timed state ends at once, the way its time running out would
        end it (the session's own end: back to what was there before)."""
        session = self.sessions.get(user_id)
        if session is None or session.state.override_until is None:
            return None
        return self.spawn(self._end_now(session))

    async def _end_now(self, session: SessionLike) -> None:
        user_id = session.state.user_id
        after = session.state.override_after
        try:
            await session.end_timed_now()
        except Superseded:
            pass
        except Exception as e:  # the timer stays armed: it ends at its time instead
            log.info("ending the timed state now failed for %s: %s", user_id, type(e).__name__)
            self._notify(failure_notification(user_id, couldnt_set(after), human_error(e)))
        finally:
            self._changed()

    def extend(self, user_id: str, by: Duration) -> asyncio.Task | None:
        """ "Extend": the running timed state (and its message) again, with a later end: `by` a
        fixed span more than its end, until tomorrow morning, or (UNTIL_CHANGED) with no end.
        What it goes back to afterwards stays the same (the session keeps the first one)."""
        session = self.sessions.get(user_id)
        if session is None:
            return None
        cur = session.state
        state = cur.override.state if cur.override is not None else None
        if cur.override_until is None or state is None or cur.pending is not None or cur.unconfirmed:
            return None
        until = extended_end(cur.override_until, by, self._times.clock(), self._times.tz)
        self._requested[user_id] = (Pending(state, cur.status_msg), until)
        task = self.spawn(self._set(session, state, cur.status_msg, until))
        self._changed()
        return task

    def set_status_message(
        self, user_id: str, message: str, clear_after: ClearAfter = ClearAfter.NEVER
    ) -> asyncio.Task | None:
        """Change the status message ("" clears it), cleared by itself after `clear_after`. It
        keeps the override; a state change still in flight gets the message with it (and its
        own timing), so editing never undoes it."""
        session = self.sessions.get(user_id)
        if session is None:
            return None
        cur = session.state
        msg = message.strip()
        if cur.pending is not None and not cur.pending.message_only:
            state = cur.pending.state
            if state is not None or not cur.message_alone:
                if state is None:
                    return None  # clearing in flight, and the message goes with the override here
                asked = self._requested.get(user_id)
                until = asked[1] if asked is not None and asked[0] == cur.pending else None
                self._requested[user_id] = (Pending(state, msg), until)
                return self.spawn(self._set(session, state, msg, until))
        if message_state(cur) is None and not cur.message_alone:
            return None  # the menu says so: this server keeps a message only with a state
        until = message_until(clear_after, self._times.clock(), self._times.tz) if msg else None
        return self.spawn(self._set_message(session, msg, until))

    async def _set_message(self, session: SessionLike, msg: str, until: datetime | None) -> None:
        user_id = session.state.user_id
        try:
            await session.set_status_message(msg, until)
        except Superseded:
            pass
        except Exception as e:
            log.info("setting the status message failed for %s: %s", user_id, type(e).__name__)
            self._notify(failure_notification(user_id, couldnt_set_message(), human_error(e)))
        finally:
            self._changed()

    def recent_messages(self, user_id: str) -> tuple[str, ...]:
        session = self.sessions.get(user_id)
        try:
            return session.recent_messages() if session is not None else ()
        except Exception:  # settings unreadable: no recent messages to offer
            return ()

    async def _set(
        self,
        session: SessionLike,
        state: PresenceState | None,
        msg: str | None,
        until: datetime | None,
    ) -> None:
        user_id = session.state.user_id
        try:
            await session.set_override(state, status_msg=msg, until=until)
        except Superseded:
            pass  # a newer click won; nothing to tell
        except PresenceTrayError as e:
            log.info("set_override failed for %s: %s", user_id, type(e).__name__)
            self._notify(failure_notification(user_id, couldnt_set(state), human_error(e)))
        except Exception as e:
            log.exception("set_override crashed for %s", user_id)
            self._notify(failure_notification(user_id, couldnt_set(state), human_error(e)))
        finally:
            self._changed()

    def refresh(self, user_id: str | None = None, *, min_interval: float = 0.0) -> list[asyncio.Task]:
        """Re-read the server now (the menu calls this when it opens, at most every few seconds)."""
        now = self._times.monotonic()
        if user_id is None and now - self._last_refresh < min_interval:
            return []
        if user_id is None:
            self._last_refresh = now
        return [self.spawn(self.refresh_one(s)) for s in self.targets(user_id)]

    async def refresh_one(self, session: SessionLike) -> None:
        try:
            await session.refresh()
        except PresenceTrayError as e:
            log.info("refresh failed for %s: %s", session.state.user_id, type(e).__name__)
        except Exception:
            log.exception("refresh crashed")
        finally:
            self._changed()


_EXTEND_SPANS = {
    Duration.MINUTES_30: timedelta(minutes=30),
    Duration.HOUR_1: timedelta(hours=1),
    Duration.HOURS_4: timedelta(hours=4),
}


def extended_end(until: datetime, by: Duration, now: datetime, tz: tzinfo | None = None) -> datetime | None:
    """The new end of a timed state that ends at `until`, extended `by` (None: no end)."""
    if by is Duration.UNTIL_CHANGED:
        return None
    if by is Duration.TOMORROW_MORNING:
        return max(until, next_morning(now, tz))
    return until + _EXTEND_SPANS[by]
