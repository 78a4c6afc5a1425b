"""One signed-in account's live session: the facade the tray and the command line use.

It decides which override API the server has, keeps a long-poll sync and an override poll
running, reconnects by itself, and publishes one immutable `SessionState` that the CLI and the
tray render. The layers it is made of, each in its own module: `core` (the shared state),
`own_presence` (what this device tells), `reading`, `sync_channel`, `changing`; beside them
`timed` (timed overrides), `outage` (outage notices) and `timings` (every period, passed in).

Public surface:
    session.state / subscribe(cb) / subscribe_events(cb)
    await start() / close() / refresh() / logout()
    await set_override(state_or_None, status_msg=None, until=None)
    await set_status_message(text, until=None) / recent_messages()
    await end_timed_now()
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import TYPE_CHECKING

from tray_app.backends.base import SessionLink
from tray_app.backoff import Backoff, after_429, sleep_until
from tray_app.credentials import CredentialStore, StoredCredentials
from tray_app.errors import PresenceTrayError, RateLimited, TokenRejected
from tray_app.matrix.http import network_errors, raise_for_nio, unreachable
from tray_app.matrix.liveness import Liveness
from tray_app.session.changing import Changing
from tray_app.session.message import StatusMessages
from tray_app.session.outage import OutageTracker
from tray_app.session.sync_channel import SyncChannel
from tray_app.session.timed import TimedOverrides
from tray_app.session.timings import SessionTimings
from tray_app.session_state import Connection, SessionState
from tray_app.settings import Settings

if TYPE_CHECKING:
    from tray_app.emulation import FightTracker

log = logging.getLogger(__name__)


class Session(Changing, SyncChannel):
    def __init__(
        self,
        creds: StoredCredentials,
        *,
        store: CredentialStore,
        settings: Settings,
        reconnect_backoff: Backoff = Backoff(base=1.0, cap=60.0),
        fight: FightTracker | None = None,
        timings: SessionTimings = SessionTimings(),
    ) -> None:
        super().__init__(creds, store=store, settings=settings, reconnect_backoff=reconnect_backoff, timings=timings)
        self._link = SessionLink(
            settings=settings,
            lock=self._lock,
            state=lambda: self._state,
            publish=self._publish,
            emit=self._emit,
            is_closed=lambda: self._closed,
            spawn=self._spawn_for_backend,
            fight=fight,
            release=self._release_hold,
        )
        self._subs.append(self._announce_on_change)
        # A server that stops answering during a long poll is noticed within seconds.
        self._liveness = Liveness(
            self._probe,
            lambda: self._requests.http.last_answer,
            creds.homeserver,
            silence=timings.liveness_silence,
            probe_timeout=timings.liveness_probe_timeout,
        )
        self._timed = TimedOverrides(
            creds.user_id,
            settings=settings,
            timings=timings,
            retry_delay=lambda attempt: self._backoff.delay(attempt),
            state=lambda: self._state,
            publish=self._publish,
            emit=self._emit,
            set_override=self.set_override,
            is_closed=lambda: self._closed,
        )
        self._message = StatusMessages(
            creds.user_id,
            settings=settings,
            timings=timings,
            retry_delay=lambda attempt: self._backoff.delay(attempt),
            state=lambda: self._state,
            publish=self._publish,
            set_message=self._set_message_only,
            is_closed=lambda: self._closed,
        )
        self._subs.append(self._message.follow)

    async def set_status_message(self, text: str, until: datetime | None = None) -> SessionState:
        """Change only the status message ("" clears it) and keep the override; `until`: when
        it clears by itself. Where the server ties the message to an override
        (`state.message_alone` False) there must be one (else `NotOffered`)."""
        self._check_open()
        await self._message.set(text, until)
        return self._state

    def recent_messages(self) -> tuple[str, ...]:
        """The status messages set last on this computer, newest first."""
        return self._message.recent()

    async def _set_message_only(self, text: str) -> SessionState:
        held = self._state.override.state if self._state.override else None
        return await self.set_override(held, text, message_only=True)

    async def end_timed_now(self) -> None:
        """End the running timed override now, the way its end would (back to what was there
        before it); nothing happens when none runs."""
        self._check_open()
        await self._timed.end_now()

    # -- lifecycle --------------------------------------------------------------------

    async def start(self) -> None:
        """Run in the background until close(); network faults never escape from here."""
        if self._runner is None and not self._closed:
            self._runner = asyncio.get_running_loop().create_task(self._supervise())

    async def close(self) -> None:
        self._closed = True
        try:
            await self._stop_background()
            await self._undropped.close()
        finally:  # (a caller's timeout cutting the above still closes the connections)
            await self._requests.close()
            if self._nio is not None:
                await self._nio.close()

    async def _stop_background(self) -> None:
        current = asyncio.current_task()
        tasks = [
            t
            for t in (self._runner, self._timed.task, self._message.task, self._auto_timer, *self._backend_tasks)
            if t and t is not current
        ]
        await _cancel_and_wait(tasks)
        self._runner = self._timed.task = self._message.task = self._auto_timer = None

    async def _supervise(self) -> None:
        attempt = 0
        outage = OutageTracker(
            self._creds.homeserver, notice_after=self._timings.unreachable_notice_after, emit=self._emit
        )
        while not self._closed:
            self._synced = False
            try:
                await self._connect()
                outage.connected()
                await self._run_connected()
            except asyncio.CancelledError:
                raise
            except TokenRejected as e:
                self._signed_out(e)
                return
            except Exception as e:
                if not isinstance(e, PresenceTrayError):
                    log.exception("unexpected failure in the session loop")
                # Backoff grows until a sync has worked, not merely a connect: a server whose
                # /sync alone fails must not be hammered once a second.
                attempt = 1 if self._synced else attempt + 1
                if isinstance(e, RateLimited):
                    delay = after_429(e.retry_after_ms)
                    message = "the server asked us to slow down; waiting"
                else:
                    delay = self._backoff.delay(attempt)
                    message = e.message if isinstance(e, PresenceTrayError) else f"{type(e).__name__}: {e}"
                outage.failed()
                self._publish(connection=Connection.DISCONNECTED, last_error=message)
                log.info("disconnected (%s); retrying in %.1f s", message, delay)
                await self._sleep_or_retry(delay)

    async def _sleep_or_retry(self, delay: float) -> None:
        """Wait `delay` seconds (never less: a 429's window must have passed), or until
        `retry_now` asks to reconnect at once."""
        self._retry_now.clear()
        end = time.monotonic() + delay
        await sleep_until(lambda: end, wake=self._retry_now)

    async def _connect(self) -> None:
        """(Re)check the API, read everything, and take up held/timed state."""
        mark = self._reading_mark()
        first = await self._detect()
        if first is None and self._api.reads_by_initial_sync:
            await self._sync_spacing()  # not under the lock: clicks go on meanwhile
        async with self._lock:
            if self._older_than_a_change(mark):
                first = None  # a change was made meanwhile: that reading is stale, read again
            await self._api.resume()
            seen_presence = None
            if first is None and self._api.reads_by_initial_sync:
                first, seen_presence = await self._initial_sync()
            await self._read_locked(first=first, seen_presence=seen_presence)
        if seen_presence is not None:
            self._api.own_presence(seen_presence)
        self._publish(connection=Connection.CONNECTED, last_error=None)
        self._timed.resume()
        self._message.resume()

    async def _run_connected(self) -> None:
        loop = asyncio.get_running_loop()
        tasks = {
            loop.create_task(self._sync_loop()),
            loop.create_task(self._poll_loop()),
            loop.create_task(self._announce_loop()),
        }
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for t in done:
                t.result()
        finally:
            await _cancel_and_wait(tasks)

    # -- signing out ---------------------------------------------------------------------

    async def logout(self) -> None:
        """Server-side logout first, so no live token is left behind; then forget it here.

        Background work stops first: a poll racing the logout would see the token die and
        report a false "signed out elsewhere".
        """
        self._check_open()
        was_running = self._runner is not None
        await self._stop_background()
        try:
            resp = await self._client.logout()
            raise_for_nio(self._client, resp, "the logout")
        except TokenRejected:
            pass  # already dead on the server: forgetting it is all that is left
        except Exception as e:
            if was_running and not self._closed:
                await self.start()  # still signed in: carry on as before
            if isinstance(e, network_errors()):
                raise unreachable(self._client, e) from e
            raise
        await self.forget()

    async def forget(self) -> None:
        """Remove this login from this computer only (the server is gone for good, say).

        The account entry goes first: if the keyring then fails, nothing shows a login that
        is half gone."""
        self._settings.remove_account(self.user_id)
        await self._store.adelete(self.user_id)
        self._publish(connection=Connection.SIGNED_OUT, last_error=None, pending=None)
        await self.close()


async def _cancel_and_wait(tasks) -> None:
    """Cancel the tasks and wait until each has ended. One that lived on (its cancellation
    swallowed: Python 3.11's asyncio.wait_for, cancelled in the moment its awaitable finished,
    returns the result instead, CPython gh-86296) is cancelled again, so stopping never waits
    forever on a loop that kept running."""
    running = {t for t in tasks if not t.done()}
    while running:
        for t in running:
            t.cancel()
        _, running = await asyncio.wait(running, timeout=1.0)
    await asyncio.gather(*tasks, return_exceptions=True)  # all ended: their errors are retrieved
