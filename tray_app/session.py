"""One signed-in account's live session.

It owns the nio client, decides which override API the server has, keeps a
long-poll sync and a 60 s override poll running, reconnects by itself, and
publishes one immutable `SessionState` that the CLI and the tray render.

Public surface:
    session.state / subscribe(cb) / subscribe_events(cb)
    await start() / close() / refresh() / logout()
    await set_override(state_or_None, status_msg=None, until=None)
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tray_app.backends import READ_AGAIN, OverrideReading, PresenceBackend, ReadAgain, detect_backend
from tray_app.backends.base import SessionLink, connected_presence
from tray_app.backoff import Backoff, retry_after_seconds, sleep_full, wait_out
from tray_app.credentials import CredentialStore, StoredCredentials
from tray_app.errors import (
    BadResponse,
    CredentialStoreError,
    NotOffered,
    PresenceTrayError,
    RateLimited,
    ServerUnreachable,
    Superseded,
    TokenRejected,
    WrongPassword,
)
from tray_app.homeserver import check_homeserver_url, discover_homeserver, server_name_of
from tray_app.idle.policy import PresenceGate
from tray_app.liveness import PROBE_PATH, Liveness
from tray_app.matrix_http import MatrixRequests, make_client, network_errors, raise_for_nio, unreachable
from tray_app.presence_status import get_presence, put_presence
from tray_app.session_state import Connection, Pending, SessionEvent, SessionState
from tray_app.settings import Settings
from tray_app.states import (
    Override,
    PresenceState,
    emulated_presence,
    presence_from_wire,
    presence_to_wire,
    same_override,
)
from tray_app.undropped_syncs import UndroppedSyncs

if TYPE_CHECKING:
    from nio import AsyncClient, LoginResponse

    from tray_app.emulation import FightTracker

log = logging.getLogger(__name__)

__all__ = ["Session", "Superseded", "login_password", "login_token", "sync_filter"]

DEVICE_NAME = "Presence Tray"
_STATE_VALUES = {s.value for s in PresenceState}


# A key of our own in the sync filter whose value differs for every initial sync: Synapse
# keys its sync response cache on the filter's string (with user, device, since, timeout,
# full_state), so without it an initial sync within `sync_response_cache_duration` (2 min) of
# another one of this device, this process's or an earlier one's, is answered with that one's
# cached, older account data. Synapse's filter schema allows unknown keys.
FRESH_KEY = "org.presence_tray.initial_sync"


def sync_filter(user_id: str, account_data_types: tuple[str, ...] = (), fresh: str | None = None) -> dict[str, Any]:
    """Only our own presence (and the one account-data event a backend watches, if any): no
    rooms, whatever the account's size. `fresh`: the FRESH_KEY value of this initial sync."""
    flt: dict[str, Any] = {
        "room": {
            "rooms": [],
            "account_data": {"not_types": ["*"]},
            "ephemeral": {"not_types": ["*"]},
            "state": {"not_types": ["*"]},
            "timeline": {"not_types": ["*"], "limit": 0},
            "include_leave": False,
        },
        "account_data": {"types": list(account_data_types)} if account_data_types else {"not_types": ["*"]},
        "presence": {"senders": [user_id], "types": ["m.presence"]},
    }
    if fresh is not None:
        flt[FRESH_KEY] = fresh
    return flt


