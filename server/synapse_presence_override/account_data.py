"""MSC4532's account-data event and the module's mirror of MSC4043 in it.

Plain data handling (no Synapse), so the mapping between the two APIs can be read and tested on
its own. The contract (server/README.md, "MSC4532"):

- The event exists in two spellings: unstable (`EVENT_TYPE`, prefixed values) and stable
  (`STABLE_EVENT_TYPE`, plain values). Each is read with its own values only.
- A client's event maps to an override: `state_override` -> the MSC4043 value, `status.msg`
  -> status_msg; an unknown or missing `state_override` means none, and a `status.msg`
  without an override is the user's status message on its own (MSC4532: independent).
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
# The module advertises the unstable flag only (MSC4532 is not through FCP, and its text
# says `.stable` is for after it); it applies both event types and mirrors into the
# advertised one (and into the stable one where the user has it).
EVENT_TYPE = _PREFIX + "presence.persistent"
STABLE_EVENT_TYPE = "m.presence.persistent"
EVENT_TYPES = (EVENT_TYPE, STABLE_EVENT_TYPE)
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
# The same for the stable event: plain values.
TO_STABLE = {ONLINE: "active", UNAVAILABLE: "idle", BUSY: "busy", OFFLINE: "offline"}
FROM_STABLE = {v: k for k, v in TO_STABLE.items()}


def _values(event_type: str) -> tuple[dict[str, str], dict[str, str]]:
    """(MSC4043 -> state_override, state_override -> MSC4043) in the event's spelling."""
    if event_type == STABLE_EVENT_TYPE:
        return TO_STABLE, FROM_STABLE
    return TO_MSC4532, FROM_MSC4532


@dataclass(frozen=True)
class Wanted:
    """What an event asks for: an override (or None), its status message and its source.
    Without an override, `status_msg` is the user's status message on its own."""

    presence: str | None
    status_msg: str | None
    source: str

    def same_as(self, override: Override | None, message: str | None = None) -> bool:
        """Whether the module already holds this (`message`: the override-less message)."""
        if override is None or self.presence is None:
            return override is None and self.presence is None and self.status_msg == message
        return (self.presence, self.status_msg, self.source) == (
            override.presence,
            override.status_msg,
            override.source,
        )


def _status_msg(content: Mapping[str, Any]) -> str | None:
    status = content.get(STATUS)
    msg = status.get(MSG) if isinstance(status, Mapping) else None
    return msg if isinstance(msg, str) and msg else None


def read_event(content: Mapping[str, Any] | None, event_type: str = EVENT_TYPE) -> Wanted:
    """The override an event's content asks for (anything unknown counts as unset)."""
    to_values, from_values = _values(event_type)
    content = content or {}
    raw = content.get(STATE_OVERRIDE)
    mapped = from_values.get(raw) if isinstance(raw, str) else None
    mirror = content.get(MIRROR_KEY)
    if (
        isinstance(mirror, str)
        and mirror in STORED_VALUES
        and to_values.get(mirror) == (raw if mapped is not None else None)
    ):
        # The module's own mirror of an MSC4043 PUT, untouched by any client since.
        return Wanted(mirror, _status_msg(content), SOURCE_MSC4043)
    return Wanted(mapped, _status_msg(content), SOURCE_MSC4532)


def mirror_event(
    content: Mapping[str, Any] | None,
    override: Override | None,
    message: str | None = None,
    event_type: str = EVENT_TYPE,
) -> dict[str, Any]:
    """The event content saying `override` (or, without one, the status `message` alone):
    `content` with every unknown key kept. The mirror key is written only for an MSC4043
    override, so a copy of a client's MSC4532 write still reads as MSC4532's."""
    to_values, _ = _values(event_type)
    new: dict[str, Any] = thaw(content or {})
    if override is None:
        new.pop(STATE_OVERRIDE, None)
        new.pop(MIRROR_KEY, None)
        msg = message
    else:
        mapped = to_values.get(override.presence)  # None for `disabled`: not in MSC4532
        if mapped is None:
            new.pop(STATE_OVERRIDE, None)
        else:
            new[STATE_OVERRIDE] = mapped
        if override.source == SOURCE_MSC4043:
            new[MIRROR_KEY] = override.presence
        else:
            new.pop(MIRROR_KEY, None)
        msg = override.status_msg
    status = new.get(STATUS)
    status = dict(status) if isinstance(status, Mapping) else {}
    if msg:
        status[MSG] = msg
    else:
        # No message: keep the two APIs one (an MSC4043 clear takes the message with it).
        status.pop(MSG, None)
    if status or STATUS in new:
        new[STATUS] = status
    return new


def thaw(value: Any) -> Any:
    """A plain, mutable copy of Synapse's frozen account data."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(v) for v in value]
    return value
