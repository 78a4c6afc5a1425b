"""The standard `/v3/presence/{userId}/status` endpoint: what others see, and emulated mode's lever."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tray_app.matrix.http import MatrixRequests, user_path
from tray_app.states import PresenceState, Wording, presence_from_wire, presence_to_wire

STATUS_PATH = "/_matrix/client/v3/presence/{user}/status"
# MSC4532's `status` object (`{"msg": ...}`), which replaces `status_msg` in presence content.
STATUS_KEY = "status"
UNSTABLE_STATUS_KEY = "org.continuwuity.presence_v2.msc4532.status"


def status_message(content: dict[str, Any]) -> str | None:
    """The status message of a presence content (`m.presence` event, GET status): MSC4532's
    `status.msg` (stable or unstable key; trimmed, as the proposal asks of clients) where the
    server sends one, else the old `status_msg`; None when there is none."""
    for key in (STATUS_KEY, UNSTABLE_STATUS_KEY):
        status = content.get(key)
        if isinstance(status, dict) and isinstance(status.get("msg"), str):
            return status["msg"].strip() or None
    msg = content.get("status_msg")
    return msg if isinstance(msg, str) and msg else None


@dataclass(frozen=True)
class PresenceReading:
    presence: str
    status_msg: str | None = None
    currently_active: bool | None = None


async def get_presence(client: MatrixRequests, user_id: str) -> PresenceReading:
    body = await client.json("GET", user_path(STATUS_PATH, user_id))
    active = body.get("currently_active")
    return PresenceReading(
        presence=presence_from_wire(str(body.get("presence") or "offline")),
        status_msg=status_message(body),
        currently_active=active if isinstance(active, bool) else None,
    )


async def put_presence(
    client: MatrixRequests,
    user_id: str,
    state: PresenceState,
    status_msg: str | None = None,
    wording: Wording = Wording.CLASSIC,
) -> None:
    body: dict[str, str] = {"presence": presence_to_wire(state.value, wording)}
    if status_msg is not None:
        body["status_msg"] = status_msg
    await client.json("PUT", user_path(STATUS_PATH, user_id), body)
