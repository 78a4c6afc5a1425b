"""MSC4532's account-data event and the module's mirror of MSC4043 in it.

Plain data handling (no Synapse), so the mapping between the two APIs can be read and tested on
its own. The contract (server/README.md, "MSC4532"):

- A client's event maps to an override: `state_override` (unstable values) -> the MSC4043
  value, `status.msg` -> status_msg; an unknown or missing `state_override` means none.
- The module mirrors every MSC4043 PUT into the event, by read-modify-write keeping unknown
  keys, and adds `org.presence_tray.msc4043_override` with the exact MSC4043 value. While
  that key agrees with `state_override` the override counts as MSC4043's (held whatever the
  devices do, and `disabled` is possible); once a client changes `state_override`, the key
  no longer agrees and the event counts as MSC4532's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .values import (
    BUSY,
    OFFLINE,
    ONLINE,
    SOURCE_MSC4043,
    SOURCE_MSC4532,
    STORED_VALUES,
    UNAVAILABLE,
    Override,
)

MSC4532_FLAG = "org.continuwuity.presence_v2.msc4532"
_PREFIX = "org.continuwuity.presence_v2.msc4532."
EVENT_TYPE = _PREFIX + "presence.persistent"
STATE_OVERRIDE = "state_override"
STATUS = "status"
MSG = "msg"
MIRROR_KEY = "org.presence_tray.msc4043_override"

# MSC4043 value -> MSC4532 `state_override` (unstable spelling; `offline` has no prefix).
TO_MSC4532 = {
    ONLINE: _PREFIX + "active",
    UNAVAILABLE: _PREFIX + "idle",
    BUSY: _PREFIX + "busy",
    OFFLINE: "offline",
}
FROM_MSC4532 = {v: k for k, v in TO_MSC4532.items()}


@dataclass(frozen=True)
class Wanted:
    """What an event asks for: an override (or None), its status message and its source."""

    presence: str | None
    status_msg: str | None
    source: str

    def same_as(self, override: Override | None) -> bool:
        if override is None or self.presence is None:
            return override is None and self.presence is None
        return (self.presence, self.status_msg, self.source) == (
            override.presence, override.status_msg, override.source)


def _status_msg(content: Mapping[str, Any]) -> str | None:
    status = content.get(STATUS)
    msg = status.get(MSG) if isinstance(status, Mapping) else None
    return msg if isinstance(msg, str) and msg else None


def read_event(content: Mapping[str, Any] | None) -> Wanted:
    """The override an event's content asks for (anything unknown counts as unset)."""
    content = content or {}
    raw = content.get(STATE_OVERRIDE)
    mapped = FROM_MSC4532.get(raw) if isinstance(raw, str) else None
    mirror = content.get(MIRROR_KEY)
    if isinstance(mirror, str) and mirror in STORED_VALUES and TO_MSC4532.get(mirror) == (
        raw if mapped is not None else None
    ):
        # The module's own mirror of an MSC4043 PUT, untouched by any client since.
        return Wanted(mirror, _status_msg(content), SOURCE_MSC4043)
    if mapped is None:
        return Wanted(None, None, SOURCE_MSC4532)
    return Wanted(mapped, _status_msg(content), SOURCE_MSC4532)


def mirror_event(content: Mapping[str, Any] | None, override: Override | None) -> dict[str, Any]:
    """The event content after an MSC4043 PUT: `content` with every unknown key kept."""
    new: dict[str, Any] = thaw(content or {})
    if override is None:
        new.pop(STATE_OVERRIDE, None)
        new.pop(MIRROR_KEY, None)
        return new
    mapped = TO_MSC4532.get(override.presence)  # None for `disabled`: not in MSC4532
    if mapped is None:
        new.pop(STATE_OVERRIDE, None)
    else:
        new[STATE_OVERRIDE] = mapped
    status = new.get(STATUS)
    status = dict(status) if isinstance(status, dict) else {}
    if override.status_msg:
        status[MSG] = override.status_msg
    else:
        status.pop(MSG, None)  # the override has no message: keep the two APIs one
    if status or STATUS in new:
        new[STATUS] = status
    new[MIRROR_KEY] = override.presence
    return new


def thaw(value: Any) -> Any:
    """A plain, mutable copy of Synapse's frozen account data."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(v) for v in value]
    return value

