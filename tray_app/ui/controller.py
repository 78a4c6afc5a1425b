"""The applet's logic between the sessions and the views (Qt-free; asyncio only).

It owns the signed-in sessions and the background tasks clicks start. Views call its methods and listen to two
callbacks: `on_change()` (render again) and `on_notify(Notification)`.

Its pieces are in their own modules (so none grows past a few hundred lines): the presence
clicks (presence_clicks.py); the desktop glue for automatic presence, do-not-disturb, the
calendar and "Start on login" (desktop_links.py); the last known overrides (last_known.py);
sign-out and removing an account (account_removal.py); the background tasks
(background_tasks.py). This module keeps the account list, the sessions' lifecycle, sign-in and
the snapshot, and is the one object the views talk to.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from tray_app.durations import Duration
from tray_app.errors import PresenceTrayError
from tray_app.messages import ClearAfter
from tray_app.session_state import ApiMode, Connection, SessionEvent, SessionState
from tray_app.states import PresenceState
from tray_app.ui import account_removal
from tray_app.ui.background_tasks import BackgroundTasks, close_quietly
from tray_app.ui.calendar_menu import menu_state as calendar_menu_state
from tray_app.ui.desktop_links import (
    IDLE_START_AFTER_RENDER_SECONDS,
    IDLE_START_WAIT_SECONDS,
    AutostartSwitch,
    DesktopLinks,
    StartOnLogin,
)
from tray_app.ui.error_words import human_error, sign_in_error
from tray_app.ui.last_known import LastKnownOverrides
from tray_app.ui.notifications import (
    NotificationPolicy,
    couldnt_connect,
    couldnt_sign_in,
    failure_notification,
    signed_in,
)
from tray_app.ui.presence_clicks import PresenceClicks, extended_end
from tray_app.ui.session_like import SessionLike
from tray_app.ui.view_model import AppSnapshot, Notification

if TYPE_CHECKING:
    from tray_app.accounts import Accounts
    from tray_app.calendar.link import CalendarLink
    from tray_app.dnd.desktop import DoNotDisturb
    from tray_app.idle.automatic import AutomaticPresence
    from tray_app.idle.policy import IdlePolicy

# Names other modules and tests import from here, kept where they were before the split.
__all__ = [
    "IDLE_START_AFTER_RENDER_SECONDS",
    "IDLE_START_WAIT_SECONDS",
    "Controller",
    "SessionLike",
    "extended_end",
    "human_error",
    "kept_by",
    "sign_in_error",
]

log = logging.getLogger(__name__)


class Controller:
    def __init__(
        self,
        accounts: Accounts,
        *,
        autostart: AutostartSwitch | None = None,  # the tray_app.autostart module; None where not available
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
        tz: tzinfo | None = None,  # for "until tomorrow morning"; None: the system's zone
        idle: AutomaticPresence | None = None,  # None: no automatic presence
        dnd: DoNotDisturb | None = None,  # None: banners never paused
        calendar: CalendarLink | None = None,  # None: no "Use my calendar"
    ) -> None:
        self.idle = idle
        self.dnd = dnd
        self.calendar = calendar
        self._desktop = DesktopLinks(idle, dnd, calendar, self._changed, self.spawn, self._notify)
        self.calendar_actions = self._desktop.calendar_actions
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
        self._background = BackgroundTasks()
        self._clicks = PresenceClicks(self.sessions, self, spawn=self.spawn, changed=self._changed, notify=self._notify)
        self._connected_once: set[str] = set()
        self._closed = False
        self._start_on_login = StartOnLogin(autostart, self._changed, self._notify)
        self._first_reads_in = asyncio.Event()
        self._idle_start: asyncio.Task | None = None
        # Last confirmed overrides from the settings (AccountSettings.last_known), by account.
        self._last_known = LastKnownOverrides(lambda: getattr(self.accounts, "settings", None), self._listed)

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
                homeserver = self._last_known.homeserver(u)
                out.append(self._with_last_known(SessionState(user_id=u, homeserver=homeserver)))
        return out

    def _with_last_known(self, state: SessionState) -> SessionState:
        """The last confirmed override, shown unconfirmed until this run's first read."""
        return self._last_known.shown(state, state.user_id in self._connected_once)

    def autostart_enabled(self) -> bool | None:
        """The cached "Start on login" state (see `reload_autostart`)."""
        return self._start_on_login.enabled()

    def reload_autostart(self) -> bool | None:
        """Read "Start on login" again (it may have been changed outside the applet)."""
        return self._start_on_login.reload()

    def snapshot(self) -> AppSnapshot:
        idle, pause_banners = self._desktop.menu_state()
        return AppSnapshot(
            tuple(self.states()),
            autostart=self.autostart_enabled(),
            busy=self.busy,
            idle=idle,
            pause_banners=pause_banners,
            calendar=calendar_menu_state(self.calendar, self.clock(), self.tz),
        )

    def set_idle_policy(self, policy: IdlePolicy) -> None:
        self._desktop.set_idle_policy(policy)

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
        if self._desktop.any and self._idle_start is None:
            self._idle_start = asyncio.get_running_loop().create_task(self._start_idle())

    async def _start_idle(self) -> None:
        await self._desktop.start(
            self._first_reads_in, lambda: self._closed, lambda: list(self.sessions.values()), self._any_busy
        )

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
        self._clicks.forget(user_id)
        self._connected_once.discard(user_id)
        self._last_known.drop(user_id)  # a new login starts from its own first read
        return self.sessions.pop(user_id, None)

    def _state_changed(self, user_id: str, state: SessionState) -> None:
        self._recheck_if_presence_moved(user_id, state)
        if state.connection is Connection.CONNECTED and user_id not in self._connected_once:
            # One line per account once its first read worked (the demo and its test look for it).
            self._connected_once.add(user_id)
            override = state.override.name if state.override else "none"
            log.info("%s: connected to %s (%s); override: %s", user_id, state.homeserver, kept_by(state), override)
        self._last_known.remember(state)
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
            self.spawn(self._clicks.refresh_one(session))

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
            await close_quietly(session)
            return
        old = self._detach(session.state.user_id)
        if old is not None and old is not session:
            await close_quietly(old)
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
        """Revoke the login on the server, then forget it here (see account_removal.sign_out)."""
        await account_removal.sign_out(self, user_id)

    async def forget(self, user_id: str) -> None:
        """Remove an account from this computer only; nothing is sent (see account_removal.forget)."""
        await account_removal.forget(self, user_id)

    # -- clicks -----------------------------------------------------------------------------

    def spawn(self, coro, *, protect: bool = False) -> asyncio.Task:
        """Run a coroutine in the background; shutdown() cancels it (or, `protect`ed, waits
        for it)."""
        return self._background.spawn(coro, protect=protect)

    def targets(self, user_id: str | None) -> list[SessionLike]:
        return self._clicks.targets(user_id)

    def set_state(
        self, user_id: str | None, state: PresenceState | None, duration: Duration = Duration.UNTIL_CHANGED
    ) -> list[asyncio.Task]:
        """Set (or clear, with None) the override, for `duration` (see PresenceClicks)."""
        return self._clicks.set_state(user_id, state, duration)

    def end_now(self, user_id: str) -> asyncio.Task | None:
        """ "End now" on the running timed state (see PresenceClicks)."""
        return self._clicks.end_now(user_id)

    def extend(self, user_id: str, by: Duration) -> asyncio.Task | None:
        """ "Extend" the running timed state `by` (see PresenceClicks)."""
        return self._clicks.extend(user_id, by)

    def set_status_message(
        self, user_id: str, message: str, clear_after: ClearAfter = ClearAfter.NEVER
    ) -> asyncio.Task | None:
        """Change the status message ("" clears it), keeping the override (see PresenceClicks)."""
        return self._clicks.set_status_message(user_id, message, clear_after)

    def recent_messages(self, user_id: str) -> tuple[str, ...]:
        return self._clicks.recent_messages(user_id)

    def refresh(self, user_id: str | None = None, *, min_interval: float = 0.0) -> list[asyncio.Task]:
        """Re-read the server now (the menu calls this when it opens, at most every few seconds)."""
        return self._clicks.refresh(user_id, min_interval=min_interval)

    def toggle_autostart(self) -> None:
        self._start_on_login.toggle()

    def toggle_pause_banners(self) -> None:
        self._desktop.toggle_pause_banners()

    def toggle_busy_when_dnd(self) -> None:
        self._desktop.toggle_busy_when_dnd()

    async def wait_idle(self) -> None:
        """Wait for every click's task (tests and shutdown)."""
        await self._background.wait_idle()

    async def shutdown(self, timeout: float = 5.0) -> None:
        """Stop: clicks' tasks are cancelled, sign-ins are waited for (a login that completes
        now is stored and closed, see add_session), then every session is closed."""
        self._closed = True
        await self._background.stop(timeout)
        if self._idle_start is not None:
            self._idle_start.cancel()
            await asyncio.gather(self._idle_start, return_exceptions=True)
        await self._desktop.close()
        sessions = [self._detach(u) for u in list(self.sessions)]
        await asyncio.gather(*(close_quietly(s) for s in sessions if s is not None))


def kept_by(state: SessionState) -> str:
    """How the state is kept, for the log (plain words; "Server details…" names the interface)."""
    if state.api is ApiMode.EMULATED:
        return "no override on this server: this computer holds its presence"
    if state.api.has_override_api:
        return "the server keeps the override" + ("; changes made elsewhere are pushed" if state.watching else "")
    return "not checked yet"
