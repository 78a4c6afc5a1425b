"""What every part of a session shares: the account, its connections, the published state,
the lock and the marks that order reads against changes.

The parts (own_presence, reading, sync_channel, changing) are layers over this one state, each
class built on the one before, rather than objects of their own: the lock, `_generation`,
`_writing` and `_announced` are read and written by several of them, and the order of those
reads and writes is what keeps our own writes from coming back as news.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tray_app.backends import PresenceBackend
from tray_app.backends.base import SessionLink
from tray_app.backoff import Backoff
from tray_app.credentials import CredentialStore, StoredCredentials
from tray_app.errors import PresenceTrayError, TokenRejected
from tray_app.idle.policy import PresenceGate
from tray_app.matrix.http import MatrixRequests, make_client
from tray_app.matrix.liveness import Liveness
from tray_app.matrix.undropped_syncs import UndroppedSyncs
from tray_app.session.sync_filter import sync_filter
from tray_app.session.timed import TimedOverrides
from tray_app.session.timings import SessionTimings
from tray_app.session_state import Connection, SessionEvent, SessionState
from tray_app.settings import Settings

if TYPE_CHECKING:
    from nio import AsyncClient

    from tray_app.session.reading import Unanswered

log = logging.getLogger(__name__)


class SessionCore:
    # Set by Session.__init__ (they call methods of the layers above this one).
    _link: SessionLink
    _liveness: Liveness
    _timed: TimedOverrides

    def __init__(
        self,
        creds: StoredCredentials,
        *,
        store: CredentialStore,
        settings: Settings,
        reconnect_backoff: Backoff,
        timings: SessionTimings,
    ) -> None:
        self._creds = creds
        self._store = store
        self._settings = settings
        self._backoff = reconnect_backoff
        self._timings = timings
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
        self._backend_tasks: set[asyncio.Task] = set()  # background work of a backend (SessionLink.spawn)
        self._retry_now = asyncio.Event()
        self._closed = False
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
        self._undropped = UndroppedSyncs()  # syncs carrying a presence: see its module
        # When our last change was answered, and what our last few changes stored: a sync
        # that started before that answer may carry an older state of the event (our own
        # older echo); see _on_watched.
        self._last_change_done = -1e9
        self._own_recent: list[tuple] = []
        # Our changes in flight (a reading begun meanwhile may be older than the change), and
        # the last one whose answer never came (sent, then a timeout or a lost connection): the
        # server may apply it late, and a reading showing it then is ours; see _late_own_write.
        self._writing = 0
        self._unanswered: Unanswered | None = None
        self._presence_seen: str | None = None  # as last given to presence_moved

    # -- observing ------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def timings(self) -> SessionTimings:
        return self._timings

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

    def _check_open(self) -> None:
        if self._closed:
            raise PresenceTrayError("this session was closed")

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

    def _signed_out(self, e: TokenRejected) -> None:
        """The token is dead: stop, say why, keep the device ID so signing in again reuses it."""
        if self._state.connection is Connection.SIGNED_OUT:
            return
        self._publish(connection=Connection.SIGNED_OUT, last_error=e.message, pending=None)
        self._emit(SessionEvent.SIGNED_OUT, f"{self.user_id}: {e.message}")
        if self._runner and self._runner is not asyncio.current_task():
            self._runner.cancel()

    def _fresh(self) -> str:
        """A FRESH_KEY value no initial sync of this device has used (this process or another)."""
        self._initial_syncs += 1
        return f"{self._nonce}.{self._initial_syncs}"