class Session:
    POLL_INTERVAL = 60.0
    SYNC_TIMEOUT_MS = 30_000
    UNREACHABLE_NOTICE_AFTER = 300.0
    SET_RATE_LIMIT_TRIES = 3

    def __init__(
        self,
        creds: StoredCredentials,
        *,
        store: CredentialStore,
        settings: Settings,
        reconnect_backoff: Backoff = Backoff(base=1.0, cap=60.0),
        fight: FightTracker | None = None,
    ) -> None:
        self._creds = creds
        self._store = store
        self._settings = settings
        self._backoff = reconnect_backoff
        # Override, presence and /versions requests: light, kept alive, no nio import.
        self._requests = MatrixRequests(creds.homeserver, creds.access_token)
        self._nio: AsyncClient | None = None  # made on first use (sync, logout): see _client
        self._state = SessionState(user_id=creds.user_id, homeserver=creds.homeserver, device_id=creds.device_id)
        self._api: PresenceBackend | None = None  # which API: see tray_app.backends
        self._nonce = secrets.token_hex(6)  # this process's part of FRESH_KEY
        self._initial_syncs = 0
        self._filter = sync_filter(creds.user_id, fresh=self._fresh())
        self._since: str | None = None
        self._lock = asyncio.Lock()  # one override request (set or read) at a time
        self._generation = 0
        self._have_read = False
        self._subs: list[Callable[[SessionState], None]] = []
        self._event_subs: list[Callable[[SessionEvent, str], None]] = []
        self._runner: asyncio.Task | None = None
        self._timer: asyncio.Task | None = None
        self._backend_tasks: set[asyncio.Task] = set()  # background work of a backend (SessionLink.spawn)
        self._retry_now = asyncio.Event()
        self._closed = False
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
        self._synced = False
        # Automatic presence (idle/lock): at most one change per 30 s; with no override it is
        # PUT at once (_announce_loop), and the syncs after it carry the same.
        self._auto_gate = PresenceGate()
        self._auto_timer: asyncio.Task | None = None
        self._presence_changed = asyncio.Event()
        self._last_sync_start = -1e9
        self._sync_carrying: str | None = None  # the set_presence of the sync running now
        # This device's presence as the server last took it from us (a PUT, or the last sync,
        # which carried one); None: nothing of ours (the last sync said `offline`). Our own
        # status message as the sync reports it while no override holds, kept by the PUT.
        self._announced: str | None = None
        self._announce_wanted = asyncio.Event()
        self._own_status_msg: str | None = None
        self._override_held = False
        self._subs.append(self._announce_on_change)
        self._undropped = UndroppedSyncs()  # syncs carrying a presence: see its module
        # A server that stops answering during a long poll is noticed within seconds.
        self._liveness = Liveness(self._probe, lambda: self._requests.http.last_answer, creds.homeserver)
        # When our last change was answered, and what our last few changes stored: a sync
        # that started before that answer may carry an older state of the event (our own
        # older echo); see _on_watched.
        self._last_change_done = -1e9
        self._own_recent: list[tuple] = []
        # Our changes in flight (a reading begun meanwhile may be older than the change), and
        # the last one whose answer never came (sent, then a timeout or a lost connection): the
        # server may apply it late, and a reading showing it then is ours; see _late_own_write.
        self._writing = 0
        self._unanswered: _Unanswered | None = None

    # -- observing ------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def user_id(self) -> str:
        return self._creds.user_id

    @property
    def _client(self) -> AsyncClient:
        """The nio client, for sync and logout; made (and nio imported, ~0.3 s) on first use,
        so the start and `status` paths never pay for it."""
        if self._nio is None:
            creds = self._creds
            self._nio = make_client(creds.homeserver, creds.user_id, creds.device_id)
            self._nio.restore_login(creds.user_id, creds.device_id, creds.access_token)
        return self._nio

    def subscribe(self, callback: Callable[[SessionState], None]) -> Callable[[], None]:
        self._subs.append(callback)
        return lambda: self._subs.remove(callback) if callback in self._subs else None

    def subscribe_events(self, callback: Callable[[SessionEvent, str], None]) -> Callable[[], None]:
        self._event_subs.append(callback)
        return lambda: self._event_subs.remove(callback) if callback in self._event_subs else None

    def _publish(self, **changes: Any) -> None:
        new = self._state.evolve(**changes)
        if new == self._state:
            return
        self._state = new
        for cb in list(self._subs):
            try:
                cb(new)
            except Exception:
                log.exception("a state subscriber failed")

    def _emit(self, event: SessionEvent, message: str) -> None:
        log.info("%s: %s", event.value, message)
        for cb in list(self._event_subs):
            try:
                cb(event, message)
            except Exception:
                log.exception("an event subscriber failed")

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

    def _spawn_for_backend(self, coro) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self._backend_tasks.add(task)
        task.add_done_callback(self._backend_task_done)
        return task

    def _backend_task_done(self, task: asyncio.Task) -> None:
        self._backend_tasks.discard(task)
        if not task.cancelled() and (e := task.exception()) is not None:
            log.error(
                "a background task of the %s backend failed",
                self._api.mode.value if self._api else "unknown",
                exc_info=e,
            )

    async def _stop_background(self) -> None:
        current = asyncio.current_task()
        tasks = [
            t for t in (self._runner, self._timer, self._auto_timer, *self._backend_tasks) if t and t is not current
        ]
        await _cancel_and_wait(tasks)
        self._runner = self._timer = self._auto_timer = None

    def _check_open(self) -> None:
        if self._closed:
            raise PresenceTrayError("this session was closed")

    async def _supervise(self) -> None:
        attempt = 0
        outage_since: float | None = None
        outage_announced = False
        while not self._closed:
            self._synced = False
            try:
                await self._connect()
                if outage_announced:
                    self._emit(SessionEvent.RECONNECTED, f"connected to {self._creds.homeserver} again")
                outage_since, outage_announced = None, False
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
                    delay = retry_after_seconds(e.retry_after_ms)
                    message = "the server asked us to slow down; waiting"
                else:
                    delay = self._backoff.delay(attempt)
                    message = e.message if isinstance(e, PresenceTrayError) else f"{type(e).__name__}: {e}"
                now = time.monotonic()
                outage_since = outage_since if outage_since is not None else now
                if not outage_announced and now - outage_since >= self.UNREACHABLE_NOTICE_AFTER:
                    outage_announced = True
                    self._emit(
                        SessionEvent.UNREACHABLE_FOR_LONG,
                        f"{self._creds.homeserver} has been unreachable for "
                        f"{int((now - outage_since) // 60)} minutes; still retrying",
                    )
                self._publish(connection=Connection.DISCONNECTED, last_error=message)
                log.info("disconnected (%s); retrying in %.1f s", message, delay)
                await self._sleep_or_retry(delay)

    async def _sleep_or_retry(self, delay: float) -> None:
        self._retry_now.clear()
        try:
            async with asyncio.timeout(delay):  # (not wait_for: see _cancel_and_wait)
                await self._retry_now.wait()
        except TimeoutError:
            pass

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
        self._resume_timed()

    def _fresh(self) -> str:
        """A FRESH_KEY value no initial sync of this device has used (this process or another)."""
        self._initial_syncs += 1
        return f"{self._nonce}.{self._initial_syncs}"

    async def _initial_sync(self) -> tuple[OverrideReading, str | None]:
        """Connecting where the backend reads by initial sync: one initial sync (timeout 0,
        through the light requests: no nio on the start path) is the read. Returns the override
        it gives and our presence (None where the sync omits it, as Synapse does for offline);
        the sync loop goes on from its `next_batch`. Its filter is fresh (FRESH_KEY), so it is
        never a cached, older answer."""
        api = self._api
        assert api is not None
        self._filter = sync_filter(self.user_id, api.watch_types, fresh=self._fresh())
        self._since = None
        await self._sync_spacing()  # a reconnect: the sync before it may have just begun
        set_presence = self._sync_presence()
        query = urlencode(
            {
                "filter": json.dumps(self._filter, separators=(",", ":")),
                "timeout": "0",
                "set_presence": presence_to_wire(set_presence),
            }
        )
        before = self._sync_carries(set_presence)
        try:
            resp = await self._requests.json("GET", "/_matrix/client/v3/sync?" + query)
        except PresenceTrayError:
            self._sync_failed(before)
            raise
        next_batch = resp.get("next_batch")
        if not isinstance(next_batch, str):
            raise BadResponse("the server answered the initial sync without a next_batch")
        account_data = {
            e["type"]: e["content"]
            for e in _sync_events(resp, "account_data")
            if e.get("type") in api.watch_types and isinstance(e.get("content"), dict)
        }
        presence = None
        for e in _sync_events(resp, "presence"):
            content = e.get("content")
            if (
                e.get("sender") == self.user_id
                and isinstance(content, dict)
                and isinstance(content.get("presence"), str)
            ):
                presence = presence_from_wire(content["presence"])
        self._since = next_batch
        return api.initial_reading(account_data), presence

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
            busy_supported=PresenceState.BUSY in offered,
            disabled_unsupported=(
                None if PresenceState.DISABLED in offered else backend.not_offered_reason(PresenceState.DISABLED)
            ),
            watching=watch,
        )
        return first

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

    def _signed_out(self, e: TokenRejected) -> None:
        """The token is dead: stop, say why, keep the device ID so signing in again reuses it."""
        if self._state.connection is Connection.SIGNED_OUT:
            return
        self._publish(connection=Connection.SIGNED_OUT, last_error=e.message, pending=None)
        self._emit(SessionEvent.SIGNED_OUT, f"{self.user_id}: {e.message}")
        if self._runner and self._runner is not asyncio.current_task():
            self._runner.cancel()

    # -- sync and poll ------------------------------------------------------------------

    # Synapse counts every sync (whatever its set_presence) against rc_presence, default one per
    # 10 s per user, and a sync that comes sooner is denied: its set_presence is ignored and the
    # device does not count as syncing while it runs. So no sync starts sooner than this after
    # the previous one: Synapse's 10 s and a margin for the time between our start and the
    # server's check, which a loaded machine or a new TLS connection may stretch for one
    # request and not the next (syncs begun 9.84-9.96 s apart were denied).
    PRESENCE_SYNC_SPACING = 12.0

    async def _sync_spacing(self) -> None:
        """Wait until PRESENCE_SYNC_SPACING has passed since the last sync began, on the
        monotonic clock, checked again after every sleep (timers on the Qt loop fire early)."""
        while (wait := self._last_sync_start + self.PRESENCE_SYNC_SPACING - time.monotonic()) > 0:
            await asyncio.sleep(wait)

    async def _sync_loop(self) -> None:
        while True:
            # Also after a sync that an event ended early (our own presence change, mostly).
            await self._sync_spacing()
            self._presence_changed.clear()
            sync = asyncio.ensure_future(self._sync_once(self.SYNC_TIMEOUT_MS))
            wake = asyncio.ensure_future(self._presence_changed.wait())
            try:
                done, _ = await asyncio.wait({sync, wake}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                wake.cancel()
                if not sync.done():
                    sync.cancel()
                    await asyncio.gather(sync, return_exceptions=True)
            if sync in done and not sync.cancelled():
                sync.result()
            # Else what our sync must say changed (an override came or went): a new sync says it.

    def _keep_connected(self) -> bool:
        """An override holds that shows only while a device of the user is connected (MSC4532's
        rule 1): this device stays connected while the applet runs."""
        override = self._state.override
        return (
            self._have_read
            and override is not None
            and self._api is not None
            and (self._api.override_follows_devices(override.state))
        )

    def _wake_sync_if_presence_changed(self) -> None:
        """Our sync says `offline` while this device must now stay connected (an override that
        rule 1 applies to): a new sync carries it, spaced so that it counts. Nothing else
        hurries: an initial sync is answered at once anyway (and one cut short and begun again
        after a change would never report an `offline` presence: initial syncs leave it out)."""
        if (
            self._runner is not None
            and self._since is not None
            and self._sync_carrying == PresenceState.OFFLINE.value
            and self._sync_presence() != PresenceState.OFFLINE.value
        ):
            self._presence_changed.set()

    def _sync_presence(self) -> str:
        """`set_presence` for our sync: what the backend needs (a held emulated state, MSC4532's
        "we are here"); else, with no override, this device's automatic presence; else, with an
        override that shows only while a device is connected (MSC4532's rule 1), a connected
        presence the override outranks; else `offline`, which leaves presence alone, so the
        tray never makes anyone look online against an override."""
        needed = self._api.sync_presence(self._auto_gate.applied) if self._api else None
        if needed is not None:
            return needed
        if self._keep_connected():
            return connected_presence(self._auto_gate.applied)
        if not self._have_read or self._state.override is not None:
            return PresenceState.OFFLINE.value
        if self._state.pending is not None or self._auto_gate.applied is None:
            return PresenceState.OFFLINE.value
        return emulated_presence(self._auto_gate.applied).value

    async def _sync_once(self, timeout_ms: int) -> None:
        api = self._api
        set_presence = self._sync_presence()
        # Every initial sync gets a filter of its own (FRESH_KEY; a retry too), so Synapse's sync
        # response cache cannot answer it; it is still taken like a sync begun before our last
        # change (a server may cache otherwise), which costs a read only when it disagrees.
        initial = self._since is None
        if initial:
            self._filter = {**self._filter, FRESH_KEY: self._fresh()}
        before = self._sync_carries(set_presence)
        started = self._last_sync_start
        self._sync_carrying = set_presence
        try:
            request = self._client.sync(
                timeout=timeout_ms,
                sync_filter=self._filter,
                since=self._since,
                set_presence=presence_to_wire(set_presence),
            )
            if set_presence != PresenceState.OFFLINE.value:
                request = self._undropped.wait(request)  # dropping it can stick presence
            resp = await self._liveness.watch(request)  # a stalled server: see tray_app.liveness
        except network_errors() as e:
            self._sync_failed(before)
            raise unreachable(self._client, e) from e
        except ServerUnreachable:  # the liveness check: unanswered, as a network fault
            self._sync_failed(before)
            raise
        try:
            raise_for_nio(self._client, resp, "sync")
        except PresenceTrayError:
            self._sync_failed(before, answered=True)
            raise
        self._synced = True
        self._since = resp.next_batch
        for event in resp.presence_events:
            if event.user_id == self.user_id:
                if self._state.override is None and self._state.pending is None:
                    self._own_status_msg = event.status_msg or None  # someone's message: the PUT keeps it
                self._on_own_presence(presence_from_wire(event.presence))
        if api is not None and api.watch_types:
            for event in resp.account_data_events:
                event_type = getattr(event, "type", None)
                if event_type in api.watch_types and isinstance(getattr(event, "content", None), dict):
                    await self._on_watched(api, event_type, event.content, initial or started <= self._last_change_done)

    async def _on_watched(
        self, api: PresenceBackend, event_type: str, content: dict[str, Any], before_our_change: bool
    ) -> None:
        """The watched account-data event changed (here or elsewhere): take up what it says.
        A set in flight decides itself (its answer confirms it), so the event waits for it.
        `before_our_change`: the sync began before our last change was answered (or is an
        initial sync, possibly a cached answer), so it may carry an older state: our own older
        echo is dropped, anything else is read again."""
        seen = api.watch(event_type, content)
        if seen is None or self._state.pending is not None:
            return
        mark = self._reading_mark()
        if isinstance(seen, OverrideReading):
            key = _reading_key(seen)
            if key == _reading_key(OverrideReading(self._state.override, self._state.status_msg)):
                return  # what we know already (the echo of our own change, mostly)
            if before_our_change:
                if key in self._own_recent:
                    return  # our own older change: the newer one is what holds
                seen = READ_AGAIN
        async with self._lock:
            if self._api is not api or self._state.pending is not None:
                return
            if self._older_than_a_change(mark):
                seen = READ_AGAIN  # a change of ours was made while we waited: read what holds now
            await self._read_locked(first=None if isinstance(seen, ReadAgain) else seen, by_sync=True)

    async def _poll_loop(self) -> None:
        """No event announces an override changed elsewhere, so we look every minute."""
        while True:
            await asyncio.sleep(self.POLL_INTERVAL)  # on demand reads go through refresh()
            async with self._lock:
                await self._read_locked()

    async def _probe(self, timeout: float) -> None:
        """Liveness's check: /versions on the light connections (no login, no presence)."""
        await self._requests.http.request("GET", PROBE_PATH, timeout=timeout)

    def _on_own_presence(self, presence: str) -> None:
        self._publish(presence=presence)
        if self._api is not None:
            self._api.own_presence(presence)

    # -- automatic presence (idle / lock) ---------------------------------------------------

    def set_automatic(self, state: PresenceState | None) -> None:
        """What the desktop says this device should report while no override is set
        (tray_app.idle); None: neutral. Never touches an override; at most one change per
        30 s, the newest wish winning when the window opens. With no override the change is
        PUT at once (_announce_loop); under one, the sync carries what the backend needs."""
        if self._closed:
            return
        self._auto_due(self._auto_gate.offer(state, time.monotonic()))

    def _auto_due(self, wait: float | None) -> None:
        if self._auto_gate.applied != self._state.automatic:
            self._publish(automatic=self._auto_gate.applied)  # wakes _announce_loop
            if self._announce_target() is None:
                self._presence_changed.set()  # an override (or a change to one): the sync says it
        if wait is not None and (self._auto_timer is None or self._auto_timer.done()):
            self._auto_timer = asyncio.get_running_loop().create_task(self._auto_later(wait))

    async def _auto_later(self, wait: float) -> None:
        await asyncio.sleep(wait)
        self._auto_timer = None
        self._auto_due(self._auto_gate.due(time.monotonic()))

    # -- this device's presence by PUT -------------------------------------------------------
    # A sync's set_presence reaches the server only when the sync starts, and a sync may start
    # only once per 10 s (rc_presence): a change waiting for it arrived up to a long poll late,
    # and one started sooner was dropped. PUT /presence/{me}/status has a budget of its own
    # (one per 10 s, a 429 with retry_after_ms beyond it), so a change of this device's
    # presence goes out by one PUT the moment it is due, and every later sync carries the same
    # state, so nothing contradicts it. Never a loop: one PUT per change, and automatic changes
    # come at most one per 30 s (PresenceGate).

    def _unheld_presence(self) -> str:
        """This device's presence with no override: what the backend needs (MSC4532's "we are
        here"), else its automatic presence, or `offline` (which leaves presence to the other
        devices) where that is neutral."""
        applied = self._auto_gate.applied
        needed = self._api.sync_presence(applied) if self._api else None
        if needed is not None:
            return needed
        return emulated_presence(applied).value if applied is not None else PresenceState.OFFLINE.value

    def _announce_target(self) -> str | None:
        """What this device should have told the server now; None: an override (or a change
        to it in flight) decides, or nothing is read yet."""
        if (
            self._api is None
            or not self._have_read
            or self._state.override is not None
            or self._state.pending is not None
        ):
            return None
        return self._unheld_presence()

    def _announce_on_change(self, state: SessionState) -> None:
        held = state.override is not None
        if held and not self._override_held:
            self._own_status_msg = None  # what the sync shows from now on is the override's
        self._override_held = held
        self._announce_wanted.set()

    def _sync_carries(self, set_presence: str) -> tuple[float, str | None]:
        """A sync begins now (at least PRESENCE_SYNC_SPACING after the one before, so the server
        takes its set_presence). One saying `offline` leaves the device's state alone but stops
        it counting as syncing: Synapse drops the device 30 s later, so nothing of ours stays
        told. Returns what to put back if it fails (_sync_failed)."""
        before = (self._last_sync_start, self._announced)
        self._last_sync_start = time.monotonic()
        self._announced = set_presence if set_presence != PresenceState.OFFLINE.value else None
        return before

    def _sync_failed(self, before: tuple[float, str | None], *, answered: bool = False) -> None:
        """What a failed sync carried is not taken as told. One that got no answer is taken as
        one the server did not count either, so reconnecting is not held back by the spacing;
        one the server answered with an error may have passed rc_presence's check first, so
        the next sync is still spaced from it."""
        last_start, self._announced = before
        if not answered:
            self._last_sync_start = last_start

    async def _announce_loop(self) -> None:
        failures = 0
        while True:
            await self._announce_wanted.wait()
            self._announce_wanted.clear()
            try:
                await self._announce()
            except RateLimited as e:  # another device (or our last click) used the budget
                log.info("putting this device's presence was rate limited (%s ms)", e.retry_after_ms)
                await wait_out(e.retry_after_ms)
                self._announce_wanted.set()
            except TokenRejected:
                raise
            except PresenceTrayError as e:
                # Not worth a reconnect (the sync notices a server that is gone): try again later.
                failures += 1
                log.info("putting this device's presence failed (%s); trying again", e.message)
                await sleep_full(self._backoff.delay(failures))
                self._announce_wanted.set()
            else:
                failures = 0

    def _announce_due(self) -> str | None:
        target = self._announce_target()
        if target is None or target == self._announced:
            return None
        if target == PresenceState.OFFLINE.value and self._announced is None:
            return None  # nothing of ours to take back
        return target

    async def _announce(self) -> None:
        if self._announce_due() is None:
            return
        async with self._lock:  # never between a click's request and its answer
            target = self._announce_due()
            if target is not None:
                await self._put_own_presence(target, self._own_status_msg)

    async def _put_own_presence(self, presence: str, status_msg: str | None) -> None:
        await put_presence(self._requests, self.user_id, PresenceState(presence), status_msg)
        self._announced = presence

    async def _release_hold(self) -> None:
        """The emulated backend lets its hold go: this device says its presence without an
        override (not `offline`, which showed you offline while you sat at the computer)."""
        self._own_status_msg = None  # the message went with the override
        await self._put_own_presence(self._unheld_presence(), None)

    async def _announce_before_clear(self, api: PresenceBackend, *, may_wait: bool) -> str | None:
        """Clearing an override on a server that keeps it: this device's presence first, so
        the server has it the moment the override goes (the device said `offline` under the
        override and may have timed out: others would see offline until the next sync)."""
        if api.releases_presence or self._state.override is None or self._runner is None:
            return None  # (a one-shot session, the CLI's, knows no automatic presence)
        presence = self._unheld_presence()
        if presence == PresenceState.OFFLINE.value:
            return None  # neutral: the other devices decide
        # Even where our syncs kept saying it under the override: the module holds an override
        # by rewriting the device states it is sent, so the server may not have it.
        try:
            await put_presence(self._requests, self.user_id, PresenceState(presence), None)
        except RateLimited:
            if may_wait:
                raise  # waited out with the clear (see _send_and_confirm)
            log.info("saying this device's presence before a clear was rate limited; it follows the clear")
            self._announced = None  # the announce loop says it once the window has passed
            return None
        return presence

    # -- reading -------------------------------------------------------------------------

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
            self._own_recent = [*self._own_recent[-7:], _reading_key(OverrideReading(override, status_msg))]
            self._remember_timed(late.state, late.until, late.before)
        elif changed and not ours:
            self._drop_timed()
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

    # How long a change whose answer never came may still land as ours (a server stalled
    # and resumed works through what it had received at once).
    UNANSWERED_KEEP = 600.0

    def _late_own_write(self, override: Override | None) -> _Unanswered | None:
        """The unanswered change of ours that `override` shows, if it shows one."""
        late = self._unanswered
        if late is None or time.monotonic() - late.sent > self.UNANSWERED_KEEP:
            return None
        wanted = Override(late.state, late.state.value) if late.state is not None else None
        return late if same_override(override, wanted) else None

    # -- changing ----------------------------------------------------------------------

    async def set_override(
        self,
        state: PresenceState | None,
        status_msg: str | None = None,
        until: datetime | None = None,
    ) -> SessionState:
        """Set (or with None, clear) the override: one request, whose 2xx confirms it.

        Calls are serialised and the last one wins: a call that a newer one
        replaced before it was sent raises `Superseded`, and an older answer
        never overwrites a newer state.
        """
        self._check_open()
        self._generation += 1
        generation = self._generation
        self._unanswered = None  # this change replaces one that may still land
        pending = Pending(state, status_msg)
        self._publish(pending=pending, last_error=None)
        self._writing += 1
        try:
            before = await self._send_and_confirm(state, status_msg, generation)
        except Superseded:
            raise
        except PresenceTrayError as e:
            if isinstance(e, TokenRejected):
                self._signed_out(e)
            if generation == self._generation:
                self._publish(last_error=e.message)
                if isinstance(e, ServerUnreachable) or (isinstance(e, BadResponse) and e.status in _GATEWAY_GAVE_UP):
                    # Sent, perhaps, and never answered (a timeout, a lost connection, a reverse
                    # proxy that stopped waiting): the server may still apply it.
                    held = self._state.override.state if self._state.override else None
                    self._unanswered = _Unanswered(state, until, held, time.monotonic())
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
                _reading_key(OverrideReading(self._state.override, self._state.status_msg)),
            ]
            self._remember_timed(state, until, before)
        return self._state

    async def _send_and_confirm(
        self, state: PresenceState | None, status_msg: str | None, generation: int
    ) -> PresenceState | None:
        """Returns the override that was there before. A 429 (on the change, or on this device's
        presence said just before it) is waited out without the lock held, so a newer click
        replaces this one meanwhile; on the last try the presence before it is left to the
        announce loop rather than failing the change."""
        for attempt in range(1, self.SET_RATE_LIMIT_TRIES + 1):
            last = attempt == self.SET_RATE_LIMIT_TRIES
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
                try:
                    api = self._api
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
                    return before
            await wait_out(retry_after_ms)
        raise AssertionError("unreachable")  # the loop returns or raises

    async def _connect_device_first(self, *, may_wait: bool) -> None:
        """Before an override that MSC4532's rule 1 applies to lands, while the applet runs:
        this device must count as connected when it lands, so others see it at once, not
        `offline` until a sync that carries it is counted. Nothing to do where this device
        has told a connected presence already (its sync or a PUT); else one on the status
        endpoint (its own rate limit, apart from the sync's). A 429 there (our own write of a
        moment ago, a lock's `offline` say) is raised to be waited out with the change, or on
        the change's last try left to the next sync. The command line connects nothing (rule 1
        then shows `offline` unless another device is connected)."""
        if self._runner is None:
            return
        if self._announced not in (None, PresenceState.OFFLINE.value):
            return
        try:
            await self._put_own_presence(connected_presence(self._auto_gate.applied), None)
        except RateLimited:
            if may_wait:
                raise
            log.info("saying this device is connected was rate limited; the next sync says it")

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

    # -- timed overrides -----------------------------------------------------------------

    def _remember_timed(
        self, state: PresenceState | None, until: datetime | None, before: PresenceState | None
    ) -> None:
        if until is None or state is None:
            self._drop_timed()
            return
        saved = self._settings.account_state(self.user_id).get("timed")
        # A timed override on top of another timed one returns to what was there first.
        previous = saved.get("previous") if saved else (before.value if before else None)
        self._settings.set_account_value(
            self.user_id,
            "timed",
            {"state": state.value, "previous": previous, "until": until.astimezone(UTC).isoformat()},
        )
        self._publish(override_until=until)
        self._schedule_timer(until)

    def _drop_timed(self) -> None:
        if self._timer and self._timer is not asyncio.current_task():
            self._timer.cancel()
        self._timer = None
        if "timed" in self._settings.account_state(self.user_id):
            self._settings.set_account_value(self.user_id, "timed", None)
        self._publish(override_until=None)

    def _schedule_timer(self, until: datetime) -> None:
        if self._closed:
            return
        if self._timer and not self._timer.done():
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().create_task(self._timer_fires(until))

    async def _timer_fires(self, until: datetime) -> None:
        # Short sleeps against the wall clock: the monotonic clock stops while the machine
        # is suspended, and a lid closed over lunch must not stretch "30 minutes".
        while (left := (until - datetime.now(UTC)).total_seconds()) > 0:
            await asyncio.sleep(min(left, 30.0))
        attempt = 0
        while not self._closed:
            try:
                await self._end_timed()
                return
            except (Superseded, TokenRejected):
                return  # a newer click decides; or nobody can change anything until sign-in
            except Exception as e:  # network faults, and a settings file we could not write
                attempt += 1
                delay = self._backoff.delay(attempt)
                reason = e.message if isinstance(e, PresenceTrayError) else f"{type(e).__name__}: {e}"
                log.info("ending the timed override failed (%s); trying again in %.0f s", reason, delay)
                await asyncio.sleep(delay)

    def _resume_timed(self) -> None:
        """After (re)connecting: arm the timer; one that ran out meanwhile fires at once."""
        saved = self._settings.account_state(self.user_id).get("timed")
        if not saved:
            return
        try:
            until = datetime.fromisoformat(saved["until"])
            if until.tzinfo is None:
                raise ValueError("no time zone")
        except (KeyError, TypeError, ValueError):
            log.warning("dropping a timed override in a form we do not know")
            self._drop_timed()
            return
        self._publish(override_until=until)
        if self._timer is None or self._timer.done():
            self._schedule_timer(until)

    async def _end_timed(self) -> None:
        saved = self._settings.account_state(self.user_id).get("timed")
        if not saved:
            return
        current = self._state.override.state.value if self._state.override and self._state.override.state else None
        previous = saved.get("previous")
        if current != saved.get("state") or previous not in _STATE_VALUES | {None}:
            self._drop_timed()  # changed by someone else meanwhile: theirs stands
            return
        await self.set_override(PresenceState(previous) if previous else None)
        self._emit(
            SessionEvent.TIMED_OVERRIDE_ENDED,
            f"the timed override for {self.user_id} ended; now "
            + (PresenceState(previous).label if previous else "no override"),
        )

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


