"""The applet's logic between the sessions and the views (Qt-free; asyncio only).

It owns the signed-in sessions, the chosen duration for the next change and the
background tasks clicks start. Views call its methods and listen to two
callbacks: `on_change()` (render again) and `on_notify(Notification)`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timezone
from typing import Any, Callable, Protocol

from tray_app.durations import Duration, until_for
from tray_app.errors import (
    BadResponse,
    CredentialStoreError,
    InsecureHomeserver,
    PresenceTrayError,
    RateLimited,
    ServerRefused,
    ServerUnreachable,
    Superseded,
    TokenRejected,
    UsageError,
)
from tray_app.session_state import Connection, SessionEvent, SessionState
from tray_app.states import PresenceState
from tray_app.ui.presenter import (
    AppSnapshot,
    Notification,
    NotificationPolicy,
    describe_request,
    failure_notification,
)

log = logging.getLogger(__name__)


class SessionLike(Protocol):  # what the controller needs of tray_app.session.Session
    @property
    def state(self) -> SessionState: ...
    def subscribe(self, cb: Callable[[SessionState], None]) -> Callable[[], None]: ...
    def subscribe_events(self, cb: Callable[[SessionEvent, str], None]) -> Callable[[], None]: ...
    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def set_override(self, state: PresenceState | None, status_msg: str | None = None, until: datetime | None = None) -> SessionState: ...
    async def refresh(self) -> SessionState: ...


def human_error(exc: BaseException) -> str:
    """A failure in words a person understands (no stack, no secret)."""
    if isinstance(exc, ServerUnreachable):
        return "can't reach the server. Check your network connection and try again."
    if isinstance(exc, TokenRejected):
        return "the server no longer accepts this login. Sign in again."
    if isinstance(exc, RateLimited):
        secs = (exc.retry_after_ms or 0) / 1000
        wait = f" Wait {secs:.0f} s" if secs >= 1 else " Wait a moment"
        return "the server says there were too many changes in a short time." + wait + " and try again."
    if isinstance(exc, ServerRefused):
        return f"the server refused ({exc.errcode}): {exc.error}" if exc.error else f"the server refused ({exc.errcode})."
    if isinstance(exc, BadResponse):
        return "the server gave an answer Presence Tray doesn't understand. " + exc.message
    if isinstance(exc, PresenceTrayError):
        return exc.message
    return f"something went wrong ({type(exc).__name__})."


def sign_in_error(exc: BaseException, homeserver: str | None = None) -> str:
    """Errors of the sign-in dialog, in plain words."""
    where = f" at {homeserver}" if homeserver else ""
    if isinstance(exc, InsecureHomeserver):
        return exc.message[0].upper() + exc.message[1:]
    if isinstance(exc, UsageError):
        return exc.message[0].upper() + exc.message[1:]
    if isinstance(exc, ServerUnreachable):
        return (
            f"Can't reach the server{where}. Check the user ID or the homeserver address, "
            "and your network connection."
        )
    if isinstance(exc, RateLimited):
        return "Too many sign-in attempts. Wait a minute and try again."
    if isinstance(exc, ServerRefused):
        if exc.errcode == "M_FORBIDDEN":
            return "The user ID or the password is wrong."
        if exc.errcode == "M_USER_DEACTIVATED":
            return "This account has been deactivated on the server."
        if exc.errcode in ("M_UNRECOGNIZED", "M_NOT_FOUND") or exc.status == 404:
            return f"The address{where} doesn't look like a Matrix homeserver."
        if exc.errcode == "M_UNKNOWN" and exc.status == 400 and "token" in exc.error.lower():
            return "The single sign-on login expired or was already used. Try again."
        return f"The server refused to sign you in ({exc.errcode}{': ' + exc.error if exc.error else ''})."
    if isinstance(exc, BadResponse):
        return f"The address{where} answered, but not like a Matrix homeserver."
    if isinstance(exc, CredentialStoreError):
        return exc.message
    if isinstance(exc, PresenceTrayError):
        return exc.message[0].upper() + exc.message[1:]
    return f"Signing in failed unexpectedly ({type(exc).__name__})."


class Controller:
    def __init__(
        self,
        accounts: Any,  # tray_app.accounts.Accounts (or a stand-in with the same methods)
        *,
        autostart: Any = None,  # the tray_app.autostart module, or None where not available
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.accounts = accounts
        self.autostart = autostart
        self.clock = clock
        self.monotonic = monotonic
        self.sessions: dict[str, SessionLike] = {}
        # Accounts in the settings whose login could not be restored (keyring missing, item gone).
        self.broken: dict[str, SessionState] = {}
        self.duration = Duration.UNTIL_CHANGED
        self.busy: str | None = None
        self.policy = NotificationPolicy()
        self.on_change: Callable[[], None] = lambda: None
        self.on_notify: Callable[[Notification], None] = lambda n: None
        self._unsubs: dict[str, list[Callable[[], None]]] = {}
        self._tasks: set[asyncio.Task] = set()
        self._last_refresh = -1e9
        self._closed = False

    # -- state for the views ----------------------------------------------------------------

    def order(self) -> list[str]:
        known = list(self.sessions) + [u for u in self.broken if u not in self.sessions]
        try:
            listed = self.accounts.signed_in()
        except Exception:  # settings unreadable: keep what we have
            listed = []
        return [u for u in listed if u in known] + [u for u in known if u not in listed]

    def states(self) -> list[SessionState]:
        out = []
        for u in self.order():
            out.append(self.sessions[u].state if u in self.sessions else self.broken[u])
        return out

    def autostart_enabled(self) -> bool | None:
        if self.autostart is None:
            return None
        try:
            return bool(self.autostart.is_enabled())
        except Exception as e:  # a broken autostart must not break the menu
            log.warning("autostart check failed: %s", e)
            return None

    def snapshot(self) -> AppSnapshot:
        return AppSnapshot(tuple(self.states()), self.duration, self.autostart_enabled(), self.busy)

    def _changed(self, *_: Any) -> None:
        if not self._closed:
            self.on_change()

    def _notify(self, n: Notification) -> None:
        if not self._closed:
            self.on_notify(n)

    # -- sessions ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Restore every stored account and start its session (network faults don't raise)."""
        for user_id in self.accounts.signed_in():
            try:
                session = self.accounts.restore(user_id)
            except PresenceTrayError as e:
                log.warning("could not restore %s: %s", user_id, e.message)
                self.broken[user_id] = SessionState(
                    user_id=user_id, homeserver="", connection=Connection.SIGNED_OUT, last_error=e.message
                )
                continue
            self._attach(session)
        self._changed()
        await asyncio.gather(*(self._start_one(s) for s in list(self.sessions.values())))

    async def _start_one(self, session: SessionLike) -> None:
        try:
            await session.start()
        except Exception as e:  # start() should not raise; if it does, show it instead of dying
            log.exception("session start failed for %s", session.state.user_id)
            self._notify(failure_notification(session.state.user_id, "connect", human_error(e)))
        self._changed()

    def _attach(self, session: SessionLike) -> None:
        user_id = session.state.user_id
        self.broken.pop(user_id, None)
        self.sessions[user_id] = session
        self._unsubs[user_id] = [
            session.subscribe(self._changed),
            session.subscribe_events(lambda ev, msg, u=user_id: self._on_event(u, ev, msg)),
        ]

    def _detach(self, user_id: str) -> SessionLike | None:
        for unsub in self._unsubs.pop(user_id, []):
            try:
                unsub()
            except Exception:
                pass
        return self.sessions.pop(user_id, None)

    def _on_event(self, user_id: str, event: SessionEvent, message: str) -> None:
        session = self.sessions.get(user_id)
        state = session.state if session else None
        n = self.policy.decide(user_id, event, message, state, self.monotonic())
        if n is not None:
            self._notify(n)
        self._changed()

    async def add_session(self, session: SessionLike) -> None:
        """A fresh login (or a new login of an account already listed): show it and start it."""
        old = self._detach(session.state.user_id)
        if old is not None and old is not session:
            await self._close_quietly(old)
        self._attach(session)
        self._changed()
        await self._start_one(session)

    async def sign_in_password(self, user_id: str, password: str, homeserver: str | None) -> SessionLike:
        session = await self.accounts.login_password(user_id, password, homeserver=homeserver)
        await self.add_session(session)
        return session

    async def sign_in_token(self, homeserver: str, token: str) -> SessionLike:
        session = await self.accounts.login_token(homeserver, token)
        await self.add_session(session)
        return session

    async def sign_out(self, user_id: str) -> None:
        session = self.sessions.get(user_id)
        self.busy = f"Signing out {user_id}…"
        self._changed()
        try:
            if session is not None:
                try:
                    await self.accounts.logout(session)
                except PresenceTrayError as e:
                    self._notify(failure_notification(user_id, "sign out", human_error(e)))
                    return
                self._detach(user_id)
                await self._close_quietly(session)
            else:
                self.broken.pop(user_id, None)
                try:
                    self.accounts.forget(user_id)
                except PresenceTrayError as e:
                    self._notify(failure_notification(user_id, "sign out", human_error(e)))
        finally:
            self.busy = None
            self._changed()

    async def _close_quietly(self, session: SessionLike) -> None:
        try:
            await asyncio.wait_for(session.close(), 5)
        except Exception as e:
            log.warning("closing a session failed: %s", type(e).__name__)

    # -- clicks -----------------------------------------------------------------------------

    def spawn(self, coro) -> asyncio.Task:
        """Run a coroutine in the background; shutdown() waits for (or cancels) it."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def targets(self, user_id: str | None) -> list[SessionLike]:
        if user_id is None:
            return [s for s in self.sessions.values() if s.state.connection is not Connection.SIGNED_OUT]
        s = self.sessions.get(user_id)
        return [s] if s is not None else []

    def set_state(self, user_id: str | None, state: PresenceState | None) -> list[asyncio.Task]:
        """Set (or clear, with None) the override; the chosen duration applies to this change."""
        until = until_for(self.duration, self.clock()) if state is not None else None
        if state is not None and self.duration is not Duration.UNTIL_CHANGED:
            # The duration is for the next change only; later clicks are untimed again.
            self.duration = Duration.UNTIL_CHANGED
        tasks = []
        for session in self.targets(user_id):
            cur = session.state
            keep_msg = cur.status_msg if state is not None else None
            tasks.append(self.spawn(self._set(session, state, keep_msg, until)))
        self._changed()
        return tasks

    def set_status_message(self, user_id: str, message: str) -> asyncio.Task | None:
        session = self.sessions.get(user_id)
        if session is None or session.state.override is None or session.state.override.state is None:
            return None
        cur = session.state
        return self.spawn(self._set(session, cur.override.state, message.strip(), cur.override_until))

    async def _set(self, session: SessionLike, state: PresenceState | None, msg: str | None, until: datetime | None) -> None:
        user_id = session.state.user_id
        try:
            await session.set_override(state, status_msg=msg, until=until)
        except Superseded:
            pass  # a newer click won; nothing to tell
        except PresenceTrayError as e:
            log.info("set_override failed for %s: %s", user_id, type(e).__name__)
            self._notify(failure_notification(user_id, describe_request(state), human_error(e)))
        except Exception as e:
            log.exception("set_override crashed for %s", user_id)
            self._notify(failure_notification(user_id, describe_request(state), human_error(e)))
        finally:
            self._changed()

    def choose_duration(self, duration: Duration) -> None:
        self.duration = duration
        self._changed()

    def refresh(self, user_id: str | None = None, *, min_interval: float = 0.0) -> list[asyncio.Task]:
        """Re-read the server now (the menu calls this when it opens, at most every few seconds)."""
        now = self.monotonic()
        if user_id is None and now - self._last_refresh < min_interval:
            return []
        if user_id is None:
            self._last_refresh = now
        return [self.spawn(self._refresh_one(s)) for s in self.targets(user_id)]

    async def _refresh_one(self, session: SessionLike) -> None:
        try:
            await session.refresh()
        except PresenceTrayError as e:
            log.info("refresh failed for %s: %s", session.state.user_id, type(e).__name__)
        except Exception:
            log.exception("refresh crashed")
        finally:
            self._changed()

    def toggle_autostart(self) -> None:
        if self.autostart is None:
            return
        try:
            if self.autostart.is_enabled():
                self.autostart.disable()
            else:
                self.autostart.enable()
        except Exception as e:
            self._notify(Notification("Couldn't change “Start on login”", str(e), warning=True))
        self._changed()

    async def wait_idle(self) -> None:
        """Wait for every click's task (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def shutdown(self, timeout: float = 5.0) -> None:
        self._closed = True
        for t in list(self._tasks):
            t.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)
        sessions = [self._detach(u) for u in list(self.sessions)]
        await asyncio.gather(*(self._close_quietly(s) for s in sessions if s is not None))
