"""Which Synapse this is, whether it is in the tested window, and whether the internals the
module needs are there (names and signatures, nothing built)."""

from __future__ import annotations

import inspect
import re
from typing import Any

import synapse

from .. import version_window


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
    ("synapse.rest.client.sync", "SyncRestServlet.on_GET", "", ("self", "request")),
    ("synapse.rest.client.presence", "PresenceStatusRestServlet.on_PUT", "", ("self", "request", "user_id")),
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
        from synapse.rest.client.sync import SyncRestServlet

        if not isinstance(getattr(SyncRestServlet, "ALLOWED_PRESENCE", None), (set, frozenset)):
            problems.append("synapse.rest.client.sync.SyncRestServlet.ALLOWED_PRESENCE (not a set)")
    except ImportError:
        problems.append("synapse.rest.client.sync (missing)")
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
