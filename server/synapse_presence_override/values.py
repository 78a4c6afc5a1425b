"""Override values, their spellings on the two paths, and body validation.

Nothing here touches Synapse; it is plain data handling so it can be reasoned about (and
unit-tested) on its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# Feature flags in /_matrix/client/versions -> unstable_features.
FEATURE_FLAG = "support.feline.msc4043.v1"
# Project flag: the PUT body's optional `status_msg` is stored and applied. Not part of
# MSC4043's text (a reviewer asked for it); clients should only send it when this is true.
STATUS_MSG_FEATURE_FLAG = "support.feline.msc4043.v1.status_msg"
# Project flag: a status message is kept without an override (MSC4532's `status.msg` on its
# own): GET/PUT answer it as `status_msg` with `"presence_override": ""`, and a clear that
# carries `status_msg` keeps that message on its own (a clear without one removes it).
STATUS_MSG_ALONE_FEATURE_FLAG = "support.feline.msc4043.v1.status_msg_alone"

STABLE_PREFIX = "/_matrix/client/v1"
UNSTABLE_PREFIX = "/_matrix/client/unstable/support.feline.msc4043.v1"

ONLINE = "online"
UNAVAILABLE = "unavailable"
OFFLINE = "offline"
DISABLED = "disabled"  # MSC4042; stored and returned as such, others see `offline`
MSC4042_UNSTABLE_DISABLED = "support.feline.msc4042.v1.disabled"
# MSC4532's `busy` (also reachable through the MSC4043 PUT, so both APIs stay one). Others
# see Synapse's MSC3026 busy state when `experimental_features.msc3026_enabled` is on,
# else `unavailable` (Synapse has no busy state then).
BUSY = "busy"
MSC3026_BUSY = "org.matrix.msc3026.busy"  # synapse.api.constants.PresenceState.BUSY

# What may be PUT (on either path) -> the canonical value we store.
_ACCEPTED = {
    ONLINE: ONLINE,
    UNAVAILABLE: UNAVAILABLE,
    OFFLINE: OFFLINE,
    DISABLED: DISABLED,
    MSC4042_UNSTABLE_DISABLED: DISABLED,
    BUSY: BUSY,
}
STORED_VALUES = frozenset(_ACCEPTED.values())

# The presence everybody (the user included) sees while an override is set. Synapse has
# no fourth state, so MSC4042's `disabled` is shown as `offline`; `busy` depends on MSC3026
# (see `Override.effective_presence`).
EFFECTIVE_PRESENCE = {
    ONLINE: ONLINE,
    UNAVAILABLE: UNAVAILABLE,
    OFFLINE: OFFLINE,
    DISABLED: OFFLINE,
    BUSY: UNAVAILABLE,
}

# MSC4532's client states, as a device says them on `/sync?set_presence=` and in
# `PUT /presence/{userId}/status` (the proposal's unstable spelling is prefixed, `offline`
# never is; the plain words are accepted too, so a client on either spelling is never
# refused) -> the Synapse state they are stored as. `busy` -> MSC3026's busy where Synapse
# has it (`experimental_features.msc3026_enabled`), else `unavailable` (see `synapse_presence`).
MSC4532_STATE_PREFIX = "org.continuwuity.presence_v2.msc4532."
_CLIENT_STATES = {"active": ONLINE, "idle": UNAVAILABLE, "busy": BUSY, "offline": OFFLINE}


def synapse_presence(value: str, msc3026_busy: bool) -> str | None:
    """The Synapse presence an MSC4532 client state stands for; None when `value` is not one
    (Synapse's own words, and anything unknown, are left for Synapse to take or refuse)."""
    state = _CLIENT_STATES.get(value.removeprefix(MSC4532_STATE_PREFIX))
    if state is None or value == OFFLINE:
        return None  # not a client state, or Synapse's own `offline`
    if state == BUSY:
        return MSC3026_BUSY if msc3026_busy else UNAVAILABLE
    return state


def rewrite_status_body(raw: bytes, msc3026_busy: bool) -> bytes | None:
    """A `PUT /presence/{userId}/status` body with an MSC4532 client state in Synapse's words
    (None: nothing to rewrite, Synapse reads the body as it came, errors included)."""
    try:
        content: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(content, dict) or not isinstance(content.get("presence"), str):
        return None
    presence = synapse_presence(content["presence"], msc3026_busy)
    if presence is None:
        return None
    return json.dumps({**content, "presence": presence}).encode("utf-8")


# Where an override came from: the MSC4043 endpoint (held whatever the devices do), or
# MSC4532's account data written by a client (rule 1: offline once no device is connected).
SOURCE_MSC4043 = "msc4043"
SOURCE_MSC4532 = "msc4532"
SOURCES = frozenset({SOURCE_MSC4043, SOURCE_MSC4532})


@dataclass(frozen=True)
class Override:
    """One user's override as stored."""

    user_id: str
    presence: str  # canonical: one of STORED_VALUES
    status_msg: str | None
    # The last_active_ts others see while the override holds (frozen at set time, so that
    # device activity behind the override is not leaked through `last_active_ago`).
    # Not used for `online`, which always reads as currently active.
    last_active_ts: int
    updated_ts: int
    source: str = SOURCE_MSC4043

    def effective_presence(self, msc3026_busy: bool = False) -> str:
        """The Synapse state others see; `busy` needs Synapse's MSC3026 to be shown."""
        if self.presence == BUSY and msc3026_busy:
            return MSC3026_BUSY
        return EFFECTIVE_PRESENCE[self.presence]

    @property
    def follows_devices(self) -> bool:
        """MSC4532 rule 1: shown only while a device is connected (else offline)."""
        return self.source == SOURCE_MSC4532


def spell(value: str, *, unstable: bool) -> str:
    """The canonical stored value in the spelling of the path that asked."""
    if value == DISABLED and unstable:
        return MSC4042_UNSTABLE_DISABLED
    return value


class BadBody(Exception):
    """A client error in the PUT body: (errcode, message)."""

    def __init__(self, errcode: str, message: str):
        super().__init__(message)
        self.errcode = errcode
        self.message = message


@dataclass(frozen=True)
class PutRequest:
    presence: str  # canonical value, or "" to clear
    status_msg: str | None


def parse_put_body(raw: bytes) -> PutRequest:
    """Validate a PUT body. Raises BadBody with an M_* code on anything wrong.

    - not JSON, or JSON that is not an object -> M_NOT_JSON
    - no `presence_override` key              -> M_MISSING_PARAM
    - `presence_override` not a known string  -> M_INVALID_PARAM
    - `status_msg` neither a string nor null  -> M_INVALID_PARAM
    Unknown keys are ignored (Matrix's usual forward compatibility).
    """
    try:
        content: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadBody("M_NOT_JSON", "Content not JSON.") from None
    if not isinstance(content, dict):
        raise BadBody("M_NOT_JSON", "Content must be a JSON object.")
    if "presence_override" not in content:
        raise BadBody("M_MISSING_PARAM", "Missing 'presence_override'.")
    value = content["presence_override"]
    if not isinstance(value, str):
        raise BadBody("M_INVALID_PARAM", "'presence_override' must be a string.")
    if value != "" and value not in _ACCEPTED:
        raise BadBody(
            "M_INVALID_PARAM",
            "Invalid 'presence_override': expected one of " + ", ".join(repr(v) for v in ("", *_ACCEPTED)),
        )
    status_msg = content.get("status_msg")
    if status_msg is not None and not isinstance(status_msg, str):
        raise BadBody("M_INVALID_PARAM", "'status_msg' must be a string.")
    if value == "":
        # A clear: with a `status_msg` that message stays on its own (STATUS_MSG_ALONE_FEATURE_FLAG).
        return PutRequest(presence="", status_msg=status_msg or None)
    return PutRequest(presence=_ACCEPTED[value], status_msg=status_msg or None)
