"""Every touch of Synapse's *private* internals lives in this file.

The public module API cannot implement MSC4043 (see the README): it cannot add endpoints under
`/_matrix/client`, cannot add `/versions` flags, and cannot veto or rewrite a presence change
before it is stored and sent. So this file reaches in:

1. `synapse.rest.ClientRestResource.register_servlets` is wrapped (once per process) so our
   servlets are registered beside Synapse's own on every homeserver that loaded the module.
2. `VersionsRestServlet.on_GET` is wrapped to add our flags to `unstable_features`.
3. `PresenceHandler._update_states` is wrapped at the *class* level, so loading the module
   neither builds the presence handler nor changes the order Synapse builds things in. On a
   homeserver with the module, every incoming state of an overridden user is rewritten to the
   override; a rewrite that changes nothing anyone can see is dropped before Synapse's
   bookkeeping, so a held override arms no timers and marks nothing for persisting (issue 14).
   Federation keep-alives for held overrides are sent in one batch by `send_keepalives`.
4. On clear, the per-device states are aggregated again with Synapse's own
   `_combine_device_states` and `handle_timeout`, so normal aggregation comes back at once.
5. The federation sender's `format_user_presence_state` (as imported by
   `per_destination_queue`) is wrapped so that the state of a `disabled` user (recognised by
   `is_disabled_mark`) says `last_active_ago` = "never" instead of leaving it out: a receiving
   Synapse keeps the previous value when the EDU omits it, and that value grows.

Per-homeserver state lives on the HomeServer object (attribute `HS_ATTR`); the process-wide
wrappers hold no homeserver, so a homeserver that shuts down can be garbage collected.

`missing_internals()` checks the names and signatures all this needs without building
anything; the module disables itself (or, when `strict`, refuses to start) when it fails.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

import synapse

from . import version_window
from .values import DISABLED, MSC3026_BUSY, OFFLINE, ONLINE, Override

if TYPE_CHECKING:
    from synapse.module_api import ModuleApi

logger = logging.getLogger(__name__)

HS_ATTR = "_msc4043_presence_override"
_WRAPPED_MARK = "_presence_override_wrapped"


def synapse_version() -> str:
    return str(getattr(synapse, "__version__", "unknown"))


def _series(version: str) -> tuple[int, int] | None:
    m = re.match(r"^(\d+)\.(\d+)", version)
    return (int(m.group(1)), int(m.group(2))) if m else None


def is_tested_synapse(version: str | None = None) -> bool:
    return _series(version or synapse_version()) in version_window.TESTED_RELEASES


# --- the internals check: names and signatures, nothing built --------------------------------

_SIGNATURES: list[tuple[str, str, str, tuple[str, ...]]] = [
    # (module, attribute path, label, parameter names it must accept)
    ("synapse.rest", "ClientRestResource.register_servlets", "", ("client_resource", "hs", "servlet_groups")),
    ("synapse.rest.client.versions", "VersionsRestServlet.on_GET", "", ("self", "request")),
    ("synapse.handlers.presence", "PresenceHandler._update_states", "", ("self", "new_states", "force_notify")),
    ("synapse.handlers.presence", "PresenceHandler.current_state_for_user", "", ("self", "user_id")),
    (
        "synapse.handlers.presence",
        "handle_timeout",
        "",
        (
            "state",
            "is_mine",
            "syncing_device_ids",
            "user_devices",
            "now",
            "idle_timer",
            "sync_online_timeout",
            "last_active_granularity",
        ),
    ),
    ("synapse.handlers.presence", "_combine_device_states", "", ("device_states",)),
    (
        "synapse.handlers.presence",
        "get_interested_remotes",
        "",
        ("store", "presence_router", "states", "excluded_rooms"),
    ),
    ("synapse.api.presence", "UserPresenceState.copy_and_replace", "", ("self",)),
    ("synapse.http.servlet", "RestServlet.register", "", ("self", "http_server")),
    ("synapse.util.async_helpers", "Linearizer", "", ("name", "clock")),
    ("synapse.api.ratelimiting", "Ratelimiter", "", ("store", "clock", "cfg")),
    ("synapse.util.wheel_timer", "WheelTimer.insert", "", ("self", "now", "obj", "then")),
    ("synapse.federation.sender.per_destination_queue", "format_user_presence_state", "", ("state", "now")),
]
# Attributes the presence writer's handler sets in __init__ (Base and PresenceHandler).
_HANDLER_ATTRIBUTES = (
    "hs",
    "clock",
    "store",
    "presence_router",
    "is_mine_id",
    "user_to_current_state",
    "_user_to_device_to_current_state",
    "_user_device_to_num_current_syncs",
    "external_process_to_current_syncs",
    "_idle_timer",
    "_sync_online_timeout",
    "_last_active_granularity",
    "_presence_enabled",
    "_track_presence",
    "_federation_queue",
    "_rooms_to_exclude_from_presence",
    "wheel_timer",
)


def _resolve(module: str, path: str) -> Any:
    obj: Any = __import__(module, fromlist=["_"])
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def missing_internals() -> list[str]:
    """Which of the internals this module needs are missing or changed shape."""
    problems: list[str] = []
    for module, path, _label, params in _SIGNATURES:
        label = f"{module}.{path}"
        try:
            obj = _resolve(module, path)
        except (ImportError, AttributeError):
            problems.append(f"{label} (missing)")
            continue
        try:
            names = set(inspect.signature(obj).parameters)
        except (TypeError, ValueError):
            problems.append(f"{label} (signature unreadable)")
            continue
        lacking = [p for p in params if p not in names]
        if lacking:
            problems.append(f"{label} (no parameter {', '.join(lacking)})")
    try:
        from synapse.handlers import presence

        if not isinstance(getattr(presence, "FEDERATION_PING_INTERVAL", None), int):
            problems.append("synapse.handlers.presence.FEDERATION_PING_INTERVAL (missing)")
        source = "".join(
            inspect.getsource(cls.__init__) for cls in (presence.BasePresenceHandler, presence.PresenceHandler)
        )
    except (ImportError, AttributeError, OSError, TypeError) as e:
        problems.append(f"PresenceHandler.__init__ (unreadable: {e})")
        return problems
    for name in _HANDLER_ATTRIBUTES:
        if not re.search(rf"self\.{re.escape(name)}\s*(:|=(?!=))", source):
            problems.append(f"PresenceHandler.{name} (not set in __init__)")
    return problems


# --- the per-homeserver hooks, kept on the HomeServer ------------------------------------------


class HomeserverHooks:
    """What the process-wide wrappers need for one homeserver."""

    def __init__(
        self,
        register: Callable[[Any], None],
        flags: dict[str, bool],
        enforcer: PresenceEnforcer | None,
    ):
        self.register = register
        self.flags = flags
        self.enforcer = enforcer


def attach(hs: Any, hooks: HomeserverHooks) -> None:
    setattr(hs, HS_ATTR, hooks)
    # The config carries the flags too: VersionsRestServlet keeps the config, not the hs.
    setattr(hs.config, HS_ATTR, hooks.flags)
    _install_register_servlets_wrapper()
    _install_versions_wrapper()
    # Whichever process sends federation (the writer or a federation sender worker).
    _install_federation_format_wrapper()
    if hooks.enforcer is not None:
        _install_update_states_wrapper()


def _install_register_servlets_wrapper() -> None:
    from synapse.rest import ClientRestResource

    current = ClientRestResource.register_servlets
    if getattr(current, _WRAPPED_MARK, False):
        return
    original = current

    @functools.wraps(original)
    def register_servlets(client_resource: Any, hs: Any, servlet_groups: Iterable[str] | None = None) -> None:
        groups = list(servlet_groups) if servlet_groups else None
        original(client_resource, hs, groups)
        hooks = getattr(hs, HS_ATTR, None)
        if isinstance(hooks, HomeserverHooks) and (not groups or "client" in groups):
            hooks.register(client_resource)

    setattr(register_servlets, _WRAPPED_MARK, True)
    ClientRestResource.register_servlets = staticmethod(register_servlets)  # type: ignore[method-assign]


def _install_versions_wrapper() -> None:
    from synapse.rest.client.versions import VersionsRestServlet

    current = VersionsRestServlet.on_GET
    if getattr(current, _WRAPPED_MARK, False):
        return
    original = current

    @functools.wraps(original)
    async def on_GET(self: Any, request: Any) -> tuple[int, Any]:
        code, body = await original(self, request)
        flags = getattr(getattr(self, "config", None), HS_ATTR, None)
        if flags and code == 200 and isinstance(body, dict):
            body = dict(body)
            features = dict(body.get("unstable_features") or {})
            features.update(flags)
            body["unstable_features"] = features
        return code, body

    setattr(on_GET, _WRAPPED_MARK, True)
    VersionsRestServlet.on_GET = on_GET  # type: ignore[method-assign]


def _install_update_states_wrapper() -> None:
    from synapse.handlers.presence import PresenceHandler

    current = PresenceHandler._update_states
    if getattr(current, _WRAPPED_MARK, False):
        return
    original = current

    @functools.wraps(original)
    async def _update_states(self: Any, new_states: Iterable[Any], force_notify: bool = False) -> None:
        hooks = getattr(getattr(self, "hs", None), HS_ATTR, None)
        enforcer = hooks.enforcer if isinstance(hooks, HomeserverHooks) else None
        if enforcer is None:
            return await original(self, new_states, force_notify=force_notify)
        return await enforcer.update_states(self, original, new_states, force_notify)

    setattr(_update_states, _WRAPPED_MARK, True)
    PresenceHandler._update_states = _update_states  # type: ignore[method-assign]


def _install_federation_format_wrapper() -> None:
    from synapse.federation.sender import per_destination_queue

    current = per_destination_queue.format_user_presence_state
    if getattr(current, _WRAPPED_MARK, False):
        return
    original = current

    @functools.wraps(original)
    def format_user_presence_state(state: Any, now: int, include_user_id: bool = True) -> Any:
        content = original(state, now, include_user_id)
        if is_disabled_mark(state):
            # "Last active at the epoch", i.e. never: the same for every such user, so it
            # tells nothing, and it replaces what the receiver had (it keeps the old value
            # when the key is missing, and shows it growing).
            content["last_active_ago"] = now
        return content

    setattr(format_user_presence_state, _WRAPPED_MARK, True)
    per_destination_queue.format_user_presence_state = format_user_presence_state


def make_servlet_class() -> type:
    from synapse.http.servlet import RestServlet

    class PresenceOverrideServlet(RestServlet):
        CATEGORY = "Client API requests"

        def __init__(
            self,
            pattern: str,
            on_get: Callable[[Any, str], Awaitable[tuple[int, Any]]],
            on_put: Callable[[Any, str], Awaitable[tuple[int, Any]]],
        ):
            super().__init__()
            self.PATTERNS = [re.compile(pattern)]
            self._on_get = on_get
            self._on_put = on_put

        async def on_GET(self, request: Any, user_id: str) -> tuple[int, Any]:
            return await self._on_get(request, user_id)

        async def on_PUT(self, request: Any, user_id: str) -> tuple[int, Any]:
            return await self._on_put(request, user_id)

    return PresenceOverrideServlet


# --- 3: enforcement on the presence writer ---------------------------------------------------


def _visible(state: Any, ignore_last_active: bool) -> tuple[Any, ...]:
    """What clients and servers can see of a state (what `should_notify` compares)."""
    return (
        state.state,
        state.status_msg,
        state.currently_active,
        None if ignore_last_active else state.last_active_ts,
    )


class PresenceEnforcer:
    """Rewrites overridden users' presence in the presence writer's handler."""

    def __init__(
        self,
        lookup: Callable[[str], Override | None],
        is_loaded: Callable[[], bool],
        ensure_loaded: Callable[[], Awaitable[None]],
        msc3026_busy: bool = False,
        message: Callable[[str], str | None] = lambda user_id: None,
        catch_up: Callable[[list[str]], Awaitable[None]] | None = None,
    ):
        self._lookup = lookup
        self._is_loaded = is_loaded
        self._ensure_loaded = ensure_loaded
        self._msc3026_busy = msc3026_busy
        self._message = message
        self._catch_up = catch_up

    async def update_states(
        self,
        handler: Any,
        original: Callable[..., Awaitable[None]],
        new_states: Iterable[Any],
        force_notify: bool,
        catch_up: bool = True,
    ) -> None:
        if not self._is_loaded():
            await self._ensure_loaded()
        new_states = list(new_states)
        if catch_up and self._catch_up is not None:
            # Users met for the first time since the start: their account-data event is
            # read (once) before their state is judged.
            await self._catch_up([state.user_id for state in new_states])
        # From here to Synapse's own bookkeeping there is no await: nothing can slip
        # between the rewrite and the comparison with the previous state.
        now = handler.clock.time_msec()
        current = handler.user_to_current_state
        passed = []
        for state in new_states:
            override = self._lookup(state.user_id)
            if override is None:
                # MSC4532: a status message set in the account data without an override is
                # the user's message, whatever a device sends.
                message = self._message(state.user_id)
                if message is not None and state.status_msg != message:
                    state = state.copy_and_replace(status_msg=message)
                passed.append(state)
                continue
            prev = current.get(state.user_id)
            if override.follows_devices and not _device_connected(handler, state.user_id):
                # MSC4532 rule 1: no device connected -> offline, whatever the override
                # (last active as it was shown, so going offline tells nothing more).
                target = state.copy_and_replace(
                    state=OFFLINE,
                    status_msg=override.status_msg,
                    currently_active=False,
                    last_active_ts=(prev or state).last_active_ts,
                )
            else:
                target = _apply(state, override, now, self._msc3026_busy)
            ignore_last_active = override.presence == ONLINE and target.state == ONLINE
            if (
                not force_notify
                and prev is not None
                and _visible(prev, ignore_last_active) == _visible(target, ignore_last_active)
            ):
                # Nothing anyone can see changes: hand Synapse nothing, so nothing is marked
                # for persisting (a stream row wakes watchers). Keep-alives: `send_keepalives`.
                if override.follows_devices and target.state != OFFLINE:
                    # Rule 1 needs Synapse's timeout check to see the devices leave: the one
                    # timer a device's sync would have armed (Synapse's `handle_update`).
                    handler.wheel_timer.insert(now=now, obj=state.user_id, then=now + handler._sync_online_timeout)
                continue
            passed.append(target)
        if passed or force_notify:
            await original(handler, passed, force_notify=force_notify)

    async def send_keepalives(self, handler: Any, overrides: Iterable[Override], ping_after_ms: int) -> int:
        """Federation keep-alives for held overrides, in one batch (Synapse's own pings ride
        on `_update_states`, which a held override no longer reaches). Returns how many."""
        from synapse.handlers.presence import get_interested_remotes

        now = handler.clock.time_msec()
        due = []
        for override in overrides:
            state = handler.user_to_current_state.get(override.user_id)
            if state is None or state.state == OFFLINE:
                continue  # nothing to keep alive: remote servers time out to offline
            if now - state.last_federation_update_ts > ping_after_ms:
                state = state.copy_and_replace(last_federation_update_ts=now)
                handler.user_to_current_state[override.user_id] = state
                due.append(state)
        if due:
            hosts_to_states = await get_interested_remotes(
                handler.store,
                handler.presence_router,
                due,
                handler._rooms_to_exclude_from_presence,
            )
            for destinations, states in hosts_to_states:
                await handler._federation_queue.send_presence_to_destinations(states, destinations)
        return len(due)


def _device_connected(handler: Any, user_id: str) -> bool:
    """Any device of the user not offline (Synapse drops a device once it timed out)."""
    devices = handler._user_to_device_to_current_state.get(user_id, {})
    return any(device.state != OFFLINE for device in devices.values())


def _apply(state: Any, override: Override, now: int, msc3026_busy: bool = False) -> Any:
    """The state others (and the user) see while `override` holds."""
    if override.presence == ONLINE:
        # Always "currently active": Synapse computes currently_active from
        # last_active_ts, and a constant True never triggers a notification.
        return state.copy_and_replace(
            state=ONLINE,
            status_msg=override.status_msg,
            last_active_ts=now,
            currently_active=True,
        )
    return state.copy_and_replace(
        state=override.effective_presence(msc3026_busy),
        status_msg=override.status_msg,
        last_active_ts=override.last_active_ts,
        # `disabled`'s mark (see `is_disabled_mark`); nobody sees currently_active offline.
        currently_active=override.presence == DISABLED,
    )


def is_disabled_mark(state: Any) -> bool:
    """A state the module stored for `disabled`: offline, never active, yet "currently
    active". Stock Synapse never makes it (currently_active needs a recent last_active_ts),
    clients never see it (currently_active is only sent with online), and, unlike a list
    of users, it reaches a federation sender worker with the presence stream."""
    return bool(state.state == OFFLINE and state.currently_active and not state.last_active_ts)


class SynapseInternals:
    """The narrow surface the rest of the module uses; the handler is taken when first
    needed, never while the module loads."""

    def __init__(self, api: ModuleApi):
        self._api = api
        self.hs: Any = api._hs

    # --- process roles ---------------------------------------------------------------

    @property
    def presence_writers(self) -> list[str]:
        return list(self.hs.config.worker.writers.presence)

    @property
    def instance_name(self) -> str:
        return str(self.hs.get_instance_name())

    @property
    def is_presence_writer(self) -> bool:
        # The same test Synapse uses to pick PresenceHandler over WorkerPresenceHandler.
        return self.instance_name in self.presence_writers

    @property
    def presence_enabled(self) -> bool:
        return bool(self.hs.config.server.presence_enabled)

    @property
    def presence_tracked(self) -> bool:
        return bool(self.hs.config.server.track_presence)

    @property
    def msc3026_busy(self) -> bool:
        """Synapse's MSC3026 busy state is on (else a `busy` override shows `unavailable`)."""
        return bool(getattr(self.hs.config.experimental, "msc3026_enabled", False))

    def handler(self) -> Any:
        from synapse.handlers.presence import PresenceHandler

        handler = self.hs.get_presence_handler()
        return handler if isinstance(handler, PresenceHandler) else None

    def built_handler(self) -> Any:
        """The presence writer's handler if Synapse has built it already (never builds it)."""
        from synapse.handlers.presence import PresenceHandler

        handler = vars(self.hs).get("_presence_handler")
        return handler if isinstance(handler, PresenceHandler) else None

    def federation_ping_interval(self) -> int:
        from synapse.handlers.presence import FEDERATION_PING_INTERVAL

        return int(FEDERATION_PING_INTERVAL)

    # --- helpers from Synapse's utilities -------------------------------------------

    def make_presence_ratelimiter(self) -> Any:
        """A limiter with Synapse's own `rc_presence.per_user` settings (as /status uses)."""
        from synapse.api.ratelimiting import Ratelimiter

        return Ratelimiter(
            store=self.hs.get_datastores().main,
            clock=self.hs.get_clock(),
            cfg=self.hs.config.ratelimiting.rc_presence_per_user,
        )

    def make_linearizer(self, name: str) -> Any:
        from synapse.util.async_helpers import Linearizer

        return Linearizer(name=name, clock=self.hs.get_clock())

    # --- pushing and clearing ------------------------------------------------------------

    async def push_overrides(self, user_ids: list[str], catch_up: bool = True) -> None:
        """Run the users' current states through the (wrapped) update path in one call, so
        the overrides are stored and announced now. `catch_up=False`: without reading the
        users' account data first (start-up)."""
        handler = self.handler()
        if handler is None or not handler._presence_enabled or not user_ids:
            return
        states = list((await handler.current_state_for_users(user_ids)).values())
        hooks = getattr(self.hs, HS_ATTR, None)
        original = getattr(type(handler)._update_states, "__wrapped__", None)
        if catch_up or not isinstance(hooks, HomeserverHooks) or hooks.enforcer is None or original is None:
            await handler._update_states(states)
        else:
            await hooks.enforcer.update_states(handler, original, states, False, catch_up=False)

    async def push_override(self, user_id: str) -> None:
        await self.push_overrides([user_id])

    async def set_status_msg(self, user_id: str, status_msg: str | None) -> None:
        """Give the user this status message now (the enforcer keeps it while it holds)."""
        handler = self.handler()
        if handler is None or not handler._presence_enabled:
            return
        state = await handler.current_state_for_user(user_id)
        if state.status_msg != status_msg:
            await handler._update_states([state.copy_and_replace(status_msg=status_msg)])

    async def latest_account_data(
        self, user_ids: list[str], data_types: Iterable[str], batch: int = 500
    ) -> dict[str, tuple[str, Any]]:
        """Each user's most recently written global account-data event of these types, as
        (type, content), from Synapse's `account_data` table in one query per batch (the
        public API reads one user and type at a time). Users with none are left out."""
        types = list(data_types)

        def _txn(txn: Any, users: list[str]) -> list[tuple[Any, ...]]:
            txn.execute(
                "SELECT user_id, account_data_type, stream_id, content FROM account_data"
                " WHERE account_data_type IN (" + ", ".join("?" for _ in types) + ")"
                " AND user_id IN (" + ", ".join("?" for _ in users) + ")",
                (*types, *users),
            )
            return list(txn.fetchall())

        found: dict[str, tuple[int, str, Any]] = {}
        for i in range(0, len(user_ids), batch):
            rows = await self._api.run_db_interaction("presence_override_catch_up", _txn, user_ids[i : i + batch])
            for user_id, data_type, stream_id, content in rows:
                if user_id not in found or int(stream_id) > found[user_id][0]:
                    found[user_id] = (int(stream_id), str(data_type), content)
        result = {}
        for user_id, (_pos, data_type, content) in found.items():
            try:
                result[user_id] = (data_type, json.loads(content))
            except ValueError:
                continue  # not JSON: nothing a client could have meant
        return result

    def stored_state(self, user_id: str) -> Any:
        """The in-memory combined state (None for users Synapse holds as offline)."""
        handler = self.handler()
        return None if handler is None else handler.user_to_current_state.get(user_id)

    async def current_last_active_ts(self, user_id: str) -> int:
        handler = self.handler()
        if handler is None:
            return 0
        state = await handler.current_state_for_user(user_id)
        return int(state.last_active_ts or 0)

    async def restore_normal_presence(self, user_id: str, was_busy: bool = False) -> None:
        """After the override is gone, aggregate the user's devices as Synapse would and
        apply the result at once (an actively syncing `online` device shows online again).
        """
        handler = self.handler()
        if handler is None or not handler._presence_enabled:
            return
        from synapse.handlers.presence import _combine_device_states, handle_timeout

        prev = await handler.current_state_for_user(user_id)
        # No awaits from here until the update is handed to Synapse.
        now = handler.clock.time_msec()
        devices = handler._user_to_device_to_current_state.get(user_id, {})
        if was_busy and prev.state == MSC3026_BUSY:
            # Synapse keeps a syncing device `busy` while the user shows busy (its MSC3026
            # "syncs do not override busy"): those came from the override, not the devices.
            for device in devices.values():
                if device.state == MSC3026_BUSY:
                    device.state = ONLINE
        combined = _combine_device_states(devices.values())
        last_active = max((d.last_active_ts for d in devices.values()), default=prev.last_active_ts)
        candidate = prev.copy_and_replace(
            state=combined,
            status_msg=None,
            last_active_ts=last_active,
            currently_active=False,
        )
        # Devices that stopped syncing or went idle while the override held (a held
        # override arms no timers for the user) are aged out now with Synapse's own rules.
        syncing = {key for key, count in handler._user_device_to_num_current_syncs.items() if count}
        syncing.update(itertools.chain(*handler.external_process_to_current_syncs.values()))
        timed_out = handle_timeout(
            candidate,
            handler.is_mine_id(user_id),
            syncing,
            devices,
            now,
            idle_timer=handler._idle_timer,
            sync_online_timeout=handler._sync_online_timeout,
            last_active_granularity=handler._last_active_granularity,
        )
        await handler._update_states([timed_out or candidate])
