"""One reading of a /sync answer, whichever way it came.

The initial sync goes through the light requests (no nio on the start path) and arrives as the
raw JSON body; the long poll goes through nio (its timeouts, and `UndroppedSyncs` around its
request). Both are read here, from the raw body: nio's aiohttp response keeps the body it read,
so the long poll's is taken from there (`long_poll_body`) rather than from nio's event classes,
which would be a second reading of the same answer with rules of their own. Only what the
session uses is kept: the next batch, our own presence events and the watched account data.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from tray_app.errors import BadResponse
from tray_app.matrix.presence_status import status_message


@dataclass(frozen=True)
class OwnPresenceEvent:
    presence: str  # as on the wire (tray_app.states.presence_from_wire reads it)
    status_msg: str | None  # MSC4532's `status.msg` where sent, else `status_msg` (status_message)


@dataclass(frozen=True)
class SyncBatch:
    next_batch: str
    own_presence: tuple[OwnPresenceEvent, ...]
    """Our own `m.presence` events, in the order of the answer."""
    account_data: tuple[tuple[str, dict[str, Any]], ...]
    """(type, content) of the watched account-data events, in the order of the answer."""


def parse_sync(body: dict[str, Any], user_id: str, watch_types: tuple[str, ...]) -> SyncBatch:
    next_batch = body.get("next_batch")
    if not isinstance(next_batch, str):
        raise BadResponse("the server answered a sync without a next_batch")
    own = []
    for e in _events(body, "presence"):
        content = e.get("content")
        if e.get("sender") == user_id and isinstance(content, dict) and isinstance(content.get("presence"), str):
            own.append(OwnPresenceEvent(content["presence"], status_message(content)))
    watched = tuple(
        (e["type"], e["content"])
        for e in _events(body, "account_data")
        if e.get("type") in watch_types and isinstance(e.get("content"), dict)
    )
    return SyncBatch(next_batch, tuple(own), watched)


async def with_body(request: Awaitable[Any]) -> tuple[Any, dict[str, Any] | None]:
    """A long poll's nio answer and its raw body (None where it cannot be read), read as part
    of the request: nothing may come between an answer and the session taking it up, or a wake
    that cancels the sync there loses an answer the server counted (the next sync then starts
    from the old `since` and gets the same events again at once)."""
    response = await request
    try:
        return response, await long_poll_body(response)
    except Exception:  # an error answer's body is not needed: raise_for_nio reports it
        return response, None


async def long_poll_body(response: Any) -> dict[str, Any]:
    """The raw body of a successful nio sync answer (aiohttp keeps what it read)."""
    body = json.loads(await response.transport_response.read())
    if not isinstance(body, dict):
        raise BadResponse("the server answered a sync with something other than an object")
    return body


def _events(body: dict[str, Any], section: str) -> list[dict[str, Any]]:
    """The events of a top-level section of a raw /sync answer (account_data, presence)."""
    part = body.get(section)
    events = part.get("events") if isinstance(part, dict) else None
    return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []
