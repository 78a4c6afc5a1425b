"""Every touch of Synapse's *private* internals lives in this file.

The public module API cannot implement MSC4043 (see the README): it cannot add endpoints under
`/_matrix/client`, cannot add `/versions` flags, and cannot veto or rewrite a presence change
before it is stored and sent. So this file reaches in, in exactly four places:

1. `synapse.rest.ClientRestResource.register_servlets` (a staticmethod every client listener
   calls when it builds its resource) is wrapped so our two servlets are registered beside
   Synapse's own. Modules are instantiated before listeners start, so the wrapper is in place
   in time.
2. `synapse.rest.client.versions.VersionsRestServlet.on_GET` is wrapped to add our flags to
   `unstable_features`.
3. On the presence writer, the `PresenceHandler` *instance*'s `_update_states` is replaced by
   a wrapper that rewrites every incoming state of an overridden user to the override before
   Synapse compares it with the previous state. Every local presence change (sync
   `set_presence`, `PUT /status`, activity bumps, timeouts, replication from workers) goes
   through it, so the stored state, the presence stream, /sync and federation only ever see
   the override, and `should_notify` sees no change, so watchers are not woken.
4. On clear, the per-device states (`_user_to_device_to_current_state`, the syncing-device
   bookkeeping) are aggregated again with Synapse's own `_combine_device_states` and
   `handle_timeout`, so normal aggregation comes back at once.

Private names move between releases, so the module refuses to load on a Synapse outside the
tested series unless the admin sets `allow_untested_synapse: true`; even then it fails loudly
if a name it needs is missing.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

import synapse
from synapse.module_api.errors import ConfigError

from .values import ONLINE, Override

if TYPE_CHECKING:
    from synapse.module_api import ModuleApi

logger = logging.getLogger(__name__)

# The Synapse release series this module was tested against (major, minor).
TESTED_SYNAPSE_SERIES: tuple[tuple[int, int], ...] = ((1, 163),)
TESTED_SYNAPSE_DESCRIPTION = "1.163.x"
FORCE_SWITCH = "allow_untested_synapse"

_WRAPPED_MARK = "_presence_override_wrapped"


def synapse_version() -> str:
    return str(getattr(synapse, "__version__", "unknown"))


def _series(version: str) -> tuple[int, int] | None:
    m = re.match(r"^(\d+)\.(\d+)", version)
    return (int(m.group(1)), int(m.group(2))) if m else None


def is_tested_synapse(version: str | None = None) -> bool:
    return _series(version or synapse_version()) in TESTED_SYNAPSE_SERIES


def check_synapse_version(allow_untested: bool, version: str | None = None,
                          warn: bool = True) -> None:
    """Refuse (ConfigError) to run on an untested Synapse unless forced (then warn, if asked:
    at config-parsing time Synapse's logging is not set up yet, so the warning comes later)."""
    version = version or synapse_version()
    if is_tested_synapse(version):
        return
    if allow_untested:
        if not warn:
            return
        logger.warning(
            "synapse_presence_override: Synapse %s is outside the tested series %s; "
            "loading anyway because `%s: true` is set. The override reaches Synapse "
            "internals that can change between releases: test it before relying on it.",
            version,
            TESTED_SYNAPSE_DESCRIPTION,
            FORCE_SWITCH,
        )
        return
    raise ConfigError(
        f"synapse_presence_override refuses to load on Synapse {version}: it was tested "
        f"only with Synapse {TESTED_SYNAPSE_DESCRIPTION} and relies on Synapse internals "
        f"that change between releases. Install a module release tested with your Synapse, "
        f"or force it at your own risk with "
        f"`config: {{{FORCE_SWITCH}: true}}` on the module's entry in `modules:`."
    )


def _required_names(handler: Any) -> list[str]:
    """The private names we need; returns the ones that are missing."""
    from synapse.handlers import presence as presence_mod
    from synapse.rest import ClientRestResource
    from synapse.rest.client.versions import VersionsRestServlet

    missing = []
    checks: list[tuple[str, Any, str]] = [
        ("synapse.rest.ClientRestResource.register_servlets",
         ClientRestResource, "register_servlets"),
        ("synapse.rest.client.versions.VersionsRestServlet.on_GET",
         VersionsRestServlet, "on_GET"),
        ("synapse.handlers.presence.PresenceHandler", presence_mod, "PresenceHandler"),
        ("synapse.handlers.presence.handle_timeout", presence_mod, "handle_timeout"),
        ("synapse.handlers.presence._combine_device_states",
         presence_mod, "_combine_device_states"),
    ]
    if handler is not None:
        for name in (
            "_update_states",
            "current_state_for_user",
            "user_to_current_state",
            "_user_to_device_to_current_state",
            "_user_device_to_num_current_syncs",
            "external_process_to_current_syncs",
            "_idle_timer",
            "_sync_online_timeout",
            "_last_active_granularity",
            "_presence_enabled",
            "clock",
            "is_mine_id",
        ):
            checks.append((f"PresenceHandler.{name}", handler, name))
    for label, obj, attr in checks:
        if not hasattr(obj, attr):
            missing.append(label)
    return missing


# --- process-wide hooks (one Synapse per process in production; keyed by hs for safety) ---

_servlet_hooks: dict[int, tuple[Any, Callable[[Any], None]]] = {}
_version_flags: dict[int, tuple[Any, dict[str, bool]]] = {}


def _install_register_servlets_wrapper() -> None:
    from synapse.rest import ClientRestResource

    current = ClientRestResource.register_servlets
    if getattr(current, _WRAPPED_MARK, False):
        return
    original = current

    def register_servlets(
        client_resource: Any, hs: Any, servlet_groups: Iterable[str] | None = None
    ) -> None:
        groups = list(servlet_groups) if servlet_groups else None
        original(client_resource, hs, groups)
        entry = _servlet_hooks.get(id(hs))
        if entry is not None and entry[0] is hs and (not groups or "client" in groups):
            entry[1](client_resource)

    setattr(register_servlets, _WRAPPED_MARK, True)
    ClientRestResource.register_servlets = staticmethod(register_servlets)  # type: ignore[method-assign]


def _install_versions_wrapper() -> None:
    from synapse.rest.client.versions import VersionsRestServlet

    current = VersionsRestServlet.on_GET
    if getattr(current, _WRAPPED_MARK, False):
        return
    original = current

    async def on_GET(self: Any, request: Any) -> tuple[int, Any]:
        code, body = await original(self, request)
        entry = _version_flags.get(id(getattr(self, "config", None)))
        if entry is not None and code == 200 and isinstance(body, dict):
            body = dict(body)
            features = dict(body.get("unstable_features") or {})
            features.update(entry[1])
            body["unstable_features"] = features
        return code, body

    setattr(on_GET, _WRAPPED_MARK, True)
    VersionsRestServlet.on_GET = on_GET  # type: ignore[method-assign]


def _make_servlet_class() -> type:
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


class SynapseInternals:
    """The narrow, version-checked surface the rest of the module uses."""

    def __init__(self, api: ModuleApi, allow_untested: bool):
        check_synapse_version(allow_untested)
        self._api = api
        self.hs: Any = api._hs
        self._handler: Any = None

        from synapse.handlers.presence import PresenceHandler

        handler = self.hs.get_presence_handler()
        self.is_presence_writer = isinstance(handler, PresenceHandler)
        if self.is_presence_writer:
            self._handler = handler
        missing = _required_names(self._handler)
        if missing:
            raise ConfigError(
                f"synapse_presence_override cannot run on Synapse {synapse_version()}: "
                f"these Synapse internals it needs are missing: {', '.join(missing)}"
                + (f" (`{FORCE_SWITCH}` is set, but cannot help here)" if allow_untested else "")
            )

    # --- process roles ---------------------------------------------------------------

    @property
    def presence_writers(self) -> list[str]:
        return list(self.hs.config.worker.writers.presence)

    @property
    def instance_name(self) -> str:
        return str(self.hs.get_instance_name())

    @property
    def presence_enabled(self) -> bool:
        return bool(self.hs.config.server.presence_enabled)

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

    # --- 1 + 2: endpoints and /versions --------------------------------------------------

    def install_servlets(
        self,
        patterns_and_handlers: list[
            tuple[
                str,
                Callable[[Any, str], Awaitable[tuple[int, Any]]],
                Callable[[Any, str], Awaitable[tuple[int, Any]]],
            ]
        ],
    ) -> None:
        servlet_cls = _make_servlet_class()

        def register(client_resource: Any) -> None:
            for pattern, on_get, on_put in patterns_and_handlers:
                servlet_cls(pattern, on_get, on_put).register(client_resource)

        _servlet_hooks[id(self.hs)] = (self.hs, register)
        _install_register_servlets_wrapper()

    def install_versions_flags(self, flags: dict[str, bool]) -> None:
        _version_flags[id(self.hs.config)] = (self.hs.config, dict(flags))
        _install_versions_wrapper()

    # --- 3: the rewrite in the presence writer -------------------------------------------

    def install_presence_rewrite(
        self,
        lookup: Callable[[str], Override | None],
        is_loaded: Callable[[], bool],
        ensure_loaded: Callable[[], Awaitable[None]],
    ) -> None:
        handler = self._handler
        assert handler is not None, "only on the presence writer"
        if getattr(handler._update_states, _WRAPPED_MARK, False):
            return
        original = handler._update_states
        clock = handler.clock

        async def _update_states(new_states: Iterable[Any], *args: Any, **kwargs: Any) -> None:
            if not is_loaded():
                await ensure_loaded()
            # From here to Synapse's own bookkeeping there is no await: nothing can slip
            # between the rewrite and the comparison with the previous state.
            now = clock.time_msec()
            rewritten = []
            for state in new_states:
                override = lookup(state.user_id)
                rewritten.append(state if override is None else _apply(state, override, now))
            await original(rewritten, *args, **kwargs)

        setattr(_update_states, _WRAPPED_MARK, True)
        handler._update_states = _update_states

    async def push_override(self, user_id: str) -> None:
        """Run the user's current state through the (wrapped) update path so the override
        is stored and announced now."""
        handler = self._handler
        if handler is None or not handler._presence_enabled:
            return
        state = await handler.current_state_for_user(user_id)
        await handler._update_states([state])

    async def current_last_active_ts(self, user_id: str) -> int:
        handler = self._handler
        if handler is None:
            return 0
        state = await handler.current_state_for_user(user_id)
        return int(state.last_active_ts or 0)

    # --- 4: back to normal aggregation -----------------------------------------------------

    async def restore_normal_presence(self, user_id: str) -> None:
        """After the override is gone, aggregate the user's devices as Synapse would and
        apply the result at once (an actively syncing `online` device shows online again).
        """
        handler = self._handler
        if handler is None or not handler._presence_enabled:
            return
        from synapse.handlers.presence import _combine_device_states, handle_timeout

        prev = await handler.current_state_for_user(user_id)
        # No awaits from here until the update is handed to Synapse.
        now = handler.clock.time_msec()
        devices = handler._user_to_device_to_current_state.get(user_id, {})
        combined = _combine_device_states(devices.values())
        last_active = max(
            (d.last_active_ts for d in devices.values()), default=prev.last_active_ts
        )
        candidate = prev.copy_and_replace(
            state=combined,
            status_msg=None,
            last_active_ts=last_active,
            currently_active=False,
        )
        # Devices that stopped syncing or went idle while the override held (an
        # offline/disabled override stops Synapse's own timeouts for the user) are aged
        # out now with Synapse's own rules rather than a few seconds later.
        syncing = {
            key for key, count in handler._user_device_to_num_current_syncs.items() if count
        }
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


def _apply(state: Any, override: Override, now: int) -> Any:
    """The state others (and the user) see while `override` holds."""
    if override.presence == ONLINE:
        # Always "currently active": Synapse computes currently_active from
        # last_active_ts, and a constant True never triggers a notification.
        return state.copy_and_replace(
            state=ONLINE, status_msg=override.status_msg, last_active_ts=now
        )
    return state.copy_and_replace(
        state=override.effective_presence,
        status_msg=override.status_msg,
        last_active_ts=override.last_active_ts,
        currently_active=False,
    )