def _sync_events(resp: dict[str, Any], section: str) -> list[dict[str, Any]]:
    """The events of a top-level section of a raw /sync answer (account_data, presence)."""
    part = resp.get(section)
    events = part.get("events") if isinstance(part, dict) else None
    return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []


def _reading_key(reading: OverrideReading) -> tuple:
    """A reading by meaning (the unstable and stable spellings of a state are one)."""
    return (reading.override.meaning if reading.override else None, reading.status_msg)


# A reverse proxy's "I stopped waiting" (bad gateway, unavailable, gateway timeout): the
# request may still reach the server, or be in it.
_GATEWAY_GAVE_UP = frozenset({502, 503, 504})


@dataclass(frozen=True)
class _Unanswered:
    """A change of ours that was sent and never answered (see Session._late_own_write)."""

    state: PresenceState | None
    until: datetime | None
    before: PresenceState | None  # the override before it, for a timed one's return
    sent: float  # time.monotonic() when we gave up on its answer


# -- signing in -------------------------------------------------------------------------


async def login_password(
    user_id: str,
    password: str,
    *,
    homeserver: str | None,
    store: CredentialStore,
    settings: Settings,
) -> Session:
    server_name_of(user_id)
    await store.acheck()  # a keyring we cannot use is reported before anything is sent
    hs = check_homeserver_url(homeserver) if homeserver else await discover_homeserver(user_id)
    previous = await store.aload(user_id)
    client = make_client(hs, user_id)
    if previous and previous.homeserver == hs:
        client.device_id = previous.device_id  # signing in again keeps the same device
    return await _login(client, store, settings, "the login", password=password)


async def login_token(homeserver: str, token: str, *, store: CredentialStore, settings: Settings) -> Session:
    """Finish single sign-on: trade the `m.login.token` for a device of our own."""
    await store.acheck()
    client = make_client(check_homeserver_url(homeserver))
    return await _login(client, store, settings, "the single sign-on login", token=token)


async def _login(client, store: CredentialStore, settings: Settings, what: str, **credentials: str) -> Session:
    try:
        resp = await client.login(device_name=DEVICE_NAME, **credentials)
        if "password" in credentials and getattr(resp, "status_code", "") == "M_FORBIDDEN":
            raise WrongPassword(resp.message or "")
        raise_for_nio(client, resp, what)
        return await _finish_login(client, resp, client.homeserver, store, settings)
    except network_errors() as e:
        raise unreachable(client, e) from e
    finally:
        await client.close()


async def _finish_login(client, resp: LoginResponse, hs: str, store: CredentialStore, settings: Settings) -> Session:
    creds = StoredCredentials(hs, resp.user_id, resp.device_id, resp.access_token)
    try:
        await store.asave(creds)
    except CredentialStoreError:
        # Without a safe place for it, the new login must not live on: revoke it.
        try:
            await client.logout()
        except network_errors():
            log.warning("could not revoke the login we failed to store")
        raise
    settings.add_account(resp.user_id)
    return Session(creds, store=store, settings=settings)
