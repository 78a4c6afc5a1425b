"""The applet's logic between the sessions and the views (Qt-free; asyncio only).

It owns the signed-in sessions and the background tasks clicks start. Views call its methods and listen to two
callbacks: `on_change()` (render again) and `on_notify(Notification)`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Protocol

from tray_app.automatic import Source
from tray_app.durations import Duration, next_morning, until_for
from tray_app.errors import (
    CredentialStoreError,
    PresenceTrayError,
    ServerUnreachable,
    Superseded,
)
from tray_app.messages import ClearAfter, message_until
from tray_app.session_state import ApiMode, Connection, Pending, SessionEvent, SessionState
from tray_app.settings import LastKnownOverride
from tray_app.states import PresenceState, from_wire
from tray_app.ui.calendar_menu import CalendarActions
from tray_app.ui.calendar_menu import menu_state as calendar_menu_state
from tray_app.ui.error_words import human_error, keyring_left_behind, sign_in_error, unreachable_sign_out_hint
from tray_app.ui.labels import removing, signing_out
from tray_app.ui.menu_content import message_state
from tray_app.ui.notifications import (
    NotificationPolicy,
    couldnt_change_autostart,
    couldnt_connect,
    couldnt_remove_account,
    couldnt_set,
    couldnt_set_message,
    couldnt_sign_in,
    couldnt_sign_out,
    failure_notification,
    signed_in,
)
from tray_app.ui.view_model import AppSnapshot, IdleMenuState, Notification

log = logging.getLogger(__name__)


class SessionLike(Protocol):  # what the controller needs of tray_app.session.Session
    @property
    def state(self) -> SessionState: ...
    def subscribe(self, cb: Callable[[SessionState], None]) -> Callable[[], None]: ...
    def subscribe_events(self, cb: Callable[[SessionEvent, str], None]) -> Callable[[], None]: ...
    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def set_override(
        self, state: PresenceState | None, status_msg: str | None = None, until: datetime | None = None
    ) -> SessionState: ...
    async def end_timed_now(self) -> None: ...
    async def set_status_message(self, text: str, until: datetime | None = None) -> SessionState: ...
    def recent_messages(self) -> tuple[str, ...]: ...
    async def refresh(self) -> SessionState: ...
    async def forget(self) -> None: ...
    def presence_moved(self, state: SessionState) -> bool: ...


# Automatic presence (dbus-fast, looking for idle sources: ~120 ms) starts once every session's
# first read is in and shown, or after this many seconds, so it does not delay the first icon.
IDLE_START_WAIT_SECONDS = 1.0
IDLE_START_AFTER_RENDER_SECONDS = 0.1


class Controller:
    def __init__(
        self,
        accounts: Any,  # tray_app.accounts.Accounts (or a stand-in with the same methods)
        *,
        autostart: Any = None,  # the tray_app.autostart module, or None where not available
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
        tz: tzinfo | None = None,  # for "until tomorrow morning"; None: the system's zone
        idle: Any = None,  # tray_app.idle.automatic.AutomaticPresence; None: no automatic presence
        dnd: Any = None,  # tray_app.dnd.desktop.DoNotDisturb; None: banners never paused
        calendar: Any = None,  # tray_app.calendar.link.CalendarLink; None: no "Use my calendar"
    ) -> None:
        self.idle = idle
        if idle is not None:
            idle.on_change = self._changed
        self.dnd = dnd
        if dnd is not None:
            dnd.on_change = self._changed
            if idle is not None:
                idle.follow(dnd)  # the person's do-not-disturb: automatic Busy where the server has it
        self.calendar = calendar
        self.calendar_actions: CalendarActions | None = None
        if calendar is not None:
            calendar.on_change = self._changed
            self.calendar_actions = CalendarActions(calendar, self.spawn, self._notify)
            if idle is not None:  # a meeting: automatic Busy where the server has it
                calendar.offer_driver = lambda driver: idle.sources.offer(Source.CALENDAR, driver)
        self.accounts = accounts
        self.autostart = autostart
        self.clock = clock
        self.monotonic = monotonic
        self.tz = tz
        self.sessions: dict[str, SessionLike] = {}
        # Accounts in the settings whose login could not be restored (keyring missing, item gone).
        self.broken: dict[str, SessionState] = {}
        self.busy: str | None = None
        self.policy = NotificationPolicy()
        self.on_change: Callable[[], None] = lambda: None
        self.on_notify: Callable[[Notification], None] = lambda n: None
        # Sign-out could not reach the server: the view may offer removing the login here only.
        self.on_offer_forget: Callable[[str, str], None] = lambda user_id, reason: None
        self._unsubs: dict[str, list[Callable[[], None]]] = {}
        self._tasks: set[asyncio.Task] = set()
        # Sign-ins: shutdown waits for them instead of cancelling a login half-way.
        self._protected: set[asyncio.Task] = set()
        # The newest change asked per account (what it asked, and its end), so a status message
        # set while it is in flight keeps its timing.
        self._requested: dict[str, tuple[Pending, datetime | None]] = {}
        self._connected_once: set[str] = set()
        self._last_refresh = -1e9
        self._closed = False
        # "Start on login" as last read: reading it touches the disk (or the registry), so a
        # render uses this; it is read again at start, on the toggle and when the menu opens.
        self._autostart_cache: bool | None = None
        self._autostart_read = False
        self._first_reads_in = asyncio.Event()
        self._idle_start: asyncio.Task | None = None
        # Last confirmed overrides from the settings (AccountSettings.last_known), by account.
        self._last_known: dict[str, dict[str, str]] = self._load_last_known()

    @property
    def closed(self) -> bool:
        return self._closed

    # -- state for the views ----------------------------------------------------------------

    def order(self) -> list[str]:
        known = list(self.sessions) + [u for u in self.broken if u not in self.sessions]
        return [u for u in self._listed() if u in known] + [u for u in known if u not in self._listed()]

    def _listed(self) -> list[str]:
        try:
            return list(self.accounts.signed_in())
        except Exception:  # settings unreadable: keep what we have
            return []

    def has_accounts(self) -> bool:
        """Any account shown, or stored and not restored yet (the applet is still starting)."""
        return bool(self.sessions or self.broken or self._listed())

    def states(self) -> list[SessionState]:
        """What the views show: each session's state, where this run has no read yet with the
        last confirmed override marked unconfirmed; accounts whose login is still being read
        from the keyring (at start) as connecting."""
        out = []
        known = set(self.sessions) | set(self.broken)
        for u in self.order() + [u for u in self._listed() if u not in known]:
            if u in self.sessions:
                out.append(self._with_last_known(self.sessions[u].state))
            elif u in self.broken:
                out.append(self.broken[u])
            else:
                last = self._last_known.get(u, {})
                out.append(self._with_last_known(SessionState(user_id=u, homeserver=last.get("homeserver", ""))))
        return out

    # -- the last known override (shown unconfirmed until this run's first read) ---------------

    def _load_last_known(self) -> dict[str, dict[str, str]]:
        settings = getattr(self.accounts, "settings", None)
        if settings is None:
            return {}
        out = {}
        try:
            for u in self._listed():
                known = settings.account(u).last_known
                if known is not None:
                    out[u] = {"override": known.override, "homeserver": known.homeserver}
        except Exception as e:  # an unreadable settings file only costs the early display
            log.info("last known overrides not read: %s", e)
        return out

    def _with_last_known(self, state: SessionState) -> SessionState:
        if state.user_id in self._connected_once or state.connection in (Connection.CONNECTED, Connection.SIGNED_OUT):
            return state
        last = self._last_known.get(state.user_id)
        if last is None:
            return state
        return state.evolve(override=from_wire(last["override"]), unconfirmed=True)

    def _remember_confirmed(self, state: SessionState) -> None:
        """Keep the override the server confirmed for the next start (written only on change)."""
        if state.connection is not Connection.CONNECTED or state.pending is not None:
            return
        entry = {"override": state.override.raw if state.override is not None else "", "homeserver": state.homeserver}
        if self._last_known.get(state.user_id) == entry:
            return
        self._last_known[state.user_id] = entry
        settings = getattr(self.accounts, "settings", None)
        if settings is None or state.user_id not in self._listed():
            return
        try:
            known = LastKnownOverride(**entry)
            settings.update_account(state.user_id, lambda a: replace(a, last_known=known))
        except Exception as e:  # unwritable settings: only the next start shows less
            log.info("last known override not saved: %s", e)

    def autostart_enabled(self) -> bool | None:
        """The cached "Start on login" state (see `reload_autostart`)."""
        if not self._autostart_read:
            self.reload_autostart()
        return self._autostart_cache

    def reload_autostart(self) -> bool | None:
        """Read "Start on login" again (it may have been changed outside the applet)."""
        self._autostart_read = True
        if self.autostart is None:
            self._autostart_cache = None
            return None
        try:
            self._autostart_cache = bool(self.autostart.is_enabled())
        except Exception as e:  # a broken autostart must not break the menu
            log.warning("autostart check failed: %s", e)
            self._autostart_cache = None
        return self._autostart_cache

    def snapshot(self) -> AppSnapshot:
        idle = None
        dnd_found = self.dnd is not None and self.dnd.available
        if self.idle is not None:
            idle = IdleMenuState(
                self.idle.available,
                self.idle.current,
                self.idle.policy,
                driving=self.idle.driving(True),
                driving_without_busy=self.idle.driving(False),
                busy_when_dnd=self.dnd.busy_when_on if dnd_found else None,
            )
        pause_banners = self.dnd.enabled if dnd_found else None
        return AppSnapshot(
            tuple(self.states()),
            autostart=self.autostart_enabled(),
            busy=self.busy,
            idle=idle,
            pause_banners=pause_banners,
            calendar=calendar_menu_state(self.calendar, self.clock(), self.tz),
        )

    def set_idle_policy(self, policy: Any) -> None:
        if self.idle is not None:
            self.idle.set_policy(policy)
        self._changed()

    def _changed(self, *_: Any) -> None:
        if not self._closed:
            if self.dnd is not None:
                self.dnd.set_busy(self._any_busy())
            self.on_change()

    def _any_busy(self) -> bool:
        """Whether a server holds Busy for one of the accounts (what pauses the banners)."""
        return any(
            s.state.override is not None and s.state.override.state is PresenceState.BUSY
            for s in self.sessions.values()
        )

    def _notify(self, n: Notification) -> None:
        if not self._closed:
            self.on_notify(n)

    # -- sessions ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Restore every stored account and start its session (network faults don't raise)."""
        for user_id in self.accounts.signed_in():
            try:
                session = await self.accounts.arestore(user_id)  # keyring off the loop
            except PresenceTrayError as e:
                log.warning("could not restore %s: %s", user_id, e.message)
                self.broken[user_id] = SessionState(
                    user_id=user_id, homeserver="", connection=Connection.SIGNED_OUT, last_error=e.message
                )
                continue
            self._attach(session)
        self._changed()
        await asyncio.gather(*(self._start_one(s) for s in list(self.sessions.values())))
        self._check_first_reads()
        if (self.idle is not None or self.dnd is not None or self.calendar is not None) and self._idle_start is None:
            self._idle_start = asyncio.get_running_loop().create_task(self._start_idle())

    async def _start_idle(self) -> None:
        """Start automatic presence and do-not-disturb after the first reads are shown (or a
        second at most): both look at D-Bus, which must not delay the first icon."""
        try:
            async with asyncio.timeout(IDLE_START_WAIT_SECONDS):  # (not wait_for: gh-86296)
                await self._first_reads_in.wait()
            await asyncio.sleep(IDLE_START_AFTER_RENDER_SECONDS)  # the render is queued
        except TimeoutError:
            pass
        if not self._closed and self.idle is not None:
            await self.idle.start(lambda: list(self.sessions.values()))
            self._changed()
        if not self._closed and self.dnd is not None:
            await self.dnd.start(self._any_busy())
            self._changed()
        if not self._closed and self.calendar is not None:
            await self.calendar.start()  # the copy kept from last time; the first fetch in the background
            self._changed()

    def _check_first_reads(self) -> None:
        if all(s.state.connection is not Connection.CONNECTING for s in self.sessions.values()):
            self._first_reads_in.set()

    async def _start_one(self, session: SessionLike) -> None:
        try:
            await session.start()
        except Exception as e:  # start() should not raise; if it does, show it instead of dying
            log.exception("session start failed for %s", session.state.user_id)
            self._notify(failure_notification(session.state.user_id, couldnt_connect(), human_error(e)))
        self._changed()

    def _attach(self, session: SessionLike) -> None:
        user_id = session.state.user_id
        self.broken.pop(user_id, None)
        self.sessions[user_id] = session
        if self.idle is not None:
            self.idle.apply(session)
        self._unsubs[user_id] = [
            session.subscribe(lambda st, u=user_id: self._state_changed(u, st)),
            session.subscribe_events(lambda ev, msg, u=user_id: self._on_event(u, ev, msg)),
        ]

    def _detach(self, user_id: str) -> SessionLike | None:
        for unsub in self._unsubs.pop(user_id, []):
            try:
                unsub()
            except Exception:
                pass
        self._requested.pop(user_id, None)
        self._connected_once.discard(user_id)
        self._last_known.pop(user_id, None)  # a new login starts from its own first read
        return self.sessions.pop(user_id, None)

    def _state_changed(self, user_id: str, state: SessionState) -> None:
        self._recheck_if_presence_moved(user_id, state)
        if state.connection is Connection.CONNECTED and user_id not in self._connected_once:
            # One line per account once its first read worked (the demo and its test look for it).
            self._connected_once.add(user_id)
            override = state.override.name if state.override else "none"
            log.info("%s: connected to %s (%s); override: %s", user_id, state.homeserver, kept_by(state), override)
        self._remember_confirmed(state)
        session = self.sessions.get(user_id)
        if self.idle is not None and session is not None:
            self.idle.server_known(session)  # (automatic Busy where its server turned out to have it)
        if not self._first_reads_in.is_set():
            self._check_first_reads()
        self._changed()

    def _recheck_if_presence_moved(self, user_id: str, state: SessionState) -> None:
        """The session decides (Session.presence_moved); the read is ours, like the menu's."""
        session = self.sessions.get(user_id)
        if session is not None and session.presence_moved(state):
            self.spawn(self._refresh_one(session))

    def _on_event(self, user_id: str, event: SessionEvent, message: str) -> None:
        session = self.sessions.get(user_id)
        state = session.state if session else None
        n = self.policy.decide(user_id, event, message, state, self.monotonic())
        if n is not None:
            self._notify(n)
        self._changed()

    async def add_session(self, session: SessionLike) -> None:
        """A fresh login (or a new login of an account already listed): show it and start it.

        Once the controller is shut down (the applet is quitting) the session is only closed:
        its login is stored, so the next start restores it."""
        if self._closed:
            log.info("signed in %s while quitting; it starts with the next run", session.state.user_id)
            await self._close_quietly(session)
            return
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

    def start_sign_in(self, coro) -> asyncio.Task:
        """Run a sign-in (`sign_in_password`/`sign_in_token`) as the controller's own task.

        A dialog awaits it through `asyncio.shield`, so closing the dialog only stops the
        waiting: a login is never cancelled half-way (a device made on the server, its token
        not stored yet). Shutdown waits for it rather than cancelling it."""
        return self.spawn(coro, protect=True)

    def sign_in_outlived_dialog(self, task: asyncio.Task, *, sso: bool = False) -> None:
        """The dialog that started `task` closed before it finished: tell the outcome here."""

        def done(t: asyncio.Task) -> None:
            if t.cancelled():
                return
            e = t.exception()
            if e is None:
                user_id = t.result().state.user_id
                self._notify(signed_in(user_id))
            else:
                self._notify(couldnt_sign_in(sign_in_error(e, sso=sso)))

        task.add_done_callback(done)

    async def sign_out(self, user_id: str) -> None:
        """Revoke the login on the server, then forget it here. A login the server already
        rejected (signed out) has nothing left to revoke: it is only removed here."""
        session = self.sessions.get(user_id)
        if session is None or session.state.connection is Connection.SIGNED_OUT:
            await self.forget(user_id)
            return
        self.busy = signing_out(user_id)
        self._changed()
        try:
            try:
                await self.accounts.logout(session)
            except PresenceTrayError as e:
                if self._logout_went_through(user_id, e):
                    # The server revoked the login; removing it here failed half-way. The login
                    # is dead either way: don't keep showing it.
                    self._detach(user_id)
                    await self._close_quietly(session)
                    self._notify(keyring_left_behind(user_id, e, signed_out=True))
                    return
                reason = human_error(e)
                if isinstance(e, ServerUnreachable):
                    self._notify(
                        failure_notification(
                            user_id,
                            couldnt_sign_out(),
                            reason + " " + unreachable_sign_out_hint(),
                        )
                    )
                    self.on_offer_forget(user_id, reason)
                else:
                    self._notify(failure_notification(user_id, couldnt_sign_out(), reason))
                return
            self._detach(user_id)
            await self._close_quietly(session)
        finally:
            self.busy = None
            self._changed()

    def _logout_went_through(self, user_id: str, e: PresenceTrayError) -> bool:
        """Did the server-side logout work before `e`? Forgetting (which follows it) removes
        the account entry first and then the keyring item, the one step that raises
        CredentialStoreError."""
        if isinstance(e, CredentialStoreError):
            return True
        try:
            return user_id not in self.accounts.signed_in()
        except Exception:  # settings unreadable: we can't tell, so it did not
            return False

    async def forget(self, user_id: str) -> None:
        """Remove an account from this computer only (Accounts.forget / Session.forget): for a
        server that is gone, or a login the server no longer accepts. Nothing is sent."""
        session = self._detach(user_id)
        self.broken.pop(user_id, None)
        self.busy = removing(user_id)
        self._changed()
        try:
            if session is not None:
                try:
                    await session.forget()
                except PresenceTrayError as e:
                    self._forget_failed(user_id, e)
                finally:
                    await self._close_quietly(session)
            else:
                try:
                    self.accounts.forget(user_id)
                except PresenceTrayError as e:
                    self._forget_failed(user_id, e)
        finally:
            self.busy = None
            self._changed()

    def _forget_failed(self, user_id: str, e: PresenceTrayError) -> None:
        if user_id in self._listed():
            # Not even the account entry went: keep showing it, so it can be tried again.
            self.broken[user_id] = SessionState(
                user_id=user_id, homeserver="", connection=Connection.SIGNED_OUT, last_error=e.message
            )
            self._notify(failure_notification(user_id, couldnt_remove_account(), human_error(e)))
        else:
            self._notify(keyring_left_behind(user_id, e, signed_out=False))

    async def _close_quietly(self, session: SessionLike) -> None:
        try:
            async with asyncio.timeout(5):  # (not wait_for, which may drop our own cancellation)
                await session.close()
        except Exception as e:
            log.warning("closing a session failed: %s", type(e).__name__)

    # -- clicks -----------------------------------------------------------------------------

    def spawn(self, coro, *, protect: bool = False) -> asyncio.Task:
        """Run a coroutine in the background; shutdown() cancels it (or, `protect`ed, waits
        for it)."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        if protect:
            self._protected.add(task)
        task.add_done_callback(self._reap)
        return task

    def _reap(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        self._protected.discard(task)
        if not task.cancelled() and task.exception() is not None:  # retrieved: no "never retrieved"
            log.debug("background task ended with %s", type(task.exception()).__name__)

    def targets(self, user_id: str | None) -> list[SessionLike]:
        if user_id is None:
            return [s for s in self.sessions.values() if s.state.connection is not Connection.SIGNED_OUT]
        s = self.sessions.get(user_id)
        return [s] if s is not None else []

    def set_state(
        self, user_id: str | None, state: PresenceState | None, duration: Duration = Duration.UNTIL_CHANGED
    ) -> list[asyncio.Task]:
        """Set (or clear, with None) the override, for `duration` (a clear has no end)."""
        until = until_for(duration, self.clock(), self.tz) if state is not None else None
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
        until = extended_end(cur.override_until, by, self.clock(), self.tz)
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
        until = message_until(clear_after, self.clock(), self.tz) if msg else None
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
            self._notify(couldnt_change_autostart(str(e)))
        self.reload_autostart()
        self._changed()

    def toggle_pause_banners(self) -> None:
        if self.dnd is not None:
            self.dnd.toggle()
        self._changed()

    def toggle_busy_when_dnd(self) -> None:
        if self.dnd is not None:
            self.dnd.toggle_busy_when_on()
        self._changed()

    async def wait_idle(self) -> None:
        """Wait for every click's task (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def shutdown(self, timeout: float = 5.0) -> None:
        """Stop: clicks' tasks are cancelled, sign-ins are waited for (a login that completes
        now is stored and closed, see add_session), then every session is closed."""
        self._closed = True
        for t in list(self._tasks):
            if t not in self._protected:
                t.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)
        if self._tasks:  # a sign-in hanging past the timeout: give up on it after all
            for t in list(self._tasks):
                t.cancel()
            await asyncio.wait(list(self._tasks), timeout=1.0)
        if self._idle_start is not None:
            self._idle_start.cancel()
            await asyncio.gather(self._idle_start, return_exceptions=True)
        if self.idle is not None:
            await self.idle.close()
        if self.dnd is not None:
            await self.dnd.close()
        if self.calendar is not None:
            await self.calendar.close()
        sessions = [self._detach(u) for u in list(self.sessions)]
        await asyncio.gather(*(self._close_quietly(s) for s in sessions if s is not None))


_EXTEND_SPANS = {
    Duration.MINUTES_30: timedelta(minutes=30),
    Duration.HOUR_1: timedelta(hours=1),
    Duration.HOURS_4: timedelta(hours=4),
}


def kept_by(state: SessionState) -> str:
    """How the state is kept, for the log (plain words; "Server details…" names the interface)."""
    if state.api is ApiMode.EMULATED:
        return "no override on this server: this computer holds its presence"
    if state.api.has_override_api:
        return "the server keeps the override" + ("; changes made elsewhere are pushed" if state.watching else "")
    return "not checked yet"


def extended_end(until: datetime, by: Duration, now: datetime, tz: tzinfo | None = None) -> datetime | None:
    """The new end of a timed state that ends at `until`, extended `by` (None: no end)."""
    if by is Duration.UNTIL_CHANGED:
        return None
    if by is Duration.TOMORROW_MORNING:
        return max(until, next_morning(now, tz))
    return until + _EXTEND_SPANS[by]
