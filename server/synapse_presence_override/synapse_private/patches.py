"""The process-wide wrappers around Synapse's private functions, and the per-homeserver hooks
they read (see the package's docstring, points 1, 2, 3 and 5)."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..rules import is_disabled_mark
from ..values import MSC3026_BUSY, rewrite_status_body, synapse_presence

if TYPE_CHECKING:
    from .enforcer import PresenceEnforcer

HS_ATTR = "_msc4043_presence_override"
_WRAPPED_MARK = "_presence_override_wrapped"


# --- the per-homeserver hooks, kept on the HomeServer ------------------------------------------


class HomeserverHooks:
    """What the process-wide wrappers need for one homeserver."""

    def __init__(
        self,
        register: Callable[[Any], None],
        flags: dict[str, bool],
        enforcer: PresenceEnforcer | None,
        msc3026_busy: bool = False,
    ):
        self.register = register
        self.flags = flags
        self.enforcer = enforcer
        # Synapse has MSC3026's busy (`experimental_features.msc3026_enabled`): MSC4532's
        # client state `busy` becomes it, else `unavailable`.
        self.msc3026_busy = msc3026_busy


def attach(hs: Any, hooks: HomeserverHooks) -> None:
    setattr(hs, HS_ATTR, hooks)
    # The config carries the flags too: VersionsRestServlet keeps the config, not the hs.
    setattr(hs.config, HS_ATTR, hooks.flags)
    _install_register_servlets_wrapper()
    _install_versions_wrapper()
    # Whichever process serves /sync and PUT /presence/{userId}/status.
    _install_sync_wrapper()
    _install_presence_status_wrapper()
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


# --- MSC4532's client states (`active`, `idle`, `busy`) in Synapse's words -----------------------


def _hooks_of(servlet: Any) -> HomeserverHooks | None:
    hooks = getattr(getattr(servlet, "hs", None), HS_ATTR, None)
    return hooks if isinstance(hooks, HomeserverHooks) else None


def _install_sync_wrapper() -> None:
    """`/sync?set_presence=` takes MSC4532's client states (rules in `..values`): the query
    argument is rewritten before Synapse parses it. Where Synapse has MSC3026, its busy is
    allowed on this servlet too (Synapse's handler takes it; only the servlet's list lacks it)."""
    from synapse.rest.client.sync import SyncRestServlet

    current = SyncRestServlet.on_GET
    if getattr(current, _WRAPPED_MARK, False):
        return
    original = current

    @functools.wraps(original)
    async def on_GET(self: Any, request: Any) -> tuple[int, Any]:
        hooks = _hooks_of(self)
        args = getattr(request, "args", None)
        if hooks is not None and isinstance(args, dict):
            if hooks.msc3026_busy and MSC3026_BUSY not in self.ALLOWED_PRESENCE:
                self.ALLOWED_PRESENCE = {*self.ALLOWED_PRESENCE, MSC3026_BUSY}
            said = args.get(b"set_presence")
            if said:
                args[b"set_presence"] = [_in_synapse_words(value, hooks.msc3026_busy) for value in said]
        return await original(self, request)

    setattr(on_GET, _WRAPPED_MARK, True)
    SyncRestServlet.on_GET = on_GET  # type: ignore[method-assign]


def _in_synapse_words(value: bytes, msc3026_busy: bool) -> bytes:
    try:
        presence = synapse_presence(value.decode("utf-8"), msc3026_busy)
    except UnicodeDecodeError:
        return value
    return value if presence is None else presence.encode("utf-8")


def _install_presence_status_wrapper() -> None:
    """`PUT /presence/{userId}/status` takes MSC4532's client states: the body is rewritten
    before Synapse reads it (after nothing: Synapse's rate limit still comes first)."""
    from synapse.rest.client.presence import PresenceStatusRestServlet

    current = PresenceStatusRestServlet.on_PUT
    if getattr(current, _WRAPPED_MARK, False):
        return
    original = current

    @functools.wraps(original)
    async def on_PUT(self: Any, request: Any, user_id: str) -> tuple[int, Any]:
        hooks = _hooks_of(self)
        content = getattr(request, "content", None)
        if hooks is not None and content is not None:
            start = content.tell()
            rewritten = rewrite_status_body(content.read(), hooks.msc3026_busy)
            if rewritten is None:
                content.seek(start)
            else:
                request.content = io.BytesIO(rewritten)
        return await original(self, request, user_id)

    setattr(on_PUT, _WRAPPED_MARK, True)
    PresenceStatusRestServlet.on_PUT = on_PUT  # type: ignore[method-assign]
